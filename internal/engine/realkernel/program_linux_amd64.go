package realkernel

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/mmapplayground/playground/internal/engine"
)

// The marker system call of the native <playground.h> (internal/cc's
// include/playground.h holds the same numbers).
const (
	markerNR         = 0x706c67
	markCheckpoint   = 1
	markQuiet        = 2
	markLoud         = 3
	markStart        = 4
	maxLabel         = 256
	stackScanBytes   = 8192
	defaultMaxProcs  = 32
	ptraceSyscallInf = 0x420e // PTRACE_GET_SYSCALL_INFO
)

// ProgramOptions describe one program gcc built, to run under the tracer.
type ProgramOptions struct {
	// Dir is the program's working directory.
	Dir string
	// Binary is the executable; Source the name of its C file ("prog.c"),
	// whose lines the events carry.
	Binary, Source string
	// Args are argv[1:]; argv[0] is "prog".
	Args []string
	// Launcher is the command that re-executes this binary as the
	// launcher (LaunchIfLauncher): the worker's own command line.
	Launcher []string
	// MapBytes is the program's RLIMIT_AS; FileBytes its RLIMIT_FSIZE;
	// OpenFiles its RLIMIT_NOFILE.
	MapBytes, FileBytes, OpenFiles uint64
	// MaxProcs bounds the program's live processes: a fork past it fails
	// with EAGAIN, as RLIMIT_NPROC would have it.
	MaxProcs int
	// Output bounds the bytes of stdout and stderr.
	Output int
	// ASLR leaves address-space randomisation on (default off, so that
	// addresses repeat from run to run and line up with the model's).
	ASLR bool
	// Terminal gives the program a pseudo-terminal for stdout and stderr
	// (the C library then buffers by line, as in a terminal); else pipes.
	Terminal bool
	// StopAtFaults opens, beside the fault samples, a set of fault events
	// that stop the faulting thread at each of its page faults (perf's
	// sigtrap: a SIGTRAP the tracer takes and suppresses), so that a paced
	// run's fault event shows the program at that fault, not run on to its
	// next system call. The stops are off until SetFaultStops turns them
	// on (while the user steps by fault): each costs the program a signal
	// and the tracer a stop. Where the kernel refuses sigtrap, a note says
	// so and the faults are told from the samples alone.
	StopAtFaults bool
	// User, when not nil, is the unprivileged user and group the program
	// runs as (the worker runs as root: see sandbox), with no
	// supplementary groups; nil keeps the worker's.
	User *UserID
}

// UserID is a user and its group, as numbers.
type UserID struct{ UID, GID int }

// Program is a program gcc built, running in a process of its own (and
// the processes it forks) under ptrace: every system call at its entry and
// exit, the areas after each memory-management call from /proc/PID/maps,
// the page faults from perf_event_open samples, the signals and exits.
// Start and Run must be called from one goroutine locked to its OS thread
// (ptrace answers only the thread that attached).
type Program struct {
	opts  ProgramOptions
	lines *Lines
	start time.Time

	// mu is held while events are made: by the tracer at each stop and by
	// the fault reader between stops, so that a fault sampled before a stop
	// is told before what the stop tells.
	mu   sync.Mutex
	sink engine.Sink
	// qmu guards procs, their areas and counters against the queries,
	// which come from another goroutine (held only to change or copy them).
	qmu sync.Mutex
	// sqmu guards rings and the samples read from them not yet told (sq).
	sqmu  sync.Mutex
	sq    []sample
	spare []sample
	lost  uint64
	// fev is the fault event being told (faultEvent's; mu held).
	fev engine.Event
	// trapping: the trap set is open (StopAtFaults, where the kernel has
	// perf's sigtrap); its SIGTRAPs are the tracer's. With mu held.
	trapping bool
	// tmu guards the trap set's descriptors (traps) and whether they are
	// to be on (trapOn), which SetFaultStops changes from any goroutine.
	tmu    sync.Mutex
	traps  []int
	trapOn bool
	// why is the cause of the context's end, for its error event.
	why     error
	procs   map[int]*proc   // by tgid
	tracees map[int]*tracee // by tid
	rings   []*cpuRings     // the program's fault samples, one pair per CPU
	live    int             // processes not yet exited (the fork limit's count)
	mainPid int
	base    uint64 // the executable's load address
	exe     string // its path as the maps show it

	counters engine.Counters
	output   int
	notes    []string
	hidden   int // the loader's calls before the program's start
	// mainExeced: the first process executed another program (execed).
	mainExeced bool
	forkNoted  bool
	// signalsScoped: Landlock keeps the program's signals to its own
	// processes; else the tracer does (policyEntry).
	signalsScoped bool
	// privateDirs: the program's /tmp and /dev/shm are its own.
	privateDirs bool
	// exitVMAs are the first process's areas at its exit (qmu).
	exitVMAs []engine.VMA
	// exitOrder are the exited processes still in procs, earliest first,
	// and forgotten how many were dropped from it (exitedProcs; qmu).
	exitOrder []int
	forgotten int
	// procSeq numbers the processes in the order the tracer came to know
	// them (newProc).
	procSeq int
	killed  string
	wake    int // eventfd that wakes the fault reader
	epfd    int
}

// proc is one process of the program.
type proc struct {
	pid, parent int
	// seq orders the processes as the tracer came to know them: the
	// state lists them so, the first process first, since pids wrap at
	// pid_max (a fork from pid 32429 may be pid 300).
	seq    int
	areas  []engine.VMA
	exited bool
	status int
	signal string
}

// tracee is one thread the tracer follows.
type tracee struct {
	tid, pid int
	inSys    bool
	nr       int64
	args     [6]uint64
	ip, sp   uint64
	deny     engine.Errno
	quiet    int
	started  bool
	fresh    bool // a new thread or process whose first SIGSTOP is still to come
	// exec is the event of an execve in flight, made at its entry; probe
	// the faccessat2 the tracer made of it (probeExec).
	exec  *engine.Event
	probe *execProbe
}

// Launch is what the worker hands the launcher, in PLAYGROUND_LAUNCH.
type launchSpec struct {
	Binary    string   `json:"binary"`
	Args      []string `json:"args"`
	MapBytes  uint64   `json:"map_bytes"`
	FileBytes uint64   `json:"file_bytes"`
	OpenFiles uint64   `json:"open_files"`
	NoASLR    bool     `json:"no_aslr"`
	// Dir and Landlock: the paths the program may reach, with the
	// kernel's Landlock ABI (0: none here).
	Dir      string `json:"dir"`
	Landlock int    `json:"landlock"`
	// User is the user the program runs as (ProgramOptions.User).
	User *UserID `json:"user,omitempty"`
	// PrivateDirs: the launcher is in a mount namespace of its own,
	// where it mounts the program's /tmp and /dev/shm (program_mounts).
	PrivateDirs bool `json:"private_dirs,omitempty"`
}

// launchEnv carries the launch spec to the launcher.
const launchEnv = "PLAYGROUND_LAUNCH"

// init makes any binary that holds this package the launcher when started
// as one, before its own main (or a test binary's TestMain) runs: the
// worker re-executes itself with the spec in PLAYGROUND_LAUNCH. Init runs
// on the process's first thread, the one the tracer follows
// (PTRACE_TRACEME), which must be the one that calls execve.
func init() {
	if os.Getenv(launchEnv) != "" {
		runtime.LockOSThread()
		LaunchIfLauncher()
	}
}

// launcherDiagFD is the launcher's descriptor for why it failed.
const launcherDiagFD = 3

