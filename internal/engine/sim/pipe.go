package sim

import (
	"encoding/binary"
	"strconv"

	"github.com/mmapplayground/playground/internal/engine"
)

// Pipes, analogous to fs/pipe.c: an inode of pipefs whose data is a
// buffer of at most pipeCapacity bytes (sixteen pages, as a pipe has
// before F_SETPIPE_SZ), read from one open file and written through the
// other. A read of an empty pipe blocks while a writer is open and returns
// 0 (end of file) once none is; a write blocks while the data does not
// fit, and with no reader left is EPIPE and SIGPIPE. A blocked call
// (engine.Result.Block) is made again by the caller once others have run.
//
// Not modelled: O_DIRECT's packet mode, F_SETPIPE_SZ, splice and vmsplice.
// A blocking write of more than the capacity writes what fits and returns
// that count (the kernel would sleep until all of it is written).

// pipeCapacity is PIPE_DEF_BUFFERS pages.
const pipeCapacity = 16 * engine.PageSize

// pipeBuf is PIPE_BUF: a write of at most this many bytes is atomic.
const pipeBuf = engine.PageSize

// pipeState is a pipe inode's pipe_inode_info.
type pipeState struct {
	data             []byte
	readers, writers int // open files of each end
}

// sysPipe2 is pipe2(fds, flags): two files on a new pipe inode, their
// descriptors stored as int[2]. Flags other than O_CLOEXEC, O_NONBLOCK and
// O_DIRECT are EINVAL (do_pipe2); a store that faults is EFAULT, and the
// descriptors are closed again.
func (e *Engine) sysPipe2(p *process, fds uint64, flags int64, path *[]string) (int64, engine.Errno) {
	*path = append(*path, "do_pipe2", "create_pipe_files")
	if flags&^(engine.O_CLOEXEC|engine.O_NONBLOCK|engine.O_DIRECT) != 0 {
		return -1, engine.EINVAL
	}
	ino := e.fs.newInode("", kindPipe)
	ino.name = "pipe:[" + strconv.FormatUint(ino.ino, 10) + "]"
	ino.nlink = 0
	ino.pipe = &pipeState{readers: 1, writers: 1}
	ino.opens = 2
	nb := int(flags & (engine.O_NONBLOCK | engine.O_CLOEXEC)) // close-on-exec: the descriptors'
	r := p.installFD(&file{ino: ino, flags: engine.O_RDONLY | nb, refs: 1})
	w := p.installFD(&file{ino: ino, flags: engine.O_WRONLY | nb, refs: 1})
	var b [8]byte
	binary.LittleEndian.PutUint32(b[:4], uint32(r))
	binary.LittleEndian.PutUint32(b[4:], uint32(w))
	if err := e.copyToUser(p, fds, b[:], nil); err != 0 {
		e.sysClose(p, int64(r))
		e.sysClose(p, int64(w))
		return -1, err
	}
	return 0, 0
}

// pipeClose is pipe_release: an end's last file closed.
func (f *file) pipeClose() {
	if st := f.ino.pipe; st != nil {
		if f.canRead() {
			st.readers--
		}
		if f.canWrite() {
			st.writers--
		}
	}
}

// pipeRead is pipe_read.
func (e *Engine) pipeRead(p *process, f *file, buf uint64, count int64, path *[]string) engine.Result {
	st := f.ino.pipe
	*path = append(*path, "pipe_read")
	if count == 0 {
		return engine.Result{}
	}
	if len(st.data) == 0 {
		switch {
		case st.writers == 0:
			return engine.Result{}
		case f.flags&engine.O_NONBLOCK != 0:
			return engine.Result{Ret: -1, Errno: engine.EAGAIN}
		}
		return engine.Result{Block: true}
	}
	n := int(min(count, int64(len(st.data))))
	if err := e.copyToUser(p, buf, st.data[:n], f.ino); err != 0 {
		return engine.Result{Ret: -1, Errno: err}
	}
	st.data = append(st.data[:0:0], st.data[n:]...)
	return engine.Result{Ret: int64(n)}
}

// pipeWrite is pipe_write.
func (e *Engine) pipeWrite(p *process, f *file, buf uint64, count int64, path *[]string) engine.Result {
	st := f.ino.pipe
	*path = append(*path, "pipe_write")
	if st.readers == 0 {
		return engine.Result{Ret: -1, Errno: engine.EPIPE, Signal: &engine.Signal{Signo: engine.SIGPIPE}}
	}
	if count == 0 {
		return engine.Result{}
	}
	room := pipeCapacity - len(st.data)
	if room == 0 || (count <= pipeBuf && int64(room) < count) {
		if f.flags&engine.O_NONBLOCK != 0 {
			return engine.Result{Ret: -1, Errno: engine.EAGAIN}
		}
		return engine.Result{Block: true}
	}
	n := int(min(count, int64(room)))
	data := make([]byte, n)
	k := e.userCopy(p, buf, data, false)
	if k == 0 {
		return engine.Result{Ret: -1, Errno: engine.EFAULT}
	}
	e.copyEvent(p, "copy_from_user", buf, k, f.ino)
	st.data = append(st.data, data[:k]...)
	return engine.Result{Ret: int64(k)}
}

// streamIO is read or write on a pipe or an eventfd, or a read of a
// userfaultfd (their file operations), which may block.
func (e *Engine) streamIO(p *process, f *file, write bool, buf uint64, count int64, path *[]string) engine.Result {
	switch {
	case f.ino.pipe != nil && write:
		return e.pipeWrite(p, f, buf, count, path)
	case f.ino.pipe != nil:
		return e.pipeRead(p, f, buf, count, path)
	case f.ino.uffd != nil:
		return e.userfaultfdRead(p, f, buf, count, path)
	case write:
		return e.eventfdWrite(p, f, buf, count, path)
	}
	return e.eventfdRead(p, f, buf, count, path)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
