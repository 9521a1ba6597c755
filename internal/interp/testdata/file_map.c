#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <errno.h>
#include <sys/mman.h>
#include <sys/stat.h>

int main(int argc, char *argv[])
{
	int fd = open(argv[1], O_RDWR);
	if (fd < 0) { perror("open"); return 1; }
	struct stat sb;
	if (fstat(fd, &sb) == -1) { perror("fstat"); return 1; }
	printf("size %ld regular %d\n", (long)sb.st_size, S_ISREG(sb.st_mode));
	char *m = mmap(NULL, sb.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED) { perror("mmap"); return 1; }
	printf("first %.16s\n", m);
	memcpy(m, "HELLO", 5);
	if (msync(m, sb.st_size, MS_SYNC) == -1) perror("msync");
	char buf[17];
	memset(buf, 0, sizeof buf);
	if (pread(fd, buf, 16, 0) != 16) perror("pread");
	printf("pread %s\n", buf);
	if (mmap(NULL, 0, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED)
		printf("zero length: %s (errno %d)\n", strerror(errno), errno);
	if (mmap(NULL, 4096, PROT_READ, MAP_SHARED, 99, 0) == MAP_FAILED)
		perror("mmap bad fd");
	munmap(m, sb.st_size);
	close(fd);
	if (open("nosuchfile", O_RDONLY) < 0)
		perror("open nosuchfile");
	return 0;
}
