package sim

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// vdsoFacts is what a loader and parse_vdso.c read of a vDSO image: its
// program headers' types and flags, the dynamic section's tags, the
// dynamic symbols in table order (name, value, size, binding, type,
// section kind, version) and the version definitions.
func vdsoFacts(t *testing.T, img []byte) []string {
	t.Helper()
	f, err := elf.NewFile(bytes.NewReader(img))
	require.NoError(t, err)
	var out []string
	out = append(out, fmt.Sprintf("type %v machine %v class %v", f.Type, f.Machine, f.Class))
	for _, p := range f.Progs {
		out = append(out, fmt.Sprintf("phdr %v %v", p.Type, p.Flags))
	}
	ds := f.SectionByType(elf.SHT_DYNAMIC)
	require.NotNil(t, ds)
	d, err := ds.Data()
	require.NoError(t, err)
	for i := 0; i+16 <= len(d); i += 16 {
		tag := elf.DynTag(binary.LittleEndian.Uint64(d[i:]))
		if tag == elf.DT_RUNPATH {
			continue // a build's path (this kernel's is a Nix store's)
		}
		out = append(out, fmt.Sprintf("dyn %v", tag))
		if tag == elf.DT_NULL {
			break // the rest is the section's padding
		}
	}
	soname, err := f.DynString(elf.DT_SONAME)
	require.NoError(t, err)
	out = append(out, fmt.Sprintf("soname %v", soname))
	syms, err := f.DynamicSymbols()
	require.NoError(t, err)
	for _, s := range syms {
		shndx := "text"
		if s.Section == elf.SHN_ABS {
			shndx = "abs"
		}
		out = append(out, fmt.Sprintf("sym %s %#x %d %v %v %s %s", s.Name, s.Value, s.Size,
			elf.ST_BIND(s.Info), elf.ST_TYPE(s.Info), shndx, s.Version))
	}
	vs := f.SectionByType(elf.SHT_GNU_VERDEF)
	require.NotNil(t, vs)
	out = append(out, fmt.Sprintf("verdefs %d", vs.Info))
	return out
}

// TestVDSOImageMatchesKernel reads the model's vDSO through a process's
// memory (at AT_SYSINFO_EHDR) and this machine's from a native dump
// (testdata/kernel/vdso_dump.c), and holds what a loader reads of the one
// to the other.
func TestVDSOImageMatchesKernel(t *testing.T) {
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("gcc not found")
	}
	bin := filepath.Join(t.TempDir(), "vdso_dump")
	out, err := exec.Command(gcc, "-O1", "-w", "-o", bin, "testdata/kernel/vdso_dump.c").CombinedOutput()
	require.NoError(t, err, "%s", out)
	native, err := exec.Command(bin).Output()
	require.NoError(t, err)

	h := newHarness(t, engine.Options{})
	base := h.e.VDSOBase(h.pid)
	var vdso engine.VMA
	for _, v := range h.e.Maps(h.pid) {
		if v.File == "[vdso]" {
			vdso = v
		}
	}
	require.Equal(t, vdso.Start, base, "AT_SYSINFO_EHDR is [vdso]'s start")
	img := h.load(h.pid, base, int(vdso.End-vdso.Start))
	assert.Equal(t, vdsoFacts(t, native), vdsoFacts(t, img))

	// parse_vdso.c's way: the SysV hash table finds each symbol.
	f, err := elf.NewFile(bytes.NewReader(img))
	require.NoError(t, err)
	syms, err := f.DynamicSymbols()
	require.NoError(t, err)
	hash := f.SectionByType(elf.SHT_HASH)
	hd, err := hash.Data()
	require.NoError(t, err)
	word := func(i int) uint32 { return binary.LittleEndian.Uint32(hd[4*i:]) }
	nbucket := int(word(0))
	for i, s := range syms {
		found := false
		for c := word(2 + int(sysvHash(s.Name))%nbucket); c != 0; c = word(2 + nbucket + int(c)) {
			found = found || int(c) == i+1
		}
		assert.True(t, found, "%s is not in its hash chain", s.Name)
	}
}

