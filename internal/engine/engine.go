// Package engine defines the one interface every kernel behind the playground
// implements, and the events and state they report.
//
// Two engines sit under it: the simulated kernel (package sim), a
// deterministic model of Linux x86-64 memory management, and the real kernel
// (package realkernel), the host's own system calls in a sandboxed worker. The
// C interpreter touches memory and makes system calls only through an Engine,
// so a program runs the same on either, and everything either does is told as
// an Event.
//
// An Engine is used from one goroutine at a time: the one running the
// program. Events are delivered synchronously to the Sink on that goroutine;
// a Sink that blocks pauses the program exactly at that event (this is how
// stepping works), and a Sink must copy an Event it wants to keep.
package engine

import (
	"errors"
	"fmt"
	"path"
	"strings"
)

// Engine is a kernel: processes with address spaces, files, and the system
// calls and memory accesses that act on them.
type Engine interface {
	// Name is "sim" or "real".
	Name() string

	// Exec creates the program's first process from img, as execve would:
	// the image's areas, a heap at the program break and a [stack].
	Exec(img Image) (Process, error)

	// Syscall makes one system call on behalf of process pid. Pointer
	// arguments are addresses in that process's memory, except the path of
	// calls that take one (open, openat, stat, unlink), which the caller
	// passes read in Call.Path. The kernel's copies to and from user memory
	// (read, write, fstat, mincore, wait4...) are the engine's to make.
	Syscall(pid int, c Call) Result

	// Load reads len(buf) bytes at addr as the user-mode loads of process
	// pid would, faulting pages in. A load that the kernel would answer with
	// a signal returns a *Signal and reads nothing past the fault.
	Load(pid int, addr uint64, buf []byte) error
	// Store writes data at addr as user-mode stores would; see Load.
	Store(pid int, addr uint64, data []byte) error

	// Terminate ends process pid as exit_group(status) does, or, when sig is
	// not 0, as death by that signal does: its address space is torn down,
	// its files closed, and a waiting parent can reap it.
	Terminate(pid int, status, sig int)

	// Maps is the process's areas in address order, as /proc/pid/maps
	// lists them.
	Maps(pid int) []VMA
	// Pages describes each page of [start, end) of process pid.
	Pages(pid int, start, end uint64) []PageInfo
	// Walk is the four-level page-table walk for one address.
	Walk(pid int, addr uint64) Walk
	// State is the whole engine's state for the views: processes, memory,
	// page cache and counters.
	State() State

	// WriteFile places a file in the program's working directory before it
	// runs; ReadFile reads one back as it stands on disk (or, for the real
	// engine, as the host's file reads).
	WriteFile(name string, data []byte) error
	ReadFile(name string) ([]byte, error)

	// Now is the engine's logical clock in nanoseconds (the real engine's is
	// the time since it started), which stamps every event.
	Now() uint64

	// SetSink sets where events go; nil discards them.
	SetSink(s Sink)
	// Close releases everything the engine holds.
	Close() error
}

// Stepper is implemented by an engine whose clock is the model's (the
// simulated kernel): the interpreter tells it how many steps the program
// has run since it last did, before each system call, vDSO call and clock
// read, and the engine's clocks move with them, as a machine's clocks move
// while its CPU runs the program (so a program spinning on a clock sees it
// move). The real engine's clock is the host's, and moves by itself.
type Stepper interface{ Stepped(steps uint64) }

// FaultCounter is implemented by an engine that tells its fault counts
// (State's Counters.MinorFaults and MajorFaults) without building its
// whole state: the interpreter, whose threads the engine does not see,
// charges the faults made in each thread's turn to that thread, as the
// kernel counts them in the task that faulted (getrusage's RUSAGE_THREAD).
type FaultCounter interface{ Faults() (minor, major uint64) }

// Timers is implemented by an engine that keeps the processes' interval
// timers (alarm, setitimer) on its own clock (the simulated kernel; the
// real kernel signals a process by itself): the interpreter, which keeps
// the handlers, asks after the clock moves which have expired. Expired is
// the signal of one of pid's timers that has expired (SIGALRM, SIGVTALRM,
// SIGPROF), rearmed with its interval; 0 when none has.
type Timers interface{ Expired(pid int) int }

// Snapshotter is implemented by engines that can save and restore their
// whole state, which is how the page steps backwards (the simulated engine).
type Snapshotter interface {
	// Snapshot returns an opaque, immutable copy of the engine's state.
	Snapshot() Snapshot
	// Restore returns the engine to a snapshot taken from it.
	Restore(Snapshot) error
}

