package interp

import (
	"encoding/binary"

	"github.com/mmapplayground/playground/internal/engine"
)

// POSIX threads and futexes, as a deterministic model. A process's
// threads are procs that share its process (stdio, heap, signal
// dispositions) and its address space (the engine's pid); each has its own
// registers, frames and stack, which pthread_create maps as glibc does
// (mmap of 8 MiB and a guard page, PROT_NONE, then mprotect of all but the
// guard). The scheduler (run.go) runs one thread at a time: the current
// one until it ends, blocks (pthread_join, a futex, a lock held, a
// barrier, a sleep while others can run) or has used its time slice, then
// the next in creation order. Time passes only when nothing can run: then
// the sleep or timed wait that ends first ends. So a program's threads
// interleave the same way on every run; a wait nothing can end is a
// deadlock the run reports.

// thread is a pthread beyond its registers.
type thread struct {
	self     uint64 // pthread_t: the address of glibc's descriptor for it
	tid      int
	spawned  bool // made by pthread_create (not the process's first thread)
	done     bool // ended: pthread_exit, or its start routine returned
	ret      int64
	detached bool
	joined   bool
	wait     *waiter
	stack    *stackBlock // nil for a process's first thread
	arena    *heap       // a spawned thread's malloc arena, from its first malloc (arena.go)
	// A pthread_cond_wait woken (or timed out) that is taking its mutex
	// back, and what it will return then.
	condRelock bool
	condResult int64
}

// waiter is what a blocked thread waits for. The blocking call is made
// again when the thread may resume, and finishes then.
type waiter struct {
	ready    func() bool // nil: until woken or timed out
	woken    bool
	timeout  int64 // nanoseconds still to wait; <0: none
	timedOut bool
	// A futex wait: its key and bitset.
	futex  bool
	key    futexKey
	bitset uint32
	// The PI futexes (futex.go): pi waits to own the PI futex at key
	// (piAddr, its address); requeuePI is FUTEX_WAIT_REQUEUE_PI's wait,
	// which only FUTEX_CMP_REQUEUE_PI may move to pi2; tid is the
	// waiter's, which an unlock hands the futex to. keys are
	// futex_waitv's, and index the one that woke it.
	pi, requeuePI bool
	pi2           futexKey
	piAddr        uint64
	tid           int
	keys          []futexKey
	index         int
}

// futexKey names a futex word as the kernel's get_futex_key does: by the
// page frame and offset for a shared word (so processes sharing a page
// meet at it), or by the address space and address for a private one.
type futexKey struct {
	pid  int
	addr uint64 // the address (private), or frame<<12|offset (shared)
	// mmShared marks a key a shared (not FUTEX_PRIVATE_FLAG) operation
	// made for a word of a private mapping: get_futex_key's
	// FUT_OFF_MMSHARED, so it meets only other shared operations' keys.
	mmShared bool
}

// threadState is the run's: the futexes' and condition variables'
// queues, the barriers and semaphores.
type threadState struct {
	futexQ   []*waiter // waiters in the order they slept
	conds    map[futexKey][]*waiter
	barriers map[futexKey]*barrier
	nextTid  int
}

type barrier struct {
	count, arrived, gen int
}

// Layout of glibc 2.36's thread stacks on x86-64, as measured here: the
// default size is RLIMIT_STACK's 8 MiB, below it one guard page, and the
// descriptor (pthread_self) 0x940 bytes below the mapping's top; the
// first thread's descriptor is 0x740 into the three pages of static TLS
// just below libc.
const (
	defaultStackSize = 8 << 20
	defaultGuardSize = 4096
	threadSelfOffset = 0x940
	mainSelfOffset   = 0x740
	mainTLSSize      = 0x3000
	pthreadStackMin  = 16384
	// timeSlice is how many step chunks a thread runs while others of its
	// process could run (a spinning loop lets them in).
	timeSlice = 16
)

// glibc's pthread_attr_t (struct pthread_attr): the fields used here.
const (
	attrFlags     = 8
	attrGuardSize = 16
	attrStackAddr = 24
	attrStackSize = 32
	attrSize      = 56
	attrDetached  = 1 // ATTR_FLAG_DETACHSTATE
	attrStackSet  = 8 // ATTR_FLAG_STACKADDR
	// The scheduling fields: struct sched_param at 0, the policy at 4,
	// and their flags.
	attrSchedParam   = 0
	attrSchedPolicy  = 4
	attrNotInherit   = 0x02 // ATTR_FLAG_NOTINHERITSCHED
	attrScopeProcess = 0x04 // ATTR_FLAG_SCOPEPROCESS
	attrSchedSet     = 0x20 // ATTR_FLAG_SCHED_SET
	attrPolicySet    = 0x40 // ATTR_FLAG_POLICY_SET
)

// threadOf is p's pthread state, made on first use for a process's first
// thread.
func (m *machine) threadOf(p *proc) *thread {
	if p.thread == nil {
		p.thread = &thread{self: m.mainSelf(p), tid: p.pid}
	}
	return p.thread
}

// mainSelf is the first thread's pthread_self: in the static TLS area,
// three pages below libc.so.6's first mapping.
func (m *machine) mainSelf(p *proc) uint64 {
	for _, v := range m.eng.Maps(p.pid) {
		if hasSuffix(v.File, "/libc.so.6") {
			return v.Start - mainTLSSize + mainSelfOffset
		}
	}
	return 0x7ffff7dd2000 + mainSelfOffset
}

func hasSuffix(s, suf string) bool { return len(s) >= len(suf) && s[len(s)-len(suf):] == suf }

// gone says p has ended (its process, or it alone).
func (p *proc) gone() bool { return p.exited || p.thread != nil && p.thread.done }

// runnable says whether p may run: it waits for nothing, or what it
// waits for has come.
func (p *proc) runnable() bool {
	if p.thread == nil || p.thread.wait == nil {
		return true
	}
	w := p.thread.wait
	return w.woken || w.timedOut || w.ready != nil && w.ready()
}

