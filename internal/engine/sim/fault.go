package sim

import (
	"math/bits"

	"github.com/mmapplayground/playground/internal/engine"
)

// The page-fault handler, analogous to mm/memory.c's handle_mm_fault and
// the paths below it. Load and Store are the MMU: they walk the page
// table (or hit the software TLB) and fault when the PTE does not allow
// the access.

// Fault kinds, as engine.FaultKind names them.
const (
	kindAnonZero    = engine.FaultAnonZero
	kindAnon        = engine.FaultAnon
	kindFileMinor   = engine.FaultFileMinor
	kindFileMajor   = engine.FaultFileMajor
	kindCOW         = engine.FaultCOW
	kindSharedWrite = engine.FaultSharedWrite
	kindSwap        = engine.FaultSwap
	kindWPReuse     = engine.FaultWPReuse
	kindMapErr      = engine.FaultMapErr
	kindAccErr      = engine.FaultAccErr
	kindSigbus      = engine.FaultSigbus
	kindStack       = engine.FaultStack
)

// Kernel paths of faults, shared so a fault allocates nothing for them.
var (
	pathAnonZero   = []string{"handle_mm_fault", "do_anonymous_page"}
	pathAnon       = []string{"handle_mm_fault", "do_anonymous_page"}
	pathReadAround = []string{"handle_mm_fault", "do_read_fault", "do_fault_around", "filemap_map_pages"}
	pathRead       = []string{"handle_mm_fault", "do_read_fault", "__do_fault", "filemap_fault", "finish_fault"}
	pathReadRetry  = []string{"handle_mm_fault", "do_read_fault", "__do_fault", "filemap_fault", "VM_FAULT_RETRY", "do_fault_around", "filemap_map_pages"}
	pathCOW        = []string{"handle_mm_fault", "do_cow_fault", "__do_fault", "filemap_fault", "copy_user_highpage"}
	pathShared     = []string{"handle_mm_fault", "do_shared_fault", "__do_fault", "filemap_fault", "do_page_mkwrite"}
	pathWPShared   = []string{"handle_mm_fault", "do_wp_page", "wp_page_shared", "do_page_mkwrite"}
	pathWPCopy     = []string{"handle_mm_fault", "do_wp_page", "wp_page_copy"}
	pathWPZero     = []string{"handle_mm_fault", "do_wp_page", "wp_page_copy", "alloc_zeroed_user_highpage"}
	pathWPReuse    = []string{"handle_mm_fault", "do_wp_page", "wp_page_reuse"}
	pathSwap       = []string{"handle_mm_fault", "do_swap_page", "swap_read_folio"}
	pathShmem      = []string{"handle_mm_fault", "do_read_fault", "__do_fault", "shmem_fault"}
	pathShmemW     = []string{"handle_mm_fault", "do_shared_fault", "__do_fault", "shmem_fault"}
	pathMapErr     = []string{"exc_page_fault", "do_user_addr_fault", "bad_area_nosemaphore"}
	pathAccErr     = []string{"exc_page_fault", "do_user_addr_fault", "bad_area_access_error"}
	pathSigbus     = []string{"handle_mm_fault", "__do_fault", "filemap_fault", "VM_FAULT_SIGBUS"}
	pathPfnSigbus  = []string{"handle_mm_fault", "do_fault", "VM_FAULT_SIGBUS"}
	pathStack      = []string{"exc_page_fault", "do_user_addr_fault", "expand_stack"}
	pathStackFault = []string{"do_user_addr_fault", "expand_stack", "handle_mm_fault", "do_anonymous_page"}
)

// Load reads len(buf) bytes at addr as user-mode loads.
func (e *Engine) Load(pid int, addr uint64, buf []byte) error {
	p := e.proc(pid)
	if p == nil || p.mm == nil {
		return engine.ESRCH
	}
	return e.access(p, addr, buf, false, false)
}

// Store writes data at addr as user-mode stores.
func (e *Engine) Store(pid int, addr uint64, data []byte) error {
	p := e.proc(pid)
	if p == nil || p.mm == nil {
		return engine.ESRCH
	}
	err := e.access(p, addr, data, true, false)
	e.noteGrowth()
	return err
}

// access moves bytes between buf and user memory page by page. kernel
// marks copy_to_user/copy_from_user, whose failures become EFAULT.
func (e *Engine) access(p *process, addr uint64, buf []byte, write, kernel bool) error {
	_, err := e.accessN(p, addr, buf, write, kernel)
	return err
}

