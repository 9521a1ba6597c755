package realkernel

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/mmapplayground/playground/internal/engine"
)

// cpuRings are the program's page-fault samples taken on one CPU: two perf
// events (minor and major faults), each sample with the faulting
// instruction, the pid and tid, the time and the exact address. The events
// are opened once, on the program's first process at its start, with
// inherit: every process and thread it makes from then on carries a copy,
// and Linux writes the copies' samples to the first event's ring buffer
// (perf_output_begin: "for inherited events we send all the output towards
// the parent"), the sample's pid and tid saying whose each is. Linux maps
// an inherited event only when it is bound to a CPU (perf_mmap refuses a
// per-task one, whose children would write one buffer from every CPU), so
// there is a pair on each CPU, and nothing is opened or closed per process.
type cpuRings struct {
	min, maj perfRing
}

const (
	// The sampled fields, in the order the kernel writes them.
	programSampleType = unix.PERF_SAMPLE_IP | unix.PERF_SAMPLE_TID | unix.PERF_SAMPLE_TIME | unix.PERF_SAMPLE_ADDR
	programSampleSize = 8 + 8 + 8 + 8 + 8 // header, ip, pid+tid, time, addr
	// minRingBudget is the minor-fault ring pages of all CPUs together
	// (the kernel bounds what the worker may lock), each CPU's between
	// minRingFloor and maxMinRingPages; a major-fault ring is
	// majRingPages. 512 pages hold 13,107 samples.
	minRingBudget   = 1024
	maxMinRingPages = 512
	minRingFloor    = 16
	majRingPages    = 16
	// The kernel wakes the fault reader when a ring is a quarter full
	// (the events' watermark), not at every sample: the tracer reads the
	// rings at each stop anyway. readerPeriodMs is how often the reader
	// looks without being woken, so that the faults of a program that
	// computes without calls show within it.
	readerPeriodMs = 50
	// perf_event_attr's remove_on_exec and sigtrap bits (36 and 37,
	// include/uapi/linux/perf_event.h), which x/sys/unix does not name.
	perfBitRemoveOnExec = 1 << 36
	perfBitSigtrap      = 1 << 37
	// sigtrapData is the fault events' sig_data: a SIGTRAP whose
	// si_perf_data is this, with si_code TRAP_PERF, is the tracer's own.
	sigtrapData = 0x706c67666c74 // "plgflt"
	// trapPerf is TRAP_PERF, a SIGTRAP's si_code from a perf event.
	trapPerf = 6
)

// openFor opens one fault event on cpu for pid and its future children.
func (r *perfRing) openFor(pid, cpu int, config uint64, pages int) error {
	attr := unix.PerfEventAttr{
		Type:        unix.PERF_TYPE_SOFTWARE,
		Config:      config,
		Sample:      1, // sample_period: every fault
		Sample_type: programSampleType,
		Bits: unix.PerfBitExcludeKernel | unix.PerfBitExcludeHv | unix.PerfBitInherit | unix.PerfBitWatermark |
			unix.PerfBitUseClockID,
		// One clock on every CPU, so that the rings' samples merge in order.
		Clockid: unix.CLOCK_MONOTONIC,
		Wakeup:  uint32(pages * os.Getpagesize() / 4), // wakeup_watermark, in bytes
	}
	return r.openRing(&attr, pid, cpu, pages)
}

