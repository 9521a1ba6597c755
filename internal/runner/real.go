package runner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/mmapplayground/playground/internal/cc"
	"github.com/mmapplayground/playground/internal/compare"
	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/engine/sim"
	"github.com/mmapplayground/playground/internal/sandbox"
)

// Available reports whether this host can run the named engine: nil, or an
// error wrapping ErrUnknownEngine or engine.ErrUnsupported that says why.
func Available(name string) error {
	switch name {
	case EngineSim:
		return nil
	case EngineReal, EngineBoth:
		_, _, err := realAvailable(false)
		return err
	}
	return fmt.Errorf("%w %q: want sim, real or both", ErrUnknownEngine, name)
}

// realAvailable says whether this host can run the real engine at all,
// and how: gcc's build under ptrace (with the C compiler it names) on
// x86-64 Linux; the interpreter making real system calls (interp) where
// asked, and on Linux of other architectures (arm64: a classroom server
// on Graviton, Docker Desktop on an Apple-silicon Mac), whose tracer this
// engine does not have.
func realAvailable(interpreter bool) (compiler string, interp bool, err error) {
	if runtime.GOOS != "linux" {
		return "", false, fmt.Errorf("the real engine needs Linux; this host is %s: %w", runtime.GOOS, engine.ErrUnsupported)
	}
	if interpreter || runtime.GOARCH != "amd64" {
		return "", true, nil
	}
	compiler, err = cc.Find(os.Getenv)
	return compiler, false, err
}

func (l Limits) sandboxLimits() sandbox.Limits {
	return sandbox.Limits{WallTime: l.WallTime, MapBytes: l.RealMapBytes, DiskBytes: l.RealDiskBytes, Steps: l.Steps, Output: l.Output, CallDepth: l.CallDepth}
}

func job(req Request, l Limits, compiler string, interp bool) sandbox.Job {
	j := sandbox.Job{Source: req.Source, Name: req.Name, Args: req.Args, Files: req.Files, Limits: l.sandboxLimits(),
		Terminal: req.Terminal, CC: compiler, Interpreter: interp, CLibs: req.CLibs}
	if len(req.CFlags) > 0 {
		j.CFlags = append(append([]string(nil), cc.DefaultFlags...), req.CFlags...)
	}
	return j
}

// startReal runs req in a sandboxed worker on the host kernel. The engine
// lives in the worker: queries go to it while it runs, and after it has
// ended the run answers with what its exit event reported.
func (r *Run) startReal(ctx context.Context, sb *sandbox.Config, req Request, sink engine.Sink) error {
	compiler, interp, err := realAvailable(req.RealInterpreter)
	if err != nil {
		return err
	}
	l := req.Limits.WithDefaults()
	j := job(req, l, compiler, interp)
	// A paced worker holds the program at each event until the sink has
	// returned, so a session that pauses in its sink pauses the program.
	j.Paced = req.Paced
	var seq uint64
	w, err := sb.Start(ctx, j, func(e *engine.Event) {
		seq++
		e.Seq = seq
		if e.Type == engine.EvExit {
			r.keepExit(e)
		}
		sink(e)
	})
	if err != nil {
		return err
	}
	r.mu.Lock()
	r.worker = w
	r.mu.Unlock()
	go func() {
		defer close(r.done)
		res, err := w.Wait()
		r.res = Result{Status: res.Status, Signal: res.Signal, CompileErrors: res.CompileErrors, Events: seq}
		r.err = err
	}()
	return nil
}

// queryTimeout bounds a question to a worker, which answers between two
// steps of its program.
const queryTimeout = 5 * time.Second

// workerQuery asks the run's worker, if it still runs; ok is false when the
// answer must come from the state kept at exit.
func workerQuery[T any](r *Run, ask func(ctx context.Context, w *sandbox.Worker) (T, error)) (T, bool) {
	var zero T
	r.mu.Lock()
	w := r.worker
	r.mu.Unlock()
	if w == nil {
		return zero, false
	}
	ctx, cancel := context.WithTimeout(context.Background(), queryTimeout)
	defer cancel()
	v, err := ask(ctx, w)
	if err != nil {
		return zero, false
	}
	return v, true
}

// StopAtFaults turns on or off a paced real run's stops at each of its
// page faults (Request.Paced, gcc's build): the session turns them on
// while it steps by fault, where the page must show the program at the
// fault itself, and off otherwise, for each stop costs the program a
// signal and the tracer a stop. A run on the model, or one that has ended,
// has nothing to turn: nil.
func (r *Run) StopAtFaults(on bool) error {
	r.mu.Lock()
	w := r.worker
	same := r.faultStops == on
	r.faultStops = on
	r.mu.Unlock()
	if w == nil || same {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), queryTimeout)
	defer cancel()
	if err := w.SetFaultStops(ctx, on); err != nil && !errors.Is(err, sandbox.ErrRunEnded) {
		r.mu.Lock()
		r.faultStops = !on // as it was: the next call tries again
		r.mu.Unlock()
		return err
	}
	return nil
}

