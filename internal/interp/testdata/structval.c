#include <stdio.h>
struct big { long a[4]; int n; };
static long total(struct big b) { b.n = 99; long s = 0; for (int i = 0; i < 4; i++) s += b.a[i]; return s + b.n; }
int main(void)
{
	struct big x = { {1, 2, 3, 4}, 5 };
	struct big y;
	y = x;
	y.a[0] = 10;
	printf("%ld %d %ld %ld\n", total(x), x.n, x.a[0], y.a[0]);
	return 0;
}
