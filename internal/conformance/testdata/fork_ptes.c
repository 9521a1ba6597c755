// title: which PTEs fork copies
//
// copy_page_range copies the PTEs of areas with anonymous pages (private
// ones); a shared area's PTEs are not copied, the child faults them in.
// files: f.bin=size:4096
// engines: sim
// expect: exit 0
#include <fcntl.h>
#include <playground.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define LEN 4096

int main(void)
{
	int fd = open("f.bin", O_RDWR);
	char *anon = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *sfile = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char *pfile = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	char *sanon = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	anon[0] = 1;
	sfile[0] = 'S';
	char c = pfile[0];
	sanon[0] = 1;
	printf("parent: anon %d sfile %d pfile %d sanon %d (%c)\n", present_pages(anon, LEN),
	       present_pages(sfile, LEN), present_pages(pfile, LEN), present_pages(sanon, LEN), c);
	fflush(stdout);
	if (fork() == 0) {
		printf("child:  anon %d sfile %d pfile %d sanon %d\n", present_pages(anon, LEN),
		       present_pages(sfile, LEN), present_pages(pfile, LEN), present_pages(sanon, LEN));
		return 0;
	}
	wait(NULL);
	return 0;
}
