// Package sandbox runs one program on the real kernel in a worker process
// of its own, so that a crash, a runaway loop or a huge mapping hurts only
// that run.
//
// The worker is the playground binary re-executed with the hidden
// subcommand "worker" (cmd/playground calls WorkerMain). The parent side,
// Run, sends the Job as one JSON line on the worker's standard input and
// reads the run's events back as NDJSON from its standard output, one
// engine.Event per line in the encoding of engine.Event.AppendJSON. It
// enforces the wall time by killing the worker's process group.
//
// The worker confines itself before the program runs, taking what the host
// allows and saying in a note event what is in force (docs/real-engine.md
// says what each gives):
//
//	resource limits   RLIMIT_AS, RLIMIT_FSIZE, RLIMIT_NOFILE, RLIMIT_CPU, RLIMIT_CORE=0
//	files             a working directory of its own under Config.Root; paths
//	                  beneath it only (openat2 RESOLVE_BENEATH), plus /dev/zero
//	namespaces        a new user and network namespace (no network), when the
//	                  host lets the parent make them
//	no_new_privs      PR_SET_NO_NEW_PRIVS
//	seccomp           a filter allowing only the calls the worker makes
package sandbox

import (
	"context"
	"os"
	"time"

	"github.com/mmapplayground/playground/internal/limits"
)

// Job is one program to run in a worker.
type Job struct {
	Source string            `json:"source"`
	Name   string            `json:"name"` // the program's file name, "prog.c" by default
	Args   []string          `json:"args,omitempty"`
	Files  map[string]string `json:"files,omitempty"` // placed in the working directory first
	Limits Limits            `json:"limits"`
	// Dir is the worker's working directory; Run sets it.
	Dir string `json:"dir,omitempty"`
	// Observe is realkernel.Options.Observe.
	Observe string `json:"observe,omitempty"`
	// ShowRuntime lists the worker's own (Go runtime) areas too.
	ShowRuntime bool `json:"show_runtime,omitempty"`
	// Paced holds the program at each event until the sink has returned
	// from it, so that a sink that blocks pauses the program exactly there
	// (stepping), with queries still answered. Each event then costs a round
	// trip between the processes: for interactive runs only.
	Paced bool `json:"paced,omitempty"`
	// Terminal is interp.Config.Terminal: stdout and stderr a terminal.
	Terminal bool `json:"terminal,omitempty"`
	// Isolation is what the parent set up for the worker (namespaces), for
	// the worker's note; Run sets it.
	Isolation []string `json:"isolation,omitempty"`
	// CC is the C compiler the worker builds the program with (cc.Find,
	// resolved by the parent, whose environment names it); CFlags its
	// flags (nil: cc.DefaultFlags).
	CC     string   `json:"cc,omitempty"`
	CFlags []string `json:"cflags,omitempty"`
	// CLibs are the libraries the program is linked with (after it).
	CLibs []string `json:"clibs,omitempty"`
	// Interpreter runs the program on the C interpreter with the engine's
	// system calls made for real in the worker (the real engine before gcc's
	// build ran under ptrace), instead of gcc's build.
	Interpreter bool `json:"interpreter,omitempty"`
	// ASLR leaves address-space randomisation on for gcc's build.
	ASLR bool `json:"aslr,omitempty"`
	// Binary is gcc's build of this very job, from the parent's build
	// cache (Config.Builds): the worker places it and does not build.
	Binary []byte `json:"binary,omitempty"`
	// SendBuild asks the worker to send its build to the parent (a
	// {"type":"built"} line) before the program runs, for the cache.
	SendBuild bool `json:"send_build,omitempty"`
}

func (j Job) isolation() []string { return j.Isolation }

// Limits bound one worker. Zero fields take the defaults below.
type Limits struct {
	// WallTime is how long the worker may live; the parent kills its
	// process group then.
	WallTime time.Duration `json:"wall_time,omitempty"`
	// CPUTime is RLIMIT_CPU, rounded up to whole seconds.
	CPUTime time.Duration `json:"cpu_time,omitempty"`
	// MapBytes is the address space the program may map (RLIMIT_AS is set
	// to the worker's own size at start plus this).
	MapBytes uint64 `json:"map_bytes,omitempty"`
	// FileBytes is RLIMIT_FSIZE: how large a file the program may write.
	FileBytes uint64 `json:"file_bytes,omitempty"`
	// OpenFiles is RLIMIT_NOFILE.
	OpenFiles uint64 `json:"open_files,omitempty"`
	// DiskBytes is what the run's working directory may hold in all
	// (blocks allocated), watched by the parent: a worker past it is
	// killed, so that one run cannot fill the disk every run shares.
	DiskBytes uint64 `json:"disk_bytes,omitempty"`
	// Steps, Output and CallDepth are the interpreter's limits
	// (interp.Config); 0 takes its defaults.
	Steps     uint64 `json:"steps,omitempty"`
	Output    int    `json:"output,omitempty"`
	CallDepth int    `json:"call_depth,omitempty"`
}

// Defaults of Limits.
const (
	DefaultWallTime  = 30 * time.Second
	DefaultCPUTime   = 20 * time.Second
	DefaultMapBytes  = limits.RealMapBytes
	DefaultFileBytes = 64 << 20
	DefaultOpenFiles = 64
)

// withDefaults returns l with every zero field set.
func (l Limits) withDefaults() Limits {
	if l.WallTime == 0 {
		l.WallTime = DefaultWallTime
	}
	if l.CPUTime == 0 {
		l.CPUTime = DefaultCPUTime
	}
	if l.MapBytes == 0 {
		l.MapBytes = DefaultMapBytes
	}
	if l.FileBytes == 0 {
		l.FileBytes = DefaultFileBytes
	}
	if l.OpenFiles == 0 {
		l.OpenFiles = DefaultOpenFiles
	}
	if l.DiskBytes == 0 {
		l.DiskBytes = limits.RealDiskBytes
	}
	return l
}

// Result is how the run ended.
type Result struct {
	Status int    // the program's exit status
	Signal string // the signal that ended it ("SIGSEGV"), or ""
	// Killed says why the parent or the kernel ended the worker, when it
	// did: "wall-time", "cpu-time", "crash".
	Killed string
	// CompileErrors counts the program's compile errors (it did not run).
	CompileErrors int
	// WorkerCPU is the CPU time (user and system) the worker used.
	WorkerCPU time.Duration
}

// ServeIfWorker runs this process as a worker and exits, when it was
// started as one ("BINARY worker", as Config.Run starts the running
// binary). The playground binary has its worker subcommand; a test binary
// that makes real runs calls this first in its TestMain, so that it can be
// its own worker instead of running its tests again as one.
func ServeIfWorker() {
	if len(os.Args) < 2 || os.Args[1] != "worker" {
		return
	}
	if err := WorkerMain(context.Background(), os.Stdin, os.Stdout); err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
		os.Exit(2)
	}
	os.Exit(0)
}
