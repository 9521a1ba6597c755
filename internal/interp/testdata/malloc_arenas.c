/* glibc's thread arenas: a thread's first malloc makes its own arena, a
 * 64 MiB heap aligned to its size; a thread that ends frees its arena for
 * the next; malloc_info, malloc_stats and mallinfo2 count every arena. */
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define HEAP_MAX (64UL << 20)

static uintptr_t base[2];

static void *work(void *arg)
{
	long n = (long)arg;
	char *p = malloc(100);
	base[n] = (uintptr_t)p & ~(HEAP_MAX - 1);
	printf("thread %ld: first malloc at its heap + %#lx\n", n, (unsigned long)((uintptr_t)p - base[n]));
	for (int i = 0; i < 2000; i++)
		if (!malloc(1000 * (n + 1)))
			return "malloc";
	return NULL;
}

int main(void)
{
	char *a = malloc(10);
	pthread_t t;
	pthread_create(&t, NULL, work, (void *)0);
	pthread_join(t, NULL);
	char *b = malloc(10);
	printf("main: two mallocs %ld bytes apart across pthread_create (its dtv)\n", (long)(b - a));
	pthread_create(&t, NULL, work, (void *)1);
	pthread_join(t, NULL);
	printf("the second thread %s the first's arena\n", base[0] == base[1] ? "reuses" : "does not reuse");
	free(malloc(300000));
	struct mallinfo2 mi = mallinfo2();
	printf("mallinfo2: arena %zu ordblks %zu hblks %zu uordblks %zu fordblks %zu keepcost %zu\n",
	       mi.arena, mi.ordblks, mi.hblks, mi.uordblks, mi.fordblks, mi.keepcost);
	printf("malloc_info(1) = %d\n", malloc_info(1, stdout));
	malloc_info(0, stdout);
	fflush(stdout);
	malloc_stats();
	return 0;
}
