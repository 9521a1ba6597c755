package interp

import (
	"encoding/binary"

	"github.com/mmapplayground/playground/internal/engine"
)

// libcap's API (<sys/capability.h>) as programs use it: a cap_t is a
// copy of a process's three capability sets, read by capget
// (cap_get_proc), changed in the program's memory (cap_set_flag,
// cap_clear) and written back by capset (cap_set_proc). Here a cap_t is
// the program's heap block holding capget's and capset's own arguments:
// the header (version 3, pid 0), then the two words of each set, so the
// system calls show what the library passes.

const (
	capHeader = 8      // struct __user_cap_header_struct
	capData   = 2 * 12 // two struct __user_cap_data_struct
	capSize   = capHeader + capData
	capFlags  = 3      // CAP_EFFECTIVE, CAP_PERMITTED, CAP_INHERITABLE
	capBits   = 2 * 32 // the capabilities a set can hold
	capSet    = 1      // CAP_SET (CAP_CLEAR is 0)
)

// capNew allocates a cleared cap_t.
func (m *machine) capNew(p *proc) (uint64, bool) {
	c, ok := m.malloc(p, capSize)
	if !ok || c == 0 {
		return c, ok
	}
	var b [capSize]byte
	binary.LittleEndian.PutUint32(b[0:], engine.LINUX_CAPABILITY_VERSION_3)
	return c, m.eng.Store(p.pid, c, b[:]) == nil
}

// capWord is where capability n's bit of set flag is in a cap_t: data[n/32]'s
// field flag (effective, permitted, inheritable).
func capWord(n, flag int64) uint64 {
	return uint64(capHeader + n/32*12 + flag*4)
}

func init() {
	libMacros = append(libMacros, "CAP_EFFECTIVE 0", "CAP_PERMITTED 1", "CAP_INHERITABLE 2", "CAP_CLEAR 0", "CAP_SET 1",
		"_LINUX_CAPABILITY_U32S_1 1", "_LINUX_CAPABILITY_U32S_2 2", "_LINUX_CAPABILITY_U32S_3 2")
	def("cap_t cap_init(void)", func(m *machine, p *proc, a []int64) (int64, bres) {
		c, ok := m.capNew(p)
		return ret(int64(c), ok)
	})
	def("cap_t cap_get_proc(void)", func(m *machine, p *proc, a []int64) (int64, bres) {
		c, ok := m.capNew(p)
		if !ok || c == 0 {
			return ret(int64(c), ok)
		}
		r, st := m.sysCall(p, "capget", "", int64(c), int64(c)+capHeader)
		if st != bOK {
			return 0, st
		}
		if r < 0 {
			m.free(p, c)
			return 0, bOK
		}
		return int64(c), bOK
	})
	def("int cap_set_proc(cap_t cap)", func(m *machine, p *proc, a []int64) (int64, bres) {
		if a[0] == 0 {
			p.setErrno(m, engine.EINVAL)
			return -1, bOK
		}
		r, st := m.sysCall(p, "capset", "", a[0], a[0]+capHeader)
		return r, st
	})
	def("int cap_free(void *obj)", func(m *machine, p *proc, a []int64) (int64, bres) {
		if a[0] == 0 {
			return 0, bOK
		}
		return ret(0, m.free(p, uint64(a[0])))
	})
	def("int cap_clear(cap_t cap)", func(m *machine, p *proc, a []int64) (int64, bres) {
		if a[0] == 0 {
			p.setErrno(m, engine.EINVAL)
			return -1, bOK
		}
		return m.storeRet(p, a[0]+capHeader, make([]byte, capData), 0)
	})
	def("cap_t cap_dup(cap_t cap)", func(m *machine, p *proc, a []int64) (int64, bres) {
		if a[0] == 0 {
			p.setErrno(m, engine.EINVAL)
			return 0, bOK
		}
		b, ok := m.load(p, uint64(a[0]), capSize)
		if !ok {
			return 0, bExit
		}
		c, ok := m.malloc(p, capSize)
		if !ok || c == 0 {
			return ret(int64(c), ok)
		}
		return m.storeRet(p, int64(c), b, int64(c))
	})
	// cap_set_flag(cap, flag, n, caps, value): each of caps[0..n) set or
	// cleared in one set; EINVAL for a set, value or capability outside
	// libcap's.
	def("int cap_set_flag(cap_t cap, cap_flag_t flag, int n, const cap_value_t *caps, cap_flag_value_t value)", func(m *machine, p *proc, a []int64) (int64, bres) {
		flag, n, value := a[1], a[2], a[4]
		if a[0] == 0 || flag < 0 || flag >= capFlags || n < 0 || n > capBits || value < 0 || value > capSet {
			p.setErrno(m, engine.EINVAL)
			return -1, bOK
		}
		caps, ok := m.load(p, uint64(a[3]), uint64(4*n))
		if !ok {
			return 0, bExit
		}
		set, ok := m.load(p, uint64(a[0]), capSize)
		if !ok {
			return 0, bExit
		}
		for i := int64(0); i < n; i++ {
			c := int64(int32(binary.LittleEndian.Uint32(caps[4*i:])))
			if c < 0 || c >= capBits {
				p.setErrno(m, engine.EINVAL)
				return -1, bOK
			}
			w := capWord(c, flag)
			v := binary.LittleEndian.Uint32(set[w:])
			if value == capSet {
				v |= 1 << (c % 32)
			} else {
				v &^= 1 << (c % 32)
			}
			binary.LittleEndian.PutUint32(set[w:], v)
		}
		return m.storeRet(p, a[0], set, 0)
	})
	def("int cap_get_flag(cap_t cap, cap_value_t c, cap_flag_t flag, cap_flag_value_t *value)", func(m *machine, p *proc, a []int64) (int64, bres) {
		c, flag := a[1], a[2]
		if a[0] == 0 || a[3] == 0 || c < 0 || c >= capBits || flag < 0 || flag >= capFlags {
			p.setErrno(m, engine.EINVAL)
			return -1, bOK
		}
		b, ok := m.load(p, uint64(a[0])+capWord(c, flag), 4)
		if !ok {
			return 0, bExit
		}
		var v [4]byte
		binary.LittleEndian.PutUint32(v[:], binary.LittleEndian.Uint32(b)>>(c%32)&1)
		return m.storeRet(p, a[3], v[:], 0)
	})
}
