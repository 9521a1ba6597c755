// title: Shared and private mappings, copy-on-write
// title_zh: 共享映射、私有映射与写时复制
// files: data.bin="original text\n"
// engines: sim,real
// expect: exit 0
//
// 同一个文件映射两次：MAP_SHARED 和 MAP_PRIVATE。
//   - 通过私有映射写入是一次写时复制缺页异常
//     （do_cow_fault）：进程得到这一页自己的副本，文件
//     永远看不到这次修改。
//   - 通过共享映射写入，弄脏的是页缓存中的页本身
//     （do_shared_fault）：该文件的每个映射以及 read() 都能看到。
//   - 复制之后，私有页不再跟随文件变化。
#include <fcntl.h>
#include <playground.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define LEN 4096

void show(const char *who, const char *p)
{
	printf("%s ", who);
	for (int i = 0; p[i] != '\n' && i < 40; i++)
		putchar(p[i]);
	putchar('\n');
}

void show_file(int fd)
{
	char buf[64];
	memset(buf, 0, sizeof buf);
	pread(fd, buf, sizeof buf - 1, 0);
	show("file:   ", buf);
}

int main(void)
{
	int fd = open("data.bin", O_RDWR);
	if (fd < 0) {
		perror("open");
		return 1;
	}
	char *shared = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char *private = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (shared == MAP_FAILED || private == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	show("shared: ", shared);
	show("private:", private);

	printf("\n-- write \"PRIVATE\" through the private mapping (copy-on-write)\n");
	memcpy(private, "PRIVATE", 7);
	show("shared: ", shared);
	show("private:", private);
	show_file(fd);

	printf("\n-- write \"SHARED\" through the shared mapping (the page cache page)\n");
	memcpy(shared, "SHARED", 6);
	show("shared: ", shared);
	show("private:", private);
	show_file(fd);

	munmap(shared, LEN);
	munmap(private, LEN);
	close(fd);
	return 0;
}