// openTrap opens one of the fault events that stop the program (the trap
// set, ProgramOptions.StopAtFaults): for pid and its future children, on
// any CPU, without a ring (the samples come from the rings'), each fault
// sending the faulting thread a SIGTRAP while the event is enabled. It
// starts enabled or not as on says; SetFaultStops turns it on and off, and
// PERF_EVENT_IOC_ENABLE and _DISABLE on it reach its inherited copies
// (perf_event_for_each_child), which a process made while it was off
// inherits off (inherit_event) and follow it from then on.
func openTrap(pid int, config uint64, on bool) (int, error) {
	attr := unix.PerfEventAttr{
		Type:   unix.PERF_TYPE_SOFTWARE,
		Config: config,
		Sample: 1, // sample_period: every fault overflows, and traps
		// Linux asks sigtrap events to go at exec (nothing here executes
		// again) and, for another task, the right to signal it (the
		// tracer has it).
		Bits:     unix.PerfBitExcludeKernel | unix.PerfBitExcludeHv | unix.PerfBitInherit | perfBitSigtrap | perfBitRemoveOnExec,
		Sig_data: sigtrapData,
	}
	if !on {
		attr.Bits |= unix.PerfBitDisabled
	}
	attr.Size = uint32(unsafe.Sizeof(attr))
	fd, err := perfEventOpen(&attr, pid, -1)
	if err != nil {
		return -1, fmt.Errorf("perf_event_open (sigtrap): %w", err)
	}
	return fd, nil
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

// onlineCPUs lists the CPUs of /sys/devices/system/cpu/online ("0-3,6").
func onlineCPUs() []int {
	var cpus []int
	b, err := os.ReadFile("/sys/devices/system/cpu/online")
	if err == nil {
		for _, part := range strings.Split(strings.TrimSpace(string(b)), ",") {
			lo, hi, ok := strings.Cut(part, "-")
			a, err1 := strconv.Atoi(lo)
			z := a
			var err2 error
			if ok {
				z, err2 = strconv.Atoi(hi)
			}
			if err1 != nil || err2 != nil || z < a {
				cpus = nil
				break
			}
			for c := a; c <= z; c++ {
				cpus = append(cpus, c)
			}
		}
	}
	if len(cpus) == 0 {
		for c := 0; c < runtime.NumCPU(); c++ {
			cpus = append(cpus, c)
		}
	}
	return cpus
}

// openFaultRings starts the fault samples of process pid and of every
// process and thread it makes from now on; with mu held. Where perf is
// refused the run goes on without fault events, and a note says so.
func (p *Program) openFaultRings(pid int) {
	rings, err := p.openRingsOn(pid)
	if err != nil {
		p.note(fmt.Sprintf("faults: perf_event_open refused for pid %d (%v): no fault events; the areas' present pages still come from pagemap after each call", pid, err))
		return
	}
	if p.opts.StopAtFaults {
		if err := p.openTraps(pid); err != nil {
			p.note("faults: this kernel does not stop a program at its faults (perf's sigtrap: " + err.Error() + "): a fault event is told from its sample, and a paused one shows the program at its next system call")
		}
	}
	p.sqmu.Lock()
	p.rings = rings
	p.sqmu.Unlock()
	if p.epfd >= 0 {
		for _, r := range rings {
			for _, fd := range []int{r.min.fd, r.maj.fd} {
				ev := unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(fd)}
				unix.EpollCtl(p.epfd, unix.EPOLL_CTL_ADD, fd, &ev)
			}
		}
	}
}

// openTraps opens the trap set (a minor and a major fault event), on or
// off as SetFaultStops last said; with mu held.
func (p *Program) openTraps(pid int) error {
	p.tmu.Lock()
	defer p.tmu.Unlock()
	var fds []int
	for _, config := range []uint64{unix.PERF_COUNT_SW_PAGE_FAULTS_MIN, unix.PERF_COUNT_SW_PAGE_FAULTS_MAJ} {
		fd, err := openTrap(pid, config, p.trapOn)
		if err != nil {
			for _, fd := range fds {
				unix.Close(fd)
			}
			return err
		}
		fds = append(fds, fd)
	}
	p.traps = fds
	p.trapping = true
	return nil
}

// SetFaultStops turns the stops at each fault on or off (StopAtFaults):
// on while the user steps to the next fault, off otherwise, so that a run
// let go on takes no stop per fault. Safe from any goroutine; before the
// program's start it says how the trap set will open.
func (p *Program) SetFaultStops(on bool) error {
	p.tmu.Lock()
	defer p.tmu.Unlock()
	p.trapOn = on
	req := uint(unix.PERF_EVENT_IOC_DISABLE)
	if on {
		req = unix.PERF_EVENT_IOC_ENABLE
	}
	for _, fd := range p.traps {
		if err := unix.IoctlSetInt(fd, req, 0); err != nil {
			return fmt.Errorf("perf: turning the stops at faults %s: %w", map[bool]string{true: "on", false: "off"}[on], err)
		}
	}
	return nil
}

// openRingsOn opens the fault events of pid on every online CPU, all or
// none.
func (p *Program) openRingsOn(pid int) ([]*cpuRings, error) {
	cpus := onlineCPUs()
	pages := maxMinRingPages
	for pages > minRingFloor && pages*len(cpus) > minRingBudget {
		pages /= 2
	}
	var rings []*cpuRings
	for _, cpu := range cpus {
		r := &cpuRings{}
		err := r.min.openFor(pid, cpu, unix.PERF_COUNT_SW_PAGE_FAULTS_MIN, pages)
		for err != nil && pages > minRingFloor && (errors.Is(err, unix.EPERM) || errors.Is(err, unix.ENOMEM)) {
			// Past what the worker may lock: smaller rings from here on.
			pages /= 2
			err = r.min.openFor(pid, cpu, unix.PERF_COUNT_SW_PAGE_FAULTS_MIN, pages)
		}
		if err == nil {
			if err = r.maj.openFor(pid, cpu, unix.PERF_COUNT_SW_PAGE_FAULTS_MAJ, majRingPages); err != nil {
				r.min.close()
			}
		}
		if err != nil {
			for _, r := range rings {
				r.min.close()
				r.maj.close()
			}
			return nil, err
		}
		rings = append(rings, r)
	}
	return rings, nil
}

