package sim

import (
	"encoding/binary"
	"strconv"

	"github.com/mmapplayground/playground/internal/engine"
)

// Unix domain sockets, analogous to net/unix/af_unix.c: the connected
// pairs socketpair(2) makes, SOCK_STREAM (a byte stream), SOCK_DGRAM and
// SOCK_SEQPACKET (messages kept whole), each socket an inode of sockfs
// with its receive queue of skbs. An skb is charged, by its truesize, to
// the socket that sent it (sk_wmem_alloc) until its reader consumes it, and
// a send waits while the sender's charge is at sk_sndbuf (net.core.
// wmem_default on this machine): that is the buffer limit, as the kernel's.
//
//	socketpair check (__sys_socketpair, __sock_create, unix_create)   errno
//	type flags other than SOCK_CLOEXEC, SOCK_NONBLOCK                 EINVAL
//	no two free descriptors (get_unused_fd_flags)                     EMFILE
//	the descriptors cannot be stored (put_user)                       EFAULT
//	family past NPROTO, or not built into this kernel                 EAFNOSUPPORT
//	type past SOCK_MAX                                                EINVAL
//	protocol neither 0 nor PF_UNIX                                    EPROTONOSUPPORT
//	type none of STREAM, DGRAM, SEQPACKET (RAW is DGRAM)              ESOCKTNOSUPPORT
//	AF_INET: no socketpair (sock_no_socketpair)                       EOPNOTSUPP
//
//	send check (unix_stream_sendmsg, unix_seqpacket_sendmsg,          errno
//	unix_dgram_sendmsg, sock_alloc_send_pskb), in order
//	not a socket (sockfd_lookup_light)                                ENOTSOCK
//	seqpacket: a pending error (sock_error, taken)                    ECONNRESET
//	MSG_OOB (not modelled)                                            EOPNOTSUPP
//	stream: an address given (connected)                              EISCONN
//	stream: this end shut for sending                                 EPIPE, SIGPIPE
//	dgram: no peer (it died, and a send found it so)                  ENOTCONN
//	dgram, seqpacket: longer than sk_sndbuf - 32                      EMSGSIZE
//	this end shut for sending (sock_alloc_send_pskb)                  EPIPE
//	sk_wmem_alloc at sk_sndbuf: MSG_DONTWAIT or O_NONBLOCK            EAGAIN (else it waits)
//	the data cannot be read                                           EFAULT
//	dgram: the peer closed (once; the peer is forgotten)              ECONNREFUSED
//	seqpacket: the peer closed                                        EPIPE
//	the peer shut for receiving, or closed                            EPIPE (stream: SIGPIPE)
//
// A stream send sends in skbs of at most SKB_MAX_HEAD(0) + 32 KiB, and
// returns what it sent before one found no room; with none sent, a blocking
// send waits (Result.Block) and is made again, where the kernel would sleep
// mid-way through a large send and finish it. SIGPIPE is not sent with
// MSG_NOSIGNAL, or when some bytes were sent.
//
//	receive check (unix_stream_read_generic, __unix_dgram_recvmsg)   errno
//	not a socket                                                      ENOTSOCK
//	MSG_OOB (not modelled)                                            EOPNOTSUPP
//	a pending error (sock_error, taken) with nothing to read          ECONNRESET
//	nothing queued, and shut for receiving: stream, seqpacket 0; dgram 0 blocking, else EAGAIN
//	nothing queued: MSG_DONTWAIT or O_NONBLOCK                        EAGAIN (else it waits)
//	the buffer cannot be written                                      EFAULT
//
// A stream read takes bytes across skbs; a message read takes one message,
// the rest of it discarded (MSG_TRUNC returns its whole length). A read of
// 0 bytes is 0 (sock_read_iter); a recv of 0 waits for data as one of 1.
// Closing a socket (unix_release_sock) shuts its stream or seqpacket peer
// both ways, and gives that peer ECONNRESET when it left data unread.
//
// Not modelled: named sockets (bind, connect, socket(2)), sendmsg and
// recvmsg with control messages (SCM_RIGHTS, SCM_CREDENTIALS), out-of-band
// data, MSG_WAITALL's wait for the whole length, SO_SNDBUF.

