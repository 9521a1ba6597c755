/* Unix socket pairs (net/unix/af_unix.c) as this machine's kernel answers
 * them: socketpair's checks; each type's reads and writes (a stream's
 * bytes run together, a datagram's and a seqpacket's stay whole); how much
 * sk_sndbuf (net.core.wmem_default, 212992) holds by each skb's truesize;
 * what a closed or shut down peer gives, with SIGPIPE for a stream only;
 * and poll's events at each step. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *ename(int e)
{
	switch (e) {
	case EINVAL: return "EINVAL";
	case EFAULT: return "EFAULT";
	case EAGAIN: return "EAGAIN";
	case EPIPE: return "EPIPE";
	case ESPIPE: return "ESPIPE";
	case EBADF: return "EBADF";
	case ENOTSOCK: return "ENOTSOCK";
	case EMSGSIZE: return "EMSGSIZE";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case EAFNOSUPPORT: return "EAFNOSUPPORT";
	case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
	case ESOCKTNOSUPPORT: return "ESOCKTNOSUPPORT";
	case ECONNRESET: return "ECONNRESET";
	case ECONNREFUSED: return "ECONNREFUSED";
	case ENOTCONN: return "ENOTCONN";
	}
	return strerror(e);
}

static const char *prefix = "";

static void r(const char *name, long v)
{
	if (v < 0)
		printf("%s%s %s\n", prefix, name, ename(errno));
	else
		printf("%s%s %ld\n", prefix, name, v);
}

static long pl(int fd)
{
	struct pollfd p = {fd, POLLIN | POLLOUT | POLLRDHUP | POLLRDNORM | POLLWRNORM | POLLWRBAND, 0};
	poll(&p, 1, 0);
	return p.revents;
}

static char buf[65536];

static void kind(int type)
{
	int s[2];
	long tot, k;
	struct stat st;

	socketpair(AF_UNIX, type, 0, s);
	fstat(s[0], &st);
	r("fstat_mode", st.st_mode);
	r("poll_fresh", pl(s[0]));
	r("write_ab", write(s[0], "ab", 2));
	r("write_cd", write(s[0], "cd", 2));
	r("poll_data", pl(s[1]));
	r("read_10", read(s[1], buf, 10));
	r("read_1", recv(s[1], buf, 1, MSG_DONTWAIT));
	r("read_1b", recv(s[1], buf, 1, MSG_DONTWAIT));
	r("send_flags", send(s[0], "x", 1, MSG_NOSIGNAL | MSG_DONTWAIT));
	r("recv_peek", recv(s[1], buf, 1, MSG_PEEK));
	r("recv", recv(s[1], buf, 1, MSG_DONTWAIT));
	r("write_0", write(s[0], "", 0));
	r("poll_after_0", pl(s[1]));
	r("read_0", read(s[1], buf, 0));
	r("recv_0", recv(s[1], buf, 0, MSG_DONTWAIT));
	r("write_efgh", write(s[0], "efgh", 4));
	r("recv_trunc", recv(s[1], buf, 2, MSG_TRUNC | MSG_DONTWAIT));
	r("recv_rest", recv(s[1], buf, 10, MSG_DONTWAIT));
	r("lseek", lseek(s[0], 0, SEEK_SET));
	r("pread", pread(s[0], buf, 1, 0));
	r("getfl", fcntl(s[0], F_GETFL));
	fcntl(s[0], F_SETFL, O_NONBLOCK);
	tot = 0;
	while ((k = write(s[0], buf, 4096)) > 0)
		tot += k;
	r("fill4096_total", tot);
	r("fill4096_err", k);
	r("poll_full", pl(s[0]));
	r("read_one", read(s[1], buf, 4096));
	r("poll_one_read", pl(s[0]));
	close(s[0]);
	close(s[1]);

	socketpair(AF_UNIX, type, 0, s);
	fcntl(s[0], F_SETFL, O_NONBLOCK);
	tot = 0;
	while ((k = write(s[0], buf, 1)) > 0)
		tot += k;
	r("fill1_total", tot);
	close(s[0]);
	close(s[1]);

	socketpair(AF_UNIX, type, 0, s);
	fcntl(s[0], F_SETFL, O_NONBLOCK);
	for (int i = 0; i < 5; i++)
		r("write_65536", write(s[0], buf, 65536));
	/* 64 KiB of data, then a page not mapped: a longer write faults
	 * past what was sent. */
	char *edge = mmap(NULL, 65536 + 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(edge + 65536, 4096);
	r("write_212960", write(s[1], edge, 212960));
	r("write_212961", write(s[1], edge, 212961));
	munmap(edge, 65536);
	close(s[0]);
	close(s[1]);

	socketpair(AF_UNIX, type, 0, s);
	write(s[0], "hello", 5);
	close(s[0]);
	r("closed_poll", pl(s[1]));
	r("closed_read", recv(s[1], buf, 10, MSG_DONTWAIT));
	r("closed_read2", recv(s[1], buf, 10, MSG_DONTWAIT));
	r("closed_write", write(s[1], "x", 1));
	r("closed_write2", write(s[1], "x", 1));
	close(s[1]);

	socketpair(AF_UNIX, type, 0, s);
	write(s[1], "unread", 6);
	close(s[0]);
	r("reset_poll", pl(s[1]));
	r("reset_read", recv(s[1], buf, 10, MSG_DONTWAIT));
	r("reset_read2", recv(s[1], buf, 10, MSG_DONTWAIT));
	close(s[1]);

	socketpair(AF_UNIX, type, 0, s);
	r("shut_bad", shutdown(s[0], 3));
	r("shut_neg", shutdown(s[0], -1));
	write(s[0], "z", 1);
	r("shut_wr", shutdown(s[0], SHUT_WR));
	r("shut_wr_poll0", pl(s[0]));
	r("shut_wr_poll1", pl(s[1]));
	r("shut_wr_write", write(s[0], "x", 1));
	r("shut_wr_peer_read", recv(s[1], buf, 10, MSG_DONTWAIT));
	r("shut_wr_peer_read2", recv(s[1], buf, 10, MSG_DONTWAIT));
	r("shut_wr_peer_write", write(s[1], "y", 1));
	r("shut_wr_read", recv(s[0], buf, 10, MSG_DONTWAIT));
	r("shut_rd", shutdown(s[1], SHUT_RD));
	r("shut_rd_poll1", pl(s[1]));
	r("shut_rd_read", recv(s[1], buf, 10, MSG_DONTWAIT));
	r("shut_rd_poll0", pl(s[0]));
	r("shut_rdwr", shutdown(s[0], SHUT_RDWR));
	r("shut_rdwr_poll0", pl(s[0]));
	close(s[0]);
	close(s[1]);

	socketpair(AF_UNIX, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, s);
	r("nonblock_getfl", fcntl(s[0], F_GETFL));
	r("cloexec_getfd", fcntl(s[0], F_GETFD));
	r("nonblock_read", read(s[0], buf, 1));
	close(s[0]);
	close(s[1]);

	/* Which ends of a peer gone die of SIGPIPE: closed, shut for
	 * writing, the peer shut for reading. */
	for (int how = 0; how < 3; how++) {
		char n[32];
		int status;
		socketpair(AF_UNIX, type, 0, s);
		if (how == 0)
			close(s[1]);
		else if (how == 1)
			shutdown(s[0], SHUT_WR);
		else
			shutdown(s[1], SHUT_RD);
		fflush(stdout);
		pid_t c = fork();
		if (c == 0) {
			signal(SIGPIPE, SIG_DFL);
			snprintf(n, sizeof n, "sigpipe%d_child", how);
			r(n, write(s[0], "x", 1));
			fflush(stdout);
			_exit(0);
		}
		waitpid(c, &status, 0);
		snprintf(n, sizeof n, "sigpipe%d_status", how);
		r(n, WIFSIGNALED(status) ? 1000 + WTERMSIG(status) : WEXITSTATUS(status));
		snprintf(n, sizeof n, "sigpipe%d_nosignal", how);
		r(n, send(s[0], "x", 1, MSG_NOSIGNAL));
		close(s[0]);
		if (how)
			close(s[1]);
	}
}

