package interp

import (
	"encoding/binary"

	"github.com/mmapplayground/playground/internal/engine"
)

// The vDSO from the program's side. An engine with one (engine.VDSO: the
// simulated kernel) maps its image in every process and names it in the
// auxiliary vector; a program finds its functions by parsing that image
// (getauxval(AT_SYSINFO_EHDR)) or with dlopen("linux-vdso.so.1") and
// dlsym, and calls them through a pointer. The interpreter runs no machine
// code, so such a call (to an address no function of the program has) is
// handed to the engine, which does the function's work and tells it.

// callVDSO is a call through a pointer to addr, which is not one of the
// program's functions: ok when the engine runs a vDSO (or vsyscall)
// function there.
func (m *machine) callVDSO(p *proc, addr uint64, args []int64) (ret int64, sig *engine.Signal, ok bool) {
	v, isVDSO := m.eng.(engine.VDSO)
	if !isVDSO {
		return 0, nil, false
	}
	m.tellSteps()
	r, ok := v.CallVDSO(p.pid, addr, args)
	return r.Ret, r.Signal, ok
}

// vdsoSoname is the vDSO's DT_SONAME, the name ld.so lists it under.
const vdsoSoname = "linux-vdso.so.1"

// vdsoHandle is dlopen's handle of the vDSO for p, 0 when it has none. The
// model's handle is the image's address (glibc's is its struct link_map,
// which the model does not have: a handle is only for dlsym and dlclose).
func (m *machine) vdsoHandle(p *proc) int64 {
	if v, ok := m.eng.(engine.VDSO); ok {
		return int64(v.VDSOBase(p.pid))
	}
	return 0
}

func init() {
	// dlopen finds the vDSO by its soname, as ld.so finds any object
	// already loaded (with or without RTLD_NOLOAD); the playground loads
	// no other shared object.
	def("void *dlopen(const char *file, int mode)", func(m *machine, p *proc, a []int64) (int64, bres) {
		if a[0] != 0 {
			name, ok := m.str(p, a[0])
			if !ok {
				return 0, bExit
			}
			if h := m.vdsoHandle(p); name == vdsoSoname && h != 0 {
				return h, bOK
			}
		}
		return 0, m.notProvided("dlopen")
	})
	// dlsym in the vDSO's handle is its dynamic symbol table's lookup
	// (NULL for a name it does not define, and for LINUX_2.6, an absolute
	// symbol of value 0).
	def("void *dlsym(void *h, const char *name)", func(m *machine, p *proc, a []int64) (int64, bres) {
		if h := m.vdsoHandle(p); h != 0 && a[0] == h {
			name, ok := m.str(p, a[1])
			if !ok {
				return 0, bExit
			}
			return int64(m.eng.(engine.VDSO).VDSOLookup(p.pid, name)), bOK
		}
		return 0, m.notProvided("dlsym")
	})
	def("int dlclose(void *h)", func(m *machine, p *proc, a []int64) (int64, bres) {
		if h := m.vdsoHandle(p); h != 0 && a[0] == h {
			return 0, bOK // ld.so never unloads it
		}
		return 0, m.notProvided("dlclose")
	})
}

// libcVDSO is glibc's call of the vDSO's function sym, as its
// clock_gettime, clock_getres, gettimeofday and time make it (found once
// at start-up, then called through the pointer): on an engine with a
// vDSO, its answer, a failure's -errno made -1 and errno as glibc's
// INLINE_VSYSCALL does. ok is false where the engine has none: the
// library answers itself.
func (m *machine) libcVDSO(p *proc, sym string, args ...int64) (ret int64, st bres, ok bool) {
	v, isVDSO := m.eng.(engine.VDSO)
	if !isVDSO || v.VDSOBase(p.pid) == 0 {
		return 0, bOK, false
	}
	addr := v.VDSOLookup(p.pid, sym)
	if addr == 0 {
		return 0, bOK, false
	}
	m.tellSteps()
	r, ok := v.CallVDSO(p.pid, addr, args)
	switch {
	case !ok:
		return 0, bOK, false
	case r.Signal != nil:
		m.kill(p, r.Signal)
		return 0, bExit, true
	case r.Ret < 0 && r.Ret > -4096 && sym != "__vdso_time":
		p.setErrno(m, engine.Errno(-r.Ret))
		return -1, bOK, true
	}
	return r.Ret, bOK, true
}

func init() {
	// __pg_dl_object fills *info for object i of ld.so's list (the
	// engine's engine.Loader), its name copied to name: dlpi_addr the
	// object's load address, dlpi_phdr and dlpi_phnum from its ELF header
	// there (e_phoff, e_phnum), dlpi_adds the number of objects loaded,
	// dlpi_subs 0 (none unloaded), no TLS module. 0 past the last.
	def("int __pg_dl_object(int i, struct dl_phdr_info *info, char *name, unsigned long n)", func(m *machine, p *proc, a []int64) (int64, bres) {
		l, ok := m.eng.(engine.Loader)
		if !ok {
			return 0, m.notProvided("dl_iterate_phdr")
		}
		objs := l.LinkMaps(p.pid)
		i := a[0]
		if i < 0 || i >= int64(len(objs)) {
			return 0, bOK
		}
		o := objs[i]
		var eh [64]byte
		if err := m.eng.Load(p.pid, o.Addr, eh[:]); err != nil {
			m.fault(p, err)
			return 0, bExit
		}
		phoff, phnum := binary.LittleEndian.Uint64(eh[32:]), binary.LittleEndian.Uint16(eh[56:])
		nm := append([]byte(o.Name), 0)
		if int64(len(nm)) > a[3] {
			nm = nm[:0]
		}
		var info [64]byte
		binary.LittleEndian.PutUint64(info[0:], o.Addr)
		binary.LittleEndian.PutUint64(info[8:], uint64(a[2]))
		binary.LittleEndian.PutUint64(info[16:], o.Addr+phoff)
		binary.LittleEndian.PutUint16(info[24:], phnum)
		binary.LittleEndian.PutUint64(info[32:], uint64(len(objs)))
		for _, w := range []struct {
			at  uint64
			buf []byte
		}{{uint64(a[2]), nm}, {uint64(a[1]), info[:]}} {
			if err := m.eng.Store(p.pid, w.at, w.buf); err != nil {
				m.fault(p, err)
				return 0, bExit
			}
		}
		return 1, bOK
	})
}
