package interp

import (
	"encoding/binary"

	"github.com/mmapplayground/playground/internal/engine"
)

// The priority-inheritance futexes and futex_waitv, as kernel/futex/pi.c,
// requeue.c and syscalls.c answer them, on the model's threads (which run
// one at a time, so priorities change nothing here: a PI futex is a lock
// whose word holds its owner's tid).
//
//	op                 check                                       errno
//	LOCK_PI            FUTEX_CLOCK_REALTIME (LOCK_PI2 takes it)    ENOSYS
//	LOCK_PI, TRYLOCK   the caller owns it already                  EDEADLK
//	TRYLOCK_PI         owned by another                            EAGAIN
//	LOCK_PI            the time passed before it was free          ETIMEDOUT
//	UNLOCK_PI          the caller does not own it                  EPERM
//	WAIT_REQUEUE_PI    uaddr == uaddr2                             EINVAL
//	                   *uaddr != val                               EAGAIN
//	                   the time passed                             ETIMEDOUT
//	                   woken by FUTEX_WAKE, not requeued           EAGAIN
//	CMP_REQUEUE_PI     nr_wake != 1, uaddr == uaddr2               EINVAL
//	                   *uaddr != val3                              EAGAIN
//	                   a waiter not in WAIT_REQUEUE_PI to uaddr2   EINVAL
//	futex_waitv        nr 0 or > 128, flags, a timeout on a clock   EINVAL
//	                   not MONOTONIC or REALTIME, a waiter's flags
//	                   or reserved
//	                   a word != its val                           EAGAIN
//	                   the time passed                             ETIMEDOUT
//	any                uaddr not 4-aligned                         EINVAL
//	any                a word that cannot be read                  EFAULT

const (
	futexLockPI       = 6
	futexUnlockPI     = 7
	futexTrylockPI    = 8
	futexWaitReqPI    = 11
	futexCmpReqPI     = 12
	futexLockPI2      = 13
	futexWaiters      = 0x80000000 // FUTEX_WAITERS
	futexTIDMask      = 0x3fffffff // FUTEX_TID_MASK
	futexWaitvMax     = 128        // FUTEX_WAITV_MAX
	futex2Size32      = 2          // FUTEX_32
	futex2Private     = 128        // FUTEX2_PRIVATE
	futexWaitvEntSize = 24         // struct futex_waitv
)

// waitsOn says whether w waits on key.
func (w *waiter) waitsOn(key futexKey) bool {
	if w.keys == nil {
		return w.key == key
	}
	for i, k := range w.keys {
		if k == key {
			w.index = i
			return true
		}
	}
	return false
}

// tidOf is the thread's id, as gettid returns it.
func tidOf(p *proc) int {
	if p.thread != nil && p.thread.spawned {
		return p.thread.tid
	}
	return p.pid
}

func (m *machine) loadWord(p *proc, addr uint64) (uint32, engine.Errno) {
	if addr%4 != 0 {
		return 0, engine.EINVAL
	}
	var b [4]byte
	if err := m.eng.Load(p.pid, addr, b[:]); err != nil {
		return 0, engine.EFAULT
	}
	return binary.LittleEndian.Uint32(b[:]), 0
}

func (m *machine) storeWord(p *proc, addr uint64, v uint32) engine.Errno {
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], v)
	if err := m.eng.Store(p.pid, addr, b[:]); err != nil {
		return engine.EFAULT
	}
	return 0
}

// waitTimeout reads a struct timespec at ts as an absolute time on the
// engine's clock (the model's CLOCK_REALTIME and CLOCK_MONOTONIC are the
// one logical clock): -1 for none.
func (m *machine) waitTimeout(p *proc, ts uint64) (int64, engine.Errno) {
	if ts == 0 {
		return -1, 0
	}
	return m.absTimeout(p, ts)
}

