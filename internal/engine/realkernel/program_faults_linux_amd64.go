package realkernel

import (
	"errors"
	"fmt"
	"sync/atomic"

	"golang.org/x/sys/unix"

	"github.com/mmapplayground/playground/internal/engine"
)

// perfPID is the page-fault samples of one traced thread: two perf events
// (minor and major faults), each sample with the faulting instruction, the
// pid and tid, the time and the exact address. (An inherited per-task
// event cannot be mapped, so each process and thread has its own pair.)
type perfPID struct {
	min, maj perfRing
}

const (
	// The sampled fields, in the order the kernel writes them.
	programSampleType = unix.PERF_SAMPLE_IP | unix.PERF_SAMPLE_TID | unix.PERF_SAMPLE_TIME | unix.PERF_SAMPLE_ADDR
	programSampleSize = 8 + 8 + 8 + 8 + 8 // header, ip, pid+tid, time, addr
	// The minor-fault ring is read while the program runs (the fault
	// reader, woken every wakeupSamples samples) and at every stop.
	minRingPages = 256
	majRingPages = 8
	// childRingPages is the ring of a forked process or a thread.
	childRingPages = 16
	wakeupSamples  = 64
)

func (r *perfRing) openFor(pid int, config uint64, pages int) error {
	attr := unix.PerfEventAttr{
		Type:        unix.PERF_TYPE_SOFTWARE,
		Config:      config,
		Sample:      1, // sample_period: every fault
		Sample_type: programSampleType,
		Bits:        unix.PerfBitExcludeKernel | unix.PerfBitExcludeHv,
		Wakeup:      wakeupSamples,
	}
	return r.openRing(&attr, pid, pages)
}

// sample is one page fault as perf recorded it.
type sample struct {
	ip, addr, time uint64
	pid            int
	major          bool
}

// samples appends the ring's samples since the last read.
func (r *perfRing) samples(out []sample, major bool) []sample {
	if r.meta == nil {
		return out
	}
	head := atomic.LoadUint64(&r.meta.Data_head)
	tail := r.meta.Data_tail
	for tail+8 <= head {
		typ := r.u32(tail)
		size := uint64(r.u16(tail + 6))
		if size < 8 {
			break
		}
		switch typ {
		case perfRecordSample:
			if size >= programSampleSize {
				out = append(out, sample{ip: r.u64(tail + 8), pid: int(r.u32(tail + 16)), time: r.u64(tail + 24),
					addr: r.u64(tail + 32), major: major})
			}
		case perfRecordLost:
			r.lost += r.u64(tail + 16)
		}
		tail += size
	}
	atomic.StoreUint64(&r.meta.Data_tail, head)
	return out
}

// openRing starts the fault samples of thread tid; with mu held. The first
// process gets the large ring; the others, small ones (the kernel bounds
// what the worker may lock). Where perf is refused the run goes on without
// fault events for that thread, and a note says so once.
func (p *Program) openRing(tid int) {
	if p.rings[tid] != nil {
		return
	}
	pages := minRingPages
	if len(p.rings) > 0 {
		pages = childRingPages
	}
	pp := &perfPID{}
	err := pp.min.openFor(tid, unix.PERF_COUNT_SW_PAGE_FAULTS_MIN, pages)
	for err != nil && pages > childRingPages && (errors.Is(err, unix.EPERM) || errors.Is(err, unix.ENOMEM)) {
		// Past what the worker may lock: a smaller ring.
		pages /= 4
		err = pp.min.openFor(tid, unix.PERF_COUNT_SW_PAGE_FAULTS_MIN, pages)
	}
	if err == nil {
		if err = pp.maj.openFor(tid, unix.PERF_COUNT_SW_PAGE_FAULTS_MAJ, majRingPages); err != nil {
			pp.min.close()
		}
	}
	if err != nil {
		if !p.perfRefused {
			p.perfRefused = true
			p.note(fmt.Sprintf("faults: perf_event_open refused for pid %d (%v): no fault events for it; the areas' present pages still come from pagemap after each call", tid, err))
		}
		return
	}
	p.sqmu.Lock()
	p.rings[tid] = pp
	p.sqmu.Unlock()
	if p.epfd >= 0 {
		ev := unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(pp.min.fd)}
		unix.EpollCtl(p.epfd, unix.EPOLL_CTL_ADD, pp.min.fd, &ev)
	}
}

// closeRing ends thread tid's samples, once what they hold is told; with
// mu held.
func (p *Program) closeRing(tid int) {
	p.sqmu.Lock()
	r := p.rings[tid]
	if r != nil {
		p.readRings()
		delete(p.rings, tid)
	}
	p.sqmu.Unlock()
	if r != nil {
		p.collectFaults()
		r.min.close()
		r.maj.close()
	}
}

