package sim

import (
	"bytes"
	"cmp"
	"debug/elf"
	"encoding/binary"
	"slices"
	"strconv"
	"strings"

	"github.com/mmapplayground/playground/internal/engine"
)

// The vDSO, analogous to arch/x86/entry/vdso: a small ELF shared object
// ("linux-vdso.so.1") the kernel maps into every process at exec
// ([vdso], after [vvar] and [vvar_vclock]: layout.go) and names in the
// auxiliary vector (AT_SYSINFO_EHDR). Its functions read the kernel's
// clock from [vvar_vclock] without a system call; glibc calls them for
// clock_gettime, gettimeofday, time, getcpu and clock_getres, and programs
// can find them too, by parsing the image (the kernel's selftests'
// parse_vdso.c) or with dlsym.
//
// The model's image is built here, at start-up, from vdsoSyms: the same
// ELF a program finds on this machine's kernel (6.18) in every part a
// loader or parse_vdso.c reads (program headers, the dynamic section, the
// SysV and GNU hash tables, .dynsym and .dynstr, the symbol versions with
// LINUX_2.6, the Linux version note) and its section headers, so that
// readelf reads a dump of it. Its code is not the kernel's: the model runs
// no machine code, so .text is int3 (0xcc) throughout, and a call through
// a pointer to a function's address is the engine's (CallVDSO). Its
// .eh_frame is empty (no unwinding of the interpreter's frames). Its pages are
// kernel pages (vdso_image_64.data), mapped by special_mapping_fault when
// a process first touches them; like the kernel's, they are shared by
// every process.

// vdsoSym is one symbol of the vDSO's .dynsym: its value is the offset of
// the function in the image, as this machine's kernel's vdso64.so has it.
type vdsoSym struct {
	name  string
	value uint64
	size  uint64
	weak  bool // the unprefixed aliases of the __vdso_ functions
	abs   bool // the version's own symbol (LINUX_2.6, SHN_ABS)
}

// vdsoSyms are the vDSO's symbols in its .dynsym's order (this kernel has
// no SGX, so no __vdso_sgx_enter_enclave; it has the getrandom of Linux
// 6.11). The linker groups them by GNU hash bucket, as a GNU hash table
// needs (buildVDSO checks it).
var vdsoSyms = []vdsoSym{
	{name: "clock_gettime", value: 0xb10, size: 902, weak: true},
	{name: "__vdso_gettimeofday", value: 0x830, size: 683},
	{name: "clock_getres", value: 0xea0, size: 127, weak: true},
	{name: "__vdso_clock_getres", value: 0xea0, size: 127},
	{name: "gettimeofday", value: 0x830, size: 683, weak: true},
	{name: "__vdso_time", value: 0xae0, size: 40},
	{name: "__vdso_getrandom", value: 0xf60, size: 947},
	{name: "time", value: 0xae0, size: 40, weak: true},
	{name: "__vdso_clock_gettime", value: 0xb10, size: 902},
	{name: vdsoVersion, abs: true},
	{name: "__vdso_getcpu", value: 0xf20, size: 44},
	{name: "getcpu", value: 0xf20, size: 44, weak: true},
	{name: "getrandom", value: 0xf60, size: 947, weak: true},
}

const (
	vdsoSoname  = "linux-vdso.so.1"
	vdsoVersion = "LINUX_2.6"
	// vdsoBuckets is the number of buckets of both hash tables, as the
	// linker chose for these thirteen symbols.
	vdsoBuckets = 3
)

// vdsoFunc is what a call to one of the vDSO's functions does.
type vdsoFunc uint8

const (
	vdsoNone vdsoFunc = iota
	vdsoGettimeofday
	vdsoTime
	vdsoClockGettime
	vdsoClockGetres
	vdsoGetcpu
	vdsoGetrandom
)

// vdsoEntry is a function of the vDSO: what it does, the event's name.
type vdsoEntry struct {
	fn   vdsoFunc
	name string
}

