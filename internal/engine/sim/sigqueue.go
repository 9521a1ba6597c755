package sim

import (
	"encoding/binary"

	"github.com/mmapplayground/playground/internal/engine"
)

// rt_sigqueueinfo and rt_tgsigqueueinfo, analogous to kernel/signal.c's
// do_rt_sigqueueinfo and do_rt_tgsigqueueinfo: a signal with the caller's
// siginfo queued on another process (its shared pending list) or on its
// thread (its own list), as struct sigqueue entries that ptrace's
// PTRACE_PEEKSIGINFO reads (ptrace.go). A real-time signal queues every
// time; a standard one only when not already queued (legacy_queue).
//
//	check                                                  errno
//	rt_tgsigqueueinfo: tgid or tid not positive             EINVAL
//	the siginfo cannot be read                             EFAULT
//	to another process, si_code not negative or SI_TKILL   EPERM
//	  (a kernel's code cannot be forged)
//	the signal past 64                                     EINVAL
//	no such process (or thread of it)                      ESRCH
//	RLIMIT_SIGPENDING's signals queued already             EAGAIN
//
// The queued entries are the engine's; delivering them is the
// interpreter's (it keeps the masks and handlers): it takes a queued
// signal the target does not block (TakeQueued), and leaves a blocked
// one queued. Signal 0 checks and queues nothing.

// queuedSig is one struct sigqueue: the signal and its siginfo.
type queuedSig struct {
	sig  int
	info [siginfoSize]byte
}

// sigPending is a task's or its group's struct sigpending.
type sigPending struct {
	list []queuedSig
}

// siCodeTkill is SI_TKILL.
const siCodeTkill = -6

func (e *Engine) sysRtSigqueueinfo(p *process, tgid, tid, sig int64, uinfo uint64, thread bool) (int64, engine.Errno) {
	if thread && (tgid <= 0 || tid <= 0) {
		return -1, engine.EINVAL
	}
	var info [siginfoSize]byte
	if err := e.access(p, uinfo, info[:], false, true); err != nil {
		return -1, engine.EFAULT
	}
	code := int32(binary.LittleEndian.Uint32(info[8:]))
	if (code >= 0 || code == siCodeTkill) && tgid != int64(p.pid) {
		return -1, engine.EPERM
	}
	binary.LittleEndian.PutUint32(info[0:], uint32(sig))
	if sig < 0 || sig > 64 {
		return -1, engine.EINVAL
	}
	t := e.proc(int(tgid))
	if t == nil || t.exited || thread && tid != tgid {
		return -1, engine.ESRCH
	}
	if sig == 0 {
		return 0, 0
	}
	q := &t.sharedPending
	if thread {
		q = &t.pending
	}
	if sig < sigRTMin {
		for _, s := range q.list {
			if s.sig == int(sig) {
				return 0, 0 // legacy_queue: already pending
			}
		}
	}
	if uint64(len(t.pending.list)+len(t.sharedPending.list)) >= t.sys.rlim[engine.RLIMIT_SIGPENDING].cur {
		return -1, engine.EAGAIN // __sigqueue_alloc over RLIMIT_SIGPENDING
	}
	e.signalEvent(t, int(sig))
	q.list = append(q.list, queuedSig{sig: int(sig), info: info})
	return 0, 0
}

// sigRTMin is SIGRTMIN as the kernel numbers it (glibc keeps 32 and 33).
const sigRTMin = 32

// TakeQueued takes from process pid's queues the first queued signal that
// blocked does not hold (a bit per signal, as sigset_t's first word),
// thread's list first (dequeue_signal): ok is false when none is.
func (e *Engine) TakeQueued(pid int, blocked uint64) (engine.QueuedSignal, bool) {
	t := e.proc(pid)
	if t == nil || t.exited {
		return engine.QueuedSignal{}, false
	}
	for _, q := range []*sigPending{&t.pending, &t.sharedPending} {
		for i, s := range q.list {
			if blocked&(1<<uint(s.sig-1)) != 0 {
				continue
			}
			q.list = append(q.list[:i:i], q.list[i+1:]...)
			return engine.QueuedSignal{Sig: s.sig, Code: int(int32(binary.LittleEndian.Uint32(s.info[8:]))), Shared: q == &t.sharedPending}, true
		}
	}
	return engine.QueuedSignal{}, false
}

// ptracePeeksiginfo is ptrace_peek_siginfo: struct ptrace_peeksiginfo_args
// (off, flags, nr) at addr; the entries of the tracee's own list (or its
// shared one, PTRACE_PEEKSIGINFO_SHARED) from off, at most nr, written to
// data. A write that faults ends the copy: EFAULT when nothing was
// written, else the count written.
func (e *Engine) ptracePeeksiginfo(p, t *process, addr, data uint64) (int64, engine.Errno) {
	var a [16]byte
	if err := e.access(p, addr, a[:], false, true); err != nil {
		return -1, engine.EFAULT
	}
	off := binary.LittleEndian.Uint64(a[0:])
	flags := binary.LittleEndian.Uint32(a[8:])
	nr := int32(binary.LittleEndian.Uint32(a[12:]))
	if flags&^engine.PTRACE_PEEKSIGINFO_SHARED != 0 || nr < 0 {
		return -1, engine.EINVAL
	}
	q := &t.pending
	if flags&engine.PTRACE_PEEKSIGINFO_SHARED != 0 {
		q = &t.sharedPending
	}
	var i int64
	for ; i < int64(nr); i++ {
		k := off + uint64(i)
		if k >= uint64(len(q.list)) {
			break
		}
		if e.copyToUser(p, data+uint64(i)*siginfoSize, q.list[k].info[:], nil) != 0 {
			if i == 0 {
				return -1, engine.EFAULT
			}
			break
		}
	}
	return i, 0
}
