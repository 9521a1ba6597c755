package interp

import (
	"encoding/binary"
	"strings"

	"github.com/mmapplayground/playground/internal/engine"
)

// <dirent.h> as glibc makes it: a DIR is a heap block holding the
// directory's descriptor and a buffer that getdents64 fills (32 KiB, as
// __alloc_dir's); readdir hands out the records in the buffer one at a
// time (struct dirent is struct linux_dirent64 on x86-64), and reads the
// next buffer when they run out. And mkdtemp and mkstemp (__gen_tempname),
// whose names come from the run's own step count, so a run is repeatable.

// The DIR block: the descriptor, the bytes the last getdents64 gave, the
// offset of the next record in them, then the buffer.
const (
	dirFd     = 0
	dirSize   = 8
	dirOffset = 16
	dirBuf    = 32
	dirBufLen = 32768
)

func init() {
	def("DIR *opendir(const char *path)", func(m *machine, p *proc, a []int64) (int64, bres) {
		path, ok := m.str(p, a[0])
		if !ok {
			return 0, bExit
		}
		const flags = engine.O_RDONLY | engine.O_NONBLOCK | engine.O_DIRECTORY | engine.O_LARGEFILE | engine.O_CLOEXEC
		fd, st := m.sysCall(p, "openat", path, engine.AT_FDCWD, a[0], flags)
		if st != bOK || fd < 0 {
			return 0, st
		}
		return m.allocDir(p, fd)
	})
	def("DIR *fdopendir(int fd)", func(m *machine, p *proc, a []int64) (int64, bres) {
		// glibc checks the descriptor is a directory open for reading
		// (fstat, then F_GETFL).
		fl, st := m.sysCall(p, "fcntl", "", a[0], engine.F_GETFL)
		if st != bOK || fl < 0 {
			return 0, st
		}
		if fl&engine.O_PATH != 0 || fl&engine.O_ACCMODE == engine.O_WRONLY {
			p.setErrno(m, engine.EBADF)
			return 0, bOK
		}
		return m.allocDir(p, a[0])
	})
	def("struct dirent *readdir(DIR *dir)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return m.readdir(p, uint64(a[0]))
	})
	def("struct dirent *readdir64(DIR *dir)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return m.readdir(p, uint64(a[0]))
	})
	def("int closedir(DIR *dir)", func(m *machine, p *proc, a []int64) (int64, bres) {
		if a[0] == 0 {
			p.setErrno(m, engine.EINVAL)
			return -1, bOK
		}
		fd, ok := m.loadU64(p, uint64(a[0])+dirFd)
		if !ok || !m.free(p, uint64(a[0])) {
			return 0, bExit
		}
		return ret(m.sys(p, "close", int64(int32(fd))))
	})
	def("int dirfd(DIR *dir)", func(m *machine, p *proc, a []int64) (int64, bres) {
		fd, ok := m.loadU64(p, uint64(a[0])+dirFd)
		return ret(int64(int32(fd)), ok)
	})
	def("void rewinddir(DIR *dir)", func(m *machine, p *proc, a []int64) (int64, bres) {
		d := uint64(a[0])
		fd, ok := m.loadU64(p, d+dirFd)
		if !ok {
			return 0, bExit
		}
		if _, ok := m.sys(p, "lseek", int64(int32(fd)), 0, engine.SEEK_SET); !ok {
			return 0, bExit
		}
		return ret(0, m.storeU64(p, d+dirSize, 0) && m.storeU64(p, d+dirOffset, 0))
	})
	// getcwd(3): the system call's path in buf, or in a buffer of n bytes
	// (PATH_MAX when n is 0) from malloc when buf is NULL, as glibc's.
	def("char *getcwd(char *buf, unsigned long n)", func(m *machine, p *proc, a []int64) (int64, bres) {
		buf, n := a[0], a[1]
		if buf == 0 {
			if n == 0 {
				n = 4096
			}
			d, ok := m.malloc(p, uint64(n))
			if !ok {
				return 0, bExit
			}
			if d == 0 {
				p.setErrno(m, engine.ENOMEM)
				return 0, bOK
			}
			buf = int64(d)
		}
		r, st := m.sysCall(p, "getcwd", "", buf, n)
		if st != bOK || r < 0 {
			if a[0] == 0 && buf != 0 && st == bOK {
				m.free(p, uint64(buf))
			}
			return 0, st
		}
		return buf, bOK
	})
	def("char *mkdtemp(char *tmpl)", func(m *machine, p *proc, a []int64) (int64, bres) {
		r, st := m.genTempname(p, a[0], func(path string) (int64, bres) {
			return m.sysCall(p, "mkdir", path, a[0], 0o700)
		})
		if st != bOK || r < 0 {
			return 0, st
		}
		return a[0], bOK
	})
	def("int mkstemp(char *tmpl)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return m.genTempname(p, a[0], func(path string) (int64, bres) {
			return m.sysCall(p, "openat", path, engine.AT_FDCWD, a[0], engine.O_RDWR|engine.O_CREAT|engine.O_EXCL, 0o600)
		})
	})
}