// faultTrap reports whether a SIGTRAP about to be delivered is the one a
// trap set sent (StopAtFaults), on or since turned off: si_code TRAP_PERF
// and the events' sig_data in si_perf_data (which follows si_addr in
// _sigfault).
func (p *Program) faultTrap(si *unix.Siginfo) bool {
	if !p.trapping || si.Signo != int32(unix.SIGTRAP) || si.Code != trapPerf {
		return false
	}
	raw := (*[128]byte)(unsafe.Pointer(si))
	return le64(raw[24:]) == sigtrapData
}

func (p *Program) closeRings() {
	if p.wake >= 0 {
		var one [8]byte
		one[0] = 1
		unix.Write(p.wake, one[:])
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.tmu.Lock()
	for _, fd := range p.traps {
		unix.Close(fd)
	}
	p.traps = nil
	p.tmu.Unlock()
	p.sqmu.Lock()
	defer p.sqmu.Unlock()
	for _, r := range p.rings {
		r.min.close()
		r.maj.close()
	}
	p.rings = nil
}

// maxQueuedSamples bounds the samples read from the rings and not yet told
// (40 bytes each): the program does not wait for the tracer between its
// faults, and the events' reader (a page, a pipe) may be slower than it.
const maxQueuedSamples = 1 << 20

// startFaultReader reads the fault samples while the program runs: one
// goroutine copies them out of the rings when the kernel wakes it at a
// ring's watermark, and every readerPeriodMs (so that a long stretch of
// faults without a system call, a loop touching 1 GiB, does not overrun a
// ring), another tells them.
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
			n, err := unix.EpollWait(ep, evs, readerPeriodMs)
			if err != nil && err != unix.EINTR {
				return
			}
			for i := 0; i < n; i++ {
				if int(evs[i].Fd) == wake {
					return
				}
				if evs[i].Events&unix.EPOLLHUP != 0 {
					// The event's process and all its children have
					// exited: nothing more will come (and a hung-up event
					// polls ready for ever).
					unix.EpollCtl(ep, unix.EPOLL_CTL_DEL, int(evs[i].Fd), nil)
				}
			}
			p.sqmu.Lock()
			before := len(p.sq)
			p.readRings()
			got := len(p.sq) > before || p.lost > 0
			p.sqmu.Unlock()
			if got {
				select {
				case tell <- struct{}{}:
				default:
				}
			}
		}
	}()
}

// readRings moves the rings' samples to the queue, in time order; with
// sqmu held.
func (p *Program) readRings() {
	n := len(p.sq)
	runs := 0
	for _, r := range p.rings {
		runs += p.readRing(&r.min, false)
		runs += p.readRing(&r.maj, true)
	}
	if runs > 1 {
		// Each ring is in time order; the rings interleave.
		slices.SortStableFunc(p.sq[n:], func(a, b sample) int { return cmp.Compare(a.time, b.time) })
	}
	if len(p.sq) > maxQueuedSamples {
		p.lost += uint64(len(p.sq) - maxQueuedSamples)
		p.sq = p.sq[:maxQueuedSamples]
	}
}

// readRing moves one ring's samples to the queue and says whether there
// were any (1) or not (0); with sqmu held.
func (p *Program) readRing(r *perfRing, major bool) int {
	m := len(p.sq)
	p.sq = r.samples(p.sq, major)
	p.lost += r.lost
	r.lost = 0
	if len(p.sq) > m {
		return 1
	}
	return 0
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

// faultPath is every sampled fault's kernel path. It is shared by the
// events (a sink only reads an event during its call, and nobody writes a
// path).
var faultPath = []string{"handle_mm_fault"}

// faultEvent tells one sampled fault: where, which kind (from the area it
// is in), and the source line of the instruction when it is the program's;
// with mu held. The event is p.fev, made again for each fault (a sink
// keeps nothing of it past its call): 262,144 faults are 262,144 events.
func (p *Program) faultEvent(s *sample) {
	ev := &p.fev
	*ev = engine.Event{Type: engine.EvFault, Pid: s.pid, Addr: s.addr, Major: s.major, Result: "ok",
		Path: faultPath, Kind: engine.FaultAnon}
	p.qmu.Lock()
	if s.major {
		p.counters.MajorFaults++
	} else {
		p.counters.MinorFaults++
	}
	var a *engine.VMA
	if pr := p.procs[s.pid]; pr != nil {
		a = areaAt(pr.areas, s.addr)
	}
	switch {
	case a == nil, a.File == "" || a.File == "[heap]" || a.File == "[stack]":
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
	p.qmu.Unlock()
	if p.lines != nil && s.ip >= p.base {
		if line, col, ok := p.lines.At(s.ip - p.base); ok {
			ev.Line, ev.Col = line, col
		}
	}
	ev.Time = p.now()
	if p.sink != nil {
		p.sink(ev)
	}
}
