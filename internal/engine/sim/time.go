package sim

import (
	"encoding/binary"

	"github.com/mmapplayground/playground/internal/engine"
)

// Clocks, analogous to kernel/time/posix-timers.c (clock_gettime,
// clock_getres), kernel/time/posix-cpu-timers.c (the CPU clocks),
// kernel/time/time.c (gettimeofday, time) and kernel/sys.c's getcpu, on
// the model's logical clock. The model boots at logical time 0:
// CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW and CLOCK_BOOTTIME are the logical
// clock (the model never suspends, so offs_boot is 0). CLOCK_REALTIME is
// the logical clock plus the wall clock at boot (Options.BootTime, a fixed
// day by default so that a run is the same run on every server and every
// day), as timekeeping's offs_real makes it of the monotonic clock; nothing
// sets it after boot (no clock_settime, no NTP). CLOCK_TAI is
// CLOCK_REALTIME (the kernel's TAI offset is 0 until NTP sets it, as on
// this machine). The vDSO (vdso.go) reads the same clocks without a system
// call.

// tickNS is TICK_NSEC at the kernel's CONFIG_HZ: the coarse clocks'
// resolution, and the CPU clocks' other than CPUCLOCK_SCHED.
const tickNS = 1_000_000_000 / engine.ConfigHZ

// clockKind is how one clock id reads.
type clockKind uint8

const (
	clockInvalid    clockKind = iota
	clockHres                 // read at the nanosecond (timekeeping's clocksource)
	clockCoarse               // the time of the last tick
	clockCPU                  // a process's or thread's CPU time
	clockReal                 // the wall clock: clockHres plus the boot's wall time
	clockRealCoarse           // the wall clock at the last tick
)

// realtime is CLOCK_REALTIME at logical time t (ktime_get_real: the
// monotonic clock plus offs_real, the wall clock at boot).
func (e *Engine) realtime(t uint64) uint64 { return clockAdd(e.bootNS, t) }

// clockOf is clockid_to_kclock: which clock an id names. CPU clocks
// (CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID and the negative
// ids) also give their owner and resolution.
func (e *Engine) clockOf(p *process, id int32) (kind clockKind, owner *process, res uint64) {
	switch id {
	case engine.CLOCK_REALTIME, engine.CLOCK_TAI:
		return clockReal, nil, 1
	case engine.CLOCK_MONOTONIC, engine.CLOCK_MONOTONIC_RAW, engine.CLOCK_BOOTTIME:
		return clockHres, nil, 1
	case engine.CLOCK_REALTIME_COARSE:
		return clockRealCoarse, nil, tickNS
	case engine.CLOCK_MONOTONIC_COARSE:
		return clockCoarse, nil, tickNS
	case engine.CLOCK_PROCESS_CPUTIME_ID, engine.CLOCK_THREAD_CPUTIME_ID:
		return clockCPU, p, 1 // CPUCLOCK_SCHED
	case engine.CLOCK_REALTIME_ALARM, engine.CLOCK_BOOTTIME_ALARM:
		// alarm_clock_get: no RTC that can wake the machine (as on this
		// machine, a virtual one): EINVAL.
		return clockInvalid, nil, 0
	}
	if id >= 0 {
		return clockInvalid, nil, 0
	}
	// posix_cpu_clock_get's lookup (pid_for_clock): which is
	// CPUCLOCK_PROF, _VIRT or _SCHED; the pid 0 is the caller; a
	// per-thread clock must be a thread of the caller's.
	which := id & 3
	if which == 3 {
		return clockInvalid, nil, 0
	}
	pid := int(^(id >> 3))
	perThread := id&4 != 0
	owner = p
	if pid != 0 {
		owner = e.proc(pid)
		// The model's processes have one thread each, a thread's id its
		// process's; a zombie's clock is still read.
		if owner == nil || owner.reaped || perThread && owner != p {
			return clockInvalid, nil, 0
		}
	}
	res = tickNS
	if which == 2 {
		res = 1
	}
	return clockCPU, owner, res
}

