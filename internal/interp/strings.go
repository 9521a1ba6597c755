package interp

import (
	"bytes"
	"strings"

	"github.com/mmapplayground/playground/internal/engine"
)

// More of <string.h> and <strings.h>: the searching and splitting
// functions, as glibc's behave.

// load reads n bytes of p's memory (n bounded by the caller).
func (m *machine) load(p *proc, addr, n uint64) ([]byte, bool) {
	b := make([]byte, n)
	if err := m.eng.Load(p.pid, addr, b); err != nil {
		m.fault(p, err)
		return nil, false
	}
	return b, true
}

// maxSearch bounds the bytes memmem and memrchr read at once.
const maxSearch = 1 << 24

func init() {
	def("void *memmem(const void *h, unsigned long hn, const void *n, unsigned long nn)", func(m *machine, p *proc, a []int64) (int64, bres) {
		if a[3] == 0 {
			return a[0], bOK
		}
		if uint64(a[1]) > maxSearch || uint64(a[3]) > maxSearch {
			return 0, m.notProvided("memmem of more than 16 MiB")
		}
		h, ok := m.load(p, uint64(a[0]), uint64(a[1]))
		if !ok {
			return 0, bExit
		}
		n, ok := m.load(p, uint64(a[2]), uint64(a[3]))
		if !ok {
			return 0, bExit
		}
		if i := bytes.Index(h, n); i >= 0 {
			return a[0] + int64(i), bOK
		}
		return 0, bOK
	})
	def("void *memrchr(const void *s, int c, unsigned long n)", func(m *machine, p *proc, a []int64) (int64, bres) {
		if uint64(a[2]) > maxSearch {
			return 0, m.notProvided("memrchr of more than 16 MiB")
		}
		b, ok := m.load(p, uint64(a[0]), uint64(a[2]))
		if !ok {
			return 0, bExit
		}
		if i := bytes.LastIndexByte(b, byte(a[1])); i >= 0 {
			return a[0] + int64(i), bOK
		}
		return 0, bOK
	})
	span := func(accept bool) func(m *machine, p *proc, a []int64) (int64, bres) {
		return func(m *machine, p *proc, a []int64) (int64, bres) {
			s, ok := m.str(p, a[0])
			if !ok {
				return 0, bExit
			}
			set, ok := m.str(p, a[1])
			if !ok {
				return 0, bExit
			}
			i := 0
			for i < len(s) && (strings.IndexByte(set, s[i]) >= 0) == accept {
				i++
			}
			return int64(i), bOK
		}
	}
	def("unsigned long strspn(const char *s, const char *accept)", span(true))
	def("unsigned long strcspn(const char *s, const char *reject)", span(false))
	def("char *strpbrk(const char *s, const char *set)", func(m *machine, p *proc, a []int64) (int64, bres) {
		s, ok := m.str(p, a[0])
		if !ok {
			return 0, bExit
		}
		set, ok := m.str(p, a[1])
		if !ok {
			return 0, bExit
		}
		if i := strings.IndexAny(s, set); i >= 0 && set != "" {
			return a[0] + int64(i), bOK
		}
		return 0, bOK
	})
	// strsep and strtok_r split in place, writing a NUL at the delimiter.
	split := func(m *machine, p *proc, start int64, delim string, skipLeading bool) (tok, next int64, ok bool) {
		s, ok := m.str(p, start)
		if !ok {
			return 0, 0, false
		}
		i := 0
		if skipLeading {
			for i < len(s) && strings.IndexByte(delim, s[i]) >= 0 {
				i++
			}
			if i == len(s) {
				return 0, 0, true
			}
		}
		j := i
		for j < len(s) && strings.IndexByte(delim, s[j]) < 0 {
			j++
		}
		if j == len(s) {
			return start + int64(i), 0, true
		}
		if err := m.eng.Store(p.pid, uint64(start)+uint64(j), []byte{0}); err != nil {
			m.fault(p, err)
			return 0, 0, false
		}
		return start + int64(i), start + int64(j) + 1, true
	}
	readPtr := func(m *machine, p *proc, addr int64) (int64, bool) {
		b, ok := m.load(p, uint64(addr), 8)
		if !ok {
			return 0, false
		}
		return int64(leUint64(b)), true
	}
	def("char *strsep(char **sp, const char *delim)", func(m *machine, p *proc, a []int64) (int64, bres) {
		s, ok := readPtr(m, p, a[0])
		if !ok {
			return 0, bExit
		}
		if s == 0 {
			return 0, bOK
		}
		d, ok := m.str(p, a[1])
		if !ok {
			return 0, bExit
		}
		tok, next, ok := split(m, p, s, d, false)
		if !ok {
			return 0, bExit
		}
		_, r := m.storeRet(p, a[0], le64(next), 0)
		return tok, r
	})
	strtokR := func(m *machine, p *proc, str, delim, save int64) (int64, bres) {
		s := str
		if s == 0 {
			var ok bool
			if s, ok = readPtr(m, p, save); !ok {
				return 0, bExit
			}
			if s == 0 {
				return 0, bOK
			}
		}
		d, ok := m.str(p, delim)
		if !ok {
			return 0, bExit
		}
		tok, next, ok := split(m, p, s, d, true)
		if !ok {
			return 0, bExit
		}
		_, r := m.storeRet(p, save, le64(next), 0)
		return tok, r
	}
	def("char *strtok_r(char *s, const char *delim, char **save)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return strtokR(m, p, a[0], a[1], a[2])
	})
	def("char *strtok(char *s, const char *delim)", func(m *machine, p *proc, a []int64) (int64, bres) {
		// strtok's saved position is a static of the library's: a heap word
		// the first call allocates.
		if p.heap.strtokSave == 0 {
			v, ok := m.malloc(p, 8)
			if !ok {
				return 0, bExit
			}
			if err := m.memset(p.pid, v, 0, 8); err != nil {
				m.fault(p, err)
				return 0, bExit
			}
			p.heap.strtokSave = v
		}
		return strtokR(m, p, a[0], a[1], int64(p.heap.strtokSave))
	})
	caseCmp := func(limited bool) func(m *machine, p *proc, a []int64) (int64, bres) {
		return func(m *machine, p *proc, a []int64) (int64, bres) {
			x, ok := m.str(p, a[0])
			if !ok {
				return 0, bExit
			}
			y, ok := m.str(p, a[1])
			if !ok {
				return 0, bExit
			}
			n := -1
			if limited {
				n = int(a[2])
			}
			return int64(cmpBytes(strings.ToLower(x), strings.ToLower(y), n)), bOK
		}
	}
	def("int strcasecmp(const char *a, const char *b)", caseCmp(false))
	def("int strncasecmp(const char *a, const char *b, unsigned long n)", caseCmp(true))
	def("char *stpcpy(char *d, const char *s)", func(m *machine, p *proc, a []int64) (int64, bres) {
		s, ok := m.str(p, a[1])
		if !ok {
			return 0, bExit
		}
		return m.storeRet(p, a[0], append([]byte(s), 0), a[0]+int64(len(s)))
	})
	def("char *strsignal(int sig)", func(m *machine, p *proc, a []int64) (int64, bres) {
		if p.heap.strerr == 0 {
			v, ok := m.malloc(p, 1024)
			if !ok {
				return 0, bExit
			}
			p.heap.strerr = v
		}
		msg := engine.SignalDescription(int(a[0]))
		return m.storeRet(p, int64(p.heap.strerr), append([]byte(msg), 0), int64(p.heap.strerr))
	})
}

