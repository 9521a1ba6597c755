package interp

import (
	"encoding/binary"
	"math/bits"
	"strconv"
	"strings"

	"github.com/mmapplayground/playground/internal/engine"
)

// libState is what the C library keeps for one run beyond each process's
// streams: the notes it has given.
type libState struct {
	enosys map[string]bool // system calls already noted as ENOSYS
}

// noteENOSYS tells, once per call, that the engine answered a system call
// with ENOSYS: the model (or the real engine's worker) does not make it.
func (m *machine) noteENOSYS(p *proc, name string) {
	if m.lib.enosys[name] {
		return
	}
	if m.lib.enosys == nil {
		m.lib.enosys = map[string]bool{}
	}
	m.lib.enosys[name] = true
	m.emit(&engine.Event{Type: engine.EvNote, Pid: p.pid,
		Message: name + ": this engine does not make this system call; it answers ENOSYS (Function not implemented), as a kernel without it would"})
}

// notProvided ends the run at a call of a C library function the
// playground does not have: the program compiled (gcc's would too), and
// only a call that runs is refused.
func (m *machine) notProvided(name string) bres {
	m.abort("'%s' is not provided by the playground's C library", name)
	return bAbort
}

// Stream buffering modes (<stdio.h>'s _IOFBF, _IOLBF, _IONBF).
const (
	ioFBF = 0
	ioLBF = 1
	ioNBF = 2
)

func lastNewline(b []byte) int {
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] == '\n' {
			return i
		}
	}
	return -1
}

func init() {
	// setvbuf sets a stream's buffering before its first use, as glibc
	// lets it; stderr stays unbuffered, as here it always is. setbuf and
	// setlinebuf are macros over it (libheaders.go).
	def("int setvbuf(FILE *f, char *buf, int mode, unsigned long size)", func(m *machine, p *proc, a []int64) (int64, bres) {
		mode := int(int32(a[2]))
		if mode != ioFBF && mode != ioLBF && mode != ioNBF {
			p.setErrno(m, engine.EINVAL)
			return -1, bOK
		}
		switch {
		case a[0] == 1:
			if !m.flush(p) {
				return 0, bExit
			}
			p.stdoutMode = mode + 1
		case a[0] == 2:
		default:
			s := p.streamOf(a[0])
			if s == nil {
				return 0, m.badFile(p, a[0])
			}
			s.mode = mode
		}
		return 0, bOK
	})
	def("void setbuffer(FILE *f, char *buf, unsigned long size)", func(m *machine, p *proc, a []int64) (int64, bres) {
		mode := int64(ioFBF)
		if a[1] == 0 {
			mode = ioNBF
		}
		return builtins["setvbuf"].fn(m, p, []int64{a[0], a[1], mode, a[2]})
	})
}

// sysconfValue answers sysconf's further names as glibc 2.36 does on
// Linux: the POSIX options this library has (200809L), the limits that are
// constants, and the counts the model knows. _SC_OPEN_MAX and _SC_CHILD_MAX
// are the rlimits' usual values (1024 files; the model has no rlimits).
func sysconfValue(m *machine, name int64) (int64, bool) {
	switch name {
	case 0: // _SC_ARG_MAX: a quarter of the 8 MiB stack rlimit
		return 2097152, true
	case 1: // _SC_CHILD_MAX
		return 63705, true
	case 2: // _SC_CLK_TCK
		return 100, true
	case 4: // _SC_OPEN_MAX
		return 1024, true
	case 7, 8: // _SC_JOB_CONTROL, _SC_SAVED_IDS
		return 1, true
	case 29: // _SC_VERSION
		return 200809, true
	case 16, 17, 18, 19, 14, 15, 22: // _SC_MAPPED_FILES, _SC_MEMLOCK, _SC_MEMLOCK_RANGE, _SC_MEMORY_PROTECTION, _SC_SYNCHRONIZED_IO, _SC_FSYNC, _SC_SHARED_MEMORY_OBJECTS
		return 200809, true
	case 43: // _SC_LINE_MAX
		return 2048, true
	case 180: // _SC_HOST_NAME_MAX
		return 64, true
	case 190: // _SC_LEVEL1_DCACHE_LINESIZE
		return 64, true
	case 60: // _SC_IOV_MAX
		return 1024, true
	case 87: // _SC_ATEXIT_MAX: glibc's, unbounded
		return 2147483647, true
	case 86: // _SC_AVPHYS_PAGES
		return int64(m.eng.State().Memory.FreePages), true
	case engine.SC_MINSIGSTKSZ: // the kernel's AT_MINSIGSTKSZ
		return int64(engine.MinSigStkSz()), true
	case engine.SC_SIGSTKSZ: // sysconf_sigstksz: four times it, at least SIGSTKSZ's 8192
		return int64(max(4*engine.MinSigStkSz(), 8192)), true
	}
	return 0, false
}

