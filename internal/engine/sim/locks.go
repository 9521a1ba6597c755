package sim

import (
	"encoding/binary"
	"math"

	"github.com/mmapplayground/playground/internal/engine"
)

// Record locks, analogous to fs/locks.c: POSIX locks (F_SETLK, F_SETLKW,
// F_GETLK), owned by the process and dropped when it closes any
// descriptor of the file or exits, and open file description locks
// (F_OFD_*), owned by the open file and dropped when its last descriptor
// closes. Locks of one owner never conflict with each other: a new one
// replaces what the owner held in its range (splitting or merging, as
// posix_lock_inode does); two owners' locks conflict when they overlap and
// one of them is a write lock.
//
//	check (fcntl_setlk / fcntl_getlk)                              errno
//	struct flock not readable or writable                          EFAULT
//	l_type not F_RDLCK, F_WRLCK or F_UNLCK (GETLK: not F_UNLCK      EINVAL
//	  except for OFD), l_whence not SEEK_*, start negative
//	OFD with l_pid not 0                                           EINVAL
//	F_RDLCK on a file not open for reading, F_WRLCK for writing    EBADF
//	F_SETLK on a conflicting lock                                  EAGAIN
//	F_SETLKW on a conflicting lock: the call blocks

// fileLock is one lock (struct file_lock): its owner, type and inclusive
// byte range [start, end].
type fileLock struct {
	ofd        uint64 // the owning open file's id (OFD lock); 0 for POSIX
	pid        int    // the owning process (POSIX lock)
	typ        int16  // F_RDLCK or F_WRLCK
	start, end uint64
}

// offsetMax is OFFSET_MAX: a lock of length 0 reaches it.
const offsetMax = math.MaxInt64

func (l *fileLock) sameOwner(m *fileLock) bool {
	return l.ofd == m.ofd && (l.ofd != 0 || l.pid == m.pid)
}

func (l *fileLock) overlaps(m *fileLock) bool { return l.start <= m.end && m.start <= l.end }

func (l *fileLock) conflicts(m *fileLock) bool {
	return !l.sameOwner(m) && l.overlaps(m) && (l.typ == engine.F_WRLCK || m.typ == engine.F_WRLCK)
}

// flockSize is sizeof(struct flock) on x86-64: l_type, l_whence, l_start,
// l_len, l_pid.
const flockSize = 32

func (e *Engine) fcntlLock(p *process, f *file, cmd int64, arg uint64, path *[]string) (int64, engine.Errno, bool) {
	r, err := e.fcntlLockErr(p, f, cmd, arg, path)
	if err == errLockBlocks {
		return 0, 0, true
	}
	return r, err, false
}

// errLockBlocks says F_SETLKW must wait: never returned to the program.
const errLockBlocks engine.Errno = -1