func (p *Program) closeRings() {
	if p.wake >= 0 {
		var one [8]byte
		one[0] = 1
		unix.Write(p.wake, one[:])
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sqmu.Lock()
	defer p.sqmu.Unlock()
	for pid, r := range p.rings {
		r.min.close()
		r.maj.close()
		delete(p.rings, pid)
	}
}

// maxQueuedSamples bounds the samples read from the rings and not yet told
// (40 bytes each): the program does not wait for the tracer between its
// faults, and the events' reader (a page, a pipe) may be slower than it.
const maxQueuedSamples = 1 << 20

// startFaultReader reads the fault samples while the program runs: one
// goroutine copies them out of the rings as the kernel wakes it (so that a
// long stretch of faults without a system call, a loop touching 1 GiB,
// does not overrun a ring), another tells them.
func (p *Program) startFaultReader() {
	ep, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return
	}
	wake, err := unix.Eventfd(0, unix.EFD_CLOEXEC)
	if err != nil {
		unix.Close(ep)
		return
	}
	ev := unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(wake)}
	unix.EpollCtl(ep, unix.EPOLL_CTL_ADD, wake, &ev)
	p.epfd, p.wake = ep, wake
	tell := make(chan struct{}, 1)
	go func() {
		for range tell {
			p.mu.Lock()
			p.collectFaults()
			p.mu.Unlock()
		}
	}()
	go func() {
		defer close(tell)
		defer unix.Close(ep)
		defer unix.Close(wake)
		evs := make([]unix.EpollEvent, 8)
		for {
			n, err := unix.EpollWait(ep, evs, -1)
			if err != nil && err != unix.EINTR {
				return
			}
			for i := 0; i < n; i++ {
				if int(evs[i].Fd) == wake {
					return
				}
			}
			p.sqmu.Lock()
			p.readRings()
			p.sqmu.Unlock()
			select {
			case tell <- struct{}{}:
			default:
			}
		}
	}()
}

// readRings moves the rings' samples to the queue; with sqmu held.
func (p *Program) readRings() {
	for _, r := range p.rings {
		n := len(p.sq)
		p.sq = r.min.samples(p.sq, false)
		p.sq = r.maj.samples(p.sq, true)
		if r.maj.meta != nil && len(p.sq)-n > 1 {
			// The two rings interleave in time.
			sortSamples(p.sq[n:])
		}
		p.lost += r.min.lost + r.maj.lost
		r.min.lost, r.maj.lost = 0, 0
		if len(p.sq) > maxQueuedSamples {
			p.lost += uint64(len(p.sq) - maxQueuedSamples)
			p.sq = p.sq[:maxQueuedSamples]
		}
	}
}

// collectFaults tells the samples so far as fault events; with mu held.
func (p *Program) collectFaults() {
	p.sqmu.Lock()
	p.readRings()
	ss, lost := p.sq, p.lost
	p.sq, p.lost = p.spare[:0], 0
	p.sqmu.Unlock()
	for i := range ss {
		p.faultEvent(&ss[i])
	}
	p.spare = ss
	if lost > 0 {
		p.note(fmt.Sprintf("faults: %d fault samples were lost (the ring buffer or the queue was full)", lost))
	}
}

func sortSamples(ss []sample) {
	for i := 1; i < len(ss); i++ {
		for j := i; j > 0 && ss[j].time < ss[j-1].time; j-- {
			ss[j], ss[j-1] = ss[j-1], ss[j]
		}
	}
}

// faultEvent tells one sampled fault: where, which kind (from the area it
// is in), and the source line of the instruction when it is the program's.
func (p *Program) faultEvent(s *sample) {
	ev := engine.Event{Type: engine.EvFault, Pid: s.pid, Addr: s.addr, Major: s.major, Result: "ok",
		Path: []string{"handle_mm_fault"}}
	var a *engine.VMA
	p.qmu.Lock()
	if s.major {
		p.counters.MajorFaults++
	} else {
		p.counters.MinorFaults++
	}
	if pr := p.procs[s.pid]; pr != nil {
		if v := areaAt(pr.areas, s.addr); v != nil {
			c := *v
			a = &c
		}
	}
	p.qmu.Unlock()
	switch {
	case a == nil:
		ev.Kind = engine.FaultAnon
	case a.File == "" || a.File == "[heap]" || a.File == "[stack]":
		ev.Kind = engine.FaultAnon
	case s.major:
		ev.Kind = engine.FaultFileMajor
	default:
		ev.Kind = engine.FaultFileMinor
	}
	// perf's sample has no error code: the access is told only where it
	// is certain (an instruction fetch faults at the instruction; an area
	// without write permission was read), else left out.
	switch {
	case s.addr == s.ip:
		ev.Access = "exec"
	case a != nil && len(a.Perms) == 4 && a.Perms[1] != 'w':
		ev.Access = "read"
	}
	if p.lines != nil && s.ip >= p.base {
		if line, col, ok := p.lines.At(s.ip - p.base); ok {
			ev.Line, ev.Col = line, col
		}
	}
	ev.Time = p.now()
	if p.sink != nil {
		p.sink(&ev)
	}
}