func init() {
	def("long get_phys_pages(void)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return int64(m.eng.State().Memory.TotalPages), bOK
	})
	def("long get_avphys_pages(void)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return int64(m.eng.State().Memory.FreePages), bOK
	})
	def("int get_nprocs(void)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return m.nprocs(p, "/sys/devices/system/cpu/online")
	})
	def("int get_nprocs_conf(void)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return m.nprocs(p, "/sys/devices/system/cpu/possible")
	})
	def("int nanosleep(const struct timespec *t, struct timespec *rem)", func(m *machine, p *proc, a []int64) (int64, bres) {
		var b [16]byte
		if err := m.eng.Load(p.pid, uint64(a[0]), b[:]); err != nil {
			m.fault(p, err)
			return 0, bExit
		}
		sec, nsec := int64(binary.LittleEndian.Uint64(b[:8])), int64(binary.LittleEndian.Uint64(b[8:]))
		if sec < 0 || nsec < 0 || nsec > 999999999 {
			p.setErrno(m, engine.EINVAL)
			return -1, bOK
		}
		if st, ok := m.sleepFirst(p, sec*1e9+nsec); !ok {
			return 0, st
		}
		left, ok := m.sleep(p, sec*1e9+nsec)
		if !ok {
			return 0, bExit
		}
		if left == 0 {
			return 0, bOK
		}
		// Interrupted (EINTR): *rem is what was left.
		if a[1] != 0 {
			var r [16]byte
			binary.LittleEndian.PutUint64(r[:], uint64(left/1e9))
			binary.LittleEndian.PutUint64(r[8:], uint64(left%1e9))
			if _, st := m.storeRet(p, a[1], r[:], 0); st != bOK {
				return 0, st
			}
		}
		return -1, bOK
	})
	for _, n := range []string{"ffs(int", "ffsl(long", "ffsll(long long"} {
		def("int "+n+" v)", func(m *machine, p *proc, a []int64) (int64, bres) {
			v := uint64(a[0])
			if strings.HasPrefix(n, "ffs(") {
				v = uint64(uint32(a[0]))
			}
			if v == 0 {
				return 0, bOK
			}
			return int64(bits.TrailingZeros64(v) + 1), bOK
		})
	}
}

