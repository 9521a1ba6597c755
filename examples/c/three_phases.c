// title: The three phases of mmap
// title_zh: mmap 的三个阶段
// files: data.bin="Hello from the page cache! This file is mapped, not read.\n"
// args: data.bin
// engines: sim,real
// expect: exit 0
//
// mmap works in three phases (the tutorial “Linux mmap完全剖析”):
//   1. in the system call: do_mmap finds a free range (get_unmapped_area)
//      and mmap_region builds a vm_area_struct for it;
//   2. still in the kernel: call_mmap hands the area to the file's own
//      mmap handler (for a regular file, generic_file_mmap: it only sets
//      the area's vm_ops, no page is touched);
//   3. later, on the first access: a page fault (handle_mm_fault ->
//      do_read_fault -> filemap_fault) brings the page in and sets its PTE.
// The program shows that after phases 1 and 2 the area exists but no page
// of it is present, and that one read makes it present.
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

	// Phases 1 and 2: a new area, and the file's mmap handler is called.
	char *p = mmap(NULL, sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	close(fd); // the mapping keeps its own reference to the file
	checkpoint("mapped");
	printf("areas covering the mapping: %d\n", vma_count(p, sb.st_size));
	printf("present pages after mmap: %d\n", present_pages(p, sb.st_size));

	// Phase 3: the first load faults the page in.
	char first = p[0];
	checkpoint("touched");
	printf("first byte: '%c'\n", first);
	printf("present pages after one read: %d\n", present_pages(p, sb.st_size));

	// From now on it is just memory.
	for (off_t i = 0; i < sb.st_size; i++)
		putchar(p[i]);

	munmap(p, sb.st_size);
	printf("areas after munmap: %d\n", vma_count(p, sb.st_size));
	return 0;
}
