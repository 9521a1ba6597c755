package engine

import "os"

// hostMinSigStkSz is this x86-64 host's AT_MINSIGSTKSZ, from the
// auxiliary vector the kernel gave this process (a kernel before 5.14
// gives none: then DefaultMinSigStkSz).
func hostMinSigStkSz() uint64 {
	b, err := os.ReadFile("/proc/self/auxv")
	if err != nil {
		return DefaultMinSigStkSz
	}
	if v, ok := auxvValue(b, AT_MINSIGSTKSZ); ok && v >= 2048 && v <= 1<<20 {
		return v
	}
	return DefaultMinSigStkSz
}