// accessN is access that also says how many bytes it moved before an
// error: what copy_to_user and copy_from_user report.
func (e *Engine) accessN(p *process, addr uint64, buf []byte, write, kernel bool) (int, error) {
	total := len(buf)
	mm := p.mm
	if mm == nil {
		return 0, engine.ESRCH
	}
	for len(buf) > 0 {
		if addr >= engine.TaskSize || addr+uint64(len(buf)) < addr {
			return total - len(buf), kernelAddrFault(addr, write, false)
		}
		vpn := addr >> engine.PageShift
		off := int(addr & engine.PageMask)
		n := min(engine.PageSize-off, len(buf))
		var fi int32
		if mm.tlb.vpn == vpn && mm.tlb.gen == e.tlbGen && (!write || mm.tlb.write) {
			fi = mm.tlb.frame
		} else {
			var sig *engine.Signal
			fi, sig = e.translate(p, addr, write, kernel)
			if sig == sigFaultWait {
				return total - len(buf), engine.ErrFaultWait
			}
			if sig != nil {
				return total - len(buf), sig
			}
		}
		f := e.mem.f(fi)
		if write {
			e.mem.write(f, off, buf[:n])
		} else {
			e.mem.read(f, off, buf[:n])
		}
		buf = buf[n:]
		addr += uint64(n)
	}
	return total, nil
}

// translate is the MMU's walk for one access, faulting as needed; it
// returns the frame and fills the software TLB. uaccess marks the kernel's
// own access to user memory (copy_to_user, copy_from_user).
func (e *Engine) translate(p *process, addr uint64, write, uaccess bool) (int32, *engine.Signal) {
	mm := p.mm
	for try := 0; ; try++ {
		pp := e.pteOf(p, addr)
		if pp == nil {
			// No PTE table: perhaps a huge PMD maps the page.
			if pm := e.pmdEntry(p, addr); pm != nil && isHugePMD(*pm) {
				pp = pm
			}
		}
		if pp != nil {
			pte := *pp
			if pte&pmdHuge != 0 && pte&ptePresent != 0 {
				pte = hugeSubPTE(pte, addr)
			}
			if pte&ptePresent != 0 && pte&pteUser != 0 && (!write || pte&pteRW != 0) {
				// The hardware sets accessed and dirty itself (on a huge
				// PMD's entry, for all of its 2 MiB).
				if write && pte&pteDirty == 0 {
					*pp |= pteDirty | pteAccessed | pteSoftDirty
				} else if pte&pteAccessed == 0 {
					*pp |= pteAccessed
				}
				fi := idxOf(ptePFN(pte))
				// The TLB caches write permission only once the PTE is
				// dirty, as the hardware does: the first store through a
				// clean writable PTE must still set its dirty bit (after
				// MADV_FREE, or a page mapped writable but clean).
				mm.tlb.vpn, mm.tlb.gen, mm.tlb.frame = addr>>engine.PageShift, e.tlbGen, fi
				mm.tlb.write = pte&pteRW != 0 && (write || pte&pteDirty != 0)
				return fi, nil
			}
		}
		if try > 2 {
			// A fault that could not make the page accessible: no memory.
			return 0, &engine.Signal{Signo: engine.SIGBUS, Code: engine.BUS_ADRERR, Addr: addr}
		}
		access := "read"
		if write {
			access = "write"
		}
		if sig := e.handleMMFault(p, addr, access, uaccess, hwPresent(pp, addr)); sig != nil {
			return 0, sig
		}
	}
}

// hwPresent reports whether the CPU finds the PTE (or huge PMD) at pp
// present: a page fault's X86_PF_PROT. The model's PROT_NONE entries are
// present without the user bit; Linux's (_PAGE_PROTNONE) are not present
// to the CPU, so that a fault on one has no PROT.
func hwPresent(pp *uint64, addr uint64) bool {
	if pp == nil {
		return false
	}
	pte := *pp
	if pte&pmdHuge != 0 && pte&ptePresent != 0 {
		pte = hugeSubPTE(pte, addr)
	}
	return pte&ptePresent != 0 && pte&pteUser != 0
}