// vdsoFuncs maps each function's offset in the image to what it does and
// the name the event gives it (the __vdso_ one; the aliases share it).
var vdsoFuncs = map[uint64]vdsoEntry{
	0x830: {vdsoGettimeofday, "__vdso_gettimeofday"},
	0xae0: {vdsoTime, "__vdso_time"},
	0xb10: {vdsoClockGettime, "__vdso_clock_gettime"},
	0xea0: {vdsoClockGetres, "__vdso_clock_getres"},
	0xf20: {vdsoGetcpu, "__vdso_getcpu"},
	0xf60: {vdsoGetrandom, "__vdso_getrandom"},
}

// vdsoImage is the image's bytes (vdsoCode pages at most), made once.
var vdsoImage = buildVDSO()

// gnuHash is the GNU hash of a symbol name (dl_new_hash).
func gnuHash(s string) uint32 {
	h := uint32(5381)
	for i := 0; i < len(s); i++ {
		h = h*33 + uint32(s[i])
	}
	return h
}

// sysvHash is the ELF specification's hash (elf_hash).
func sysvHash(s string) uint32 {
	var h uint32
	for i := 0; i < len(s); i++ {
		h = h<<4 + uint32(s[i])
		if g := h & 0xf0000000; g != 0 {
			h ^= g >> 24
		}
		h &^= 0xf0000000
	}
	return h
}

// linuxVersionCode is LINUX_VERSION_CODE of utsname's release ("6.18.0"),
// the vDSO's Linux note.
func linuxVersionCode() uint32 {
	var v [3]uint32
	for i, part := range strings.SplitN(strings.SplitN(utsname[2], "-", 2)[0], ".", 3) {
		n, _ := strconv.Atoi(part)
		v[i] = uint32(n)
	}
	return v[0]<<16 | v[1]<<8 | min(v[2], 255)
}

// elfWriter lays an ELF file out section by section.
type elfWriter struct {
	buf      bytes.Buffer
	sections []elf.Section64
	names    []string
}

func (w *elfWriter) align(a int) {
	for w.buf.Len()%a != 0 {
		w.buf.WriteByte(0)
	}
}

// section appends data as a section and returns its offset (its address:
// the image is linked at 0).
func (w *elfWriter) section(name string, typ elf.SectionType, flags elf.SectionFlag, align int, data []byte, entsize uint64) uint64 {
	w.align(align)
	off := uint64(w.buf.Len())
	w.buf.Write(data)
	w.names = append(w.names, name)
	w.sections = append(w.sections, elf.Section64{Type: uint32(typ), Flags: uint64(flags), Addr: off, Off: off,
		Size: uint64(len(data)), Addralign: uint64(align), Entsize: entsize})
	return off
}

func le(v ...any) []byte {
	var b bytes.Buffer
	for _, x := range v {
		binary.Write(&b, binary.LittleEndian, x)
	}
	return b.Bytes()
}

