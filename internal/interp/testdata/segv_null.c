#include <stdio.h>
int main(void)
{
	int *p = NULL;
	printf("about to crash\n");
	fflush(stdout);
	*p = 1;
	printf("not reached\n");
	return 0;
}
