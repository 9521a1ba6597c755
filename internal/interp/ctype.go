package interp

import "strings"

// <ctype.h> in the C locale, and the remaining <string.h> functions
// programs reach for.
func init() {
	class := func(name string, f func(c byte) bool) {
		def("int "+name+"(int c)", func(m *machine, p *proc, a []int64) (int64, bres) {
			c := a[0]
			if c < 0 || c > 255 {
				return 0, bOK
			}
			// glibc's table lookups return the class bit, not 1.
			if f(byte(c)) {
				return ctypeBit[name], bOK
			}
			return 0, bOK
		})
	}
	class("isdigit", func(c byte) bool { return c >= '0' && c <= '9' })
	class("isalpha", func(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' })
	class("isalnum", func(c byte) bool { return c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'z' })
	class("isspace", func(c byte) bool { return c == ' ' || c >= '\t' && c <= '\r' })
	class("isupper", func(c byte) bool { return c >= 'A' && c <= 'Z' })
	class("islower", func(c byte) bool { return c >= 'a' && c <= 'z' })
	class("isprint", func(c byte) bool { return c >= 0x20 && c < 0x7f })
	class("isgraph", func(c byte) bool { return c > 0x20 && c < 0x7f })
	class("iscntrl", func(c byte) bool { return c < 0x20 || c == 0x7f })
	class("ispunct", func(c byte) bool {
		return c > 0x20 && c < 0x7f && !(c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'z')
	})
	class("isxdigit", func(c byte) bool { return c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'f' })
	def("int toupper(int c)", func(m *machine, p *proc, a []int64) (int64, bres) {
		if a[0] >= 'a' && a[0] <= 'z' {
			return a[0] - 32, bOK
		}
		return a[0], bOK
	})
	def("int tolower(int c)", func(m *machine, p *proc, a []int64) (int64, bres) {
		if a[0] >= 'A' && a[0] <= 'Z' {
			return a[0] + 32, bOK
		}
		return a[0], bOK
	})

	def("char *strdup(const char *s)", func(m *machine, p *proc, a []int64) (int64, bres) {
		s, ok := m.str(p, a[0])
		if !ok {
			return 0, bExit
		}
		d, ok := m.malloc(p, uint64(len(s)+1))
		if !ok || d == 0 {
			return ret(0, ok)
		}
		return m.storeRet(p, int64(d), append([]byte(s), 0), int64(d))
	})
	def("char *strndup(const char *s, unsigned long n)", func(m *machine, p *proc, a []int64) (int64, bres) {
		s, err := m.cstring(p.pid, uint64(a[0]), int(min(uint64(a[1]), 1<<20)))
		if err != nil {
			m.fault(p, err)
			return 0, bExit
		}
		d, ok := m.malloc(p, uint64(len(s)+1))
		if !ok || d == 0 {
			return ret(0, ok)
		}
		return m.storeRet(p, int64(d), append([]byte(s), 0), int64(d))
	})
	def("char *strrchr(const char *s, int c)", func(m *machine, p *proc, a []int64) (int64, bres) {
		s, ok := m.str(p, a[0])
		if !ok {
			return 0, bExit
		}
		if byte(a[1]) == 0 {
			return a[0] + int64(len(s)), bOK
		}
		if i := strings.LastIndexByte(s, byte(a[1])); i >= 0 {
			return a[0] + int64(i), bOK
		}
		return 0, bOK
	})
	def("unsigned long strnlen(const char *s, unsigned long n)", func(m *machine, p *proc, a []int64) (int64, bres) {
		s, err := m.cstring(p.pid, uint64(a[0]), int(min(uint64(a[1]), 1<<20)))
		if err != nil {
			m.fault(p, err)
			return 0, bExit
		}
		return int64(len(s)), bOK
	})
	def("void *memchr(const void *s, int c, unsigned long n)", func(m *machine, p *proc, a []int64) (int64, bres) {
		b := make([]byte, 4096)
		for off := uint64(0); off < uint64(a[2]); off += 4096 {
			k := min(uint64(a[2])-off, 4096)
			if err := m.eng.Load(p.pid, uint64(a[0])+off, b[:k]); err != nil {
				m.fault(p, err)
				return 0, bExit
			}
			for i := uint64(0); i < k; i++ {
				if b[i] == byte(a[1]) {
					return a[0] + int64(off+i), bOK
				}
			}
		}
		return 0, bOK
	})
}

// ctypeBit is what glibc's <ctype.h> macros return for a member: the bit
// of the class in its table (isdigit('5') is 2048, not 1).
var ctypeBit = map[string]int64{
	"isupper": 256, "islower": 512, "isalpha": 1024, "isdigit": 2048, "isxdigit": 4096,
	"isspace": 8192, "isprint": 16384, "isgraph": 32768, "iscntrl": 2, "ispunct": 4, "isalnum": 8,
}