// buildVDSO makes the image: the ELF header and four program headers
// (PT_LOAD of the whole image, PT_DYNAMIC, PT_NOTE, PT_GNU_EH_FRAME), then
// the sections in the kernel's vdso.lds order, .text at the functions'
// offsets, and the section headers after it.
func buildVDSO() []byte {
	syms := vdsoSyms
	for i := 1; i < len(syms); i++ {
		if gnuHash(syms[i].name)%vdsoBuckets < gnuHash(syms[i-1].name)%vdsoBuckets {
			panic("vdso: the symbols are not in GNU hash bucket order")
		}
	}
	nsym := len(syms) + 1 // with the null symbol

	// .dynstr: the soname, the version, then the symbols' names.
	var strtab bytes.Buffer
	strtab.WriteByte(0)
	strOff := map[string]uint32{}
	addStr := func(s string) uint32 {
		if o, ok := strOff[s]; ok {
			return o
		}
		o := uint32(strtab.Len())
		strtab.WriteString(s)
		strtab.WriteByte(0)
		strOff[s] = o
		return o
	}
	addStr(vdsoSoname)
	addStr(vdsoVersion)
	for _, s := range syms {
		addStr(s.name)
	}

	const nphdr = 4
	w := &elfWriter{}
	w.buf.Write(make([]byte, 64+nphdr*56)) // the headers, written last
	w.sections = []elf.Section64{{}}
	w.names = []string{""}

	// .hash: nbucket, nchain, the buckets, the chains.
	bucket := make([]uint32, vdsoBuckets)
	chain := make([]uint32, nsym)
	for i := nsym - 1; i >= 1; i-- {
		b := sysvHash(syms[i-1].name) % vdsoBuckets
		chain[i] = bucket[b]
		bucket[b] = uint32(i)
	}
	hashOff := w.section(".hash", elf.SHT_HASH, elf.SHF_ALLOC, 8, le(uint32(vdsoBuckets), uint32(nsym), bucket, chain), 4)

	// .gnu.hash: nbuckets, symoffset, bloom size and shift, the bloom
	// filter, the buckets, the hash values (the low bit ending a chain).
	const bloomShift = 6
	var bloom uint64
	gbucket := make([]uint32, vdsoBuckets)
	gchain := make([]uint32, nsym-1)
	for i, s := range syms {
		h := gnuHash(s.name)
		bloom |= 1<<(h%64) | 1<<((h>>bloomShift)%64)
		b := h % vdsoBuckets
		if gbucket[b] == 0 {
			gbucket[b] = uint32(i + 1)
		}
		gchain[i] = h &^ 1
		if i == len(syms)-1 || gnuHash(syms[i+1].name)%vdsoBuckets != b {
			gchain[i] |= 1
		}
	}
	gnuHashOff := w.section(".gnu.hash", elf.SHT_GNU_HASH, elf.SHF_ALLOC, 8,
		le(uint32(vdsoBuckets), uint32(1), uint32(1), uint32(bloomShift), bloom, gbucket, gchain), 0)

	// .dynsym, linked to .dynstr (section 4).
	const textSec = 12 // .text's index, below
	dynsym := le(elf.Sym64{})
	for _, s := range syms {
		sym := elf.Sym64{Name: strOff[s.name], Value: s.value, Size: s.size, Shndx: textSec,
			Info: elf.ST_INFO(elf.STB_GLOBAL, elf.STT_FUNC)}
		switch {
		case s.abs:
			sym.Info, sym.Shndx = elf.ST_INFO(elf.STB_GLOBAL, elf.STT_OBJECT), uint16(elf.SHN_ABS)
		case s.weak:
			sym.Info = elf.ST_INFO(elf.STB_WEAK, elf.STT_FUNC)
		}
		dynsym = append(dynsym, le(sym)...)
	}
	symOff := w.section(".dynsym", elf.SHT_DYNSYM, elf.SHF_ALLOC, 8, dynsym, 24)
	w.sections[len(w.sections)-1].Link, w.sections[len(w.sections)-1].Info = 4, 1
	strOffset := w.section(".dynstr", elf.SHT_STRTAB, elf.SHF_ALLOC, 1, strtab.Bytes(), 0)

	// .gnu.version: every symbol LINUX_2.6 (index 2) but the null one.
	versym := make([]uint16, nsym)
	for i := 1; i < nsym; i++ {
		versym[i] = 2
	}
	versymOff := w.section(".gnu.version", elf.SHT_GNU_VERSYM, elf.SHF_ALLOC, 2, le(versym), 2)
	w.sections[len(w.sections)-1].Link = 3

	// .gnu.version_d: the base version (the soname) and LINUX_2.6, each
	// an Elf64_Verdef (20 bytes) and its one Elf64_Verdaux (8).
	verdef := func(flags, ndx uint16, name string, last bool) []byte {
		next := uint32(28)
		if last {
			next = 0
		}
		return le(uint16(1), flags, ndx, uint16(1), sysvHash(name), uint32(20), next, strOff[name], uint32(0))
	}
	verdefOff := w.section(".gnu.version_d", elf.SHT_GNU_VERDEF, elf.SHF_ALLOC, 8,
		append(verdef(1 /* VER_FLG_BASE */, 1, vdsoSoname, false), verdef(0, 2, vdsoVersion, true)...), 0)
	w.sections[len(w.sections)-1].Link, w.sections[len(w.sections)-1].Info = 4, 2

	// .dynamic, as the kernel's vdso-layout links it (-Bsymbolic, -z now).
	dyn := func(tag elf.DynTag, v uint64) []byte { return le(elf.Dyn64{Tag: int64(tag), Val: v}) }
	var dynamic []byte
	for _, d := range []struct {
		tag elf.DynTag
		v   uint64
	}{
		{elf.DT_SONAME, uint64(strOff[vdsoSoname])}, {elf.DT_SYMBOLIC, 0},
		{elf.DT_HASH, hashOff}, {elf.DT_GNU_HASH, gnuHashOff}, {elf.DT_STRTAB, strOffset},
		{elf.DT_SYMTAB, symOff}, {elf.DT_STRSZ, uint64(strtab.Len())}, {elf.DT_SYMENT, 24},
		{elf.DT_VERDEF, verdefOff}, {elf.DT_VERDEFNUM, 2},
		{elf.DT_FLAGS, uint64(elf.DF_SYMBOLIC | elf.DF_BIND_NOW)}, {elf.DT_FLAGS_1, uint64(elf.DF_1_NOW)},
		{elf.DT_VERSYM, versymOff}, {elf.DT_NULL, 0},
	} {
		dynamic = append(dynamic, dyn(d.tag, d.v)...)
	}
	dynOff := w.section(".dynamic", elf.SHT_DYNAMIC, elf.SHF_ALLOC|elf.SHF_WRITE, 8, dynamic, 16)
	w.sections[len(w.sections)-1].Link = 4

	// .note: the Linux version (LINUX_VERSION_CODE, type 0).
	note := le(uint32(6), uint32(4), uint32(0), [8]byte{'L', 'i', 'n', 'u', 'x'}, linuxVersionCode())
	noteOff := w.section(".note", elf.SHT_NOTE, elf.SHF_ALLOC, 4, note, 0)

	// .eh_frame_hdr and .eh_frame, as the kernel's image has them in
	// front of .text (PT_GNU_EH_FRAME: where unwinders look): a CIE and
	// an FDE for each function, whose rules are those at a function's
	// entry (the CFA rsp+8, the return address at CFA-8) throughout, as
	// fits code that is one int3; the header's binary-search table
	// sorted by address.
	ehHdr, ehFrame := vdsoEHFrame(syms, uint64(w.buf.Len()))
	ehHdrOff := w.section(".eh_frame_hdr", elf.SHT_PROGBITS, elf.SHF_ALLOC, 4, ehHdr, 0)
	w.section(".eh_frame", elf.SHT_PROGBITS, elf.SHF_ALLOC, 4, ehFrame, 0)

	// .text: from the first function to the end of the last.
	lo, hi := ^uint64(0), uint64(0)
	for _, s := range syms {
		if !s.abs {
			lo, hi = min(lo, s.value), max(hi, s.value+s.size)
		}
	}
	if uint64(w.buf.Len()) > lo {
		panic("vdso: the tables overlap .text")
	}
	w.buf.Write(make([]byte, lo-uint64(w.buf.Len())))
	w.section(".text", elf.SHT_PROGBITS, elf.SHF_ALLOC|elf.SHF_EXECINSTR, 16, bytes.Repeat([]byte{0xcc}, int(hi-lo)), 0)

	// .shstrtab, then the section headers (outside PT_LOAD's bytes, as
	// the kernel's image has them, but in its pages).
	var shstr bytes.Buffer
	shstr.WriteByte(0)
	w.names = append(w.names, ".shstrtab")
	nameOff := make([]uint32, len(w.names))
	for i, n := range w.names[1:] {
		nameOff[i+1] = uint32(shstr.Len())
		shstr.WriteString(n)
		shstr.WriteByte(0)
	}
	w.names = w.names[:len(w.names)-1]
	w.section(".shstrtab", elf.SHT_STRTAB, 0, 1, shstr.Bytes(), 0)
	w.sections[len(w.sections)-1].Addr = 0
	for i := range w.sections {
		w.sections[i].Name = nameOff[i]
	}
	loadSize := uint64(w.buf.Len())
	w.align(8)
	shoff := uint64(w.buf.Len())
	for _, s := range w.sections {
		w.buf.Write(le(s))
	}

	img := w.buf.Bytes()
	hdr := elf.Header64{Type: uint16(elf.ET_DYN), Machine: uint16(elf.EM_X86_64), Version: uint32(elf.EV_CURRENT),
		Phoff: 64, Shoff: shoff, Ehsize: 64, Phentsize: 56, Phnum: nphdr, Shentsize: 64,
		Shnum: uint16(len(w.sections)), Shstrndx: uint16(len(w.sections) - 1)}
	copy(hdr.Ident[:], elf.ELFMAG)
	hdr.Ident[elf.EI_CLASS], hdr.Ident[elf.EI_DATA], hdr.Ident[elf.EI_VERSION] = byte(elf.ELFCLASS64), byte(elf.ELFDATA2LSB), byte(elf.EV_CURRENT)
	dynSize := uint64(len(dynamic))
	phdrs := []elf.Prog64{
		{Type: uint32(elf.PT_LOAD), Flags: uint32(elf.PF_R | elf.PF_X), Filesz: loadSize, Memsz: loadSize, Align: engine.PageSize},
		{Type: uint32(elf.PT_DYNAMIC), Flags: uint32(elf.PF_R), Off: dynOff, Vaddr: dynOff, Paddr: dynOff, Filesz: dynSize, Memsz: dynSize, Align: 8},
		{Type: uint32(elf.PT_NOTE), Flags: uint32(elf.PF_R), Off: noteOff, Vaddr: noteOff, Paddr: noteOff,
			Filesz: uint64(len(note)), Memsz: uint64(len(note)), Align: 4},
		{Type: uint32(elf.PT_GNU_EH_FRAME), Flags: uint32(elf.PF_R), Off: ehHdrOff, Vaddr: ehHdrOff, Paddr: ehHdrOff,
			Filesz: uint64(len(ehHdr)), Memsz: uint64(len(ehHdr)), Align: 4},
	}
	copy(img, le(hdr, phdrs))
	if len(img) > vdsoCode*engine.PageSize {
		panic("vdso: the image is larger than [vdso]")
	}
	return img
}