// clockRead is the clock's time in nanoseconds.
func (e *Engine) clockRead(kind clockKind, owner *process) uint64 {
	switch kind {
	case clockCoarse:
		return e.clock - e.clock%tickNS
	case clockReal:
		return e.realtime(e.clock)
	case clockRealCoarse:
		return e.realtime(e.clock - e.clock%tickNS)
	case clockCPU:
		// The model runs one thing at a time: a process has had the CPU
		// since it was made (its threads are the interpreter's, and share
		// the process's clock).
		return e.clock - min(owner.sys.started, e.clock)
	}
	return e.clock
}

// timespec is struct timespec's bytes (__kernel_timespec on x86-64).
func timespec(ns uint64) []byte {
	b := make([]byte, 16)
	binary.LittleEndian.PutUint64(b, ns/1e9)
	binary.LittleEndian.PutUint64(b[8:], ns%1e9)
	return b
}

// timeval is struct timeval's bytes (gettimeofday's microseconds).
func timeval(ns uint64) []byte {
	b := make([]byte, 16)
	binary.LittleEndian.PutUint64(b, ns/1e9)
	binary.LittleEndian.PutUint64(b[8:], ns%1e9/1e3)
	return b
}

// sysTZ is the kernel's sys_tz, which nothing in the model sets: UTC, no
// daylight saving (struct timezone: minutes west, DST type).
var sysTZ = make([]byte, 8)

// sysClockGettime is clock_gettime(id, tp): EINVAL for a clock that does
// not exist, EFAULT when tp cannot be written (put_timespec64).
func (e *Engine) sysClockGettime(p *process, id int32, tp uint64) (int64, engine.Errno) {
	kind, owner, _ := e.clockOf(p, id)
	if kind == clockInvalid {
		return -1, engine.EINVAL
	}
	if err := e.copyToUser(p, tp, timespec(e.clockRead(kind, owner)), nil); err != 0 {
		return -1, err
	}
	return 0, 0
}

// sysClockGetres is clock_getres(id, res), the clocks' resolutions as
// this machine's kernel answers (CONFIG_HZ=250, high-resolution timers, no
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
func (e *Engine) sysClockGetres(p *process, id int32, tp uint64) (int64, engine.Errno) {
	kind, _, res := e.clockOf(p, id)
	if kind == clockInvalid {
		return -1, engine.EINVAL
	}
	if tp != 0 {
		if err := e.copyToUser(p, tp, timespec(res), nil); err != 0 {
			return -1, err
		}
	}
	return 0, 0
}

// sysGettimeofday is gettimeofday(tv, tz): either may be NULL.
func (e *Engine) sysGettimeofday(p *process, tv, tz uint64) (int64, engine.Errno) {
	if tv != 0 {
		if err := e.copyToUser(p, tv, timeval(e.realtime(e.clock)), nil); err != 0 {
			return -1, err
		}
	}
	if tz != 0 {
		if err := e.copyToUser(p, tz, sysTZ, nil); err != 0 {
			return -1, err
		}
	}
	return 0, 0
}

// sysTime is time(tloc): the wall clock's seconds, also stored at tloc unless NULL.
func (e *Engine) sysTime(p *process, tloc uint64) (int64, engine.Errno) {
	t := int64(e.realtime(e.clock) / 1e9)
	if tloc != 0 {
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], uint64(t))
		if err := e.copyToUser(p, tloc, b[:], nil); err != 0 {
			return -1, err
		}
	}
	return t, 0
}

// runsOn is the CPU the model runs p on: the first its affinity allows
// (the model places nothing; it runs one thing at a time).
func (p *process) runsOn() uint64 {
	m := p.affinity()
	cpu := uint64(0)
	for m&1 == 0 {
		m >>= 1
		cpu++
	}
	return cpu
}

// sysGetcpu is getcpu(cpu, node, cache): either pointer may be NULL; the
// cache is unused since 2.6.24. The model's machine has one NUMA node.
func (e *Engine) sysGetcpu(p *process, cpu, node uint64) (int64, engine.Errno) {
	var b [4]byte
	if cpu != 0 {
		binary.LittleEndian.PutUint32(b[:], uint32(p.runsOn()))
		if err := e.copyToUser(p, cpu, b[:], nil); err != 0 {
			return -1, err
		}
	}
	if node != 0 {
		binary.LittleEndian.PutUint32(b[:], 0)
		if err := e.copyToUser(p, node, b[:], nil); err != 0 {
			return -1, err
		}
	}
	return 0, 0
}
