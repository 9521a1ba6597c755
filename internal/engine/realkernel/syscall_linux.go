package realkernel

import (
	"path"
	"strconv"
	"time"

	"golang.org/x/sys/unix"

	"github.com/mmapplayground/playground/internal/engine"
)

// Argument order: Call.Args are the C call's arguments in order, pointers as
// addresses in the program's memory; for calls that take a path, the path's
// position holds its address and Call.Path its text (open: path, flags, mode;
// openat: dirfd, path, flags, mode; stat: path, buf; unlink: path).

// Syscall makes the program's system call on the real kernel.
func (e *Engine) Syscall(pid int, c engine.Call) engine.Result {
	e.counters.Syscalls++
	ret, errno, pathIdx := e.dispatch(c)
	if errno != 0 {
		ret = -1
	}
	e.ev = engine.Event{Type: engine.EvSyscall, Name: c.Name, Ret: ret, Errno: errno.Name()}
	e.ev.Args = make([]engine.Arg, len(c.Args))
	for i, a := range c.Args {
		if i == pathIdx {
			e.ev.Args[i] = engine.Arg{Str: c.Path, IsStr: true}
		} else {
			e.ev.Args[i] = engine.Arg{Int: a}
		}
	}
	if pathIdx >= len(c.Args) && c.Path != "" {
		e.ev.Args = append(e.ev.Args, engine.Arg{Str: c.Path, IsStr: true})
	}
	e.emit()
	e.flushPending()
	r := engine.Result{Ret: ret, Errno: errno, Signal: e.raise}
	e.raise = nil
	return r
}

func arg(c engine.Call, i int) int64 {
	if i < len(c.Args) {
		return c.Args[i]
	}
	return 0
}

// later queues an event a call caused, delivered after its syscall event.
func (e *Engine) later(ev engine.Event) { e.pending = append(e.pending, ev) }

func (e *Engine) flushPending() {
	for _, ev := range e.pending {
		e.ev = ev
		e.emit()
	}
	e.pending = e.pending[:0]
}

