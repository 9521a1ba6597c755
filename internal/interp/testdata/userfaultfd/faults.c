// Many missing faults one after another, each resolved by a handler
// thread polling the userfaultfd and answering with UFFDIO_COPY, with a
// varying amount of work between them: whichever instruction a thread's
// turn ends at, a fault handed to the handler lets the handler run.
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/userfaultfd.h>

#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY 1
#endif

#define PAGES 1500

static long pg;
static int fd;
static char *area, *src;
static int faults, wrong;

static void *handler(void *arg)
{
	(void)arg;
	while (faults < PAGES) {
		struct pollfd p = { fd, POLLIN, 0 };
		struct uffd_msg m;
		if (poll(&p, 1, -1) != 1 || read(fd, &m, sizeof m) != sizeof m)
			continue;
		if (m.event != UFFD_EVENT_PAGEFAULT || m.arg.pagefault.flags != 0)
			wrong++;
		unsigned long page = m.arg.pagefault.address & ~(pg - 1);
		src[0] = (page - (unsigned long)area) / pg % 251;
		struct uffdio_copy c = { page, (unsigned long)src, pg, 0, 0 };
		if (ioctl(fd, UFFDIO_COPY, &c))
			wrong++;
		faults++;
	}
	return NULL;
}

int main(void)
{
	pg = sysconf(_SC_PAGESIZE);
	fd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY);
	struct uffdio_api api = { .api = UFFD_API };
	ioctl(fd, UFFDIO_API, &api);
	area = mmap(NULL, PAGES * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	src = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct uffdio_register r = { .range = { (unsigned long)area, PAGES * pg }, .mode = UFFDIO_REGISTER_MODE_MISSING };
	if (ioctl(fd, UFFDIO_REGISTER, &r))
		perror("register");
	pthread_t t;
	pthread_create(&t, NULL, handler, NULL);
	long sum = 0;
	volatile long work = 0;
	for (int i = 0; i < PAGES; i++) {
		for (int j = 0; j < i % 97; j++)
			work += j;
		sum += area[(long)i * pg];
	}
	pthread_join(t, NULL);
	printf("%d faults, %d wrong, sum %ld\n", faults, wrong, sum);
	return 0;
}