// unixSndbuf is sk_sndbuf: net.core.wmem_default on this machine.
const unixSndbuf = 212992

// sk_shutdown's bits.
const (
	rcvShutdown  = 1
	sendShutdown = 2
	shutdownMask = rcvShutdown | sendShutdown
)

// The sizes truesize is made of on this kernel (x86-64): the skb's head
// (SKB_DATA_ALIGN(sizeof(struct sk_buff))), the shared info after its data
// (SKB_DATA_ALIGN(sizeof(struct skb_shared_info))), the most a head of one
// page holds (SKB_MAX_HEAD(0)) and of four (SKB_MAX_ALLOC), and a stream
// skb's most in page fragments (UNIX_SKB_FRAGS_SZ).
const (
	skbHeadSize     = 256
	skbSharedInfo   = 320
	skbMaxHead0     = engine.PageSize - skbSharedInfo
	skbMaxAlloc     = 4*engine.PageSize - skbSharedInfo
	unixSkbFragsSz  = 32768
	maxSkbFrags     = 17
	skbSmallHead    = 512
	kmallocMaxCache = 8192
)

// unixSock is a unix socket (struct unix_sock with its struct sock).
type unixSock struct {
	typ int // SOCK_STREAM, SOCK_DGRAM or SOCK_SEQPACKET
	// peer is the inode id of the socket it is connected to (unix_peer),
	// 0 once a datagram socket found its peer gone.
	peer int32
	// queue is sk_receive_queue.
	queue []unixSkb
	// wmem is sk_wmem_alloc less its 1: the truesize of the skbs it sent
	// that are not yet consumed.
	wmem     int
	shutdown int          // sk_shutdown
	err      engine.Errno // sk_err
	dead     bool         // SOCK_DEAD: released
}

// unixSkb is one skb of a receive queue: its data (never changed once
// queued: a stream read takes a new slice of what is left), its truesize
// and the socket charged for it.
type unixSkb struct {
	data     []byte
	truesize int
	from     int32
}

// skbTruesize is an skb's truesize (__alloc_skb, alloc_skb_with_frags):
// its head's allocation as kmalloc rounds it, its sk_buff, and the pages
// of its fragments.
func skbTruesize(linear, dataLen int) int {
	size := (linear+63)&^63 + skbSharedInfo
	switch {
	case size <= skbSmallHead:
		size = skbSmallHead
	case size <= kmallocMaxCache:
		n := skbSmallHead
		for n < size {
			n *= 2
		}
		size = n
	default:
		n := engine.PageSize
		for n < size {
			n *= 2
		}
		size = n
	}
	return size + skbHeadSize + dataLen
}

func pageAlignInt(n int) int { return int(pageAlign(uint64(n))) }

// sock is the socket ino names, nil when it is none.
func (e *Engine) sock(id int32) *unixSock {
	if id <= 0 || int(id) >= len(e.fs.inodes) || e.fs.inodes[id] == nil {
		return nil
	}
	return e.fs.inodes[id].sock
}