// dispatch makes the call; pathIdx is the index of the path argument, or -1.
func (e *Engine) dispatch(c engine.Call) (ret int64, errno engine.Errno, pathIdx int) {
	pathIdx = -1
	nr, _ := engine.SyscallByName(c.Name)
	switch nr {
	case engine.SYS_getpid:
		return int64(e.pid), 0, -1
	case engine.SYS_open:
		pathIdx = 0
		ret, errno = e.sysOpen(engine.AT_FDCWD, c.Path, int(arg(c, 1)), uint32(arg(c, 2)))
	case engine.SYS_openat:
		pathIdx = 1
		ret, errno = e.sysOpen(arg(c, 0), c.Path, int(arg(c, 2)), uint32(arg(c, 3)))
	case engine.SYS_creat:
		pathIdx = 0
		ret, errno = e.sysOpen(engine.AT_FDCWD, c.Path, unix.O_CREAT|unix.O_WRONLY|unix.O_TRUNC, uint32(arg(c, 1)))
	case engine.SYS_close:
		f := e.lookupFD(arg(c, 0))
		if f == nil {
			return -1, engine.EBADF, -1
		}
		f.close()
		delete(e.fds, int(arg(c, 0)))
	case engine.SYS_read, engine.SYS_pread64:
		ret, errno = e.sysRead(c)
	case engine.SYS_write, engine.SYS_pwrite64:
		ret, errno = e.sysWrite(c)
	case engine.SYS_lseek:
		r, err := unix.Seek(e.realFD(arg(c, 0)), arg(c, 1), int(arg(c, 2)))
		ret, errno = r, errnoOf(err)
	case engine.SYS_ftruncate:
		errno = errnoOf(unix.Ftruncate(e.realFD(arg(c, 0)), arg(c, 1)))
		// Shrinking a file unmaps its pages past the new end in every
		// mapping of it.
		e.known.forgetAll()
	case engine.SYS_fsync, engine.SYS_fdatasync:
		errno = errnoOf(unix.Fsync(e.realFD(arg(c, 0))))
	case engine.SYS_fstat:
		buf := uint64(arg(c, 1))
		if !e.rec.covered(buf, buf+sizeofStat) {
			return -1, engine.EFAULT, -1
		}
		var en unix.Errno
		e.kernelWrites(buf, sizeofStat, func() {
			_, _, en = unix.Syscall(unix.SYS_FSTAT, uintptr(e.realFD(arg(c, 0))), uintptr(buf), 0)
		})
		errno = engine.Errno(en)
	case engine.SYS_stat, engine.SYS_lstat:
		pathIdx = 0
		buf := uint64(arg(c, 1))
		fd, _, _, en := e.openPath(engine.AT_FDCWD, c.Path, unix.O_PATH, 0)
		if en != 0 {
			return -1, en, 0
		}
		defer unix.Close(fd)
		if !e.rec.covered(buf, buf+sizeofStat) {
			return -1, engine.EFAULT, 0
		}
		var e2 unix.Errno
		e.kernelWrites(buf, sizeofStat, func() {
			_, _, e2 = unix.Syscall(unix.SYS_FSTAT, uintptr(fd), uintptr(buf), 0)
		})
		errno = engine.Errno(e2)
	case engine.SYS_unlink:
		pathIdx = 0
		errno = e.sysUnlink(c.Path)
	case engine.SYS_mmap:
		ret, errno = e.sysMmap(c)
	case engine.SYS_munmap:
		errno = e.sysMunmap(uint64(arg(c, 0)), uint64(arg(c, 1)))
	case engine.SYS_mprotect:
		errno = e.sysMprotect(uint64(arg(c, 0)), uint64(arg(c, 1)), int(arg(c, 2)))
	case engine.SYS_mremap:
		ret, errno = e.sysMremap(c)
	case engine.SYS_madvise:
		errno = e.sysMadvise(uint64(arg(c, 0)), uint64(arg(c, 1)), int(arg(c, 2)))
	case engine.SYS_msync:
		errno = e.sysRange(unix.SYS_MSYNC, c, func(a, b uint64) {
			for _, p := range e.rec.pieces(a, b) {
				// Writeback write-protects the pages it cleans: the next
				// write faults again (page_mkwrite).
				e.known.forget(p[0], p[1], true)
			}
		})
	case engine.SYS_mlock, engine.SYS_mlock2:
		errno = e.sysRange(unix.SYS_MLOCK, c, func(a, b uint64) {
			e.rec.update(a, b, func(x *area) { x.locked = true })
			e.populated(a, b, "mlock")
		})
	case engine.SYS_munlock:
		errno = e.sysRange(unix.SYS_MUNLOCK, c, func(a, b uint64) {
			e.rec.update(a, b, func(x *area) { x.locked = false })
		})
	case engine.SYS_mincore:
		errno = e.sysMincore(uint64(arg(c, 0)), uint64(arg(c, 1)), uint64(arg(c, 2)))
	case engine.SYS_brk:
		ret = int64(e.sysBrk(uint64(arg(c, 0))))
	case engine.SYS_fork, engine.SYS_vfork, engine.SYS_clone:
		e.later(engine.Event{Type: engine.EvNote, Message: "fork runs only on the simulated engine: a Go process cannot fork safely, so the real engine answers ENOSYS (docs/real-engine.md)"})
		return -1, engine.ENOSYS, -1
	case engine.SYS_wait4:
		return -1, engine.ECHILD, -1
	case engine.SYS_exit, engine.SYS_exit_group:
		return 0, 0, -1
	case engine.SYS_nanosleep:
		// The interpreter passes the duration in nanoseconds, as the
		// simulated engine takes it.
		if arg(c, 0) < 0 {
			return -1, engine.EINVAL, -1
		}
		time.Sleep(time.Duration(arg(c, 0)))
	case engine.SYS_getppid:
		return int64(unix.Getppid()), 0, -1
	case engine.SYS_kill:
		pid, sig := arg(c, 0), int(arg(c, 1))
		if sig < 0 || sig > 64 {
			return -1, engine.EINVAL, -1
		}
		if pid != 0 && pid != -1 && pid != int64(e.pid) {
			return -1, engine.ESRCH, -1
		}
		if sig != 0 && sig != engine.SIGCHLD {
			e.raise = &engine.Signal{Signo: sig}
		}
	case engine.SYS_mlockall, engine.SYS_munlockall:
		lock := nr == engine.SYS_mlockall
		// The engine locks the program's own areas, not the worker's
		// runtime, so it makes mlockall's own check of its flags first.
		if fl := arg(c, 0); lock && (fl == 0 || fl&^(engine.MCL_CURRENT|engine.MCL_FUTURE|engine.MCL_ONFAULT) != 0 || fl == engine.MCL_ONFAULT) {
			return -1, engine.EINVAL, -1
		}
		for _, a := range e.rec.areas {
			nr := uintptr(unix.SYS_MLOCK)
			if !lock {
				nr = unix.SYS_MUNLOCK
			}
			if _, _, en := unix.Syscall(nr, uintptr(a.start), uintptr(a.end-a.start), 0); en != 0 {
				return -1, engine.Errno(en), -1
			}
			a.locked = lock
		}
	default:
		return -1, engine.ENOSYS, -1
	}
	return ret, errno, pathIdx
}

