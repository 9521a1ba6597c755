package sim

import (
	"encoding/binary"

	"github.com/mmapplayground/playground/internal/engine"
)

// Event file descriptors, analogous to fs/eventfd.c: an anonymous inode
// holding a 64-bit counter. A write of 8 bytes adds to it, blocking while
// the sum would pass 0xfffffffffffffffe; a read of 8 bytes takes the
// whole count (or 1, with EFD_SEMAPHORE), blocking while it is 0. With
// EFD_NONBLOCK both are EAGAIN instead of blocking.

// eventfdMax is ULLONG_MAX - 1, the most the counter holds.
const eventfdMax = ^uint64(0) - 1

// eventfdState is an eventfd inode's eventfd_ctx.
type eventfdState struct {
	count     uint64
	semaphore bool
}

// sysEventfd2 is eventfd2(initval, flags): flags other than EFD_CLOEXEC,
// EFD_NONBLOCK and EFD_SEMAPHORE are EINVAL (do_eventfd).
func (e *Engine) sysEventfd2(p *process, initval uint32, flags int64, path *[]string) (int64, engine.Errno) {
	*path = append(*path, "do_eventfd")
	if flags&^(engine.EFD_CLOEXEC|engine.EFD_NONBLOCK|engine.EFD_SEMAPHORE) != 0 {
		return -1, engine.EINVAL
	}
	ino := e.fs.newInode("anon_inode:[eventfd]", kindEventfd)
	ino.nlink = 0
	ino.eventfd = &eventfdState{count: uint64(initval), semaphore: flags&engine.EFD_SEMAPHORE != 0}
	ino.opens = 1
	return int64(p.installFD(&file{ino: ino, flags: engine.O_RDWR | int(flags&(engine.EFD_NONBLOCK|engine.EFD_CLOEXEC)), refs: 1})), 0
}

// eventfdRead is eventfd_read: fewer than 8 bytes is EINVAL.
func (e *Engine) eventfdRead(p *process, f *file, buf uint64, count int64, path *[]string) engine.Result {
	st := f.ino.eventfd
	*path = append(*path, "eventfd_read")
	if count < 8 {
		return engine.Result{Ret: -1, Errno: engine.EINVAL}
	}
	if st.count == 0 {
		if f.flags&engine.O_NONBLOCK != 0 {
			return engine.Result{Ret: -1, Errno: engine.EAGAIN}
		}
		return engine.Result{Block: true}
	}
	v := st.count
	if st.semaphore {
		v = 1
	}
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], v)
	if err := e.copyToUser(p, buf, b[:], f.ino); err != 0 {
		return engine.Result{Ret: -1, Errno: err}
	}
	st.count -= v
	return engine.Result{Ret: 8}
}

// eventfdWrite is eventfd_write: fewer than 8 bytes, or the value
// ULLONG_MAX, is EINVAL.
func (e *Engine) eventfdWrite(p *process, f *file, buf uint64, count int64, path *[]string) engine.Result {
	st := f.ino.eventfd
	*path = append(*path, "eventfd_write")
	if count < 8 {
		return engine.Result{Ret: -1, Errno: engine.EINVAL}
	}
	var b [8]byte
	if err := e.access(p, buf, b[:], false, true); err != nil {
		return engine.Result{Ret: -1, Errno: engine.EFAULT}
	}
	e.copyEvent(p, "copy_from_user", buf, 8, f.ino)
	v := binary.LittleEndian.Uint64(b[:])
	if v == ^uint64(0) {
		return engine.Result{Ret: -1, Errno: engine.EINVAL}
	}
	if eventfdMax-st.count < v {
		if f.flags&engine.O_NONBLOCK != 0 {
			return engine.Result{Ret: -1, Errno: engine.EAGAIN}
		}
		return engine.Result{Block: true}
	}
	st.count += v
	return engine.Result{Ret: 8}
}
