package sim

// Transparent huge pages, analogous to mm/huge_memory.c: the
// transparent_hugepage/enabled setting (Options.THP) and which areas may
// take a PMD-sized page.

// hpageSize is HPAGE_PMD_SIZE: one PMD entry maps 2 MiB.
const hpageSize = 1 << 21

// thpModes are the values of transparent_hugepage/enabled, in the order
// the file lists them.
var thpModes = []string{"always", "madvise", "never"}

// thpEligible is thp_vma_allowable_order(v, PMD_ORDER) as smaps asks it
// (TVA_SMAPS | TVA_ENFORCE_SYSFS): an anonymous private area that the
// setting allows (always, or madvise and VM_HUGEPAGE), not
// VM_NOHUGEPAGE, holding at least one 2 MiB-aligned range.
func (e *Engine) thpEligible(v *vma) bool {
	if v.file != nil || v.flags&(vmNoHugePage|vmSpecial) != 0 {
		return false
	}
	switch e.opts.THP {
	case "always":
	case "madvise":
		if v.flags&vmHugePage == 0 {
			return false
		}
	default:
		return false
	}
	h := (v.start + hpageSize - 1) &^ (hpageSize - 1)
	return h >= v.start && h+hpageSize <= v.end
}

// showTHPEnabled is enabled_show: the modes, the one in force bracketed.
func showTHPEnabled(e *Engine, _, _ *process) string {
	b := make([]byte, 0, 32)
	for i, m := range thpModes {
		if i > 0 {
			b = append(b, ' ')
		}
		if m == e.opts.THP {
			b = append(append(append(b, '['), m...), ']')
		} else {
			b = append(b, m...)
		}
	}
	return string(append(b, '\n'))
}

// showTHPDefrag is defrag_show with the kernel's default, which the model
// has no setting for (it never compacts).
func showTHPDefrag(*Engine, *process, *process) string {
	return "always defer defer+madvise [madvise] never\n"
}