// sizeofStat is sizeof(struct stat) on x86-64.
const sizeofStat = 144

func (e *Engine) sysOpen(dirfd int64, p string, flags int, mode uint32) (int64, engine.Errno) {
	fd, name, dev, errno := e.openPath(dirfd, p, flags, mode)
	if errno != 0 {
		return -1, errno
	}
	n, errno := e.newFD(&fileDesc{realFD: fd, name: name, dev: dev})
	if errno != 0 {
		unix.Close(fd)
		return -1, errno
	}
	return int64(n), 0
}

func (e *Engine) sysUnlink(p string) engine.Errno {
	if p == "" {
		return engine.ENOENT
	}
	if p[0] == '/' {
		return engine.ENOENT
	}
	dir, base := path.Split(p)
	if base == "" || base == "." || base == ".." {
		return engine.EISDIR
	}
	if dir == "" {
		dir = "."
	}
	fd, _, _, errno := e.openPath(engine.AT_FDCWD, dir, unix.O_PATH|unix.O_DIRECTORY, 0)
	if errno != 0 {
		return errno
	}
	defer unix.Close(fd)
	return errnoOf(unix.Unlinkat(fd, base, 0))
}

// sysRead reads into the program's buffer: the kernel's copy_to_user
// writes the program's memory directly.
func (e *Engine) sysRead(c engine.Call) (int64, engine.Errno) {
	fd, buf, n := arg(c, 0), uint64(arg(c, 1)), uint64(arg(c, 2))
	f := e.lookupFD(fd)
	if f == nil {
		return -1, engine.EBADF
	}
	if n > 0 && !e.rec.covered(buf, buf+n) {
		return -1, engine.EFAULT
	}
	if f.stdio >= 0 && f.realFD < 0 {
		if f.stdio == 0 {
			return 0, 0 // no standard input: end of file
		}
		return -1, engine.EBADF
	}
	var r uintptr
	var en unix.Errno
	e.kernelWrites(buf, n, func() {
		if c.Name == "read" {
			r, _, en = unix.Syscall(unix.SYS_READ, uintptr(f.realFD), uintptr(buf), uintptr(n))
		} else {
			r, _, en = unix.Syscall6(unix.SYS_PREAD64, uintptr(f.realFD), uintptr(buf), uintptr(n), uintptr(arg(c, 3)), 0, 0)
		}
	})
	if en != 0 {
		return -1, engine.Errno(en)
	}
	if r > 0 {
		e.counters.CopyToUser += uint64(r)
		e.counters.Copies++
		e.later(engine.Event{Type: engine.EvCopy, Dir: "copy_to_user", Addr: buf, Bytes: uint64(r), File: f.name})
	}
	return int64(r), 0
}

