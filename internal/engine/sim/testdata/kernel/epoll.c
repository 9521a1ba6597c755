// epoll.c: epoll_create1, epoll_ctl and epoll_wait as this machine's
// kernel answers them (sim's TestEpoll makes the same calls on the model).
// Each line is "name value": a result (the events and data of what
// epoll_wait returned), or the errno's name.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

static void r(const char *name, long v) {
	if (v >= 0) {
		printf("%s %ld\n", name, v);
		return;
	}
	const char *e = strerror(errno);
	switch (errno) {
	case EINVAL: e = "EINVAL"; break;
	case EBADF: e = "EBADF"; break;
	case EPERM: e = "EPERM"; break;
	case EEXIST: e = "EEXIST"; break;
	case ENOENT: e = "ENOENT"; break;
	case EFAULT: e = "EFAULT"; break;
	}
	printf("%s %s\n", name, e);
}

static int ctl(int ep, int op, int fd, unsigned events, unsigned long data) {
	struct epoll_event ev = {.events = events, .data.u64 = data};
	return epoll_ctl(ep, op, fd, &ev);
}

static void wait(const char *name, int ep, int max) {
	struct epoll_event evs[8];
	int n = epoll_wait(ep, evs, max, 0);
	if (n < 0) {
		r(name, n);
		return;
	}
	printf("%s %d", name, n);
	for (int i = 0; i < n; i++)
		printf(" %x:%lu", evs[i].events, (unsigned long)evs[i].data.u64);
	printf("\n");
}

int main(void) {
	char tmp[] = "/tmp/epollc-XXXXXX";
	if (!mkdtemp(tmp) || chdir(tmp) != 0)
		return 1;
	int file = open("data.bin", O_RDWR | O_CREAT, 0644), pfd[2];
	pipe(pfd);
	r("create1_bad_flags", epoll_create1(1));
	r("create_zero", epoll_create(0));
	int ep = epoll_create1(EPOLL_CLOEXEC);
	r("cloexec", fcntl(ep, F_GETFD));
	r("getfl", fcntl(ep, F_GETFL));
	r("add_file", ctl(ep, EPOLL_CTL_ADD, file, EPOLLIN, 0));
	r("add_dir", ctl(ep, EPOLL_CTL_ADD, open(".", O_RDONLY), EPOLLIN, 0));
	r("add_self", ctl(ep, EPOLL_CTL_ADD, ep, EPOLLIN, 0));
	r("add_not_epoll", ctl(pfd[0], EPOLL_CTL_ADD, pfd[1], EPOLLIN, 0));
	r("add_badfd", ctl(ep, EPOLL_CTL_ADD, 99, EPOLLIN, 0));
	r("add_bad_epfd", ctl(99, EPOLL_CTL_ADD, pfd[0], EPOLLIN, 0));
	r("add_fault", epoll_ctl(ep, EPOLL_CTL_ADD, pfd[0], (void *)8));
	r("del_fault_ignored", epoll_ctl(ep, EPOLL_CTL_DEL, pfd[0], (void *)8));
	r("add_exclusive_pri", ctl(ep, EPOLL_CTL_ADD, pfd[0], EPOLLEXCLUSIVE | EPOLLPRI, 0));
	r("add", ctl(ep, EPOLL_CTL_ADD, pfd[0], EPOLLIN, 7));
	r("add_again", ctl(ep, EPOLL_CTL_ADD, pfd[0], EPOLLIN, 7));
	r("mod_missing", ctl(ep, EPOLL_CTL_MOD, pfd[1], EPOLLOUT, 0));
	r("del_missing", ctl(ep, EPOLL_CTL_DEL, pfd[1], 0, 0));
	r("mod_exclusive", ctl(ep, EPOLL_CTL_MOD, pfd[0], EPOLLIN | EPOLLEXCLUSIVE, 0));
	r("bad_op", ctl(ep, 99, pfd[0], EPOLLIN, 0));
	wait("wait_none", ep, 8);
	wait("wait_max0", ep, 0);
	wait("wait_badfd", 99, 8);
	wait("wait_not_epoll", pfd[0], 8);
	r("wait_fault", epoll_wait(ep, (void *)-4096L, 8, 0));
	write(pfd[1], "x", 1);
	wait("wait_readable", ep, 8);
	r("add_write_end", ctl(ep, EPOLL_CTL_ADD, pfd[1], EPOLLOUT, 8));
	wait("wait_two", ep, 8);
	wait("wait_max1", ep, 1);
	r("mod", ctl(ep, EPOLL_CTL_MOD, pfd[0], EPOLLOUT, 9));
	wait("wait_modded", ep, 8);
	int efd = eventfd(1, 0);
	r("add_oneshot", ctl(ep, EPOLL_CTL_ADD, efd, EPOLLIN | EPOLLONESHOT, 10));
	wait("wait_oneshot", ep, 8);
	wait("wait_oneshot_disarmed", ep, 8);
	r("del", ctl(ep, EPOLL_CTL_DEL, pfd[1], 0, 0));
	struct pollfd pf = {.fd = ep, .events = POLLIN};
	r("poll_epoll", poll(&pf, 1, 0));
	r("poll_epoll_revents", pf.revents);
	r("mod_back", ctl(ep, EPOLL_CTL_MOD, pfd[0], EPOLLIN, 11));
	wait("wait_mod_back", ep, 8);
	close(pfd[0]);
	wait("wait_closed", ep, 8);
	unlink("data.bin");
	rmdir(tmp);
	return 0;
}
