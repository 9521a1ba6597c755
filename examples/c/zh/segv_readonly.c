// title: SIGSEGV: writing to a PROT_READ mapping
// title_zh: SIGSEGV：写只读映射
// engines: sim,real
// expect: signal SIGSEGV
//
// 只读的虚拟内存区域在 vm_flags 中没有写权限，所以页表项
// 永远不会被设为可写。写入引起缺页异常，handle_mm_fault 发现该区域
// 不允许这种访问（SEGV_ACCERR），进程收到 SIGSEGV。
// 读同一页没有问题：它映射的是零页。
#include <stdio.h>
#include <sys/mman.h>

int main(void)
{
	char *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	printf("reading is allowed: p[0] = %d\n", p[0]);
	printf("writing p[0]...\n");
	fflush(stdout); // 信号会在 stdio 刷出缓冲之前杀死进程

	p[0] = 1; // SIGSEGV（SEGV_ACCERR）
	printf("never printed\n");
	return 0;
}
