package sandbox

import "golang.org/x/sys/unix"

// auditArch is what the kernel puts in seccomp_data.arch for a native
// arm64 call (include/uapi/linux/audit.h). A 32-bit (compat) call carries
// AUDIT_ARCH_ARM, so the arch check kills it.
const auditArch = unix.AUDIT_ARCH_AARCH64

// x32Bit: arm64 has no x32-like ABI sharing its audit architecture.
const x32Bit = 0

// archSyscalls: arm64 has none of its own among the worker's calls (it
// lacks x86-64's epoll_wait; the Go runtime uses epoll_pwait there).
var archSyscalls []syscallName