// Snapshot is an engine's saved state; only the engine that made it reads it.
type Snapshot interface{ Clock() uint64 }

// Sink receives events. The *Event is only valid during the call.
type Sink func(e *Event)

// Image is what Exec loads: the program's read-only data (string literals)
// and its writable data (globals), each placed in its own area, as an ELF
// loader places .rodata and .data/.bss.
type Image struct {
	// Name is the program's path, shown as the file of its areas.
	Name   string
	Rodata []byte
	Data   []byte
	// Bss is the size of zero-initialised data after Data.
	Bss uint64
	// Args and Env are not placed by the engine; the interpreter writes
	// argv onto the stack itself.
}

// Process is a created process and where its image was placed.
type Process struct {
	Pid int
	// RodataAddr and DataAddr are where Image.Rodata and Image.Data start.
	RodataAddr uint64
	DataAddr   uint64
	// Brk is the initial program break (the start of [heap]).
	Brk uint64
	// StackTop is the highest address of [stack] (exclusive); StackLimit is
	// the lowest address the stack may grow down to (RLIMIT_STACK).
	StackTop   uint64
	StackLimit uint64
}

// Call is one system call: its name as strace prints it and its arguments.
type Call struct {
	Name string
	Args []int64
	// Path is the path argument of calls that take one, already read from
	// user memory by the caller.
	Path string
}

// Result is a system call's outcome. Ret is the return value as the C
// library returns it (-1 on failure, MAP_FAILED for mmap), Errno the error.
type Result struct {
	Ret   int64
	Errno Errno
	// Block reports that the call (wait4 with a live child) cannot complete
	// yet: the caller should run other processes and make it again. No event
	// is emitted for a blocked call.
	Block bool
	// Task is the engine's id of the process a fork, vfork, clone or
	// clone3 made, when it differs from Ret (Ret is the child's pid as the
	// caller sees it, in the caller's pid namespace); 0: Ret is it.
	Task int
	// Signal, when not nil, is a signal the call raised against the caller
	// (a read into an unmapped buffer gives EFAULT, not a signal; but a
	// process may kill itself).
	Signal *Signal
}

// Signal is a synchronous signal raised by an access, as the kernel would
// deliver it: SIGSEGV with SEGV_MAPERR or SEGV_ACCERR, SIGBUS with
// BUS_ADRERR, SIGFPE, SIGTRAP.
type Signal struct {
	Signo int
	Code  int
	Addr  uint64
	// Trap says an x86 exception raised the signal, which the kernel
	// keeps in the thread for the signal frame's sigcontext (trap_nr,
	// error_code and, for a page fault, cr2: Addr): TrapNr is its vector
	// (X86_TRAP_PF, X86_TRAP_GP, X86_TRAP_DB, X86_TRAP_DE), ErrorCode a
	// page fault's error code as do_user_addr_fault has it (X86_PF_*).
	// False for a signal sent, or forced without an exception (the
	// thread's last ones stay in the frame).
	Trap      bool
	TrapNr    int
	ErrorCode uint64
}

// QueuedSignal is a signal another process queued with its siginfo
// (rt_sigqueueinfo), for the interpreter to deliver: its number, its
// si_code, and whether it was sent to the process (Shared) or its thread.
type QueuedSignal struct {
	Sig    int
	Code   int
	Shared bool
}

func (s *Signal) Error() string {
	return SignalName(s.Signo) + " (" + s.CodeName() + ") at 0x" + hex(s.Addr)
}

// CodeName is the si_code's symbolic name.
func (s *Signal) CodeName() string {
	if n := SigCodeName(s.Signo, s.Code); n != "" {
		return n
	}
	return itoa(int64(s.Code))
}

// ErrFaultWait is Load's or Store's error when the access's page fault
// sleeps in the kernel until another thread resolves it (a userfaultfd's
// handler): nothing was moved past the faulting page, and the caller is
// to make the access again once others have run, as it makes a blocked
// system call again.
var ErrFaultWait = errors.New("page fault waits for its userfaultfd handler")

// ErrUnsupported is returned (wrapped) by an engine that cannot run on this
// host, or cannot do a particular thing; the API answers 503 for it.
var ErrUnsupported = errors.New("not supported on this host")

