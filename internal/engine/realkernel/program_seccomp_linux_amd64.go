package realkernel

import (
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/mmapplayground/playground/internal/engine"
)

// programRefused are the calls the program's seccomp filter refuses with
// EPERM, as a locked-down container refuses them to an unprivileged user.
// The program is a C program from a tutorial, using what the C library
// uses; the filter takes away what would reach past the sandbox: tracing
// (the tracer holds every process of the program already, so the kernel
// would refuse it too, as under strace) and perf events, namespaces and
// mounts, the kernel's keyrings, modules, BPF, io_uring, the clock, the
// machine. Sockets are refused too (the network namespace is empty
// anyway). execve is the tracer's to refuse (it lets the launcher's one
// through).
var programRefused = []engine.Sysno{
	engine.SYS_ptrace, engine.SYS_perf_event_open, engine.SYS_setns, engine.SYS_mount, engine.SYS_umount2, engine.SYS_pivot_root,
	engine.SYS_chroot, engine.SYS_open_tree, engine.SYS_move_mount, engine.SYS_fsopen, engine.SYS_fsconfig,
	engine.SYS_fsmount, engine.SYS_fspick, engine.SYS_mount_setattr,
	engine.SYS_add_key, engine.SYS_request_key, engine.SYS_keyctl,
	engine.SYS_init_module, engine.SYS_finit_module, engine.SYS_delete_module, engine.SYS_kexec_load,
	engine.SYS_kexec_file_load, engine.SYS_bpf, engine.SYS_io_uring_setup, engine.SYS_io_uring_enter,
	engine.SYS_io_uring_register, engine.SYS_reboot, engine.SYS_swapon, engine.SYS_swapoff, engine.SYS_acct,
	engine.SYS_quotactl, engine.SYS_name_to_handle_at, engine.SYS_open_by_handle_at, engine.SYS_lookup_dcookie,
	engine.SYS_settimeofday, engine.SYS_clock_settime, engine.SYS_adjtimex, engine.SYS_sethostname,
	engine.SYS_setdomainname, engine.SYS_iopl, engine.SYS_ioperm, engine.SYS_vhangup, engine.SYS_personality,
	engine.SYS_socket,
}

// ptraceScoped are the calls that reach into another process with
// ptrace's permission (PTRACE_MODE_READ or ATTACH): comparing its kernel
// objects, taking its files, reading or writing its memory. The program
// runs as the server's user, so the kernel's user check would let them
// reach the server and every other session; Landlock confines them to the
// program's own processes (its domain), as a terminal's user has them.
// Without Landlock the filter refuses them with EPERM.
var ptraceScoped = []engine.Sysno{
	engine.SYS_kcmp, engine.SYS_pidfd_getfd, engine.SYS_process_vm_readv, engine.SYS_process_vm_writev,
	engine.SYS_process_madvise,
}

// cloneNamespaces are the flags of clone and unshare that make
// namespaces, which the program may not (unshare's others, CLONE_FILES,
// CLONE_FS and CLONE_SYSVSEM, only stop sharing what the process shared).
const cloneNamespaces = unix.CLONE_NEWNS | unix.CLONE_NEWUSER | unix.CLONE_NEWPID | unix.CLONE_NEWNET |
	unix.CLONE_NEWIPC | unix.CLONE_NEWUTS | unix.CLONE_NEWCGROUP | unix.CLONE_NEWTIME

// cloneRefused are clone's flags the program may not use: the namespaces,
// and CLONE_UNTRACED, which would make a process the tracer does not
// follow (nor count, nor kill with the rest).
const cloneRefused = cloneNamespaces | unix.CLONE_UNTRACED

// socketpair is allowed for a connected pair of unix stream or seqpacket
// sockets, which reach only each other: a datagram socket could send to any
// named unix socket on the host (syslog's, systemd's), which neither the
// empty network namespace nor Landlock (before ABI 9) keeps from it.
const (
	afUnix        = 1   // AF_UNIX
	sockTypeMask  = 0xf // SOCK_TYPE_MASK: the type without SOCK_CLOEXEC, SOCK_NONBLOCK
	sockStream    = 1   // SOCK_STREAM
	sockSeqpacket = 5   // SOCK_SEQPACKET
)

