package sim

import (
	"encoding/binary"

	"github.com/mmapplayground/playground/internal/engine"
)

// The clocks' resolutions, analogous to kernel/time/posix-timers.c's
// clock_getres and posix-cpu-timers.c's posix_cpu_clock_getres, as this
// machine's kernel answers (CONFIG_HZ=250, high-resolution timers, no
// RTC alarm device):
//
//	clock                                            resolution   errno
//	REALTIME, MONOTONIC, PROCESS_CPUTIME_ID,         1 ns
//	  THREAD_CPUTIME_ID, MONOTONIC_RAW, BOOTTIME, TAI
//	REALTIME_COARSE, MONOTONIC_COARSE                4 ms (a tick)
//	REALTIME_ALARM, BOOTTIME_ALARM (no RTC), 10, 12+                  EINVAL
//	a CPU clock (negative id): CPUCLOCK_SCHED        1 ns
//	  CPUCLOCK_PROF or CPUCLOCK_VIRT                 4 ms
//	  the type 3, or no such process or thread                     EINVAL
//	res not writable                                              EFAULT
//
// A valid clock with res NULL is 0.
func (e *Engine) sysClockGetres(p *process, clock int64, res uint64) (int64, engine.Errno) {
	const (
		tickNsec = 1e9 / engine.ConfigHZ
		// The CPU clocks' ids (<linux/posix-timers.h>): ~pid << 3, the
		// per-thread bit, the clock type in the low two bits.
		cpuClockPerThread = 4
		cpuClockSched     = 2
		cpuClockMax       = 3
	)
	var ns uint64
	switch {
	case clock < 0:
		typ := clock & 3
		if typ >= cpuClockMax {
			return -1, engine.EINVAL
		}
		// The pid 0 is the caller; the model's processes have one thread
		// each, a thread's id its process's.
		if pid := int(^(clock >> 3)); pid != 0 {
			t := e.proc(pid)
			if t == nil || t.reaped || clock&cpuClockPerThread != 0 && t != p {
				return -1, engine.EINVAL
			}
		}
		ns = tickNsec
		if typ == cpuClockSched {
			ns = 1
		}
	case clock == engine.CLOCK_REALTIME_COARSE || clock == engine.CLOCK_MONOTONIC_COARSE:
		ns = tickNsec
	case clock <= engine.CLOCK_BOOTTIME || clock == engine.CLOCK_TAI:
		ns = 1
	default:
		return -1, engine.EINVAL
	}
	if res == 0 {
		return 0, 0
	}
	var b [16]byte
	binary.LittleEndian.PutUint64(b[8:], ns)
	if err := e.copyToUser(p, res, b[:], nil); err != 0 {
		return -1, err
	}
	return 0, 0
}
