// Package runner runs one C program on one engine ("sim", "real") or on
// both, and is the piece the CLI and the HTTP API share: it compiles the
// program, creates the engine, places the files, runs the interpreter, and
// sends every event, numbered, to a sink.
//
// A sink that blocks pauses the program exactly at that event; the run's
// engine stays queryable (State, Walk, Pages) from other goroutines while it
// is paused, because the program goroutine holds the run's lock only while
// the engine works and lets go of it around every sink call and every few
// thousand interpreter steps.
package runner

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/engine/sim"
	"github.com/mmapplayground/playground/internal/hostmem"
	"github.com/mmapplayground/playground/internal/interp"
	"github.com/mmapplayground/playground/internal/limits"
	"github.com/mmapplayground/playground/internal/sandbox"
)

// Engines a Request may name.
const (
	EngineSim  = "sim"
	EngineReal = "real"
	EngineBoth = "both"
)

// Request is one run of one program.
type Request struct {
	Engine  string            `json:"engine"`
	Name    string            `json:"name,omitempty"`
	Source  string            `json:"source"`
	Args    []string          `json:"args,omitempty"`
	Files   map[string]string `json:"files,omitempty"`
	Options engine.Options    `json:"options,omitempty"`
	Limits  Limits            `json:"-"`
	// Budget, when set, is the server's host-memory budget: what the run's
	// engine holds counts against it as well as against Limits.Memory.
	Budget *hostmem.Budget `json:"-"`
	// Paced asks a real run's worker to hold the program at each event until
	// the sink returns (sessions that step); the model always is.
	Paced bool `json:"-"`
	// CompileSlots, when set, is the server's compiles at once: a compile
	// takes a slot, waiting for one (until the run's context ends), so that
	// what compiling holds of the host (a large program's tokens and
	// syntax, a hundred MiB or so, counted by no run's budget) is bounded
	// by the number of slots.
	CompileSlots chan struct{} `json:"-"`
	// Terminal runs the program with stdout and stderr a terminal
	// (interp.Config.Terminal): the page's runs; the CLI's are a pipe.
	Terminal bool `json:"terminal,omitempty"`
	// RealInterpreter runs a real run on the C interpreter, its system
	// calls made for real in the worker (the real engine before gcc's
	// build ran under ptrace), instead of gcc's build of the program.
	RealInterpreter bool `json:"real_interpreter,omitempty"`
	// CFlags are extra compiler flags for gcc's build (after
	// cc.DefaultFlags) and CLibs the libraries it links: for callers that
	// build as a package's own build does (the corpus), never from a client.
	CFlags []string `json:"-"`
	CLibs  []string `json:"-"`
}

// Limits bound what one run may spend. Zero fields take the defaults.
type Limits struct {
	// Steps is the interpreter's step budget.
	Steps uint64
	// Output is the bytes of stdout and stderr a program may write.
	Output int
	// CallDepth is the deepest C call stack.
	CallDepth int
	// WallTime is how long a run may take in all.
	WallTime time.Duration
	// RealMapBytes caps the real engine's address space (RLIMIT_AS).
	RealMapBytes uint64
	// RealDiskBytes caps what the real engine's working directory holds.
	RealDiskBytes uint64
	// Memory is the host memory the simulated engine may hold for the
	// run: page contents, the frame table, page tables, files on disk,
	// and on "both" the events kept for the comparison.
	Memory int64
	// SourceBytes and FileBytes cap the program and its input files.
	SourceBytes int
	FileBytes   int
}

// Defaults of Limits. Steps lets a 1 GiB page-by-page loop (262,144
// iterations of a few statements) finish with room to spare.
const (
	DefaultSteps        = limits.Steps
	DefaultOutput       = limits.Output
	DefaultCallDepth    = limits.CallDepth
	DefaultWallTime     = 30 * time.Second
	DefaultRealMapBytes = limits.RealMapBytes
	DefaultSourceBytes  = limits.ProgramBytes
	DefaultFileBytes    = limits.FileBytes
	DefaultMemory       = limits.RunMemory
)

