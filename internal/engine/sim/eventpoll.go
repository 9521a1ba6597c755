package sim

import (
	"encoding/binary"

	"github.com/mmapplayground/playground/internal/engine"
)

// epoll, analogous to fs/eventpoll.c: an instance is an anonymous inode
// ("anon_inode:[eventpoll]") holding its interest list, each item a file
// and the descriptor it was added by. epoll_wait asks each item's file
// its poll (poll.go's filePoll), as ep_item_poll does, in the order the
// items were added.
//
//	call           check                                          errno
//	epoll_create   size <= 0                                      EINVAL
//	epoll_create1  flags other than EPOLL_CLOEXEC                 EINVAL
//	epoll_ctl      event not readable (ops but DEL)               EFAULT
//	               epfd or fd not open                            EBADF
//	               fd's file has no poll (regular files,          EPERM
//	                 directories, /dev/zero and /dev/null, /proc)
//	               epfd is fd, or not an epoll                    EINVAL
//	               EPOLLEXCLUSIVE with MOD, or with an epoll or   EINVAL
//	                 bits past EPOLLEXCLUSIVE_OK_BITS
//	               ADD of what is there                           EEXIST
//	               DEL or MOD of what is not                      ENOENT
//	               MOD of an EPOLLEXCLUSIVE item                  EINVAL
//	               another op                                     EINVAL
//	epoll_wait     maxevents <= 0 or past EP_MAX_EVENTS           EINVAL
//	               events not writable                            EFAULT
//	               epfd not open                                  EBADF
//	               not an epoll                                   EINVAL
//
// An item lives while its file does (eventpoll_release at the last
// close). EPOLLONESHOT disarms an item once reported. Not modelled:
// edge-triggered reporting (EPOLLET is taken as level-triggered: the
// model keeps no wakeups to tell an edge by), EPOLLWAKEUP's wakeup source,
// and the checks for loops of epolls watching each other.

// epoll_event bits and epoll_ctl's ops (<sys/epoll.h>).
const (
	epollCloexec   = engine.O_CLOEXEC
	epollCtlAdd    = 1
	epollCtlDel    = 2
	epollCtlMod    = 3
	epollIn        = 0x1
	epollOut       = 0x4
	epollErr       = 0x8
	epollHup       = 0x10
	epollWakeup    = 1 << 29
	epollOneshot   = 1 << 30
	epollET        = 1 << 31
	epollExclusive = 1 << 28
	// epollExclusiveOK is EPOLLEXCLUSIVE_OK_BITS.
	epollExclusiveOK = epollIn | epollOut | epollErr | epollHup | epollWakeup | epollET | epollExclusive
	// epPrivateBits are what a disarmed EPOLLONESHOT item keeps.
	epPrivateBits = epollWakeup | epollOneshot | epollET | epollExclusive
	// epollEventSize is sizeof(struct epoll_event), packed on x86-64.
	epollEventSize = 12
	// epMaxEvents is EP_MAX_EVENTS: INT_MAX / sizeof(struct epoll_event).
	epMaxEvents = 0x7fffffff / epollEventSize
)

// epollState is struct eventpoll: its items in the order they were added.
type epollState struct {
	items []*epitem
}

// epitem is one watched file: the file and descriptor of its key (ffd),
// the events asked for and the user's data.
type epitem struct {
	f      *file
	fd     int
	events uint32
	data   uint64
}

func (e *Engine) sysEpollCreate1(p *process, flags int64, path *[]string) (int64, engine.Errno) {
	*path = append(*path, "do_epoll_create")
	if flags&^epollCloexec != 0 {
		return -1, engine.EINVAL
	}
	if n := p.files.unusedFd(0); uint64(n) >= p.nofile() {
		return -1, engine.EMFILE
	}
	ino := e.fs.newInode("anon_inode:[eventpoll]", kindEpoll)
	ino.nlink = 0
	ino.epoll = &epollState{}
	ino.opens = 1
	return int64(p.installFD(&file{ino: ino, flags: engine.O_RDWR | int(flags), refs: 1})), 0
}

// live drops the items whose file has been closed everywhere.
func (ep *epollState) live() []*epitem {
	out := ep.items[:0]
	for _, it := range ep.items {
		if it.f.refs > 0 {
			out = append(out, it)
		}
	}
	ep.items = out
	return out
}

func (ep *epollState) find(f *file, fd int) (int, *epitem) {
	for i, it := range ep.live() {
		if it.f == f && it.fd == fd {
			return i, it
		}
	}
	return -1, nil
}

// canPoll is file_can_poll: the files the model gives a poll of their own.
func canPoll(f *file) bool {
	ino := f.ino
	return ino.pipe != nil || ino.eventfd != nil || ino.epoll != nil || ino.uffd != nil || ino.kind == kindPidfd || ino.kind == kindTTY
}