func (e *Engine) fcntlLockErr(p *process, f *file, cmd int64, arg uint64, path *[]string) (int64, engine.Errno) {
	var b [flockSize]byte
	if err := e.copyFromUser(p, arg, b[:]); err != 0 {
		return -1, err
	}
	typ := int16(binary.LittleEndian.Uint16(b[0:]))
	whence := int16(binary.LittleEndian.Uint16(b[2:]))
	start := int64(binary.LittleEndian.Uint64(b[8:]))
	length := int64(binary.LittleEndian.Uint64(b[16:]))
	lpid := int32(binary.LittleEndian.Uint32(b[24:]))
	ofd := cmd == engine.F_OFD_GETLK || cmd == engine.F_OFD_SETLK || cmd == engine.F_OFD_SETLKW
	get := cmd == engine.F_GETLK || cmd == engine.F_OFD_GETLK
	if ofd && lpid != 0 {
		return -1, engine.EINVAL
	}
	if typ != engine.F_RDLCK && typ != engine.F_WRLCK && typ != engine.F_UNLCK {
		return -1, engine.EINVAL
	}
	// flock_to_posix_lock: the range from l_whence, l_start and l_len.
	base, ok := f.whenceBase(int64(whence))
	if !ok {
		return -1, engine.EINVAL
	}
	start += base
	if start < 0 {
		return -1, engine.EINVAL
	}
	end := uint64(offsetMax)
	switch {
	case length > 0:
		end = uint64(start + length - 1)
	case length < 0:
		if start+length < 0 {
			return -1, engine.EINVAL
		}
		end = uint64(start - 1)
		start += length
	}
	l := fileLock{pid: p.pid, typ: typ, start: uint64(start), end: end}
	if ofd {
		l.ofd, l.pid = e.fileID(f), 0
	}
	ino := f.ino
	if get {
		*path = append(*path, "vfs_test_lock", "posix_test_lock")
		if typ == engine.F_UNLCK && !ofd {
			return -1, engine.EINVAL
		}
		found := -1
		for i := range ino.locks {
			c := &ino.locks[i]
			// F_UNLCK (OFD) asks for the caller's own locks.
			if typ == engine.F_UNLCK && c.sameOwner(&l) && c.overlaps(&l) || typ != engine.F_UNLCK && c.conflicts(&l) {
				found = i
				break
			}
		}
		out := b
		binary.LittleEndian.PutUint16(out[0:], engine.F_UNLCK)
		if found >= 0 {
			c := ino.locks[found]
			pid := int32(c.pid)
			if c.ofd != 0 {
				pid = -1
			}
			n := int64(0)
			if c.end != offsetMax {
				n = int64(c.end - c.start + 1)
			}
			binary.LittleEndian.PutUint16(out[0:], uint16(c.typ))
			binary.LittleEndian.PutUint16(out[2:], engine.SEEK_SET)
			binary.LittleEndian.PutUint64(out[8:], c.start)
			binary.LittleEndian.PutUint64(out[16:], uint64(n))
			binary.LittleEndian.PutUint32(out[24:], uint32(pid))
		}
		if err := e.copyToUser(p, arg, out[:], nil); err != 0 {
			return -1, err
		}
		return 0, 0
	}
	*path = append(*path, "vfs_lock_file", "posix_lock_inode")
	if typ == engine.F_RDLCK && !f.canRead() || typ == engine.F_WRLCK && !f.canWrite() {
		return -1, engine.EBADF
	}
	if typ != engine.F_UNLCK {
		for i := range ino.locks {
			if ino.locks[i].conflicts(&l) {
				if cmd == engine.F_SETLKW || cmd == engine.F_OFD_SETLKW {
					return -1, errLockBlocks
				}
				return -1, engine.EAGAIN
			}
		}
	}
	ino.locks = setLock(ino.locks, l)
	return 0, 0
}

// setLock puts l in locks, replacing what its owner held in its range:
// the owner's other locks are cut around it, and its own type's
// neighbours and overlaps are merged with it. F_UNLCK only cuts.
func setLock(locks []fileLock, l fileLock) []fileLock {
	out := make([]fileLock, 0, len(locks)+2)
	for _, c := range locks {
		if !c.sameOwner(&l) {
			out = append(out, c)
			continue
		}
		adjacent := c.end != offsetMax && c.end+1 == l.start || l.end != offsetMax && l.end+1 == c.start
		if c.typ == l.typ && (c.overlaps(&l) || adjacent) {
			l.start, l.end = min(l.start, c.start), max(l.end, c.end)
			continue
		}
		if !c.overlaps(&l) {
			out = append(out, c)
			continue
		}
		if c.start < l.start {
			left := c
			left.end = l.start - 1
			out = append(out, left)
		}
		if c.end > l.end {
			right := c
			right.start = l.end + 1
			out = append(out, right)
		}
	}
	if l.typ == engine.F_UNLCK {
		return out
	}
	// The owner's locks stay in order of their start, where
	// posix_lock_inode links the new one in; a new owner's go last.
	at := len(out)
	for i := range out {
		if out[i].sameOwner(&l) {
			at = i + 1
			if out[i].start > l.start {
				at = i
				break
			}
		}
	}
	out = append(out, fileLock{})
	copy(out[at+1:], out[at:])
	out[at] = l
	return out
}

// locksRemovePosix is locks_remove_posix: a close of any of a process's
// descriptors of a file drops its POSIX locks on the file.
func locksRemovePosix(ino *inode, pid int) {
	out := ino.locks[:0]
	for _, c := range ino.locks {
		if c.ofd != 0 || c.pid != pid {
			out = append(out, c)
		}
	}
	ino.locks = out
}

// locksRemoveFile is locks_remove_file: the last close of an open file
// drops its OFD locks.
func locksRemoveFile(f *file) {
	if f.id == 0 {
		return
	}
	out := f.ino.locks[:0]
	for _, c := range f.ino.locks {
		if c.ofd != f.id {
			out = append(out, c)
		}
	}
	f.ino.locks = out
}