// LaunchIfLauncher makes this process the program when it was started as
// the launcher: it sets the program's resource limits, turns ASLR off,
// sets no_new_privs, installs the program's seccomp filter, and executes
// the program, under the tracer that started it. It returns only when this
// process is not a launcher. (The package's init calls it.)
func LaunchIfLauncher() {
	raw := os.Getenv(launchEnv)
	if raw == "" {
		return
	}
	// Why the launcher failed goes to launcherDiagFD, a pipe the tracer
	// reads when the launcher ends before the exec; the program never has
	// it (close-on-exec). Its stdout and stderr are the program's.
	unix.CloseOnExec(launcherDiagFD)
	diag := os.NewFile(launcherDiagFD, "launcher-diagnostics")
	fail := func(what string, err error) {
		fmt.Fprintf(diag, "launcher: %s: %v\n", what, err)
		os.Exit(127)
	}
	var s launchSpec
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		fail("bad spec", err)
	}
	set := func(res int, v uint64) {
		if v > 0 {
			if err := unix.Setrlimit(res, &unix.Rlimit{Cur: v, Max: v}); err != nil {
				fail("setrlimit", err)
			}
		}
	}
	set(unix.RLIMIT_FSIZE, s.FileBytes)
	set(unix.RLIMIT_NOFILE, s.OpenFiles)
	unix.Setrlimit(unix.RLIMIT_CORE, &unix.Rlimit{})
	if s.NoASLR {
		if old, _, e := unix.RawSyscall(unix.SYS_PERSONALITY, 0xffffffff, 0, 0); e == 0 {
			unix.RawSyscall(unix.SYS_PERSONALITY, old|addrNoRandomize, 0, 0)
		}
	}
	// Without Landlock there is no private /tmp: nothing would keep the
	// program from the host's beneath it.
	private := s.PrivateDirs && s.Landlock > 0 && mountPrivateDirs(s.Dir) == nil
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		fail("no_new_privs", err)
	}
	if s.Landlock > 0 {
		if err := confinePaths(s.Dir, s.Landlock, private); err != nil {
			fail("landlock", err)
		}
	}
	// After Landlock, whose rules open their paths with the worker's
	// rights (the session's parent directories may be closed to the
	// program's user).
	if s.User != nil {
		becomeUser(*s.User, fail)
	}
	if err := dropCapabilities(); err != nil {
		fail("capabilities", err)
	}
	if err := installProgramFilter(s.Landlock > 0); err != nil {
		fail("seccomp", err)
	}
	// argv[0] as a shell gives it to "./prog".
	argv := append([]string{"./" + filepath.Base(s.Binary)}, s.Args...)
	path := s.Binary
	if filepath.Dir(path) == filepath.Clean(s.Dir) {
		path = argv[0] // from the working directory, as the shell would
	}
	pathp, err := syscall.BytePtrFromString(path)
	if err != nil {
		fail("exec", err)
	}
	argvp, err := syscall.SlicePtrFromStrings(argv)
	if err != nil {
		fail("exec", err)
	}
	envp, err := syscall.SlicePtrFromStrings([]string{"PATH=/usr/bin:/bin", "LC_ALL=C"})
	if err != nil {
		fail("exec", err)
	}
	// RLIMIT_AS last, by raw system calls with nothing allocated between
	// it and execve: this Go process already maps more than the program
	// may (a Go binary's VmSize is about 1.2 GiB at start), so after it
	// any new mapping of the runtime's (a stack, a heap arena) fails and
	// the launcher died of a fatal error before the exec now and then
	// ("the launcher could not execute the program (512)").
	if s.MapBytes > 0 {
		lim := unix.Rlimit{Cur: s.MapBytes, Max: s.MapBytes}
		if _, _, e := unix.RawSyscall6(unix.SYS_PRLIMIT64, 0, unix.RLIMIT_AS, uintptr(unsafe.Pointer(&lim)), 0, 0, 0); e != 0 {
			fail("setrlimit", e)
		}
	}
	_, _, e := unix.RawSyscall(unix.SYS_EXECVE, uintptr(unsafe.Pointer(pathp)), uintptr(unsafe.Pointer(&argvp[0])), uintptr(unsafe.Pointer(&envp[0])))
	fail("exec", e)
}

// StartProgram starts the launcher under ptrace and lets it run to the
// program's execve. The calling goroutine must be locked to its thread and
// must call Run on it.
func StartProgram(opts ProgramOptions) (*Program, error) {
	if opts.MaxProcs == 0 {
		opts.MaxProcs = defaultMaxProcs
	}
	lines, err := ReadLines(opts.Binary, opts.Source)
	if err != nil && lines == nil {
		return nil, fmt.Errorf("reading the program's line table: %w", err)
	}
	abi := LandlockABI()
	ls := launchSpec{Binary: opts.Binary, Args: opts.Args, MapBytes: opts.MapBytes,
		FileBytes: opts.FileBytes, OpenFiles: opts.OpenFiles, NoASLR: !opts.ASLR, Dir: opts.Dir, Landlock: abi, User: opts.User,
		PrivateDirs: abi > 0}
	devnull, err := os.Open(os.DevNull)
	if err != nil {
		return nil, err
	}
	defer devnull.Close()
	// The program's standard output and error are pipes whose contents the
	// tracer reads from its write calls; what reaches the pipes is dropped.
	outR, outW, err := os.Pipe()
	if opts.Terminal {
		outR, outW, err = openPTY()
	}
	if err != nil {
		return nil, err
	}
	go drain(outR)
	defer outW.Close()
	diagR, diagW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	defer diagR.Close()
	defer diagW.Close()
	launch := func() (int, error) {
		spec, _ := json.Marshal(ls)
		attr := &syscall.ProcAttr{
			Dir:   opts.Dir,
			Env:   []string{launchEnv + "=" + string(spec)},
			Files: []uintptr{devnull.Fd(), outW.Fd(), outW.Fd(), diagW.Fd()},
			Sys:   &syscall.SysProcAttr{Ptrace: true, Pdeathsig: syscall.SIGKILL},
		}
		if ls.PrivateDirs {
			withMountNamespace(attr.Sys)
		}
		return syscall.ForkExec(opts.Launcher[0], opts.Launcher, attr)
	}
	pid, err := launch()
	if err != nil && ls.PrivateDirs {
		// The host refuses the namespace: no private /tmp (the note says).
		ls.PrivateDirs = false
		pid, err = launch()
	}
	if err != nil {
		return nil, fmt.Errorf("starting the program's launcher: %w", err)
	}
	diagW.Close() // the launcher holds the only write end: EOF once it is gone
	p := &Program{opts: opts, lines: lines, start: time.Now(), mainPid: pid, signalsScoped: LandlockScopesSignals(abi),
		procs: map[int]*proc{}, tracees: map[int]*tracee{}, wake: -1, epfd: -1}
	// The launcher stops at its own execve (PTRACE_TRACEME); it then runs
	// untraced but for its execve of the program.
	var ws unix.WaitStatus
	if _, err := unix.Wait4(pid, &ws, unix.WALL, nil); err != nil || !ws.Stopped() {
		unix.Kill(pid, unix.SIGKILL)
		return nil, fmt.Errorf("the launcher did not start: %v", ws)
	}
	if err := unix.PtraceSetOptions(pid, unix.PTRACE_O_TRACEEXEC|unix.PTRACE_O_EXITKILL); err != nil {
		unix.Kill(pid, unix.SIGKILL)
		return nil, fmt.Errorf("ptrace: %w", err)
	}
	for {
		if err := unix.PtraceCont(pid, 0); err != nil {
			return nil, fmt.Errorf("ptrace: %w", err)
		}
		if _, err := unix.Wait4(pid, &ws, unix.WALL, nil); err != nil {
			return nil, err
		}
		if ws.Exited() || ws.Signaled() {
			how := fmt.Sprintf("exit status %d", ws.ExitStatus())
			if ws.Signaled() {
				how = "killed by " + engine.SignalName(int(ws.Signal()))
			}
			why, _ := io.ReadAll(io.LimitReader(diagR, 4096))
			if msg := strings.TrimSpace(string(why)); msg != "" {
				return nil, fmt.Errorf("the launcher could not execute the program (%s): %s", how, msg)
			}
			return nil, fmt.Errorf("the launcher could not execute the program (%s)", how)
		}
		if ws.Stopped() && ws.StopSignal() == unix.SIGTRAP && ws.TrapCause() == unix.PTRACE_EVENT_EXEC {
			break
		}
	}
	const opt = unix.PTRACE_O_TRACESYSGOOD | unix.PTRACE_O_TRACEFORK | unix.PTRACE_O_TRACEVFORK |
		unix.PTRACE_O_TRACECLONE | unix.PTRACE_O_TRACEEXEC | unix.PTRACE_O_TRACEEXIT | unix.PTRACE_O_EXITKILL
	if err := unix.PtraceSetOptions(pid, opt); err != nil {
		unix.Kill(pid, unix.SIGKILL)
		return nil, fmt.Errorf("ptrace: %w", err)
	}
	p.procs[pid] = p.newProc(pid)
	p.live = 1
	p.privateDirs = ls.PrivateDirs && mountedPrivateDirs(pid)
	// The next stop is execve's own exit.
	p.tracees[pid] = &tracee{tid: pid, pid: pid, inSys: true, nr: int64(engine.SYS_execve)}
	return p, nil
}

