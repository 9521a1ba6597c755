package sim

import (
	"github.com/mmapplayground/playground/internal/engine"
)

// A process's descriptors, analogous to struct files_struct and its
// fdtable (include/linux/fdtable.h, fs/file.c): the open file each
// descriptor names and the close-on-exec bit of each. Processes made with
// CLONE_FILES share one table (count says how many); fork copies it
// (dup_fd), and so does close_range(CLOSE_RANGE_UNSHARE) in a process that
// shares it (unshare_fd).
type filesStruct struct {
	fd      []*file // fdt->fd: nil is a free descriptor
	cloexec []bool  // fdt->close_on_exec, as long as fd
	count   int
	id      uint64 // kcmp's name for it (kcmp.go), given when first asked
}

// newFiles is a table holding fds, none close-on-exec.
func newFiles(fds []*file) *filesStruct {
	return &filesStruct{fd: fds, cloexec: make([]bool, len(fds)), count: 1}
}

// dupFd is dup_fd: a copy of the table for a new process, each open file
// referenced once more.
func (fs *filesStruct) dupFd() *filesStruct {
	for _, f := range fs.fd {
		if f != nil {
			f.refs++
		}
	}
	return &filesStruct{fd: append([]*file(nil), fs.fd...), cloexec: append([]bool(nil), fs.cloexec...), count: 1}
}

// installAt puts f at descriptor n, growing the table (expand_files).
func (fs *filesStruct) installAt(n int, f *file, cloexec bool) {
	for len(fs.fd) <= n {
		fs.fd = append(fs.fd, nil)
		fs.cloexec = append(fs.cloexec, false)
	}
	fs.fd[n], fs.cloexec[n] = f, cloexec
}

// unusedFd is alloc_fd's search: the lowest free descriptor from start.
func (fs *filesStruct) unusedFd(start int) int {
	for i := start; i < len(fs.fd); i++ {
		if fs.fd[i] == nil {
			return i
		}
	}
	return max(start, len(fs.fd))
}

// nofile is the descriptor limit: RLIMIT_NOFILE's soft limit.
func (p *process) nofile() uint64 { return p.sys.rlim[engine.RLIMIT_NOFILE].cur }

// putFiles is put_files_struct at exit or exec's unshare: the last
// process to hold the table closes every file.
func (e *Engine) putFiles(p *process) {
	fs := p.files
	if fs == nil {
		return
	}
	p.files = nil
	for _, f := range fs.fd {
		if f != nil && len(f.ino.locks) > 0 {
			locksRemovePosix(f.ino, p.pid)
		}
	}
	fs.count--
	if fs.count > 0 {
		return
	}
	for i, f := range fs.fd {
		if f != nil {
			fs.fd[i] = nil
			e.closeFile(f)
		}
	}
}

// sysDup is dup: the lowest free descriptor, not close-on-exec.
func (e *Engine) sysDup(p *process, oldfd int64) (int64, engine.Errno) {
	f := p.fd(oldfd)
	if f == nil {
		return -1, engine.EBADF
	}
	return e.dupFrom(p, f, 0, false)
}

// dupFrom is f_dupfd: f at the lowest free descriptor from start (EMFILE
// past the limit).
func (e *Engine) dupFrom(p *process, f *file, start int64, cloexec bool) (int64, engine.Errno) {
	n := p.files.unusedFd(int(start))
	if uint64(n) >= p.nofile() {
		return -1, engine.EMFILE
	}
	f.refs++
	p.files.installAt(n, f, cloexec)
	return int64(n), 0
}

// sysDup3 is dup3 (and dup2, for which flags is -1): EINVAL for flags
// other than O_CLOEXEC or for oldfd == newfd (dup2 then just checks
// oldfd), EBADF for a newfd past the limit; a file open at newfd is closed
// first.
func (e *Engine) sysDup3(p *process, oldfd, newfd, flags int64) (int64, engine.Errno) {
	dup2 := flags < 0
	if dup2 {
		flags = 0
	}
	if flags&^engine.O_CLOEXEC != 0 {
		return -1, engine.EINVAL
	}
	if oldfd == newfd {
		if !dup2 {
			return -1, engine.EINVAL
		}
		if p.fd(oldfd) == nil {
			return -1, engine.EBADF
		}
		return newfd, 0
	}
	if newfd < 0 || uint64(newfd) >= p.nofile() {
		return -1, engine.EBADF
	}
	f := p.fd(oldfd)
	if f == nil {
		return -1, engine.EBADF
	}
	old := p.fd(newfd)
	f.refs++
	p.files.installAt(int(newfd), f, flags&engine.O_CLOEXEC != 0)
	if old != nil {
		e.closeFile(old)
	}
	return newfd, 0
}

// sysCloseRange is close_range(first, last, flags): EINVAL for unknown
// flags or first > last; with CLOSE_RANGE_UNSHARE a shared table is copied
// first (only as far as the descriptors that stay, as unshare_fd's
// sane_fdtable_size); with CLOSE_RANGE_CLOEXEC the descriptors are marked
// close-on-exec instead of closed.
func (e *Engine) sysCloseRange(p *process, first, last uint64, flags int64) (int64, engine.Errno) {
	first, last = uint64(uint32(first)), uint64(uint32(last))
	if flags&^(engine.CLOSE_RANGE_UNSHARE|engine.CLOSE_RANGE_CLOEXEC) != 0 || first > last {
		return -1, engine.EINVAL
	}
	if flags&engine.CLOSE_RANGE_UNSHARE != 0 && p.files.count > 1 {
		fs := p.files
		nf := fs.dupFd()
		if flags&engine.CLOSE_RANGE_CLOEXEC == 0 && last == 0xffffffff && first < uint64(len(nf.fd)) {
			// The copy leaves out what would be closed at once.
			for _, f := range nf.fd[first:] {
				if f != nil {
					f.refs--
				}
			}
			nf.fd, nf.cloexec = nf.fd[:first], nf.cloexec[:first]
		}
		fs.count--
		p.files = nf
	}
	fs := p.files
	for n := first; n <= last && n < uint64(len(fs.fd)); n++ {
		if fs.fd[n] == nil {
			continue
		}
		if flags&engine.CLOSE_RANGE_CLOEXEC != 0 {
			fs.cloexec[n] = true
			continue
		}
		f := fs.fd[n]
		fs.fd[n], fs.cloexec[n] = nil, false
		e.closeFile(f)
	}
	return 0, 0
}

// filesFd is p's descriptors (none once it has exited).
func (p *process) filesFd() []*file {
	if p.files == nil {
		return nil
	}
	return p.files.fd
}