// keepExit keeps what an exit event says of a run whose engine is
// elsewhere, so that State has something true to answer.
func (r *Run) keepExit(e *engine.Event) {
	st := engine.State{Engine: EngineReal, Clock: e.Time,
		Notes: []string{"the real engine runs in a worker process; this is its state at exit"}}
	st.Processes = []engine.ProcessState{{Pid: e.Pid, Exited: true, VMAs: append([]engine.VMA(nil), e.VMAs...)}}
	if e.Counters != nil {
		st.Counters = *e.Counters
	}
	r.mu.Lock()
	r.last = &st
	r.mu.Unlock()
}

// startBoth runs req on the model, then on the kernel, and reports where
// they differ. Each engine's events carry its name and end with its own
// exit event; then come the differences, and last an exit event without an
// engine, whose status is the model's.
// maxCompared bounds the events of each engine a run on "both" keeps for
// the comparison; eventBytes is what one costs the host, about.
const (
	maxCompared = compare.KeptEvents
	eventBytes  = 400
)

// cutNote is the note a run on both sends when an engine's events pass
// maxCompared.
var cutNote = fmt.Sprintf("this engine's events passed the %d a run on both engines keeps for the comparison (a fixed limit, compare.KeptEvents): every event is still sent, but the differences are looked for in the first %d of each engine only", maxCompared, maxCompared)

func (r *Run) startBoth(ctx context.Context, sb *sandbox.Config, req Request, sink engine.Sink) error {
	compiler, interp, err := realAvailable(req.RealInterpreter)
	if err != nil {
		return err
	}
	l := req.Limits.WithDefaults()
	eng := sim.New(req.Options)
	if err := placeFiles(eng, req.Files); err != nil {
		return err
	}
	r.eng = eng
	// The events kept for the comparison are the run's host memory too,
	// and stop being kept at maxCompared (the comparison covers those).
	var simEvs, realEvs []engine.Event
	var kept atomic.Int64
	ctx = r.budget(ctx, req, l, eng, func() int64 { return kept.Load() * eventBytes })
	var n *numberer
	var simCut, realCut bool
	// send keeps e for the comparison while its engine's events are fewer
	// than maxCompared, and sends it; after the first one past, the
	// stream is told (a note of that engine's) that the comparison stops
	// there.
	send := func(evs *[]engine.Event, cut *bool, e *engine.Event) {
		if len(*evs) < maxCompared || e.Type == engine.EvExit {
			*evs = append(*evs, *e)
			kept.Add(1)
		}
		sink(e)
		if !*cut && len(*evs) == maxCompared && e.Type != engine.EvExit && e.Seq > (*evs)[maxCompared-1].Seq {
			*cut = true
			n.seq++
			sink(&engine.Event{Seq: n.seq, Engine: e.Engine, Type: engine.EvNote, Message: cutNote})
		}
	}
	r.mu.Lock()
	go func() {
		defer close(r.done)
		defer r.mu.Unlock()
		n = &numberer{r: r, tag: EngineSim, sink: func(e *engine.Event) { send(&simEvs, &simCut, e) }}
		sctx, cancel := context.WithTimeout(ctx, l.WallTime)
		simRes := r.runOn(sctx, req, l, eng, n)
		cancel()
		if simRes.CompileErrors > 0 {
			// The kernel would be given the same program gcc refused.
			r.res = simRes
			return
		}

		r.mu.Unlock()
		_, err := sb.Run(ctx, job(req, l, compiler, interp), func(e *engine.Event) {
			n.seq++
			e.Seq = n.seq
			e.Engine = EngineReal
			send(&realEvs, &realCut, e)
		})
		r.mu.Lock()
		if err != nil {
			n.emit(&engine.Event{Type: engine.EvError, Message: "the real engine could not run: " + err.Error()})
		}
		n.tag = ""
		diffs := compare.Diff(simEvs, realEvs)
		for _, d := range diffs {
			ev := d.Event()
			n.emit(&ev)
		}
		last := simEvs[len(simEvs)-1]
		exit := engine.Event{Type: engine.EvExit, Status: last.Status, Signal: last.Signal, VMAs: last.VMAs, Counters: last.Counters}
		n.emit(&exit)
		simRes.Events = n.seq
		simRes.Differences = len(compare.Unexplained(diffs))
		r.res = simRes
	}()
	return nil
}
