// title: a write fault on a shared file page maps the whole folio
// files: f.bin=size:8192
// engines: sim,real
// expect: exit 0
//
// On this machine's ext4, an 8 KiB file written at once sits in the page
// cache as one two-page folio, and a fault maps the whole folio: one write
// to page 0 of a shared mapping leaves two pages present.
#include <fcntl.h>
#include <playground.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void)
{
	int fd = open("f.bin", O_RDWR);
	char *s = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	s[0] = 'S';
	printf("present after one write: %d\n", present_pages(s, 8192));
	return 0;
}