func init() {
	// glibc 2.34 moved malloc's debugging hooks to libc_malloc_debug.so:
	// without it preloaded, mcheck fails, mprobe reports MCHECK_DISABLED
	// and mtrace does nothing, as here.
	def("int mcheck(void (*abortfn)(int))", func(m *machine, p *proc, a []int64) (int64, bres) { return -1, bOK })
	def("int mcheck_pedantic(void (*abortfn)(int))", func(m *machine, p *proc, a []int64) (int64, bres) { return -1, bOK })
	def("void mcheck_check_all(void)", func(m *machine, p *proc, a []int64) (int64, bres) { return 0, bOK })
	def("int mprobe(void *ptr)", func(m *machine, p *proc, a []int64) (int64, bres) { return -1, bOK })
	def("void mtrace(void)", func(m *machine, p *proc, a []int64) (int64, bres) { return 0, bOK })
	def("void muntrace(void)", func(m *machine, p *proc, a []int64) (int64, bres) { return 0, bOK })

	// getline and getdelim: a line (to the delimiter, kept) into a buffer
	// malloc'd or grown with realloc as glibc grows it (120 bytes first,
	// then doubling).
	getdelim := func(m *machine, p *proc, lineptr, nptr, delim, f int64) (int64, bres) {
		s := p.streamOf(f)
		if s == nil {
			return 0, m.badFile(p, f)
		}
		if f == stdinFILE && !m.flush(p) {
			return 0, bExit
		}
		var line []byte
		for {
			c, ok := m.readByte(p, s)
			if !ok {
				return 0, bExit
			}
			if c < 0 {
				break
			}
			line = append(line, byte(c))
			if byte(c) == byte(delim) {
				break
			}
		}
		if len(line) == 0 {
			return -1, bOK
		}
		var b [8]byte
		if err := m.eng.Load(p.pid, uint64(lineptr), b[:]); err != nil {
			m.fault(p, err)
			return 0, bExit
		}
		buf := binary.LittleEndian.Uint64(b[:])
		if err := m.eng.Load(p.pid, uint64(nptr), b[:]); err != nil {
			m.fault(p, err)
			return 0, bExit
		}
		n := binary.LittleEndian.Uint64(b[:])
		if buf == 0 {
			n = 0
		}
		if n < uint64(len(line))+1 {
			want := max(n, 120)
			for want < uint64(len(line))+1 {
				want *= 2
			}
			v, r := builtins["realloc"].fn(m, p, []int64{int64(buf), int64(want)})
			if r != bOK {
				return 0, r
			}
			if v == 0 {
				p.setErrno(m, engine.ENOMEM)
				return -1, bOK
			}
			buf, n = uint64(v), want
			binary.LittleEndian.PutUint64(b[:], buf)
			if err := m.eng.Store(p.pid, uint64(lineptr), b[:]); err != nil {
				m.fault(p, err)
				return 0, bExit
			}
			binary.LittleEndian.PutUint64(b[:], n)
			if err := m.eng.Store(p.pid, uint64(nptr), b[:]); err != nil {
				m.fault(p, err)
				return 0, bExit
			}
		}
		return m.storeRet(p, int64(buf), append(line, 0), int64(len(line)))
	}
	def("long getline(char **line, unsigned long *n, FILE *f)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return getdelim(m, p, a[0], a[1], '\n', a[2])
	})
	def("long getdelim(char **line, unsigned long *n, int delim, FILE *f)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return getdelim(m, p, a[0], a[1], a[2], a[3])
	})
}

func init() {
	// gcc's bit builtins, which programs call as functions.
	bit := func(name string, f func(v uint64) int64, width int) {
		arg := "unsigned int"
		if width == 64 {
			arg = "unsigned long long"
		}
		def("int "+name+"("+arg+" v)", func(m *machine, p *proc, a []int64) (int64, bres) {
			v := uint64(a[0])
			if width == 32 {
				v = uint64(uint32(v))
			}
			return f(v), bOK
		})
	}
	for _, w := range []struct {
		suffix string
		width  int
	}{{"", 32}, {"l", 64}, {"ll", 64}} {
		width := w.width
		bit("__builtin_ctz"+w.suffix, func(v uint64) int64 { return int64(bits.TrailingZeros64(v)) }, width)
		bit("__builtin_clz"+w.suffix, func(v uint64) int64 { return int64(bits.LeadingZeros64(v) - (64 - width)) }, width)
		bit("__builtin_popcount"+w.suffix, func(v uint64) int64 { return int64(bits.OnesCount64(v)) }, width)
		bit("__builtin_ffs"+w.suffix, func(v uint64) int64 {
			if v == 0 {
				return 0
			}
			return int64(bits.TrailingZeros64(v) + 1)
		}, width)
	}
	// getauxval: the entries of the auxiliary vector the model's exec
	// gives; others are absent (0, ENOENT), as glibc answers.
	def("unsigned long getauxval(unsigned long type)", func(m *machine, p *proc, a []int64) (int64, bres) {
		switch a[0] {
		case 6: // AT_PAGESZ
			return engine.PageSize, bOK
		case 17: // AT_CLKTCK
			return 100, bOK
		case 23: // AT_SECURE
			return 0, bOK
		case engine.AT_MINSIGSTKSZ:
			return int64(engine.MinSigStkSz()), bOK
		case engine.AT_SYSINFO_EHDR: // the vDSO (vdso.go), where the engine has one
			if h := m.vdsoHandle(p); h != 0 {
				return h, bOK
			}
		}
		p.setErrno(m, engine.ENOENT)
		return 0, bOK
	})
}