// sysSocketpair is socketpair(family, type, protocol, sv).
func (e *Engine) sysSocketpair(p *process, family, typ, protocol int64, sv uint64, path *[]string) (int64, engine.Errno) {
	*path = append(*path, "__sys_socketpair")
	flags := typ &^ engine.SOCK_TYPE_MASK
	if flags&^(engine.SOCK_CLOEXEC|engine.SOCK_NONBLOCK) != 0 {
		return -1, engine.EINVAL
	}
	typ &= engine.SOCK_TYPE_MASK
	fd1 := p.files.unusedFd(0)
	fd2 := p.files.unusedFd(fd1 + 1)
	if uint64(fd2) >= p.nofile() {
		return -1, engine.EMFILE
	}
	var b [8]byte
	binary.LittleEndian.PutUint32(b[:4], uint32(fd1))
	binary.LittleEndian.PutUint32(b[4:], uint32(fd2))
	if err := e.copyToUser(p, sv, b[:], nil); err != 0 {
		return -1, err
	}
	// __sock_create, then the family's create.
	const nproto, sockMax = 46, 11
	switch {
	case family < 0 || family >= nproto || family != engine.AF_UNIX && family != engine.AF_INET:
		return -1, engine.EAFNOSUPPORT
	case typ < 0 || typ >= sockMax:
		return -1, engine.EINVAL
	case family == engine.AF_INET:
		return -1, engine.EOPNOTSUPP
	case protocol != 0 && protocol != engine.AF_UNIX:
		return -1, engine.EPROTONOSUPPORT
	}
	switch typ {
	case engine.SOCK_RAW:
		typ = engine.SOCK_DGRAM
	case engine.SOCK_STREAM, engine.SOCK_DGRAM, engine.SOCK_SEQPACKET:
	default:
		return -1, engine.ESOCKTNOSUPPORT
	}
	*path = append(*path, "unix_socketpair")
	a, c := e.newUnixSock(int(typ)), e.newUnixSock(int(typ))
	a.sock.peer, c.sock.peer = c.id, a.id
	fl := engine.O_RDWR | int(flags)
	p.files.installAt(fd1, &file{ino: a, flags: fl, refs: 1}, flags&engine.SOCK_CLOEXEC != 0)
	p.files.installAt(fd2, &file{ino: c, flags: fl, refs: 1}, flags&engine.SOCK_CLOEXEC != 0)
	return 0, 0
}

// newUnixSock is sock_alloc's inode with unix_create's socket.
func (e *Engine) newUnixSock(typ int) *inode {
	ino := e.fs.newInode("", kindSocket)
	ino.name = "socket:[" + strconv.FormatUint(ino.ino, 10) + "]"
	ino.nlink = 0
	ino.opens = 1
	ino.sock = &unixSock{typ: typ}
	return ino
}

// unixRelease is unix_release_sock: the socket's last file closed.
func (e *Engine) unixRelease(ino *inode) {
	u := ino.sock
	if u == nil || u.dead {
		return
	}
	u.dead, u.shutdown = true, shutdownMask
	if peer := e.sock(u.peer); peer != nil && u.typ != engine.SOCK_DGRAM {
		peer.shutdown = shutdownMask
		if len(u.queue) > 0 {
			peer.err = engine.ECONNRESET
		}
	}
	for _, skb := range u.queue {
		e.unixFreeSkb(skb)
	}
	u.queue = nil
}

// unixFreeSkb is sock_wfree: the sender's charge for a consumed skb.
func (e *Engine) unixFreeSkb(skb unixSkb) {
	if s := e.sock(skb.from); s != nil {
		s.wmem -= skb.truesize
	}
}

// sockError is sock_error: the pending error, taken.
func (u *unixSock) sockError() engine.Errno {
	err := u.err
	u.err = 0
	return err
}

