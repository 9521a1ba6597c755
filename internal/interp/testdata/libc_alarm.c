// alarm, setitimer and getitimer (ITIMER_REAL, ITIMER_VIRTUAL): what each
// answers, SIGALRM at the clock's time, waking pause, ending sleep and
// nanosleep early (EINTR, the time left), an interval timer firing while
// a loop spins, and SIGALRM's default action ending a loop that makes no
// call.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
static volatile int got;
static void h(int s) { got++; }
static long ms(struct timespec a, struct timespec b) { return ((b.tv_sec - a.tv_sec) * 1000000000L + b.tv_nsec - a.tv_nsec) / 1000000; }
int main(void) {
	setvbuf(stdout, NULL, _IONBF, 0);
	signal(SIGALRM, h);
	printf("alarm(0) first: %u\n", alarm(0));
	printf("alarm(5): %u\n", alarm(5));
	printf("alarm(2) after it: %u\n", alarm(2));
	struct itimerval v;
	getitimer(ITIMER_REAL, &v);
	printf("getitimer: interval %ld.%06ld, value about %ld s\n", (long)v.it_interval.tv_sec, (long)v.it_interval.tv_usec, (long)(v.it_value.tv_sec + (v.it_value.tv_usec > 500000)));
	printf("alarm(0) cancels: %u\n", alarm(0));
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	alarm(1);
	int r = pause();
	int e = errno;
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("pause: %d %s, handler ran %d time(s), after about %ld s\n", r, strerror(e), got, (ms(a, b) + 500) / 1000);
	alarm(1);
	unsigned left = sleep(3);
	printf("sleep(3) with alarm(1): %s left, handler %d\n", left == 1 || left == 2 ? "1 or 2 s" : "not 1 or 2 s", got);
	struct timespec ts = {3, 0}, rem = {0, 0};
	alarm(1);
	r = nanosleep(&ts, &rem);
	e = errno;
	printf("nanosleep(3 s): %d %s, about %ld s left, handler %d\n", r, strerror(e), (long)(rem.tv_sec + (rem.tv_nsec > 500000000)), got);
	struct itimerval it = {{0, 50000}, {0, 50000}}, old;
	setitimer(ITIMER_REAL, &it, NULL);
	clock_gettime(CLOCK_MONOTONIC, &a);
	volatile long spins = 0;
	while (got < 7) {
		spins++;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("a 50 ms interval timer, spinning: handler %d, after 200 ms or more: %s\n", got, ms(a, b) >= 199 ? "yes" : "no");
	setitimer(ITIMER_REAL, NULL, &old);
	printf("setitimer NULL: old interval %ld.%06ld\n", (long)old.it_interval.tv_sec, (long)old.it_interval.tv_usec);
	getitimer(ITIMER_REAL, &v);
	printf("then: %ld %ld %ld %ld\n", (long)v.it_interval.tv_sec, (long)v.it_interval.tv_usec, (long)v.it_value.tv_sec, (long)v.it_value.tv_usec);
	errno = 0;
	r = setitimer(3, &it, NULL);
	printf("setitimer(3): %d %s\n", r, strerror(errno));
	struct itimerval bad = {{0, 1000000}, {1, 0}};
	errno = 0;
	r = setitimer(ITIMER_REAL, &bad, NULL);
	printf("setitimer usec 1000000: %d %s\n", r, strerror(errno));
	errno = 0;
	r = getitimer(5, &v);
	printf("getitimer(5): %d %s\n", r, strerror(errno));
	struct itimerval vt = {{0, 0}, {0, 100000}};
	got = 0;
	signal(SIGVTALRM, h);
	setitimer(ITIMER_VIRTUAL, &vt, NULL);
	while (!got) {
	}
	printf("ITIMER_VIRTUAL: handler %d\n", got);
	signal(SIGALRM, SIG_DFL);
	struct itimerval once = {{0, 0}, {0, 10000}};
	setitimer(ITIMER_REAL, &once, NULL);
	for (;;) {
	}
}
