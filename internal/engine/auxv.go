package engine

import "encoding/binary"

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
