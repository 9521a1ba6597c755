/* errno is each thread's own, in its TLS block: 128 bytes below its
   descriptor, as glibc keeps it on x86-64. */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <unistd.h>

static sem_t set, checked;

static void *worker(void *arg)
{
	errno = 0;
	close(-1); /* EBADF, in this thread */
	printf("worker: %d, %ld below its descriptor\n", errno, (long)((char *)pthread_self() - (char *)&errno));
	sem_post(&set);
	sem_wait(&checked);
	printf("worker after main's call: %d\n", errno);
	return NULL;
}

int main(void)
{
	pthread_t t;
	sem_init(&set, 0, 0);
	sem_init(&checked, 0, 0);
	errno = 0;
	pthread_create(&t, NULL, worker, NULL);
	sem_wait(&set);
	printf("main: %d, %ld below its descriptor\n", errno, (long)((char *)pthread_self() - (char *)&errno));
	write(-1, "", 0); /* EBADF, in main */
	errno = ENOENT;
	sem_post(&checked);
	pthread_join(t, NULL);
	printf("main: %d %d\n", errno == ENOENT, __errno_location() == &errno);
	return 0;
}
