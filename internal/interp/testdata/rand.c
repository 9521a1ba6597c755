#include <stdio.h>
#include <stdlib.h>
int main(void)
{
	for (int i = 0; i < 5; i++)
		printf("%d ", rand());
	printf("\n");
	srand(42);
	for (int i = 0; i < 5; i++)
		printf("%d ", rand() % 1000);
	printf("\n");
	srand(0);
	printf("%ld %d\n", random(), RAND_MAX);
	return 0;
}
