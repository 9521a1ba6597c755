#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rec { int key; char tag; };

static int by_key(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;
	return (x->key > y->key) - (x->key < y->key);
}

static int cmp_int(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }

int main(void)
{
	struct rec r[8] = { {3, 'a'}, {1, 'b'}, {3, 'c'}, {2, 'd'}, {1, 'e'}, {0, 'f'}, {3, 'g'}, {2, 'h'} };
	qsort(r, 8, sizeof r[0], by_key);
	for (int i = 0; i < 8; i++)
		printf("%d%c ", r[i].key, r[i].tag);
	printf("\n");
	int n = 600;
	int *v = malloc(n * sizeof *v);
	for (int i = 0; i < n; i++)
		v[i] = (i * 7919) % 1000;
	qsort(v, n, sizeof *v, cmp_int);
	int key = 500;
	int *hit = bsearch(&key, v, n, sizeof *v, cmp_int);
	printf("%d %d %d %s\n", v[0], v[n / 2], v[n - 1], hit ? "found" : "absent");
	key = 1001;
	printf("%s\n", bsearch(&key, v, n, sizeof *v, cmp_int) ? "found" : "absent");
	free(v);
	return 0;
}