// resumed takes p's finished wait, if it is back from one.
func (p *proc) resumed() *waiter {
	if p.thread == nil || p.thread.wait == nil {
		return nil
	}
	w := p.thread.wait
	p.thread.wait = nil
	return w
}

// block makes p wait for w: the call is made again when p may resume.
func (m *machine) block(p *proc, w *waiter) (int64, bres) {
	m.threadOf(p).wait = w
	return 0, bBlock
}

// liveThreads counts the threads of p's process that have not ended.
func (m *machine) liveThreads(p *proc) int {
	n := 0
	for _, q := range m.procs {
		if q.process == p.process && !q.gone() {
			n++
		}
	}
	return n
}

// liveAll counts the threads of every process that have not ended.
func (m *machine) liveAll() int {
	n := 0
	for _, q := range m.procs {
		if !q.gone() {
			n++
		}
	}
	return n
}

// timeout lets time pass when nothing can run: the sleep or timed wait
// with the least time left ends, and the others have waited as long. It
// reports false when nothing waits with a timeout.
func (m *machine) timeout() bool {
	var first *waiter
	for _, q := range m.procs {
		if q.gone() || q.thread == nil || q.thread.wait == nil {
			continue
		}
		if w := q.thread.wait; w.timeout >= 0 && !q.runnable() && (first == nil || w.timeout < first.timeout) {
			first = w
		}
	}
	if first == nil {
		return false
	}
	d := first.timeout
	for _, q := range m.procs {
		if q.gone() || q.thread == nil || q.thread.wait == nil {
			continue
		}
		if w := q.thread.wait; w.timeout >= 0 {
			w.timeout -= d
		}
	}
	first.timedOut = true
	m.dequeueFutex(first)
	return true
}

// sleepFirst makes a sleep of ns nanoseconds while other threads (of this
// process or another: a forked child) are alive wait until nothing else can
// run, so that they run meanwhile, as on a machine with a core for each; ok
// is true when the sleep itself may now be made.
func (m *machine) sleepFirst(p *proc, ns int64) (bres, bool) {
	if p.resumed() != nil || m.liveAll() < 2 {
		return bOK, true
	}
	if ns < 0 {
		ns = 0
	}
	_, st := m.block(p, &waiter{timeout: ns})
	return st, false
}

// threadExit ends p's thread with result v; the last thread to end ends
// the process, with exit(0).
func (m *machine) threadExit(p *proc, v int64) bres {
	if m.liveThreads(p) <= 1 {
		if m.exitProc(p, 0) {
			return bExit
		}
		return bAbort
	}
	t := m.threadOf(p)
	t.done, t.ret = true, v
	m.arenaThreadFreeres(p)
	if t.detached && !m.releaseStack(p, t.stack) {
		return bAbort
	}
	return bExit
}

// findThread is the thread of p's process whose pthread_t is self.
func (m *machine) findThread(p *proc, self uint64) *proc {
	// The newest first, and never one already joined: a thread made on
	// a joined thread's cached stack has its descriptor, so its pthread_t.
	for i := len(m.procs) - 1; i >= 0; i-- {
		q := m.procs[i]
		if q.process == p.process && q.thread != nil && q.thread.self == self && !q.thread.joined {
			return q
		}
	}
	return nil
}

// loadU64 and storeU64 read and write program memory, killing p on a
// fault as an access by the program would.
func (m *machine) loadU64(p *proc, addr uint64) (uint64, bool) {
	v, ok := m.loadSized(p, int64(addr), 8)
	return v, ok
}

func (m *machine) storeU64(p *proc, addr, v uint64) bool {
	return m.storeSized(p, int64(addr), 8, v)
}

// pthreadCreate is pthread_create: the stack as glibc maps it, then a new
// thread that calls start(arg) on it and ends with its result.
func (m *machine) pthreadCreate(p *proc, ptr, attr, start, arg int64) (int64, bres) {
	idx := (start - funcAddrBase) / 16
	if start < funcAddrBase || (start-funcAddrBase)%16 != 0 || idx >= int64(len(m.prog.funcs)) || !m.prog.funcs[idx].defined {
		m.kill(p, &engine.Signal{Signo: engine.SIGSEGV, Code: engine.SEGV_MAPERR, Addr: uint64(start)})
		return 0, bExit
	}
	fn := m.prog.funcs[idx]
	size, guard, detached, user := uint64(defaultStackSize), uint64(defaultGuardSize), false, uint64(0)
	if attr != 0 {
		b, ok := m.load(p, uint64(attr), attrSize)
		if !ok {
			return 0, bExit
		}
		flags := binary.LittleEndian.Uint32(b[attrFlags:])
		detached = flags&attrDetached != 0
		guard = binary.LittleEndian.Uint64(b[attrGuardSize:])
		if s := binary.LittleEndian.Uint64(b[attrStackSize:]); s != 0 {
			size = s
		}
		if flags&attrStackSet != 0 {
			user = binary.LittleEndian.Uint64(b[attrStackAddr:])
		}
	}
	var blk *stackBlock
	if user != 0 {
		// The program's own stack (pthread_attr_setstack): no mapping,
		// no guard.
		blk = &stackBlock{top: user, size: size, user: true}
	} else {
		// glibc's allocate_stack: the size aligned for static TLS, the
		// guard in whole pages, and EINVAL when either overflows.
		size &^= 63
		g := (guard + 4095) &^ 4095
		if g < guard || size+g < size || size+g < g+pthreadStackMin {
			return int64(engine.EINVAL), bOK
		}
		guard = g
		if blk = p.cachedStack(size, guard); blk == nil {
			base, ok := m.sys(p, "mmap", 0, int64(size+guard), engine.PROT_NONE, engine.MAP_PRIVATE|engine.MAP_ANONYMOUS|engine.MAP_STACK, -1, 0)
			if !ok {
				return 0, bExit
			}
			if base == -1 {
				return int64(engine.EAGAIN), bOK
			}
			if _, ok := m.sys(p, "mprotect", base+int64(guard), int64(size), engine.PROT_READ|engine.PROT_WRITE); !ok {
				return 0, bExit
			}
			// _dl_allocate_tls: the new thread's dtv, calloc'd by its
			// creator (dl_tls_max_dtv_idx 1, libc's TLS, plus
			// DTV_SURPLUS and two: 17 entries of 16 bytes, a 288-byte
			// chunk, as natively between two of the creator's mallocs).
			if _, ok := m.malloc(p, 17*16); !ok {
				return 0, bExit
			}
			blk = &stackBlock{base: uint64(base), top: uint64(base) + guard + size, size: size, guard: guard}
			p.stacks = append(p.stacks, blk)
		}
		blk.inUse = true
	}
	self := blk.top - threadSelfOffset
	if !m.storeU64(p, uint64(ptr), self) {
		return 0, bExit
	}
	m.threadOf(p) // the creator's own descriptor, before the new one's
	if m.threads.nextTid == 0 {
		m.threads.nextTid = p.pid
	}
	m.threads.nextTid++
	if p.threads == 0 {
		p.threads = 1
	}
	p.threads++
	// A new thread has its creator's signal mask, nothing pending and no
	// alternate signal stack.
	t := &proc{process: p.process, rodata: p.rodata, data: p.data, bss: p.bss, lo: blk.top - blk.size, blocked: p.blocked,
		thread: &thread{self: self, tid: m.threads.nextTid, spawned: true, detached: detached, stack: blk}}
	sp := (self - 0x100) &^ 15
	t.regs = make([]int64, 256+fn.nslots())
	copy(t.regs[fn.nregs:], fn.consts)
	if fn.nparams >= 1 {
		t.regs[0] = arg
	}
	t.frames = []frame{{fn: fn, fp: sp - 16, sp: sp, dst: -1}}
	t.sp = sp - 16 - uint64(fn.frame)
	m.procs = append(m.procs, t)
	return 0, bOK
}