func hex(v uint64) string {
	const digits = "0123456789abcdef"
	if v == 0 {
		return "0"
	}
	var b [16]byte
	i := len(b)
	for v > 0 {
		i--
		b[i] = digits[v&15]
		v >>= 4
	}
	return string(b[i:])
}

// Options are the model's settings. Zero fields take the defaults below;
// the real engine honours only those it can (none of the model's).
type Options struct {
	// RAM is simulated physical memory in bytes (default 2 GiB). Simulated
	// RAM is not host RAM: pages hold only what was written to them.
	RAM uint64 `json:"ram,omitempty"`
	// Swap is the simulated swap device in bytes (default 2 GiB).
	Swap uint64 `json:"swap,omitempty"`
	// FaultAround is how many pages a read fault on a file maps around the
	// faulting page when they are already cached: Linux's fault_around_bytes
	// (a debugfs file, /sys/kernel/debug/fault_around_bytes) over 4096;
	// 16 by default, 1 to turn fault-around off.
	FaultAround int `json:"fault_around,omitempty"`
	// MaxMapCount is vm.max_map_count (default 65530).
	MaxMapCount int `json:"max_map_count,omitempty"`
	// DirtyExpire is vm.dirty_expire_centisecs in logical nanoseconds: how
	// old a dirty page must be before the flusher writes it (default 30 s).
	DirtyExpire uint64 `json:"dirty_expire_ns,omitempty"`
	// WritebackInterval is vm.dirty_writeback_centisecs in logical
	// nanoseconds: how often the flusher wakes (default 5 s).
	WritebackInterval uint64 `json:"writeback_interval_ns,omitempty"`
	// StackLimit is RLIMIT_STACK (default 8 MiB).
	StackLimit uint64 `json:"stack_limit,omitempty"`
	// ReadAround is how many pages a page-cache miss reads from disk at
	// once, like the bdi's read_ahead_kb/4 (128 KiB: 32 pages by default;
	// 1 turns readahead off): a major fault on a mapping reads the window
	// around the page (do_sync_mmap_readahead's read-around), read() the
	// pages ahead of it.
	ReadAround int `json:"read_around,omitempty"`
	// NoZeroPage makes an anonymous read fault allocate a zeroed frame
	// instead of mapping the shared zero page, as a kernel booted with
	// pvm_no_zero_page=1 does (this project's build machines are).
	NoZeroPage bool `json:"no_zero_page,omitempty"`
	// THP is /sys/kernel/mm/transparent_hugepage/enabled: "always",
	// "madvise" (the default, as on this project's machines: only areas
	// given MADV_HUGEPAGE get huge pages) or "never".
	THP string `json:"thp,omitempty"`
	// Libc is the C library the process is laid out with: "glibc-2.36"
	// (the default, this machine's: ld.so, libc.so.6 and their areas as a
	// gcc-built PIE finds them) or "none" (a static program: no loader
	// areas).
	Libc string `json:"libc,omitempty"`
	// MaxFolio is the largest page-cache folio a write makes, in pages
	// (mapping_max_folio_order): a write of N bytes puts what it writes
	// in folios of up to N rounded down to a power of two, aligned in the
	// file, as ext4 does here, and a read fault maps each cached folio
	// around it whole. 512 (2 MiB, this machine's) by default; 1 makes
	// the page cache one of 4 KiB pages. A power of two from 1 to 512.
	MaxFolio int `json:"max_folio,omitempty"`
	// BootTime is the wall clock when the model boots, in seconds since
	// the epoch (1970-01-01 00:00 UTC): CLOCK_REALTIME, gettimeofday,
	// time() and the files' times are it plus the model's logical clock.
	// A fixed day by default (DefaultBootTime), so that a program prints
	// the same dates on every run; a setting for a run that must agree
	// with another machine's clock (the corpus gives the native run's).
	BootTime int64 `json:"boot_time,omitempty"`
	// ProgramPath is the absolute path the program's file is at, as
	// /proc/PID/maps and /proc/PID/exe name it: the working directory's
	// file (/home/student/NAME) by default; a setting for a run that must
	// agree with another machine's (the corpus gives the native build's).
	// The file is named there, not made: the model's file system finds
	// the program only in the working directory.
	ProgramPath string `json:"program_path,omitempty"`
}

// OptionError is a setting a user chose that the model does not take:
// Option is its JSON name ("thp"), Problem what is wrong with it.
type OptionError struct{ Option, Problem string }

func (e *OptionError) Error() string { return "options." + e.Option + " " + e.Problem }