// kernelAddrFault is a user access to an address past user space: a
// page fault at a kernel address (the vsyscall page's among them),
// SEGV_MAPERR with X86_PF_PROT as sanitize_error_code makes it, or for an
// address that is not canonical (bits 47 to 63 not all the same) a general
// protection fault, SIGSEGV with SI_KERNEL and no address
// (gp_user_force_sig_segv).
func kernelAddrFault(addr uint64, write, instr bool) *engine.Signal {
	if addr>>47 != 0 && addr>>47 != 1<<17-1 {
		return &engine.Signal{Signo: engine.SIGSEGV, Code: engine.SI_KERNEL, Trap: true, TrapNr: engine.X86_TRAP_GP}
	}
	ec := uint64(engine.X86_PF_USER | engine.X86_PF_PROT)
	if write {
		ec |= engine.X86_PF_WRITE
	}
	if instr {
		ec |= engine.X86_PF_INSTR
	}
	return &engine.Signal{Signo: engine.SIGSEGV, Code: engine.SEGV_MAPERR, Addr: addr,
		Trap: true, TrapNr: engine.X86_TRAP_PF, ErrorCode: ec}
}

// fetch is the CPU's fetch of an instruction at addr for a call there
// (the model runs no machine code: only where it lands matters). A PTE
// missing or no-exec faults with X86_PF_INSTR; as access_error checks no
// VM_EXEC, a missing page of an area the process may read is mapped as
// for a read, and the fetch faults again on its present, no-exec PTE
// (SEGV_ACCERR with PROT). nil: the page is mapped executable.
func (e *Engine) fetch(p *process, addr uint64) *engine.Signal {
	if addr >= engine.TaskSize {
		return kernelAddrFault(addr, false, true)
	}
	for try := 0; ; try++ {
		pp := e.pteOf(p, addr)
		if pp == nil {
			if pm := e.pmdEntry(p, addr); pm != nil && isHugePMD(*pm) {
				pp = pm
			}
		}
		present := hwPresent(pp, addr)
		if present && *pp&pteNX == 0 {
			return nil
		}
		if try > 2 {
			return &engine.Signal{Signo: engine.SIGBUS, Code: engine.BUS_ADRERR, Addr: addr}
		}
		if sig := e.handleMMFault(p, addr, "exec", false, present); sig != nil {
			return sig
		}
	}
}

// faultDone counts a fault and tells it: the frame it mapped (pfn) rides on
// the event, so no separate frame or pte event is needed; the PTE's bits
// are for Walk and Pages to show (docs/events.md lists no bits here).
func (e *Engine) faultDone(vmf *vmFault, kind engine.FaultKind, major bool, pfn uint64, pte uint64, path []string) {
	if major {
		e.cnt.MajorFaults++
	} else {
		e.cnt.MinorFaults++
		e.clock += costMinorFault
	}
	if e.sink != nil {
		ev := e.newEvent(engine.EvFault, vmf.p.pid)
		ev.Addr = vmf.addr
		ev.Access = "read"
		if vmf.write {
			ev.Access = "write"
		}
		ev.Kind = kind
		ev.Major = major
		ev.Result = "ok"
		ev.PFN = pfn
		ev.Path = path
		if vmf.grewStack {
			ev.Kind = kindStack
			ev.Path = pathStackFault
		}
		if vmf.around > 1 {
			ev.Pages = vmf.around
		}
		e.emit(ev)
	}
}

func (e *Engine) faultSignal(vmf *vmFault, kind engine.FaultKind, path []string, sig *engine.Signal) *engine.Signal {
	if e.sink != nil {
		ev := e.newEvent(engine.EvFault, vmf.p.pid)
		ev.Addr = vmf.addr
		ev.Access = vmf.access
		ev.Kind = kind
		if vmf.uaccess {
			// In copy_to_user/copy_from_user the exception table turns the
			// fault into the call's EFAULT: no signal.
			ev.Result = "EFAULT"
			ev.Path = append(append([]string(nil), path...), "fixup_exception")
		} else {
			// The thread's trap_nr, error_code and cr2, for the frame.
			sig.Trap, sig.TrapNr, sig.ErrorCode = true, engine.X86_TRAP_PF, vmf.errorCode()
			ev.Result = engine.SignalName(sig.Signo)
			ev.Signal = ev.Result
			ev.Code = sig.CodeName()
			ev.Path = path
		}
		e.emit(ev)
	}
	return sig
}

// basePTE is the PTE bits of a page mapped in v (vm_get_page_prot): user,
// accessed, soft-dirty, and no-exec unless the area is executable.
func basePTE(v *vma) uint64 {
	b := ptePresent | pteUser | pteAccessed | pteSoftDirty
	if v.flags&vmExec == 0 {
		b |= pteNX
	}
	if v.flags&(vmRead|vmWrite|vmExec) == 0 {
		b &^= pteUser // PROT_NONE
	}
	return b
}

