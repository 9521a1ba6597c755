#include <stdio.h>
struct pt { int x, y; };
struct area { const char *name; struct pt lo, hi; int flags[3]; };
int g[6] = { [2] = 7, 9, [0] = 1 };
struct area ga = { .name = "global", .hi = { 5, 6 }, .flags = { [1] = 4 } };
static const char *names[] = { "zero", "one", "two" };
int main(void)
{
	int x = 3, y = 4;
	struct pt p = { x, y };
	struct pt q = { .y = x, .x = y };
	struct area a = { "local", { 1, 2 }, { x, y }, { 7 } };
	int l[5] = { [3] = 2, 1 };
	char s[8] = "hi";
	printf("%d %d %d %d %d %d\n", g[0], g[1], g[2], g[3], g[4], g[5]);
	printf("%s %d %d %d %d\n", ga.name, ga.hi.x, ga.hi.y, ga.flags[0], ga.flags[1]);
	printf("%d %d %d %d\n", p.x, p.y, q.x, q.y);
	printf("%s %d %d %d %d %d\n", a.name, a.lo.y, a.hi.x, a.hi.y, a.flags[0], a.flags[2]);
	printf("%d %d %d %d %d [%s] %d %s\n", l[0], l[1], l[2], l[3], l[4], s, s[5], names[2]);
	return 0;
}