// programFilter is the program's classic BPF filter (landlock: whether
// Landlock confines the program):
//
//	if arch != x86-64: kill
//	if nr >= 0x40000000 (x32): EPERM
//	if nr == clone3: ENOSYS (the C library falls back to clone, whose flags are seen)
//	if nr == clone and args[0] & cloneRefused: EPERM
//	if nr == unshare and args[0] & cloneNamespaces: EPERM
//	if nr == socketpair: allow AF_UNIX with SOCK_STREAM or SOCK_SEQPACKET, else EPERM
//	if nr in programRefused (and ptraceScoped without Landlock): EPERM
//	allow
func programFilter(landlock bool) []unix.SockFilter {
	const (
		ldAbs = unix.BPF_LD | unix.BPF_W | unix.BPF_ABS
		jeqK  = unix.BPF_JMP | unix.BPF_JEQ | unix.BPF_K
		jgeK  = unix.BPF_JMP | unix.BPF_JGE | unix.BPF_K
		jset  = unix.BPF_JMP | unix.BPF_JSET | unix.BPF_K
		retK  = unix.BPF_RET | unix.BPF_K
		offNr = 0
		offAr = 4
		offA0 = 16
		offA1 = 24
		andK  = unix.BPF_ALU | unix.BPF_AND | unix.BPF_K
	)
	eperm := uint32(unix.SECCOMP_RET_ERRNO) | uint32(unix.EPERM)
	st := func(code uint16, k uint32) unix.SockFilter { return unix.SockFilter{Code: code, K: k} }
	jp := func(code uint16, k uint32, jt, jf uint8) unix.SockFilter {
		return unix.SockFilter{Code: code, Jt: jt, Jf: jf, K: k}
	}
	f := []unix.SockFilter{
		st(ldAbs, offAr),
		jp(jeqK, unix.AUDIT_ARCH_X86_64, 1, 0),
		st(retK, unix.SECCOMP_RET_KILL_PROCESS),
		st(ldAbs, offNr),
		jp(jgeK, 0x40000000, 0, 1),
		st(retK, eperm),
		jp(jeqK, uint32(engine.SYS_clone3), 0, 1),
		st(retK, uint32(unix.SECCOMP_RET_ERRNO)|uint32(unix.ENOSYS)),
		jp(jeqK, uint32(engine.SYS_clone), 0, 4),
		st(ldAbs, offA0),
		jp(jset, cloneRefused, 0, 1),
		st(retK, eperm),
		st(ldAbs, offNr),
		jp(jeqK, uint32(engine.SYS_unshare), 0, 4),
		st(ldAbs, offA0),
		jp(jset, cloneNamespaces, 0, 1),
		st(retK, eperm),
		st(ldAbs, offNr),
		jp(jeqK, uint32(engine.SYS_socketpair), 0, 8),
		st(ldAbs, offA0),
		jp(jeqK, afUnix, 0, 4),
		st(ldAbs, offA1),
		st(andK, sockTypeMask),
		jp(jeqK, sockStream, 2, 0),
		jp(jeqK, sockSeqpacket, 1, 0),
		st(retK, eperm),
		st(retK, unix.SECCOMP_RET_ALLOW),
	}
	refused := programRefused
	if !landlock {
		refused = append(append([]engine.Sysno(nil), programRefused...), ptraceScoped...)
	}
	n := len(refused)
	for i, nr := range refused {
		// Equal: jump over the remaining tests and the ALLOW to the EPERM.
		f = append(f, jp(jeqK, uint32(nr), uint8(n-i), 0))
	}
	return append(f, st(retK, unix.SECCOMP_RET_ALLOW), st(retK, eperm))
}

// installProgramFilter installs programFilter on the calling thread (the
// launcher's, which then executes the program), after Landlock (when
// landlock) has confined it.
func installProgramFilter(landlock bool) error {
	f := programFilter(landlock)
	prog := unix.SockFprog{Len: uint16(len(f)), Filter: &f[0]}
	_, _, e := unix.Syscall(unix.SYS_SECCOMP, unix.SECCOMP_SET_MODE_FILTER, 0, uintptr(unsafe.Pointer(&prog)))
	if e != 0 {
		return e
	}
	return nil
}