// vmFault is one page fault as its handlers see it, analogous to Linux's
// struct vm_fault: what faulted, how, and what the handling found on the
// way that the fault event tells. It lives for one handleMMFault.
type vmFault struct {
	p      *process
	v      *vma
	addr   uint64
	access string // "read", "write", "exec"
	write  bool
	// uaccess: the kernel's own copy_to_user or copy_from_user faulted; a
	// failure is the call's EFAULT (the exception table), not a signal.
	uaccess bool
	// grewStack: the fault expanded [stack] first (told as kind "stack").
	grewStack bool
	// around is how many pages fault-around mapped, the faulting one among
	// them.
	around int
	// present: the CPU found the PTE present (X86_PF_PROT).
	present bool
}

// errorCode is the fault's error code as do_user_addr_fault has it.
func (vmf *vmFault) errorCode() uint64 {
	ec := uint64(engine.X86_PF_USER)
	if vmf.present {
		ec |= engine.X86_PF_PROT
	}
	switch vmf.access {
	case "write":
		ec |= engine.X86_PF_WRITE
	case "exec":
		ec |= engine.X86_PF_INSTR
	}
	return ec
}

// handleMMFault is do_user_addr_fault and handle_mm_fault: find the area,
// check the access, and resolve the PTE. uaccess marks a fault of the
// kernel's own access to user memory; present, a fault on a PTE the CPU
// found present (a protection fault).
func (e *Engine) handleMMFault(p *process, addr uint64, access string, uaccess, present bool) *engine.Signal {
	mm := p.mm
	vmf := &vmFault{p: p, addr: addr, access: access, write: access == "write", uaccess: uaccess, present: present}
	write := vmf.write
	v := mm.findVMA(addr)
	if v == nil || v.start > addr {
		if v != nil && v.flags&vmGrowsDown != 0 && v.end-(addr&^engine.PageMask) <= e.opts.StackLimit && e.expandStack(p, v, addr) {
			// Grown; the fault goes on below and is told as kind "stack".
			vmf.grewStack = true
		} else {
			return e.faultSignal(vmf, kindMapErr, pathMapErr,
				&engine.Signal{Signo: engine.SIGSEGV, Code: engine.SEGV_MAPERR, Addr: addr})
		}
	}
	vmf.v = v
	// access_error: a fetch is a read to it (VM_EXEC is not checked),
	// which fails on a present PTE (one that is no-exec).
	if (write && v.flags&vmWrite == 0) || (access == "exec" && present) ||
		(!write && v.flags&(vmRead|vmWrite|vmExec) == 0) {
		return e.faultSignal(vmf, kindAccErr, pathAccErr,
			&engine.Signal{Signo: engine.SIGSEGV, Code: engine.SEGV_ACCERR, Addr: addr})
	}
	e.advance(0)
	page := addr &^ engine.PageMask
	if v.uffd != nil && !uaccess && v.uffd.uffd.sleeping(page) {
		return sigFaultWait // still asleep in handle_userfault
	}
	if sig, done := e.doHugePMDFault(vmf); done {
		return sig
	}
	// The page tables first (__pte_alloc), so no allocation below them can
	// reclaim the page being faulted in.
	if e.pteTable(p, page, true) == nil {
		return e.oom(p, addr)
	}
	pp := e.pteOf(p, page)
	var pte uint64
	if pp != nil {
		pte = *pp
	}
	if pte != 0 && pteUffdWPOf(pte) && pte&ptePresent == 0 {
		// A marker or a write-protected swap entry: the page it gives
		// keeps uffd-wp (do_pte_missing's and do_swap_page's
		// pte_mkuffd_wp), so that a write faults again, for the handler.
		if isPTEMarker(pte) && !v.userfaultfdWP() {
			e.setPTE(p, page, 0) // pte_marker_clear: a leftover of an unregistered range
			return nil
		}
		sig := e.doPTEMissing(vmf, pte)
		if sig == nil {
			if np := e.pteOf(p, page); np != nil && *np&ptePresent != 0 {
				*np = (*np | pteUffdWP) &^ pteRW
				e.tlbGen++
			}
		}
		return sig
	}
	switch {
	case pte == 0:
		if v.isVVar() {
			return e.vvarFault(vmf)
		}
		if v.flags&vmPFNMap != 0 {
			return e.faultSignal(vmf, kindSigbus, pathPfnSigbus,
				&engine.Signal{Signo: engine.SIGBUS, Code: engine.BUS_ADRERR, Addr: addr})
		}
		if v.isVDSO() {
			return e.specialMappingFault(vmf)
		}
		if v.isAnon() {
			return e.doAnonymousPage(vmf)
		}
		return e.doFault(vmf)
	case pte&pteSwap != 0:
		return e.doSwapPage(vmf, pte)
	case pte&pteUser == 0:
		// A PROT_NONE PTE after mprotect gave access back.
		*pp = pte | pteUser
		e.tlbGen++
		return nil
	case write && pte&pteRW == 0:
		if userfaultfdPTEWP(v, pte) {
			if !v.userfaultfdWPAsync() {
				return e.handleUserfault(vmf, vmUffdWP)
			}
			// WP_ASYNC: the bit is cleared and the write goes on, as if
			// the page had not been write-protected (do_wp_page).
			pte &^= pteUffdWP
			*pp = pte
		}
		return e.doWPPage(vmf, pte)
	}
	return nil
}