// sysWrite writes from the program's buffer; standard output and error
// become stdout and stderr events.
func (e *Engine) sysWrite(c engine.Call) (int64, engine.Errno) {
	fd, buf, n := arg(c, 0), uint64(arg(c, 1)), uint64(arg(c, 2))
	f := e.lookupFD(fd)
	if f == nil {
		return -1, engine.EBADF
	}
	if n > 0 && !e.rec.covered(buf, buf+n) {
		return -1, engine.EFAULT
	}
	if f.realFD < 0 && f.stdio >= 1 {
		if n > 1<<24 {
			n = 1 << 24
		}
		b := make([]byte, n)
		if _, bad := copyIn(buf, b); bad {
			return -1, engine.EFAULT
		}
		typ := engine.EvStdout
		if f.stdio == 2 {
			typ = engine.EvStderr
		}
		e.later(engine.Event{Type: typ, Text: string(b)})
		return int64(n), 0
	}
	if f.realFD < 0 {
		return -1, engine.EBADF
	}
	var r uintptr
	var en unix.Errno
	if c.Name == "write" {
		r, _, en = unix.Syscall(unix.SYS_WRITE, uintptr(f.realFD), uintptr(buf), uintptr(n))
	} else {
		r, _, en = unix.Syscall6(unix.SYS_PWRITE64, uintptr(f.realFD), uintptr(buf), uintptr(n), uintptr(arg(c, 3)), 0, 0)
	}
	if en != 0 {
		return -1, engine.Errno(en)
	}
	if r > 0 {
		e.counters.CopyFromUser += uint64(r)
		e.counters.Copies++
		e.later(engine.Event{Type: engine.EvCopy, Dir: "copy_from_user", Addr: buf, Bytes: uint64(r), File: f.name})
	}
	return int64(r), 0
}

// foreign reports whether [start, end) overlaps memory the program did not
// map (the Go runtime's).
func (e *Engine) foreign(start, end uint64) bool {
	lines, err := readMaps(false)
	if err != nil {
		return true
	}
	for _, l := range lines {
		if l.end <= start || l.start >= end {
			continue
		}
		s, t := max(l.start, start), min(l.end, end)
		if !e.rec.covered(s, t) {
			return true
		}
	}
	return false
}

func (e *Engine) sysMmap(c engine.Call) (int64, engine.Errno) {
	addr, length, prot, flags := uint64(arg(c, 0)), uint64(arg(c, 1)), int(arg(c, 2)), int(arg(c, 3))
	fd, off := arg(c, 4), arg(c, 5)
	before := e.visible()
	a := &area{prot: prot, flags: flags, shared: flags&engine.MAP_TYPE != engine.MAP_PRIVATE, offset: uint64(off), call: "mmap"}
	realFD := -1
	if flags&engine.MAP_ANONYMOUS != 0 {
		a.anon = true
	} else {
		f := e.lookupFD(fd)
		if f != nil && f.realFD >= 0 {
			realFD = f.realFD
			a.file = f.name
			a.anon = f.dev // /dev/zero's mappings are anonymous memory
		}
	}
	length0 := pageUp(length)
	if flags&engine.MAP_FIXED != 0 && length0 != 0 && addr&engine.PageMask == 0 && addr+length0 > addr && e.foreign(addr, addr+length0) {
		e.later(engine.Event{Type: engine.EvNote, Message: "mmap: MAP_FIXED over memory the worker itself uses is refused with ENOMEM on the real engine"})
		return -1, engine.ENOMEM
	}
	r, _, en := unix.Syscall6(unix.SYS_MMAP, uintptr(addr), uintptr(length), uintptr(prot), uintptr(flags), uintptr(realFD), uintptr(off))
	if en != 0 {
		return -1, engine.Errno(en)
	}
	e.calls++
	a.start, a.end, a.seq = uint64(r), uint64(r)+length0, e.calls
	e.rec.carve(a.start, a.end)
	e.rec.insert(a)
	e.known.forget(a.start, a.end, false)
	if a.anon && !a.shared && e.caps.AnonName {
		// The same name for all of them: they merge with each other as the
		// kernel merges anonymous areas, never with the runtime's.
		_ = nameArea(a.start, length0, "playground")
	}
	e.diffAreas(before, "mmap", a.start, a.end)
	if flags&(engine.MAP_POPULATE|engine.MAP_LOCKED) != 0 {
		if flags&engine.MAP_LOCKED != 0 {
			a.locked = true
		}
		e.populated(a.start, a.end, "mmap")
	}
	return int64(r), 0
}

