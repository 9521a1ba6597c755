// title: NULL dereference is SIGSEGV
// engines: sim,real
// expect: signal SIGSEGV
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char *argv[])
{
	int *p = NULL;
	printf("argc %d\n", argc);
	fflush(stdout);
	if (argc < 5)
		p = (int *)(long)argc;
	return *p;
}
