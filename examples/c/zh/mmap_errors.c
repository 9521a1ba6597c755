// title: do_mmap's checks, one errno each
// title_zh: do_mmap 的参数检查与错误码
// files: data.bin="some data\n"
// engines: sim,real
// expect: exit 0
//
// 在映射任何东西之前，do_mmap 逐一检查它的参数
// （mm/mmap.c），不合要求就返回一个 errno 拒绝。每项检查调用一次；
// 每行打印哪里错了，以及 strerror(errno) 怎么说。
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096

void report(const char *errname, const char *what, void *ret)
{
	if (ret == MAP_FAILED)
		printf("%s: %s: %s\n", errname, what, strerror(errno));
	else
		printf("%s: %s: mapped, unexpectedly\n", errname, what);
}

int main(void)
{
	int rdonly = open("data.bin", O_RDONLY);
	int wronly = open("data.bin", O_WRONLY);
	int dir = open(".", O_RDONLY);
	if (rdonly < 0 || wronly < 0 || dir < 0) {
		perror("open");
		return 1;
	}

	// if (!len) return -EINVAL;
	report("EINVAL", "length 0", mmap(NULL, 0, PROT_READ, MAP_PRIVATE, rdonly, 0));
	// switch (flags & MAP_TYPE) ... default: return -EINVAL;
	report("EINVAL", "neither MAP_SHARED nor MAP_PRIVATE",
	       mmap(NULL, PAGE, PROT_READ, 0, rdonly, 0));
	// 偏移量必须是页大小的整数倍
	report("EINVAL", "offset 100, not page-aligned",
	       mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, rdonly, 100));
	// fget(fd) 找不到文件
	report("EBADF", "fd 99 is not open", mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, 99, 0));
	// 带 PROT_WRITE 的 MAP_SHARED 需要 FMODE_WRITE
	report("EACCES", "shared writable mapping of an O_RDONLY fd",
	       mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, rdonly, 0));
	// 每个文件映射都需要 FMODE_READ
	report("EACCES", "mapping of an O_WRONLY fd",
	       mmap(NULL, PAGE, PROT_READ, MAP_SHARED, wronly, 0));
	// if (!file->f_op->mmap) return -ENODEV;
	report("ENODEV", "a directory has no mmap handler",
	       mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, dir, 0));
	// get_unmapped_area 找不到这么长的空闲范围
	report("ENOMEM", "256 TiB is more than the address space",
	       mmap(NULL, 1UL << 48, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));

	// MAP_FIXED_NOREPLACE 覆盖一个已有的虚拟内存区域
	char *p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	report("EEXIST", "MAP_FIXED_NOREPLACE over an existing area",
	       mmap(p, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0));
	munmap(p, PAGE);

	// 偏移量大到 offset + length 超过了最大文件大小
	report("EOVERFLOW", "offset 2^63 - 4096",
	       mmap(NULL, 2 * PAGE, PROT_READ, MAP_PRIVATE, rdonly, 0x7ffffffffffff000L));

	close(rdonly);
	close(wronly);
	close(dir);
	return 0;
}