// populated reports pages a call (MAP_POPULATE, mlock, MADV_POPULATE_*) made
// present without faults the program took.
func (e *Engine) populated(start, end uint64, why string) {
	if n := e.countPresent(start, end); n > 0 {
		e.counters.PTEsSet += uint64(n)
		e.later(engine.Event{Type: engine.EvPTE, Op: "set", Why: why, Addr: start, Pages: n})
	}
}

func (e *Engine) sysMunmap(addr, length uint64) engine.Errno {
	end := addr + pageUp(length)
	if addr&engine.PageMask != 0 || length == 0 || end < addr || end > engine.TaskSize+engine.PageSize {
		return engine.EINVAL
	}
	before := e.visible()
	for _, p := range e.rec.pieces(addr, end) {
		if _, _, en := unix.Syscall(unix.SYS_MUNMAP, uintptr(p[0]), uintptr(p[1]-p[0]), 0); en != 0 {
			return engine.Errno(en)
		}
	}
	e.rec.carve(addr, end)
	e.known.forget(addr, end, false)
	e.diffAreas(before, "munmap", addr, end)
	return 0
}

// checkRange is the checks the kernel makes before a range call, and the
// engine's own: the range must be the program's, as if nothing else were
// mapped.
func (e *Engine) checkRange(addr, length uint64) (uint64, engine.Errno) {
	end := addr + pageUp(length)
	if addr&engine.PageMask != 0 || end < addr {
		return 0, engine.EINVAL
	}
	if !e.rec.covered(addr, end) {
		return 0, engine.ENOMEM
	}
	return end, 0
}

func (e *Engine) sysMprotect(addr, length uint64, prot int) engine.Errno {
	end, errno := e.checkRange(addr, length)
	if errno != 0 || end == addr {
		return errno
	}
	before := e.visible()
	if _, _, en := unix.Syscall(unix.SYS_MPROTECT, uintptr(addr), uintptr(length), uintptr(prot)); en != 0 {
		return engine.Errno(en)
	}
	e.rec.update(addr, end, func(a *area) { a.prot = prot })
	e.known.forget(addr, end, false)
	e.diffAreas(before, "mprotect", addr, end)
	return 0
}

func (e *Engine) sysMadvise(addr, length uint64, advice int) engine.Errno {
	end, errno := e.checkRange(addr, length)
	if errno != 0 || end == addr {
		return errno
	}
	if _, _, en := unix.Syscall(unix.SYS_MADVISE, uintptr(addr), uintptr(length), uintptr(advice)); en != 0 {
		return engine.Errno(en)
	}
	switch advice {
	case engine.MADV_DONTNEED, engine.MADV_FREE, engine.MADV_REMOVE, engine.MADV_PAGEOUT, engine.MADV_COLD:
		e.known.forget(addr, end, false)
		e.later(engine.Event{Type: engine.EvPTE, Op: "clear", Why: "madvise", Addr: addr, Pages: int((end - addr) >> engine.PageShift)})
	case engine.MADV_HUGEPAGE, engine.MADV_NOHUGEPAGE:
		e.rec.update(addr, end, func(a *area) { a.huge = advice == engine.MADV_HUGEPAGE })
		e.smapsGen++
	case engine.MADV_POPULATE_READ, engine.MADV_POPULATE_WRITE, engine.MADV_WILLNEED:
		e.populated(addr, end, "madvise")
	}
	return 0
}

// sysRange is msync, mlock, munlock: the range checks, the call, then done.
func (e *Engine) sysRange(nr uintptr, c engine.Call, done func(a, b uint64)) engine.Errno {
	addr, length := uint64(arg(c, 0)), uint64(arg(c, 1))
	end, errno := e.checkRange(addr, length)
	if errno != 0 {
		return errno
	}
	if _, _, en := unix.Syscall(nr, uintptr(addr), uintptr(length), uintptr(arg(c, 2))); en != 0 {
		return engine.Errno(en)
	}
	done(addr, end)
	e.smapsGen++ // VmFlags (LOCKED) may have changed
	return 0
}

