package sim

import "github.com/mmapplayground/playground/internal/engine"

// vmsplice, analogous to fs/splice.c: the caller's memory into a pipe (its
// write end: vmsplice_to_pipe, whose pages get_user_pages takes, so a
// secretmem page is EFAULT), or a pipe's data out to the caller's memory
// (its read end: vmsplice_to_user). The model copies where the kernel would
// put the user's pages themselves in the pipe's buffers (SPLICE_F_GIFT's
// sharing is not modelled).
//
//	check                                                 errno
//	flags other than SPLICE_F_ALL's                       EINVAL
//	fd not open, or open for neither reading nor writing  EBADF
//	the iovecs past UIO_MAXIOV or unreadable              EINVAL, EFAULT
//	nothing to move                                       0
//	not a pipe (get_pipe_info)                            EBADF
//	a page get_user_pages refuses, nothing moved           EFAULT
//	the pipe full (to) or empty (from): SPLICE_F_NONBLOCK  EAGAIN (else it waits)

// spliceFAll is SPLICE_F_ALL.
const spliceFAll = engine.SPLICE_F_MOVE | engine.SPLICE_F_NONBLOCK | engine.SPLICE_F_MORE | engine.SPLICE_F_GIFT

func (e *Engine) sysVmsplice(p *process, fd int64, uiov, nr uint64, flags int64, path *[]string) engine.Result {
	fail := func(err engine.Errno) engine.Result { return engine.Result{Ret: -1, Errno: err} }
	*path = append(*path, "vmsplice")
	if flags&^spliceFAll != 0 {
		return fail(engine.EINVAL)
	}
	f := p.fd(fd)
	if f == nil {
		return fail(engine.EBADF)
	}
	toPipe := f.canWrite()
	if !toPipe && !f.canRead() {
		return fail(engine.EBADF)
	}
	iov, err := e.importIovec(p, uiov, nr)
	if err != 0 {
		return fail(err)
	}
	var count uint64
	for _, v := range iov {
		count += v.len
	}
	if count == 0 {
		return engine.Result{}
	}
	st := f.ino.pipe
	if st == nil {
		return fail(engine.EBADF)
	}
	nonblock := flags&engine.SPLICE_F_NONBLOCK != 0 || f.flags&engine.O_NONBLOCK != 0
	if toPipe {
		*path = append(*path, "vmsplice_to_pipe")
		if st.readers == 0 {
			return engine.Result{Ret: -1, Errno: engine.EPIPE, Signal: &engine.Signal{Signo: engine.SIGPIPE}}
		}
		room := pipeCapacity - len(st.data)
		if room == 0 {
			if nonblock {
				return fail(engine.EAGAIN)
			}
			return engine.Result{Block: true}
		}
		var n int64
		for _, v := range iov {
			k := min(v.len, uint64(room)-uint64(n))
			if k == 0 {
				break
			}
			if p.secretIn(v.base, k) {
				break
			}
			b := make([]byte, k)
			if e.access(p, v.base, b, false, true) != nil {
				break
			}
			st.data = append(st.data, b...)
			n += int64(k)
		}
		if n == 0 {
			return fail(engine.EFAULT)
		}
		return engine.Result{Ret: n}
	}
	*path = append(*path, "vmsplice_to_user")
	if len(st.data) == 0 {
		switch {
		case st.writers == 0:
			return engine.Result{}
		case nonblock:
			return fail(engine.EAGAIN)
		}
		return engine.Result{Block: true}
	}
	var n int64
	for _, v := range iov {
		k := min(v.len, uint64(len(st.data)))
		if k == 0 {
			break
		}
		if e.copyToUser(p, v.base, st.data[:k], f.ino) != 0 {
			break
		}
		st.data = append(st.data[:0:0], st.data[k:]...)
		n += int64(k)
	}
	if n == 0 {
		return fail(engine.EFAULT)
	}
	return engine.Result{Ret: n}
}
