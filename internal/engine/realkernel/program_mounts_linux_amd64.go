package realkernel

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The program's /tmp and /dev/shm are its own, as a terminal's user has a
// /tmp and a /dev/shm to write: its session directory's .tmp
// (world-writable and sticky like the host's), and a tmpfs of shmSize (as
// the host's /dev/shm is a tmpfs, but small: its pages are memory, which
// no other limit of the run bounds), mounted over the host's in a mount
// namespace of the launcher's. Landlock then gives
// the program those two as it gives its directory; the host's stay out of
// its reach. Where the host refuses the namespace or the mounts, the
// program has neither (EACCES, as before), and the note says so.

// The private directories, in the session directory, and where they are
// mounted ("" is a tmpfs of its own).
var privateDirs = []struct{ name, at string }{{".tmp", "/tmp"}, {"", "/dev/shm"}}

// shmOptions are the program's /dev/shm's: 16 MiB, 4096 files.
const shmOptions = "size=16m,nr_inodes=4096,mode=1777"

// withMountNamespace makes sys start the launcher in a mount namespace of
// its own, able to mount there: in the worker's user namespace when the
// worker is root in it; else in a user namespace of its own that maps the
// worker's user to itself, with CAP_SYS_ADMIN as an ambient capability,
// which the launcher drops before it executes the program.
func withMountNamespace(sys *syscall.SysProcAttr) {
	if os.Geteuid() == 0 {
		sys.Cloneflags |= syscall.CLONE_NEWNS
		return
	}
	uid, gid := os.Geteuid(), os.Getegid()
	sys.Cloneflags |= syscall.CLONE_NEWUSER | syscall.CLONE_NEWNS
	sys.UidMappings = []syscall.SysProcIDMap{{ContainerID: uid, HostID: uid, Size: 1}}
	sys.GidMappings = []syscall.SysProcIDMap{{ContainerID: gid, HostID: gid, Size: 1}}
	sys.GidMappingsEnableSetgroups = false
	sys.AmbientCaps = []uintptr{unix.CAP_SYS_ADMIN}
}

// mountPrivateDirs, in the launcher's mount namespace, mounts the
// session's .tmp over /tmp and a tmpfs over /dev/shm. Nothing it mounts
// propagates back to the host's namespace. When the session directory
// was beneath one of them (the sessions' default root is in $TMPDIR), it
// is mounted back at its own path, so that its absolute path still leads
// to it. The launcher's working directory is the session directory.
func mountPrivateDirs(dir string) error {
	self, err := unix.Open(".", unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer unix.Close(self)
	at := fmt.Sprintf("/proc/self/fd/%d", self)
	if err := unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""); err != nil {
		return fmt.Errorf("making the mounts private: %w", err)
	}
	for _, d := range privateDirs {
		if d.name == "" {
			if err := unix.Mount("tmpfs", d.at, "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, shmOptions); err != nil {
				return fmt.Errorf("mounting %s: %w", d.at, err)
			}
			continue
		}
		if err := unix.Mkdirat(self, d.name, 0o777); err != nil && err != unix.EEXIST {
			return err
		}
		if err := unix.Fchmodat(self, d.name, 0o1777, 0); err != nil {
			return err
		}
		if err := unix.Mount(at+"/"+d.name, d.at, "", unix.MS_BIND, ""); err != nil {
			return fmt.Errorf("mounting %s: %w", d.at, err)
		}
	}
	if _, err := os.Stat(dir); err != nil {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		if err := unix.Mount(at, dir, "", unix.MS_BIND, ""); err != nil {
			return fmt.Errorf("mounting the session directory back: %w", err)
		}
	}
	return nil
}

// dropCapabilities leaves the launcher's thread no capability (the
// ambient CAP_SYS_ADMIN of withMountNamespace, or root's in the worker's
// namespace), before it executes the program.
func dropCapabilities() error {
	if err := unix.Prctl(unix.PR_CAP_AMBIENT, unix.PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0); err != nil {
		return err
	}
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData
	_, _, e := unix.RawSyscall(unix.SYS_CAPSET, uintptr(unsafe.Pointer(&hdr)), uintptr(unsafe.Pointer(&data[0])), 0)
	if e != 0 {
		return e
	}
	return nil
}

// mountedPrivateDirs is whether process pid has the private /tmp mounted
// (its mountinfo shows a mount at /tmp of the session's .tmp).
func mountedPrivateDirs(pid int) bool {
	f, err := os.Open(fmt.Sprintf("/proc/%d/mountinfo", pid))
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// mount-id parent-id major:minor root mount-point ...
		fs := strings.Fields(sc.Text())
		if len(fs) > 4 && fs[4] == "/tmp" && strings.HasSuffix(fs[3], "/.tmp") {
			return true
		}
	}
	return false
}

// PrivateDirs is whether the program's /tmp and /dev/shm are its own.
func (p *Program) PrivateDirs() bool { return p.privateDirs }
