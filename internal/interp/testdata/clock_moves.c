// The clocks move with the program's own work: a loop spinning on
// CLOCK_MONOTONIC sees 30 ms pass in many reads, its CPU clock and
// /proc/uptime move with it, and the wall clock is a date (after 2025),
// which a new file's times are too.
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static long ns(struct timespec t) { return t.tv_sec * 1000000000L + t.tv_nsec; }

static double uptime(void) {
	char buf[64] = {0};
	int fd = open("/proc/uptime", O_RDONLY);
	if (fd < 0 || read(fd, buf, sizeof buf - 1) <= 0)
		return -1;
	close(fd);
	return atof(buf);
}

int main(void) {
	struct timespec a, b, c0, c1;
	double u0 = uptime();
	clock_gettime(CLOCK_MONOTONIC, &a);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
	long n = 0;
	volatile long spins = 0;
	do {
		for (int i = 0; i < 1000; i++)
			spins++;
		clock_gettime(CLOCK_MONOTONIC, &b);
		n++;
	} while (ns(b) - ns(a) < 30000000);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
	double u1 = uptime();
	printf("30 ms of spinning: %s\n", n > 1000 ? "more than 1000 reads" : "few reads");
	printf("the CPU clock moved: %s\n", ns(c1) > ns(c0) ? "yes" : "no");
	printf("/proc/uptime moved: %s\n", u1 > u0 ? "yes" : "no");
	time_t now = time(NULL);
	struct timeval tv;
	gettimeofday(&tv, NULL);
	clock_gettime(CLOCK_REALTIME, &a);
	printf("the wall clock is after 2025: %s\n", now > 1735689600 ? "yes" : "no");
	printf("time, gettimeofday and CLOCK_REALTIME agree: %s\n",
	       tv.tv_sec - now <= 1 && a.tv_sec - tv.tv_sec <= 1 && a.tv_sec >= now ? "yes" : "no");
	printf("CLOCK_MONOTONIC is not the wall clock: %s\n", ns(b) / 1000000000L < now - 86400 * 365 ? "yes" : "no");
	int fd = open("clock_moves.tmp", O_CREAT | O_RDWR | O_TRUNC, 0600);
	struct stat st;
	fstat(fd, &st);
	printf("a new file's mtime is now: %s\n", st.st_mtime >= now && st.st_mtime - now <= 1 ? "yes" : "no");
	close(fd);
	unlink("clock_moves.tmp");
	return 0;
}
