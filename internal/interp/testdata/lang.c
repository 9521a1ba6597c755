#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <limits.h>

struct point { int x, y; };
typedef struct { char name[16]; long value; } item_t;
static int calls;

static int gcd(int a, int b) { calls++; return b == 0 ? a : gcd(b, a % b); }
static void swap(int *a, int *b) { int t = *a; *a = *b; *b = t; }
static long sum_items(item_t *it, int n) { long s = 0; for (int i = 0; i < n; i++) s += it[i].value; return s; }

int main(void)
{
	int a = 3, b = 9;
	swap(&a, &b);
	printf("%d %d gcd=%d calls=%d\n", a, b, gcd(1071, 462), calls);
	struct point pts[3] = { {1, 2}, {3, 4}, {5, 6} };
	struct point *pp = pts + 1;
	printf("%d %d %ld\n", pp->x, (pp + 1)->y, (long)(pp - pts));
	item_t items[2];
	strcpy(items[0].name, "alpha");
	items[0].value = 10;
	strcpy(items[1].name, "beta");
	items[1].value = 32;
	printf("%s %s %ld %zu\n", items[0].name, items[1].name, sum_items(items, 2), sizeof(item_t));
	unsigned int u = 0; u--;
	int neg = -17;
	printf("%u %d %d %u %d\n", u, neg / 4, neg % 4, (unsigned)neg >> 28, neg >> 2);
	printf("%lld %llu %x %lx\n", LLONG_MIN, ULLONG_MAX, INT_MAX, (unsigned long)UINT32_MAX << 4);
	char c = 200;
	unsigned char uc = 200;
	short s = 40000;
	printf("%d %d %d %d\n", c, uc, s, (int)(uint8_t)300);
	int arr[5] = {5, 4, 3, 2, 1};
	for (int i = 0; i < 5; i++)
		for (int j = 0; j + 1 < 5 - i; j++)
			if (arr[j] > arr[j + 1]) swap(&arr[j], &arr[j + 1]);
	for (int i = 0; i < 5; i++) printf("%d%c", arr[i], i == 4 ? '\n' : ' ');
	int x = 0;
	x += 5; x -= 1; x *= 3; x /= 2; x %= 4; x <<= 3; x >>= 1; x |= 1; x &= 7; x ^= 2;
	printf("x=%d %d %d %d\n", x, !x, ~x, -x);
	int i = 0, k = 0;
	while (1) { if (++i > 10) break; if (i % 2) continue; k += i; }
	do { k--; } while (k > 25);
	printf("k=%d i=%d\n", k, i);
	switch (k) { case 25: printf("twenty-five\n"); case 26: printf("fallthrough\n"); break; default: printf("default\n"); }
	char *str = "escape\t\"q\"\\\x41\101\n";
	printf("%s", str);
	printf("[%5d][%-5d][%05d][%+d][% d][%5.2s][%.3d][%#x][%#o][%c][%%]\n", 42, 42, 42, 42, 42, "abc", 7, 255, 8, 'z');
	printf("%d %d %d\n", 1 && 0, 1 || 0, (3 > 2) + (2 >= 2) + (1 != 1) + (5 == 5));
	char *dyn = malloc(100);
	strcpy(dyn, "dyn");
	strcat(dyn, "amic");
	printf("%s %zu %d %d\n", dyn, strlen(dyn), strcmp(dyn, "dynamic"), strncmp("abc", "abd", 2));
	dyn = realloc(dyn, 200000);
	printf("%s %ld %ld\n", dyn, strtol("  -123xyz", NULL, 10), strtol("0x1f", NULL, 0));
	free(dyn);
	int *z = calloc(10, sizeof(int));
	printf("calloc %d %d atoi %d\n", z[0], z[9], atoi("77"));
	free(z);
	long big = 1L << 40;
	printf("%ld %d\n", big, (int)(big >> 38));
	printf("%d\n", abs(-5) + (int)sizeof(long long) + (int)sizeof(short));
	return calls;
}
