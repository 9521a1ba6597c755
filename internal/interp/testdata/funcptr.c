#include <stdio.h>
#include <string.h>

typedef int (*op_fn)(int, int);
static int add(int a, int b) { return a + b; }
static int mul(int a, int b) { return a * b; }
union u { int i; unsigned char b[4]; };
struct node { int v; struct node *next; };

static int apply(op_fn f, int a, int b) { return f(a, b); }

int main()
{
	op_fn ops[2] = { add, mul };
	for (int i = 0; i < 2; i++)
		printf("%d %d\n", ops[i](6, 7), apply(ops[i], 2, 3));
	union u x;
	x.i = 0x01020304;
	printf("%d %d %zu\n", x.b[0], x.b[3], sizeof x);
	struct node n3 = { 3, NULL }, n2 = { 2, &n3 }, n1 = { 1, &n2 };
	int total = 0;
	for (struct node *p = &n1; p; p = p->next)
		total += p->v;
	printf("total %d\n", total);
	static int counter = 5;
	counter++;
	char buf[64];
	snprintf(buf, sizeof buf, "c=%d s=%s", counter, "ok");
	puts(buf);
	char line[8] = "abc";
	printf("%s %d %d\n", line, line[3], (int)sizeof line);
	const char *msgs[] = { "zero", "one", "two" };
	printf("%s %zu\n", msgs[2], sizeof msgs / sizeof msgs[0]);
	int m[2][3] = { {1, 2, 3}, {4, 5, 6} };
	printf("%d %d\n", m[1][2], *(*(m + 1) + 1));
	unsigned long long h = 1469598103934665603ULL;
	for (const char *s = "hash me"; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	printf("%llx\n", h);
	return 0;
}
