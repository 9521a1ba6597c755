package sim

import "github.com/mmapplayground/playground/internal/engine"

// The vDSO's data pages, analogous to lib/vdso/datastore.c's vvar_fault
// and arch/x86/entry/vdso/vma.c's vvar_vclock_fault: [vvar] and
// [vvar_vclock] are VM_PFNMAP special mappings whose pages the kernel
// inserts (vmf_insert_pfn) when a process first touches them, each only if
// the kernel has what it holds. On this machine's kernel (a native read of
// every page):
//
//	area           page  holds                         a read
//	[vvar]         0     vdso_k_time_data (the clocks)  reaches it
//	[vvar]         1     the time namespace's page      SIGBUS / EFAULT (no time namespace)
//	[vvar]         2     vdso_k_rng_data (getrandom)    reaches it: generation, is_ready = 1
//	[vvar]         3     the arch's pages               SIGBUS / EFAULT
//	[vvar_vclock]  0     the kvm-clock's pvclock page   reaches it (a KVM guest)
//	[vvar_vclock]  1     Hyper-V's TSC page             SIGBUS / EFAULT
//
// The model's vDSO reads its clock from the engine, not from these bytes,
// so the clock pages are zeros; the random generator's page says it is
// ready, as vdso_k_rng_data does once the kernel's pool is seeded.

// vvarPages say which data pages the kernel maps, by index: [vvar]'s
// pages, then [vvar_vclock]'s (an area's pgoff is its page 0's index).
var vvarPages = [vdsoVV + vdsoVC]bool{0: true, 2: true, vdsoVV: true}

// vvarRNGPage is vdso_k_rng_data's page: struct vdso_rng_data's u64
// generation, then its u8 is_ready.
const vvarRNGPage = 2

// isVVar reports whether v is (part of) [vvar] or [vvar_vclock].
func (v *vma) isVVar() bool {
	return v.file == nil && v.flags&vmPFNMap != 0 && (v.name == "[vvar]" || v.name == "[vvar_vclock]")
}

// vvarFrame is the kernel's data page idx, made the first time any process
// needs it and kept (never freed, shared by every process).
func (e *Engine) vvarFrame(idx uint64) int32 {
	if fi := e.mem.vvar[idx]; fi != 0 {
		return fi
	}
	fi := e.allocFrame(useDevice)
	if fi < 0 {
		return -1
	}
	e.mem.f(fi).ref = 1
	if idx == vvarRNGPage {
		e.mem.setContents(fi, le(uint64(1), uint8(1)))
	}
	e.mem.vvar[idx] = fi
	return fi
}

var pathVVarFault = []string{"handle_mm_fault", "do_fault", "vvar_fault", "vmf_insert_pfn"}

// vvarFault is vvar_fault and vvar_vclock_fault: the page at the fault's
// offset in its area, inserted read-only as a special PTE (no struct page
// is counted), or VM_FAULT_SIGBUS for a page the kernel has not.
func (e *Engine) vvarFault(vmf *vmFault) *engine.Signal {
	p, v := vmf.p, vmf.v
	page := vmf.addr &^ engine.PageMask
	idx := v.pgoffAt(page)
	if idx >= uint64(len(vvarPages)) || !vvarPages[idx] {
		return e.faultSignal(vmf, kindSigbus, pathPfnSigbus,
			&engine.Signal{Signo: engine.SIGBUS, Code: engine.BUS_ADRERR, Addr: vmf.addr})
	}
	fi := e.vvarFrame(idx)
	if fi < 0 {
		return e.oom(p, vmf.addr)
	}
	pte := pfnOf(fi)<<engine.PageShift | basePTE(v) | pteSpecial
	if !e.setPTE(p, page, pte) {
		return e.oom(p, vmf.addr)
	}
	e.faultDone(vmf, kindFileMinor, false, pfnOf(fi), pte, pathVVarFault)
	return nil
}