// vdsoEHFrame makes .eh_frame_hdr (at off, 4-aligned) and the .eh_frame
// right after it, for the functions of syms.
func vdsoEHFrame(syms []vdsoSym, off uint64) (hdr, frame []byte) {
	off = (off + 3) &^ 3
	type fn struct{ start, size uint64 }
	var fns []fn
	seen := map[uint64]bool{}
	for _, s := range syms {
		if !s.abs && !seen[s.value] {
			seen[s.value] = true
			fns = append(fns, fn{s.value, s.size})
		}
	}
	slices.SortFunc(fns, func(a, b fn) int { return cmp.Compare(a.start, b.start) })
	hdrLen := uint64(12 + 8*len(fns))
	frameOff := off + hdrLen
	// The CIE: version 1, "zR", code alignment 1, data alignment -8,
	// return address in r16, FDE pointers pcrel|sdata4; DW_CFA_def_cfa
	// rsp+8, DW_CFA_offset r16 at CFA-8; padded with DW_CFA_nop to 8.
	cie := le(uint32(20), uint32(0), uint8(1), [3]byte{'z', 'R'}, uint8(1), uint8(0x78), uint8(16), uint8(1), uint8(0x1b),
		[3]byte{0x0c, 7, 8}, [2]byte{0x90, 1}, [2]byte{})
	frame = cie
	var table []byte
	for _, f := range fns {
		at := frameOff + uint64(len(frame))
		fde := le(uint32(20), uint32(at+4-frameOff), int32(int64(f.start)-int64(at+8)), uint32(f.size), uint8(0), [7]byte{})
		table = append(table, le(int32(int64(f.start)-int64(off)), int32(int64(at)-int64(off)))...)
		frame = append(frame, fde...)
	}
	frame = append(frame, 0, 0, 0, 0) // the terminator
	hdr = le(uint8(1), uint8(0x1b), uint8(0x03), uint8(0x3b), int32(int64(frameOff)-int64(off+4)), uint32(len(fns)))
	return append(hdr, table...), frame
}

