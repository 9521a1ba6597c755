package interp

import (
	"encoding/binary"

	"github.com/mmapplayground/playground/internal/engine"
)

// Time and random numbers. Time is the engine's clock (logical on the
// simulated engine, so runs stay deterministic); rand is glibc's TYPE_3
// additive generator, so a seeded program prints what it prints natively.

type randState struct {
	r   [34]int32
	i   int
	set bool
}

func (s *randState) seed(seed uint32) {
	if seed == 0 {
		seed = 1
	}
	var r [344]int32
	r[0] = int32(seed)
	for i := 1; i < 31; i++ {
		hi := int64(r[i-1]) / 127773
		lo := int64(r[i-1]) % 127773
		w := 16807*lo - 2836*hi
		if w < 0 {
			w += 2147483647
		}
		r[i] = int32(w)
	}
	for i := 31; i < 34; i++ {
		r[i] = r[i-31]
	}
	for i := 34; i < 344; i++ {
		r[i] = int32(uint32(r[i-31]) + uint32(r[i-3]))
	}
	copy(s.r[:], r[344-34:])
	s.i = 0
	s.set = true
}

// next is random(): the ring holds the last 34 values, oldest at s.i.
func (s *randState) next() int64 {
	if !s.set {
		s.seed(1)
	}
	// r[k] = r[k-31] + r[k-3]; with the ring's oldest at i, r[k-34] is at
	// i, r[k-31] at i+3, r[k-3] at i+31.
	v := int32(uint32(s.r[(s.i+3)%34]) + uint32(s.r[(s.i+31)%34]))
	s.r[s.i] = v
	s.i = (s.i + 1) % 34
	return int64(uint32(v) >> 1)
}

func init() {
	def("int rand(void)", func(m *machine, p *proc, a []int64) (int64, bres) { return p.rand.next(), bOK })
	def("long random(void)", func(m *machine, p *proc, a []int64) (int64, bres) { return p.rand.next(), bOK })
	def("void srand(unsigned int seed)", func(m *machine, p *proc, a []int64) (int64, bres) {
		p.rand.seed(uint32(a[0]))
		return 0, bOK
	})
	def("void srandom(unsigned int seed)", builtins["srand"].fn)
	def("long time(long *t)", func(m *machine, p *proc, a []int64) (int64, bres) {
		if v, st, ok := m.libcVDSO(p, "__vdso_time", a[0]); ok {
			return v, st
		}
		now := int64(m.now() / 1e9)
		if a[0] != 0 {
			var b [8]byte
			binary.LittleEndian.PutUint64(b[:], uint64(now))
			return m.storeRet(p, a[0], b[:], now)
		}
		return now, bOK
	})
	def("int clock_gettime(int clock, struct timespec *ts)", func(m *machine, p *proc, a []int64) (int64, bres) {
		if v, st, ok := m.libcVDSO(p, "__vdso_clock_gettime", a[0], a[1]); ok {
			return v, st
		}
		now := m.now()
		var b [16]byte
		binary.LittleEndian.PutUint64(b[0:], now/1e9)
		binary.LittleEndian.PutUint64(b[8:], now%1e9)
		return m.storeRet(p, a[1], b[:], 0)
	})
	// time, clock_gettime, clock_getres and gettimeofday are the vDSO's
	// (vdso.go) where the engine has one; else these answers: clock_getres
	// the vDSO's for the clocks it serves (hrtimer resolution, 1 ns; the
	// coarse clocks tick at CONFIG_HZ), the system call for the others, as
	// the vDSO falls back to it.
	def("int clock_getres(int clock, struct timespec *res)", func(m *machine, p *proc, a []int64) (int64, bres) {
		if v, st, ok := m.libcVDSO(p, "__vdso_clock_getres", a[0], a[1]); ok {
			return v, st
		}
		var ns uint64
		switch a[0] {
		case engine.CLOCK_REALTIME, engine.CLOCK_MONOTONIC, engine.CLOCK_MONOTONIC_RAW, engine.CLOCK_BOOTTIME, engine.CLOCK_TAI:
			ns = 1
		case engine.CLOCK_REALTIME_COARSE, engine.CLOCK_MONOTONIC_COARSE:
			ns = 1e9 / engine.ConfigHZ
		default:
			return m.sysCall(p, "clock_getres", "", a[0], a[1])
		}
		if a[1] == 0 {
			return 0, bOK
		}
		var b [16]byte
		binary.LittleEndian.PutUint64(b[8:], ns)
		return m.storeRet(p, a[1], b[:], 0)
	})
	def("int gettimeofday(struct timeval *tv, struct timezone *tz)", func(m *machine, p *proc, a []int64) (int64, bres) {
		if v, st, ok := m.libcVDSO(p, "__vdso_gettimeofday", a[0], a[1]); ok {
			return v, st
		}
		now := m.now()
		var b [16]byte
		binary.LittleEndian.PutUint64(b[0:], now/1e9)
		binary.LittleEndian.PutUint64(b[8:], now%1e9/1e3)
		if a[1] != 0 {
			// The kernel's sys_tz, which nothing here sets: UTC, no DST.
			if _, st := m.storeRet(p, a[1], make([]byte, 8), 0); st != bOK {
				return 0, st
			}
		}
		if a[0] == 0 {
			return 0, bOK
		}
		return m.storeRet(p, a[0], b[:], 0)
	})
	def("long clock(void)", func(m *machine, p *proc, a []int64) (int64, bres) { return int64(m.now() / 1e3), bOK })
}