// doPTEMissing is do_pte_missing for an entry that is not empty but has no
// page (a marker; a swap entry goes to do_swap_page).
func (e *Engine) doPTEMissing(vmf *vmFault, pte uint64) *engine.Signal {
	if pte&pteSwap != 0 {
		return e.doSwapPage(vmf, pte)
	}
	if vmf.v.vmaIsAnonymous() {
		return e.doAnonymousPage(vmf)
	}
	return e.doFault(vmf)
}

// expandStack grows a VM_GROWSDOWN area down to addr (expand_downwards);
// the caller has checked RLIMIT_STACK (acct_stack_growth), and the gap
// below must stay stack_guard_gap wide.
func (e *Engine) expandStack(p *process, v *vma, addr uint64) bool {
	page := addr &^ engine.PageMask
	i := p.mm.vmaIndex(v.start)
	if i > 0 && p.mm.vmas[i-1].end > page-min(page, stackGuardGap) {
		return false
	}
	old := e.snapVMA(p, v)
	v.start = page
	v.pgoff = page >> engine.PageShift
	if e.sink != nil {
		ev := e.newEvent(engine.EvVMA, p.pid)
		ev.Op, ev.Why, ev.VMA, ev.Old, ev.Path = "change", "stack", e.vmaPtr(p, v), old, pathStack
		e.emit(ev)
	}
	return true
}

func (e *Engine) anonVMAPrepare(v *vma) {
	if v.anon == 0 {
		e.anonVMAs++
		v.anon = e.anonVMAs
	}
}

// newAnonFrame allocates an anonymous frame for page of v.
func (e *Engine) newAnonFrame(p *process, v *vma, page uint64) int32 {
	fi := e.allocFrame(useAnon)
	if fi < 0 {
		return -1
	}
	f := e.mem.f(fi)
	f.ref, f.mapcnt = 1, 1
	f.index = v.pgoffAt(page)
	if v.flags&vmLocked != 0 {
		f.flags |= pgMlocked
	}
	e.mem.lruAdd(fi)
	return fi
}

func (e *Engine) oom(p *process, addr uint64) *engine.Signal {
	if e.sink != nil {
		ev := e.newEvent(engine.EvNote, p.pid)
		ev.Message = "out of memory: the simulated RAM and swap are full"
		e.emit(ev)
	}
	return &engine.Signal{Signo: engine.SIGKILL, Addr: addr}
}

// doAnonymousPage maps the zero page on a read and a new zeroed frame on a
// write (do_anonymous_page).
func (e *Engine) doAnonymousPage(vmf *vmFault) *engine.Signal {
	p, v, addr, write := vmf.p, vmf.v, vmf.addr, vmf.write
	if v.flags&vmUffdMissing != 0 {
		return e.handleUserfault(vmf, vmUffdMissing)
	}
	page := addr &^ engine.PageMask
	if !write && !e.opts.NoZeroPage {
		pte := pfnOf(e.mem.zero)<<engine.PageShift | basePTE(v) | pteSpecial
		if !e.setPTE(p, page, pte) {
			return e.oom(p, addr)
		}
		e.cnt.ZeroPageMaps++
		e.faultDone(vmf, kindAnonZero, false, pfnOf(e.mem.zero), pte, pathAnonZero)
		return nil
	}
	e.anonVMAPrepare(v)
	fi := e.newAnonFrame(p, v, page)
	if fi < 0 {
		return e.oom(p, addr)
	}
	pte := pfnOf(fi)<<engine.PageShift | basePTE(v) | pteRW | pteDirty
	if !e.setPTE(p, page, pte) {
		return e.oom(p, addr)
	}
	e.faultDone(vmf, kindAnon, false, pfnOf(fi), pte, pathAnon)
	return nil
}