// unixSend is a send of count bytes at buf on f's socket: write (flags
// from the file's O_NONBLOCK), send and sendto (addrlen: the address's).
func (e *Engine) unixSend(p *process, f *file, buf uint64, count int64, flags int64, addrlen int64, path *[]string) engine.Result {
	fail := func(err engine.Errno) engine.Result { return engine.Result{Ret: -1, Errno: err} }
	u := f.ino.sock
	if f.flags&engine.O_NONBLOCK != 0 {
		flags |= engine.MSG_DONTWAIT
	}
	if u.typ == engine.SOCK_STREAM {
		*path = append(*path, "unix_stream_sendmsg")
		return e.unixStreamSend(p, f, buf, count, flags, addrlen)
	}
	if u.typ == engine.SOCK_SEQPACKET {
		*path = append(*path, "unix_seqpacket_sendmsg")
		if err := u.sockError(); err != 0 {
			return fail(err)
		}
		addrlen = 0
	}
	*path = append(*path, "unix_dgram_sendmsg")
	switch {
	case flags&engine.MSG_OOB != 0:
		return fail(engine.EOPNOTSUPP)
	case addrlen != 0:
		return fail(engine.EINVAL) // named sockets are not modelled
	case u.peer == 0:
		return fail(engine.ENOTCONN)
	case count > unixSndbuf-32:
		return fail(engine.EMSGSIZE)
	}
	n := int(count)
	dataLen := 0
	if n > skbMaxAlloc {
		dataLen = pageAlignInt(min(n-skbMaxAlloc, maxSkbFrags*engine.PageSize))
	}
	if r, ok := e.sockAllocSendPskb(u, flags); !ok {
		return r
	}
	data, err := e.unixCopyFrom(p, buf, n, f.ino)
	if err != 0 {
		return fail(err)
	}
	other := e.sock(u.peer)
	switch {
	case other == nil || other.dead:
		if u.typ == engine.SOCK_SEQPACKET {
			return fail(engine.EPIPE)
		}
		u.peer = 0
		return fail(engine.ECONNREFUSED)
	case other.shutdown&rcvShutdown != 0:
		return fail(engine.EPIPE)
	}
	e.unixQueue(u, f.ino.id, other, data, skbTruesize(n-dataLen, dataLen))
	return engine.Result{Ret: count}
}

// sockAllocSendPskb is sock_alloc_send_pskb's checks: EPIPE once shut for
// sending, and room in sk_sndbuf (EAGAIN, or a wait).
func (e *Engine) sockAllocSendPskb(u *unixSock, flags int64) (engine.Result, bool) {
	switch {
	case u.shutdown&sendShutdown != 0:
		return engine.Result{Ret: -1, Errno: engine.EPIPE}, false
	case u.wmem < unixSndbuf:
		return engine.Result{}, true
	case flags&engine.MSG_DONTWAIT != 0:
		return engine.Result{Ret: -1, Errno: engine.EAGAIN}, false
	}
	return engine.Result{Block: true}, false
}

// unixCopyFrom is memcpy_from_msg: all n bytes, or EFAULT.
func (e *Engine) unixCopyFrom(p *process, buf uint64, n int, ino *inode) ([]byte, engine.Errno) {
	data := make([]byte, n)
	if n == 0 {
		return data, 0
	}
	k := e.userCopy(p, buf, data, false)
	if k < n {
		return nil, engine.EFAULT
	}
	e.copyEvent(p, "copy_from_user", buf, k, ino)
	return data, 0
}

// unixQueue puts an skb on other's receive queue, charged to u.
func (e *Engine) unixQueue(u *unixSock, from int32, other *unixSock, data []byte, truesize int) {
	u.wmem += truesize
	other.queue = append(other.queue, unixSkb{data: data, truesize: truesize, from: from})
}

// unixStreamSend is unix_stream_sendmsg.
func (e *Engine) unixStreamSend(p *process, f *file, buf uint64, count int64, flags int64, addrlen int64) engine.Result {
	u := f.ino.sock
	pipeErr := func(sent int64) engine.Result {
		if sent > 0 {
			return engine.Result{Ret: sent}
		}
		r := engine.Result{Ret: -1, Errno: engine.EPIPE}
		if flags&engine.MSG_NOSIGNAL == 0 {
			r.Signal = &engine.Signal{Signo: engine.SIGPIPE}
		}
		return r
	}
	switch {
	case flags&engine.MSG_OOB != 0:
		return engine.Result{Ret: -1, Errno: engine.EOPNOTSUPP}
	case addrlen != 0:
		return engine.Result{Ret: -1, Errno: engine.EISCONN}
	case u.shutdown&sendShutdown != 0:
		return pipeErr(0)
	}
	var sent int64
	for sent < count {
		size := int(min(count-sent, unixSndbuf/2-64, skbMaxHead0+unixSkbFragsSz))
		dataLen := min(size, pageAlignInt(max(0, size-skbMaxHead0)))
		if r, ok := e.sockAllocSendPskb(u, flags); !ok {
			if sent > 0 {
				return engine.Result{Ret: sent}
			}
			return r
		}
		data, err := e.unixCopyFrom(p, buf+uint64(sent), size, f.ino)
		if err != 0 {
			if sent > 0 {
				return engine.Result{Ret: sent}
			}
			return engine.Result{Ret: -1, Errno: err}
		}
		other := e.sock(u.peer)
		if other == nil || other.dead || other.shutdown&rcvShutdown != 0 {
			return pipeErr(sent)
		}
		e.unixQueue(u, f.ino.id, other, data, skbTruesize(size-dataLen, dataLen))
		sent += int64(size)
	}
	return engine.Result{Ret: sent}
}

