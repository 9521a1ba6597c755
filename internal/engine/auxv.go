package engine

import (
	"encoding/binary"
	"sync"
)

// MinSigStkSz is the model's AT_MINSIGSTKSZ, and the size of the signal
// frame it puts on a handler's stack. The frame's XSAVE area is the CPU's,
// so the kernel's answer is the machine's: 3376 bytes with AVX2, 11952
// with AVX-512 and AMX. On x86-64 Linux it is the host's own (read from
// /proc/self/auxv once), so that a program prints what its native build
// prints on the same machine; elsewhere, and where the host does not say,
// DefaultMinSigStkSz. It is read at the first call, not at start-up,
// which every process of the binary (the real engine's worker and
// launcher among them) would pay for.
var MinSigStkSz = sync.OnceValue(hostMinSigStkSz)

// auxvValue is the value of entry typ in an auxiliary vector as
// /proc/PID/auxv holds it: 64-bit little-endian words, type then value,
// ended by AT_NULL.
func auxvValue(b []byte, typ uint64) (uint64, bool) {
	for ; len(b) >= 16; b = b[16:] {
		t, v := binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint64(b[8:])
		if t == 0 {
			break
		}
		if t == typ {
			return v, true
		}
	}
	return 0, false
}
