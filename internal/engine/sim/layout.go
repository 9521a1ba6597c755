package sim

import "github.com/mmapplayground/playground/internal/engine"

// The process as execve, the ELF loader and the dynamic loader leave it,
// analogous to fs/binfmt_elf.c's load_elf_binary and ld.so's _dl_map_object,
// laid out as this machine lays out a gcc 12 PIE linked against glibc 2.36
// with address randomisation off (setarch -R):
//
//	555555554000 r--p  prog  ELF headers                 (offset 0)
//	555555555000 r-xp  prog  .text                        (0x1000)
//	555555556000 r--p  prog  .rodata                      (0x2000)
//	             r--p  prog  RELRO, mprotected by ld.so   (the last .rodata page's offset)
//	             rw-p  prog  .data                        (the page after)
//	             rw-p        .bss past .data's page
//	             rw-p  [heap] from the first brk
//	7ffff7dd2000 rw-p        ld.so's TLS and dtv
//	7ffff7dd5000 ...   libc.so.6 (five areas) and its .bss
//	             (a hole where ld.so read /etc/ld.so.cache and let it go)
//	7ffff7fc0000 rw-p        ld.so's own data
//	7ffff7fc2000 r--p  [vvar] [vvar_vclock], r-xp [vdso]
//	7ffff7fca000 ...   ld-linux-x86-64.so.2 (five areas), up to mmap_base
//	7ffffffde000 rw-p  [stack]
//	ffffffffff600000 --xp [vsyscall] (the gate area: shown by maps, no VMA)
//
// So a program's first small mmap lands in the ld.so.cache hole and a big
// one below the TLS area, where the kernel puts them.

// segment is one area a loader maps from a file: its length, its
// protection and its file offset.
type segment struct {
	pages uint64
	flags uint64 // vmRead, vmWrite, vmExec, vmAccount
	off   uint64
	// res are the page ranges ([first, count]) of the segment resident
	// when main is called (residentAtMain).
	res [][2]uint64
}

// libLayout is a C library and its loader as a dynamically linked program
// finds them mapped: the files' segments, the anonymous areas beside them,
// and the hole ld.so.cache leaves (all in pages).
type libLayout struct {
	ldso, libc         string
	libcName           string  // libc's name in ld.so's list (the path ld.so.cache gave)
	ldsoHdr, libcHdr   elfFile // the files' ELF headers (elfhdr.go)
	ldsoSize, libcSize uint64  // the files' sizes
	ldsoSegs, libcSegs []segment
	libcBss            uint64 // libc's .bss past its data page
	ldsoData           uint64 // ld.so's anonymous data below [vvar]
	cacheHole          uint64 // /etc/ld.so.cache, mapped and unmapped at start-up
	tls                uint64 // the TLS block and dtv below libc
	// The pages of the anonymous areas that ld.so and libc's start-up
	// touched before main, as [first, count] ranges. (The vDSO's code
	// page is resident too, 4 kB the model leaves out: it is the
	// kernel's, in no page cache.)
	libcBssRes, ldsoDataRes, tlsRes [][2]uint64
}

const (
	segR     = vmRead
	segRX    = vmRead | vmExec
	segRO    = vmRead | vmAccount // RELRO: written by ld.so, then made read-only
	segRW    = vmRead | vmWrite | vmAccount
	vdsoVV   = 4 // [vvar] pages
	vdsoVC   = 2 // [vvar_vclock] pages
	vdsoCode = 2
)