// openPTY opens a pseudo-terminal: its master (to drain) and its slave
// (the program's stdout and stderr).
func openPTY() (master, slave *os.File, err error) {
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, nil, fmt.Errorf("a terminal for the program: %w", err)
	}
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		m.Close()
		return nil, nil, fmt.Errorf("a terminal for the program: %w", err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		m.Close()
		return nil, nil, fmt.Errorf("a terminal for the program: %w", err)
	}
	sl, err := os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		m.Close()
		return nil, nil, fmt.Errorf("a terminal for the program: %w", err)
	}
	return m, sl, nil
}

func drain(f *os.File) {
	buf := make([]byte, 64<<10)
	for {
		if _, err := f.Read(buf); err != nil {
			f.Close()
			return
		}
	}
}

// Kill ends every process of the program.
func (p *Program) Kill(why string) {
	p.mu.Lock()
	if p.killed == "" {
		p.killed = why
	}
	pids := make([]int, 0, len(p.tracees))
	for tid := range p.tracees {
		pids = append(pids, tid)
	}
	p.mu.Unlock()
	for _, tid := range pids {
		unix.Kill(tid, unix.SIGKILL)
	}
}

// Exit is how the program's first process ended.
type Exit struct {
	Status int
	Signal string
}

func (p *Program) now() uint64 { return uint64(time.Since(p.start)) }

func (p *Program) emit(e *engine.Event) {
	e.Time = p.now()
	if p.sink != nil {
		p.sink(e)
	}
}

// Run follows the program to its end, sending its events to sink, and
// calling yield between stops (the worker answers queries there). ctx
// ending kills the program.
func (p *Program) Run(ctx context.Context, sink engine.Sink, yield func()) Exit {
	p.sink = sink
	stop := context.AfterFunc(ctx, func() {
		p.mu.Lock()
		p.why = context.Cause(ctx)
		p.mu.Unlock()
		p.Kill("time")
	})
	defer stop()
	defer p.closeRings()
	quietStops()
	p.startFaultReader()
	resume := func(tid, sig int) {
		if err := unix.PtraceSyscall(tid, sig); err != nil && !errors.Is(err, unix.ESRCH) {
			p.note("ptrace: resuming " + strconv.Itoa(tid) + ": " + err.Error())
		}
	}
	var exit Exit
	mainDone := false
	// The program stands at its execve's PTRACE_EVENT_EXEC stop.
	resume(p.mainPid, 0)
	for len(p.tracees) > 0 {
		if yield != nil {
			yield()
		}
		var ws unix.WaitStatus
		tid, err := unix.Wait4(-1, &ws, unix.WALL, nil)
		if err != nil {
			if errors.Is(err, unix.EINTR) {
				continue
			}
			break
		}
		p.mu.Lock()
		p.collectFaults()
		t := p.tracees[tid]
		if t == nil {
			// A new process or thread can stop before its parent's event.
			t = &tracee{tid: tid, pid: tid, fresh: true, started: true}
			p.tracees[tid] = t
		}
		switch {
		case ws.Exited() || ws.Signaled():
			delete(p.tracees, tid)
			if tid == t.pid {
				pr := p.procs[t.pid]
				if pr == nil {
					// Before its parent's fork event: that event finds it
					// exited.
					pr = p.newProc(t.pid)
					pr.exited = true
					p.qmu.Lock()
					p.procs[t.pid] = pr
					p.qmu.Unlock()
				}
				if !pr.exited {
					p.live--
				}
				p.qmu.Lock()
				if !pr.exited {
					p.exitedProcs(pr)
				}
				pr.exited = true
				if ws.Signaled() {
					pr.status, pr.signal = 128+int(ws.Signal()), engine.SignalName(int(ws.Signal()))
				} else {
					pr.status = ws.ExitStatus()
				}
				p.qmu.Unlock()
				if t.pid == p.mainPid {
					// The run ends when the last of its processes has: a
					// child that outlives its parent runs on, as in a
					// terminal (the wall time bounds it).
					exit = Exit{Status: pr.status, Signal: pr.signal}
					mainDone = true
					if pr.signal == "SIGXCPU" {
						var rl unix.Rlimit
						unix.Getrlimit(unix.RLIMIT_CPU, &rl)
						p.emit(&engine.Event{Type: engine.EvError, Pid: pr.pid, Message: fmt.Sprintf("CPU time limit exceeded (%d s of CPU): the program was stopped", rl.Cur)})
					}
					p.emit(&engine.Event{Type: engine.EvProcess, Op: "exit", Pid: pr.pid, Status: pr.status, Signal: pr.signal})
				} else {
					p.emit(&engine.Event{Type: engine.EvProcess, Op: "exit", Pid: pr.pid, Status: pr.status, Signal: pr.signal})
				}
			}
			p.mu.Unlock()
			continue
		case !ws.Stopped():
			p.mu.Unlock()
			continue
		}
		sig := ws.StopSignal()
		switch {
		case sig == unix.SIGTRAP|0x80:
			p.syscallStop(t)
			p.mu.Unlock()
			resume(tid, 0)
		case sig == unix.SIGTRAP && ws.TrapCause() != 0:
			p.eventStop(t, ws.TrapCause())
			p.mu.Unlock()
			resume(tid, 0)
		case sig == unix.SIGSTOP && t.fresh:
			t.fresh = false
			p.mu.Unlock()
			resume(tid, 0)
		default:
			var si unix.Siginfo
			if err := ptraceGetSiginfo(tid, &si); err != nil {
				// group-stop: let it go on.
				p.mu.Unlock()
				resume(tid, 0)
				continue
			}
			if p.faultTrap(&si) {
				// Stopped at a fault (StopAtFaults): collectFaults above
				// told it; the SIGTRAP is the tracer's, not the program's.
				p.mu.Unlock()
				resume(tid, 0)
				continue
			}
			p.signalStop(t, int(sig), &si)
			p.mu.Unlock()
			resume(tid, int(sig))
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.collectFaults()
	if !mainDone {
		exit = Exit{Status: 0, Signal: "SIGKILL"}
	}
	switch p.killed {
	case "output":
		exit = Exit{Status: 1}
	case "time":
		msg := "the run was cancelled: the program was killed"
		if p.why != nil && !errors.Is(p.why, context.Canceled) {
			msg = p.why.Error()
		}
		p.emit(&engine.Event{Type: engine.EvError, Message: msg})
		exit = Exit{Status: 0, Signal: "SIGKILL"}
	}
	c := p.counters
	p.emit(&engine.Event{Type: engine.EvExit, Pid: p.mainPid, Status: exit.Status, Signal: exit.Signal, VMAs: p.exitVMAs, Counters: &c})
	return exit
}

// kSigaction is the kernel's struct sigaction on x86-64 (rt_sigaction's).
type kSigaction struct {
	handler, flags, restorer, mask uint64
}

// saNoCldStop is SA_NOCLDSTOP.
const saNoCldStop = 1

// quietStops sets SA_NOCLDSTOP on the worker's SIGCHLD handler (the Go
// runtime's): the kernel then sends no SIGCHLD for each ptrace stop of the
// program, only for exits, and still wakes the tracer's wait4
// (do_notify_parent_cldstop). Each of those signals was a signal frame and a
// sigreturn on some thread of the worker, at every stop.
func quietStops() {
	var sa kSigaction
	if _, _, e := unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(unix.SIGCHLD), 0, uintptr(unsafe.Pointer(&sa)), 8, 0, 0); e != 0 {
		return
	}
	if sa.handler <= 1 || sa.flags&saNoCldStop != 0 {
		return // SIG_DFL or SIG_IGN: no signal is delivered anyway
	}
	sa.flags |= saNoCldStop
	unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(unix.SIGCHLD), uintptr(unsafe.Pointer(&sa)), 0, 8, 0, 0)
}

