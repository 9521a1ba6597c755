// title: The three phases of mmap
// title_zh: mmap 的三个阶段
// files: data.bin="Hello from the page cache! This file is mapped, not read.\n"
// args: data.bin
// engines: sim,real
// expect: exit 0
//
// mmap 分三个阶段完成（教程《Linux mmap完全剖析》）：
//   1. 在系统调用中：do_mmap 找到一段空闲范围（get_unmapped_area），
//      mmap_region 为它建立一个 vm_area_struct（虚拟内存区域）；
//   2. 仍在内核中：call_mmap 把这个区域交给文件自己的
//      mmap 处理函数（对普通文件是 generic_file_mmap：它只设置
//      区域的 vm_ops，不碰任何页）；
//   3. 之后，第一次访问时：缺页异常（handle_mm_fault ->
//      do_read_fault -> filemap_fault）把这一页调入并设置它的页表项。
// 程序表明：第一、二阶段之后，区域已经存在，但其中
// 没有任何页被映射；一次读就让它被映射。
#include <fcntl.h>
#include <playground.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	const char *path = argc > 1 ? argv[1] : "data.bin";
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		perror("open");
		return 1;
	}
	struct stat sb;
	if (fstat(fd, &sb) < 0) {
		perror("fstat");
		return 1;
	}
	printf("file size: %ld bytes\n", (long)sb.st_size);

	// 第一、二阶段：一个新的区域，并调用文件的 mmap 处理函数。
	char *p = mmap(NULL, sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	close(fd); // 映射自己持有对文件的引用
	checkpoint("mapped");
	printf("areas covering the mapping: %d\n", vma_count(p, sb.st_size));
	printf("present pages after mmap: %d\n", present_pages(p, sb.st_size));

	// 第三阶段：第一次读引起缺页异常，把这一页调入。
	char first = p[0];
	checkpoint("touched");
	printf("first byte: '%c'\n", first);
	printf("present pages after one read: %d\n", present_pages(p, sb.st_size));

	// 从此它就只是普通的内存。
	for (off_t i = 0; i < sb.st_size; i++)
		putchar(p[i]);

	munmap(p, sb.st_size);
	printf("areas after munmap: %d\n", vma_count(p, sb.st_size));
	return 0;
}
