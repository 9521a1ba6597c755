package interp

import "github.com/mmapplayground/playground/internal/engine"

// Streams other than stdout and stderr: stdin and the files fopen opens.
// Each is a FILE on the heap (its address is the FILE *, as glibc's is)
// with a 4096-byte buffer, so the system calls are glibc's: a read of a
// whole buffer, a write when the buffer fills or is flushed.

const fileStructSize = 472 // sizeof(FILE) in glibc x86-64

// stream is one FILE's state (not in program memory: only its buffer is).
type stream struct {
	fd      int64
	buf     uint64 // the buffer in the heap (0 until first use)
	rbuf    []byte // read but not yet consumed
	wbuf    []byte // written but not yet flushed
	eof     bool
	err     bool
	reading bool
	mode    int          // setvbuf's mode: ioFBF (the default for files), ioLBF, ioNBF
	popen   *popenStream // a popen'd stream (shell.go): no descriptor of its own
}

func (s *stream) clone() *stream {
	c := *s
	c.rbuf = append([]byte(nil), s.rbuf...)
	c.wbuf = append([]byte(nil), s.wbuf...)
	return &c
}

// stdinFILE is the FILE * of stdin (stdout and stderr are 1 and 2).
const stdinFILE = 3

// streamOf finds a FILE *'s stream.
func (p *proc) streamOf(f int64) *stream {
	if f == stdinFILE {
		if p.stdin == nil {
			p.stdin = &stream{fd: 0}
		}
		return p.stdin
	}
	for i, a := range p.fileAddrs {
		if a == f {
			return p.files[i]
		}
	}
	return nil
}

func (m *machine) badFile(p *proc, f int64) bres {
	m.kill(p, &engine.Signal{Signo: engine.SIGSEGV, Code: engine.SEGV_MAPERR, Addr: uint64(f)})
	return bExit
}

func (m *machine) streamBuf(p *proc, s *stream) bool {
	if s.buf != 0 {
		return true
	}
	a, ok := m.allocStreamBuf(p, s.fd)
	if !ok {
		return false
	}
	s.buf = a
	return true
}

// flushStream writes out what s holds.
func (m *machine) flushStream(p *proc, s *stream) bool {
	if s.popen != nil {
		return true // the command's input, given to it at pclose
	}
	for len(s.wbuf) > 0 {
		if !m.streamBuf(p, s) {
			return false
		}
		n := min(len(s.wbuf), 4096)
		if err := m.eng.Store(p.pid, s.buf, s.wbuf[:n]); err != nil {
			m.fault(p, err)
			return false
		}
		r, ok := m.sys(p, "write", s.fd, int64(s.buf), int64(n))
		if !ok {
			return false
		}
		if r < 0 {
			s.err = true
			s.wbuf = nil
			return true
		}
		s.wbuf = s.wbuf[r:]
	}
	s.wbuf = nil
	return true
}

func (m *machine) streamWrite(p *proc, s *stream, b []byte) bool {
	if s.reading {
		s.rbuf, s.reading = nil, false
	}
	s.wbuf = append(s.wbuf, b...)
	if s.popen != nil {
		return true
	}
	if len(s.wbuf) >= 4096 || s.mode == ioNBF || (s.mode == ioLBF && lastNewline(b) >= 0) {
		return m.flushStream(p, s)
	}
	return true
}

// fill reads the next buffer of s; it reports false if the process is gone.
func (m *machine) fill(p *proc, s *stream) bool {
	if s.popen != nil {
		s.eof = true
		return true
	}
	if !m.flushStream(p, s) || !m.streamBuf(p, s) {
		return false
	}
	s.reading = true
	r, ok := m.sys(p, "read", s.fd, int64(s.buf), 4096)
	if !ok {
		return false
	}
	if r <= 0 {
		if r == 0 {
			s.eof = true
		} else {
			s.err = true
		}
		return true
	}
	b := make([]byte, r)
	if err := m.eng.Load(p.pid, s.buf, b); err != nil {
		m.fault(p, err)
		return false
	}
	s.rbuf = b
	return true
}