// stackBlock is a thread's stack: [top-size, top) below its descriptor,
// with the guard (PROT_NONE) below that, as one mapping from base.
type stackBlock struct {
	base, top, size, guard uint64
	user                   bool // the program's own (pthread_attr_setstack)
	inUse                  bool // a thread runs on it; else glibc keeps it cached
}

// stackCacheMax is glibc's stack_cache_maxsize: stacks kept mapped for
// reuse after their threads are joined, beyond which the oldest go.
const stackCacheMax = 40 << 20

// cachedStack is glibc's get_cached_stack: the smallest free stack at
// least as large as size (and at most four times), with the same guard.
func (p *proc) cachedStack(size, guard uint64) *stackBlock {
	var best *stackBlock
	for _, b := range p.stacks {
		if !b.inUse && b.size >= size && b.size <= 4*size && b.guard == guard && (best == nil || b.size < best.size) {
			best = b
		}
	}
	return best
}

// releaseStack is glibc's queue_stack: a joined (or detached, ended)
// thread's stack is cached, and the oldest free ones are unmapped while
// the cache holds more than stackCacheMax.
func (m *machine) releaseStack(p *proc, blk *stackBlock) bool {
	if blk == nil || blk.user {
		return true
	}
	blk.inUse = false
	var cached uint64
	for _, b := range p.stacks {
		if !b.inUse {
			cached += b.size + b.guard
		}
	}
	kept := p.stacks[:0]
	for _, b := range p.stacks {
		if !b.inUse && cached > stackCacheMax {
			cached -= b.size + b.guard
			if _, ok := m.sys(p, "munmap", int64(b.base), int64(b.size+b.guard)); !ok {
				return false
			}
			continue
		}
		kept = append(kept, b)
	}
	p.stacks = kept
	return true
}

// pthreadJoin is pthread_join: it waits for the thread to end and takes
// its result.
func (m *machine) pthreadJoin(p *proc, self, retp int64) (int64, bres) {
	p.resumed()
	q := m.findThread(p, uint64(self))
	switch {
	case q == nil || q.thread.joined:
		return int64(engine.ESRCH), bOK
	case q == p:
		return int64(engine.EDEADLK), bOK
	case q.thread.detached:
		return int64(engine.EINVAL), bOK
	}
	if !q.thread.done && !q.exited {
		t := q.thread
		return m.block(p, &waiter{ready: func() bool { return t.done }, timeout: -1})
	}
	q.thread.joined = true
	if !m.releaseStack(p, q.thread.stack) {
		return 0, bExit
	}
	if retp != 0 && !m.storeU64(p, uint64(retp), uint64(q.thread.ret)) {
		return 0, bExit
	}
	return 0, bOK
}

// Futex operations (<linux/futex.h>).
const (
	futexWait       = 0
	futexWake       = 1
	futexRequeue    = 3
	futexCmpRequeue = 4
	futexWaitBitset = 9
	futexWakeBitset = 10
	futexPrivate    = 128
	futexClockRT    = 256
	futexBitsetAny  = 0xffffffff
)

// futexKeyOf is the key of the futex word at addr.
func (m *machine) futexKeyOf(p *proc, addr uint64, private bool) futexKey {
	if !private {
		if w := m.eng.Walk(p.pid, addr); w.PFN != 0 && w.VMA != nil && w.VMA.Perms[3] == 's' {
			return futexKey{pid: -1, addr: w.PFN<<12 | addr&4095}
		}
	}
	return futexKey{pid: p.pid, addr: addr, mmShared: !private}
}