// note sends a note event; with mu held.
func (p *Program) note(msg string) {
	p.emit(&engine.Event{Type: engine.EvNote, Message: msg})
}

// syscallInfo is struct ptrace_syscall_info (include/uapi/linux/ptrace.h).
type syscallInfo struct {
	Op   uint8
	_    [3]uint8
	Arch uint32
	IP   uint64
	SP   uint64
	// entry: nr, args[6]; exit: rval (s64), is_error (u8)
	U [7]uint64
}

const (
	sysInfoEntry = 1
	sysInfoExit  = 2
)

func getSyscallInfo(tid int, si *syscallInfo) error {
	_, _, e := unix.Syscall6(unix.SYS_PTRACE, ptraceSyscallInf, uintptr(tid), unsafe.Sizeof(*si), uintptr(unsafe.Pointer(si)), 0, 0)
	if e != 0 {
		return e
	}
	return nil
}

func ptraceGetSiginfo(tid int, si *unix.Siginfo) error {
	_, _, e := unix.Syscall6(unix.SYS_PTRACE, unix.PTRACE_GETSIGINFO, uintptr(tid), 0, uintptr(unsafe.Pointer(si)), 0, 0)
	if e != 0 {
		return e
	}
	return nil
}

// syscallStop handles a system call's entry or exit; with mu held.
func (p *Program) syscallStop(t *tracee) {
	var si syscallInfo
	if err := getSyscallInfo(t.tid, &si); err != nil {
		return
	}
	switch si.Op {
	case sysInfoEntry:
		t.inSys = true
		t.nr = int64(si.U[0])
		copy(t.args[:], si.U[1:7])
		t.ip, t.sp = si.IP, si.SP
		t.deny = 0
		p.syscallEntry(t)
	case sysInfoExit:
		t.inSys = false
		ret := int64(si.U[0])
		if t.probe != nil {
			p.execProbed(t, ret)
			return
		}
		if t.deny != 0 {
			var regs unix.PtraceRegs
			if unix.PtraceGetRegs(t.tid, &regs) == nil {
				regs.Rax = uint64(-int64(t.deny))
				unix.PtraceSetRegs(t.tid, &regs)
			}
			ret = -int64(t.deny)
		}
		p.syscallExit(t, ret)
	}
}

// cloneThread is CLONE_THREAD: a clone that makes a thread, not a process.
const cloneThread = 0x10000

func (p *Program) isFork(t *tracee) bool {
	switch engine.Sysno(t.nr) {
	case engine.SYS_fork, engine.SYS_vfork:
		return true
	case engine.SYS_clone:
		return t.args[0]&cloneThread == 0
	case engine.SYS_clone3:
		var flags [8]byte
		if p.readMem(t.pid, t.args[0], flags[:]) != nil {
			return true
		}
		return le64(flags[:])&cloneThread == 0
	}
	return false
}

func (p *Program) syscallEntry(t *tracee) {
	if t.nr == markerNR {
		p.marker(t)
		return
	}
	switch {
	case engine.Sysno(t.nr) == engine.SYS_execve || engine.Sysno(t.nr) == engine.SYS_execveat:
		// Never made: the kernel answers whether the program could
		// execute the file (probeExec), and the call fails with that
		// errno, or the process is killed where it would have run
		// another program (execProbed).
		t.exec = nil
		if t.started && t.quiet == 0 {
			ev := p.callEvent(t)
			t.exec = &ev
		}
		if !p.probeExec(t) {
			t.deny = engine.EACCES
		}
	case p.live >= p.opts.MaxProcs && p.isFork(t):
		t.deny = engine.EAGAIN
		if !p.forkNoted {
			p.forkNoted = true
			p.note(fmt.Sprintf("fork refused (EAGAIN): the program may have %d processes at once", p.opts.MaxProcs))
		}
	default:
		t.deny = p.policyEntry(t)
	}
	if t.deny != 0 {
		var regs unix.PtraceRegs
		if unix.PtraceGetRegs(t.tid, &regs) == nil {
			regs.Orig_rax = ^uint64(0) // no such call: the kernel skips it
			unix.PtraceSetRegs(t.tid, &regs)
		}
	}
}

// marker handles playground.h's marker call at its entry.
func (p *Program) marker(t *tracee) {
	switch t.args[0] {
	case markStart:
		if !t.started {
			t.started = true
			p.programStarts(t)
		}
	case markQuiet:
		t.quiet++
	case markLoud:
		if t.quiet > 0 {
			t.quiet--
		}
	case markCheckpoint:
		label := p.readString(t.pid, t.args[1], maxLabel)
		ev := engine.Event{Type: engine.EvCheckpoint, Pid: t.pid, Label: label}
		p.stamp(&ev, t.pid, t.ip, t.sp)
		p.emit(&ev)
	}
}

