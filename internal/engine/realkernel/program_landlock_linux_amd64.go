package realkernel

import (
	"fmt"
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Landlock (Documentation/userspace-api/landlock.rst) confines the
// program's paths: its session directory whole, the system's libraries and
// the loader's cache to read and execute, /proc (its own maps and pagemap)
// and /sys/kernel/mm (the huge page settings) to read, its own /proc/PID
// to write too (/proc/self/mem, clear_refs), and /dev/null,
// /dev/zero and /dev/urandom. Anything else is refused with EACCES,
// whatever its permissions say.
//
// A Landlock domain also scopes what the program can do to processes:
// ptrace-level access (ptrace, /proc/PID/mem, environ and fd,
// process_vm_readv, kcmp, pidfd_getfd) reaches only the processes of the
// program's own domain, itself and its children, never the worker, the
// server or another session's program, though they run as the same user
// (security/landlock/task.c, since ABI 1). From ABI 6 the domain scopes
// signals the same way (LANDLOCK_SCOPE_SIGNAL: kill, tgkill, sigqueue,
// pidfd_send_signal, SIGIO to the program's own processes only) and
// abstract unix sockets (LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET).

// Filesystem access rights (include/uapi/linux/landlock.h).
const (
	llExecute    = 1 << 0
	llWriteFile  = 1 << 1
	llReadFile   = 1 << 2
	llReadDir    = 1 << 3
	llRemoveDir  = 1 << 4
	llRemoveFile = 1 << 5
	llMakeChar   = 1 << 6
	llMakeDir    = 1 << 7
	llMakeReg    = 1 << 8
	llMakeSock   = 1 << 9
	llMakeFifo   = 1 << 10
	llMakeBlock  = 1 << 11
	llMakeSym    = 1 << 12
	llRefer      = 1 << 13 // ABI 2
	llTruncate   = 1 << 14 // ABI 3
	llIoctlDev   = 1 << 15 // ABI 5

	llCreateRulesetVersion = 1 << 0
	llRulePathBeneath      = 1

	// Network access rights (ABI 4): TCP bind and connect.
	llBindTCP    = 1 << 0
	llConnectTCP = 1 << 1

	// Scopes (ABI 6).
	llScopeAbstractUnixSocket = 1 << 0
	llScopeSignal             = 1 << 1
)

// LandlockScopesSignals says whether a kernel of this Landlock ABI keeps
// the program's signals within its own processes (LANDLOCK_SCOPE_SIGNAL).
func LandlockScopesSignals(abi int) bool { return abi >= 6 }

// LandlockABI is the kernel's Landlock ABI version, 0 without Landlock.
func LandlockABI() int {
	v, _, e := unix.Syscall(unix.SYS_LANDLOCK_CREATE_RULESET, 0, 0, llCreateRulesetVersion)
	if e != 0 {
		return 0
	}
	return int(v)
}

// handledFS is every filesystem right the ABI knows.
func handledFS(abi int) uint64 {
	h := uint64(llRefer - 1)
	if abi >= 2 {
		h |= llRefer
	}
	if abi >= 3 {
		h |= llTruncate
	}
	if abi >= 5 {
		h |= llIoctlDev
	}
	return h
}

// pathBeneath is struct landlock_path_beneath_attr (packed: 12 bytes).
type pathBeneath struct {
	allowed uint64
	fd      int32
}

// confinePaths restricts this thread (and what it executes) to dir and the
// system paths the program needs.
func confinePaths(dir string, abi int, private bool) error {
	handled := handledFS(abi)
	// struct landlock_ruleset_attr: handled_access_fs, then (ABI 4)
	// handled_access_net, then (ABI 6) scoped; a shorter size tells an
	// older kernel which fields it is given.
	attr := [3]uint64{handled}
	size := 8
	if abi >= 4 {
		attr[1] = llBindTCP | llConnectTCP // no rule allows either
		size = 16
	}
	if LandlockScopesSignals(abi) {
		attr[2] = llScopeAbstractUnixSocket | llScopeSignal
		size = 24
	}
	rfd, _, e := unix.Syscall(unix.SYS_LANDLOCK_CREATE_RULESET, uintptr(unsafe.Pointer(&attr[0])), uintptr(size), 0)
	if e != 0 {
		return fmt.Errorf("landlock_create_ruleset: %w", e)
	}
	defer unix.Close(int(rfd))
	fileRights := uint64(llExecute | llWriteFile | llReadFile | llTruncate | llIoctlDev)
	read := uint64(llExecute | llReadFile | llReadDir)
	rules := []struct {
		path  string
		allow uint64
		file  bool
	}{
		{dir, handled, false},
		{"/usr", read, false},
		{"/lib", read, false},
		{"/lib64", read, false},
		{"/etc/ld.so.cache", llReadFile, true},
		{"/proc", llReadFile | llReadDir, false},
		// Its own /proc/PID (the launcher's pid is the program's) to
		// write too: /proc/self/mem, clear_refs, comm, oom_score_adj,
		// whose writes act on itself only. A child's /proc/self is
		// another directory, which it may read only.
		{fmt.Sprintf("/proc/%d", os.Getpid()), llReadFile | llWriteFile | llReadDir, false},
		// The memory manager's public settings (transparent huge pages,
		// huge page sizes), which any user may read.
		{"/sys/kernel/mm", llReadFile | llReadDir, false},
		{"/dev/null", llReadFile | llWriteFile, true},
		{"/dev/zero", llReadFile | llWriteFile, true},
		{"/dev/urandom", llReadFile, true},
	}
	if private {
		// The program's own /tmp and /dev/shm (mountPrivateDirs), now
		// the session's .tmp and a tmpfs of its own: as its directory.
		for _, d := range privateDirs {
			rules = append(rules, struct {
				path  string
				allow uint64
				file  bool
			}{d.at, handled, false})
		}
	}
	for _, r := range rules {
		fd, err := unix.Open(r.path, unix.O_PATH|unix.O_CLOEXEC, 0)
		if err != nil {
			continue // not on this system
		}
		allow := r.allow & handled
		if r.file {
			allow &= fileRights
		}
		pb := pathBeneath{allowed: allow, fd: int32(fd)}
		var raw [12]byte
		*(*uint64)(unsafe.Pointer(&raw[0])) = pb.allowed
		*(*int32)(unsafe.Pointer(&raw[8])) = pb.fd
		_, _, e := unix.Syscall6(unix.SYS_LANDLOCK_ADD_RULE, rfd, llRulePathBeneath, uintptr(unsafe.Pointer(&raw[0])), 0, 0, 0)
		unix.Close(fd)
		if e != 0 {
			return fmt.Errorf("landlock_add_rule %s: %w", r.path, e)
		}
	}
	if _, _, e := unix.Syscall(unix.SYS_LANDLOCK_RESTRICT_SELF, rfd, 0, 0); e != 0 {
		return fmt.Errorf("landlock_restrict_self: %w", e)
	}
	return nil
}
