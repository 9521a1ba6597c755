// System V shared memory as an unprivileged user sees it on a machine
// without segments: shmget's checks before it makes one (a key nobody
// made, the size, a huge page size x86-64 has not), SHM_HUGETLB refused
// (EPERM: no CAP_IPC_LOCK, not in vm.hugetlb_shm_group's group); shmat,
// shmdt and shmctl of ids that name nothing; shmctl's IPC_INFO limits.
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>

#ifndef SHM_HUGE_SHIFT
#define SHM_HUGE_SHIFT 26
#endif

// struct shmid64_ds is 112 bytes; struct shminfo64's first five longs are
// shmmax, shmmin, shmmni, shmseg and shmall.
static unsigned long buf[16];

static const char *e(long r)
{
	return r < 0 ? strerror(errno) : "ok";
}

int main(void)
{
	printf("shmget of a key nobody made: %s\n", e(shmget(0x5eed0001, 4096, 0600)));
	printf("shmget size 0: %s\n", e(shmget(IPC_PRIVATE, 0, 0600)));
	printf("shmget size -1: %s\n", e(shmget(IPC_PRIVATE, (size_t)-1, 0600)));
	printf("shmget SHM_HUGETLB: %s\n", e(shmget(IPC_PRIVATE, 2 << 20, SHM_HUGETLB | 0600)));
	printf("shmget SHM_HUGETLB, a key: %s\n", e(shmget(0x5eed0002, 2 << 20, SHM_HUGETLB | IPC_CREAT | 0600)));
	printf("shmget SHM_HUGETLB 1 GiB: %s\n", e(shmget(IPC_PRIVATE, 1 << 30, SHM_HUGETLB | 30 << SHM_HUGE_SHIFT | 0600)));
	printf("shmget SHM_HUGETLB 4 MiB: %s\n", e(shmget(IPC_PRIVATE, 4 << 20, SHM_HUGETLB | 22 << SHM_HUGE_SHIFT | 0600)));
	printf("shmget SHM_HUGETLB size 0: %s\n", e(shmget(IPC_PRIVATE, 0, SHM_HUGETLB | 0600)));
	printf("shmat -1: %s\n", e((long)shmat(-1, NULL, 0)));
	printf("shmat of no segment: %s\n", e((long)shmat(0x7ffffff, NULL, 0)));
	printf("shmdt unaligned: %s\n", e(shmdt((void *)0x10001)));
	printf("shmdt of no segment: %s\n", e(shmdt((void *)0x10000)));
	printf("shmctl -1 IPC_RMID: %s\n", e(shmctl(-1, IPC_RMID, NULL)));
	printf("shmctl IPC_RMID of no segment: %s\n", e(shmctl(0x7ffffff, IPC_RMID, NULL)));
	printf("shmctl IPC_STAT of no segment: %s\n", e(shmctl(0x7ffffff, IPC_STAT, (void *)buf)));
	printf("shmctl IPC_SET, buf unreadable: %s\n", e(shmctl(0x7ffffff, IPC_SET, (void *)8)));
	printf("shmctl IPC_SET of no segment: %s\n", e(shmctl(0x7ffffff, IPC_SET, (void *)buf)));
	printf("shmctl SHM_LOCK of no segment: %s\n", e(shmctl(0x7ffffff, SHM_LOCK, NULL)));
	printf("shmctl cmd -1: %s\n", e(shmctl(0, -1, NULL)));
	printf("shmctl cmd 99: %s\n", e(shmctl(0, 99, NULL)));
	printf("shmctl IPC_INFO, buf unreadable: %s\n", e(shmctl(0, IPC_INFO, (void *)8)));
	if (shmctl(0, IPC_INFO, (void *)buf) < 0)
		perror("IPC_INFO");
	printf("shmmax %lu shmmin %lu shmmni %lu shmseg %lu shmall %lu\n", buf[0], buf[1], buf[2], buf[3], buf[4]);
	printf("shmctl SHM_INFO, buf unreadable: %s\n", e(shmctl(0, SHM_INFO, (void *)8)));
	printf("shmctl SHM_INFO: %s\n", e(shmctl(0, SHM_INFO, (void *)buf)));
	return 0;
}
