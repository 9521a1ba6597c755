package realkernel

import (
	"time"
	"unsafe"

	"errors"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/mmapplayground/playground/internal/engine"
)

// fileDesc is one of the program's file descriptors. The program sees the
// numbers a fresh process would (3, 4, ...); behind each is a real one.
type fileDesc struct {
	realFD int // -1 for standard input, output and error
	stdio  int // 0, 1, 2 for the standard streams
	name   string
	dev    bool // a device outside the working directory (/dev/zero)
}

func (f *fileDesc) close() {
	if f.realFD >= 0 {
		unix.Close(f.realFD)
		f.realFD = -1
	}
}

func (e *Engine) initStdio() {
	for i := 0; i < 3; i++ {
		e.fds[i] = &fileDesc{realFD: -1, stdio: i, name: []string{"stdin", "stdout", "stderr"}[i]}
	}
}

// lookupFD returns the program's descriptor fd, or nil.
func (e *Engine) lookupFD(fd int64) *fileDesc {
	if fd < 0 || fd > 1<<20 {
		return nil
	}
	return e.fds[int(fd)]
}

// realFD is the real descriptor behind the program's fd, or -1, which every
// call answers with EBADF as it would the program's bad fd.
func (e *Engine) realFD(fd int64) int {
	if f := e.lookupFD(fd); f != nil && f.realFD >= 0 {
		return f.realFD
	}
	return -1
}

// newFD gives the lowest free descriptor number, as the kernel does.
func (e *Engine) newFD(f *fileDesc) (int, engine.Errno) {
	max := e.opts.MaxFiles
	if max == 0 {
		max = 1024
		var lim unix.Rlimit
		if unix.Getrlimit(unix.RLIMIT_NOFILE, &lim) == nil && lim.Cur < 1<<20 {
			max = int(lim.Cur)
		}
	}
	for fd := 0; fd < max; fd++ {
		if _, used := e.fds[fd]; !used {
			e.fds[fd] = f
			return fd, 0
		}
	}
	return -1, engine.EMFILE
}

// errPathOutside is how a path leaving the working directory is refused.
const errPathOutside = engine.EACCES

// openPath opens path for the program: beneath the working directory (dirfd
// AT_FDCWD) or beneath one of its directories, or one of Options.Devices.
// `..` out of the directory, and symlinks pointing out of it, are refused
// with EACCES; other absolute paths do not exist (ENOENT).
func (e *Engine) openPath(dirfd int64, path string, flags int, mode uint32) (int, string, bool, engine.Errno) {
	if path == "" {
		return -1, "", false, engine.ENOENT
	}
	flags |= unix.O_CLOEXEC
	if strings.HasPrefix(path, "/") {
		clean := filepath.Clean(path)
		for _, d := range e.opts.Devices {
			if clean == d {
				fd, err := unix.Open(clean, flags&^(unix.O_CREAT|unix.O_TRUNC|unix.O_EXCL), 0)
				return fd, clean, true, errnoOf(err)
			}
		}
		return -1, "", false, engine.ENOENT
	}
	base := int(e.root.Fd())
	if dirfd != engine.AT_FDCWD {
		f := e.lookupFD(dirfd)
		if f == nil || f.realFD < 0 {
			return -1, "", false, engine.EBADF
		}
		if f.dev {
			return -1, "", false, engine.ENOTDIR
		}
		base = f.realFD
	}
	var fd int
	var err error
	if e.caps.Openat2 {
		// openat ignores the mode unless it creates a file; openat2 calls
		// a mode without O_CREAT or O_TMPFILE EINVAL. The program called
		// open, so it gets open's answer: open(p, O_RDONLY, 0644) works.
		if flags&unix.O_CREAT == 0 && flags&unix.O_TMPFILE != unix.O_TMPFILE {
			mode = 0
		}
		fd, err = unix.Openat2(base, path, &unix.OpenHow{
			Flags: uint64(flags), Mode: uint64(mode),
			Resolve: unix.RESOLVE_BENEATH | unix.RESOLVE_NO_MAGICLINKS,
		})
		if errors.Is(err, unix.EXDEV) {
			// RESOLVE_BENEATH's answer for a path that would leave.
			return -1, "", false, errPathOutside
		}
	} else {
		fd, err = openBeneath(base, path, flags, mode)
	}
	if err != nil {
		return -1, "", false, errnoOf(err)
	}
	return fd, path, false, 0
}

