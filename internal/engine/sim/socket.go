package sim

import (
	"github.com/mmapplayground/playground/internal/engine"
)

// socket(2), analogous to net/socket.c's __sys_socket and __sock_create,
// with unix_create's and inet_create's checks of the type and protocol. A
// socket is made but never named nor connected (bind, connect, listen are
// not modelled): an AF_UNIX one is af_unix.go's socket with no peer, and so
// is an AF_INET one (its reads and writes are an unconnected socket's).
//
//	check                                          where              errno
//	type flags other than SOCK_CLOEXEC,            __sys_socket       EINVAL
//	  SOCK_NONBLOCK
//	family past NPROTO                             __sock_create      EAFNOSUPPORT
//	type past SOCK_MAX                             __sock_create      EINVAL
//	a family the model does not have               __sock_create      EAFNOSUPPORT
//	AF_UNIX: a protocol not 0 or PF_UNIX           unix_create        EPROTONOSUPPORT
//	  a type none of STREAM, DGRAM, SEQPACKET      unix_create        ESOCKTNOSUPPORT
//	  (RAW is DGRAM)
//	AF_INET: SOCK_RAW of protocol 0                inet_create        EPROTONOSUPPORT
//	  SOCK_RAW without CAP_NET_RAW                 inet_create        EPERM
//	  STREAM not TCP, DGRAM not UDP (0 is either)  inet_create        EPROTONOSUPPORT
//	  another type                                 inet_create        ESOCKTNOSUPPORT
//	no free descriptor                             get_unused_fd      EMFILE
func (e *Engine) sysSocket(p *process, family, typ, protocol int64, path *[]string) (int64, engine.Errno) {
	*path = append(*path, "__sys_socket")
	const (
		nproto, sockMax        = 46, 11
		ipprotoTCP, ipprotoUDP = 6, 17
	)
	flags := typ &^ engine.SOCK_TYPE_MASK
	if flags&^(engine.SOCK_CLOEXEC|engine.SOCK_NONBLOCK) != 0 {
		return -1, engine.EINVAL
	}
	typ &= engine.SOCK_TYPE_MASK
	switch {
	case family < 0 || family >= nproto:
		return -1, engine.EAFNOSUPPORT
	case typ < 0 || typ >= sockMax:
		return -1, engine.EINVAL
	}
	switch family {
	case engine.AF_UNIX:
		switch {
		case protocol != 0 && protocol != engine.AF_UNIX:
			return -1, engine.EPROTONOSUPPORT
		case typ == engine.SOCK_RAW:
			typ = engine.SOCK_DGRAM
		case typ != engine.SOCK_STREAM && typ != engine.SOCK_DGRAM && typ != engine.SOCK_SEQPACKET:
			return -1, engine.ESOCKTNOSUPPORT
		}
	case engine.AF_INET:
		switch {
		case typ == engine.SOCK_RAW && protocol == 0:
			return -1, engine.EPROTONOSUPPORT // IPPROTO_IP is no raw socket's
		case typ == engine.SOCK_RAW:
			return -1, engine.EPERM
		case typ == engine.SOCK_STREAM && protocol != 0 && protocol != ipprotoTCP,
			typ == engine.SOCK_DGRAM && protocol != 0 && protocol != ipprotoUDP:
			return -1, engine.EPROTONOSUPPORT
		case typ != engine.SOCK_STREAM && typ != engine.SOCK_DGRAM:
			return -1, engine.ESOCKTNOSUPPORT
		}
	default:
		return -1, engine.EAFNOSUPPORT
	}
	fd := p.files.unusedFd(0)
	if uint64(fd) >= p.nofile() {
		return -1, engine.EMFILE
	}
	ino := e.newUnixSock(int(typ))
	p.files.installAt(fd, &file{ino: ino, flags: engine.O_RDWR | int(flags), refs: 1}, flags&engine.SOCK_CLOEXEC != 0)
	return int64(fd), 0
}
