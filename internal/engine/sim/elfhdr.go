package sim

import (
	"debug/elf"

	"github.com/mmapplayground/playground/internal/engine"
)

// The ELF headers of the files the loaders map, analogous to what
// binfmt_elf's load_elf_binary and ld.so's _dl_map_object read: each
// file's first page begins with its ELF header and program headers, and
// they are in memory where the file's first area maps them, where
// dl_iterate_phdr finds them (ld.so's link_map l_phdr). The model's
// libraries are this machine's glibc 2.36 files in their layout
// (layout.go), so their headers are those files' (readelf -lh; a test
// holds them to the files); the program's are those of a gcc 12 PIE with
// the model's areas in place of gcc's sections. The headers name no
// section headers: the model's files have none.

// elfFile is what a file's ELF header says beyond its program headers.
type elfFile struct {
	entry uint64
	phdrs []elf.Prog64
}

func ph(t elf.ProgType, f elf.ProgFlag, off, vaddr, filesz, memsz, align uint64) elf.Prog64 {
	return elf.Prog64{Type: uint32(t), Flags: uint32(f), Off: off, Vaddr: vaddr, Paddr: vaddr, Filesz: filesz, Memsz: memsz, Align: align}
}

const (
	pfR  = elf.PF_R
	pfRX = elf.PF_R | elf.PF_X
	pfRW = elf.PF_R | elf.PF_W
)

// glibc236Libc and glibc236Ldso are libc.so.6's and ld-linux-x86-64.so.2's
// headers, as readelf -lh prints them for Debian 12's glibc 2.36.
var (
	glibc236Libc = elfFile{entry: 0x27410, phdrs: []elf.Prog64{
		ph(elf.PT_PHDR, pfR, 0x40, 0x40, 0x310, 0x310, 8),
		ph(elf.PT_INTERP, pfR, 0x1a1b10, 0x1a1b10, 0x1c, 0x1c, 0x10),
		ph(elf.PT_LOAD, pfR, 0, 0, 0x25388, 0x25388, 0x1000),
		ph(elf.PT_LOAD, pfRX, 0x26000, 0x26000, 0x1550fc, 0x1550fc, 0x1000),
		ph(elf.PT_LOAD, pfR, 0x17c000, 0x17c000, 0x52c31, 0x52c31, 0x1000),
		ph(elf.PT_LOAD, pfRW, 0x1cf8d0, 0x1cf8d0, 0x4f98, 0x12680, 0x1000),
		ph(elf.PT_DYNAMIC, pfRW, 0x1d2b60, 0x1d2b60, 0x200, 0x200, 8),
		ph(elf.PT_NOTE, pfR, 0x350, 0x350, 0x20, 0x20, 8),
		ph(elf.PT_NOTE, pfR, 0x370, 0x370, 0x44, 0x44, 4),
		ph(elf.PT_TLS, pfR, 0x1cf8d0, 0x1cf8d0, 0x10, 0x90, 8),
		ph(elf.PT_GNU_PROPERTY, pfR, 0x350, 0x350, 0x20, 0x20, 8),
		ph(elf.PT_GNU_EH_FRAME, pfR, 0x1a1b2c, 0x1a1b2c, 0x7414, 0x7414, 4),
		ph(elf.PT_GNU_STACK, pfRW, 0, 0, 0, 0, 0x10),
		ph(elf.PT_GNU_RELRO, pfR, 0x1cf8d0, 0x1cf8d0, 0x3730, 0x3730, 1),
	}}
	glibc236Ldso = elfFile{entry: 0x1ab70, phdrs: []elf.Prog64{
		ph(elf.PT_LOAD, pfR, 0, 0, 0xd58, 0xd58, 0x1000),
		ph(elf.PT_LOAD, pfRX, 0x1000, 0x1000, 0x25111, 0x25111, 0x1000),
		ph(elf.PT_LOAD, pfR, 0x27000, 0x27000, 0x9c7c, 0x9c7c, 0x1000),
		ph(elf.PT_LOAD, pfRW, 0x31900, 0x31900, 0x2810, 0x29d8, 0x1000),
		ph(elf.PT_DYNAMIC, pfRW, 0x32e40, 0x32e40, 0x1a0, 0x1a0, 8),
		ph(elf.PT_NOTE, pfR, 0x238, 0x238, 0x24, 0x24, 4),
		ph(elf.PT_GNU_EH_FRAME, pfR, 0x2d018, 0x2d018, 0x934, 0x934, 4),
		ph(elf.PT_GNU_STACK, pfRW, 0, 0, 0, 0, 0x10),
		ph(elf.PT_GNU_RELRO, pfR, 0x31900, 0x31900, 0x1700, 0x1700, 1),
	}}
)

