package interp

import (
	"encoding/binary"
	"strconv"
	"strings"
	"sync"

	"github.com/mmapplayground/playground/internal/engine"
)

// builtin is a library function: its C prototype and its implementation.
type builtin struct {
	name     string
	id       int
	proto    string
	ret      *ctype
	params   []*ctype
	variadic bool
	fn       func(m *machine, p *proc, a []int64) (int64, bres)
}

func (b *builtin) fnType() *ctype {
	parseBuiltinTypes()
	return &ctype{k: kFunc, size: 1, align: 1, ret: b.ret, params: b.params, variadic: b.variadic}
}

var (
	builtins    = map[string]*builtin{}
	builtinList []*builtin
)

// def declares a library function from a compact prototype:
// "int open(const char *, int, ...)". Only its name is read here; its
// types are parsed when a program is first compiled (parseBuiltinTypes):
// every process of this binary runs the package's inits, the real
// engine's worker and launcher too, and parsing a thousand prototypes,
// each in a parser of its own, was some 20 ms of each one's start.
func def(proto string, fn func(m *machine, p *proc, a []int64) (int64, bres)) {
	name := protoName(proto)
	if name == "" {
		panic("bad prototype: " + proto)
	}
	b := &builtin{name: name, id: len(builtinList), proto: proto, fn: fn}
	builtins[b.name] = b
	builtinList = append(builtinList, b)
}

// protoName is the name a prototype declares: its first identifier
// followed at once by "(" ("signal" in "void (*signal(int, void
// (*)(int)))(int)"), as the library's prototypes are written.
// parseBuiltinTypes holds it to the parser's.
func protoName(proto string) string {
	isIdent := func(c byte, first bool) bool {
		return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || !first && c >= '0' && c <= '9'
	}
	for i := 0; i < len(proto); {
		if !isIdent(proto[i], true) {
			i++
			continue
		}
		j := i
		for j < len(proto) && isIdent(proto[j], false) {
			j++
		}
		if j < len(proto) && proto[j] == '(' {
			return proto[i:j]
		}
		i = j
	}
	return ""
}

var builtinTypesOnce sync.Once

// parseBuiltinTypes parses every library function's prototype, once, in
// one parser, and gives each builtin its types.
func parseBuiltinTypes() {
	builtinTypesOnce.Do(func() {
		var d []Diagnostic
		p := newParser(&d, nil)
		for _, b := range builtinList {
			p.parseUnit(lex(b.proto+";", &d))
			if len(d) > 0 || len(p.u.globals) != 1 || p.u.globals[0].name != b.name {
				panic("bad prototype: " + b.proto)
			}
			t := p.u.globals[0].t
			b.ret, b.params, b.variadic = t.ret, t.params, t.variadic
		}
	})
}

// bulk are the system calls whose bytes count as steps (work).
var bulk = map[string]bool{"read": true, "write": true, "pread64": true, "pwrite64": true}

// sys makes a system call for p. It sets errno on failure and kills p on a
// signal; ok is false when p is gone or the run ended.
func (m *machine) sys(p *proc, name string, args ...int64) (int64, bool) {
	return m.sysPath(p, name, "", args...)
}

func (m *machine) sysPath(p *proc, name, path string, args ...int64) (int64, bool) {
	v, st := m.sysCall(p, name, path, args...)
	return v, st == bOK
}

// sleep is the model's nanosleep of ns nanoseconds: what was left of it
// when a signal (a timer's) ended it early, with errno EINTR; 0 when it
// slept all of it.
func (m *machine) sleep(p *proc, ns int64) (int64, bool) {
	start := m.now()
	r, ok := m.sys(p, "nanosleep", ns)
	if !ok || r != -1 || p.errno(m) != engine.EINTR {
		return 0, ok
	}
	return max(int64(start)+ns-int64(m.now()), 1), true
}

// sysCall is sysPath for a call that may block (a read of an empty pipe
// or eventfd, a write to a full one): bBlock says the builtin is to be
// made again once others have run.
func (m *machine) sysCall(p *proc, name, path string, args ...int64) (int64, bres) {
	out := (name == "write" || name == "pwrite64") && len(args) > 2 && (args[0] == 1 || args[0] == 2)
	cut := out && args[2] > int64(m.maxOut-m.output)+1
	if cut {
		// The output limit cuts one large write too: what fits is
		// written, and the run ends, as it would once the rest had been.
		args = append([]int64(nil), args...)
		args[2] = int64(max(m.maxOut-m.output, 0)) + 1
	}
	res := m.syscall(p.pid, engine.Call{Name: name, Args: args, Path: path})
	if res.Block {
		return 0, bBlock
	}
	if bulk[name] && res.Ret > 0 && !m.work(uint64(res.Ret)) {
		return 0, bExit
	}
	if res.Signal != nil {
		// A signal the call sent the caller (a write to a pipe with no
		// reader: SIGPIPE; a kill of itself), delivered when the library
		// call returns; ignored, a write fails with EPIPE.
		m.send(p, res.Signal.Signo, res.Signal.Code, name == "kill")
	}
	if res.Errno != 0 {
		if res.Errno == engine.ENOSYS {
			m.noteENOSYS(p, name)
		}
		p.setErrno(m, res.Errno)
		if p.exited {
			return 0, bExit
		}
	}
	if sig := m.returnFault(p, name); sig != nil {
		m.kill(p, sig) // the fetch after the wrapper's syscall (ptrace.go)
		return 0, bExit
	}
	if out && res.Ret > 0 {
		m.output += int(res.Ret)
		if m.output > m.maxOut || cut {
			m.abort("output limit exceeded (%d bytes)", m.maxOut)
			return 0, bExit
		}
	}
	return res.Ret, bOK
}

// errnoTLS is where glibc keeps a thread's errno on x86-64: in its static
// TLS block, 128 bytes below the thread's descriptor (pthread_self), as
// (char *)&errno - (char *)pthread_self() is here.
const errnoTLS = 128