// WithDefaults returns l with each zero field set to its default.
func (l Limits) WithDefaults() Limits {
	if l.Steps == 0 {
		l.Steps = DefaultSteps
	}
	if l.Output == 0 {
		l.Output = DefaultOutput
	}
	if l.CallDepth == 0 {
		l.CallDepth = DefaultCallDepth
	}
	if l.WallTime == 0 {
		l.WallTime = DefaultWallTime
	}
	if l.RealMapBytes == 0 {
		l.RealMapBytes = DefaultRealMapBytes
	}
	if l.RealDiskBytes == 0 {
		l.RealDiskBytes = limits.RealDiskBytes
	}
	if l.Memory == 0 {
		l.Memory = DefaultMemory
	}
	if l.SourceBytes == 0 {
		l.SourceBytes = DefaultSourceBytes
	}
	if l.FileBytes == 0 {
		l.FileBytes = DefaultFileBytes
	}
	return l
}

// Result is how a run ended.
type Result struct {
	// Status is the exit status, or 128 plus the signal that ended it.
	Status int `json:"status"`
	// Signal is the name of the signal that ended it, or "".
	Signal string `json:"signal"`
	// CompileErrors counts the program's compile errors (it did not run).
	CompileErrors int `json:"compile_errors,omitempty"`
	// Events is how many events the run sent.
	Events uint64 `json:"events"`
	// Differences counts the unexplained differences of a run on both.
	Differences int `json:"differences,omitempty"`
}

// Errors a Request can be refused with before anything runs.
var (
	ErrUnknownEngine = errors.New("unknown engine")
	ErrTooLarge      = errors.New("too large")
)

// Validate checks a request against its limits without running it.
func (req *Request) Validate() error {
	switch req.Engine {
	case "", EngineSim, EngineReal, EngineBoth:
	default:
		return fmt.Errorf("%w %q: want sim, real or both", ErrUnknownEngine, req.Engine)
	}
	if err := req.Options.Check(); err != nil {
		return err
	}
	l := req.Limits.WithDefaults()
	if len(req.Source) > l.SourceBytes {
		return fmt.Errorf("program is %d bytes: %w (limit %d)", len(req.Source), ErrTooLarge, l.SourceBytes)
	}
	total := 0
	for name, data := range req.Files {
		if name == "" {
			return errors.New("a file has an empty name")
		}
		total += len(data)
	}
	if total > l.FileBytes {
		return fmt.Errorf("input files are %d bytes: %w (limit %d)", total, ErrTooLarge, l.FileBytes)
	}
	return nil
}

// Runner starts runs. The zero Runner is ready: its real runs start their
// workers as sandbox.Config's defaults say (this executable, "worker").
type Runner struct {
	// Sandbox is how real runs start their workers (sandbox.Config).
	Sandbox sandbox.Config
}

// WithBuildCache is a Runner whose real-engine runs keep gcc's builds, up
// to maxBytes of them in memory (none when it is not positive), for later
// runs of the same program: a server's Runner.
func WithBuildCache(maxBytes int64) *Runner {
	return &Runner{Sandbox: sandbox.Config{Builds: sandbox.NewBuildCache(maxBytes)}}
}

// BuildCacheStats is sandbox.BuildCacheStats.
type BuildCacheStats = sandbox.BuildCacheStats

// BuildCacheStats is what the Runner's build cache holds and how its
// lookups went.
func (rn *Runner) BuildCacheStats() BuildCacheStats { return rn.Sandbox.Builds.Stats() }

// Execute runs req to its end with the zero Runner.
func Execute(ctx context.Context, req Request, sink engine.Sink) (Result, error) {
	return new(Runner).Execute(ctx, req, sink)
}

// Start begins req with the zero Runner (see Runner.Start).
func Start(ctx context.Context, req Request, sink engine.Sink) (*Run, error) {
	return new(Runner).Start(ctx, req, sink)
}

// Available reports whether this host can run the named engine (see the
// package function Available); a method so that a Runner can stand for
// what a server needs of one.
func (rn *Runner) Available(name string) error { return Available(name) }

// Execute runs req to its end, sending every event to sink.
func (rn *Runner) Execute(ctx context.Context, req Request, sink engine.Sink) (Result, error) {
	r, err := rn.Start(ctx, req, sink)
	if err != nil {
		return Result{}, err
	}
	defer r.Close()
	return r.Wait()
}