// openBeneath is openat2's RESOLVE_BENEATH done by hand, for kernels before
// 5.6: no `..`, no symlinks at all, one component at a time.
func openBeneath(base int, path string, flags int, mode uint32) (int, error) {
	parts := strings.Split(path, "/")
	dir := base
	for i, p := range parts {
		if p == ".." {
			if dir != base {
				unix.Close(dir)
			}
			return -1, errPathOutside
		}
		last := i == len(parts)-1
		if p == "" || p == "." {
			if !last {
				continue
			}
			p = "."
		}
		var fd int
		var err error
		if last {
			fd, err = unix.Openat(dir, p, flags|unix.O_NOFOLLOW, mode)
			if errors.Is(err, unix.ELOOP) {
				err = errPathOutside
			}
		} else {
			fd, err = unix.Openat(dir, p, unix.O_PATH|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
		}
		if dir != base {
			unix.Close(dir)
		}
		if err != nil {
			return -1, err
		}
		if last {
			return fd, nil
		}
		dir = fd
	}
	return -1, unix.ENOENT
}

// errnoOf turns an error from x/sys/unix into the program's errno.
func errnoOf(err error) engine.Errno {
	if err == nil {
		return 0
	}
	var en unix.Errno
	if errors.As(err, &en) {
		return engine.Errno(en)
	}
	var pe engine.Errno
	if errors.As(err, &pe) {
		return pe
	}
	return engine.EIO
}

// sessionPath checks a file name given by the host (WriteFile, ReadFile):
// relative, and staying beneath the working directory.
func (e *Engine) sessionPath(name string) (string, error) {
	clean := filepath.Clean(name)
	if filepath.IsAbs(clean) || clean == "." || clean == ".." || strings.HasPrefix(clean, "../") {
		return "", &os.PathError{Op: "open", Path: name, Err: errors.New("outside the session's directory")}
	}
	return filepath.Join(e.rootPath, clean), nil
}

// WriteFile places a file in the program's working directory.
func (e *Engine) WriteFile(name string, data []byte) error {
	p, err := e.sessionPath(name)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		return err
	}
	// A placed file starts out of the page cache, as the model's does (it
	// is on disk, as if from before boot): written back, then its clean
	// pages dropped, so the program's first access is a major fault here
	// too. On a file system that keeps files in memory (tmpfs) the pages
	// stay, and the note at start says the page cache may differ.
	if err := f.Sync(); err != nil {
		return err
	}
	return dropCached(int(f.Fd()), len(data))
}

// dropCached drops a written-back file's pages from the page cache. One
// POSIX_FADV_DONTNEED may leave a page that another CPU still held for a
// moment (seen under load: the program's first access then was minor), so
// it tries again, a few times, while mincore still finds a page cached.
func dropCached(fd, size int) error {
	for try := 0; ; try++ {
		if err := unix.Fadvise(fd, 0, 0, unix.FADV_DONTNEED); err != nil {
			return err
		}
		if size == 0 || try == 4 || !anyCached(fd, size) {
			return nil
		}
		time.Sleep(time.Millisecond << try)
	}
}

// anyCached reports whether mincore finds any page of the file's first
// size bytes in the page cache (false when it cannot tell).
func anyCached(fd, size int) bool {
	m, err := unix.Mmap(fd, 0, size, unix.PROT_NONE, unix.MAP_SHARED)
	if err != nil {
		return false
	}
	defer unix.Munmap(m)
	vec := make([]byte, (size+engine.PageSize-1)/engine.PageSize)
	if _, _, en := unix.Syscall(unix.SYS_MINCORE, uintptr(unsafe.Pointer(&m[0])), uintptr(size), uintptr(unsafe.Pointer(&vec[0]))); en != 0 {
		return false
	}
	for _, v := range vec {
		if v&1 != 0 {
			return true
		}
	}
	return false
}

// ReadFile reads a file of the working directory as the host reads it.
func (e *Engine) ReadFile(name string) ([]byte, error) {
	p, err := e.sessionPath(name)
	if err != nil {
		return nil, err
	}
	return os.ReadFile(p)
}

// PlaceFile places a file in dir as WriteFile does (beneath dir only,
// written back and dropped from the page cache): for the program gcc
// built, whose working directory dir is.
func PlaceFile(dir, name string, data []byte) error {
	e := &Engine{rootPath: dir}
	return e.WriteFile(name, data)
}