// errnoAddr is p's thread's errno (what __errno_location returns).
func (p *proc) errnoAddr(m *machine) uint64 {
	if p.errnoAt == 0 {
		if p.thread != nil {
			p.errnoAt = p.thread.self - errnoTLS
		} else {
			p.errnoAt = m.mainSelf(p) - errnoTLS
		}
	}
	return p.errnoAt
}

func (p *proc) setErrno(m *machine, e engine.Errno) {
	if p.rawSyscall {
		p.rawErrno = e
		return
	}
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], uint32(e))
	if err := m.eng.Store(p.pid, p.errnoAddr(m), b[:]); err != nil {
		m.fault(p, err)
	}
}

func (p *proc) errno(m *machine) engine.Errno {
	var b [4]byte
	if m.eng.Load(p.pid, p.errnoAddr(m), b[:]) != nil {
		return 0
	}
	return engine.Errno(int32(binary.LittleEndian.Uint32(b[:])))
}

func init() {
	// <errno.h>'s errno is glibc's: the calling thread's, through
	// __errno_location.
	libMacros = append(libMacros, "errno (*__errno_location ())")
	def("int *__errno_location(void)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return int64(p.errnoAddr(m)), bOK
	})
}

// ret turns a syscall wrapper's outcome into a builtin's.
func ret(v int64, ok bool) (int64, bres) {
	if !ok {
		return 0, bExit
	}
	return v, bOK
}

// stdout is fully buffered (4096 bytes, as to a pipe), or line-buffered
// on a terminal (Config.Terminal: glibc's _IOLBF flushes the buffer when a
// newline is written); the buffer lives on the heap as glibc's does, so a
// write(1, ...) copies from it.
func (m *machine) stdoutWrite(p *proc, b []byte) bool {
	if p.heap.stdoutBuf == 0 && len(b) > 0 {
		a, ok := m.allocStreamBuf(p, 1)
		if !ok {
			return false
		}
		p.heap.stdoutBuf = a
	}
	p.stdout = append(p.stdout, b...)
	switch m.stdoutMode(p) {
	case ioNBF:
		return m.flush(p)
	case ioLBF:
		if i := lastNewline(p.stdout); i >= 0 {
			rest := append([]byte(nil), p.stdout[i+1:]...)
			p.stdout = p.stdout[:i+1]
			if !m.flush(p) {
				return false
			}
			p.stdout = rest
		}
	}
	for len(p.stdout) >= 4096 {
		if !m.writeOut(p, 1, p.stdout[:4096]) {
			return false
		}
		p.stdout = append(p.stdout[:0], p.stdout[4096:]...)
	}
	return true
}

// stdoutMode is stdout's buffering: setvbuf's, else line-buffered on a
// terminal and fully buffered on a pipe, as glibc chooses at the first
// write.
func (m *machine) stdoutMode(p *proc) int {
	switch {
	case p.stdoutMode != 0:
		return p.stdoutMode - 1
	case m.terminal:
		return ioLBF
	}
	return ioFBF
}

func (m *machine) flush(p *proc) bool {
	if len(p.stdout) == 0 {
		return true
	}
	b := p.stdout
	p.stdout = nil
	return m.writeOut(p, 1, b)
}

// writeOut places b in p's memory (stdout's buffer, or the stack for
// stderr) and writes it with write(fd, ...).
func (m *machine) writeOut(p *proc, fd int64, b []byte) bool {
	for len(b) > 0 {
		n := len(b)
		if n > 4096 {
			n = 4096
		}
		var addr uint64
		if fd == 1 {
			if p.heap.stdoutBuf == 0 {
				a, ok := m.allocStreamBuf(p, 1)
				if !ok {
					return false
				}
				p.heap.stdoutBuf = a
			}
			addr = p.heap.stdoutBuf
		} else {
			addr = (p.sp - 512 - uint64(n)) &^ 15
		}
		if addr != 0 {
			if err := m.eng.Store(p.pid, addr, b[:n]); err != nil {
				m.fault(p, err)
				return false
			}
		}
		if _, ok := m.sys(p, "write", fd, int64(addr), int64(n)); !ok {
			return false
		}
		b = b[n:]
	}
	return true
}

func (m *machine) stderrWrite(p *proc, b []byte) bool { return m.writeOut(p, 2, b) }

// fileWrite writes to a FILE *: stdout (1) buffered, stderr (2) not.
func (m *machine) fileWrite(p *proc, f int64, b []byte) bool {
	switch f {
	case 1:
		return m.stdoutWrite(p, b)
	case 2:
		return m.stderrWrite(p, b)
	}
	if s := p.streamOf(f); s != nil {
		return m.streamWrite(p, s, b)
	}
	m.kill(p, &engine.Signal{Signo: engine.SIGSEGV, Code: engine.SEGV_MAPERR, Addr: uint64(f)})
	return false
}

func (m *machine) str(p *proc, addr int64) (string, bool) {
	s, err := m.cstring(p.pid, uint64(addr), 1<<20)
	if err != nil {
		m.fault(p, err)
		return "", false
	}
	return s, true
}

func (m *machine) progName() string { return "./" + trimC(m.prog.name) }

// forkProc is fork(): the engine's fork, then a copy of the calling
// process's interpreter state (frames, registers, stdio buffers, heap) in
// which the call returns 0.
func (m *machine) forkProc(p *proc) (int64, bres) {
	res := m.syscall(p.pid, engine.Call{Name: "fork"})
	if res.Errno != 0 {
		p.setErrno(m, res.Errno)
		return -1, bOK
	}
	child := p.clone(taskOf(res))
	fr := &child.frames[len(child.frames)-1]
	in := fr.fn.code[fr.pc]
	child.regs[fr.base+int(in.a)] = 0
	fr.pc++
	m.procs = append(m.procs, child)
	return res.Ret, bOK
}