// unixRecv is a receive of at most count bytes into buf from f's socket:
// read (viaRead: flags from the file), recv and recvfrom.
func (e *Engine) unixRecv(p *process, f *file, buf uint64, count int64, flags int64, viaRead bool, path *[]string) engine.Result {
	u := f.ino.sock
	if f.flags&engine.O_NONBLOCK != 0 {
		flags |= engine.MSG_DONTWAIT
	}
	if viaRead && count == 0 {
		return engine.Result{} // sock_read_iter: nothing to read into
	}
	if flags&engine.MSG_OOB != 0 {
		return engine.Result{Ret: -1, Errno: engine.EOPNOTSUPP}
	}
	if u.typ == engine.SOCK_STREAM {
		*path = append(*path, "unix_stream_read_generic")
		return e.unixStreamRecv(p, f, buf, count, flags)
	}
	*path = append(*path, "__unix_dgram_recvmsg")
	if err := u.sockError(); err != 0 {
		return engine.Result{Ret: -1, Errno: err}
	}
	if len(u.queue) == 0 {
		switch {
		case u.shutdown&rcvShutdown != 0 && (u.typ == engine.SOCK_SEQPACKET || flags&engine.MSG_DONTWAIT == 0):
			return engine.Result{}
		case flags&engine.MSG_DONTWAIT != 0:
			return engine.Result{Ret: -1, Errno: engine.EAGAIN}
		}
		return engine.Result{Block: true}
	}
	skb := u.queue[0]
	if flags&engine.MSG_PEEK == 0 {
		u.queue = u.queue[1:]
		e.unixFreeSkb(skb)
	}
	n := min(int(count), len(skb.data))
	if n > 0 {
		if err := e.copyToUser(p, buf, skb.data[:n], f.ino); err != 0 {
			return engine.Result{Ret: -1, Errno: err}
		}
	}
	if flags&engine.MSG_TRUNC != 0 {
		n = len(skb.data)
	}
	return engine.Result{Ret: int64(n)}
}

// unixStreamRecv is unix_stream_read_generic: at least one byte
// (sock_rcvlowat's target), then what else is queued, up to count.
func (e *Engine) unixStreamRecv(p *process, f *file, buf uint64, count int64, flags int64) engine.Result {
	u := f.ino.sock
	var copied int64
	for i := 0; ; {
		if i >= len(u.queue) {
			if copied > 0 {
				break
			}
			if err := u.sockError(); err != 0 {
				return engine.Result{Ret: -1, Errno: err}
			}
			if u.shutdown&rcvShutdown != 0 {
				break
			}
			if flags&engine.MSG_DONTWAIT != 0 {
				return engine.Result{Ret: -1, Errno: engine.EAGAIN}
			}
			return engine.Result{Block: true}
		}
		if copied >= count {
			break
		}
		skb := u.queue[i]
		n := min(int(count-copied), len(skb.data))
		if err := e.copyToUser(p, buf+uint64(copied), skb.data[:n], f.ino); err != 0 {
			if copied == 0 {
				return engine.Result{Ret: -1, Errno: engine.EFAULT}
			}
			break
		}
		copied += int64(n)
		if flags&engine.MSG_PEEK != 0 {
			i++
			continue
		}
		if n < len(skb.data) {
			u.queue[i].data = skb.data[n:]
			break
		}
		u.queue = u.queue[1:]
		e.unixFreeSkb(skb)
	}
	return engine.Result{Ret: copied}
}