// isVDSO reports whether v is (part of) a [vdso] area: the special mapping
// install_special_mapping made at exec. No other area can have the name
// (PR_SET_VMA names anonymous areas "[anon:...]").
func (v *vma) isVDSO() bool { return v.file == nil && v.name == "[vdso]" }

// vdsoFrame is the kernel's page idx of the image, made the first time
// any process needs it and kept (the kernel's pages, never freed).
func (e *Engine) vdsoFrame(idx uint64) int32 {
	if fi := e.mem.vdso[idx]; fi != 0 {
		return fi
	}
	fi := e.allocFrame(useDevice)
	if fi < 0 {
		return -1
	}
	e.mem.f(fi).ref = 1
	if off := idx << engine.PageShift; off < uint64(len(vdsoImage)) {
		e.mem.setContents(fi, vdsoImage[off:min(off+engine.PageSize, uint64(len(vdsoImage)))])
	}
	e.mem.vdso[idx] = fi
	return fi
}

var pathSpecialFault = []string{"handle_mm_fault", "do_read_fault", "__do_fault", "special_mapping_fault"}

// specialMappingFault is special_mapping_fault for [vdso]: the image's
// page at the fault's offset, mapped read-only (a write is refused by
// access_error: the area is not writable). The fault is minor, of the
// ->fault path that a file's read fault takes.
func (e *Engine) specialMappingFault(vmf *vmFault) *engine.Signal {
	p, v := vmf.p, vmf.v
	page := vmf.addr &^ engine.PageMask
	idx := v.pgoffAt(page)
	if idx >= vdsoCode {
		return e.sigbus(vmf) // VM_FAULT_SIGBUS
	}
	fi := e.vdsoFrame(idx)
	if fi < 0 {
		return e.oom(p, vmf.addr)
	}
	pte := pfnOf(fi)<<engine.PageShift | basePTE(v)
	if !e.setPTE(p, page, pte) {
		return e.oom(p, vmf.addr)
	}
	f := e.mem.f(fi)
	f.ref++
	f.mapcnt++
	e.faultDone(vmf, kindFileMinor, false, pfnOf(fi), pte, pathSpecialFault)
	return nil
}