func (e *Engine) sysMincore(addr, length, vec uint64) engine.Errno {
	end, errno := e.checkRange(addr, length)
	if errno != 0 {
		return errno
	}
	if n := (end - addr) >> engine.PageShift; n > 0 && !e.rec.covered(vec, vec+n) {
		return engine.EFAULT
	}
	var en unix.Errno
	e.kernelWrites(vec, (end-addr)>>engine.PageShift, func() {
		_, _, en = unix.Syscall(unix.SYS_MINCORE, uintptr(addr), uintptr(length), uintptr(vec))
	})
	return engine.Errno(en)
}

func (e *Engine) sysMremap(c engine.Call) (int64, engine.Errno) {
	old, oldLen, newLen, flags, newAddr := uint64(arg(c, 0)), uint64(arg(c, 1)), uint64(arg(c, 2)), int(arg(c, 3)), uint64(arg(c, 4))
	// The kernel's checks of the arguments alone come before it looks for
	// the area, so they come before the engine's own check that the area is
	// the program's: a bad argument is EINVAL wherever old points.
	if errno := engine.CheckMremap(old, oldLen, newLen, int64(flags), newAddr); errno != 0 {
		return -1, errno
	}
	oldEnd := old + pageUp(oldLen)
	if oldLen != 0 && !e.rec.covered(old, oldEnd) {
		return -1, engine.EFAULT
	}
	if flags&engine.MREMAP_FIXED != 0 && e.foreign(newAddr, newAddr+pageUp(newLen)) {
		return -1, engine.ENOMEM
	}
	before := e.visible()
	r, _, en := unix.Syscall6(unix.SYS_MREMAP, uintptr(old), uintptr(oldLen), uintptr(newLen), uintptr(flags), uintptr(newAddr), 0)
	if en != 0 {
		return -1, engine.Errno(en)
	}
	pieces := e.rec.carve(old, oldEnd)
	if flags&engine.MREMAP_DONTUNMAP != 0 {
		for _, p := range pieces {
			q := *p
			e.rec.insert(&q)
		}
	}
	e.calls++
	a := &area{call: "mremap", seq: e.calls, anon: true}
	if len(pieces) > 0 {
		*a = *pieces[0]
		a.call, a.seq = "mremap", e.calls
	}
	a.start, a.end = uint64(r), uint64(r)+pageUp(newLen)
	e.rec.carve(a.start, a.end)
	e.rec.insert(a)
	e.known.forget(old, oldEnd, false)
	e.known.forget(a.start, a.end, false)
	e.diffAreas(before, "mremap", a.start, a.end)
	return int64(r), 0
}

// sysBrk moves the program break, as brk(2) does: the heap is an anonymous
// area from the end of the image, grown in place or not at all.
func (e *Engine) sysBrk(want uint64) uint64 {
	if want == 0 || want < e.brkStart {
		return e.brk
	}
	before := e.visible()
	cur, next := pageUp(e.brk), pageUp(want)
	switch {
	case next > cur:
		r, _, en := unix.Syscall6(unix.SYS_MMAP, uintptr(cur), uintptr(next-cur), unix.PROT_READ|unix.PROT_WRITE,
			unix.MAP_PRIVATE|unix.MAP_ANONYMOUS|unix.MAP_FIXED_NOREPLACE, ^uintptr(0), 0)
		if en != 0 || uint64(r) != cur {
			if en == 0 {
				unix.Syscall(unix.SYS_MUNMAP, r, uintptr(next-cur), 0)
			}
			return e.brk
		}
		e.calls++
		e.rec.insert(&area{start: cur, end: next, prot: unix.PROT_READ | unix.PROT_WRITE, flags: unix.MAP_PRIVATE | unix.MAP_ANONYMOUS, anon: true, label: "[heap]", call: "brk", seq: e.calls})
		_ = nameArea(e.brkStart, next-e.brkStart, "heap")
	case next < cur:
		unix.Syscall(unix.SYS_MUNMAP, uintptr(next), uintptr(cur-next), 0)
		e.rec.carve(next, cur)
		e.known.forget(next, cur, false)
	}
	e.brk = want
	e.diffAreas(before, "brk", e.brkStart, next)
	return e.brk
}

