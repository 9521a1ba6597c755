package sandbox

import "golang.org/x/sys/unix"

// auditArch is what the kernel puts in seccomp_data.arch for a native
// x86-64 call (include/uapi/linux/audit.h).
const auditArch = unix.AUDIT_ARCH_X86_64

// x32Bit marks the x32 ABI's system call numbers (__X32_SYSCALL_BIT in
// arch/x86/include/uapi/asm/unistd.h): x32 calls share AUDIT_ARCH_X86_64,
// so the arch check alone would let them through with other meanings.
const x32Bit = 0x40000000

// archSyscalls are the worker's calls that only this architecture has
// (arm64 has epoll_pwait and no epoll_wait).
var archSyscalls = []syscallName{
	{"epoll_wait", unix.SYS_EPOLL_WAIT},
}
