package sim

// The flusher, analogous to the writeback threads (wb_workfn): it wakes
// every dirty_writeback_centisecs (Options.WritebackInterval) of the
// logical clock and writes back every inode dirty for longer than
// dirty_expire_centisecs (Options.DirtyExpire). The clock moves with the
// program's work and with nanosleep, so seed 000's "the background thread
// writes it later" can be watched: a store to a shared mapping, a sleep,
// and the disk write.

// clockMax is where the logical clock stops: CLOCK_MONOTONIC's range
// (a signed 64-bit count of nanoseconds, 292 years). Sleeping past it
// leaves the clock there rather than wrapping it.
const clockMax = 1<<63 - 1

// clockAdd is t+d, stopping at clockMax.
func clockAdd(t, d uint64) uint64 {
	if t >= clockMax || d > clockMax-t {
		return max(t, clockMax) // never backwards
	}
	return t + d
}

// advanceTo moves the clock to t, waking the flusher at each of its timer
// expiries on the way. Wakes that can write nothing (no dirty inode has
// expired by then) are skipped in one step, so a sleep of a century costs
// what a sleep of a second does.
func (e *Engine) advanceTo(t uint64) {
	t = min(t, clockMax)
	iv := max(e.opts.WritebackInterval, 1)
	for e.nextFlush <= t {
		if e.clock < e.nextFlush {
			e.clock = e.nextFlush
		}
		e.flusherRun()
		e.nextFlush = clockAdd(e.nextFlush, iv)
		if e.nextFlush == clockMax {
			break
		}
		// The next wake that has work: the first at or after the
		// earliest expiry of a dirty inode (or t, when none expires).
		due := min(e.nextExpiry(), t)
		if due > e.nextFlush {
			skip := (due - e.nextFlush) / iv
			e.nextFlush = clockAdd(e.nextFlush, skip*iv)
		}
	}
	if e.clock < t {
		e.clock = t
	}
}

// nextExpiry is when the earliest dirty inode's dirty time expires, or
// clockMax when none is dirty.
func (e *Engine) nextExpiry() uint64 {
	due := uint64(clockMax)
	for _, ino := range e.fs.inodes[1:] {
		if ino.nDirty == 0 || ino.kind == kindShmem {
			continue
		}
		due = min(due, clockAdd(ino.dirtiedWhen, e.opts.DirtyExpire))
	}
	return due
}

// flusherWake is called when the clock has passed the timer.
func (e *Engine) flusherWake() { e.advanceTo(e.clock) }

// flusherRun writes back the expired inodes (wb_writeback with
// for_kupdate), in inode order.
func (e *Engine) flusherRun() {
	if e.inFlush {
		return
	}
	e.inFlush = true
	defer func() { e.inFlush = false }()
	now := e.clock
	for _, ino := range e.fs.inodes[1:] {
		if ino.nDirty == 0 || ino.kind == kindShmem {
			continue
		}
		if ino.dirtiedWhen+e.opts.DirtyExpire > now {
			continue
		}
		for _, idx := range ino.sortedIndices() {
			fi := ino.cache[idx]
			if e.mem.f(fi).flags&pgDirty != 0 {
				e.writebackPage(nil, ino, fi, "writeback", false)
			}
		}
	}
}
