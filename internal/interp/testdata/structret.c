#include <stdio.h>
#include <time.h>

struct range { unsigned long start, end; const char *name; };

static struct range make(unsigned long s, unsigned long len, const char *name)
{
	struct range r = { s, s + len, name };
	return r;
}

static struct range grow(struct range r, unsigned long by)
{
	r.end += by;
	return r;
}

int main(void)
{
	struct range a = make(4096, 8192, "data");
	struct range b = grow(a, 4096);
	printf("%s %lu-%lu %lu-%lu %lu\n", a.name, a.start, a.end, b.start, b.end, grow(make(0, 1, "x"), 2).end);
	struct range arr[2];
	arr[1] = make(1, 2, "y");
	printf("%lu %s\n", arr[1].end, arr[1].name);
	return 0;
}