// TestVDSOPages: the image's pages are the kernel's, mapped by a minor
// fault when first touched, read-only, shared by a forked child, and
// never counted as file or anonymous memory.
func TestVDSOPages(t *testing.T) {
	h := newHarness(t, engine.Options{})
	base := h.e.VDSOBase(h.pid)
	require.NotZero(t, base)
	assert.Equal(t, engine.PageNone, h.e.Pages(h.pid, base, base+engine.PageSize)[0].State)
	h.rec.reset()
	assert.Equal(t, []byte(elf.ELFMAG), h.load(h.pid, base, 4))
	require.Equal(t, []engine.FaultKind{engine.FaultFileMinor}, h.rec.faults())
	ev := h.rec.ofType(engine.EvFault)[0]
	assert.Equal(t, pathSpecialFault, ev.Path)
	assert.Equal(t, engine.PageDevice, h.e.Pages(h.pid, base, base+engine.PageSize)[0].State)
	// A write is SIGSEGV (the area is r-xp).
	err := h.e.Store(h.pid, base, []byte{0})
	var sig *engine.Signal
	require.ErrorAs(t, err, &sig)
	assert.Equal(t, engine.SEGV_ACCERR, sig.Code)
	// The child maps the same page.
	child := int(h.ok("fork"))
	assert.Equal(t, []byte(elf.ELFMAG), h.load(child, base, 4))
	pw, cw := h.e.Walk(h.pid, base), h.e.Walk(child, base)
	assert.Equal(t, pw.PFN, cw.PFN)
	assert.Equal(t, base, h.e.VDSOBase(child))
}

// TestCallVDSO: each function, called through its address (found as
// dlsym finds it), does its system call's work without one, and says so
// in a vdso event; what the vDSO leaves to the kernel is the system call.
func TestCallVDSO(t *testing.T) {
	h := newHarness(t, engine.Options{})
	buf := h.mmap(0, engine.PageSize, engine.PROT_READ|engine.PROT_WRITE, engine.MAP_PRIVATE|engine.MAP_ANONYMOUS, -1, 0)
	b := int64(buf)
	for _, tc := range []struct {
		name     string
		args     []int64
		ret      int64
		syscall  string // the system call it falls back to
		sigsegv  bool
		wantData []byte // at buf
	}{
		{name: "__vdso_clock_getres", args: []int64{engine.CLOCK_REALTIME, b}, wantData: timespec(1)},
		{name: "clock_getres", args: []int64{engine.CLOCK_MONOTONIC_COARSE, b}, wantData: timespec(tickNS)},
		{name: "__vdso_clock_getres", args: []int64{engine.CLOCK_MONOTONIC, 0}},
		{name: "__vdso_clock_getres", args: []int64{engine.CLOCK_PROCESS_CPUTIME_ID, b}, syscall: "clock_getres", wantData: timespec(1)},
		{name: "__vdso_clock_gettime", args: []int64{-1, b}, ret: -int64(engine.EINVAL), syscall: "clock_gettime"},
		{name: "__vdso_clock_gettime", args: []int64{engine.CLOCK_REALTIME_ALARM, b}, ret: -int64(engine.EINVAL), syscall: "clock_gettime"},
		{name: "__vdso_clock_gettime", args: []int64{engine.CLOCK_MONOTONIC, 8}, sigsegv: true},
		{name: "__vdso_clock_gettime", args: []int64{engine.CLOCK_THREAD_CPUTIME_ID, 8}, ret: -int64(engine.EFAULT), syscall: "clock_gettime"},
		{name: "__vdso_gettimeofday", args: []int64{0, b}, wantData: sysTZ},
		{name: "__vdso_getcpu", args: []int64{b, b + 4, 0}, wantData: make([]byte, 8)},
		{name: "getcpu", args: []int64{0, 0, 0}},
		{name: "__vdso_getrandom", args: []int64{0, 0, 0, b, -1}, wantData: vgetrandomParams},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h.store(h.pid, buf, make([]byte, 64))
			addr := h.e.VDSOLookup(h.pid, tc.name)
			require.NotZero(t, addr)
			h.rec.reset()
			r, ok := h.e.CallVDSO(h.pid, addr, tc.args)
			require.True(t, ok)
			if tc.sigsegv {
				require.NotNil(t, r.Signal)
				assert.Equal(t, engine.SIGSEGV, r.Signal.Signo)
				return
			}
			require.Nil(t, r.Signal)
			assert.Equal(t, tc.ret, r.Ret)
			var calls []string
			for _, ev := range h.rec.ofType(engine.EvSyscall) {
				calls = append(calls, ev.Name)
			}
			if tc.syscall == "" {
				assert.Empty(t, calls)
			} else {
				assert.Equal(t, []string{tc.syscall}, calls)
			}
			evs := h.rec.ofType(engine.EvVDSO)
			require.Len(t, evs, 1)
			assert.Contains(t, []string{tc.name, "__vdso_" + tc.name}, evs[0].Name)
			assert.Equal(t, tc.ret, evs[0].Ret)
			if tc.wantData != nil {
				assert.Equal(t, tc.wantData, h.load(h.pid, buf, len(tc.wantData)))
			}
		})
	}
	// Not a function's start: not callable. In an area that is not
	// executable, the fetch's fault (its page present: PROT).
	_, ok := h.e.CallVDSO(h.pid, h.e.VDSOLookup(h.pid, "__vdso_time")+1, nil)
	assert.False(t, ok)
	r, ok := h.e.CallVDSO(h.pid, buf, nil)
	require.True(t, ok)
	assert.Equal(t, &engine.Signal{Signo: engine.SIGSEGV, Code: engine.SEGV_ACCERR, Addr: buf, Trap: true,
		TrapNr: engine.X86_TRAP_PF, ErrorCode: engine.X86_PF_INSTR | engine.X86_PF_USER | engine.X86_PF_PROT}, r.Signal)
	assert.Zero(t, h.e.VDSOLookup(h.pid, "LINUX_2.6"), "the version is not a function")
	// The vsyscall page's getcpu is the emulated system call.
	h.rec.reset()
	r, ok = h.e.CallVDSO(h.pid, engine.VsyscallAddr+0x800, []int64{b, 0, 0})
	require.True(t, ok)
	assert.Zero(t, r.Ret)
	require.Len(t, h.rec.ofType(engine.EvSyscall), 1)
	assert.Equal(t, "getcpu", h.rec.ofType(engine.EvSyscall)[0].Name)
	assert.Empty(t, h.rec.ofType(engine.EvVDSO))
	// With the vDSO unmapped its functions are gone; AT_SYSINFO_EHDR stays.
	base := h.e.VDSOBase(h.pid)
	h.ok("munmap", int64(base), 2*engine.PageSize)
	assert.Zero(t, h.e.VDSOLookup(h.pid, "__vdso_time"))
	r, ok = h.e.CallVDSO(h.pid, base+0xae0, nil)
	require.True(t, ok)
	assert.Equal(t, &engine.Signal{Signo: engine.SIGSEGV, Code: engine.SEGV_MAPERR, Addr: base + 0xae0, Trap: true,
		TrapNr: engine.X86_TRAP_PF, ErrorCode: engine.X86_PF_INSTR | engine.X86_PF_USER}, r.Signal)
	assert.Equal(t, base, h.e.VDSOBase(h.pid))
}