// vdsoArea is process pid's [vdso] area that holds image offset 0 (where
// the functions are found from), or nil.
func (e *Engine) vdsoArea(pid int) *vma {
	p := e.proc(pid)
	if p == nil || p.mm == nil {
		return nil
	}
	for _, v := range p.mm.vmas {
		if v.isVDSO() && v.pgoff == 0 {
			return v
		}
	}
	return nil
}

// VDSOBase is AT_SYSINFO_EHDR: where execve mapped the vDSO (the value
// stays in the auxiliary vector if the program unmaps or moves it).
func (e *Engine) VDSOBase(pid int) uint64 {
	p := e.proc(pid)
	if p == nil || p.mm == nil {
		return 0
	}
	return p.mm.sysinfoEhdr
}

// VDSOLookup is dlsym(RTLD_NOLOAD handle of "linux-vdso.so.1", name): the
// symbol's address in the process's [vdso] as it is mapped now.
func (e *Engine) VDSOLookup(pid int, name string) uint64 {
	v := e.vdsoArea(pid)
	if v == nil {
		return 0
	}
	for _, s := range vdsoSyms {
		if s.name == name && !s.abs {
			return v.start + s.value
		}
	}
	return 0
}

// CallVDSO runs the vDSO's function at addr (or the vsyscall page's entry
// there) for process pid.
func (e *Engine) CallVDSO(pid int, addr uint64, args []int64) (engine.Result, bool) {
	p := e.proc(pid)
	if p == nil || p.exited || p.mm == nil {
		return engine.Result{}, false
	}
	arg := func(i int) int64 {
		if i < len(args) {
			return args[i]
		}
		return 0
	}
	if addr&^0xfff == engine.VsyscallAddr {
		return e.vsyscall(p, addr-engine.VsyscallAddr, arg)
	}
	var f vdsoEntry
	ok := false
	if v := p.mm.findVMA(addr); v != nil && v.start <= addr && v.isVDSO() {
		f, ok = vdsoFuncs[v.pgoff<<engine.PageShift+addr-v.start]
	}
	// The call fetches the first instruction: its page must be mapped
	// (an exec fault on a [vdso] page not yet touched); where no function
	// starts, the fetch's fault is the call's.
	if sig := e.fetch(p, addr); sig != nil {
		return engine.Result{Signal: sig}, true
	}
	if !ok {
		return engine.Result{}, false
	}
	e.advance(costVDSOCall)
	r := e.vdsoRun(p, f.fn, arg)
	if e.sink != nil && r.Signal == nil {
		ev := e.newEvent(engine.EvVDSO, p.pid)
		ev.Name = f.name
		n := vdsoArgc[f.fn]
		ev.Args = make([]engine.Arg, n)
		for i := range n {
			ev.Args[i] = engine.Arg{Int: arg(i)}
		}
		ev.Ret = r.Ret
		e.emit(ev)
	}
	return r, true
}

