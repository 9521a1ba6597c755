package realkernel

import (
	"fmt"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Landlock (Documentation/userspace-api/landlock.rst) confines the
// program's paths: its session directory whole, the system's libraries and
// the loader's cache to read and execute, /proc to read (its own maps and
// pagemap), and /dev/null, /dev/zero and /dev/urandom. Anything else is
// refused with EACCES, whatever its permissions say.

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
)

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
func confinePaths(dir string, abi int) error {
	handled := handledFS(abi)
	attr := handled // struct landlock_ruleset_attr's first field only
	rfd, _, e := unix.Syscall(unix.SYS_LANDLOCK_CREATE_RULESET, uintptr(unsafe.Pointer(&attr)), 8, 0)
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
		{"/dev/null", llReadFile | llWriteFile, true},
		{"/dev/zero", llReadFile | llWriteFile, true},
		{"/dev/urandom", llReadFile, true},
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