// TestVVarPagesMatchKernel: a read of each page of [vvar] and
// [vvar_vclock] (write(2) from it, the kernel's read) reaches the pages
// this machine's kernel maps and is EFAULT for the others
// (testdata/kernel/vvar.c); a user-mode read of one the kernel has not is
// SIGBUS, and the pages are special PTEs, the kernel's, shared by a child.
func TestVVarPagesMatchKernel(t *testing.T) {
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("gcc not found")
	}
	bin := filepath.Join(t.TempDir(), "vvar")
	out, err := exec.Command(gcc, "-O1", "-w", "-o", bin, "testdata/kernel/vvar.c").CombinedOutput()
	require.NoError(t, err, "%s", out)
	native, err := exec.Command(bin).Output()
	require.NoError(t, err)

	h := newHarness(t, engine.Options{})
	fds := h.mmap(0, engine.PageSize, engine.PROT_READ|engine.PROT_WRITE, engine.MAP_PRIVATE|engine.MAP_ANONYMOUS, -1, 0)
	h.ok("pipe", int64(fds))
	fd := h.load(h.pid, fds, 8)
	rfd, wfd := int64(binary.LittleEndian.Uint32(fd)), int64(binary.LittleEndian.Uint32(fd[4:]))
	var model bytes.Buffer
	var vvar engine.VMA
	for _, v := range h.e.Maps(h.pid) {
		if v.File != "[vvar]" && v.File != "[vvar_vclock]" {
			continue
		}
		for a := v.Start; a < v.End; a += engine.PageSize {
			r := h.call("write", wfd, int64(a), 1)
			switch r.Errno {
			case 0:
				fmt.Fprintf(&model, "%s %d %d \n", v.File, (a-v.Start)/engine.PageSize, r.Ret)
				h.ok("read", rfd, int64(fds+16), 1)
			default:
				fmt.Fprintf(&model, "%s %d -1 %s\n", v.File, (a-v.Start)/engine.PageSize, r.Errno.Error())
			}
		}
		if v.File == "[vvar]" {
			vvar = v
			fmt.Fprintf(&model, "is_ready %d\n", h.load(h.pid, v.Start+2*engine.PageSize+8, 1)[0])
		}
	}
	assert.Equal(t, string(native), model.String())

	err = h.e.Load(h.pid, vvar.Start+engine.PageSize, make([]byte, 1))
	var sig *engine.Signal
	require.ErrorAs(t, err, &sig)
	assert.Equal(t, engine.SIGBUS, sig.Signo)
	assert.Equal(t, engine.PageDevice, h.e.Pages(h.pid, vvar.Start, vvar.Start+engine.PageSize)[0].State)
	assert.Contains(t, h.e.Walk(h.pid, vvar.Start).Bits, engine.PTESpecial.String())
	child := int(h.ok("fork"))
	h.load(child, vvar.Start, 1)
	assert.Equal(t, h.e.Walk(h.pid, vvar.Start).PFN, h.e.Walk(child, vvar.Start).PFN)
}

