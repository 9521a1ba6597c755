package sim

import (
	"github.com/mmapplayground/playground/internal/engine"
)

// mseal(2), analogous to mm/mseal.c (Linux 6.10+): a sealed area
// (VM_SEALED, smaps' "sl") can no longer be unmapped, moved, resized,
// remapped over or have its protection changed, and its pages cannot be
// discarded while it is private anonymous memory the user cannot write.
// Each of those calls asks canModifyVMA where the kernel asks
// can_modify_vma:
//
//	call                        where the check is              errno
//	mprotect, pkey_mprotect     mprotect_fixup, area by area    EPERM (the areas before it changed)
//	munmap, mmap MAP_FIXED,     vms_gather_munmap_vmas, before  EPERM (nothing unmapped)
//	  mremap's destination      anything is unmapped
//	mremap                      check_prep_vma, the source      EPERM
//	madvise (discarding advice  madvise_vma_behavior, area by   EPERM
//	  on read-only private      area
//	  anonymous memory)
//
// A seal lasts as long as the area: it is copied at fork and never lifted.

// sysMseal is do_mseal, its checks in the kernel's order:
//
//	check                                      errno
//	flags not 0                                EINVAL
//	start not page-aligned                     EINVAL
//	start + len (page-aligned) wraps           EINVAL
//	len 0                                      0 (nothing sealed)
//	a hole anywhere in [start, end)            ENOMEM (nothing sealed)
func (e *Engine) sysMseal(p *process, start, length uint64, flags int64, path *[]string) (int64, engine.Errno) {
	*path = append(*path, "do_mseal")
	if flags != 0 {
		return -1, engine.EINVAL
	}
	if start&engine.PageMask != 0 {
		return -1, engine.EINVAL
	}
	end := start + pageAlign(length)
	if end < start || pageAlign(length) < length {
		return -1, engine.EINVAL
	}
	if end == start {
		return 0, 0
	}
	mm := p.mm
	*path = append(*path, "range_contains_unmapped")
	for a := start; a < end; {
		v := mm.findVMA(a)
		if v == nil || v.start > a {
			return -1, engine.ENOMEM
		}
		a = v.end
	}
	*path = append(*path, "mseal_apply")
	for a := start; a < end; {
		v := mm.findVMA(a)
		t := min(v.end, end)
		if v.flags&vmSealed == 0 {
			e.modifyFlags(p, v, a, t, v.flags|vmSealed, "mseal", path)
		}
		a = t
	}
	return 0, 0
}

// canModifyVMA is can_modify_vma: an area may change unless sealed.
func canModifyVMA(v *vma) bool { return v.flags&vmSealed == 0 }

// canMadviseModify is can_madvise_modify: on a sealed area, advice that
// discards pages is refused where the discarded contents could not be
// written back by the user: private anonymous memory without VM_WRITE.
func canMadviseModify(v *vma, advice int64) bool {
	if canModifyVMA(v) {
		return true
	}
	switch advice {
	case engine.MADV_FREE, engine.MADV_DONTNEED, engine.MADV_REMOVE, engine.MADV_DONTFORK, engine.MADV_WIPEONFORK:
	default:
		return true
	}
	return v.file != nil || v.zeroFile != nil || v.flags&(vmShared|vmWrite) != 0
}