// libLayouts are the C libraries the model can lay out, by Options.Libc's
// names (engine.DefaultLibc is this machine's); "none" has no entry.
var libLayouts = map[string]*libLayout{
	// The resident ranges are what pagemap shows of a gcc-built PIE's
	// areas at the start of main on this machine, before it calls into
	// libc (setarch -R; the text as fault-around mapped its page-cache
	// folios): 1112 kB in all, as smaps_rollup says. A program's libc
	// calls make more of libc present natively (printf's, sscanf's code);
	// the interpreter's library is not libc's code, so the model keeps
	// this baseline.
	"glibc-2.36": {
		ldso: "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", ldsoSize: 215000,
		ldsoSegs: []segment{
			{1, segR, 0, [][2]uint64{{0, 1}}}, {0x26, segRX, 0x1000, [][2]uint64{{0, 37}}},
			{0xa, segR, 0x27000, [][2]uint64{{0, 10}}}, {2, segRO, 0x31000, [][2]uint64{{0, 2}}},
			{2, segRW, 0x33000, [][2]uint64{{0, 2}}}},
		libc: "/usr/lib/x86_64-linux-gnu/libc.so.6", libcSize: 1926232,
		libcName: "/lib/x86_64-linux-gnu/libc.so.6", ldsoHdr: glibc236Ldso, libcHdr: glibc236Libc,
		libcSegs: []segment{
			{0x26, segR, 0, [][2]uint64{{0, 38}}}, {0x156, segRX, 0x26000, [][2]uint64{{0, 37}, {85, 64}, {197, 32}, {293, 32}}},
			{0x53, segR, 0x17c000, nil}, {4, segRO, 0x1cf000, [][2]uint64{{0, 4}}},
			{2, segRW, 0x1d3000, [][2]uint64{{0, 2}}}},
		libcBss: 0xd, ldsoData: 2, cacheHole: 9, tls: 3,
		libcBssRes: [][2]uint64{{0, 1}, {4, 3}, {12, 1}}, ldsoDataRes: [][2]uint64{{0, 1}},
		tlsRes: [][2]uint64{{0, 2}},
	},
}

// maySegs are the VM_MAY* bits every file segment has.
const maySegs = vmMayRead | vmMayWrite | vmMayExec

// loaderArea makes an area the loader mapped.
func loaderArea(start, pages, flags uint64, file *inode, pgoff uint64, name string) *vma {
	v := &vma{start: start, end: start + pages<<engine.PageShift, flags: flags, file: file, pgoff: pgoff, name: name, loader: true}
	if file == nil && pgoff == 0 {
		v.pgoff = start >> engine.PageShift
	}
	return v
}

// libInode is the model's inode of a library file, made once per engine;
// its pages are not cached until a fault reads them.
func (e *Engine) libInode(path string, size uint64, hdr elfFile) *inode {
	if e.fs.libs == nil {
		e.fs.libs = map[string]*inode{}
	}
	if ino, ok := e.fs.libs[path]; ok {
		return ino
	}
	ino := e.fs.newInode(path, kindImage)
	ino.disk.set(hdr.header()) // the rest of the file reads as zeros
	ino.size = size
	e.fs.libs[path] = ino
	return ino
}