// fileSize is the size a file fault checks against (i_size), for shmem the
// object's size.
func fileSize(ino *inode) uint64 { return ino.size }

func (e *Engine) sigbus(vmf *vmFault) *engine.Signal {
	return e.faultSignal(vmf, kindSigbus, pathSigbus,
		&engine.Signal{Signo: engine.SIGBUS, Code: engine.BUS_ADRERR, Addr: vmf.addr})
}

// mapFilePage installs a PTE for page-cache frame fi.
func (e *Engine) mapFilePage(p *process, v *vma, page uint64, fi int32, pte uint64) bool {
	if !e.setPTE(p, page, pte) {
		return false
	}
	f := e.mem.f(fi)
	f.ref++
	f.mapcnt++
	if v.flags&vmLocked != 0 {
		f.flags |= pgMlocked
	}
	return true
}

// doFault handles a missing PTE in a file area: do_read_fault (with
// fault-around), do_cow_fault or do_shared_fault.
func (e *Engine) doFault(vmf *vmFault) *engine.Signal {
	p, v, addr, write := vmf.p, vmf.v, vmf.addr, vmf.write
	page := addr &^ engine.PageMask
	ino := v.file
	idx := v.pgoffAt(page)
	shmem := ino.kind == kindShmem
	if idx >= pageAlign(fileSize(ino))>>engine.PageShift {
		return e.sigbus(vmf)
	}
	aroundOK := e.opts.FaultAround > 1 && v.flags&(vmUffdWP|vmUffdMinor) == 0 // uffd_disable_fault_around
	if !write {
		// do_read_fault: map what is cached around the page first.
		if aroundOK {
			fi, ok, n := e.faultAround(p, v, page)
			if ok {
				pte := *e.pteOf(p, page)
				e.mem.markAccessed(fi)
				vmf.around = n
				e.faultDone(vmf, kindFileMinor, false, pfnOf(fi), pte, pathReadAround)
				return nil
			}
		}
		if sig, ok := e.shmemUserfault(vmf, idx); ok {
			return sig
		}
		first, last := e.faultWindow(v, idx)
		fi, major, err := e.readPages(p, ino, idx, first, last)
		if err != 0 {
			return e.oom(p, addr)
		}
		e.mem.markAccessed(fi)
		if major && !shmem && aroundOK {
			// filemap_fault dropped mmap_lock for the read and answered
			// VM_FAULT_RETRY; the fault again maps what the read
			// brought in around the page (do_fault_around), the page
			// among them.
			if hit, ok, n := e.faultAround(p, v, page); ok && hit == fi {
				vmf.around = n
				e.faultDone(vmf, kindFileMajor, true, pfnOf(fi), *e.pteOf(p, page), pathReadRetry)
				return nil
			}
		}
		pte := pfnOf(fi)<<engine.PageShift | basePTE(v)
		if shmem && v.flags&vmShared != 0 && v.flags&vmWrite != 0 {
			pte |= pteRW // shmem needs no write notification
		}
		if !e.mapFilePage(p, v, page, fi, pte) {
			return e.oom(p, addr)
		}
		kind, path := kindFileMinor, pathRead
		if major {
			kind = kindFileMajor
		}
		if shmem {
			path = pathShmem
			if major {
				kind = kindSwap // shmem's page came back from swap
			}
		}
		e.faultDone(vmf, kind, major, pfnOf(fi), pte, path)
		return nil
	}
	if sig, ok := e.shmemUserfault(vmf, idx); ok {
		return sig
	}
	first, last := e.faultWindow(v, idx)
	fi, major, err := e.readPages(p, ino, idx, first, last)
	if err != 0 {
		return e.oom(p, addr)
	}
	e.mem.markAccessed(fi)
	if v.flags&vmShared == 0 {
		// do_cow_fault: a private copy of the file's page, held while the
		// copy is allocated.
		e.anonVMAPrepare(v)
		e.mem.f(fi).ref++
		ni := e.newAnonFrame(p, v, page)
		e.mem.put(fi)
		if ni < 0 {
			return e.oom(p, addr)
		}
		e.mem.copyContents(ni, fi)
		pte := pfnOf(ni)<<engine.PageShift | basePTE(v) | pteRW | pteDirty
		if !e.setPTE(p, page, pte) {
			return e.oom(p, addr)
		}
		e.cnt.COWFaults++
		e.faultDone(vmf, kindCOW, major, pfnOf(ni), pte, pathCOW)
		return nil
	}
	// do_shared_fault: the page itself, made dirty for writeback.
	pte := pfnOf(fi)<<engine.PageShift | basePTE(v) | pteRW | pteDirty
	if !e.mapFilePage(p, v, page, fi, pte) {
		return e.oom(p, addr)
	}
	e.setPageDirty(p, ino, fi)
	path := pathShared
	if shmem {
		path = pathShmemW
	}
	kind := kindSharedWrite
	e.faultDone(vmf, kind, major, pfnOf(fi), pte, path)
	return nil
}

