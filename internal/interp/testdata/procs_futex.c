/* The PI futexes and futex_waitv (their answers on one thread, a
 * mismatched FUTEX_CMP_REQUEUE_PI, a lock handed over at unlock), a barrier
 * destroyed by the round's last thread, kcmp, and execve's lookups. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <linux/kcmp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define R(e) do { errno = 0; long r_ = (e); printf("%-60s = %ld %s\n", #e, r_, r_ < 0 ? strerror(errno) : ""); } while (0)

static uint32_t pi, f1, f2;
static pthread_barrier_t barrier;

static long futex(uint32_t *u, int op, uint32_t val, struct timespec *ts, uint32_t *u2, uint32_t val3)
{
	return syscall(SYS_futex, u, op, val, ts, u2, val3);
}

static struct timespec *soon(clockid_t c, struct timespec *ts)
{
	clock_gettime(c, ts);
	ts->tv_nsec += 100000;
	if (ts->tv_nsec >= 1000000000) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000;
	}
	return ts;
}

struct waitv {
	uint64_t val, uaddr;
	uint32_t flags, reserved;
};

static long wret = -2;

static void *waiter(void *arg)
{
	wret = futex(&f1, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	return NULL;
}

static long lret;
static int lerrno;

static void *locker(void *arg)
{
	struct timespec rel = {0, 100000};
	pthread_barrier_wait(&barrier);
	long r = futex(&pi, FUTEX_LOCK_PI, 0, NULL, NULL, 0);
	printf("locker: lock_pi %ld, owner is me %d\n", r, (pi & FUTEX_TID_MASK) == (uint32_t)syscall(SYS_gettid));
	futex(&pi, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0);
	pthread_barrier_wait(&barrier);
	/* Its result is main's to print, after main's own line: the 100 us
	 * wait can end before main runs again on a loaded machine. */
	lret = futex(&f2, FUTEX_WAIT, 0, &rel, NULL, 0);
	lerrno = errno;
	return NULL;
}