// futex is futex(2)'s wait, wake and requeue, on the threads of the
// model; the other operations go to the engine.
func (m *machine) futex(p *proc, a []int64) (int64, bres) {
	uaddr, op, val := uint64(arg(a, 0)), arg(a, 1), uint32(arg(a, 2))
	cmd := op &^ (futexPrivate | futexClockRT)
	private := op&futexPrivate != 0
	switch cmd {
	case futexWait, futexWaitBitset:
		if w := p.resumed(); w != nil {
			if w.timedOut {
				return sysErr(m, p, engine.ETIMEDOUT)
			}
			return 0, bOK
		}
		bitset := uint32(futexBitsetAny)
		if cmd == futexWaitBitset {
			bitset = uint32(arg(a, 5))
			if bitset == 0 {
				return sysErr(m, p, engine.EINVAL)
			}
		}
		if uaddr%4 != 0 {
			return sysErr(m, p, engine.EINVAL)
		}
		var b [4]byte
		if err := m.eng.Load(p.pid, uaddr, b[:]); err != nil {
			return sysErr(m, p, engine.EFAULT)
		}
		if binary.LittleEndian.Uint32(b[:]) != val {
			return sysErr(m, p, engine.EAGAIN)
		}
		timeout := int64(-1)
		if ts := uint64(arg(a, 3)); ts != 0 {
			var t [16]byte
			if err := m.eng.Load(p.pid, ts, t[:]); err != nil {
				return sysErr(m, p, engine.EFAULT)
			}
			sec, nsec := int64(binary.LittleEndian.Uint64(t[:])), int64(binary.LittleEndian.Uint64(t[8:]))
			if sec < 0 || nsec < 0 || nsec >= 1e9 {
				return sysErr(m, p, engine.EINVAL)
			}
			timeout = sec*1e9 + nsec
			if cmd == futexWaitBitset {
				// An absolute time, on the engine's clock.
				timeout = max(timeout-int64(m.now()), 0)
			}
		}
		w := &waiter{futex: true, key: m.futexKeyOf(p, uaddr, private), bitset: bitset, timeout: timeout}
		m.threads.futexQ = append(m.threads.futexQ, w)
		return m.block(p, w)
	case futexWake, futexWakeBitset:
		if uaddr%4 != 0 { // get_futex_key
			return sysErr(m, p, engine.EINVAL)
		}
		bitset := uint32(futexBitsetAny)
		if cmd == futexWakeBitset {
			bitset = uint32(arg(a, 5))
			if bitset == 0 {
				return sysErr(m, p, engine.EINVAL)
			}
		}
		return int64(m.futexWake(m.futexKeyOf(p, uaddr, private), int(val), bitset, nil)), bOK
	case futexRequeue, futexCmpRequeue:
		if cmd == futexCmpRequeue {
			var b [4]byte
			if err := m.eng.Load(p.pid, uaddr, b[:]); err != nil {
				return sysErr(m, p, engine.EFAULT)
			}
			if binary.LittleEndian.Uint32(b[:]) != uint32(arg(a, 5)) {
				return sysErr(m, p, engine.EAGAIN)
			}
		}
		to := m.futexKeyOf(p, uint64(arg(a, 4)), private)
		n := m.futexWake(m.futexKeyOf(p, uaddr, private), int(val), futexBitsetAny, &requeue{to: to, n: int(arg(a, 3))})
		return int64(n), bOK
	}
	if r, st, ok := m.futexPI(p, a, cmd, private, op&futexClockRT != 0); ok {
		return r, st
	}
	return ret(m.sys(p, "futex", a...))
}

type requeue struct {
	to futexKey
	n  int
}

// futexWake wakes up to n waiters on key whose bitset meets bitset, in the
// order they began to wait; rq moves up to rq.n of the rest to another
// key. It returns how many it woke (and moved, for a requeue).
func (m *machine) futexWake(key futexKey, n int, bitset uint32, rq *requeue) int {
	woke, moved := 0, 0
	q := m.threads.futexQ[:0]
	for _, w := range m.threads.futexQ {
		switch {
		case w.pi || !w.waitsOn(key) || w.bitset&bitset == 0:
		case woke < n:
			w.woken = true
			woke++
			continue
		case rq != nil && moved < rq.n && w.keys == nil:
			w.key = rq.to
			moved++
		}
		q = append(q, w)
	}
	m.threads.futexQ = q
	return woke + moved
}

// dequeueFutex takes a waiter that timed out off its queue.
func (m *machine) dequeueFutex(w *waiter) {
	if !w.futex {
		return
	}
	q := m.threads.futexQ[:0]
	for _, x := range m.threads.futexQ {
		if x != w {
			q = append(q, x)
		}
	}
	m.threads.futexQ = q
}

// sysErr fails a system call with e, as the library's wrapper does.
func sysErr(m *machine, p *proc, e engine.Errno) (int64, bres) {
	p.setErrno(m, e)
	return -1, bOK
}

// glibc's pthread_mutex_t (struct __pthread_mutex_s): __lock, __count,
// __owner, __nusers, __kind.
const (
	mutexLock  = 0
	mutexCount = 4
	mutexOwner = 8
	mutexKind  = 16

	mutexRecursive  = 1 // PTHREAD_MUTEX_RECURSIVE
	mutexErrorCheck = 2 // PTHREAD_MUTEX_ERRORCHECK
)

// mutexLockOp is pthread_mutex_lock (try: trylock).
func (m *machine) mutexLockOp(p *proc, mu int64, try bool) (int64, bres) {
	p.resumed()
	b, ok := m.load(p, uint64(mu), 20)
	if !ok {
		return 0, bExit
	}
	me := uint32(m.threadOf(p).tid)
	lock, count, owner, kind := binary.LittleEndian.Uint32(b[mutexLock:]), binary.LittleEndian.Uint32(b[mutexCount:]),
		binary.LittleEndian.Uint32(b[mutexOwner:]), binary.LittleEndian.Uint32(b[mutexKind:])&3
	if lock != 0 {
		switch {
		case owner == me && kind == mutexRecursive:
			return 0, boolRes(m.storeSized(p, mu+mutexCount, 4, uint64(count+1)))
		case owner == me && kind == mutexErrorCheck:
			return int64(engine.EDEADLK), bOK
		case try:
			return int64(engine.EBUSY), bOK
		}
		pid := p.pid
		return m.block(p, &waiter{timeout: -1, ready: func() bool {
			var w [4]byte
			return m.eng.Load(pid, uint64(mu), w[:]) != nil || binary.LittleEndian.Uint32(w[:]) == 0
		}})
	}
	if !m.storeSized(p, mu+mutexLock, 4, 1) || !m.storeSized(p, mu+mutexOwner, 4, uint64(me)) {
		return 0, bExit
	}
	if kind == mutexRecursive && !m.storeSized(p, mu+mutexCount, 4, 1) {
		return 0, bExit
	}
	return 0, bOK
}