// shmemUserfault is shmem_get_folio_gfp's hand-over to a userfaultfd
// (shmem_fault): page idx in the cache (or swapped out) of an area
// registered MINOR is a minor fault for the handler, and no page at all,
// of an area registered MISSING, a missing one. It reports whether the
// handler took the fault.
func (e *Engine) shmemUserfault(vmf *vmFault, idx uint64) (*engine.Signal, bool) {
	v := vmf.v
	if v.uffd == nil || v.file.kind != kindShmem {
		return nil, false
	}
	_, cached := v.file.cache[idx]
	_, swapped := v.file.swapped[idx]
	switch {
	case (cached || swapped) && v.flags&vmUffdMinor != 0:
		return e.handleUserfault(vmf, vmUffdMinor), true
	case !cached && !swapped && v.flags&vmUffdMissing != 0:
		return e.handleUserfault(vmf, vmUffdMissing), true
	}
	return nil, false
}

// faultAround is do_fault_around and filemap_map_pages: map read-only the
// pages of the fault_around window (aligned on the virtual address, within
// the area, the PTE table and the file) that are already in the page cache
// and not yet mapped, and each large folio the window touches whole when
// the folio lies within the area and the PTE table (as this machine's 6.18
// kernel does: a 1 MiB folio maps 256 pages on one fault). It reports
// whether the faulting page itself was among them.
//
// Linux's window is fault_around_bytes (64 KiB), a setting here
// (Options.FaultAround); the folios are the page cache's (folio.go).
func (e *Engine) faultAround(p *process, v *vma, page uint64) (int32, bool, int) {
	n := uint64(e.opts.FaultAround)
	size := n << engine.PageShift
	start := page &^ (size - 1)
	// Keep within the area and the PMD (one PTE table).
	pmd := page &^ (hpageSize - 1)
	start = max(start, v.start, pmd)
	end := min(start+size, v.end, pmd+hpageSize)
	// A folio that overlaps the window and does not fit in it holds the
	// window's first or last page: the window grows to it when it lies
	// within the area and the PTE table.
	lim0, lim1 := max(v.start, pmd), min(v.end, pmd+hpageSize)
	for _, a := range [2]uint64{start, end - engine.PageSize} {
		if lo, hi, ok := e.folioSpan(v, a); ok && lo >= lim0 && hi <= lim1 {
			start, end = min(start, lo), max(end, hi)
		}
	}
	ino := v.file
	lastIdx := pageAlign(fileSize(ino)) >> engine.PageShift
	var hit int32 = -1
	t := e.pteTable(p, page, true)
	if t == nil {
		return 0, false, 0
	}
	mapped := 0
	// The neighbours' PTEs written, as runs of consecutive pages: one pte
	// event per run covers exactly them (docs/events.md); the faulting
	// page is the fault event's.
	var runBuf [4][2]uint64
	runs := runBuf[:0]
	for a := start; a < end; a += engine.PageSize {
		idx := v.pgoffAt(a)
		if idx >= lastIdx {
			break
		}
		if t.get(ptIndex(a, lvlPTE)) != 0 {
			continue
		}
		fi, ok := ino.cache[idx]
		if !ok || e.mem.f(fi).flags&pgWriteback != 0 {
			continue
		}
		pte := pfnOf(fi)<<engine.PageShift | basePTE(v)
		if ino.kind == kindShmem && v.flags&(vmShared|vmWrite) == vmShared|vmWrite {
			pte |= pteRW // shmem needs no write notification
		}
		if a != page {
			pte &^= pteAccessed // filemap_map_pages maps neighbours old
		}
		e.mapFilePage(p, v, a, fi, pte)
		if a == page {
			hit = fi
			continue
		}
		mapped++
		if n := len(runs); n > 0 && runs[n-1][0]+runs[n-1][1]<<engine.PageShift == a {
			runs[n-1][1]++
		} else {
			runs = append(runs, [2]uint64{a, 1})
		}
	}
	if mapped > 0 && e.sink != nil {
		for _, r := range runs {
			ev := e.newEvent(engine.EvPTE, p.pid)
			ev.Op, ev.Why, ev.Addr, ev.Pages, ev.File = "set", "fault-around", r[0], int(r[1]), ino.name
			e.emit(ev)
		}
	}
	return hit, hit >= 0, mapped + 1
}