func (e *Engine) sysEpollCtl(p *process, epfd, op, fd int64, event uint64) (int64, engine.Errno) {
	var events uint32
	var data uint64
	if op != epollCtlDel {
		var b [epollEventSize]byte
		if err := e.access(p, event, b[:], false, true); err != nil {
			return -1, engine.EFAULT
		}
		events, data = binary.LittleEndian.Uint32(b[:]), binary.LittleEndian.Uint64(b[4:])
	}
	f, tf := p.fd(epfd), p.fd(fd)
	switch {
	case f == nil || tf == nil:
		return -1, engine.EBADF
	case !canPoll(tf):
		return -1, engine.EPERM
	case f == tf || f.ino.epoll == nil:
		return -1, engine.EINVAL
	}
	events &^= epollWakeup // without CAP_BLOCK_SUSPEND, dropped
	if events&epollExclusive != 0 && (op == epollCtlMod || op == epollCtlAdd && (tf.ino.epoll != nil || events&^epollExclusiveOK != 0)) {
		return -1, engine.EINVAL
	}
	ep := f.ino.epoll
	i, it := ep.find(tf, int(fd))
	switch op {
	case epollCtlAdd:
		if it != nil {
			return -1, engine.EEXIST
		}
		ep.items = append(ep.items, &epitem{f: tf, fd: int(fd), events: events | epollErr | epollHup, data: data})
	case epollCtlDel:
		if it == nil {
			return -1, engine.ENOENT
		}
		ep.items = append(ep.items[:i], ep.items[i+1:]...)
	case epollCtlMod:
		if it == nil {
			return -1, engine.ENOENT
		}
		if it.events&epollExclusive != 0 {
			return -1, engine.EINVAL
		}
		it.events, it.data = events|epollErr|epollHup, data
	default:
		return -1, engine.EINVAL
	}
	return 0, 0
}

// sysEpollWait is epoll_wait and epoll_pwait (whose signal mask the
// interpreter keeps): the ready items' events, at most maxevents, with
// poll's timeouts (poll.go).
func (e *Engine) sysEpollWait(p *process, epfd int64, events uint64, maxevents, timeout int64, path *[]string) engine.Result {
	fail := func(err engine.Errno) engine.Result { return engine.Result{Ret: -1, Errno: err} }
	if maxevents <= 0 || maxevents > epMaxEvents {
		return fail(engine.EINVAL)
	}
	// access_ok: the array within user space (TASK_SIZE, which is where
	// the model's [stack] ends); unmapped pages fail at the copy.
	if n := uint64(maxevents) * epollEventSize; events > stackTop || n > stackTop-events {
		return fail(engine.EFAULT)
	}
	f := p.fd(epfd)
	switch {
	case f == nil:
		return fail(engine.EBADF)
	case f.ino.epoll == nil:
		return fail(engine.EINVAL)
	}
	var out []byte
	for _, it := range f.ino.epoll.live() {
		if int64(len(out)) >= maxevents*epollEventSize {
			break
		}
		rev := uint32(uint16(e.filePoll(it.f))) & it.events
		if rev == 0 {
			continue
		}
		var b [epollEventSize]byte
		binary.LittleEndian.PutUint32(b[:], rev)
		binary.LittleEndian.PutUint64(b[4:], it.data)
		out = append(out, b[:]...)
		if it.events&epollOneshot != 0 {
			it.events &= epPrivateBits
		}
	}
	if len(out) == 0 && timeout != 0 {
		if timeout < 0 || e.othersAlive(p) {
			return engine.Result{Block: true}
		}
		*path = append(*path, "ep_poll")
		e.advanceTo(clockAdd(e.clock, uint64(timeout)*1_000_000))
	}
	if len(out) > 0 {
		if err := e.copyToUser(p, events, out, nil); err != 0 {
			return fail(engine.EFAULT)
		}
	}
	return engine.Result{Ret: int64(len(out) / epollEventSize)}
}

// epollPoll is ep_eventpoll_poll: POLLIN when an item is ready.
func (e *Engine) epollPoll(ep *epollState) int16 {
	for _, it := range ep.live() {
		if it.f.ino.epoll == nil && uint32(uint16(e.filePoll(it.f)))&it.events != 0 {
			return engine.POLLIN | engine.POLLRDNORM
		}
	}
	return 0
}

// epollTarget is get_epoll_tfile_raw_ptr for kcmp: the file of the
// toff-th item of ep added by descriptor tfd.
func (ep *epollState) target(tfd, toff int) *file {
	for _, it := range ep.live() {
		if it.fd == tfd {
			if toff == 0 {
				return it.f
			}
			toff--
		}
	}
	return nil
}
