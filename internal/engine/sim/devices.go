package sim

import (
	"github.com/mmapplayground/playground/internal/engine"
)

// Devices: /dev/zero (mmap_zero: anonymous memory, or shmem when shared),
// /dev/null, and seed 000's /dev/demo_dev, a character device with a 4 KiB
// buffer (kmalloc'd at open in the seed) whose mmap handler is:
//
//	vma->vm_flags |= VM_IO;
//	remap_pfn_range(vma, vma->vm_start, virt_to_phys(buf)>>PAGE_SHIFT,
//	                vma->vm_end - vma->vm_start, vma->vm_page_prot);
//
// remap_pfn_range sets VM_IO|VM_PFNMAP|VM_DONTEXPAND|VM_DONTDUMP and fills
// every PTE at once, so an access never faults; a mapping larger than the
// buffer is refused with EINVAL by the driver.

// demoBufSize is demo_dev's buffer.
const demoBufSize = engine.PageSize

// demoMmapCheck is the driver's size check, made before anything is linked.
func (e *Engine) demoMmapCheck(v *vma) engine.Errno {
	if v.pgoff<<engine.PageShift+(v.end-v.start) > demoBufSize {
		return engine.EINVAL
	}
	return 0
}

// demoMmap is demo_dev_mmap: remap_pfn_range over the whole area.
func (e *Engine) demoMmap(p *process, v *vma) {
	v.flags |= vmIO | vmPFNMap | vmDontExpand | vmDontDump
	bits := basePTE(v) | pteSpecial
	if v.flags&vmWrite != 0 {
		bits |= pteRW
	}
	pfn := pfnOf(e.mem.demo) + v.pgoff
	n := 0
	for a := v.start; a < v.end; a += engine.PageSize {
		e.setPTE(p, a, pfn<<engine.PageShift|bits)
		n++
		pfn++
	}
	if e.sink != nil {
		ev := e.newEvent(engine.EvPTE, p.pid)
		ev.Op, ev.Why, ev.Addr, ev.Pages, ev.PFN = "set", "remap_pfn_range", v.start, n, pfnOf(e.mem.demo)+v.pgoff
		ev.Bits = bitString(bits)
		e.emit(ev)
		ev = e.newEvent(engine.EvVMA, p.pid)
		ev.Op, ev.Why, ev.VMA = "change", "remap_pfn_range", e.vmaPtr(p, v)
		e.emit(ev)
	}
}