// costVDSOCall is the logical time a vDSO call takes: a few tens of
// nanoseconds on this machine, a fraction of a system call's.
const costVDSOCall = 20

// vdsoArgc is each function's number of arguments.
var vdsoArgc = map[vdsoFunc]int{vdsoGettimeofday: 2, vdsoTime: 1, vdsoClockGettime: 2, vdsoClockGetres: 2,
	vdsoGetcpu: 3, vdsoGetrandom: 5}

// vdsoStore is a store the vDSO's code makes: a user-mode store, so a bad
// pointer is the program's SIGSEGV, not an EFAULT.
func (e *Engine) vdsoStore(p *process, addr uint64, b []byte) *engine.Signal {
	if err := e.access(p, addr, b, true, false); err != nil {
		if sig, ok := err.(*engine.Signal); ok {
			return sig
		}
		return &engine.Signal{Signo: engine.SIGSEGV, Code: engine.SEGV_MAPERR, Addr: addr}
	}
	return nil
}

// vdsoFallback is the vDSO's fallback to the system call (the clocks it
// does not serve from [vvar_vclock]): the call is made and told as such;
// the vDSO returns the kernel's -errno.
func (e *Engine) vdsoFallback(p *process, name string, args ...int64) engine.Result {
	r := e.Syscall(p.pid, engine.Call{Name: name, Args: args})
	if r.Errno != 0 {
		r.Ret = -int64(r.Errno)
	}
	return r
}

// vdsoRun does the function's work, as lib/vdso/gettimeofday.c and
// arch/x86/entry/vdso/vgetcpu.c do it: the high-resolution and coarse
// clocks from [vvar_vclock] (the model's clock), the others by the system
// call; getcpu from the CPU's number (RDPID).
func (e *Engine) vdsoRun(p *process, fn vdsoFunc, arg func(int) int64) engine.Result {
	var r engine.Result
	switch fn {
	case vdsoClockGettime, vdsoClockGetres:
		// __cvdso_clock_gettime_common: an id the vDSO does not serve
		// (the CPU clocks, the alarm clocks, an invalid one) goes to the
		// kernel.
		kind, _, res := e.clockOf(p, int32(arg(0)))
		if kind == clockInvalid || kind == clockCPU {
			name := "clock_gettime"
			if fn == vdsoClockGetres {
				name = "clock_getres"
			}
			return e.vdsoFallback(p, name, int64(int32(arg(0))), arg(1))
		}
		ts := timespec(e.clockRead(kind, nil))
		if fn == vdsoClockGetres {
			if arg(1) == 0 {
				return r
			}
			ts = timespec(res)
		}
		r.Signal = e.vdsoStore(p, uint64(arg(1)), ts)
	case vdsoGettimeofday:
		if tv := uint64(arg(0)); tv != 0 {
			if r.Signal = e.vdsoStore(p, tv, timeval(e.realtime(e.clock))); r.Signal != nil {
				return r
			}
		}
		if tz := uint64(arg(1)); tz != 0 {
			r.Signal = e.vdsoStore(p, tz, sysTZ)
		}
	case vdsoTime:
		r.Ret = int64(e.realtime(e.clock) / 1e9)
		if t := uint64(arg(0)); t != 0 {
			var b [8]byte
			binary.LittleEndian.PutUint64(b[:], uint64(r.Ret))
			r.Signal = e.vdsoStore(p, t, b[:])
		}
	case vdsoGetcpu:
		var b [4]byte
		if cpu := uint64(arg(0)); cpu != 0 {
			binary.LittleEndian.PutUint32(b[:], uint32(p.runsOn()))
			if r.Signal = e.vdsoStore(p, cpu, b[:]); r.Signal != nil {
				return r
			}
		}
		if node := uint64(arg(1)); node != 0 {
			binary.LittleEndian.PutUint32(b[:], 0)
			r.Signal = e.vdsoStore(p, node, b[:])
		}
	case vdsoGetrandom:
		return e.vdsoGetrandom(p, arg)
	}
	return r
}