// Where a gcc 12 PIE has its small headers in its first page: the
// interpreter's path, the GNU property and ABI-tag notes (readelf -l of
// the corpus' builds), and how long that page's contents are.
const (
	exeInterp      = 0x318
	exeNotes       = 0x338
	exeFirstPage   = 0x6c8
	exeDynamicSize = 0x1e0
	exeEntry       = 0x1040
)

// exeELF is the program file's header: a gcc PIE's thirteen program
// headers over the model's areas (mapImage): the headers' page, the text
// page, .rodata, then RELRO (.dynamic in it) and .data with .bss; no
// unwind tables (PT_GNU_EH_FRAME is empty, at .rodata's end).
func exeELF(roLen, relro, dataLen, bss uint64) elfFile {
	const nph = 13
	rw := relro - engine.PageSize // RELRO's page is the file's page before .data
	eh := roStart + roLen
	return elfFile{entry: exeEntry, phdrs: []elf.Prog64{
		ph(elf.PT_PHDR, pfR, 64, 64, nph*56, nph*56, 8),
		ph(elf.PT_INTERP, pfR, exeInterp, exeInterp, uint64(len(ldsoInterp)+1), uint64(len(ldsoInterp)+1), 1),
		ph(elf.PT_LOAD, pfR, 0, 0, exeFirstPage, exeFirstPage, 0x1000),
		ph(elf.PT_LOAD, pfRX, engine.PageSize, engine.PageSize, engine.PageSize, engine.PageSize, 0x1000),
		ph(elf.PT_LOAD, pfR, roStart, roStart, roLen, roLen, 0x1000),
		ph(elf.PT_LOAD, pfRW, rw, relro, engine.PageSize+dataLen, engine.PageSize+dataLen+bss, 0x1000),
		ph(elf.PT_DYNAMIC, pfRW, rw, relro, exeDynamicSize, exeDynamicSize, 8),
		ph(elf.PT_NOTE, pfR, exeNotes, exeNotes, 0x20, 0x20, 8),
		ph(elf.PT_NOTE, pfR, exeNotes+0x20, exeNotes+0x20, 0x44, 0x44, 4),
		ph(elf.PT_GNU_PROPERTY, pfR, exeNotes, exeNotes, 0x20, 0x20, 8),
		ph(elf.PT_GNU_EH_FRAME, pfR, eh, eh, 0, 0, 4),
		ph(elf.PT_GNU_STACK, pfRW, 0, 0, 0, 0, 0x10),
		ph(elf.PT_GNU_RELRO, pfR, rw, relro, engine.PageSize, engine.PageSize, 1),
	}}
}

// roStart is .rodata's offset (and address) in the program's file.
const roStart = 2 * engine.PageSize

// ldsoInterp is the program's PT_INTERP, the name ld.so has in its list.
const ldsoInterp = "/lib64/ld-linux-x86-64.so.2"

// header is the file's ELF header and program headers, as its first bytes.
func (f elfFile) header() []byte {
	hdr := elf.Header64{Type: uint16(elf.ET_DYN), Machine: uint16(elf.EM_X86_64), Version: uint32(elf.EV_CURRENT),
		Entry: f.entry, Phoff: 64, Ehsize: 64, Phentsize: 56, Phnum: uint16(len(f.phdrs)), Shentsize: 64}
	copy(hdr.Ident[:], elf.ELFMAG)
	hdr.Ident[elf.EI_CLASS], hdr.Ident[elf.EI_DATA], hdr.Ident[elf.EI_VERSION] = byte(elf.ELFCLASS64), byte(elf.ELFDATA2LSB), byte(elf.EV_CURRENT)
	hdr.Ident[elf.EI_OSABI] = byte(elf.ELFOSABI_NONE)
	return le(hdr, f.phdrs)
}

// LinkMaps is ld.so's list of the objects of process pid (its link_maps,
// in the order dl_iterate_phdr walks them): the program, the vDSO, libc
// and ld.so, each with its load address; a static program (Libc "none")
// has the program and the vDSO.
func (e *Engine) LinkMaps(pid int) []engine.LinkMap {
	p := e.proc(pid)
	if p == nil || p.mm == nil {
		return nil
	}
	maps := []engine.LinkMap{{Name: "", Addr: imageBase}}
	if b := p.mm.sysinfoEhdr; b != 0 {
		maps = append(maps, engine.LinkMap{Name: vdsoSoname, Addr: b})
	}
	if l := libLayouts[e.opts.Libc]; l != nil && p.mm.libcBase != 0 {
		maps = append(maps, engine.LinkMap{Name: l.libcName, Addr: p.mm.libcBase},
			engine.LinkMap{Name: ldsoInterp, Addr: p.mm.ldsoBase})
	}
	return maps
}

var _ engine.Loader = (*Engine)(nil)