int main(void)
{
	struct timespec ts;
	uint32_t tid = syscall(SYS_gettid);

	/* One thread. */
	R(futex(&pi, FUTEX_LOCK_PI, 0, NULL, NULL, 0));
	printf("owner is me %d\n", pi == tid);
	R(futex(&pi, FUTEX_LOCK_PI, 0, NULL, NULL, 0));
	R(futex(&pi, FUTEX_TRYLOCK_PI, 0, NULL, NULL, 0));
	R(futex(&pi, FUTEX_LOCK_PI | FUTEX_CLOCK_REALTIME, 0, NULL, NULL, 0));
	R(futex(&pi, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0));
	printf("pi %u\n", pi);
	R(futex(&pi, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0));
	R(futex(&pi, FUTEX_TRYLOCK_PI, 0, NULL, NULL, 0));
	R(futex(&pi, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0));
	pi = 1; /* owned by a tid that is not ours */
	R(futex(&pi, FUTEX_TRYLOCK_PI, 0, NULL, NULL, 0));
	R(futex(&pi, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0));
	pi = 0;
	R(futex((uint32_t *)((char *)&pi + 1), FUTEX_LOCK_PI, 0, NULL, NULL, 0));
	R(futex(&f1, FUTEX_WAIT_REQUEUE_PI, 1, NULL, &pi, 0));
	R(futex(&f1, FUTEX_WAIT_REQUEUE_PI, 0, NULL, &f1, 0));
	R(futex(&f1, FUTEX_WAIT_REQUEUE_PI, 0, soon(CLOCK_MONOTONIC, &ts), &pi, 0));
	R(futex(&f1, FUTEX_WAIT_REQUEUE_PI | FUTEX_CLOCK_REALTIME, 0, soon(CLOCK_REALTIME, &ts), &pi, 0));
	R(futex(&f1, FUTEX_CMP_REQUEUE_PI, 2, (void *)1, &pi, 0));
	R(futex(&f1, FUTEX_CMP_REQUEUE_PI, 1, (void *)1, &pi, 5));
	R(futex(&f1, FUTEX_CMP_REQUEUE_PI, 1, (void *)1, &pi, 0));

	struct waitv wv = {.val = 0, .uaddr = (uintptr_t)&f1, .flags = FUTEX_32};
	R(syscall(SYS_futex_waitv, &wv, 1, 0, soon(CLOCK_MONOTONIC, &ts), CLOCK_MONOTONIC));
	R(syscall(SYS_futex_waitv, &wv, 1, 0, soon(CLOCK_REALTIME, &ts), CLOCK_REALTIME));
	R(syscall(SYS_futex_waitv, &wv, 0, 0, NULL, CLOCK_MONOTONIC));
	R(syscall(SYS_futex_waitv, &wv, 129, 0, NULL, CLOCK_MONOTONIC));
	R(syscall(SYS_futex_waitv, &wv, 1, 1, NULL, CLOCK_MONOTONIC));
	R(syscall(SYS_futex_waitv, &wv, 1, 0, soon(CLOCK_BOOTTIME, &ts), CLOCK_BOOTTIME));
	wv.val = 1;
	R(syscall(SYS_futex_waitv, &wv, 1, 0, NULL, CLOCK_MONOTONIC));
	wv.val = 0, wv.flags = 0;
	R(syscall(SYS_futex_waitv, &wv, 1, 0, NULL, CLOCK_MONOTONIC));
	wv.flags = FUTEX_32, wv.reserved = 1;
	R(syscall(SYS_futex_waitv, &wv, 1, 0, NULL, CLOCK_MONOTONIC));

	/* A FUTEX_WAIT waiter is not FUTEX_CMP_REQUEUE_PI's to move; a
	 * private waiter is not a shared operation's to find. */
	pthread_t t;
	pthread_create(&t, NULL, waiter, NULL);
	/* Until the waiter waits: before, there is no waiter to refuse. */
	long r;
	while ((r = futex(&f1, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, (void *)1, &pi, 0)) == 0)
		usleep(1000);
	printf("FUTEX_CMP_REQUEUE_PI_PRIVATE with a FUTEX_WAIT waiter: %ld %s\n", r, strerror(errno));
	R(futex(&f1, FUTEX_CMP_REQUEUE_PI, 1, (void *)1, &pi, 0));
	R(futex(&f1, FUTEX_WAKE, 1, NULL, NULL, 0));
	R(futex(&f1, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
	pthread_join(t, NULL);
	printf("waiter: futex_wait %ld\n", wret);

	/* A PI futex handed over at unlock; a barrier destroyed at once. */
	pthread_barrier_init(&barrier, NULL, 2);
	R(futex(&pi, FUTEX_LOCK_PI, 0, NULL, NULL, 0));
	pthread_create(&t, NULL, locker, NULL);
	pthread_barrier_wait(&barrier);
	while (!(__atomic_load_n(&pi, __ATOMIC_SEQ_CST) & FUTEX_WAITERS))
		usleep(1000); /* until the locker waits */
	printf("waiters bit %d\n", (pi & FUTEX_WAITERS) != 0);
	long unlocked = futex(&pi, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0);
	pthread_barrier_wait(&barrier); /* after the locker's line */
	printf("unlock_pi with a waiter: %ld\n", unlocked);
	pthread_barrier_destroy(&barrier);
	pthread_join(t, NULL);
	printf("locker: after a destroyed barrier, futex_wait %ld %s\n", lret, strerror(lerrno));

	/* kcmp. */
	int fd = open("data.bin", O_RDONLY), fd2 = open("data.bin", O_RDONLY), fd3 = dup(fd);
	pid_t me = getpid();
	R(syscall(SYS_kcmp, me, me, KCMP_FILE, fd, fd3));
	R(syscall(SYS_kcmp, me, me, KCMP_FILE, fd, fd2) > 0);
	R(syscall(SYS_kcmp, me, me, KCMP_VM, 0, 0));
	R(syscall(SYS_kcmp, me, me, KCMP_FILES, 0, 0));
	R(syscall(SYS_kcmp, me, me, KCMP_FILE, fd, 99));
	R(syscall(SYS_kcmp, me, 99999, KCMP_VM, 0, 0));
	R(syscall(SYS_kcmp, me, me, 99, 0, 0));
	int p[2];
	pipe(p);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		char x;
		read(p[0], &x, 1);
		_exit(0);
	}
	R(syscall(SYS_kcmp, me, c, KCMP_FILE, fd, fd));
	R(syscall(SYS_kcmp, me, c, KCMP_VM, 0, 0) > 0);
	R(syscall(SYS_kcmp, me, c, KCMP_FILES, 0, 0) > 0);
	R(syscall(SYS_kcmp, me, c, KCMP_VM, 0, 0) == syscall(SYS_kcmp, me, c, KCMP_VM, 0, 0));
	write(p[1], "x", 1);
	wait(NULL);

	/* execve's lookups. */
	char *argv[] = {"x", NULL};
	R(execve("no-such-program", argv, NULL));
	R(execve("data.bin", argv, NULL));
	R(execve(".", argv, NULL));
	R(execve("/dev/null", argv, NULL));
	return 0;
}
