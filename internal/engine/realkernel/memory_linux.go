package realkernel

import (
	"runtime/debug"

	"golang.org/x/sys/unix"

	"github.com/mmapplayground/playground/internal/engine"
)

// Load reads len(buf) bytes at addr from the program's memory. A page the
// program already touched is a plain copy; the first touch of a page is
// observed (see observedAccess).
func (e *Engine) Load(pid int, addr uint64, buf []byte) error {
	n := uint64(len(buf))
	if n == 0 {
		return nil
	}
	if a := e.rec.last; a != nil && addr >= a.start && addr+n <= a.end && addr+n > addr &&
		a.prot&(unix.PROT_READ|unix.PROT_WRITE) != 0 && e.known.all(addr, n, false) {
		if fault, faulted := copyIn(addr, buf); faulted {
			return e.signalAt(fault, "read")
		}
		return nil
	}
	return e.access(addr, buf, false)
}

// Store writes data at addr into the program's memory; see Load.
func (e *Engine) Store(pid int, addr uint64, data []byte) error {
	n := uint64(len(data))
	if n == 0 {
		return nil
	}
	if a := e.rec.last; a != nil && addr >= a.start && addr+n <= a.end && addr+n > addr &&
		a.prot&unix.PROT_WRITE != 0 && e.known.all(addr, n, true) {
		if fault, faulted := copyOut(addr, data); faulted {
			return e.signalAt(fault, "write")
		}
		return nil
	}
	return e.access(addr, data, true)
}

// access is the slow path: page by page, checking each against the record
// and observing each first touch.
func (e *Engine) access(addr uint64, buf []byte, write bool) error {
	debug.SetPanicOnFault(true)
	acc := "read"
	if write {
		acc = "write"
	}
	end := addr + uint64(len(buf))
	if end < addr {
		end = ^uint64(0)
	}
	for cur := addr; cur < end; {
		next := min((cur|engine.PageMask)+1, end)
		if next == 0 { // the last page of the address space
			next = end
		}
		chunk := buf[cur-addr : next-addr]
		a := e.rec.find(cur)
		if a == nil {
			// Not the program's: the Go runtime's memory or nothing at all.
			// Either way the program sees no mapping there.
			return e.signal(cur, acc, engine.SIGSEGV, engine.SEGV_MAPERR, engine.FaultMapErr)
		}
		if !permits(a.prot, write) {
			return e.signal(cur, acc, engine.SIGSEGV, engine.SEGV_ACCERR, engine.FaultAccErr)
		}
		if e.known.has(cur, write) {
			var fault uint64
			var faulted bool
			if write {
				fault, faulted = copyOut(cur, chunk)
			} else {
				fault, faulted = copyIn(cur, chunk)
			}
			if faulted {
				return e.signalAt(fault, acc)
			}
		} else if err := e.observedAccess(a, cur, chunk, write); err != nil {
			return err
		}
		cur = next
	}
	return nil
}

func permits(prot int, write bool) bool {
	if write {
		return prot&unix.PROT_WRITE != 0
	}
	// x86-64 cannot make a page writable but not readable.
	return prot&(unix.PROT_READ|unix.PROT_WRITE|unix.PROT_EXEC) != 0
}