// vgetrandomParams is struct vgetrandom_opaque_params as this kernel
// answers the query getrandom(NULL, 0, 0, &params, ~0UL) (a native run
// gives 144, 3, 0x28): the size of one state, and how to map states
// (PROT_READ|PROT_WRITE, MAP_DROPPABLE|MAP_ANONYMOUS).
var vgetrandomParams = le(uint32(144), uint32(engine.PROT_READ|engine.PROT_WRITE),
	uint32(0x08|engine.MAP_ANONYMOUS), [13]uint32{})

// vdsoGetrandom is __cvdso_getrandom: the query of the opaque state's
// parameters answered in user space; every other call (the model keeps no
// ChaCha20 state in user memory) by the getrandom system call, as the vDSO
// does for a state of the wrong size or flags it does not know.
func (e *Engine) vdsoGetrandom(p *process, arg func(int) int64) engine.Result {
	buf, n, flags, state, stateLen := arg(0), arg(1), arg(2), uint64(arg(3)), uint64(arg(4))
	if stateLen == ^uint64(0) && buf == 0 && n == 0 && flags == 0 {
		return engine.Result{Signal: e.vdsoStore(p, state, vgetrandomParams)}
	}
	return e.vdsoFallback(p, "getrandom", buf, n, flags)
}

// vsyscall is emulate_vsyscall: a call into the vsyscall page (execute-only
// on this kernel) faults, and the kernel makes the system call its entry
// stands for. Another address in the page is a misaligned vsyscall, and a
// pointer the call cannot write (past user space: write_ok_or_segv, or
// its EFAULT) a bad one: SIGSEGV, forced (SI_KERNEL, no address) but for
// the pointer past user space, a page fault's SEGV_MAPERR there.
func (e *Engine) vsyscall(p *process, off uint64, arg func(int) int64) (engine.Result, bool) {
	var c engine.Call
	var sizes []uint64 // what the call writes at each pointer
	switch off {
	case 0:
		c, sizes = engine.Call{Name: "gettimeofday", Args: []int64{arg(0), arg(1)}}, []uint64{16, 8}
	case 0x400:
		c, sizes = engine.Call{Name: "time", Args: []int64{arg(0)}}, []uint64{8}
	case 0x800:
		c, sizes = engine.Call{Name: "getcpu", Args: []int64{arg(0), arg(1), arg(2)}}, []uint64{4, 4}
	default:
		return engine.Result{Signal: &engine.Signal{Signo: engine.SIGSEGV, Code: engine.SI_KERNEL}}, true
	}
	for i, n := range sizes {
		if ptr := uint64(c.Args[i]); ptr > engine.TaskSize-n {
			return engine.Result{Signal: &engine.Signal{Signo: engine.SIGSEGV, Code: engine.SEGV_MAPERR, Addr: ptr,
				Trap: true, TrapNr: engine.X86_TRAP_PF, ErrorCode: engine.X86_PF_USER | engine.X86_PF_WRITE}}, true
		}
	}
	r := e.Syscall(p.pid, c)
	if r.Errno == engine.EFAULT {
		return engine.Result{Signal: &engine.Signal{Signo: engine.SIGSEGV, Code: engine.SI_KERNEL}}, true
	}
	if r.Errno != 0 {
		// The emulation stores -errno in rax: the caller sees the raw value.
		r.Ret = -int64(r.Errno)
	}
	return r, true
}

var _ engine.VDSO = (*Engine)(nil)