func init() {
	// getrusage reports the faults of the calling thread (RUSAGE_THREAD),
	// of its process's threads (RUSAGE_SELF) or of its reaped children
	// (RUSAGE_CHILDREN), as kernel/sys.c's getrusage sums the tasks'
	// min_flt and maj_flt; any other who is EINVAL. ru_maxrss is the
	// process's resident set. No system call event: the kernel keeps these
	// in the task, and the trace shows the faults themselves.
	def("int getrusage(int who, struct rusage *ru)", func(m *machine, p *proc, a []int64) (int64, bres) {
		m.chargeFaults(p)
		var flt [2]uint64
		switch int32(a[0]) {
		case 1: // RUSAGE_THREAD
			flt = p.flt
		case 0: // RUSAGE_SELF
			flt = p.process.selfFlt
		case -1: // RUSAGE_CHILDREN
			flt = p.process.childFlt
		default:
			p.setErrno(m, engine.EINVAL)
			return -1, bOK
		}
		st := m.eng.State()
		var b [144]byte
		now := m.now()
		binary.LittleEndian.PutUint64(b[0:], now/1e9)
		binary.LittleEndian.PutUint64(b[8:], now%1e9/1e3)
		for _, ps := range st.Processes {
			if ps.Pid == p.pid {
				binary.LittleEndian.PutUint64(b[32:], ps.RSS*4)
			}
		}
		binary.LittleEndian.PutUint64(b[64:], flt[0])
		binary.LittleEndian.PutUint64(b[72:], flt[1])
		return m.storeRet(p, a[1], b[:], 0)
	})
}

// chargeFaults charges the faults the engine counted since they were last
// charged to p, the thread that ran meanwhile: the kernel counts a fault
// in the task that made it (mm_account_fault's current->min_flt), a
// remote access's (process_vm_writev, /proc/PID/mem) in the caller's.
// The faults of the run's start (the program's loading) are its first
// thread's, which runs first.
func (m *machine) chargeFaults(p *proc) {
	var now [2]uint64
	if m.faults != nil {
		now[0], now[1] = m.faults.Faults()
	} else {
		c := m.eng.State().Counters
		now[0], now[1] = c.MinorFaults, c.MajorFaults
	}
	for i := range now {
		d := now[i] - m.charged[i]
		p.flt[i] += d
		p.process.selfFlt[i] += d
	}
	m.charged = now
}

// tTimezone is struct timezone (gettimeofday's second argument).
var tTimezone = mkStruct("timezone", []field{{name: "tz_minuteswest", t: tInt}, {name: "tz_dsttime", t: tInt}})

// tItimerval is struct itimerval (setitimer's): the interval, then the
// time to the next expiry.
var tItimerval = mkStruct("itimerval", []field{{name: "it_interval", t: tTimeval}, {name: "it_value", t: tTimeval}})

func init() {
	libTags["timezone"] = tTimezone
	libTags["itimerval"] = tItimerval
}