// A Run is a program running (or finished) on an engine.
type Run struct {
	// mu is held by the program's goroutine while the engine works, and
	// released around sink calls and interpreter yields; queries take it.
	mu     sync.Mutex
	eng    engine.Engine   // nil for runs whose engine lives in another process
	worker *sandbox.Worker // that process, for a real run
	last   *engine.State   // the final state of an engine that lives elsewhere
	// faultStops is what StopAtFaults last told the worker.
	faultStops bool

	// mainPid is the first process's pid, from the first event that names
	// one; queries for pid 0 mean it.
	mainPid int

	done chan struct{}
	res  Result
	err  error
	// release gives back the run's budget (Close).
	release []func()
}

// Start begins req and returns at once; events flow to sink from another
// goroutine. The sink is never called concurrently with itself.
func (rn *Runner) Start(ctx context.Context, req Request, sink engine.Sink) (*Run, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	if req.Engine == "" {
		req.Engine = EngineSim
	}
	if req.Name == "" {
		req.Name = "prog.c"
	}
	if sink == nil {
		sink = func(*engine.Event) {}
	}
	r := &Run{done: make(chan struct{})}
	switch req.Engine {
	case EngineSim:
		if err := r.startSim(ctx, req, sink); err != nil {
			return nil, err
		}
	case EngineReal:
		if err := r.startReal(ctx, &rn.Sandbox, req, sink); err != nil {
			return nil, err
		}
	case EngineBoth:
		if err := r.startBoth(ctx, &rn.Sandbox, req, sink); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// Wait blocks until the program has ended and its exit event was sent.
func (r *Run) Wait() (Result, error) {
	<-r.done
	return r.res, r.err
}

// Done is closed when the run has ended.
func (r *Run) Done() <-chan struct{} { return r.done }

// Close releases the engine. Queries after Close return empty answers.
func (r *Run) Close() error {
	<-r.done
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, f := range r.release {
		f()
	}
	r.release = nil
	if r.eng == nil {
		return nil
	}
	err := r.eng.Close()
	r.eng = nil
	return err
}

// State is the engine's state now (or at the pause).
func (r *Run) State() engine.State {
	if st, ok := workerQuery(r, func(ctx context.Context, w *sandbox.Worker) (engine.State, error) { return w.State(ctx) }); ok {
		return st
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.eng == nil {
		if r.last != nil {
			return *r.last
		}
		return engine.State{}
	}
	return r.eng.State()
}

// Walk is the page-table walk of addr in process pid (0: the main one).
func (r *Run) Walk(pid int, addr uint64) engine.Walk {
	if wk, ok := workerQuery(r, func(ctx context.Context, w *sandbox.Worker) (engine.Walk, error) { return w.Walk(ctx, pid, addr) }); ok {
		return wk
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.eng == nil {
		return engine.Walk{Addr: addr, Note: "this engine's state is not available here"}
	}
	return r.eng.Walk(r.pid(pid), addr)
}

// Pages describes the pages of [start, end) in process pid (0: the main one).
func (r *Run) Pages(pid int, start, end uint64) []engine.PageInfo {
	if pg, ok := workerQuery(r, func(ctx context.Context, w *sandbox.Worker) ([]engine.PageInfo, error) {
		return w.Pages(ctx, pid, start, end)
	}); ok {
		return pg
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.eng == nil {
		return nil
	}
	return r.eng.Pages(r.pid(pid), start, end)
}

// Maps is the areas of process pid (0: the main one).
func (r *Run) Maps(pid int) []engine.VMA {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.eng == nil {
		return nil
	}
	return r.eng.Maps(r.pid(pid))
}

// pid maps 0 to the program's first process. Called with mu held.
func (r *Run) pid(pid int) int {
	if pid != 0 {
		return pid
	}
	return r.mainPid
}

// numberer stamps Seq on events and hands them to sink with the run's lock
// released, so that a sink that blocks (a paused session) leaves the engine
// queryable.
type numberer struct {
	r    *Run
	sink engine.Sink
	seq  uint64
	tag  string
}

func (n *numberer) emit(e *engine.Event) {
	n.seq++
	e.Seq = n.seq
	e.Engine = n.tag
	if n.r.mainPid == 0 && e.Pid != 0 {
		n.r.mainPid = e.Pid
	}
	n.r.mu.Unlock()
	defer n.r.mu.Lock()
	n.sink(e)
}

func (l Limits) interpConfig(args []string, yield func()) interp.Config {
	return interp.Config{
		Args:         args,
		MaxSteps:     l.Steps,
		MaxOutput:    l.Output,
		MaxCallDepth: l.CallDepth,
		Yield:        yield,
	}
}

// compile compiles req's program; on errors it sends them, and the exit
// event gcc's failure amounts to, and reports how many there were.
//
// Compiling is bounded by the program's size (the preprocessor's
// expansion, nesting and initialised data all have limits), and by ctx: a
// run whose time is up, or whose client has gone, while it compiles stops
// compiling at once (interp.CompileContext) and ends with the error that
// says so.
func compile(ctx context.Context, req Request, emit func(*engine.Event)) (*interp.Program, int) {
	while := "while compiling"
	var prog *interp.Program
	var diags []interp.Diagnostic
	if req.CompileSlots != nil {
		select {
		case req.CompileSlots <- struct{}{}:
			defer func() { <-req.CompileSlots }()
		case <-ctx.Done():
			while = fmt.Sprintf("while waiting its turn to compile (--max-compiles: %d at once)", cap(req.CompileSlots))
		}
	}
	if ctx.Err() == nil {
		prog, diags = interp.CompileContext(ctx, req.Name, req.Source)
	}
	if ctx.Err() != nil {
		msg := "run cancelled " + while
		if cause := context.Cause(ctx); errors.Is(cause, context.DeadlineExceeded) {
			msg = "time limit exceeded " + while
		} else if cause != nil && !errors.Is(cause, context.Canceled) {
			msg = cause.Error()
		}
		emit(&engine.Event{Type: engine.EvError, Message: msg})
		emit(&engine.Event{Type: engine.EvExit, Status: 1, Counters: &engine.Counters{}})
		return nil, 0
	}
	if len(diags) == 0 {
		return prog, 0
	}
	for _, d := range diags {
		emit(&engine.Event{Type: engine.EvError, Message: d.Message, Line: d.Line, Col: d.Col, Text: d.Token})
	}
	emit(&engine.Event{Type: engine.EvExit, Status: 1, Counters: &engine.Counters{}})
	return nil, len(diags)
}

// MemoryRaise is how the run-memory limit is raised, for its error.
const MemoryRaise = "--run-memory (PLAYGROUND_RUN_MEMORY)"

// budget holds eng to the run's host-memory budget within req.Budget:
// each time the engine's memory grows it is counted, and a run that
// passes a budget is ended through ctx with the error that says which.
// The budget is given back when the run's engine is released (Close).
func (r *Run) budget(ctx context.Context, req Request, l Limits, eng *sim.Engine, extra func() int64) context.Context {
	b := hostmem.New("run-memory", MemoryRaise, l.Memory, req.Budget)
	ctx, cancel := context.WithCancelCause(ctx)
	eng.SetGrow(func() {
		n := int64(eng.HostBytes())
		if extra != nil {
			n += extra()
		}
		if err := b.Set(n); err != nil {
			cancel(err)
		}
	})
	r.release = append(r.release, func() { b.Release(); cancel(nil) })
	return ctx
}

func (r *Run) startSim(ctx context.Context, req Request, sink engine.Sink) error {
	l := req.Limits.WithDefaults()
	n := &numberer{r: r, sink: sink}
	eng := sim.New(req.Options)
	ctx = r.budget(ctx, req, l, eng, nil)
	if err := placeFiles(eng, req.Files); err != nil {
		return err
	}
	r.eng = eng
	r.mu.Lock()
	go func() {
		defer close(r.done)
		defer r.mu.Unlock()
		ctx, cancel := context.WithTimeout(ctx, l.WallTime)
		defer cancel()
		r.res = r.runOn(ctx, req, l, eng, n)
	}()
	return nil
}

// runOn compiles and runs req on eng; called with r.mu held.
func (r *Run) runOn(ctx context.Context, req Request, l Limits, eng engine.Engine, n *numberer) Result {
	prog, nerr := compile(ctx, req, n.emit)
	if prog == nil {
		return Result{Status: 1, CompileErrors: nerr, Events: n.seq}
	}
	yield := func() { r.mu.Unlock(); r.mu.Lock() }
	cfg := l.interpConfig(req.Args, yield)
	cfg.Terminal = req.Terminal
	exit := prog.Run(ctx, eng, cfg, n.emit)
	return Result{Status: exit.Status, Signal: engine.SignalName(exit.Signal), Events: n.seq}
}

func placeFiles(eng engine.Engine, files map[string]string) error {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := eng.WriteFile(name, []byte(files[name])); err != nil {
			return fmt.Errorf("placing %s: %w", name, err)
		}
	}
	return nil
}