func init() {
	// System calls.
	def("int open(const char *path, int flags, ...)", func(m *machine, p *proc, a []int64) (int64, bres) {
		path, ok := m.str(p, a[0])
		if !ok {
			return 0, bExit
		}
		mode := int64(0)
		if len(a) > 2 {
			mode = a[2]
		}
		return ret(m.sysPath(p, "openat", path, engine.AT_FDCWD, a[0], a[1], mode))
	})
	def("int openat(int dirfd, const char *path, int flags, ...)", func(m *machine, p *proc, a []int64) (int64, bres) {
		path, ok := m.str(p, a[1])
		if !ok {
			return 0, bExit
		}
		mode := int64(0)
		if len(a) > 3 {
			mode = a[3]
		}
		return ret(m.sysPath(p, "openat", path, a[0], a[1], a[2], mode))
	})
	def("int creat(const char *path, unsigned int mode)", func(m *machine, p *proc, a []int64) (int64, bres) {
		path, ok := m.str(p, a[0])
		if !ok {
			return 0, bExit
		}
		return ret(m.sysPath(p, "openat", path, engine.AT_FDCWD, a[0], engine.O_CREAT|engine.O_WRONLY|engine.O_TRUNC, a[1]))
	})
	def("int close(int fd)", func(m *machine, p *proc, a []int64) (int64, bres) { return ret(m.sys(p, "close", a[0])) })
	def("long read(int fd, void *buf, unsigned long n)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return m.sysCall(p, "read", "", a[0], a[1], a[2])
	})
	def("long write(int fd, const void *buf, unsigned long n)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return m.sysCall(p, "write", "", a[0], a[1], a[2])
	})
	def("long pread(int fd, void *buf, unsigned long n, long off)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return ret(m.sys(p, "pread64", a[0], a[1], a[2], a[3]))
	})
	def("long pwrite(int fd, const void *buf, unsigned long n, long off)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return ret(m.sys(p, "pwrite64", a[0], a[1], a[2], a[3]))
	})
	def("long lseek(int fd, long off, int whence)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return ret(m.sys(p, "lseek", a[0], a[1], a[2]))
	})
	def("int ftruncate(int fd, long len)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return ret(m.sys(p, "ftruncate", a[0], a[1]))
	})
	def("int fstat(int fd, struct stat *st)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return ret(m.sys(p, "fstat", a[0], a[1]))
	})
	def("int stat(const char *path, struct stat *st)", func(m *machine, p *proc, a []int64) (int64, bres) {
		path, ok := m.str(p, a[0])
		if !ok {
			return 0, bExit
		}
		return ret(m.sysPath(p, "stat", path, a[0], a[1]))
	})
	def("int unlink(const char *path)", func(m *machine, p *proc, a []int64) (int64, bres) {
		path, ok := m.str(p, a[0])
		if !ok {
			return 0, bExit
		}
		return ret(m.sysPath(p, "unlink", path, a[0]))
	})
	// remove(3) is unlink, or rmdir for a directory, as glibc's.
	def("int remove(const char *path)", func(m *machine, p *proc, a []int64) (int64, bres) {
		path, ok := m.str(p, a[0])
		if !ok {
			return 0, bExit
		}
		r, ok := m.sysPath(p, "unlink", path, a[0])
		if ok && r < 0 && p.errno(m) == engine.EISDIR {
			return ret(m.sysPath(p, "rmdir", path, a[0]))
		}
		return ret(r, ok)
	})
	def("void *mmap(void *addr, unsigned long len, int prot, int flags, int fd, long off)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return ret(m.sys(p, "mmap", a[0], a[1], a[2], a[3], a[4], a[5]))
	})
	def("int munmap(void *addr, unsigned long len)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return ret(m.sys(p, "munmap", a[0], a[1]))
	})
	def("int mprotect(void *addr, unsigned long len, int prot)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return ret(m.sys(p, "mprotect", a[0], a[1], a[2]))
	})
	def("int msync(void *addr, unsigned long len, int flags)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return ret(m.sys(p, "msync", a[0], a[1], a[2]))
	})
	def("int madvise(void *addr, unsigned long len, int advice)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return ret(m.sys(p, "madvise", a[0], a[1], a[2]))
	})
	def("int posix_madvise(void *addr, unsigned long len, int advice)", func(m *machine, p *proc, a []int64) (int64, bres) {
		if a[2] == 4 { // POSIX_MADV_DONTNEED is a no-op in glibc
			return 0, bOK
		}
		r, ok := m.sys(p, "madvise", a[0], a[1], a[2])
		if ok && r < 0 {
			return int64(p.errno(m)), bOK
		}
		return ret(r, ok)
	})
	def("void *mremap(void *old, unsigned long oldlen, unsigned long newlen, int flags, ...)", func(m *machine, p *proc, a []int64) (int64, bres) {
		na := int64(0)
		if len(a) > 4 {
			na = a[4]
		}
		return ret(m.sys(p, "mremap", a[0], a[1], a[2], a[3], na))
	})
	def("int mlock(const void *addr, unsigned long len)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return ret(m.sys(p, "mlock", a[0], a[1]))
	})
	def("int munlock(const void *addr, unsigned long len)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return ret(m.sys(p, "munlock", a[0], a[1]))
	})
	def("int mlockall(int flags)", func(m *machine, p *proc, a []int64) (int64, bres) { return ret(m.sys(p, "mlockall", a[0])) })
	def("int munlockall(void)", func(m *machine, p *proc, a []int64) (int64, bres) { return ret(m.sys(p, "munlockall")) })
	def("int mincore(void *addr, unsigned long len, unsigned char *vec)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return ret(m.sys(p, "mincore", a[0], a[1], a[2]))
	})
	def("int fork(void)", func(m *machine, p *proc, a []int64) (int64, bres) { return m.forkProc(p) })
	def("int wait(int *status)", func(m *machine, p *proc, a []int64) (int64, bres) { return m.wait4(p, -1, a[0], 0) })
	def("int waitpid(int pid, int *status, int options)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return m.wait4(p, a[0], a[1], a[2])
	})
	def("int getpid(void)", func(m *machine, p *proc, a []int64) (int64, bres) { return ret(m.sys(p, "getpid")) })
	def("int getppid(void)", func(m *machine, p *proc, a []int64) (int64, bres) { return ret(m.sys(p, "getppid")) })
	def("void exit(int status)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return 0, m.exit(p, int(int32(a[0]))) // exit.go: atexit functions and destructors first
	})
	def("void _exit(int status)", func(m *machine, p *proc, a []int64) (int64, bres) {
		p.stdout = nil
		if m.exitProc(p, int(int32(a[0]))) {
			return 0, bExit
		}
		return 0, bAbort
	})
	def("void _Exit(int status)", builtins["_exit"].fn)
	def("unsigned int sleep(unsigned int s)", func(m *machine, p *proc, a []int64) (int64, bres) {
		if st, ok := m.sleepFirst(p, a[0]*1e9); !ok {
			return 0, st
		}
		left, ok := m.sleep(p, a[0]*1e9)
		// glibc's sleep: the seconds left of an interrupted sleep
		// (nanosleep's remainder, its nanoseconds dropped).
		return ret(left/1e9, ok)
	})
	def("int usleep(unsigned int us)", func(m *machine, p *proc, a []int64) (int64, bres) {
		if st, ok := m.sleepFirst(p, a[0]*1e3); !ok {
			return 0, st
		}
		left, ok := m.sleep(p, a[0]*1e3)
		if ok && left > 0 {
			return -1, bOK // EINTR
		}
		return ret(0, ok)
	})
	def("int kill(int pid, int sig)", func(m *machine, p *proc, a []int64) (int64, bres) {
		if a[0] == int64(p.pid) || a[0] == 0 {
			if a[1] < 0 || a[1] > 64 {
				p.setErrno(m, engine.EINVAL)
				return -1, bOK
			}
			m.send(p, int(a[1]), engine.SI_USER, true)
			return 0, bOK
		}
		r, ok := m.sys(p, "kill", a[0], a[1])
		if ok && r == 0 {
			m.noteSignalled(p, a[1]) // those it ended; a stopped one is the engine's to tell
		}
		return ret(r, ok)
	})
	def("int raise(int sig)", func(m *machine, p *proc, a []int64) (int64, bres) {
		// glibc's raise is tgkill of the calling thread: the signal is
		// delivered as raise returns.
		if a[0] < 0 || a[0] > 64 {
			p.setErrno(m, engine.EINVAL)
			return -1, bOK
		}
		m.send(p, int(a[0]), engine.SI_TKILL, false)
		return 0, bOK
	})
	def("void abort(void)", func(m *machine, p *proc, a []int64) (int64, bres) {
		m.killHard(p, &engine.Signal{Signo: engine.SIGABRT})
		return 0, bExit
	})
	def("long sysconf(int name)", func(m *machine, p *proc, a []int64) (int64, bres) {
		switch a[0] {
		case engine.SC_PAGESIZE:
			return engine.PageSize, bOK
		case engine.SC_PHYS_PAGES:
			return int64(m.eng.State().Memory.TotalPages), bOK
		case engine.SC_NPROCESSORS_ONLN:
			return builtins["get_nprocs"].fn(m, p, nil)
		case engine.SC_NPROCESSORS_CONF:
			return builtins["get_nprocs_conf"].fn(m, p, nil)
		}
		if v, ok := sysconfValue(m, a[0]); ok {
			return v, bOK
		}
		p.setErrno(m, engine.EINVAL)
		return -1, bOK
	})
	def("int getpagesize(void)", func(m *machine, p *proc, a []int64) (int64, bres) { return engine.PageSize, bOK })
	// isatty is 1 for standard output and error on a terminal
	// (Config.Terminal), else 0 with ENOTTY, as for a pipe or a file.
	def("int isatty(int fd)", func(m *machine, p *proc, a []int64) (int64, bres) {
		if m.terminal && (a[0] == 1 || a[0] == 2) {
			return 1, bOK
		}
		p.setErrno(m, engine.ENOTTY)
		return 0, bOK
	})

	// Memory and strings.
	def("void *malloc(unsigned long n)", func(m *machine, p *proc, a []int64) (int64, bres) {
		v, ok := m.malloc(p, uint64(a[0]))
		return ret(int64(v), ok)
	})
	def("void *calloc(unsigned long n, unsigned long size)", func(m *machine, p *proc, a []int64) (int64, bres) {
		n := uint64(a[0]) * uint64(a[1])
		v, fresh, ok := m.mallocChunk(p, n)
		if !ok {
			return 0, bExit
		}
		if v != 0 && !fresh {
			if err := m.memset(p.pid, v, 0, n); err != nil {
				m.fault(p, err)
				return 0, bExit
			}
		}
		return int64(v), bOK
	})
	def("void *realloc(void *ptr, unsigned long n)", func(m *machine, p *proc, a []int64) (int64, bres) {
		old := uint64(a[0])
		v, ok := m.malloc(p, uint64(a[1]))
		if !ok || v == 0 {
			return ret(int64(v), ok)
		}
		if old != 0 {
			h := p.arenaOf(old)
			sz := h.sizes[old] - 8
			if h.mmapped[old] {
				sz = h.sizes[old] - 16
			}
			if sz > uint64(a[1]) {
				sz = uint64(a[1])
			}
			if err := m.memmove(p.pid, v, old, sz); err != nil {
				m.fault(p, err)
				return 0, bExit
			}
			if !m.free(p, old) {
				return 0, bExit
			}
		}
		return int64(v), bOK
	})
	def("int posix_memalign(void **ptr, unsigned long align, unsigned long n)", func(m *machine, p *proc, a []int64) (int64, bres) {
		al := uint64(a[1])
		if al < 8 || al&(al-1) != 0 {
			return int64(engine.EINVAL), bOK
		}
		v, ok := m.memalign(p, al, uint64(a[2]))
		if !ok {
			return 0, bExit
		}
		if v == 0 {
			return int64(engine.ENOMEM), bOK
		}
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], v)
		return m.storeRet(p, a[0], b[:], 0)
	})
	def("void *aligned_alloc(unsigned long align, unsigned long n)", func(m *machine, p *proc, a []int64) (int64, bres) {
		v, ok := m.memalign(p, uint64(a[0]), uint64(a[1]))
		return ret(int64(v), ok)
	})
	def("void *memalign(unsigned long align, unsigned long n)", builtins["aligned_alloc"].fn)
	def("void *valloc(unsigned long n)", func(m *machine, p *proc, a []int64) (int64, bres) {
		v, ok := m.memalign(p, engine.PageSize, uint64(a[0]))
		return ret(int64(v), ok)
	})
	def("char *getenv(const char *name)", func(m *machine, p *proc, a []int64) (int64, bres) { return 0, bOK })
	def("void free(void *ptr)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return ret(0, m.free(p, uint64(a[0])))
	})
	def("void *memset(void *s, int c, unsigned long n)", func(m *machine, p *proc, a []int64) (int64, bres) {
		if err := m.memset(p.pid, uint64(a[0]), byte(a[1]), uint64(a[2])); err != nil {
			m.fault(p, err)
			return 0, bExit
		}
		return a[0], bOK
	})
	def("void bzero(void *s, unsigned long n)", func(m *machine, p *proc, a []int64) (int64, bres) {
		if err := m.memset(p.pid, uint64(a[0]), 0, uint64(a[1])); err != nil {
			m.fault(p, err)
			return 0, bExit
		}
		return 0, bOK
	})
	memmove := func(m *machine, p *proc, a []int64) (int64, bres) {
		if err := m.memmove(p.pid, uint64(a[0]), uint64(a[1]), uint64(a[2])); err != nil {
			m.fault(p, err)
			return 0, bExit
		}
		return a[0], bOK
	}
	def("void *memcpy(void *d, const void *s, unsigned long n)", memmove)
	def("void *memmove(void *d, const void *s, unsigned long n)", memmove)
	def("int memcmp(const void *a, const void *b, unsigned long n)", func(m *machine, p *proc, a []int64) (int64, bres) {
		// In pieces, so a huge n costs no more host memory than a page.
		n := uint64(a[2])
		x, y := make([]byte, engine.PageSize), make([]byte, engine.PageSize)
		for off := uint64(0); off < n; off += engine.PageSize {
			k := min(n-off, engine.PageSize)
			if !m.work(2 * k) { // both buffers' bytes, as memmove counts them
				return 0, bExit
			}
			if err := m.eng.Load(p.pid, uint64(a[0])+off, x[:k]); err != nil {
				m.fault(p, err)
				return 0, bExit
			}
			if err := m.eng.Load(p.pid, uint64(a[1])+off, y[:k]); err != nil {
				m.fault(p, err)
				return 0, bExit
			}
			for i := uint64(0); i < k; i++ {
				if x[i] != y[i] {
					return int64(x[i]) - int64(y[i]), bOK
				}
			}
		}
		return 0, bOK
	})
	def("unsigned long strlen(const char *s)", func(m *machine, p *proc, a []int64) (int64, bres) {
		s, ok := m.str(p, a[0])
		return ret(int64(len(s)), ok)
	})
	def("char *strcpy(char *d, const char *s)", func(m *machine, p *proc, a []int64) (int64, bres) {
		s, ok := m.str(p, a[1])
		if !ok {
			return 0, bExit
		}
		return m.storeRet(p, a[0], append([]byte(s), 0), a[0])
	})
	def("char *strncpy(char *d, const char *s, unsigned long n)", func(m *machine, p *proc, a []int64) (int64, bres) {
		s, ok := m.str(p, a[1])
		if !ok {
			return 0, bExit
		}
		n := uint64(a[2])
		b := []byte(s)
		if uint64(len(b)) > n {
			b = b[:n]
		}
		if err := m.eng.Store(p.pid, uint64(a[0]), b); err != nil {
			m.fault(p, err)
			return 0, bExit
		}
		if err := m.memset(p.pid, uint64(a[0])+uint64(len(b)), 0, n-uint64(len(b))); err != nil {
			m.fault(p, err)
			return 0, bExit
		}
		return a[0], bOK
	})
	def("char *strcat(char *d, const char *s)", func(m *machine, p *proc, a []int64) (int64, bres) {
		d, ok := m.str(p, a[0])
		if !ok {
			return 0, bExit
		}
		s, ok := m.str(p, a[1])
		if !ok {
			return 0, bExit
		}
		return m.storeRet(p, a[0]+int64(len(d)), append([]byte(s), 0), a[0])
	})
	def("int strcmp(const char *a, const char *b)", func(m *machine, p *proc, a []int64) (int64, bres) {
		x, ok := m.str(p, a[0])
		if !ok {
			return 0, bExit
		}
		y, ok := m.str(p, a[1])
		if !ok {
			return 0, bExit
		}
		return int64(cmpBytes(x, y, -1)), bOK
	})
	def("int strncmp(const char *a, const char *b, unsigned long n)", func(m *machine, p *proc, a []int64) (int64, bres) {
		x, ok := m.str(p, a[0])
		if !ok {
			return 0, bExit
		}
		y, ok := m.str(p, a[1])
		if !ok {
			return 0, bExit
		}
		return int64(cmpBytes(x, y, int(a[2]))), bOK
	})
	def("char *strchr(const char *s, int c)", func(m *machine, p *proc, a []int64) (int64, bres) {
		s, ok := m.str(p, a[0])
		if !ok {
			return 0, bExit
		}
		if byte(a[1]) == 0 {
			return a[0] + int64(len(s)), bOK
		}
		if i := strings.IndexByte(s, byte(a[1])); i >= 0 {
			return a[0] + int64(i), bOK
		}
		return 0, bOK
	})
	def("char *strstr(const char *s, const char *t)", func(m *machine, p *proc, a []int64) (int64, bres) {
		s, ok := m.str(p, a[0])
		if !ok {
			return 0, bExit
		}
		t, ok := m.str(p, a[1])
		if !ok {
			return 0, bExit
		}
		if i := strings.Index(s, t); i >= 0 {
			return a[0] + int64(i), bOK
		}
		return 0, bOK
	})
	def("int atoi(const char *s)", func(m *machine, p *proc, a []int64) (int64, bres) {
		s, ok := m.str(p, a[0])
		v, _ := strtol(s, 10)
		return ret(int64(int32(v)), ok)
	})
	def("long atol(const char *s)", func(m *machine, p *proc, a []int64) (int64, bres) {
		s, ok := m.str(p, a[0])
		v, _ := strtol(s, 10)
		return ret(v, ok)
	})
	strtolFn := func(m *machine, p *proc, a []int64) (int64, bres) {
		s, ok := m.str(p, a[0])
		if !ok {
			return 0, bExit
		}
		v, n := strtol(s, int(a[2]))
		if a[1] != 0 {
			var b [8]byte
			binary.LittleEndian.PutUint64(b[:], uint64(a[0]+int64(n)))
			if err := m.eng.Store(p.pid, uint64(a[1]), b[:]); err != nil {
				m.fault(p, err)
				return 0, bExit
			}
		}
		return v, bOK
	}
	def("long strtol(const char *s, char **end, int base)", strtolFn)
	def("unsigned long strtoul(const char *s, char **end, int base)", strtolFn)
	def("long long strtoll(const char *s, char **end, int base)", strtolFn)
	def("unsigned long long strtoull(const char *s, char **end, int base)", strtolFn)
	def("int abs(int x)", func(m *machine, p *proc, a []int64) (int64, bres) {
		if int32(a[0]) < 0 {
			return int64(int32(-a[0])), bOK
		}
		return a[0], bOK
	})
	def("long labs(long x)", func(m *machine, p *proc, a []int64) (int64, bres) {
		if a[0] < 0 {
			return -a[0], bOK
		}
		return a[0], bOK
	})

	// stdio.
	def("int printf(const char *fmt, ...)", func(m *machine, p *proc, a []int64) (int64, bres) {
		s, ok := m.format(p, a[0], a[1:])
		if !ok {
			return 0, bExit
		}
		return int64(len(s)), okRes(m.stdoutWrite(p, s))
	})
	def("int fprintf(FILE *f, const char *fmt, ...)", func(m *machine, p *proc, a []int64) (int64, bres) {
		s, ok := m.format(p, a[1], a[2:])
		if !ok {
			return 0, bExit
		}
		return int64(len(s)), okRes(m.fileWrite(p, a[0], s))
	})
	def("int dprintf(int fd, const char *fmt, ...)", func(m *machine, p *proc, a []int64) (int64, bres) {
		s, ok := m.format(p, a[1], a[2:])
		if !ok {
			return 0, bExit
		}
		return int64(len(s)), okRes(m.writeOut(p, a[0], s))
	})
	def("int sprintf(char *buf, const char *fmt, ...)", func(m *machine, p *proc, a []int64) (int64, bres) {
		s, ok := m.format(p, a[1], a[2:])
		if !ok {
			return 0, bExit
		}
		return m.storeRet(p, a[0], append(s, 0), int64(len(s)))
	})
	def("int snprintf(char *buf, unsigned long n, const char *fmt, ...)", func(m *machine, p *proc, a []int64) (int64, bres) {
		s, ok := m.format(p, a[2], a[3:])
		if !ok {
			return 0, bExit
		}
		return m.storeTruncated(p, a[0], a[1], s)
	})
	def("int vprintf(const char *fmt, va_list ap)", func(m *machine, p *proc, a []int64) (int64, bres) {
		s, ok := m.vformat(p, a[0], a[1])
		if !ok {
			return 0, bExit
		}
		return int64(len(s)), okRes(m.stdoutWrite(p, s))
	})
	def("int vfprintf(FILE *f, const char *fmt, va_list ap)", func(m *machine, p *proc, a []int64) (int64, bres) {
		s, ok := m.vformat(p, a[1], a[2])
		if !ok {
			return 0, bExit
		}
		return int64(len(s)), okRes(m.fileWrite(p, a[0], s))
	})
	def("int vsnprintf(char *buf, unsigned long n, const char *fmt, va_list ap)", func(m *machine, p *proc, a []int64) (int64, bres) {
		s, ok := m.vformat(p, a[2], a[3])
		if !ok {
			return 0, bExit
		}
		return m.storeTruncated(p, a[0], a[1], s)
	})
	def("int vsprintf(char *buf, const char *fmt, va_list ap)", func(m *machine, p *proc, a []int64) (int64, bres) {
		s, ok := m.vformat(p, a[1], a[2])
		if !ok {
			return 0, bExit
		}
		return m.storeRet(p, a[0], append(s, 0), int64(len(s)))
	})
	// asprintf and vasprintf (GNU): the string in a malloc'd buffer whose
	// address is stored at *strp; -1 (and *strp left alone) when it
	// cannot be allocated.
	def("int asprintf(char **strp, const char *fmt, ...)", func(m *machine, p *proc, a []int64) (int64, bres) {
		s, ok := m.format(p, a[1], a[2:])
		if !ok {
			return 0, bExit
		}
		return m.storeAllocated(p, a[0], s)
	})
	def("int vasprintf(char **strp, const char *fmt, va_list ap)", func(m *machine, p *proc, a []int64) (int64, bres) {
		s, ok := m.vformat(p, a[1], a[2])
		if !ok {
			return 0, bExit
		}
		return m.storeAllocated(p, a[0], s)
	})
	def("int puts(const char *s)", func(m *machine, p *proc, a []int64) (int64, bres) {
		s, ok := m.str(p, a[0])
		if !ok {
			return 0, bExit
		}
		return int64(len(s) + 1), okRes(m.stdoutWrite(p, []byte(s+"\n")))
	})
	def("int fputs(const char *s, FILE *f)", func(m *machine, p *proc, a []int64) (int64, bres) {
		s, ok := m.str(p, a[0])
		if !ok {
			return 0, bExit
		}
		return 1, okRes(m.fileWrite(p, a[1], []byte(s)))
	})
	def("int putchar(int c)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return a[0] & 0xff, okRes(m.stdoutWrite(p, []byte{byte(a[0])}))
	})
	def("int fputc(int c, FILE *f)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return a[0] & 0xff, okRes(m.fileWrite(p, a[1], []byte{byte(a[0])}))
	})
	def("int putc(int c, FILE *f)", builtins["fputc"].fn)
	def("int fflush(FILE *f)", func(m *machine, p *proc, a []int64) (int64, bres) {
		switch {
		case a[0] == 0:
			return 0, okRes(m.flush(p) && m.flushAll(p))
		case a[0] == 1:
			return 0, okRes(m.flush(p))
		case a[0] == 2:
			return 0, bOK
		}
		if s := p.streamOf(a[0]); s != nil {
			return 0, okRes(m.flushStream(p, s))
		}
		return 0, m.badFile(p, a[0])
	})
	def("void perror(const char *s)", func(m *machine, p *proc, a []int64) (int64, bres) {
		e := p.errno(m)
		msg := e.Error()
		if a[0] != 0 {
			s, ok := m.str(p, a[0])
			if !ok {
				return 0, bExit
			}
			if s != "" {
				msg = s + ": " + msg
			}
		}
		return 0, okRes(m.stderrWrite(p, []byte(msg+"\n")))
	})
	def("char *strerror(int e)", func(m *machine, p *proc, a []int64) (int64, bres) {
		if p.heap.strerr == 0 {
			v, ok := m.malloc(p, 1024)
			if !ok {
				return 0, bExit
			}
			p.heap.strerr = v
		}
		return m.storeRet(p, int64(p.heap.strerr), append([]byte(engine.Errno(int32(a[0])).Error()), 0), int64(p.heap.strerr))
	})
	def("void error(int status, int errnum, const char *fmt, ...)", func(m *machine, p *proc, a []int64) (int64, bres) {
		if !m.flush(p) {
			return 0, bExit
		}
		s, ok := m.format(p, a[2], a[3:])
		if !ok {
			return 0, bExit
		}
		msg := m.progName() + ": " + string(s)
		if a[1] != 0 {
			msg += ": " + engine.Errno(int32(a[1])).Error()
		}
		if !m.stderrWrite(p, []byte(msg+"\n")) {
			return 0, bExit
		}
		if int32(a[0]) != 0 {
			if m.exitProc(p, int(int32(a[0]))) {
				return 0, bExit
			}
			return 0, bAbort
		}
		return 0, bOK
	})
	def("void __assert_fail(const char *expr, const char *file, unsigned int line, const char *fn)", func(m *machine, p *proc, a []int64) (int64, bres) {
		e, _ := m.str(p, a[0])
		f, _ := m.str(p, a[1])
		fn, _ := m.str(p, a[3])
		msg := m.progName() + ": " + f + ":" + strconv.Itoa(int(a[2])) + ": " + fn + ": Assertion `" + e + "' failed.\n"
		if !m.stderrWrite(p, []byte(msg)) {
			return 0, bExit
		}
		m.killHard(p, &engine.Signal{Signo: engine.SIGABRT})
		return 0, bExit
	})

	// <playground.h>
	def("int vma_count(void *addr, unsigned long len)", func(m *machine, p *proc, a []int64) (int64, bres) {
		lo, hi := uint64(a[0]), uint64(a[0])+uint64(a[1])
		if a[1] == 0 {
			hi = lo + 1
		}
		n := 0
		for _, v := range m.eng.Maps(p.pid) {
			if v.Start < hi && lo < v.End {
				n++
			}
		}
		return int64(n), bOK
	})
	def("int present_pages(void *addr, unsigned long len)", func(m *machine, p *proc, a []int64) (int64, bres) {
		start := uint64(a[0]) &^ engine.PageMask
		end := (uint64(a[0]) + uint64(a[1]) + engine.PageMask) &^ engine.PageMask
		n := 0
		for _, pg := range m.eng.Pages(p.pid, start, end) {
			if pg.State != engine.PageNone && pg.State != engine.PageSwapped {
				n++
			}
		}
		return int64(n), bOK
	})
	def("void show_maps(void)", func(m *machine, p *proc, a []int64) (int64, bres) {
		if !m.flush(p) {
			return 0, bExit
		}
		var sb strings.Builder
		self := trimC(m.prog.name)
		for _, v := range m.eng.Maps(p.pid) {
			if v.File == self {
				continue
			}
			sb.WriteString(v.MapsLine())
			sb.WriteByte('\n')
		}
		if !m.stdoutWrite(p, []byte(sb.String())) {
			return 0, bExit
		}
		return 0, okRes(m.flush(p))
	})
	def("void show_pages(void *addr, unsigned long len)", func(m *machine, p *proc, a []int64) (int64, bres) {
		if !m.flush(p) {
			return 0, bExit
		}
		start := uint64(a[0]) &^ engine.PageMask
		end := uint64(a[0]) + uint64(a[1])
		var sb strings.Builder
		if end > start {
			for _, pg := range m.eng.Pages(p.pid, start, (end+engine.PageMask)&^engine.PageMask) {
				state := "present"
				switch pg.State {
				case engine.PageNone:
					state = "none"
				case engine.PageSwapped:
					state = "swapped"
				}
				sb.WriteString(sprintf("%012x %s", pg.Addr, state))
				if pg.State != engine.PageNone && pg.State != engine.PageSwapped {
					if pg.InPageCache {
						sb.WriteString(" file")
					}
					if pg.MapCount == 1 {
						sb.WriteString(" exclusive")
					}
				}
				if pg.Bits&engine.PTESoftDirty != 0 {
					sb.WriteString(" soft-dirty")
				}
				sb.WriteByte('\n')
			}
		}
		if !m.stdoutWrite(p, []byte(sb.String())) {
			return 0, bExit
		}
		return 0, okRes(m.flush(p))
	})
	def("void checkpoint(const char *label)", func(m *machine, p *proc, a []int64) (int64, bres) {
		s, ok := m.str(p, a[0])
		if !ok {
			return 0, bExit
		}
		m.emit(&engine.Event{Type: engine.EvCheckpoint, Pid: p.pid, Label: s})
		return 0, bOK
	})
}