func (m *machine) mutexUnlock(p *proc, mu int64) (int64, bres) {
	b, ok := m.load(p, uint64(mu), 20)
	if !ok {
		return 0, bExit
	}
	me := uint32(m.threadOf(p).tid)
	lock, count, owner, kind := binary.LittleEndian.Uint32(b[mutexLock:]), binary.LittleEndian.Uint32(b[mutexCount:]),
		binary.LittleEndian.Uint32(b[mutexOwner:]), binary.LittleEndian.Uint32(b[mutexKind:])&3
	if kind != 0 && (lock == 0 || owner != me) {
		return int64(engine.EPERM), bOK
	}
	if kind == mutexRecursive && count > 1 {
		return 0, boolRes(m.storeSized(p, mu+mutexCount, 4, uint64(count-1)))
	}
	ok = m.storeSized(p, mu+mutexLock, 4, 0) && m.storeSized(p, mu+mutexOwner, 4, 0) && m.storeSized(p, mu+mutexCount, 4, 0)
	return 0, boolRes(ok)
}

func boolRes(ok bool) bres {
	if ok {
		return bOK
	}
	return bExit
}

// PTHREAD_BARRIER_SERIAL_THREAD is what one of a round's threads gets.
const barrierSerial = -1

func (m *machine) barrierWait(p *proc, b int64) (int64, bres) {
	if p.resumed() != nil {
		// Released by the round's last thread, which may have destroyed
		// the barrier since.
		return 0, bOK
	}
	bar := m.threads.barriers[futexKey{pid: p.pid, addr: uint64(b)}]
	if bar == nil {
		return int64(engine.EINVAL), bOK
	}
	bar.arrived++
	if bar.arrived >= bar.count {
		// The last to arrive ends the round.
		bar.arrived = 0
		bar.gen++
		return barrierSerial, bOK
	}
	gen := bar.gen
	return m.block(p, &waiter{timeout: -1, ready: func() bool { return bar.gen != gen }})
}

// threadMacros are <pthread.h>'s constants for what threads.go provides
// (glibc 2.36's values).
var threadMacros = []string{
	"PTHREAD_CREATE_JOINABLE 0", "PTHREAD_CREATE_DETACHED 1", "PTHREAD_BARRIER_SERIAL_THREAD (-1)",
	"PTHREAD_MUTEX_NORMAL 0", "PTHREAD_MUTEX_RECURSIVE 1", "PTHREAD_MUTEX_ERRORCHECK 2", "PTHREAD_MUTEX_DEFAULT 0",
	"PTHREAD_MUTEX_TIMED_NP 0", "PTHREAD_MUTEX_RECURSIVE_NP 1", "PTHREAD_MUTEX_ERRORCHECK_NP 2", "PTHREAD_MUTEX_ADAPTIVE_NP 3",
	"PTHREAD_STACK_MIN 16384",
	"PTHREAD_INHERIT_SCHED 0", "PTHREAD_EXPLICIT_SCHED 1", "PTHREAD_SCOPE_SYSTEM 0", "PTHREAD_SCOPE_PROCESS 1",
}

// absTimeout is how long a wait until the absolute time at ts (a struct
// timespec) lasts on the engine's clock; ok is false with the errno set
// when ts cannot be read or is not a time.
func (m *machine) absTimeout(p *proc, ts uint64) (int64, engine.Errno) {
	var t [16]byte
	if err := m.eng.Load(p.pid, ts, t[:]); err != nil {
		return 0, engine.EFAULT
	}
	sec, nsec := int64(binary.LittleEndian.Uint64(t[:])), int64(binary.LittleEndian.Uint64(t[8:]))
	if sec < 0 || nsec < 0 || nsec >= 1e9 {
		return 0, engine.EINVAL
	}
	d := sec*1e9 + nsec - int64(m.now())
	return max(d, 0), 0
}

// condWait is pthread_cond_wait (abstime 0) and pthread_cond_timedwait:
// the mutex is let go, the thread waits to be signalled (or for the time),
// then takes the mutex back before it returns.
func (m *machine) condWait(p *proc, c, mu, abstime int64) (int64, bres) {
	t := m.threadOf(p)
	w := p.resumed()
	if !t.condRelock {
		if w == nil {
			timeout := int64(-1)
			if abstime != 0 {
				d, e := m.absTimeout(p, uint64(abstime))
				if e != 0 {
					return int64(e), bOK
				}
				timeout = d
			}
			if r, st := m.mutexUnlock(p, mu); st != bOK || r != 0 {
				return r, st
			}
			w = &waiter{timeout: timeout, key: futexKey{pid: p.pid, addr: uint64(c)}}
			if m.threads.conds == nil {
				m.threads.conds = map[futexKey][]*waiter{}
			}
			m.threads.conds[w.key] = append(m.threads.conds[w.key], w)
			return m.block(p, w)
		}
		t.condRelock, t.condResult = true, 0
		if w.timedOut {
			t.condResult = int64(engine.ETIMEDOUT)
			q := m.threads.conds[w.key][:0]
			for _, x := range m.threads.conds[w.key] {
				if x != w {
					q = append(q, x)
				}
			}
			m.threads.conds[w.key] = q
		}
	}
	r, st := m.mutexLockOp(p, mu, false)
	if st != bOK || r != 0 {
		return r, st
	}
	t.condRelock = false
	return t.condResult, bOK
}

// condWake wakes the first (signal) or every (broadcast) waiter on c.
func (m *machine) condWake(p *proc, c int64, all bool) {
	key := futexKey{pid: p.pid, addr: uint64(c)}
	q := m.threads.conds[key]
	n := len(q)
	if !all {
		n = min(n, 1)
	}
	for _, w := range q[:n] {
		w.woken = true
	}
	if n > 0 {
		m.threads.conds[key] = q[n:]
	}
}