// visible is the program's areas as the kernel lists them, without page
// counts: what diffAreas compares.
func (e *Engine) visible() []engine.VMA {
	lines, _ := readMaps(false)
	var out []engine.VMA
	for _, l := range lines {
		for _, p := range e.rec.pieces(l.start, l.end) {
			v := engine.VMA{Start: p[0], End: p[1], Perms: l.perms, Offset: l.offset + (p[0] - l.start)}
			if a := e.rec.find(p[0]); a != nil {
				v.File = a.label
				if v.File == "" && !a.anon {
					v.File = a.file
				}
				if a.anon && a.shared {
					v.File = "/dev/zero (deleted)"
				}
			}
			out = append(out, v)
		}
	}
	return out
}

// diffAreas reports how the call changed the program's areas, comparing the
// kernel's list before and after. An added area larger than the call's range
// is the kernel merging it with a neighbour; the record still shows each.
func (e *Engine) diffAreas(before []engine.VMA, call string, start, end uint64) {
	e.smapsGen++
	after := e.visible()
	in := func(v engine.VMA, list []engine.VMA) bool {
		for _, w := range list {
			if v.Start == w.Start && v.End == w.End && v.Perms == w.Perms && v.Offset == w.Offset && v.File == w.File {
				return true
			}
		}
		return false
	}
	var removed, merged []engine.VMA
	for _, v := range before {
		if !in(v, after) {
			removed = append(removed, v)
		}
	}
	for _, v := range after {
		if in(v, before) {
			continue
		}
		v := v
		why := call
		var old *engine.VMA
		for i, r := range removed {
			if r.Start == v.Start {
				r := r
				old = &r
				removed = append(removed[:i], removed[i+1:]...)
				break
			}
		}
		op := "add"
		if old != nil {
			op = "change"
		}
		if (v.Start < start || v.End > end) && start < end && v.Start < end && v.End > start && call != "brk" && call != "munmap" {
			why = "merge"
			merged = append(merged, v)
			e.later(engine.Event{Type: engine.EvNote, Message: "the kernel merged " + call + "'s range " + hexRange(start, end) + " with its neighbour into one area " + hexRange(v.Start, v.End) + "; the engine's record keeps each call's range (docs/differences.md#merging)"})
		}
		e.later(engine.Event{Type: engine.EvVMA, Op: op, Why: why, VMA: &v, Old: old})
	}
	for _, r := range removed {
		r := r
		why := call
		if r.Start < start || r.End > end {
			why = "split"
		}
		for _, m := range merged {
			if r.Start >= m.Start && r.End <= m.End {
				why = "merge"
			}
		}
		e.later(engine.Event{Type: engine.EvVMA, Op: "remove", Why: why, VMA: &r})
	}
}

func hexRange(a, b uint64) string {
	return strconv.FormatUint(a, 16) + "-" + strconv.FormatUint(b, 16)
}

// kernelWrites makes a call in which the kernel writes [buf, buf+n) of the
// program's memory (copy_to_user), and reports the faults the kernel took
// there in kernel mode: the pages of the buffer that became present, and the
// thread's fault counts around the call. Pages it finds present are known
// afterwards.
func (e *Engine) kernelWrites(buf, n uint64, call func()) {
	if n == 0 || n > 8<<20 || e.pagemapFD < 0 || e.known.all(buf, n, true) {
		call()
		return
	}
	lo, hi := buf&^engine.PageMask, pageUp(buf+n)
	before, _ := pagemap(e.pagemapFD, lo, hi, nil)
	min0, maj0 := threadFaults()
	call()
	min1, maj1 := threadFaults()
	after, _ := pagemap(e.pagemapFD, lo, hi, e.pmBuf)
	e.pmBuf = after
	faults := (min1 - min0) + (maj1 - maj0)
	var reported uint64
	for i := range after {
		page := lo + uint64(i)<<engine.PageShift
		if after[i]&pmPresent == 0 {
			continue
		}
		if i < len(before) && before[i]&pmPresent == 0 && reported < faults {
			a := e.rec.find(page)
			if a == nil {
				continue
			}
			reported++
			e.ev = engine.Event{Type: engine.EvFault, Addr: page, Access: "write", Kind: faultKind(a, true, false, false, e.caps.ZeroPage),
				Result: "ok", Path: []string{"copy_to_user"}}
			e.counters.MinorFaults++
			e.counters.PTEsSet++
			e.emit()
		}
		e.known.set(page, true)
	}
}
