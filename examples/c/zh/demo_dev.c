// title: A driver's mmap: /dev/demo_dev and remap_pfn_range (simulated kernel only)
// title_zh: 驱动的 mmap：/dev/demo_dev 与 remap_pfn_range（仅模拟内核）
// engines: sim
// native: no
// expect: exit 0
// from: the tutorial “Linux之mmap”
// from_zh: 教程《Linux之mmap》
//
// /dev/demo_dev 只存在于 playground 的模拟内核中。它就是
// 教程《Linux之mmap》中的字符设备：open() 用 kmalloc 分配一个 4096 字节的缓冲区，
// 它的 mmap 处理函数（在第二阶段由 call_mmap 调用）执行
//     vma->vm_flags |= VM_IO | VM_RESERVED;
//     remap_pfn_range(vma, vma->vm_start, virt_to_phys(buf) >> PAGE_SHIFT,
//                     vma->vm_end - vma->vm_start, vma->vm_page_prot);
// 因此页表项在 mmap 期间就已填好：该虚拟内存区域是
// VM_IO|VM_PFNMAP，每一页立即就已映射，访问时不会发生缺页异常。
// 请求映射超过设备那一页的大小会被拒绝，返回 EINVAL。
// 开头几行是教程《Linux之mmap》中的用户程序。
#include <errno.h>
#include <fcntl.h>
#include <playground.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void)
{
	int fd = open("/dev/demo_dev", O_RDWR);
	if (fd < 0) {
		perror("open /dev/demo_dev");
		return 1;
	}
	char *buf = mmap(NULL, 1024, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (buf == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	printf("present pages right after mmap: %d (remap_pfn_range filled the PTE)\n",
	       present_pages(buf, 1024));

	strcpy(buf, "written straight into the device's buffer");
	printf("buf: \"%s\"\n", buf);

	char *big = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (big == MAP_FAILED)
		printf("mmap of 8192 bytes of a 4096-byte device: %s\n", strerror(errno));

	// 对同一设备的第二个映射看到的是同一个缓冲区。
	char *again = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	if (again != MAP_FAILED)
		printf("a second mapping reads: \"%s\"\n", again);

	munmap(buf, 1024);
	close(fd);
	return 0;
}
