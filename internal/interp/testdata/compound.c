#include <stdio.h>
struct pt { int x, y; };
static int sum(const int *v, int n) { int s = 0; for (int i = 0; i < n; i++) s += v[i]; return s; }
static int dist(struct pt a) { return a.x * a.x + a.y * a.y; }
int main(void)
{
	struct pt p = (struct pt){ .y = 4, .x = 3 };
	int *v = (int[]){ 1, 2, 3, 4 };
	printf("%d %d %d %d\n", p.x, dist((struct pt){ 1, 2 }), sum(v, 4), sum((int[3]){ 5, 5 }, 3));
	return 0;
}
