package realkernel

import (
	"encoding/binary"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Capabilities are what this host lets the engine see, each found by trying
// it once at start-up: an EPERM, EACCES, EINVAL or ENOSYS means "not here".
type Capabilities struct {
	// Perf: perf_event_open page-fault samples (PERF_COUNT_SW_PAGE_FAULTS_MIN
	// and _MAJ, sample period 1, user faults) give each fault's exact address.
	Perf    bool   `json:"perf"`
	PerfErr string `json:"perf_error,omitempty"`
	// Rusage: getrusage(RUSAGE_THREAD) minor and major fault counts.
	Rusage bool `json:"rusage"`
	// Pagemap: /proc/self/pagemap readable; PFN: it shows frame numbers
	// (CAP_SYS_ADMIN); KPageFlags: /proc/kpageflags and kpagecount readable.
	Pagemap    bool `json:"pagemap"`
	PFN        bool `json:"pfn"`
	KPageFlags bool `json:"kpageflags"`
	// SoftDirty: the kernel sets the pagemap soft-dirty bit on a new page
	// (CONFIG_MEM_SOFT_DIRTY).
	SoftDirty bool `json:"soft_dirty"`
	// PagemapScan: the PAGEMAP_SCAN ioctl (Linux 6.7).
	PagemapScan bool `json:"pagemap_scan"`
	// Userfaultfd: userfaultfd(UFFD_USER_MODE_ONLY) can be made.
	Userfaultfd bool   `json:"userfaultfd"`
	UffdErr     string `json:"userfaultfd_error,omitempty"`
	// AnonName: prctl(PR_SET_VMA_ANON_NAME) names the program's anonymous
	// areas ([anon:stack]), which also keeps them from merging with the
	// runtime's.
	AnonName bool `json:"anon_name"`
	// Cachestat: the cachestat system call (Linux 6.5).
	Cachestat bool `json:"cachestat"`
	// Openat2: openat2 with RESOLVE_BENEATH confines paths (Linux 5.6).
	Openat2 bool `json:"openat2"`
	// THP is /sys/kernel/mm/transparent_hugepage/enabled's choice.
	THP string `json:"thp"`
	// ZeroPage: a read fault on an anonymous page maps the shared zero
	// page (and a write after it faults again, to copy it). Not every
	// kernel does: some give the reader a fresh zeroed page at once.
	ZeroPage bool `json:"zero_page"`
	// ZeroPFN is the shared zero page's frame, when PFN and ZeroPage.
	ZeroPFN uint64 `json:"zero_pfn,omitempty"`
}

// Tiers describes the fault tiers in force, for the start-up note.
func (c Capabilities) Tiers() string {
	var t []string
	if c.Perf {
		t = append(t, "perf_event_open page-fault samples (exact addresses)")
	}
	if c.Rusage {
		t = append(t, "getrusage(RUSAGE_THREAD) fault counts")
	}
	if c.Pagemap {
		t = append(t, "pagemap comparison of the pages an access touched")
	}
	if c.Userfaultfd {
		t = append(t, "userfaultfd available (user-mode faults)")
	}
	return strings.Join(t, "; ")
}

// Missing lists, in words for the user, what this host does not show.
func (c Capabilities) Missing() []string {
	var m []string
	if !c.Perf {
		m = append(m, "no perf_event_open page-fault samples here ("+c.PerfErr+"): a fault's address is the page the access touched")
	}
	if !c.PFN {
		m = append(m, "pagemap shows no frame numbers without CAP_SYS_ADMIN: PFNs and the zero page are not shown")
	}
	if !c.SoftDirty {
		m = append(m, "this kernel has no soft-dirty bit (CONFIG_MEM_SOFT_DIRTY): soft-dirty is never shown")
	}
	if !c.Userfaultfd {
		m = append(m, "userfaultfd is not available here ("+c.UffdErr+")")
	}
	if !c.Pagemap {
		m = append(m, "/proc/self/pagemap is not readable: page states are unknown")
	}
	if !c.ZeroPage {
		m = append(m, "this kernel maps no shared zero page on an anonymous read fault: the reader gets its own zeroed page, and a write after it takes no second fault")
	}
	m = append(m, "pagemap does not show the PTE's write, accessed and dirty bits: they come from the engine's record of the program's accesses")
	return m
}

// probe tries each mechanism once. pagemapFD is /proc/self/pagemap or -1.
func probe(pagemapFD int, observe string) (Capabilities, *perfFaults) {
	var c Capabilities
	c.Pagemap = pagemapFD >= 0
	var ru unix.Rusage
	c.Rusage = unix.Getrusage(unix.RUSAGE_THREAD, &ru) == nil
	if b, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled"); err == nil {
		s := string(b)
		if i := strings.IndexByte(s, '['); i >= 0 {
			if j := strings.IndexByte(s[i:], ']'); j > 0 {
				c.THP = s[i+1 : i+j]
			}
		}
	}

	// Scratch pages: one named and written, two read, one of them then
	// written, all read back through pagemap.
	mem, err := unix.Mmap(-1, 0, 3*4096, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
	if err == nil {
		base := uint64(uintptr(unsafe.Pointer(&mem[0])))
		c.AnonName = nameArea(base, 4096, "probe") == nil
		mem[0] = 1
		probeRead(mem[4096:])
		probeRead(mem[8192:])
		if c.Pagemap {
			if pm, err := pagemap(pagemapFD, base, base+3*4096, nil); err == nil && len(pm) == 3 {
				c.SoftDirty = pm[0]&pmSoftDirty != 0
				c.PFN = pm[0]&pmPFNMask != 0
				if c.PFN && pm[1]&pmPFNMask == pm[2]&pmPFNMask {
					c.ZeroPFN = pm[1] & pmPFNMask
				}
			}
		}
		// A write to a page a read mapped faults only if the read mapped
		// the zero page.
		runtime.LockOSThread()
		m0, _ := threadFaults()
		mem[8192] = 1
		m1, _ := threadFaults()
		runtime.UnlockOSThread()
		c.ZeroPage = m1 > m0
		if !c.ZeroPage {
			c.ZeroPFN = 0
		}
		_ = unix.Munmap(mem)
	}
	if c.PFN {
		if fd, err := unix.Open("/proc/kpageflags", unix.O_RDONLY|unix.O_CLOEXEC, 0); err == nil {
			c.KPageFlags = true
			unix.Close(fd)
		}
	}
	if c.Pagemap {
		// PAGEMAP_SCAN with a zero-sized argument: EINVAL from a kernel that
		// has it (bad size), ENOTTY from one that does not.
		var arg [12]uint64
		_, _, e := unix.Syscall(unix.SYS_IOCTL, uintptr(pagemapFD), pagemapScan, uintptr(unsafe.Pointer(&arg[0])))
		c.PagemapScan = e != unix.ENOTTY && e != unix.ENOSYS
	}
	// cachestat(-1, ...): EBADF where the call exists.
	if _, _, e := unix.Syscall6(unix.SYS_CACHESTAT, ^uintptr(0), 0, 0, 0, 0, 0); e == unix.EBADF {
		c.Cachestat = true
	}
	// openat2 on "." with RESOLVE_BENEATH.
	if fd, err := unix.Openat2(unix.AT_FDCWD, ".", &unix.OpenHow{Flags: unix.O_PATH | unix.O_CLOEXEC, Resolve: unix.RESOLVE_BENEATH}); err == nil {
		c.Openat2 = true
		unix.Close(fd)
	}
	// userfaultfd, user-mode faults only (needs no privilege where
	// vm.unprivileged_userfaultfd is 0).
	const uffdUserModeOnly = 1
	if fd, _, e := unix.Syscall(unix.SYS_USERFAULTFD, unix.O_CLOEXEC|unix.O_NONBLOCK|uffdUserModeOnly, 0, 0); e == 0 {
		c.Userfaultfd = true
		unix.Close(int(fd))
	} else {
		c.UffdErr = e.Error()
	}

	var perf *perfFaults
	if observe != "rusage" {
		var err error
		perf, err = openPerfFaults()
		if err != nil {
			c.PerfErr = err.Error()
		} else {
			c.Perf = true
		}
	} else {
		c.PerfErr = "turned off by the engine's options"
	}
	return c, perf
}

// probeRead reads a byte the compiler cannot drop.
//
//go:noinline
func probeRead(b []byte) byte { return b[0] }

// PAGEMAP_SCAN is _IOWR('f', 16, struct pm_scan_arg) (96 bytes).
const pagemapScan = 0xc0606610

// nameArea names an anonymous area (PR_SET_VMA_ANON_NAME, Linux 5.17).
func nameArea(addr, length uint64, name string) error {
	b, err := unix.BytePtrFromString(name)
	if err != nil {
		return err
	}
	_, _, e := unix.Syscall6(unix.SYS_PRCTL, unix.PR_SET_VMA, unix.PR_SET_VMA_ANON_NAME, uintptr(addr), uintptr(length), uintptr(unsafe.Pointer(b)), 0)
	if e != 0 {
		return e
	}
	return nil
}

// perfFaults are two perf events on the calling thread, minor and major
// page faults, each sampling every fault's address into its ring buffer. The
// kernel writes the samples; reading them is plain memory loads.
type perfFaults struct {
	min, maj perfRing
}

type perfRing struct {
	fd   int
	mem  []byte
	meta *unix.PerfEventMmapPage
	data []byte
	lost uint64
}

const (
	perfRecordLost   = 2
	perfRecordSample = 9
)

func openPerfFaults() (*perfFaults, error) {
	p := &perfFaults{}
	if err := p.min.open(unix.PERF_COUNT_SW_PAGE_FAULTS_MIN, 64); err != nil {
		return nil, err
	}
	if err := p.maj.open(unix.PERF_COUNT_SW_PAGE_FAULTS_MAJ, 8); err != nil {
		p.min.close()
		return nil, err
	}
	return p, nil
}

func (r *perfRing) open(config uint64, pages int) error {
	attr := unix.PerfEventAttr{
		Type:        unix.PERF_TYPE_SOFTWARE,
		Config:      config,
		Sample:      1, // sample_period: every fault
		Sample_type: unix.PERF_SAMPLE_ADDR,
		Bits:        unix.PerfBitExcludeKernel | unix.PerfBitExcludeHv,
	}
	return r.openRing(&attr, 0, -1, pages)
}

// openRing opens the perf event attr describes for pid (0: this thread) on
// cpu (-1: any) and maps its ring buffer of pages data pages.
func (r *perfRing) openRing(attr *unix.PerfEventAttr, pid, cpu, pages int) error {
	attr.Size = uint32(unsafe.Sizeof(*attr))
	fd, err := perfEventOpen(attr, pid, cpu)
	if err != nil {
		return fmt.Errorf("perf_event_open: %w", err)
	}
	size := (1 + pages) * os.Getpagesize()
	mem, err := unix.Mmap(fd, 0, size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if err != nil {
		unix.Close(fd)
		return fmt.Errorf("perf_event_open ring buffer: %w", err)
	}
	r.fd, r.mem = fd, mem
	r.meta = (*unix.PerfEventMmapPage)(unsafe.Pointer(&mem[0]))
	off, sz := r.meta.Data_offset, r.meta.Data_size
	if sz == 0 {
		off, sz = uint64(os.Getpagesize()), uint64(pages*os.Getpagesize())
	}
	r.data = mem[off : off+sz]
	return nil
}

// perfEventOpen is perf_event_open(attr, pid, cpu, no group, CLOEXEC),
// again when a signal came first: for another process Linux waits for its
// exec_update_lock interruptibly (EINTR), and the Go runtime's preemption
// signals come at any time.
func perfEventOpen(attr *unix.PerfEventAttr, pid, cpu int) (int, error) {
	for tries := 0; ; tries++ {
		fd, err := unix.PerfEventOpen(attr, pid, cpu, -1, unix.PERF_FLAG_FD_CLOEXEC)
		if err != unix.EINTR || tries == 9 {
			return fd, err
		}
	}
}

func (r *perfRing) close() {
	if r.mem != nil {
		unix.Munmap(r.mem)
		r.mem = nil
	}
	if r.fd > 0 {
		unix.Close(r.fd)
		r.fd = 0
	}
}

// drain discards what the ring holds (faults the Go runtime took).
func (r *perfRing) drain() {
	atomic.StoreUint64(&r.meta.Data_tail, atomic.LoadUint64(&r.meta.Data_head))
}

// collect appends the sampled addresses since the last drain.
func (r *perfRing) collect(out []uint64) []uint64 {
	head := atomic.LoadUint64(&r.meta.Data_head)
	tail := r.meta.Data_tail
	n := uint64(len(r.data))
	for tail+8 <= head {
		typ := r.u32(tail % n)
		size := uint64(r.u16((tail + 6) % n))
		if size < 8 {
			break
		}
		switch typ {
		case perfRecordSample:
			out = append(out, r.u64((tail+8)%n))
		case perfRecordLost:
			r.lost += r.u64((tail + 16) % n)
		}
		tail += size
	}
	atomic.StoreUint64(&r.meta.Data_tail, head)
	return out
}

func (r *perfRing) byteAt(i uint64) uint64 { return uint64(r.data[i%uint64(len(r.data))]) }

// u16, u32 and u64 read the ring at offset i (any, it wraps): in one load
// where the value does not straddle the ring's end.
func (r *perfRing) u16(i uint64) uint16 {
	if o := i % uint64(len(r.data)); o+2 <= uint64(len(r.data)) {
		return binary.LittleEndian.Uint16(r.data[o:])
	}
	return uint16(r.byteAt(i) | r.byteAt(i+1)<<8)
}

func (r *perfRing) u32(i uint64) uint32 {
	if o := i % uint64(len(r.data)); o+4 <= uint64(len(r.data)) {
		return binary.LittleEndian.Uint32(r.data[o:])
	}
	return uint32(r.byteAt(i) | r.byteAt(i+1)<<8 | r.byteAt(i+2)<<16 | r.byteAt(i+3)<<24)
}

func (r *perfRing) u64(i uint64) uint64 {
	if o := i % uint64(len(r.data)); o+8 <= uint64(len(r.data)) {
		return binary.LittleEndian.Uint64(r.data[o:])
	}
	var v uint64
	for k := uint64(0); k < 8; k++ {
		v |= r.byteAt(i+k) << (8 * k)
	}
	return v
}

func (p *perfFaults) close() {
	if p != nil {
		p.min.close()
		p.maj.close()
	}
}

// threadFaults is getrusage(RUSAGE_THREAD)'s minor and major fault counts.
// It is exact per access on a thread the goroutine is locked to.
func threadFaults() (minor, major uint64) {
	var ru unix.Rusage
	unix.RawSyscall(unix.SYS_GETRUSAGE, uintptr(unix.RUSAGE_THREAD), uintptr(unsafe.Pointer(&ru)), 0)
	return uint64(ru.Minflt), uint64(ru.Majflt)
}