// allocDir is __alloc_dir: the DIR block of descriptor fd, or NULL (and
// the descriptor closed) when there is no memory for it.
func (m *machine) allocDir(p *proc, fd int64) (int64, bres) {
	d, ok := m.malloc(p, dirBuf+dirBufLen)
	if !ok {
		return 0, bExit
	}
	if d == 0 {
		m.sys(p, "close", fd)
		p.setErrno(m, engine.ENOMEM)
		return 0, bOK
	}
	var b [dirBuf]byte
	binary.LittleEndian.PutUint64(b[dirFd:], uint64(fd))
	if m.eng.Store(p.pid, d, b[:]) != nil {
		return 0, bExit
	}
	return int64(d), bOK
}

// readdir is __readdir64: the next record of the buffer, the buffer
// refilled by getdents64 when it is used up; NULL at the end (errno
// unchanged) or on an error (errno set).
func (m *machine) readdir(p *proc, d uint64) (int64, bres) {
	if d == 0 {
		p.setErrno(m, engine.EBADF)
		return 0, bOK
	}
	head, ok := m.load(p, d, dirBuf)
	if !ok {
		return 0, bExit
	}
	le := binary.LittleEndian
	fd, size, off := int64(int32(le.Uint64(head[dirFd:]))), le.Uint64(head[dirSize:]), le.Uint64(head[dirOffset:])
	if off >= size {
		n, st := m.sysCall(p, "getdents64", "", fd, int64(d+dirBuf), dirBufLen)
		if st != bOK {
			return 0, st
		}
		if n <= 0 {
			// The end, or an error: glibc's readdir leaves errno as
			// getdents64 set it, and at the end ENOENT (a directory
			// removed) is not one.
			if n < 0 && p.errno(m) == engine.ENOENT {
				p.setErrno(m, 0)
			}
			return 0, bOK
		}
		size, off = uint64(n), 0
	}
	rec, ok := m.load(p, d+dirBuf+off+16, 2)
	if !ok {
		return 0, bExit
	}
	reclen := uint64(le.Uint16(rec))
	if !m.storeU64(p, d+dirSize, size) || !m.storeU64(p, d+dirOffset, off+reclen) {
		return 0, bExit
	}
	return int64(d + dirBuf + off), bOK
}

// tempLetters are __gen_tempname's.
const tempLetters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// genTempname is __gen_tempname: the template's last six X's made
// letters and try made of the name, again with other letters while it
// fails with EEXIST; EINVAL for a template not ending in XXXXXX.
func (m *machine) genTempname(p *proc, tmpl int64, try func(path string) (int64, bres)) (int64, bres) {
	s, ok := m.str(p, tmpl)
	if !ok {
		return 0, bExit
	}
	if !strings.HasSuffix(s, "XXXXXX") {
		p.setErrno(m, engine.EINVAL)
		return -1, bOK
	}
	v := m.steps*0x9e3779b97f4a7c15 ^ uint64(p.pid)
	for attempt := 0; attempt < 62*62*62; attempt++ {
		name := []byte(s)
		x := v
		for i := len(name) - 6; i < len(name); i++ {
			name[i] = tempLetters[x%62]
			x /= 62
		}
		v = v*6364136223846793005 + 1442695040888963407
		if _, st := m.storeRet(p, tmpl, name, 0); st != bOK {
			return 0, st
		}
		r, st := try(string(name))
		if st != bOK || r >= 0 || p.errno(m) != engine.EEXIST {
			return r, st
		}
	}
	p.setErrno(m, engine.EEXIST)
	return -1, bOK
}
