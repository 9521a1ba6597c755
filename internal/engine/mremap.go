package engine

// CheckMremap makes mremap's checks of its arguments alone, before the
// kernel looks for the area at old (check_mremap_params in mm/mremap.c of
// Linux 6.18), and returns EINVAL when one fails, else 0. Both engines make
// them first, so a bad argument is EINVAL even where nothing is mapped at
// old (then the kernel's answer is EFAULT only once these pass). Checked
// natively on this project's machine: an unmapped old address with bad
// flags, MREMAP_FIXED without MREMAP_MAYMOVE, MREMAP_DONTUNMAP with two
// lengths, an unaligned new address, a new range overlapping the old one or
// past TASK_SIZE, or a new length of 0 or past TASK_SIZE is EINVAL.
func CheckMremap(old, oldLen, newLen uint64, flags int64, newAddr uint64) Errno {
	if flags&^(MREMAP_MAYMOVE|MREMAP_FIXED|MREMAP_DONTUNMAP) != 0 {
		return EINVAL
	}
	if old&PageMask != 0 {
		return EINVAL
	}
	oldLen = (oldLen + PageMask) &^ PageMask
	newLen = (newLen + PageMask) &^ PageMask
	if newLen == 0 || newLen > TaskSize {
		return EINVAL
	}
	if flags&(MREMAP_FIXED|MREMAP_DONTUNMAP) == 0 {
		return 0
	}
	if newAddr&PageMask != 0 || flags&MREMAP_MAYMOVE == 0 {
		return EINVAL
	}
	if flags&MREMAP_DONTUNMAP != 0 && oldLen != newLen {
		return EINVAL
	}
	if flags&MREMAP_FIXED != 0 {
		if newAddr > TaskSize-newLen {
			return EINVAL
		}
		if newAddr < old+oldLen && old < newAddr+newLen {
			return EINVAL
		}
	}
	return 0
}
