#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

struct node { int key; struct node *left, *right; };

static struct node pool[64];
static int used;

static struct node *insert(struct node *t, int key)
{
	if (!t) {
		struct node *n = &pool[used++];
		n->key = key;
		n->left = n->right = NULL;
		return n;
	}
	if (key < t->key)
		t->left = insert(t->left, key);
	else
		t->right = insert(t->right, key);
	return t;
}

static void walk(struct node *t, char **out)
{
	if (!t)
		return;
	walk(t->left, out);
	*out += sprintf(*out, "%d ", t->key);
	walk(t->right, out);
}

static void qsort_ints(int *a, int n)
{
	if (n < 2)
		return;
	int pivot = a[n / 2], i = 0, j = n - 1;
	while (i <= j) {
		while (a[i] < pivot) i++;
		while (a[j] > pivot) j--;
		if (i <= j) { int t = a[i]; a[i++] = a[j]; a[j--] = t; }
	}
	qsort_ints(a, j + 1);
	qsort_ints(a + i, n - i);
}

static int counter(void) { static int n; return ++n; }

static unsigned popcount(uint64_t v) { unsigned c = 0; while (v) { v &= v - 1; c++; } return c; }

int main(void)
{
	struct node *root = NULL;
	int keys[] = { 50, 30, 70, 20, 40, 60, 80, 35 };
	for (unsigned i = 0; i < sizeof keys / sizeof *keys; i++)
		root = insert(root, keys[i]);
	char buf[256], *w = buf;
	walk(root, &w);
	printf("%s| used %d\n", buf, used);

	int a[10] = { 9, 3, 7, 1, 8, 2, 6, 4, 5, 0 };
	qsort_ints(a, 10);
	for (int *p = a; p < a + 10; p++)
		printf("%d", *p);
	printf("\n");

	int m[3][4];
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 4; j++)
			m[i][j] = i * 10 + j;
	int (*row)[4] = m + 1;
	int *flat = &m[0][0];
	printf("%d %d %d %ld\n", row[0][2], (*(row + 1))[3], flat[7], (long)(&m[2][0] - &m[0][0]));

	char s[32];
	strcpy(s, "hello");
	char *d = s + strlen(s);
	const char *src = ", world";
	while ((*d++ = *src++))
		;
	printf("%s %d\n", s, (int)(d - s));

	struct node *np = pool;
	np[1].key += 5;
	(np + 2)->key *= 2;
	pool[3].key <<= 1;
	printf("%d %d %d\n", pool[1].key, pool[2].key, pool[3].key);

	unsigned char uc = 0xf0;
	printf("%d %d %u %d\n", uc >> 4, (uc << 4) & 0xfff, (unsigned char)(uc << 4), ~uc);
	int neg = -1;
	unsigned int un = 1;
	printf("%d %d %d\n", neg < un, neg < (int)un, (long)neg < (long)un);

	printf("%d %d %d\n", counter(), counter(), counter());
	printf("%u %u\n", popcount(0xff00ff00ff00ffULL), popcount(UINT64_MAX));

	int total = 0;
	for (int i = 0; i < 10; i++) {
		switch (i % 4) {
		case 0: total += 1;
		case 1: total += 10; break;
		default: total += 100; continue;
		case 3: total += 1000;
		}
		total += 5;
	}
	printf("total %d\n", total);
	int k = 0;
again:
	k++;
	if (k < 5) goto again;
	do { k += 2; if (k % 3) continue; k += 100; } while (k < 50);
	printf("k %d\n", k);
	char *ptrs[3] = { "x", NULL, "z" };
	for (int i = 0; i < 3; i++)
		printf("%s ", ptrs[i] ? ptrs[i] : "(none)");
	printf("\n");
	long long ll = 0x7fffffffffffffffLL;
	ll++;
	unsigned long ul = 0;
	ul--;
	short sh = 32767;
	sh++;
	printf("%lld %lu %d %d\n", ll, ul, sh, (int)(char)300);
	return total % 256;
}