// doWPPage handles a write to a present, write-protected PTE (do_wp_page).
func (e *Engine) doWPPage(vmf *vmFault, pte uint64) *engine.Signal {
	p, v, addr := vmf.p, vmf.v, vmf.addr
	page := addr &^ engine.PageMask
	fi := idxOf(ptePFN(pte))
	f := e.mem.f(fi)
	if v.flags&vmShared != 0 {
		// wp_page_shared: tell the file system, dirty the page.
		npte := pte | pteRW | pteDirty | pteAccessed | pteSoftDirty
		e.setPTE(p, page, npte)
		if f.use == useFile {
			e.setPageDirty(p, e.fs.inodes[f.ino], fi)
		}
		e.faultDone(vmf, kindSharedWrite, false, pfnOf(fi), npte, pathWPShared)
		return nil
	}
	if f.use == useAnon && f.ref == 1 && f.mapcnt == 1 {
		// wp_page_reuse: the only user keeps its page.
		npte := pte | pteRW | pteDirty | pteAccessed | pteSoftDirty
		e.setPTE(p, page, npte)
		e.faultDone(vmf, kindWPReuse, false, pfnOf(fi), npte, pathWPReuse)
		return nil
	}
	// wp_page_copy: a private copy (of the zero page: a zeroed frame),
	// the old page held while the copy is allocated.
	e.anonVMAPrepare(v)
	f.ref++
	ni := e.newAnonFrame(p, v, page)
	e.mem.f(fi).ref--
	if ni < 0 {
		return e.oom(p, addr)
	}
	f = e.mem.f(fi)
	zero := f.use == useZero
	if !zero {
		e.mem.copyContents(ni, fi)
	}
	npte := pfnOf(ni)<<engine.PageShift | basePTE(v) | pteRW | pteDirty
	e.setPTE(p, page, npte)
	if !zero {
		f = e.mem.f(fi)
		f.mapcnt--
		e.mem.put(fi)
		e.cnt.COWFaults++
		e.faultDone(vmf, kindCOW, false, pfnOf(ni), npte, pathWPCopy)
		return nil
	}
	e.faultDone(vmf, kindAnon, false, pfnOf(ni), npte, pathWPZero)
	return nil
}

// doSwapPage reads a swapped-out page back (do_swap_page): a major fault.
func (e *Engine) doSwapPage(vmf *vmFault, pte uint64) *engine.Signal {
	p, v, addr, write := vmf.p, vmf.v, vmf.addr, vmf.write
	page := addr &^ engine.PageMask
	slot := swapSlotOf(pte)
	fi := e.newAnonFrame(p, v, page)
	if fi < 0 {
		return e.oom(p, addr)
	}
	s := &e.swap.slots[slot]
	f := e.mem.f(fi)
	exclusive := s.refs == 1
	if exclusive {
		// The last reference: the page takes the slot's contents over.
		f.mask, f.blk = s.mask, s.blk
		s.mask, s.blk = 0, -1
	} else if isUniform(s.mask, s.blk) {
		f.mask, f.blk = s.mask, s.blk
	} else if s.mask != 0 {
		k := classOf(bits.OnesCount64(s.mask))
		f.mask, f.blk = s.mask, e.mem.store.alloc(k)
		copy(e.mem.store.block(k, f.blk), e.mem.data(s.mask, s.blk))
	}
	e.swapPut(slot)
	npte := pfnOf(fi)<<engine.PageShift | basePTE(v)
	if exclusive && v.flags&vmWrite != 0 && write {
		npte |= pteRW | pteDirty
	}
	e.setPTE(p, page, npte)
	e.cnt.SwapIns++
	e.cnt.DiskReads++
	e.advance(costDiskRead)
	if e.sink != nil {
		ev := e.newEvent(engine.EvDisk, p.pid)
		ev.Op, ev.Why, ev.Addr, ev.PFN, ev.Index = "read", "swap", page, pfnOf(fi), uint64(slot)
		e.emit(ev)
	}
	e.faultDone(vmf, kindSwap, true, pfnOf(fi), npte, pathSwap)
	return nil
}