// Check says what is wrong with the settings a user chose (an
// *OptionError), or nil when every one is allowed (zero is each one's
// default). The API and the CLI both refuse a run with its answer.
func (o Options) Check() error {
	switch o.THP {
	case "", "always", "madvise", "never":
	default:
		return &OptionError{"thp", fmt.Sprintf("is %q; it must be always, madvise or never", o.THP)}
	}
	switch o.Libc {
	case "", "glibc-2.36", "none":
	default:
		return &OptionError{"libc", fmt.Sprintf("is %q; it must be glibc-2.36 or none", o.Libc)}
	}
	if o.FaultAround < 0 || o.FaultAround > 512 {
		return &OptionError{"fault_around", fmt.Sprintf("is %d; it must be 1..512 (pages), or 0 for the default", o.FaultAround)}
	}
	if o.ReadAround < 0 || o.ReadAround > 512 {
		return &OptionError{"read_around", fmt.Sprintf("is %d; it must be 1..512 (pages), or 0 for the default", o.ReadAround)}
	}
	if o.MaxMapCount < 0 {
		return &OptionError{"max_map_count", fmt.Sprintf("is %d; it must be positive, or 0 for the default", o.MaxMapCount)}
	}
	if o.MaxFolio < 0 || o.MaxFolio > 512 || o.MaxFolio&(o.MaxFolio-1) != 0 {
		return &OptionError{"max_folio", fmt.Sprintf("is %d; it must be a power of two from 1 to 512 (pages), or 0 for the default", o.MaxFolio)}
	}
	if p := o.ProgramPath; p != "" && (p[0] != '/' || path.Clean(p) != p || p == "/" || len(p) >= pathMax || strings.IndexByte(p, 0) >= 0) {
		return &OptionError{"program_path", fmt.Sprintf("is %q; it must be a clean absolute path to a file, shorter than %d bytes, or empty for the default", p, pathMax)}
	}
	if o.BootTime < 0 || o.BootTime > MaxBootTime {
		return &OptionError{"boot_time", fmt.Sprintf("is %d; it must be 1..%d (seconds since 1970), or 0 for the default", o.BootTime, int64(MaxBootTime))}
	}
	return nil
}

// pathMax is PATH_MAX, with the NUL that ends a path.
const pathMax = 4096

// Defaults of Options.
const (
	DefaultRAM               = 2 << 30
	DefaultSwap              = 2 << 30
	DefaultFaultAround       = 16
	DefaultMaxMapCount       = 65530
	DefaultDirtyExpire       = 30e9
	DefaultWritebackInterval = 5e9
	// MinWritebackInterval is the shortest WritebackInterval: one
	// centisecond, the unit of vm.dirty_writeback_centisecs.
	MinWritebackInterval = 10e6
	DefaultStackLimit    = 8 << 20
	DefaultReadAround    = 32
	DefaultTHP           = "madvise"
	DefaultLibc          = "glibc-2.36"
	DefaultMaxFolio      = 512
	// DefaultBootTime is 2026-01-01 00:00:00 UTC.
	DefaultBootTime = 1767225600
	// MaxBootTime is 2200-01-01 00:00:00 UTC: the wall clock in
	// nanoseconds stays far inside CLOCK_REALTIME's signed 64 bits.
	MaxBootTime = 7258118400
)

// WithDefaults returns o with every zero field set to its default.
func (o Options) WithDefaults() Options {
	if o.RAM == 0 {
		o.RAM = DefaultRAM
	}
	if o.Swap == 0 {
		o.Swap = DefaultSwap
	}
	if o.FaultAround == 0 {
		o.FaultAround = DefaultFaultAround
	}
	if o.MaxMapCount == 0 {
		o.MaxMapCount = DefaultMaxMapCount
	}
	if o.DirtyExpire == 0 {
		o.DirtyExpire = DefaultDirtyExpire
	}
	if o.WritebackInterval == 0 {
		o.WritebackInterval = DefaultWritebackInterval
	}
	if o.StackLimit == 0 {
		o.StackLimit = DefaultStackLimit
	}
	if o.ReadAround == 0 {
		o.ReadAround = DefaultReadAround
	}
	if o.THP == "" {
		o.THP = DefaultTHP
	}
	if o.Libc == "" {
		o.Libc = DefaultLibc
	}
	if o.MaxFolio == 0 {
		o.MaxFolio = DefaultMaxFolio
	}
	if o.BootTime == 0 {
		o.BootTime = DefaultBootTime
	}
	return o
}
