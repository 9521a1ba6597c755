package interp

import (
	"strings"

	"github.com/mmapplayground/playground/internal/engine"
)

// POSIX shared memory as glibc 2.36 makes it (rt/shm_open.c, shm_unlink.c,
// sysdeps/pthread/shm-directory.c): an object is a file of /dev/shm, the
// tmpfs mounted there, opened and unlinked by its name there.

// shmDir is SHMDIR.
const shmDir = "/dev/shm/"

// shmName is __shm_get_name: the path of the object name names, its
// leading slashes dropped; EINVAL for an empty name or one with a '/' in
// it, ENAMETOOLONG for one longer than NAME_MAX.
func shmName(name string) (string, engine.Errno) {
	name = strings.TrimLeft(name, "/")
	switch {
	case name == "" || strings.Contains(name, "/"):
		return "", engine.EINVAL
	case len(name) > 255:
		return "", engine.ENAMETOOLONG
	}
	return shmDir + name, 0
}

func init() {
	// shm_open is open(2) of the object's path with O_NOFOLLOW|O_CLOEXEC
	// added; EISDIR (a directory of that name) is EINVAL.
	def("int shm_open(const char *name, int flags, unsigned int mode)", func(m *machine, p *proc, a []int64) (int64, bres) {
		s, ok := m.str(p, a[0])
		if !ok {
			return 0, bExit
		}
		path, err := shmName(s)
		if err != 0 {
			p.setErrno(m, err)
			return -1, bOK
		}
		fd, ok := m.sysPath(p, "openat", path, engine.AT_FDCWD, a[0], a[1]|engine.O_NOFOLLOW|engine.O_CLOEXEC, a[2])
		if !ok {
			return 0, bExit
		}
		if fd == -1 && p.errno(m) == engine.EISDIR {
			p.setErrno(m, engine.EINVAL)
		}
		return fd, bOK
	})
	// shm_unlink is unlink(2) of the path; EPERM is EACCES.
	def("int shm_unlink(const char *name)", func(m *machine, p *proc, a []int64) (int64, bres) {
		s, ok := m.str(p, a[0])
		if !ok {
			return 0, bExit
		}
		path, err := shmName(s)
		if err != 0 {
			p.setErrno(m, err)
			return -1, bOK
		}
		r, ok := m.sysPath(p, "unlink", path, a[0])
		if !ok {
			return 0, bExit
		}
		if r == -1 && p.errno(m) == engine.EPERM {
			p.setErrno(m, engine.EACCES)
		}
		return r, bOK
	})
}

func init() {
	// System V shared memory: glibc's wrappers are the system calls
	// themselves (shmctl's cmd without __IPC_64, which is 0 on x86-64;
	// shmat's error (void *) -1).
	def("int shmget(int key, unsigned long size, int flags)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return ret(m.sys(p, "shmget", a[0], a[1], a[2]))
	})
	def("void *shmat(int id, const void *addr, int flags)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return ret(m.sys(p, "shmat", a[0], a[1], a[2]))
	})
	def("int shmdt(const void *addr)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return ret(m.sys(p, "shmdt", a[0]))
	})
	def("int shmctl(int id, int cmd, void *buf)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return ret(m.sys(p, "shmctl", a[0], a[1], a[2]))
	})
}