int main(void)
{
	int s[2];

	signal(SIGPIPE, SIG_IGN);
	r("bad_family", socketpair(AF_INET, SOCK_STREAM, 0, s));
	r("big_family", socketpair(99, SOCK_STREAM, 0, s));
	r("bad_type", socketpair(AF_UNIX, 99, 0, s));
	r("rdm", socketpair(AF_UNIX, SOCK_RDM, 0, s));
	r("raw", socketpair(AF_UNIX, SOCK_RAW, 0, s));
	close(s[0]);
	close(s[1]);
	r("proto", socketpair(AF_UNIX, SOCK_STREAM, 1, s));
	close(s[0]);
	close(s[1]);
	r("proto2", socketpair(AF_UNIX, SOCK_STREAM, 2, s));
	r("flags", socketpair(AF_UNIX, SOCK_STREAM | 0x100000, 0, s));
	r("efault", socketpair(AF_UNIX, SOCK_STREAM, 0, (int *)8));
	r("efault_inet", socketpair(AF_INET, SOCK_STREAM, 0, (int *)8));
	r("lowest_fds", socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	printf("fds %d %d\n", s[0], s[1]);
	close(s[0]);
	close(s[1]);
	prefix = "stream_";
	kind(SOCK_STREAM);
	prefix = "dgram_";
	kind(SOCK_DGRAM);
	prefix = "seqpacket_";
	kind(SOCK_SEQPACKET);
	prefix = "";
	r("shut_notsock", shutdown(0, SHUT_RD));
	r("shut_badfd", shutdown(99, SHUT_RD));
	r("send_notsock", send(0, "x", 1, 0));
	r("recv_badfd", recv(99, buf, 1, 0));
	socketpair(AF_UNIX, SOCK_STREAM, 0, s);
	r("send_efault", send(s[0], (void *)8, 1, 0));
	write(s[0], "a", 1);
	r("recv_efault", recv(s[1], (void *)8, 1, 0));
	r("recv_after_efault", recv(s[1], buf, 1, MSG_DONTWAIT));
	return 0;
}