// mapImage maps the program file's five areas and its .bss (load_elf_binary
// for an ET_DYN executable at ELF_ET_DYN_BASE), and returns where .rodata
// and .data start, the break, and the pages present at main.
func (e *Engine) mapImage(p *process, img engine.Image, name string) (rodata, data, brk uint64, atMain []resident, err engine.Errno) {
	roLen := max(pageAlign(uint64(len(img.Rodata))), engine.PageSize)
	dataFile := max(pageAlign(uint64(len(img.Data))), engine.PageSize)
	dataAll := max(pageAlign(uint64(len(img.Data))+img.Bss), dataFile)
	// The file: headers, text, .rodata, then .data; its pages are in the
	// page cache already, as a binary just run would be.
	const textOff = engine.PageSize
	roOff := 2 * uint64(engine.PageSize)
	dataOff := roOff + roLen
	content := make([]byte, dataOff+uint64(len(img.Data)))
	copy(content, exeELF(uint64(len(img.Rodata)), roOff+roLen, uint64(len(img.Data)), img.Bss).header())
	copy(content[exeInterp:], ldsoInterp)
	copy(content[roOff:], img.Rodata)
	copy(content[dataOff:], img.Data)
	ino := e.fs.imageInode(name, content, dataOff+dataFile)
	for idx := uint64(0); idx < (dataOff+dataFile)>>engine.PageShift; idx++ {
		fi, errno := e.pageCacheGet(p, ino, idx, true)
		if errno != 0 {
			return 0, 0, 0, nil, engine.ENOMEM
		}
		// Cached without a disk read: the loader's pages are already in memory.
		if off := idx << engine.PageShift; off < uint64(len(content)) {
			e.mem.setContents(fi, content[off:min(off+engine.PageSize, uint64(len(content)))])
		}
	}
	a := uint64(imageBase)
	first := [][2]uint64{{0, 1}}
	var res []resident
	for i, s := range []segment{
		{1, segR, 0, first},
		{1, segRX, textOff, first},
		{roLen >> engine.PageShift, segR, roOff, first},
		{1, segRO, dataOff - engine.PageSize, first},
		{dataFile >> engine.PageShift, segRW, dataOff, first},
	} {
		v := loaderArea(a, s.pages, s.flags|maySegs, ino, s.off>>engine.PageShift, name)
		p.mm.insert(v)
		res = append(res, resident{v, s.res})
		switch i {
		case 1:
			p.mm.startCode, p.mm.endCode = a, v.end
		case 2:
			rodata = a
		case 4:
			data = a
		}
		a = v.end
	}
	if bss := dataAll - dataFile; bss > 0 {
		p.mm.insert(loaderArea(a, bss>>engine.PageShift, segRW|maySegs, nil, 0, ""))
		a += bss
	}
	// The first page of each will be present at main (Exec maps them):
	// the loader read the headers, ran the start-up code, and relocated
	// RELRO and .data (so those are private copies already).
	return rodata, data, a, res, 0
}

// mapLibc maps the dynamic loader, the vDSO and the C library top-down
// from mmap_base, as the kernel (the interpreter, then the vDSO) and ld.so
// (the rest) place them, and returns the pages present at main.
func (e *Engine) mapLibc(p *process, l *libLayout) []resident {
	top := p.mm.mmapBase
	var ldsoPages uint64
	for _, s := range l.ldsoSegs {
		ldsoPages += s.pages
	}
	ldso := e.libInode(l.ldso, l.ldsoSize, l.ldsoHdr)
	a := top - ldsoPages<<engine.PageShift
	p.mm.ldsoBase = a
	var res []resident
	for _, s := range l.ldsoSegs {
		v := loaderArea(a, s.pages, s.flags|maySegs, ldso, s.off>>engine.PageShift, "")
		p.mm.insert(v)
		res = append(res, resident{v, s.res})
		a = v.end
	}
	// The vDSO below it (arch_setup_additional_pages): the data pages are
	// PFN mappings, the code a special mapping.
	a = top - ldsoPages<<engine.PageShift - (vdsoVV+vdsoVC+vdsoCode)<<engine.PageShift
	vv := vmRead | vmMayRead | vmIO | vmPFNMap | vmDontExpand | vmDontDump
	for i, va := range []*vma{loaderArea(a, vdsoVV, vv, nil, 0, "[vvar]"),
		loaderArea(a+vdsoVV<<engine.PageShift, vdsoVC, vv, nil, 0, "[vvar_vclock]")} {
		va.pgoff = uint64(i) * vdsoVV // the data page's index (vvarFault's vmf->pgoff)
		p.mm.insert(va)
	}
	vdso := loaderArea(a+(vdsoVV+vdsoVC)<<engine.PageShift, vdsoCode, vmRead|vmExec|maySegs|vmDontExpand, nil, 0, "[vdso]")
	vdso.pgoff = 0 // the image's page 0 (special_mapping_fault's vmf->pgoff)
	p.mm.insert(vdso)
	p.mm.sysinfoEhdr = vdso.start
	a -= l.ldsoData << engine.PageShift
	ldsoData := loaderArea(a, l.ldsoData, segRW|maySegs, nil, 0, "")
	p.mm.insert(ldsoData)
	res = append(res, resident{ldsoData, l.ldsoDataRes})
	a -= l.cacheHole << engine.PageShift
	var libcPages uint64
	for _, s := range l.libcSegs {
		libcPages += s.pages
	}
	libcStart := a - (libcPages+l.libcBss)<<engine.PageShift
	p.mm.libcBase = libcStart
	libc := e.libInode(l.libc, l.libcSize, l.libcHdr)
	a = libcStart
	for _, s := range l.libcSegs {
		v := loaderArea(a, s.pages, s.flags|maySegs, libc, s.off>>engine.PageShift, "")
		p.mm.insert(v)
		res = append(res, resident{v, s.res})
		a = v.end
	}
	bss := loaderArea(a, l.libcBss, segRW|maySegs, nil, 0, "")
	p.mm.insert(bss)
	tls := loaderArea(libcStart-l.tls<<engine.PageShift, l.tls, segRW|maySegs, nil, 0, "")
	p.mm.insert(tls)
	return append(res, resident{bss, l.libcBssRes}, resident{tls, l.tlsRes})
}

