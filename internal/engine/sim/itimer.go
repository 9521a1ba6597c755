package sim

import (
	"encoding/binary"

	"github.com/mmapplayground/playground/internal/engine"
)

// Interval timers, analogous to kernel/time/itimer.c: alarm, setitimer and
// getitimer, on the model's clock. ITIMER_REAL counts the clock
// (it_real_fn: SIGALRM); ITIMER_VIRTUAL and ITIMER_PROF count the
// process's CPU time, which on the model moves with the clock while the
// process lives (time.go's CPU clocks), so they expire as ITIMER_REAL
// does, with SIGVTALRM and SIGPROF. A timer that expires is the
// interpreter's to deliver (it keeps the handlers): it asks Expired after
// the clock moves, and the timer is rearmed with its interval. fork's
// child has none (copy_process clears them); execve keeps them.

// itimer is one of signal_struct's timers: when it next expires on the
// logical clock (0: disarmed) and its interval.
type itimer struct {
	expires, interval uint64
}

// itimerSignal is each timer's signal.
var itimerSignal = [3]int{engine.SIGALRM, engine.SIGVTALRM, engine.SIGPROF}

// timevalNS is a struct timeval's time, false when its microseconds are
// not 0..999999 (timeval_valid) or its seconds negative.
func timevalNS(b []byte) (uint64, bool) {
	sec, usec := int64(binary.LittleEndian.Uint64(b)), int64(binary.LittleEndian.Uint64(b[8:]))
	if sec < 0 || usec < 0 || usec >= 1e6 {
		return 0, false
	}
	if uint64(sec) > clockMax/1_000_000_000 {
		return clockMax, true
	}
	return uint64(sec)*1e9 + uint64(usec)*1e3, true
}

// itimerval is a timer's struct itimerval (interval, then value); a time
// left below a microsecond is shown as one (get_cpu_itimer's and
// get_itimerval's rounding up of what is not yet 0).
func (e *Engine) itimerval(t itimer) []byte {
	var left uint64
	if t.expires > e.clock {
		left = t.expires - e.clock
	}
	tv := func(ns uint64) []byte {
		us := (ns + 999) / 1e3
		return le(us/1e6, us%1e6)
	}
	return append(tv(t.interval), tv(left)...)
}

// sysGetitimer is getitimer(which, curr):
//
//	check                                          where              errno
//	which not REAL, VIRTUAL or PROF                do_getitimer       EINVAL
//	curr not writable                              put_itimerval      EFAULT
func (e *Engine) sysGetitimer(p *process, which int64, curr uint64) (int64, engine.Errno) {
	if which < 0 || which > 2 {
		return -1, engine.EINVAL
	}
	if err := e.copyToUser(p, curr, e.itimerval(p.sys.itimer[which]), nil); err != 0 {
		return -1, err
	}
	return 0, 0
}

// sysSetitimer is setitimer(which, value, ovalue): value NULL disarms the
// timer, as this kernel still lets it (with a warning once).
//
//	check                                          where              errno
//	value not readable                             get_itimerval      EFAULT
//	a time's microseconds past 999999, or negative timeval_valid      EINVAL
//	which not REAL, VIRTUAL or PROF                do_setitimer       EINVAL
//	ovalue not writable                            put_itimerval      EFAULT
func (e *Engine) sysSetitimer(p *process, which int64, value, ovalue uint64) (int64, engine.Errno) {
	var t itimer
	if value != 0 {
		b := make([]byte, 32)
		if err := e.copyFromUser(p, value, b); err != 0 {
			return -1, err
		}
		iv, ok1 := timevalNS(b)
		v, ok2 := timevalNS(b[16:])
		if !ok1 || !ok2 {
			return -1, engine.EINVAL
		}
		if v != 0 {
			t = itimer{expires: clockAdd(e.clock, v), interval: iv}
		}
	}
	if which < 0 || which > 2 {
		return -1, engine.EINVAL
	}
	old := p.sys.itimer[which]
	p.sys.itimer[which] = t
	if ovalue != 0 {
		if err := e.copyToUser(p, ovalue, e.itimerval(old), nil); err != 0 {
			return -1, err
		}
	}
	return 0, 0
}

// sysAlarm is alarm(seconds), alarm_setitimer: ITIMER_REAL set to the
// seconds (0 disarms it), and the seconds the last alarm had left, a part
// of half a second or more counted as a second, and a part of any size as
// one when no whole second was left.
func (e *Engine) sysAlarm(p *process, seconds uint32) int64 {
	old := p.sys.itimer[0]
	p.sys.itimer[0] = itimer{}
	if seconds != 0 {
		p.sys.itimer[0].expires = clockAdd(e.clock, uint64(seconds)*1e9)
	}
	if old.expires <= e.clock {
		return 0
	}
	left := old.expires - e.clock
	secs, usec := left/1e9, (left%1e9+999)/1e3
	if secs == 0 && usec != 0 || usec >= 500000 {
		secs++
	}
	return int64(secs)
}

// Expired is the signal of the first of pid's timers that has expired by
// the clock, which it rearms with its interval (or disarms); 0 when none
// has (engine.Timers).
func (e *Engine) Expired(pid int) int {
	p := e.proc(pid)
	if p == nil || p.exited {
		return 0
	}
	for i := range p.sys.itimer {
		t := &p.sys.itimer[i]
		if t.expires == 0 || t.expires > e.clock {
			continue
		}
		if t.interval == 0 {
			t.expires = 0
		} else {
			// Overruns are one signal (a standard signal pending once).
			for t.expires <= e.clock {
				t.expires = clockAdd(t.expires, t.interval)
			}
		}
		return itimerSignal[i]
	}
	return 0
}

// nextExpiry is when the first of p's armed timers expires, 0 when none is.
func (p *process) nextExpiry() uint64 {
	var first uint64
	for _, t := range p.sys.itimer {
		if t.expires != 0 && (first == 0 || t.expires < first) {
			first = t.expires
		}
	}
	return first
}

var _ engine.Timers = (*Engine)(nil)