// TestLibraryHeadersMatchFiles holds the model's libc and ld.so headers
// (elfhdr.go) to this machine's files, when they are the files the layout
// models (their sizes), and reads them back from the process's memory at
// the addresses LinkMaps gives, as dl_iterate_phdr does.
func TestLibraryHeadersMatchFiles(t *testing.T) {
	h := newHarness(t, engine.Options{})
	l := libLayouts[engine.DefaultLibc]
	byName := map[string]uint64{}
	for _, m := range h.e.LinkMaps(h.pid) {
		byName[m.Name] = m.Addr
	}
	for _, tc := range []struct {
		path, name string
		size       uint64
		want       elfFile
	}{
		{l.libc, l.libcName, l.libcSize, l.libcHdr},
		{l.ldso, ldsoInterp, l.ldsoSize, l.ldsoHdr},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addr, ok := byName[tc.name]
			require.True(t, ok, "LinkMaps has no %s", tc.name)
			f, err := elf.NewFile(bytes.NewReader(h.load(h.pid, addr, engine.PageSize)))
			require.NoError(t, err)
			assert.Equal(t, tc.want.entry, f.Entry)
			require.Len(t, f.Progs, len(tc.want.phdrs))
			for i, p := range f.Progs {
				w := tc.want.phdrs[i]
				assert.Equal(t, elf.ProgHeader{Type: elf.ProgType(w.Type), Flags: elf.ProgFlag(w.Flags), Off: w.Off, Vaddr: w.Vaddr,
					Paddr: w.Paddr, Filesz: w.Filesz, Memsz: w.Memsz, Align: w.Align}, p.ProgHeader)
			}
			native, err := elf.Open(tc.path)
			if err != nil {
				t.Skipf("%s: %v", tc.path, err)
			}
			defer native.Close()
			if st, err := os.Stat(tc.path); err != nil || uint64(st.Size()) != tc.size {
				t.Skipf("%s is not the file the layout models", tc.path)
			}
			assert.Equal(t, native.Entry, f.Entry)
			require.Len(t, f.Progs, len(native.Progs))
			for i := range native.Progs {
				assert.Equal(t, native.Progs[i].ProgHeader, f.Progs[i].ProgHeader)
			}
		})
	}
	assert.Equal(t, []engine.LinkMap{{Name: "", Addr: imageBase}, {Name: vdsoSoname, Addr: h.e.VDSOBase(h.pid)},
		{Name: l.libcName, Addr: byName[l.libcName]}, {Name: ldsoInterp, Addr: byName[ldsoInterp]}}, h.e.LinkMaps(h.pid))
}

// TestVDSOUnwindTable: PT_GNU_EH_FRAME's binary-search table names each
// function once, in address order, with the FDE that covers it.
func TestVDSOUnwindTable(t *testing.T) {
	f, err := elf.NewFile(bytes.NewReader(vdsoImage))
	require.NoError(t, err)
	var hdr elf.ProgHeader
	for _, p := range f.Progs {
		if p.Type == elf.PT_GNU_EH_FRAME {
			hdr = p.ProgHeader
		}
	}
	require.NotZero(t, hdr.Vaddr)
	b := vdsoImage[hdr.Vaddr : hdr.Vaddr+hdr.Memsz]
	require.Equal(t, []byte{1, 0x1b, 0x03, 0x3b}, b[:4])
	n := int(binary.LittleEndian.Uint32(b[8:]))
	require.Equal(t, int(hdr.Memsz), 12+8*n)
	var starts []uint64
	for i := range n {
		loc := hdr.Vaddr + uint64(int32(binary.LittleEndian.Uint32(b[12+8*i:])))
		fde := hdr.Vaddr + uint64(int32(binary.LittleEndian.Uint32(b[16+8*i:])))
		pcField := fde + 8
		pc := pcField + uint64(int32(binary.LittleEndian.Uint32(vdsoImage[pcField:])))
		assert.Equal(t, loc, pc, "entry %d", i)
		_, isFunc := vdsoFuncs[loc]
		assert.True(t, isFunc, "%#x is no function's start", loc)
		starts = append(starts, loc)
	}
	assert.Len(t, starts, len(vdsoFuncs))
	assert.IsIncreasing(t, starts)
}
