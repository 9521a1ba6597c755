package sim

// The flusher, analogous to the writeback threads (wb_workfn): it wakes
// every dirty_writeback_centisecs (Options.WritebackInterval) of the
// logical clock and writes back every inode dirty for longer than
// dirty_expire_centisecs (Options.DirtyExpire). The clock moves with the
// program's work and with nanosleep, so seed 000's "the background thread
// writes it later" can be watched: a store to a shared mapping, a sleep,
// and the disk write.

// advanceTo moves the clock to t, waking the flusher at each of its timer
// expiries on the way.
func (e *Engine) advanceTo(t uint64) {
	for e.nextFlush <= t {
		if e.clock < e.nextFlush {
			e.clock = e.nextFlush
		}
		e.flusherRun()
		e.nextFlush += e.opts.WritebackInterval
	}
	if e.clock < t {
		e.clock = t
	}
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