// resident is an area and the page ranges of it resident at main.
type resident struct {
	v     *vma
	pages [][2]uint64
}

// residentAtMain maps the pages ld.so and libc's start-up made present
// before main: a library's read-only and text pages from its page cache
// (as their faults mapped them), the pages it wrote (relocations, RELRO,
// .data, .bss, TLS) as private anonymous copies. No fault is told: they are the loader's, before the
// program runs.
func (e *Engine) residentAtMain(p *process, r resident) {
	v := r.v
	for _, rg := range r.pages {
		for i := rg[0]; i < rg[0]+rg[1]; i++ {
			page := v.start + i<<engine.PageShift
			if page >= v.end {
				return
			}
			// The PTE table first: making it may reclaim, which must not
			// meet a frame taken for this page and not mapped yet.
			if e.pteTable(p, page, true) == nil {
				return
			}
			pte := basePTE(v)
			switch {
			case v.file != nil && v.flags&vmAccount == 0:
				fi, err := e.loaderPage(p, v.file, v.pgoffAt(page))
				if err != 0 || !e.mapFilePage(p, v, page, fi, pfnOf(fi)<<engine.PageShift|pte) {
					return
				}
			default:
				// Written by the loader: a private copy of the file's
				// page, or a zeroed page of an anonymous area.
				src := int32(-1)
				if v.file != nil {
					var err engine.Errno
					if src, err = e.loaderPage(p, v.file, v.pgoffAt(page)); err != 0 {
						return
					}
					e.mem.f(src).ref++ // held while the copy is allocated
				}
				e.anonVMAPrepare(v)
				fi := e.newAnonFrame(p, v, page)
				if src >= 0 {
					e.mem.put(src)
				}
				if fi < 0 {
					return
				}
				if src >= 0 {
					e.mem.copyContents(fi, src)
				}
				pte |= pteDirty
				if v.flags&vmWrite != 0 {
					pte |= pteRW
				}
				if !e.setPTE(p, page, pfnOf(fi)<<engine.PageShift|pte) {
					e.mem.put(fi)
					return
				}
			}
		}
	}
}

// loaderPage is page idx of a library file as the loader left it cached:
// its contents from the file (the ELF headers: elfhdr.go) without a disk
// read told, since the page was in memory before the program ran.
func (e *Engine) loaderPage(p *process, ino *inode, idx uint64) (int32, engine.Errno) {
	_, cached := ino.cache[idx]
	fi, err := e.pageCacheGet(p, ino, idx, true)
	if err == 0 && !cached && idx<<engine.PageShift < ino.disk.len() {
		e.mem.setContents(fi, ino.disk.page(idx, &e.fs.pageBuf))
	}
	return fi, err
}