// sysShutdown is shutdown(fd, how), unix_shutdown: how is SHUT_RD,
// SHUT_WR or SHUT_RDWR (else EINVAL); a stream or seqpacket peer is shut
// the other way.
func (e *Engine) sysShutdown(p *process, fd, how int64) (int64, engine.Errno) {
	f := p.fd(fd)
	switch {
	case f == nil:
		return -1, engine.EBADF
	case f.ino.sock == nil:
		return -1, engine.ENOTSOCK
	case how < engine.SHUT_RD || how > engine.SHUT_RDWR:
		return -1, engine.EINVAL
	}
	u := f.ino.sock
	mode := int(how+1) & shutdownMask // SHUT_RD+1 is RCV_SHUTDOWN, SHUT_WR+1 SEND_SHUTDOWN
	u.shutdown |= mode
	if peer := e.sock(u.peer); peer != nil && !peer.dead && u.typ != engine.SOCK_DGRAM {
		pm := 0
		if mode&rcvShutdown != 0 {
			pm |= sendShutdown
		}
		if mode&sendShutdown != 0 {
			pm |= rcvShutdown
		}
		peer.shutdown |= pm
	}
	return 0, 0
}

// unixPoll is unix_poll (stream) and unix_dgram_poll.
func (e *Engine) unixPoll(u *unixSock) int16 {
	var m int16
	if u.err != 0 {
		m |= engine.POLLERR
	}
	if u.shutdown == shutdownMask {
		m |= engine.POLLHUP
	}
	if u.shutdown&rcvShutdown != 0 {
		m |= engine.POLLRDHUP | engine.POLLIN | engine.POLLRDNORM
	}
	if len(u.queue) > 0 {
		m |= engine.POLLIN | engine.POLLRDNORM
	}
	// unix_writable: a quarter of sk_sndbuf or less charged.
	if (u.wmem+1)<<2 <= unixSndbuf {
		m |= engine.POLLOUT | engine.POLLWRNORM | engine.POLLWRBAND
	}
	return m
}

// sysSendto is sendto(fd, buf, len, flags, addr, addrlen) (send's too).
func (e *Engine) sysSendto(p *process, fd int64, buf uint64, count, flags, addrlen int64, path *[]string) engine.Result {
	f := p.fd(fd)
	switch {
	case f == nil:
		return engine.Result{Ret: -1, Errno: engine.EBADF}
	case f.ino.sock == nil:
		return engine.Result{Ret: -1, Errno: engine.ENOTSOCK}
	}
	if count < 0 {
		count = 0x7ffff000 // MAX_RW_COUNT, which EMSGSIZE or EFAULT then meets
	}
	return e.unixSend(p, f, buf, count, flags, addrlen, path)
}

// sysRecvfrom is recvfrom(fd, buf, len, flags, addr, addrlen) (recv's
// too); a connected pair's sender has no address to give.
func (e *Engine) sysRecvfrom(p *process, fd int64, buf uint64, count, flags int64, addrlen uint64, path *[]string) engine.Result {
	f := p.fd(fd)
	switch {
	case f == nil:
		return engine.Result{Ret: -1, Errno: engine.EBADF}
	case f.ino.sock == nil:
		return engine.Result{Ret: -1, Errno: engine.ENOTSOCK}
	}
	if count < 0 {
		count = 0x7ffff000
	}
	r := e.unixRecv(p, f, buf, count, flags, false, path)
	if r.Errno == 0 && !r.Block && addrlen != 0 {
		var b [4]byte
		if err := e.copyToUser(p, addrlen, b[:], nil); err != 0 {
			return engine.Result{Ret: -1, Errno: err}
		}
	}
	return r
}
