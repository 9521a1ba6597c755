// title: A driver's mmap: /dev/demo_dev and remap_pfn_range (simulated kernel only)
// title_zh: 驱动的 mmap：/dev/demo_dev 与 remap_pfn_range（仅模拟内核）
// engines: sim
// native: no
// expect: exit 0
// from: the tutorial “Linux之mmap”
// from_zh: 教程《Linux之mmap》
//
// /dev/demo_dev exists only in the playground's simulated kernel. It is
// the character device in the tutorial “Linux之mmap”: open() kmallocs a 4096-byte buffer, and
// its mmap handler, called by call_mmap in phase 2, does
//     vma->vm_flags |= VM_IO | VM_RESERVED;
//     remap_pfn_range(vma, vma->vm_start, virt_to_phys(buf) >> PAGE_SHIFT,
//                     vma->vm_end - vma->vm_start, vma->vm_page_prot);
// so the page-table entries are filled during mmap itself: the area is
// VM_IO|VM_PFNMAP, every page is present at once, and an access takes no
// fault. Asking for more than the device's one page is refused with EINVAL.
// The first lines are the user program in the tutorial “Linux之mmap”.
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

	// A second mapping of the same device shows the same buffer.
	char *again = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	if (again != MAP_FAILED)
		printf("a second mapping reads: \"%s\"\n", again);

	munmap(buf, 1024);
	close(fd);
	return 0;
}