// programStarts is the program's own start (pg_start's constructor): the
// exec event, the areas the loader made, and the fault samples from here.
func (p *Program) programStarts(t *tracee) {
	pr := p.procs[t.pid]
	areas := p.readAreas(t.pid)
	exe := p.shortPath(p.opts.Binary)
	for _, a := range areas {
		if a.Offset == 0 && p.exe == "" && a.File == exe {
			p.exe, p.base = a.File, a.Start
		}
	}
	for i := range areas {
		areas[i].Loader = true
	}
	p.qmu.Lock()
	pr.areas = areas
	p.qmu.Unlock()
	p.emit(&engine.Event{Type: engine.EvExec, Pid: t.pid, Name: filepath.Base(p.opts.Binary), Path: []string{"do_execve", "load_elf_binary"}})
	for i := range areas {
		v := areas[i]
		p.emit(&engine.Event{Type: engine.EvVMA, Pid: t.pid, Op: "add", Why: "exec", VMA: &v})
	}
	p.note(fmt.Sprintf("real engine: gcc's build of the program in its own process (pid %d) under ptrace; the dynamic loader's and the C library's %d system calls before the program's constructors and main are not shown", t.pid, p.hidden))
	p.openFaultRings(t.pid)
}

func (p *Program) syscallExit(t *tracee, ret int64) {
	if t.nr == markerNR {
		return
	}
	if !t.started {
		p.hidden++
		return
	}
	p.qmu.Lock()
	p.counters.Syscalls++
	p.qmu.Unlock()
	nr := engine.Sysno(t.nr)
	// The program's output, from its writes to 1 and 2.
	if ret > 0 && (nr == engine.SYS_write || nr == engine.SYS_writev) && (t.args[0] == 1 || t.args[0] == 2) {
		text := p.written(t, nr, ret)
		typ := engine.EvStdout
		if t.args[0] == 2 {
			typ = engine.EvStderr
		}
		ev := engine.Event{Type: typ, Pid: t.pid, Text: text}
		p.stamp(&ev, t.pid, t.ip, t.sp)
		p.emit(&ev)
		p.output += len(text)
		if p.opts.Output > 0 && p.output > p.opts.Output {
			p.emit(&engine.Event{Type: engine.EvError, Pid: t.pid, Message: fmt.Sprintf("output limit exceeded (%d bytes): the program was stopped", p.opts.Output)})
			p.killed = "output"
			for tid := range p.tracees {
				unix.Kill(tid, unix.SIGKILL)
			}
		}
	}
	if t.quiet > 0 {
		return
	}
	t.exec = nil
	ev := p.callEvent(t)
	if ret < 0 && ret > -4096 {
		ev.Ret, ev.Errno = -1, engine.Errno(-ret).Name()
	} else {
		ev.Ret = ret
	}
	if mmCall(nr) && ev.Errno == "" {
		p.areasChanged(t.pid, nr.String(), ev.Line, ev.Col)
	}
	p.emit(&ev)
}

// callEvent is the syscall event of t's call, its arguments read from
// the registers at its entry (a path from the program's memory) and its
// source position from the caller's stack; without its result.
func (p *Program) callEvent(t *tracee) engine.Event {
	nr := engine.Sysno(t.nr)
	ev := engine.Event{Type: engine.EvSyscall, Pid: t.pid, Name: nr.String()}
	n, pathIdx := nr.NumArgs()
	ev.Args = make([]engine.Arg, n)
	for i := 0; i < n; i++ {
		if i == pathIdx {
			ev.Args[i] = engine.Arg{Str: p.readString(t.pid, t.args[i], 4096), IsStr: true}
			continue
		}
		ev.Args[i] = engine.Arg{Int: intArg(t.args[i])}
	}
	p.stamp(&ev, t.pid, t.ip, t.sp)
	return ev
}

// execProbe is an execve the tracer turned into faccessat2 (probeExec).
type execProbe struct {
	regs   unix.PtraceRegs // the registers at the execve's entry
	target string          // the file, as the tracer reaches it (/proc/PID/...)
}

// probeExec turns the execve at t's entry into faccessat2(its directory,
// its path, X_OK, AT_EACCESS and its AT_EMPTY_PATH), which the kernel
// answers as the program (its user, its working directory, its root and
// mounts): ENOENT, ENOTDIR, ELOOP, EACCES for a directory it may not
// search or a file without x, as the exec would. The exec itself never
// reaches the kernel, whose loaders (and, for a file of no known format,
// its request_module("binfmt-XXXX"), a modprobe run on the host) stay out
// of the program's reach. It reports false when the registers cannot be
// changed (the call is then refused).
func (p *Program) probeExec(t *tracee) bool {
	var regs unix.PtraceRegs
	if unix.PtraceGetRegs(t.tid, &regs) != nil {
		return false
	}
	cwd := int64(unix.AT_FDCWD)
	dirfd, path, empty := uint64(cwd), regs.Rdi, false
	if engine.Sysno(t.nr) == engine.SYS_execveat {
		dirfd, path, empty = regs.Rdi, regs.Rsi, regs.R8&unix.AT_EMPTY_PATH != 0
	}
	name := p.readString(t.pid, path, 4096)
	pr := execProbe{regs: regs, target: p.procPath(t.pid, int32(dirfd), name, empty)}
	r := regs
	r.Orig_rax = unix.SYS_FACCESSAT2
	r.Rdi, r.Rsi, r.Rdx, r.R10 = dirfd, path, unix.X_OK, unix.AT_EACCESS
	if empty {
		r.R10 |= unix.AT_EMPTY_PATH
	}
	if unix.PtraceSetRegs(t.tid, &r) != nil {
		return false
	}
	t.probe = &pr
	return true
}

// procPath is the file a path names for process pid (relative to its
// dirfd, or its working directory), as the tracer reaches it through
// /proc/PID: the program's root and mounts, not the worker's.
func (p *Program) procPath(pid int, dirfd int32, name string, empty bool) string {
	proc := "/proc/" + strconv.Itoa(pid)
	base := proc + "/cwd"
	if dirfd != unix.AT_FDCWD {
		base = proc + "/fd/" + strconv.Itoa(int(dirfd))
	}
	switch {
	case name == "" && empty:
		return base
	case strings.HasPrefix(name, "/"):
		return proc + "/root" + name
	}
	return base + "/" + name
}

// execProbed ends an execve turned into faccessat2 (probeExec), at its
// exit: the probe's errno, else EACCES for a file that is not regular or
// on a noexec mount and ENOEXEC for one that is neither ELF nor a #!
// script, as execve answers them; a file that would run kills the process
// (execKilled). The registers are the execve's again, its result in rax.
func (p *Program) execProbed(t *tracee, ret int64) {
	pr := t.probe
	t.probe = nil
	var errno engine.Errno
	if ret < 0 {
		errno = engine.Errno(-ret)
	} else {
		errno = execVerdict(pr.target)
	}
	regs := pr.regs
	regs.Rax = uint64(-int64(errno))
	unix.PtraceSetRegs(t.tid, &regs)
	if !t.started {
		p.hidden++
	} else {
		p.qmu.Lock()
		p.counters.Syscalls++
		p.qmu.Unlock()
	}
	if ev := t.exec; ev != nil {
		t.exec = nil
		if errno != 0 {
			ev.Ret, ev.Errno = -1, errno.Name()
		}
		p.emit(ev)
	}
	if errno == 0 {
		p.execKilled(t.pid, pr.target)
	}
}

