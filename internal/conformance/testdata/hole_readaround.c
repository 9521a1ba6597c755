// title: a read fault on a hole in a sparse file
// engines: sim,real
// expect: exit 0
//
// The file is 4 pages of hole (ftruncate, nothing written). A read fault on
// page 2 finds nothing cached: filemap_fault reads around the page
// (do_sync_mmap_readahead), and on this machine's ext4 the readahead makes
// one large folio of the 4 pages, which the fault maps whole: 4 present.
#include <fcntl.h>
#include <playground.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096

int main(void)
{
	int fd = open("hole.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
	ftruncate(fd, 4 * PAGE);
	char *h = mmap(NULL, 4 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	char c = h[2 * PAGE];
	printf("the hole reads %d, present %d\n", c, present_pages(h, 4 * PAGE));
	return 0;
}