func okRes(ok bool) bres {
	if ok {
		return bOK
	}
	return bExit
}

func (m *machine) storeRet(p *proc, addr int64, b []byte, v int64) (int64, bres) {
	if err := m.eng.Store(p.pid, uint64(addr), b); err != nil {
		m.fault(p, err)
		return 0, bExit
	}
	return v, bOK
}

func cmpBytes(x, y string, n int) int {
	for i := 0; n < 0 || i < n; i++ {
		var a, b byte
		if i < len(x) {
			a = x[i]
		}
		if i < len(y) {
			b = y[i]
		}
		if a != b {
			return int(a) - int(b)
		}
		if a == 0 {
			return 0
		}
	}
	return 0
}

// strtol parses as C's strtol does; it returns the value and how many
// bytes it used.
func strtol(s string, base int) (int64, int) {
	i := 0
	for i < len(s) && strings.IndexByte(" \t\n\r\f\v", s[i]) >= 0 {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	if (base == 0 || base == 16) && i+1 < len(s) && s[i] == '0' && (s[i+1] == 'x' || s[i+1] == 'X') {
		i += 2
		base = 16
	} else if base == 0 && i < len(s) && s[i] == '0' {
		base = 8
	} else if base == 0 {
		base = 10
	}
	start := i
	var v uint64
	for ; i < len(s); i++ {
		c := s[i]
		var d int
		switch {
		case c >= '0' && c <= '9':
			d = int(c - '0')
		case c >= 'a' && c <= 'z':
			d = int(c-'a') + 10
		case c >= 'A' && c <= 'Z':
			d = int(c-'A') + 10
		default:
			d = 99
		}
		if d >= base {
			break
		}
		v = v*uint64(base) + uint64(d)
	}
	if i == start {
		return 0, 0
	}
	if neg {
		return -int64(v), i
	}
	return int64(v), i
}

// wait4 waits for a child; it blocks (and is retried) while one is alive.
func (m *machine) wait4(p *proc, pid, status, options int64) (int64, bres) {
	res := m.syscall(p.pid, engine.Call{Name: "wait4", Args: []int64{pid, status, options, 0}})
	if res.Block {
		return 0, bBlock
	}
	if res.Signal != nil {
		m.kill(p, res.Signal)
		return 0, bExit
	}
	if res.Errno != 0 {
		p.setErrno(m, res.Errno)
	}
	if res.Ret > 0 {
		m.reapFaults(p, int(res.Ret))
	}
	return res.Ret, bOK
}

// reapFaults is wait_task_zombie's accounting: a child wait4 reported
// that had exited was reaped, and its faults and its own reaped
// children's become its parent's children's (a stopped or continued child
// reported stays).
func (m *machine) reapFaults(p *proc, pid int) {
	for _, c := range m.procs {
		if c.pid == pid && c.process.exited && !c.process.reaped {
			c.process.reaped = true
			for i := range p.process.childFlt {
				p.process.childFlt[i] += c.process.selfFlt[i] + c.process.childFlt[i]
			}
			return
		}
	}
}

// allocStreamBuf is glibc's _IO_file_doallocate: the stream's buffer,
// 4096 bytes (a pipe's or a tty's block size) from malloc. glibc fstats
// the descriptor first; the real engine's worker has no such descriptor
// to ask, so the size is taken as known.
func (m *machine) allocStreamBuf(p *proc, fd int64) (uint64, bool) {
	return m.malloc(p, 4096)
}

// storeTruncated writes s into buf as snprintf does: at most n-1 bytes and
// a terminating NUL (nothing when n is 0), returning the length s would
// have had.
// storeAllocated is asprintf's end: s and its NUL in a new malloc'd
// buffer, its address at *strp, and the length returned.
func (m *machine) storeAllocated(p *proc, strp int64, s []byte) (int64, bres) {
	d, ok := m.malloc(p, uint64(len(s)+1))
	if !ok {
		return 0, bExit
	}
	if d == 0 {
		return -1, bOK
	}
	if _, st := m.storeRet(p, int64(d), append(append([]byte(nil), s...), 0), 0); st != bOK {
		return 0, st
	}
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], d)
	return m.storeRet(p, strp, b[:], int64(len(s)))
}

func (m *machine) storeTruncated(p *proc, buf, n int64, s []byte) (int64, bres) {
	if n == 0 {
		return int64(len(s)), bOK
	}
	b := s
	if int64(len(b)) >= n {
		b = b[:n-1]
	}
	return m.storeRet(p, buf, append(append([]byte(nil), b...), 0), int64(len(s)))
}
