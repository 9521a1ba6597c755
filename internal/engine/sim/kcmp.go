package sim

import (
	"encoding/binary"

	"github.com/mmapplayground/playground/internal/engine"
)

// kcmp, analogous to kernel/kcmp.c: whether two processes share a kernel
// object, and an order between two that differ. The kernel orders the
// objects' addresses scrambled by a boot-time cookie; the model orders
// their ids scrambled by a fixed odd multiplier, so the answer is the same
// on every run (and, as natively, says nothing about which was made
// first).
//
//	check                                               errno
//	either pid not a process                            ESRCH
//	type unknown                                        EINVAL
//	KCMP_FILE: idx1 or idx2 not an open descriptor      EBADF
//	KCMP_EPOLL_TFD: idx1 not open in pid1               EBADF
//	  the slot at idx2 not readable                     EFAULT
//	  its efd not open in pid2                          EBADF
//	  not an epoll                                      EINVAL
//	  no item of its tfd (the toff-th)                  ENOENT
//
// The objects: an open file (KCMP_FILE, and KCMP_EPOLL_TFD's target); the
// address space, the descriptor table, the fs_struct and the signal
// handlers of a process (the model shares only the table, with
// CLONE_FILES; the others are each process's own); its I/O context and
// semaphore undo list, which no process of the model has.
func (e *Engine) sysKcmp(p *process, pid1, pid2, typ int64, idx1, idx2 uint64) (int64, engine.Errno) {
	t1, t2 := e.kcmpTask(pid1), e.kcmpTask(pid2)
	if t1 == nil || t2 == nil {
		return -1, engine.ESRCH
	}
	var a, b uint64
	switch typ {
	case engine.KCMP_FILE:
		f1, f2 := t1.fd(int64(uint32(idx1))), t2.fd(int64(uint32(idx2)))
		if f1 == nil || f2 == nil {
			return -1, engine.EBADF
		}
		a, b = e.fileID(f1), e.fileID(f2)
	case engine.KCMP_FILES:
		a, b = e.filesID(t1.files), e.filesID(t2.files)
	case engine.KCMP_VM, engine.KCMP_FS, engine.KCMP_SIGHAND:
		a, b = uint64(t1.pid), uint64(t2.pid)
	case engine.KCMP_IO, engine.KCMP_SYSVSEM:
		// task->io_context and sysvsem.undo_list: NULL for every process
		// of the model (it makes no block I/O context and has no
		// semaphores), so any two are equal.
		a, b = 0, 0
	case engine.KCMP_EPOLL_TFD:
		f1 := t1.fd(int64(uint32(idx1)))
		if f1 == nil {
			return -1, engine.EBADF
		}
		f2, err := e.kcmpEpollTarget(p, t2, idx2)
		if err != 0 {
			return -1, err
		}
		a, b = e.fileID(f1), e.fileID(f2)
	default:
		return -1, engine.EINVAL
	}
	return kcmpPtr(a, b, typ), 0
}

// kcmpTask is find_task_by_vpid for kcmp: a live process (a zombie has
// no files or address space left to compare: the kernel's get_task_mm and
// get_file_raw_rcu find none, so it is ESRCH here as well).
func (e *Engine) kcmpTask(pid int64) *process {
	t := e.proc(int(pid))
	if t == nil || t.exited {
		return nil
	}
	return t
}

// kcmpPtr is kcmp_ptr: 0 for the same object, else 1 or 2 as the
// scrambled ids order them.
func kcmpPtr(a, b uint64, typ int64) int64 {
	if a == b {
		return 0
	}
	const mul = 0x9e3779b97f4a7c15 // an odd multiplier: a bijection
	sa, sb := (a^uint64(typ))*mul, (b^uint64(typ))*mul
	if sa < sb {
		return 1
	}
	return 2
}

// fileID names an open file description (given the first time it is
// asked for; OFD locks use the same id).
func (e *Engine) fileID(f *file) uint64 {
	if f.id == 0 {
		e.nextFileID++
		f.id = e.nextFileID
	}
	return f.id
}

// filesID names a descriptor table.
func (e *Engine) filesID(fs *filesStruct) uint64 {
	if fs.id == 0 {
		e.nextFileID++
		fs.id = e.nextFileID
	}
	return fs.id
}

// kcmpEpollTarget is kcmp_epoll_target: the file that the epoll at the
// struct kcmp_epoll_slot {efd, tfd, toff} at slot (in the caller's
// memory) watches through t's descriptor tfd.
func (e *Engine) kcmpEpollTarget(p, t *process, slot uint64) (*file, engine.Errno) {
	var b [12]byte
	if err := e.access(p, slot, b[:], false, true); err != nil {
		return nil, engine.EFAULT
	}
	le := binary.LittleEndian
	ef := t.fd(int64(le.Uint32(b[:])))
	switch {
	case ef == nil:
		return nil, engine.EBADF
	case ef.ino.epoll == nil:
		return nil, engine.EINVAL
	}
	f := ef.ino.epoll.target(int(le.Uint32(b[4:])), int(le.Uint32(b[8:])))
	if f == nil {
		return nil, engine.ENOENT
	}
	return f, 0
}