// futexPI makes the PI operations; ok is false for another op.
func (m *machine) futexPI(p *proc, a []int64, cmd int64, private, clockRT bool) (int64, bres, bool) {
	uaddr := uint64(arg(a, 0))
	fail := func(e engine.Errno) (int64, bres, bool) {
		r, st := sysErr(m, p, e)
		return r, st, true
	}
	switch cmd {
	case futexLockPI, futexLockPI2, futexTrylockPI:
		if w := p.resumed(); w != nil {
			if w.timedOut {
				return fail(engine.ETIMEDOUT)
			}
			return 0, bOK, true // an unlock handed it over
		}
		if cmd == futexLockPI && clockRT {
			return fail(engine.ENOSYS)
		}
		v, err := m.loadWord(p, uaddr)
		if err != 0 {
			return fail(err)
		}
		tid := uint32(tidOf(p))
		switch {
		case v&futexTIDMask == 0:
			if err := m.storeWord(p, uaddr, tid|v&futexWaiters); err != 0 {
				return fail(err)
			}
			return 0, bOK, true
		case v&futexTIDMask == tid:
			return fail(engine.EDEADLK)
		case cmd == futexTrylockPI:
			return fail(engine.EAGAIN)
		}
		timeout, err := m.waitTimeout(p, uint64(arg(a, 3)))
		if err != 0 {
			return fail(err)
		}
		if err := m.storeWord(p, uaddr, v|futexWaiters); err != 0 {
			return fail(err)
		}
		w := &waiter{futex: true, pi: true, key: m.futexKeyOf(p, uaddr, private), piAddr: uaddr, tid: int(tid), bitset: futexBitsetAny, timeout: timeout}
		m.threads.futexQ = append(m.threads.futexQ, w)
		r, st := m.block(p, w)
		return r, st, true
	case futexUnlockPI:
		v, err := m.loadWord(p, uaddr)
		if err != 0 {
			return fail(err)
		}
		if v&futexTIDMask != uint32(tidOf(p)) {
			return fail(engine.EPERM)
		}
		key := m.futexKeyOf(p, uaddr, private)
		var next *waiter
		more := false
		for _, w := range m.threads.futexQ {
			if w.pi && w.key == key {
				if next == nil {
					next = w
				} else {
					more = true
				}
			}
		}
		nv := uint32(0)
		if next != nil {
			nv = uint32(next.tid)
			if more {
				nv |= futexWaiters
			}
			next.woken = true
			m.dequeueFutex(next)
		}
		if err := m.storeWord(p, uaddr, nv); err != 0 {
			return fail(err)
		}
		return 0, bOK, true
	case futexWaitReqPI:
		if w := p.resumed(); w != nil {
			switch {
			case w.timedOut:
				return fail(engine.ETIMEDOUT)
			case w.pi || w.requeuePI && w.piAddr != 0:
				return 0, bOK, true // requeued and given the PI futex
			}
			return fail(engine.EAGAIN)
		}
		uaddr2 := uint64(arg(a, 4))
		if uaddr == uaddr2 || uaddr2%4 != 0 {
			return fail(engine.EINVAL)
		}
		v, err := m.loadWord(p, uaddr)
		if err != 0 {
			return fail(err)
		}
		if v != uint32(arg(a, 2)) {
			return fail(engine.EAGAIN)
		}
		timeout, err := m.waitTimeout(p, uint64(arg(a, 3)))
		if err != 0 {
			return fail(err)
		}
		w := &waiter{futex: true, requeuePI: true, key: m.futexKeyOf(p, uaddr, private), pi2: m.futexKeyOf(p, uaddr2, private),
			tid: tidOf(p), bitset: futexBitsetAny, timeout: timeout}
		m.threads.futexQ = append(m.threads.futexQ, w)
		r, st := m.block(p, w)
		return r, st, true
	case futexCmpReqPI:
		uaddr2 := uint64(arg(a, 4))
		if arg(a, 2) != 1 || uaddr == uaddr2 {
			return fail(engine.EINVAL)
		}
		v, err := m.loadWord(p, uaddr)
		if err != 0 {
			return fail(err)
		}
		if v != uint32(arg(a, 5)) {
			return fail(engine.EAGAIN)
		}
		v2, err := m.loadWord(p, uaddr2)
		if err != 0 {
			return fail(err)
		}
		key, key2 := m.futexKeyOf(p, uaddr, private), m.futexKeyOf(p, uaddr2, private)
		var ws []*waiter
		for _, w := range m.threads.futexQ {
			if !w.pi && w.keys == nil && w.key == key {
				if !w.requeuePI || w.pi2 != key2 {
					return fail(engine.EINVAL)
				}
				ws = append(ws, w)
			}
		}
		n, requeued, limit := 0, 0, int(arg(a, 3))
		for i, w := range ws {
			if i == 0 && v2&futexTIDMask == 0 {
				// futex_proxy_trylock_atomic: the top waiter takes it.
				v2 = uint32(w.tid) | v2&futexWaiters
				w.woken, w.piAddr = true, uaddr2
				m.dequeueFutex(w)
				n++
				continue
			}
			if requeued >= limit {
				break
			}
			w.pi, w.key, w.piAddr = true, key2, uaddr2
			v2 |= futexWaiters
			requeued++
			n++
		}
		if err := m.storeWord(p, uaddr2, v2); err != 0 {
			return fail(err)
		}
		return int64(n), bOK, true
	}
	return 0, bOK, false
}

// futexWaitv is futex_waitv(waiters, nr, flags, timeout, clockid).
func (m *machine) futexWaitv(p *proc, a []int64) (int64, bres) {
	if w := p.resumed(); w != nil {
		if w.timedOut {
			return sysErr(m, p, engine.ETIMEDOUT)
		}
		return int64(w.index), bOK
	}
	uw, nr, flags, ts, clock := uint64(arg(a, 0)), arg(a, 1), arg(a, 2), uint64(arg(a, 3)), arg(a, 4)
	if nr <= 0 || nr > futexWaitvMax || flags != 0 || ts != 0 && clock != 0 && clock != 1 { // CLOCK_REALTIME, CLOCK_MONOTONIC
		return sysErr(m, p, engine.EINVAL)
	}
	timeout, err := m.waitTimeout(p, ts)
	if err != 0 {
		return sysErr(m, p, err)
	}
	b := make([]byte, nr*futexWaitvEntSize)
	if err := m.eng.Load(p.pid, uw, b); err != nil {
		return sysErr(m, p, engine.EFAULT)
	}
	keys := make([]futexKey, nr)
	for i := range keys {
		e := b[i*futexWaitvEntSize:]
		val, addr := binary.LittleEndian.Uint64(e), binary.LittleEndian.Uint64(e[8:])
		fl, rsv := binary.LittleEndian.Uint32(e[16:]), binary.LittleEndian.Uint32(e[20:])
		if rsv != 0 || fl&^(futex2Size32|futex2Private) != 0 || fl&3 != futex2Size32 {
			return sysErr(m, p, engine.EINVAL)
		}
		v, err := m.loadWord(p, addr)
		if err != 0 {
			return sysErr(m, p, err)
		}
		if uint64(v) != val {
			return sysErr(m, p, engine.EAGAIN)
		}
		keys[i] = m.futexKeyOf(p, addr, fl&futex2Private != 0)
	}
	w := &waiter{futex: true, keys: keys, bitset: futexBitsetAny, timeout: timeout}
	m.threads.futexQ = append(m.threads.futexQ, w)
	return m.block(p, w)
}