// glibc's sem_t (struct new_sem): the value in its first word; the
// waiters are the model's.
func (m *machine) semWait(p *proc, s int64, try bool, abstime int64) (int64, bres) {
	w := p.resumed()
	v, ok := m.loadSized(p, s, 4)
	if !ok {
		return 0, bExit
	}
	if v > 0 {
		return 0, boolRes(m.storeSized(p, s, 4, v-1))
	}
	if try {
		return sysErr(m, p, engine.EAGAIN)
	}
	if w != nil && w.timedOut {
		return sysErr(m, p, engine.ETIMEDOUT)
	}
	timeout := int64(-1)
	if w != nil {
		timeout = w.timeout
	} else if abstime != 0 {
		d, e := m.absTimeout(p, uint64(abstime))
		if e != 0 {
			return sysErr(m, p, e)
		}
		timeout = d
	}
	pid := p.pid
	return m.block(p, &waiter{timeout: timeout, ready: func() bool {
		var b [4]byte
		return m.eng.Load(pid, uint64(s), b[:]) != nil || binary.LittleEndian.Uint32(b[:]) > 0
	}})
}

func init() {
	libMacros = append(libMacros, threadMacros...)
	def("int pthread_cond_init(void *c, const void *attr)", func(m *machine, p *proc, a []int64) (int64, bres) {
		if err := m.eng.Store(p.pid, uint64(a[0]), make([]byte, 48)); err != nil {
			m.fault(p, err)
			return 0, bExit
		}
		return 0, bOK
	})
	def("int pthread_cond_destroy(void *c)", func(m *machine, p *proc, a []int64) (int64, bres) { return 0, bOK })
	def("int pthread_cond_wait(void *c, void *m)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return m.condWait(p, a[0], a[1], 0)
	})
	def("int pthread_cond_timedwait(void *c, void *m, const struct timespec *t)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return m.condWait(p, a[0], a[1], a[2])
	})
	def("int pthread_cond_signal(void *c)", func(m *machine, p *proc, a []int64) (int64, bres) {
		m.condWake(p, a[0], false)
		return 0, bOK
	})
	def("int pthread_cond_broadcast(void *c)", func(m *machine, p *proc, a []int64) (int64, bres) {
		m.condWake(p, a[0], true)
		return 0, bOK
	})
	def("int sem_init(void *s, int pshared, unsigned int v)", func(m *machine, p *proc, a []int64) (int64, bres) {
		if uint32(a[2]) > 0x7fffffff {
			return sysErr(m, p, engine.EINVAL)
		}
		if err := m.eng.Store(p.pid, uint64(a[0]), make([]byte, 32)); err != nil {
			m.fault(p, err)
			return 0, bExit
		}
		return 0, boolRes(m.storeSized(p, a[0], 4, uint64(uint32(a[2]))))
	})
	def("int sem_destroy(void *s)", func(m *machine, p *proc, a []int64) (int64, bres) { return 0, bOK })
	def("int sem_post(void *s)", func(m *machine, p *proc, a []int64) (int64, bres) {
		v, ok := m.loadSized(p, a[0], 4)
		if !ok {
			return 0, bExit
		}
		if v >= 0x7fffffff {
			return sysErr(m, p, engine.EOVERFLOW)
		}
		return 0, boolRes(m.storeSized(p, a[0], 4, v+1))
	})
	def("int sem_wait(void *s)", func(m *machine, p *proc, a []int64) (int64, bres) { return m.semWait(p, a[0], false, 0) })
	def("int sem_trywait(void *s)", func(m *machine, p *proc, a []int64) (int64, bres) { return m.semWait(p, a[0], true, 0) })
	def("int sem_timedwait(void *s, const struct timespec *t)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return m.semWait(p, a[0], false, a[1])
	})
	def("int sem_getvalue(void *s, int *v)", func(m *machine, p *proc, a []int64) (int64, bres) {
		v, ok := m.loadSized(p, a[0], 4)
		if !ok {
			return 0, bExit
		}
		return 0, boolRes(m.storeSized(p, a[1], 4, v))
	})
	def("int pthread_create(unsigned long *thread, const void *attr, void *(*start)(void *), void *arg)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return m.pthreadCreate(p, a[0], a[1], a[2], a[3])
	})
	def("int pthread_join(unsigned long thread, void **ret)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return m.pthreadJoin(p, a[0], a[1])
	})
	def("void pthread_exit(void *ret)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return 0, m.threadExit(p, a[0])
	})
	def("unsigned long pthread_self(void)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return int64(m.threadOf(p).self), bOK
	})
	def("int pthread_equal(unsigned long a, unsigned long b)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return b2i(a[0] == a[1]), bOK
	})
	def("int pthread_detach(unsigned long thread)", func(m *machine, p *proc, a []int64) (int64, bres) {
		q := m.findThread(p, uint64(a[0]))
		if q == nil {
			return int64(engine.ESRCH), bOK
		}
		if q.thread.detached {
			return int64(engine.EINVAL), bOK
		}
		q.thread.detached = true
		return 0, bOK
	})
	def("int pthread_attr_init(void *attr)", func(m *machine, p *proc, a []int64) (int64, bres) {
		b := make([]byte, attrSize)
		binary.LittleEndian.PutUint64(b[attrGuardSize:], defaultGuardSize)
		if err := m.eng.Store(p.pid, uint64(a[0]), b); err != nil {
			m.fault(p, err)
			return 0, bExit
		}
		return 0, bOK
	})
	def("int pthread_attr_destroy(void *attr)", func(m *machine, p *proc, a []int64) (int64, bres) { return 0, bOK })
	def("int pthread_attr_setstacksize(void *attr, unsigned long size)", func(m *machine, p *proc, a []int64) (int64, bres) {
		if uint64(a[1]) < pthreadStackMin {
			return int64(engine.EINVAL), bOK
		}
		return 0, boolRes(m.storeU64(p, uint64(a[0])+attrStackSize, uint64(a[1])))
	})
	def("int pthread_attr_getstacksize(const void *attr, unsigned long *size)", func(m *machine, p *proc, a []int64) (int64, bres) {
		s, ok := m.loadU64(p, uint64(a[0])+attrStackSize)
		if !ok {
			return 0, bExit
		}
		if s == 0 {
			s = defaultStackSize
		}
		return 0, boolRes(m.storeU64(p, uint64(a[1]), s))
	})
	def("int pthread_attr_setstack(void *attr, void *addr, unsigned long size)", func(m *machine, p *proc, a []int64) (int64, bres) {
		if uint64(a[2]) < pthreadStackMin {
			return int64(engine.EINVAL), bOK
		}
		f, ok := m.loadSized(p, a[0]+attrFlags, 4)
		if !ok {
			return 0, bExit
		}
		ok = m.storeU64(p, uint64(a[0])+attrStackAddr, uint64(a[1])+uint64(a[2])) && m.storeU64(p, uint64(a[0])+attrStackSize, uint64(a[2])) &&
			m.storeSized(p, a[0]+attrFlags, 4, f|attrStackSet)
		return 0, boolRes(ok)
	})
	def("int pthread_attr_getstack(const void *attr, void **addr, unsigned long *size)", func(m *machine, p *proc, a []int64) (int64, bres) {
		// glibc keeps the stack's top; the lowest address is top - size.
		top, ok := m.loadU64(p, uint64(a[0])+attrStackAddr)
		if !ok {
			return 0, bExit
		}
		size, ok := m.loadU64(p, uint64(a[0])+attrStackSize)
		if !ok {
			return 0, bExit
		}
		return 0, boolRes(m.storeU64(p, uint64(a[1]), top-size) && m.storeU64(p, uint64(a[2]), size))
	})
	def("int pthread_getattr_np(unsigned long thread, void *attr)", func(m *machine, p *proc, a []int64) (int64, bres) {
		q := m.findThread(p, uint64(a[0]))
		if q == nil {
			return int64(engine.ESRCH), bOK
		}
		b := make([]byte, attrSize)
		var top, size, guard uint64
		flags := uint32(attrStackSet)
		if blk := q.thread.stack; blk != nil {
			top, size, guard = blk.top, blk.size, blk.guard
		} else {
			// The first thread's, as glibc finds it: [stack]'s end, and
			// RLIMIT_STACK's size or down to the area below.
			size = defaultStackSize
			var last uint64
			for _, v := range m.eng.Maps(p.pid) {
				if v.File == "[stack]" {
					top = v.End
					if top-size < last {
						size = top - last
					}
					break
				}
				last = v.End
			}
		}
		if q.thread.detached {
			flags |= attrDetached
		}
		binary.LittleEndian.PutUint32(b[attrFlags:], flags)
		binary.LittleEndian.PutUint64(b[attrGuardSize:], guard)
		binary.LittleEndian.PutUint64(b[attrStackAddr:], top)
		binary.LittleEndian.PutUint64(b[attrStackSize:], size)
		if err := m.eng.Store(p.pid, uint64(a[1]), b); err != nil {
			m.fault(p, err)
			return 0, bExit
		}
		return 0, bOK
	})
	// The scheduling attributes, as glibc keeps them (only what a program
	// set, or for pthread_getattr_np what the thread has: the model's
	// threads all run SCHED_OTHER at priority 0, as glibc's do unless told).
	attrFlag := func(m *machine, p *proc, attr int64) (uint64, bool) { return m.loadSized(p, attr+attrFlags, 4) }
	setAttrFlag := func(m *machine, p *proc, attr int64, clear, set uint64) bool {
		f, ok := attrFlag(m, p, attr)
		return ok && m.storeSized(p, attr+attrFlags, 4, f&^clear|set)
	}
	def("int pthread_attr_getscope(const pthread_attr_t *attr, int *scope)", func(m *machine, p *proc, a []int64) (int64, bres) {
		f, ok := attrFlag(m, p, a[0])
		return 0, boolRes(ok && m.storeSized(p, a[1], 4, uint64(b2i(f&attrScopeProcess != 0))))
	})
	def("int pthread_attr_setscope(pthread_attr_t *attr, int scope)", func(m *machine, p *proc, a []int64) (int64, bres) {
		switch int32(a[1]) {
		case 0: // PTHREAD_SCOPE_SYSTEM
			return 0, boolRes(setAttrFlag(m, p, a[0], attrScopeProcess, 0))
		case 1: // PTHREAD_SCOPE_PROCESS: Linux's threads are all system scope
			return int64(engine.EOPNOTSUPP), bOK
		}
		return int64(engine.EINVAL), bOK
	})
	def("int pthread_attr_getinheritsched(const pthread_attr_t *attr, int *inherit)", func(m *machine, p *proc, a []int64) (int64, bres) {
		f, ok := attrFlag(m, p, a[0])
		return 0, boolRes(ok && m.storeSized(p, a[1], 4, uint64(b2i(f&attrNotInherit != 0))))
	})
	def("int pthread_attr_setinheritsched(pthread_attr_t *attr, int inherit)", func(m *machine, p *proc, a []int64) (int64, bres) {
		switch int32(a[1]) {
		case 0:
			return 0, boolRes(setAttrFlag(m, p, a[0], attrNotInherit, 0))
		case 1:
			return 0, boolRes(setAttrFlag(m, p, a[0], 0, attrNotInherit))
		}
		return int64(engine.EINVAL), bOK
	})
	def("int pthread_attr_getschedpolicy(const pthread_attr_t *attr, int *policy)", func(m *machine, p *proc, a []int64) (int64, bres) {
		v, ok := m.loadSized(p, a[0]+attrSchedPolicy, 4)
		return 0, boolRes(ok && m.storeSized(p, a[1], 4, v))
	})
	def("int pthread_attr_setschedpolicy(pthread_attr_t *attr, int policy)", func(m *machine, p *proc, a []int64) (int64, bres) {
		if a[1] < 0 || a[1] > 2 { // SCHED_OTHER, SCHED_FIFO, SCHED_RR
			return int64(engine.EINVAL), bOK
		}
		return 0, boolRes(m.storeSized(p, a[0]+attrSchedPolicy, 4, uint64(a[1])) && setAttrFlag(m, p, a[0], 0, attrPolicySet))
	})
	def("int pthread_attr_getschedparam(const pthread_attr_t *attr, struct sched_param *param)", func(m *machine, p *proc, a []int64) (int64, bres) {
		v, ok := m.loadSized(p, a[0]+attrSchedParam, 4)
		return 0, boolRes(ok && m.storeSized(p, a[1], 4, v))
	})
	// pthread_attr_setschedparam checks the priority against the kernel's
	// range for the attribute's policy (sched_get_priority_min/max), as
	// glibc's check_sched_priority_attr does.
	def("int pthread_attr_setschedparam(pthread_attr_t *attr, const struct sched_param *param)", func(m *machine, p *proc, a []int64) (int64, bres) {
		prio, ok := m.loadSized(p, a[1], 4)
		if !ok {
			return 0, bExit
		}
		policy, ok := m.loadSized(p, a[0]+attrSchedPolicy, 4)
		if !ok {
			return 0, bExit
		}
		lo, st := m.sysCall(p, "sched_get_priority_min", "", int64(int32(policy)))
		if st != bOK {
			return 0, st
		}
		hi, st := m.sysCall(p, "sched_get_priority_max", "", int64(int32(policy)))
		if st != bOK {
			return 0, st
		}
		pr := int64(int32(prio))
		if lo < 0 || hi < 0 || pr < lo || pr > hi {
			return int64(engine.EINVAL), bOK
		}
		return 0, boolRes(m.storeSized(p, a[0]+attrSchedParam, 4, prio) && setAttrFlag(m, p, a[0], 0, attrSchedSet))
	})
	def("int pthread_attr_setguardsize(void *attr, unsigned long size)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return 0, boolRes(m.storeU64(p, uint64(a[0])+attrGuardSize, uint64(a[1])))
	})
	def("int pthread_attr_getguardsize(const void *attr, unsigned long *size)", func(m *machine, p *proc, a []int64) (int64, bres) {
		s, ok := m.loadU64(p, uint64(a[0])+attrGuardSize)
		if !ok {
			return 0, bExit
		}
		return 0, boolRes(m.storeU64(p, uint64(a[1]), s))
	})
	def("int pthread_attr_setdetachstate(void *attr, int state)", func(m *machine, p *proc, a []int64) (int64, bres) {
		if a[1] != 0 && a[1] != 1 {
			return int64(engine.EINVAL), bOK
		}
		f, ok := m.loadSized(p, a[0]+attrFlags, 4)
		if !ok {
			return 0, bExit
		}
		f = f&^attrDetached | uint64(a[1])
		return 0, boolRes(m.storeSized(p, a[0]+attrFlags, 4, f))
	})
	def("int pthread_attr_getdetachstate(const void *attr, int *state)", func(m *machine, p *proc, a []int64) (int64, bres) {
		f, ok := m.loadSized(p, a[0]+attrFlags, 4)
		if !ok {
			return 0, bExit
		}
		return 0, boolRes(m.storeSized(p, a[1], 4, f&attrDetached))
	})
	def("int pthread_mutex_init(void *m, const void *attr)", func(m *machine, p *proc, a []int64) (int64, bres) {
		kind := uint64(0)
		if a[1] != 0 {
			k, ok := m.loadSized(p, a[1], 4)
			if !ok {
				return 0, bExit
			}
			kind = k & 3
		}
		if err := m.eng.Store(p.pid, uint64(a[0]), make([]byte, 40)); err != nil {
			m.fault(p, err)
			return 0, bExit
		}
		return 0, boolRes(m.storeSized(p, a[0]+mutexKind, 4, kind))
	})
	def("int pthread_mutex_lock(void *m)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return m.mutexLockOp(p, a[0], false)
	})
	def("int pthread_mutex_trylock(void *m)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return m.mutexLockOp(p, a[0], true)
	})
	def("int pthread_mutex_unlock(void *m)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return m.mutexUnlock(p, a[0])
	})
	def("int pthread_mutex_destroy(void *m)", func(m *machine, p *proc, a []int64) (int64, bres) { return 0, bOK })
	def("int pthread_mutexattr_init(void *attr)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return 0, boolRes(m.storeSized(p, a[0], 4, 0))
	})
	def("int pthread_mutexattr_settype(void *attr, int kind)", func(m *machine, p *proc, a []int64) (int64, bres) {
		if a[1] < 0 || a[1] > 3 {
			return int64(engine.EINVAL), bOK
		}
		return 0, boolRes(m.storeSized(p, a[0], 4, uint64(a[1])))
	})
	def("int pthread_mutexattr_destroy(void *attr)", func(m *machine, p *proc, a []int64) (int64, bres) { return 0, bOK })
	def("int pthread_barrier_init(void *b, const void *attr, unsigned int n)", func(m *machine, p *proc, a []int64) (int64, bres) {
		if uint32(a[2]) == 0 {
			return int64(engine.EINVAL), bOK
		}
		if m.threads.barriers == nil {
			m.threads.barriers = map[futexKey]*barrier{}
		}
		m.threads.barriers[futexKey{pid: p.pid, addr: uint64(a[0])}] = &barrier{count: int(uint32(a[2]))}
		return 0, bOK
	})
	def("int pthread_barrier_wait(void *b)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return m.barrierWait(p, a[0])
	})
	def("int pthread_barrier_destroy(void *b)", func(m *machine, p *proc, a []int64) (int64, bres) {
		delete(m.threads.barriers, futexKey{pid: p.pid, addr: uint64(a[0])})
		return 0, bOK
	})
}
