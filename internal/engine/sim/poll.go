package sim

import (
	"encoding/binary"

	"github.com/mmapplayground/playground/internal/engine"
)

// poll, analogous to fs/select.c's do_sys_poll: each struct pollfd's
// revents from its file's poll (a negative fd is skipped, one not open is
// POLLNVAL); the call returns how many have events. Files without a poll
// of their own are always ready (DEFAULT_POLLMASK). With none ready, a
// timeout of 0 returns 0, a negative one blocks until one is (the
// interpreter makes the call again once another process has run), and a
// positive one lets that much logical time pass and returns 0: the model
// runs one process at a time, so nothing would have changed meanwhile
// unless another process could run (then it blocks as for no timeout).

// defaultPollMask is DEFAULT_POLLMASK.
const defaultPollMask = engine.POLLIN | engine.POLLOUT | engine.POLLRDNORM | engine.POLLWRNORM

// pollfdSize is sizeof(struct pollfd): fd, events, revents.
const pollfdSize = 8

// sysPoll is poll(ufds, nfds, timeout): EINVAL for more entries than
// RLIMIT_NOFILE, EFAULT for an array that cannot be read or written.
func (e *Engine) sysPoll(p *process, ufds uint64, nfds uint64, timeout int64, path *[]string) engine.Result {
	fail := func(err engine.Errno) engine.Result { return engine.Result{Ret: -1, Errno: err} }
	if nfds > p.nofile() {
		return fail(engine.EINVAL)
	}
	b := make([]byte, nfds*pollfdSize)
	if err := e.access(p, ufds, b, false, true); err != nil {
		return fail(engine.EFAULT)
	}
	n := 0
	for i := uint64(0); i < nfds; i++ {
		ent := b[i*pollfdSize:]
		fd := int32(binary.LittleEndian.Uint32(ent))
		events := int16(binary.LittleEndian.Uint16(ent[4:]))
		var rev int16
		if fd >= 0 {
			if f := p.fd(int64(fd)); f == nil {
				rev = engine.POLLNVAL
			} else {
				rev = e.filePoll(f) & (events | engine.POLLERR | engine.POLLHUP)
			}
		}
		binary.LittleEndian.PutUint16(ent[6:], uint16(rev))
		if rev != 0 {
			n++
		}
	}
	if n == 0 && timeout != 0 {
		if timeout < 0 || e.othersAlive(p) {
			return engine.Result{Block: true}
		}
		*path = append(*path, "poll_schedule_timeout")
		e.advanceTo(clockAdd(e.clock, uint64(timeout)*1_000_000))
	}
	if err := e.copyToUser(p, ufds, b, nil); err != 0 {
		return fail(engine.EFAULT)
	}
	return engine.Result{Ret: int64(n)}
}

// othersAlive says whether a process other than p may still run.
func (e *Engine) othersAlive(p *process) bool {
	for _, q := range e.procs {
		if q != p && !q.exited {
			return true
		}
	}
	return false
}

// filePoll is f's poll: what a read or write would do now.
func (e *Engine) filePoll(f *file) int16 {
	ino := f.ino
	switch {
	case ino.kind == kindPidfd:
		return e.pidfdPoll(ino)
	case ino.sock != nil:
		return e.unixPoll(ino.sock)
	case ino.epoll != nil:
		return e.epollPoll(ino.epoll)
	case ino.pipe != nil:
		// pipe_poll
		ps := ino.pipe
		var m int16
		if f.canRead() {
			if len(ps.data) > 0 {
				m |= engine.POLLIN | engine.POLLRDNORM
			}
			if ps.writers == 0 {
				m |= engine.POLLHUP
			}
		}
		if f.canWrite() {
			if len(ps.data) < pipeCapacity {
				m |= engine.POLLOUT | engine.POLLWRNORM
			}
			if ps.readers == 0 {
				m |= engine.POLLERR
			}
		}
		return m
	case ino.uffd != nil:
		return ino.uffd.poll(f)
	case ino.eventfd != nil:
		// eventfd_poll
		var m int16
		if ino.eventfd.count > 0 {
			m |= engine.POLLIN
		}
		if ino.eventfd.count < eventfdMax {
			m |= engine.POLLOUT
		}
		return m
	}
	return defaultPollMask
}