// execVerdict is what execve would answer for a file the program may
// reach and execute (its faccessat2 said so): 0 where it would run. The
// file is the program's to name, and the tracer is not confined as the
// program is: it is opened O_PATH (which opens no device, and no fifo
// waits), its kind and mount read from that descriptor, and only a
// regular file is read, through that same descriptor (/proc/self/fd), so
// that a name the program changes meanwhile cannot lead elsewhere.
func execVerdict(target string) engine.Errno {
	fd, err := unix.Open(target, unix.O_PATH|unix.O_CLOEXEC, 0)
	if err != nil {
		return 0
	}
	defer unix.Close(fd)
	var st unix.Stat_t
	if unix.Fstat(fd, &st) != nil {
		return 0
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG {
		return engine.EACCES
	}
	var fs unix.Statfs_t
	if unix.Fstatfs(fd, &fs) == nil && fs.Flags&unix.ST_NOEXEC != 0 {
		return engine.EACCES
	}
	rd, err := unix.Open("/proc/self/fd/"+strconv.Itoa(fd), unix.O_RDONLY|unix.O_CLOEXEC|unix.O_NONBLOCK|unix.O_NOCTTY, 0)
	if err != nil {
		return 0
	}
	defer unix.Close(rd)
	var head [4]byte
	n, _ := unix.Pread(rd, head[:], 0)
	if n == 4 && string(head[:]) == "\x7fELF" || n >= 2 && string(head[:2]) == "#!" {
		return 0
	}
	return engine.ENOEXEC
}

// execKilled kills process pid, which executed (or would have) the file
// at target: the real engine runs only the program it built. With mu held.
func (p *Program) execKilled(pid int, target string) {
	what := "another program"
	if exe, err := filepath.EvalSymlinks(target); err == nil {
		what = p.shortPath(exe)
		if rest, ok := strings.CutPrefix(exe, "/proc/"+strconv.Itoa(pid)+"/root"); ok {
			what = p.shortPath(rest)
		}
	}
	p.note(fmt.Sprintf("pid %d executed %s: the real engine runs only the program it built, so the process was killed (SIGKILL) at its execve, before the kernel loaded the new program (an execve that fails returns the kernel's errno)", pid, what))
	if pid == p.mainPid && !p.mainExeced {
		// The areas at exit are those the process had.
		p.mainExeced = true
		p.qmu.Lock()
		p.exitVMAs = append([]engine.VMA(nil), p.procs[pid].areas...)
		p.qmu.Unlock()
	}
	unix.Kill(pid, unix.SIGKILL)
}

// execed handles a PTRACE_EVENT_EXEC stop, which no execve should reach
// (probeExec makes each a faccessat2): if one did, the process is killed
// there, where the kernel has loaded the new program and not yet run an
// instruction of it. A thread other than the leader that executes takes
// the leader's thread ID in the exec, and its former ID is never reported
// again (ptrace(2), "execve(2) under ptrace"): it is forgotten here, or
// the run would wait for it for ever. With mu held.
func (p *Program) execed(t *tracee) {
	caller := t
	if msg, err := unix.PtraceGetEventMsg(t.tid); err == nil && int(msg) != t.tid {
		if ft := p.tracees[int(msg)]; ft != nil {
			caller = ft
			delete(p.tracees, int(msg))
		}
	}
	ev := caller.exec
	t.inSys, t.nr, t.exec = true, caller.nr, nil
	if ev != nil {
		p.qmu.Lock()
		p.counters.Syscalls++
		p.qmu.Unlock()
		ev.Ret = 0
		p.emit(ev)
	}
	exe, _ := os.Readlink("/proc/" + strconv.Itoa(t.pid) + "/exe")
	p.execKilled(t.pid, exe)
}

// mmCall reports whether a call can change the process's areas.
func mmCall(nr engine.Sysno) bool {
	switch nr {
	case engine.SYS_mmap, engine.SYS_munmap, engine.SYS_mprotect, engine.SYS_mremap, engine.SYS_madvise,
		engine.SYS_brk, engine.SYS_msync, engine.SYS_mlock, engine.SYS_mlock2, engine.SYS_munlock,
		engine.SYS_mlockall, engine.SYS_munlockall, engine.SYS_shmat, engine.SYS_shmdt, engine.SYS_remap_file_pages:
		return true
	}
	return false
}

// written is the text a write or writev to fd 1 or 2 wrote (ret bytes).
func (p *Program) written(t *tracee, nr engine.Sysno, ret int64) string {
	if ret > 1<<20 {
		ret = 1 << 20
	}
	buf := make([]byte, ret)
	if nr == engine.SYS_write {
		if p.readMem(t.pid, t.args[1], buf) != nil {
			return ""
		}
		return string(buf)
	}
	// writev: the iovecs in order, up to ret bytes.
	cnt := t.args[2]
	if cnt > 1024 {
		cnt = 1024
	}
	iov := make([]byte, 16*cnt)
	if p.readMem(t.pid, t.args[1], iov) != nil {
		return ""
	}
	out := buf[:0]
	for i := uint64(0); i < cnt && int64(len(out)) < ret; i++ {
		base, n := le64(iov[16*i:]), le64(iov[16*i+8:])
		if rest := uint64(ret) - uint64(len(out)); n > rest {
			n = rest
		}
		chunk := buf[len(out) : len(out)+int(n)]
		if p.readMem(t.pid, base, chunk) != nil {
			break
		}
		out = buf[:len(out)+int(n)]
	}
	return string(out)
}

// eventStop handles a PTRACE_EVENT stop.
func (p *Program) eventStop(t *tracee, cause int) {
	switch cause {
	case unix.PTRACE_EVENT_FORK, unix.PTRACE_EVENT_VFORK, unix.PTRACE_EVENT_CLONE:
		msg, err := unix.PtraceGetEventMsg(t.tid)
		if err != nil {
			return
		}
		child := int(msg)
		thread := cause == unix.PTRACE_EVENT_CLONE && t.args[0]&cloneThread != 0
		if engine.Sysno(t.nr) == engine.SYS_clone3 {
			thread = !p.isFork(t)
		}
		ct := p.tracees[child]
		if ct == nil {
			ct = &tracee{tid: child, fresh: true}
			p.tracees[child] = ct
		}
		ct.started = true
		if thread {
			ct.pid = t.pid
			return
		}
		ct.pid = child
		pr := p.procs[child]
		p.qmu.Lock()
		if pr == nil || pr.parent != 0 {
			// New (or its pid is an exited process's again); not one
			// that exited before this event (parent still 0).
			pr = p.newProc(child)
			p.procs[child] = pr
			p.live++
		}
		pr.parent = t.pid
		p.qmu.Unlock()
		ev := engine.Event{Type: engine.EvProcess, Pid: t.pid, Op: "fork", Child: child}
		p.stamp(&ev, t.pid, t.ip, t.sp)
		p.emit(&ev)
		areas := p.readAreas(child)
		p.qmu.Lock()
		pr.areas = areas
		p.qmu.Unlock()
		for i := range areas {
			v := areas[i]
			e := engine.Event{Type: engine.EvVMA, Pid: child, Op: "add", Why: "fork", VMA: &v, Line: ev.Line, Col: ev.Col}
			p.emit(&e)
		}
	case unix.PTRACE_EVENT_EXIT:
		if t.tid == p.mainPid && !p.mainExeced {
			vmas := p.readAreas(t.pid)
			for i := range vmas {
				v := &vmas[i]
				v.PresentPages = p.presentPages(t.pid, v.Start, v.End)
				if o := areaAt(p.procs[t.pid].areas, v.Start); o != nil && o.Start == v.Start && o.End == v.End {
					v.Loader = o.Loader
				}
			}
			p.qmu.Lock()
			p.exitVMAs = vmas
			p.qmu.Unlock()
		}
	case unix.PTRACE_EVENT_EXEC:
		p.execed(t)
	}
}

// signalStop tells a signal about to be delivered.
func (p *Program) signalStop(t *tracee, sig int, si *unix.Siginfo) {
	ev := engine.Event{Type: engine.EvSignal, Pid: t.pid, Signal: engine.SignalName(sig)}
	code := int(si.Code)
	if n := engine.SigCodeName(sig, code); n != "" {
		ev.Code = n
	}
	if sig == int(unix.SIGSEGV) || sig == int(unix.SIGBUS) {
		// si_addr follows si_signo, si_errno, si_code and padding.
		raw := (*[128]byte)(unsafe.Pointer(si))
		ev.Addr = le64(raw[16:])
	}
	var regs unix.PtraceRegs
	if unix.PtraceGetRegs(t.tid, &regs) == nil {
		p.stamp(&ev, t.pid, regs.Rip, regs.Rsp)
	}
	p.emit(&ev)
}

// stamp sets the event's source position: the instruction's own when it
// is the program's code, else the first return address into the
// program's code on the stack (out of the C library to the caller).
func (p *Program) stamp(ev *engine.Event, pid int, ip, sp uint64) {
	if p.lines == nil || p.base == 0 && p.exe == "" {
		return
	}
	if line, col, ok := p.lines.At(ip - p.base); ok {
		ev.Line, ev.Col = line, col
		return
	}
	// The stack in two reads: the C library's wrappers are shallow, so the
	// caller's return address is nearly always in the first stackFirstRead
	// bytes (a read of 8 KiB at every call cost more than the call).
	var stack [stackScanBytes]byte
	n := p.readMemPartial(pid, sp, stack[:stackFirstRead])
	if p.stampFrom(ev, stack[:n]) || n < stackFirstRead {
		return
	}
	n = p.readMemPartial(pid, sp+stackFirstRead, stack[stackFirstRead:])
	p.stampFrom(ev, stack[stackFirstRead:stackFirstRead+n])
}

// stackFirstRead is the first part of the stack stamp reads.
const stackFirstRead = 512

// stampFrom sets the event's position from the first return address into
// the program's code in the stack words of b, and says whether it found one.
func (p *Program) stampFrom(ev *engine.Event, b []byte) bool {
	for off := 0; off+8 <= len(b); off += 8 {
		ret := le64(b[off:])
		if ret < p.base || !p.lines.InText(ret-p.base) {
			continue
		}
		// A return address points after the call: its line is the call's.
		if line, col, ok := p.lines.At(ret - 1 - p.base); ok {
			ev.Line, ev.Col = line, col
			return true
		}
	}
	return false
}

// areasChanged reads the areas after a call and tells what changed.
func (p *Program) areasChanged(pid int, call string, line, col int) {
	pr := p.procs[pid]
	if pr == nil {
		return
	}
	now := p.readAreas(pid)
	old := map[[2]uint64]engine.VMA{}
	for _, a := range pr.areas {
		old[[2]uint64{a.Start, a.End}] = a
	}
	loader := func(v *engine.VMA) {
		// An area the loader made keeps its mark while it stands unchanged.
		if o, ok := old[[2]uint64{v.Start, v.End}]; ok && o.Loader && o.Perms == v.Perms {
			v.Loader = true
		}
	}
	seen := map[[2]uint64]bool{}
	for i := range now {
		v := now[i]
		k := [2]uint64{v.Start, v.End}
		seen[k] = true
		loader(&v)
		now[i] = v
		o, ok := old[k]
		switch {
		case !ok:
			v.PresentPages = p.presentPages(pid, v.Start, v.End)
			now[i].PresentPages = v.PresentPages
			p.emit(&engine.Event{Type: engine.EvVMA, Pid: pid, Op: "add", Why: call, VMA: &v, Line: line, Col: col})
		case o.Perms != v.Perms || o.File != v.File || o.Offset != v.Offset:
			oc := o
			p.emit(&engine.Event{Type: engine.EvVMA, Pid: pid, Op: "change", Why: call, VMA: &v, Old: &oc, Line: line, Col: col})
		}
	}
	for _, o := range pr.areas {
		if !seen[[2]uint64{o.Start, o.End}] {
			oc := o
			p.emit(&engine.Event{Type: engine.EvVMA, Pid: pid, Op: "remove", Why: call, VMA: &oc, Line: line, Col: col})
		}
	}
	p.qmu.Lock()
	pr.areas = now
	p.qmu.Unlock()
}

// readAreas is /proc/PID/maps as areas; file paths beneath the session's
// directory are shown by their name there.
func (p *Program) readAreas(pid int) []engine.VMA {
	ls, err := readMapsOf("/proc/"+strconv.Itoa(pid)+"/maps", false)
	if err != nil {
		return nil
	}
	out := make([]engine.VMA, 0, len(ls))
	for _, l := range ls {
		out = append(out, engine.VMA{Start: l.start, End: l.end, Perms: l.perms, Offset: l.offset, File: p.shortPath(l.path)})
	}
	return out
}

func (p *Program) shortPath(path string) string {
	dir := p.opts.Dir
	if dir != "" {
		if rest, ok := strings.CutPrefix(path, strings.TrimSuffix(dir, "/")+"/"); ok {
			return rest
		}
	}
	return path
}

// userTop is the end of x86-64's user address space: [vsyscall] lies
// above it, and pagemap has nothing to say there.
const userTop = 1 << 47

func (p *Program) presentPages(pid int, start, end uint64) int {
	if end > userTop {
		return 0
	}
	fd, err := unix.Open("/proc/"+strconv.Itoa(pid)+"/pagemap", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return 0
	}
	defer unix.Close(fd)
	n := 0
	buf := make([]uint64, 4096)
	for a := start; a < end; {
		hi := a + uint64(len(buf))*engine.PageSize
		if hi > end {
			hi = end
		}
		ents, err := pagemap(fd, a, hi, buf)
		if err != nil || len(ents) == 0 {
			break
		}
		for _, x := range ents {
			if x&pmPresent != 0 {
				n++
			}
		}
		a = hi
	}
	return n
}

// readMem reads len(buf) bytes of process pid at addr.
func (p *Program) readMem(pid int, addr uint64, buf []byte) error {
	if len(buf) == 0 {
		return nil
	}
	n := p.readMemPartial(pid, addr, buf)
	if n < len(buf) {
		return unix.EFAULT
	}
	return nil
}

func (p *Program) readMemPartial(pid int, addr uint64, buf []byte) int {
	local := []unix.Iovec{{Base: &buf[0]}}
	local[0].SetLen(len(buf))
	remote := []unix.RemoteIovec{{Base: uintptr(addr), Len: len(buf)}}
	n, err := unix.ProcessVMReadv(pid, local, remote, 0)
	if err != nil {
		return 0
	}
	return n
}

// readString reads a NUL-terminated string of at most max bytes.
func (p *Program) readString(pid int, addr uint64, max int) string {
	if addr == 0 {
		return ""
	}
	var out []byte
	var chunk [256]byte
	for len(out) < max {
		// Do not read across a page boundary in one go: the next page may
		// not be mapped.
		n := int(engine.PageSize - addr%engine.PageSize)
		if n > len(chunk) {
			n = len(chunk)
		}
		got := p.readMemPartial(pid, addr, chunk[:n])
		if got == 0 {
			break
		}
		for i := 0; i < got; i++ {
			if chunk[i] == 0 {
				return string(append(out, chunk[:i]...))
			}
		}
		out = append(out, chunk[:got]...)
		addr += uint64(got)
	}
	if len(out) > max {
		out = out[:max]
	}
	return string(out)
}

func le64(b []byte) uint64 {
	_ = b[7]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

// Queries: what the page asks while the program runs or is paused.

// State is the program's processes and their areas now.
func (p *Program) State() engine.State {
	p.qmu.Lock()
	st := engine.State{Engine: "real", Clock: p.now(), Counters: p.counters}
	procs := make([]proc, 0, len(p.procs))
	for _, pr := range p.procs {
		procs = append(procs, *pr)
	}
	forgotten := p.forgotten
	p.qmu.Unlock()
	sortProcs(procs)
	for _, pr := range procs {
		pid := pr.pid
		ps := engine.ProcessState{Pid: pid, Parent: pr.parent, Exited: pr.exited}
		if pr.exited && pid == p.mainPid {
			// Its address space as it was at its exit (PTRACE_EVENT_EXIT).
			p.qmu.Lock()
			ps.VMAs = append([]engine.VMA(nil), p.exitVMAs...)
			p.qmu.Unlock()
			for _, v := range ps.VMAs {
				ps.RSS += uint64(v.PresentPages)
			}
		}
		if !pr.exited {
			ps.VMAs = p.readAreas(pid)
			for i := range ps.VMAs {
				ps.VMAs[i].PresentPages = p.presentPages(pid, ps.VMAs[i].Start, ps.VMAs[i].End)
				ps.RSS += uint64(ps.VMAs[i].PresentPages)
			}
		}
		st.Processes = append(st.Processes, ps)
	}
	if m := meminfo(); m != nil {
		st.Memory.TotalPages = m["MemTotal"] / 4
		st.Memory.FreePages = m["MemFree"] / 4
		st.Memory.AnonPages = m["AnonPages"] / 4
		st.Memory.FilePages = m["Cached"] / 4
	}
	st.Notes = append(st.Notes, "the real engine: gcc's build of the program under ptrace; areas from /proc/PID/maps, pages from /proc/PID/pagemap, memory is the whole host's (/proc/meminfo)")
	st.Notes = append(st.Notes, p.notes...)
	if forgotten > 0 {
		st.Notes = append(st.Notes, fmt.Sprintf("%d processes that exited earlier are not listed: the state keeps the first process and the last %d to exit", forgotten, maxExitedKept))
	}
	return st
}

// maxExitedKept bounds the exited processes the state lists besides the
// first: a program that forks 10,000 times over its run (pidfd_poll_test)
// would otherwise list them all, at every query.
const maxExitedKept = 16

// exitedProcs notes that pr has exited, forgets its areas (gone with it),
// and forgets the earliest exited process past maxExitedKept (never the
// first process, nor one whose fork the tracer has not yet told: its
// parent's fork event finds it there); with qmu held.
func (p *Program) exitedProcs(pr *proc) {
	pr.areas = nil
	if pr.pid == p.mainPid {
		return
	}
	p.exitOrder = append(p.exitOrder, pr.pid)
	for len(p.exitOrder) > maxExitedKept {
		old := p.procs[p.exitOrder[0]]
		if old != nil && old.exited && old.parent == 0 {
			break
		}
		if old != nil && old.exited {
			delete(p.procs, old.pid)
			p.forgotten++
		}
		// (else its pid is a live process's again)
		p.exitOrder = p.exitOrder[1:]
	}
}

// newProc is process pid, numbered after every process the tracer knew
// before it.
func (p *Program) newProc(pid int) *proc {
	p.procSeq++
	return &proc{pid: pid, seq: p.procSeq}
}

// sortProcs orders the processes as the tracer came to know them.
func sortProcs(a []proc) {
	slices.SortFunc(a, func(x, y proc) int { return cmp.Compare(x.seq, y.seq) })
}

// Pages describes each page of [start, end) of process pid (0: the first).
func (p *Program) Pages(pid int, start, end uint64) []engine.PageInfo {
	if pid == 0 {
		pid = p.mainPid
	}
	start &^= engine.PageMask
	end = pageUp(end)
	if end <= start || end-start > 1<<36 || end > userTop {
		return nil
	}
	fd, err := unix.Open("/proc/"+strconv.Itoa(pid)+"/pagemap", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil
	}
	defer unix.Close(fd)
	pm, _ := pagemap(fd, start, end, nil)
	areas := p.readAreas(pid)
	out := make([]engine.PageInfo, 0, len(pm))
	for i, addr := 0, start; addr < end; i, addr = i+1, addr+engine.PageSize {
		var x uint64
		if i < len(pm) {
			x = pm[i]
		}
		out = append(out, nativePage(addr, x, areaAt(areas, addr)))
	}
	return out
}

func areaAt(areas []engine.VMA, addr uint64) *engine.VMA {
	for i := range areas {
		if addr >= areas[i].Start && addr < areas[i].End {
			return &areas[i]
		}
	}
	return nil
}

// nativePage reads one pagemap entry of a traced process.
func nativePage(addr, x uint64, a *engine.VMA) engine.PageInfo {
	pi := engine.PageInfo{Addr: addr}
	switch {
	case x&pmPresent != 0:
		pi.Bits = engine.PTEPresent | engine.PTEUser
		pi.PFN = x & pmPFNMask
		pi.State = engine.PageDirty
		if x&pmFileShared != 0 && a != nil && a.File != "" && !strings.HasPrefix(a.File, "[") {
			pi.State = engine.PageClean
			pi.InPageCache = true
		}
		if a != nil && len(a.Perms) == 4 {
			if a.Perms[2] != 'x' {
				pi.Bits |= engine.PTENoExec
			}
		}
		if x&pmExclusive != 0 {
			pi.MapCount = 1
		}
	case x&pmSwapped != 0:
		pi.State = engine.PageSwapped
	}
	if x&pmSoftDirty != 0 {
		pi.Bits |= engine.PTESoftDirty
	}
	pi.Flags = pi.Bits.String()
	return pi
}

// Walk is the page walk of addr: the indexes and the PTE from pagemap.
func (p *Program) Walk(pid int, addr uint64) engine.Walk {
	if pid == 0 {
		pid = p.mainPid
	}
	wk := engine.Walk{Addr: addr, Note: "the real engine sees the PTE through /proc/PID/pagemap only; the upper levels are not visible from user space"}
	for i, lvl := range []string{"PGD", "PUD", "PMD", "PTE"} {
		wk.Levels = append(wk.Levels, engine.WalkLevel{Level: lvl, Index: int(addr>>(39-9*uint(i))) & 511})
	}
	pages := p.Pages(pid, addr, addr+1)
	if len(pages) == 1 {
		wk.Bits, wk.PFN, wk.State = pages[0].Flags, pages[0].PFN, pages[0].State.String()
		wk.Levels[3].Present = pages[0].State != engine.PageNone && pages[0].State != engine.PageSwapped
	}
	if a := areaAt(p.readAreas(pid), addr); a != nil {
		v := *a
		wk.VMA = &v
	}
	return wk
}

// Maps is process pid's areas now.
func (p *Program) Maps(pid int) []engine.VMA {
	if pid == 0 {
		pid = p.mainPid
	}
	return p.readAreas(pid)
}

// Lines is the program's line table.
func (p *Program) Lines() *Lines { return p.lines }

// Binary is where the executable is (for the notes).
func (p *Program) Binary() string { return filepath.Base(p.opts.Binary) }

// addrNoRandomize is ADDR_NO_RANDOMIZE (<linux/personality.h>).
const addrNoRandomize = 0x0040000

// intArg is a register as the call's argument: a 32-bit int argument's
// small negative values (-1 for "no file", AT_FDCWD) come zero-extended in
// the register and are shown as the C program wrote them.
func intArg(v uint64) int64 {
	if v >= 0xffffff00 && v <= 0xffffffff {
		return int64(int32(uint32(v)))
	}
	return int64(v)
}
