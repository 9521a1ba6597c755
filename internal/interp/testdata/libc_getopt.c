/* getopt: options before the operands, glibc's messages on stderr. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void parse(int argc, char *argv[])
{
	int c;
	optind = 1;
	while ((c = getopt(argc, argv, "ab:vn:")) != -1) {
		switch (c) {
		case 'a':
		case 'v':
			printf("flag %c\n", c);
			break;
		case 'b':
		case 'n':
			printf("%c = %s\n", c, optarg);
			break;
		default:
			printf("? (optopt %c)\n", optopt);
		}
	}
	for (; optind < argc; optind++)
		printf("operand %s\n", argv[optind]);
}

int main(int argc, char *argv[])
{
	char *a1[] = {"prog", "-av", "-b", "x", "-n5", "-q", "--", "-a", "rest", NULL};
	parse(9, a1);
	char *a2[] = {"prog", "-b", NULL};
	parse(2, a2);
	parse(argc, argv);
	return 0;
}
