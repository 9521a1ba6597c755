#include <stdio.h>
int zero(void) { return 0; }
int main(void)
{
	int a = 10;
	fprintf(stderr, "dividing\n");
	printf("%d\n", a / zero());
	return 0;
}