// readByte is getc: the byte, or -1 at end of file.
func (m *machine) readByte(p *proc, s *stream) (int64, bool) {
	if len(s.rbuf) == 0 {
		if s.eof || !m.fill(p, s) {
			return -1, !p.exited
		}
		if len(s.rbuf) == 0 {
			return -1, true
		}
	}
	c := s.rbuf[0]
	s.rbuf = s.rbuf[1:]
	return int64(c), true
}

// flushAll flushes every stream, as exit does.
func (m *machine) flushAll(p *proc) bool {
	for _, s := range p.files {
		if !m.flushStream(p, s) {
			return false
		}
	}
	return true
}

func openFlags(mode string) (int64, bool) {
	if mode == "" {
		return 0, false
	}
	plus := len(mode) > 1 && (mode[1] == '+' || len(mode) > 2 && mode[2] == '+')
	var fl int64
	switch mode[0] {
	case 'r':
		fl = engine.O_RDONLY
		if plus {
			fl = engine.O_RDWR
		}
	case 'w':
		fl = engine.O_WRONLY | engine.O_CREAT | engine.O_TRUNC
		if plus {
			fl = engine.O_RDWR | engine.O_CREAT | engine.O_TRUNC
		}
	case 'a':
		fl = engine.O_WRONLY | engine.O_CREAT | engine.O_APPEND
		if plus {
			fl = engine.O_RDWR | engine.O_CREAT | engine.O_APPEND
		}
	default:
		return 0, false
	}
	return fl, true
}