// observedAccess makes the first access to a page and watches what the
// kernel did: perf samples (each fault's address, minor or major) or the
// thread's rusage fault counts, and, for file pages (whose fault-around maps
// neighbours) or huge-page areas, a pagemap comparison of the 2 MiB around
// the page.
func (e *Engine) observedAccess(a *area, page uint64, chunk []byte, write bool) error {
	acc := "read"
	if write {
		acc = "write"
	}
	wasRead := e.known.has(page, false)
	lo, hi := page&^engine.PageMask, (page&^engine.PageMask)+engine.PageSize
	window := e.pagemapWindow(a)
	if window {
		lo = max(a.start, page&^(1<<chunkShift-1))
		hi = min(a.end, lo+(1<<chunkShift))
	}
	var before []uint64
	if window && e.pagemapFD >= 0 {
		before, _ = pagemap(e.pagemapFD, lo, hi, e.pmBefore)
		e.pmBefore = before
	}
	var min0, maj0 uint64
	if e.perf != nil {
		e.perf.min.drain()
		e.perf.maj.drain()
	} else {
		min0, maj0 = threadFaults()
	}

	var fault uint64
	var faulted bool
	if write {
		fault, faulted = copyOut(page, chunk)
	} else {
		fault, faulted = copyIn(page, chunk)
	}

	var minor, major uint64
	addrs := e.samples[:0]
	if e.perf != nil {
		addrs = e.perf.min.collect(addrs)
		nmin := len(addrs)
		addrs = e.perf.maj.collect(addrs)
		// Only faults on the program's page count: the Go runtime may fault
		// too, on its own memory.
		k := 0
		for i, x := range addrs {
			if x&^engine.PageMask == page&^engine.PageMask {
				if i < nmin {
					minor++
				} else {
					major++
				}
				addrs[k] = x
				k++
			}
		}
		addrs = addrs[:k]
	} else {
		min1, maj1 := threadFaults()
		minor, major = min1-min0, maj1-maj0
	}
	e.samples = addrs

	if faulted {
		return e.signalAt(fault, acc)
	}
	if minor+major == 0 {
		// Present already (the page was mapped by a call, by fault-around,
		// or by the kernel's own choice): no fault.
		e.known.set(page, write)
		return nil
	}

	// How many pages the fault(s) made present.
	made := 1
	if window && e.pagemapFD >= 0 {
		after, _ := pagemap(e.pagemapFD, lo, hi, e.pmBuf)
		e.pmBuf = after
		made = 0
		for i := range after {
			if after[i]&pmPresent != 0 && (i >= len(before) || before[i]&pmPresent == 0) {
				made++
				// A page mapped around this one is mapped read-only.
				e.known.set(lo+uint64(i)<<engine.PageShift, false)
			}
		}
	}
	e.known.set(page, write)

	kind := faultKind(a, write, wasRead, major > 0, e.caps.ZeroPage)
	faults := minor + major
	for i := uint64(0); i < faults; i++ {
		at := page
		if i < uint64(len(addrs)) {
			at = addrs[i]
		}
		e.ev = engine.Event{Type: engine.EvFault, Addr: at, Access: acc, Kind: kind, Major: i >= minor, Result: "ok"}
		if i == faults-1 {
			e.ev.Pages = made
			e.ev.Kind = kind
		} else if kind == engine.FaultCOW || kind == engine.FaultSharedWrite {
			// Two faults on one write: the read that mapped the page, then
			// the write that copied or dirtied it.
			e.ev.Kind = readKind(a, i >= minor, e.caps.ZeroPage)
		}
		if e.ev.Major {
			e.counters.MajorFaults++
		} else {
			e.counters.MinorFaults++
		}
		e.emit()
	}
	switch kind {
	case engine.FaultCOW:
		e.counters.COWFaults++
	case engine.FaultAnonZero:
		e.counters.ZeroPageMaps++
	}
	e.counters.PTEsSet += uint64(made)
	return nil
}

// pagemapWindow reports whether a first touch in a needs a pagemap
// comparison to tell how many pages it mapped: file pages (fault-around,
// large folios), huge-page areas, shared anonymous memory (shmem folios), or
// every area when Options.Observe is "pagemap".
func (e *Engine) pagemapWindow(a *area) bool {
	return !a.anon || a.shared || a.huge || e.caps.THP == "always" || e.opts.Observe == "pagemap"
}

// faultKind names the fault as the simulated engine does, from the area and
// what the engine knows of the page before.
func faultKind(a *area, write, wasRead, major, zeroPage bool) engine.FaultKind {
	switch {
	case !write:
		return readKind(a, major, zeroPage)
	case a.shared:
		return engine.FaultSharedWrite
	case wasRead && zeroPage || !a.anon:
		// A write to a page mapped read-only (the zero page, a private file
		// page) copies it: do_wp_page, or do_cow_fault for a file page not
		// yet mapped.
		return engine.FaultCOW
	case major:
		return engine.FaultSwap
	}
	return engine.FaultAnon
}

func readKind(a *area, major, zeroPage bool) engine.FaultKind {
	switch {
	case a.anon && !a.shared && major:
		return engine.FaultSwap
	case a.anon && !a.shared && zeroPage:
		return engine.FaultAnonZero
	case a.anon && !a.shared:
		return engine.FaultAnon
	case major:
		return engine.FaultFileMajor
	}
	return engine.FaultFileMinor
}

// signalAt classifies a fault the hardware raised at addr: outside the
// program's areas SEGV_MAPERR, against their protection SEGV_ACCERR, inside
// a file mapping past the file's end SIGBUS.
func (e *Engine) signalAt(addr uint64, acc string) error {
	a := e.rec.find(addr)
	switch {
	case a == nil:
		return e.signal(addr, acc, engine.SIGSEGV, engine.SEGV_MAPERR, engine.FaultMapErr)
	case !permits(a.prot, acc == "write"):
		return e.signal(addr, acc, engine.SIGSEGV, engine.SEGV_ACCERR, engine.FaultAccErr)
	case !a.anon:
		return e.signal(addr, acc, engine.SIGBUS, engine.BUS_ADRERR, engine.FaultSigbus)
	}
	// The record and the kernel disagree: ask the kernel.
	for _, l := range e.kernelAreas() {
		if addr >= l.start && addr < l.end {
			return e.signal(addr, acc, engine.SIGSEGV, engine.SEGV_ACCERR, engine.FaultAccErr)
		}
	}
	return e.signal(addr, acc, engine.SIGSEGV, engine.SEGV_MAPERR, engine.FaultMapErr)
}

func (e *Engine) signal(addr uint64, acc string, signo, code int, kind engine.FaultKind) error {
	s := &engine.Signal{Signo: signo, Code: code, Addr: addr}
	e.ev = engine.Event{Type: engine.EvFault, Addr: addr, Access: acc, Kind: kind, Result: engine.SignalName(signo)}
	e.emit()
	return s
}