func le64(v int64) []byte {
	var b [8]byte
	for i := range b {
		b[i] = byte(uint64(v) >> (8 * i))
	}
	return b[:]
}

func leUint64(b []byte) uint64 {
	var v uint64
	for i := 7; i >= 0; i-- {
		v = v<<8 | uint64(b[i])
	}
	return v
}

func init() {
	// basename as <string.h> declares it under _GNU_SOURCE (and as
	// <libgen.h>'s does for the paths programs pass): what follows the
	// last '/', in place.
	def("char *basename(const char *path)", func(m *machine, p *proc, a []int64) (int64, bres) {
		s, ok := m.str(p, a[0])
		if !ok {
			return 0, bExit
		}
		return a[0] + int64(strings.LastIndexByte(s, '/')+1), bOK
	})
	// dirname (<libgen.h>): the path up to its last '/', cut in place with a
	// NUL; "." for a name without one.
	def("char *dirname(char *path)", func(m *machine, p *proc, a []int64) (int64, bres) {
		if a[0] == 0 {
			return m.dotString(p)
		}
		s, ok := m.str(p, a[0])
		if !ok {
			return 0, bExit
		}
		s = strings.TrimRight(s, "/")
		i := strings.LastIndexByte(s, '/')
		switch {
		case s == "" && a[0] != 0:
			// "/" or "///": the root.
			if b, ok := m.str(p, a[0]); ok && b != "" {
				return m.storeRet(p, a[0]+1, []byte{0}, a[0])
			}
			return m.dotString(p)
		case i < 0:
			return m.dotString(p)
		case i == 0:
			return m.storeRet(p, a[0]+1, []byte{0}, a[0])
		}
		j := strings.TrimRight(s[:i], "/")
		if j == "" {
			return m.storeRet(p, a[0]+1, []byte{0}, a[0])
		}
		return m.storeRet(p, a[0]+int64(len(j)), []byte{0}, a[0])
	})
}

// dotString is dirname's "." (a static string of the library's, here
// the strerror buffer's last bytes).
func (m *machine) dotString(p *proc) (int64, bres) {
	if p.heap.strerr == 0 {
		v, ok := m.malloc(p, 1024)
		if !ok {
			return 0, bExit
		}
		p.heap.strerr = v
	}
	addr := int64(p.heap.strerr) + 1020
	return m.storeRet(p, addr, []byte(".\x00"), addr)
}