func init() {
	def("FILE *fopen(const char *path, const char *mode)", func(m *machine, p *proc, a []int64) (int64, bres) {
		path, ok := m.str(p, a[0])
		if !ok {
			return 0, bExit
		}
		mode, ok := m.str(p, a[1])
		if !ok {
			return 0, bExit
		}
		fl, valid := openFlags(mode)
		if !valid {
			p.setErrno(m, engine.EINVAL)
			return 0, bOK
		}
		f, ok := m.malloc(p, fileStructSize)
		if !ok {
			return 0, bExit
		}
		fd, ok := m.sysPath(p, "openat", path, engine.AT_FDCWD, a[0], fl, 0o666)
		if !ok {
			return 0, bExit
		}
		if fd < 0 {
			e := p.errno(m)
			if !m.free(p, f) {
				return 0, bExit
			}
			p.setErrno(m, e)
			return 0, bOK
		}
		p.fileAddrs = append(p.fileAddrs, int64(f))
		p.files = append(p.files, &stream{fd: fd})
		return int64(f), bOK
	})
	def("FILE *fdopen(int fd, const char *mode)", func(m *machine, p *proc, a []int64) (int64, bres) {
		f, ok := m.malloc(p, fileStructSize)
		if !ok {
			return 0, bExit
		}
		p.fileAddrs = append(p.fileAddrs, int64(f))
		p.files = append(p.files, &stream{fd: a[0]})
		return int64(f), bOK
	})
	// tmpfile is glibc 2.36's: an unnamed file in /tmp (open with
	// O_TMPFILE, __gen_tempfd), as a stream open for reading and writing.
	def("FILE *tmpfile(void)", func(m *machine, p *proc, a []int64) (int64, bres) {
		dir, ok := m.malloc(p, 8)
		if !ok {
			return 0, bExit
		}
		if err := m.eng.Store(p.pid, dir, []byte("/tmp\x00")); err != nil {
			m.fault(p, err)
			return 0, bExit
		}
		fd, ok := m.sysPath(p, "openat", "/tmp", engine.AT_FDCWD, int64(dir), engine.O_RDWR|engine.O_TMPFILE|engine.O_EXCL, 0o600)
		if !ok || !m.free(p, dir) {
			return 0, bExit
		}
		if fd < 0 {
			return 0, bOK
		}
		f, ok := m.malloc(p, fileStructSize)
		if !ok {
			return 0, bExit
		}
		p.fileAddrs = append(p.fileAddrs, int64(f))
		p.files = append(p.files, &stream{fd: fd})
		return int64(f), bOK
	})
	def("int fclose(FILE *f)", func(m *machine, p *proc, a []int64) (int64, bres) {
		for i, addr := range p.fileAddrs {
			if addr != a[0] {
				continue
			}
			s := p.files[i]
			if !m.flushStream(p, s) {
				return 0, bExit
			}
			p.files = append(p.files[:i:i], p.files[i+1:]...)
			p.fileAddrs = append(p.fileAddrs[:i:i], p.fileAddrs[i+1:]...)
			r, ok := m.sys(p, "close", s.fd)
			if !ok {
				return 0, bExit
			}
			if s.buf != 0 && !m.free(p, s.buf) {
				return 0, bExit
			}
			if !m.free(p, uint64(addr)) {
				return 0, bExit
			}
			if r < 0 {
				return -1, bOK
			}
			return 0, bOK
		}
		if a[0] == 1 || a[0] == 2 {
			return 0, okRes(m.flush(p))
		}
		return 0, m.badFile(p, a[0])
	})
	def("unsigned long fread(void *ptr, unsigned long size, unsigned long n, FILE *f)", func(m *machine, p *proc, a []int64) (int64, bres) {
		s := p.streamOf(a[3])
		if s == nil {
			return 0, m.badFile(p, a[3])
		}
		size, n := uint64(a[1]), uint64(a[2])
		if size == 0 || n == 0 {
			return 0, bOK
		}
		want := size * n
		dst := uint64(a[0])
		var got uint64
		for got < want {
			if len(s.rbuf) == 0 {
				if s.eof || s.err {
					break
				}
				if !m.fill(p, s) {
					return 0, bExit
				}
				continue
			}
			k := min(uint64(len(s.rbuf)), want-got)
			if err := m.eng.Store(p.pid, dst+got, s.rbuf[:k]); err != nil {
				m.fault(p, err)
				return 0, bExit
			}
			s.rbuf = s.rbuf[k:]
			got += k
		}
		return int64(got / size), bOK
	})
	def("unsigned long fwrite(const void *ptr, unsigned long size, unsigned long n, FILE *f)", func(m *machine, p *proc, a []int64) (int64, bres) {
		size, n := uint64(a[1]), uint64(a[2])
		if size == 0 || n == 0 {
			return 0, bOK
		}
		for off := uint64(0); off < size*n; {
			k := min(size*n-off, chunk)
			b := make([]byte, k)
			if err := m.eng.Load(p.pid, uint64(a[0])+off, b); err != nil {
				m.fault(p, err)
				return 0, bExit
			}
			if !m.fileWrite(p, a[3], b) {
				return 0, bExit
			}
			off += k
		}
		return int64(n), bOK
	})
	getc := func(m *machine, p *proc, a []int64) (int64, bres) {
		s := p.streamOf(a[0])
		if s == nil {
			return 0, m.badFile(p, a[0])
		}
		c, ok := m.readByte(p, s)
		return ret(c, ok)
	}
	def("int fgetc(FILE *f)", getc)
	def("int getc(FILE *f)", getc)
	def("int getchar(void)", func(m *machine, p *proc, a []int64) (int64, bres) {
		if !m.flush(p) { // reading stdin flushes stdout, as glibc does for a terminal
			return 0, bExit
		}
		return getc(m, p, []int64{stdinFILE})
	})
	def("char *fgets(char *buf, int n, FILE *f)", func(m *machine, p *proc, a []int64) (int64, bres) {
		s := p.streamOf(a[2])
		if s == nil {
			return 0, m.badFile(p, a[2])
		}
		if a[2] == stdinFILE && !m.flush(p) {
			return 0, bExit
		}
		var line []byte
		for int64(len(line)) < a[1]-1 {
			c, ok := m.readByte(p, s)
			if !ok {
				return 0, bExit
			}
			if c < 0 {
				break
			}
			line = append(line, byte(c))
			if c == '\n' {
				break
			}
		}
		if len(line) == 0 {
			return 0, bOK
		}
		return m.storeRet(p, a[0], append(line, 0), a[0])
	})
	def("int fseek(FILE *f, long off, int whence)", func(m *machine, p *proc, a []int64) (int64, bres) {
		s := p.streamOf(a[0])
		if s == nil {
			return 0, m.badFile(p, a[0])
		}
		if !m.flushStream(p, s) {
			return 0, bExit
		}
		off := a[1]
		if a[2] == engine.SEEK_CUR {
			off -= int64(len(s.rbuf))
		}
		s.rbuf, s.eof = nil, false
		r, ok := m.sys(p, "lseek", s.fd, off, a[2])
		if !ok {
			return 0, bExit
		}
		if r < 0 {
			return -1, bOK
		}
		return 0, bOK
	})
	def("long ftell(FILE *f)", func(m *machine, p *proc, a []int64) (int64, bres) {
		s := p.streamOf(a[0])
		if s == nil {
			return 0, m.badFile(p, a[0])
		}
		r, ok := m.sys(p, "lseek", s.fd, 0, engine.SEEK_CUR)
		if !ok {
			return 0, bExit
		}
		if r < 0 {
			return -1, bOK
		}
		return r - int64(len(s.rbuf)) + int64(len(s.wbuf)), bOK
	})
	def("void rewind(FILE *f)", func(m *machine, p *proc, a []int64) (int64, bres) {
		_, st := builtins["fseek"].fn(m, p, []int64{a[0], 0, engine.SEEK_SET})
		if s := p.streamOf(a[0]); s != nil {
			s.err = false
		}
		return 0, st
	})
	def("int feof(FILE *f)", func(m *machine, p *proc, a []int64) (int64, bres) {
		s := p.streamOf(a[0])
		if s == nil {
			return 0, bOK
		}
		return b2i(s.eof && len(s.rbuf) == 0), bOK
	})
	def("int ferror(FILE *f)", func(m *machine, p *proc, a []int64) (int64, bres) {
		s := p.streamOf(a[0])
		if s == nil {
			return 0, bOK
		}
		return b2i(s.err), bOK
	})
	def("int fileno(FILE *f)", func(m *machine, p *proc, a []int64) (int64, bres) {
		switch a[0] {
		case 1, 2:
			return a[0], bOK
		}
		s := p.streamOf(a[0])
		if s == nil {
			return 0, m.badFile(p, a[0])
		}
		return s.fd, bOK
	})
}

// addStream gives s a FILE on the heap, as fopen does.
func (m *machine) addStream(p *proc, s *stream) (int64, bres) {
	f, ok := m.malloc(p, fileStructSize)
	if !ok {
		return 0, bExit
	}
	p.fileAddrs = append(p.fileAddrs, int64(f))
	p.files = append(p.files, s)
	return int64(f), bOK
}

// removeStream forgets a stream without a descriptor (popen's) and frees
// its FILE and buffer.
func (m *machine) removeStream(p *proc, f int64) bool {
	for i, addr := range p.fileAddrs {
		if addr != f {
			continue
		}
		s := p.files[i]
		p.files = append(p.files[:i:i], p.files[i+1:]...)
		p.fileAddrs = append(p.fileAddrs[:i:i], p.fileAddrs[i+1:]...)
		if s.buf != 0 && !m.free(p, s.buf) {
			return false
		}
		return m.free(p, uint64(addr))
	}
	return true
}
