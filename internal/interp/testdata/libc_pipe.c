/* Pipes and eventfds between processes: a child writes, the parent reads
 * until end of file; the errors Linux gives (EAGAIN, EPIPE with SIGPIPE
 * ignored, ESPIPE); an eventfd as a counter and as a semaphore. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int fds[2], status;
	char buf[64];
	long n;
	struct stat st;

	if (pipe(fds) == -1) {
		perror("pipe");
		return 1;
	}
	fstat(fds[0], &st);
	printf("fifo: %d\n", S_ISFIFO(st.st_mode));
	n = lseek(fds[0], 0, SEEK_SET);
	printf("lseek: %ld %s\n", n, strerror(errno));
	fflush(stdout);
	pid_t child = fork();
	if (child == 0) {
		close(fds[0]);
		for (int i = 0; i < 3; i++) {
			snprintf(buf, sizeof(buf), "line %d\n", i);
			write(fds[1], buf, strlen(buf));
			usleep(1000);
		}
		_exit(0);
	}
	close(fds[1]);
	long total = 0;
	while ((n = read(fds[0], buf, sizeof(buf))) > 0)
		total += n;
	printf("read %ld bytes, then %ld (end of file)\n", total, n);
	waitpid(child, &status, 0);
	close(fds[0]);

	pipe2(fds, O_NONBLOCK);
	n = read(fds[0], buf, 1);
	printf("empty, nonblocking: %ld %s\n", n, strerror(errno));
	close(fds[0]);
	signal(SIGPIPE, SIG_IGN);
	n = write(fds[1], "x", 1);
	printf("no reader: %ld %s\n", n, strerror(errno));
	close(fds[1]);

	int efd = eventfd(3, EFD_SEMAPHORE | EFD_NONBLOCK);
	uint64_t v = 0;
	for (int i = 0; i < 4; i++) {
		n = read(efd, &v, sizeof(v));
		printf("semaphore read: %ld %llu\n", n, (unsigned long long)v);
	}
	printf("then: %s\n", strerror(errno));
	v = 5;
	write(efd, &v, sizeof(v));
	write(efd, &v, sizeof(v));
	close(efd);
	efd = eventfd(0, 0);
	v = 7;
	write(efd, &v, 8);
	write(efd, &v, 8);
	read(efd, &v, 8);
	printf("counter: %llu\n", (unsigned long long)v);
	n = read(efd, &v, 4);
	printf("short read: %ld %s\n", n, strerror(errno));
	return 0;
}