// nprocs is glibc 2.36's __get_nprocs (file .../online) and
// __get_nprocs_conf (.../possible): the CPU list the kernel's sysfs file
// gives ("0-1"), else the CPUs of the caller's affinity mask
// (sched_getaffinity), else 2, glibc's guess that the machine is not a
// uniprocessor. The files are read through the engine, as glibc reads
// them (openat, read, close), so the model's /sys answers. (glibc tries
// /proc/stat's cpuN lines between the file and the mask; the model has no
// /proc/stat, and this library leaves that step out.)
func (m *machine) nprocs(p *proc, path string) (int64, bres) {
	data, st := m.readSmall(p, path)
	if st != bOK {
		return 0, st
	}
	if n := cpuListCount(data); n > 0 {
		return n, bOK
	}
	// The mask goes below the caller's frame, as glibc's is on its stack.
	buf := p.sp - 4096
	r, st := m.sysCall(p, "sched_getaffinity", "", 0, 128, int64(buf))
	if st != bOK {
		return 0, st
	}
	if r > 0 {
		n := int64(0)
		for off := uint64(0); off+8 <= uint64(r); off += 8 {
			v, ok := m.loadU64(p, buf+off)
			if !ok {
				return 0, bExit
			}
			n += int64(bits.OnesCount64(v))
		}
		if n > 0 {
			return n, bOK
		}
	}
	return 2, bOK
}

// readSmall reads the first KiB of a file through the engine (openat,
// read, close), with a buffer below the caller's frame; nil when it cannot
// be opened or read.
func (m *machine) readSmall(p *proc, path string) ([]byte, bres) {
	buf := p.sp - 4096
	if err := m.eng.Store(p.pid, buf, append([]byte(path), 0)); err != nil {
		m.fault(p, err)
		return nil, bExit
	}
	fd, st := m.sysCall(p, "openat", path, engine.AT_FDCWD, int64(buf), engine.O_RDONLY|engine.O_CLOEXEC)
	if st != bOK || fd < 0 {
		return nil, st
	}
	n, st := m.sysCall(p, "read", "", fd, int64(buf), 1024)
	if st != bOK {
		return nil, st
	}
	var data []byte
	if n > 0 {
		data = make([]byte, n)
		if err := m.eng.Load(p.pid, buf, data); err != nil {
			m.fault(p, err)
			return nil, bExit
		}
	}
	if _, st := m.sysCall(p, "close", "", fd); st != bOK {
		return nil, st
	}
	return data, bOK
}

// cpuListCount counts the CPUs of a sysfs CPU list ("0-3,5\n"), as glibc's
// read_cpu_range does; 0 when it is not one.
func cpuListCount(b []byte) int64 {
	n := int64(0)
	for _, part := range strings.Split(strings.TrimSpace(string(b)), ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.Atoi(lo)
		if err != nil {
			return 0
		}
		z := a
		if isRange {
			if z, err = strconv.Atoi(hi); err != nil || z < a {
				return 0
			}
		}
		n += int64(z - a + 1)
	}
	return n
}
