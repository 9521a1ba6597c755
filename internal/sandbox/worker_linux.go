package sandbox

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sys/unix"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/engine/realkernel"
	"github.com/mmapplayground/playground/internal/interp"
)

// WorkerMain is the worker: it reads one Job from stdin, confines itself,
// runs the program on the real engine and writes the run's events to stdout
// as NDJSON. cmd/playground calls it for the hidden "worker" subcommand. It
// returns an error only when it could not run the job at all; the program's
// own failures are events.
func WorkerMain(ctx context.Context, stdin io.Reader, stdout io.Writer) error {
	// The worker re-executes itself as the launcher of gcc's build
	// (realkernel.LaunchIfLauncher), which never returns.
	realkernel.LaunchIfLauncher()
	in := bufio.NewReaderSize(stdin, 1<<20)
	line, err := in.ReadBytes('\n')
	if err != nil && len(line) == 0 {
		return fmt.Errorf("worker: reading the job: %w", err)
	}
	var job Job
	if err := json.Unmarshal(line, &job); err != nil {
		return fmt.Errorf("worker: bad job: %w", err)
	}
	w := &worker{out: bufio.NewWriterSize(stdout, 64<<10), last: time.Now(), queries: make(chan Query, 16)}
	defer w.flush()
	// Events wait in the buffer at most flushEvery: a program that
	// prints and then loops until its wall time (when the parent kills
	// the worker) has had what it printed sent.
	stopFlush := make(chan struct{})
	defer close(stopFlush)
	go func() {
		t := time.NewTicker(flushEvery)
		defer t.Stop()
		for {
			select {
			case <-stopFlush:
				return
			case <-t.C:
				w.flush()
			}
		}
	}()
	w.paced = job.Paced
	go w.readQueries(in)
	return w.run(ctx, job)
}

// flushEvery bounds how long an event waits in the worker's buffer.
const flushEvery = 50 * time.Millisecond

// worker writes events; the CPU-limit handler writes too, hence the lock.
type worker struct {
	mu   sync.Mutex
	out  *bufio.Writer
	seq  uint64
	buf  []byte
	last time.Time
	done bool

	queries chan Query
	// acks, when set, is where the parent's acknowledgements go while
	// another goroutine answers the queries (gcc's build under the tracer,
	// whose state can be read while the program runs).
	acks  chan struct{}
	paced bool
	// faultStops: the parent asked for the stops at faults (setFaultStops).
	faultStops bool
	eng        inspector
	rbuf       []byte
}

// inspector is what the worker's queries ask of the run: the
// interpreter's real engine, or gcc's build under the tracer.
type inspector interface {
	State() engine.State
	Walk(pid int, addr uint64) engine.Walk
	Pages(pid int, start, end uint64) []engine.PageInfo
}

// readQueries passes the parent's queries to the program's goroutine.
func (w *worker) readQueries(in *bufio.Reader) {
	defer close(w.queries)
	for {
		line, err := in.ReadBytes('\n')
		if len(line) > 0 {
			var q Query
			if json.Unmarshal(line, &q) == nil {
				w.queries <- q
			}
		}
		if err != nil {
			return
		}
	}
}

// yield is the interpreter's Yield: between the program's steps, answer the
// parent's queries and let the events flow.
func (w *worker) yield() {
	for {
		select {
		case q, ok := <-w.queries:
			if !ok {
				w.flush()
				return
			}
			w.answer(q)
		default:
			w.flush()
			return
		}
	}
}

func (w *worker) answer(q Query) {
	if q.Q == "ack" {
		return // an ack that came late (pacing was turned off)
	}
	var result any
	if q.Q == "fault-stops" {
		result = w.setFaultStops(q.On)
		q.Q = ""
	} else if w.eng == nil {
		q.Q = ""
	}
	switch q.Q {
	case "state":
		result = w.eng.State()
	case "walk":
		result = w.eng.Walk(q.Pid, q.Addr)
	case "pages":
		pages := w.eng.Pages(q.Pid, q.Start, q.End)
		wire := make([]pageWire, len(pages))
		for i, p := range pages {
			wire[i] = toWire(p)
		}
		result = wire
	}
	data, err := json.Marshal(result)
	if err != nil {
		data = []byte("null")
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.rbuf = append(w.rbuf[:0], `{"type":"reply","id":`...)
	w.rbuf = strconv.AppendUint(w.rbuf, q.ID, 10)
	w.rbuf = append(w.rbuf, `,"result":`...)
	w.rbuf = append(w.rbuf, data...)
	w.rbuf = append(w.rbuf, "}\n"...)
	w.out.Write(w.rbuf)
	w.out.Flush()
}

// setFaultStops answers "fault-stops": the program's stops at its faults
// on or off; asked before the program has started (while it builds), the
// wish is kept for its start (wantedFaultStops).
func (w *worker) setFaultStops(on bool) faultStopsReply {
	w.mu.Lock()
	w.faultStops = on
	w.mu.Unlock()
	var r faultStopsReply
	if w.eng == nil {
		return r
	}
	if fs, ok := w.eng.(faultStopper); !ok {
		r.Error = "this run's engine does not stop at faults"
	} else if err := fs.SetFaultStops(on); err != nil {
		r.Error = err.Error()
	}
	return r
}

func (w *worker) wantedFaultStops() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.faultStops
}

func (w *worker) emit(e *engine.Event) {
	w.mu.Lock()
	if w.done {
		w.mu.Unlock()
		return
	}
	w.seq++
	e.Seq = w.seq
	w.buf = e.AppendJSON(w.buf[:0])
	w.buf = append(w.buf, '\n')
	w.out.Write(w.buf)
	// Flush often enough for a live view, rarely enough for a fast run.
	if e.Type != engine.EvFault || w.seq&1023 == 0 {
		if now := time.Now(); now.Sub(w.last) > 20*time.Millisecond || e.Type == engine.EvExit {
			w.out.Flush()
			w.last = now
		}
	}
	if e.Type == engine.EvExit {
		w.done = true
	}
	paced := w.paced && !w.done
	if paced {
		w.out.Flush()
	}
	w.mu.Unlock()
	if paced {
		w.waitAck()
	}
}

// waitAck holds the program until the parent's sink has taken the last
// event (Job.Paced), answering queries meanwhile: the page's views see the
// program exactly at that event.
func (w *worker) waitAck() {
	if w.acks != nil {
		if _, ok := <-w.acks; ok {
			return
		}
		w.mu.Lock()
		w.paced = false
		w.mu.Unlock()
		return
	}
	for q := range w.queries {
		if q.Q == "ack" {
			return
		}
		w.answer(q)
	}
	// The parent closed stdin: nobody is watching; go on unpaced.
	w.mu.Lock()
	w.paced = false
	w.mu.Unlock()
}

func (w *worker) flush() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.out.Flush()
}

// fail ends the run with an error event and an exit event.
func (w *worker) fail(msg string, status int, sig string) {
	w.mu.Lock()
	w.paced = false
	w.mu.Unlock()
	w.emit(&engine.Event{Type: engine.EvError, Message: msg})
	w.emit(&engine.Event{Type: engine.EvExit, Status: status, Signal: sig, Counters: &engine.Counters{}})
	w.flush()
}

func (w *worker) run(ctx context.Context, job Job) error {
	l := job.Limits.withDefaults()
	var isolation []string
	isolation = append(isolation, job.isolation()...)

	// Limits that need no knowledge of the worker's own size.
	setLimit := func(res int, cur, max uint64, what string) {
		if err := unix.Setrlimit(res, &unix.Rlimit{Cur: cur, Max: max}); err != nil {
			isolation = append(isolation, what+": not set ("+err.Error()+")")
			return
		}
		isolation = append(isolation, what)
	}
	cpu := uint64((l.CPUTime + time.Second - 1) / time.Second)
	setLimit(unix.RLIMIT_CPU, cpu, cpu+1, "RLIMIT_CPU "+strconv.FormatUint(cpu, 10)+" s")
	setLimit(unix.RLIMIT_FSIZE, l.FileBytes, l.FileBytes, "RLIMIT_FSIZE "+strconv.FormatUint(l.FileBytes, 10))
	setLimit(unix.RLIMIT_NOFILE, l.OpenFiles+16, l.OpenFiles+16, "RLIMIT_NOFILE "+strconv.FormatUint(l.OpenFiles, 10)+" for the program")
	setLimit(unix.RLIMIT_CORE, 0, 0, "RLIMIT_CORE 0")
	// A write past RLIMIT_FSIZE fails with EFBIG instead of killing the
	// worker; the CPU limit's SIGXCPU ends the run with a clear error.
	signal.Ignore(unix.SIGXFSZ)
	xcpu := make(chan os.Signal, 1)
	signal.Notify(xcpu, unix.SIGXCPU)
	defer signal.Stop(xcpu)
	go func() {
		select {
		case <-xcpu:
			w.fail(fmt.Sprintf("CPU time limit exceeded (%d s of CPU): the program was stopped", cpu), 128+int(unix.SIGXCPU), "SIGXCPU")
			os.Exit(128 + int(unix.SIGXCPU))
		case <-ctx.Done():
		}
	}()

	dir := job.Dir
	if dir == "" {
		dir = "."
	}
	if !job.Interpreter {
		return w.runNative(ctx, job, l, dir, isolation, setLimit)
	}
	eng, err := realkernel.New(realkernel.Options{Dir: dir, Observe: job.Observe, MaxFiles: int(l.OpenFiles), ShowRuntime: job.ShowRuntime})
	if err != nil {
		w.fail("the real engine cannot start here: "+err.Error(), 1, "")
		return nil
	}
	defer eng.Close()
	w.eng = eng
	names := make([]string, 0, len(job.Files))
	for n := range job.Files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := eng.WriteFile(n, []byte(job.Files[n])); err != nil {
			// The client is told the file's name, not where on the host
			// its directory is.
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			w.fail("placing "+n+": "+err.Error(), 1, "")
			return nil
		}
	}

	// The address space: what the worker uses now, plus the program's budget
	// and room for the interpreter's own heap to grow.
	if size := vmSize(); size > 0 {
		lim := size + l.MapBytes + 256<<20
		setLimit(unix.RLIMIT_AS, lim, lim, fmt.Sprintf("RLIMIT_AS %d MiB (%d MiB for the program's mappings)", lim>>20, l.MapBytes>>20))
	}
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err == nil {
		isolation = append(isolation, "no_new_privs")
	} else {
		isolation = append(isolation, "no_new_privs: not set ("+err.Error()+")")
	}
	if err := installSeccomp(nil, nil); err == nil {
		isolation = append(isolation, "seccomp filter (only the worker's calls; others fail with EPERM)")
	} else {
		isolation = append(isolation, "seccomp: not installed ("+err.Error()+")")
	}
	w.emit(&engine.Event{Type: engine.EvNote, Message: "sandbox: " + strings.Join(isolation, "; ")})
	how := "the real engine runs the program on the C interpreter, its system calls made for real in this worker"
	if runtime.GOARCH != "amd64" {
		how += " (gcc's build is traced on x86-64 only; this host is " + runtime.GOARCH + ")"
	}
	w.emit(&engine.Event{Type: engine.EvNote, Message: how})

	name := job.Name
	if name == "" {
		name = "prog.c"
	}
	prog, diags := interp.Compile(name, job.Source)
	if len(diags) > 0 {
		for _, d := range diags {
			w.emit(&engine.Event{Type: engine.EvError, Message: d.Message, Line: d.Line, Col: d.Col, Text: d.Token})
		}
		w.emit(&engine.Event{Type: engine.EvExit, Status: 1, Counters: &engine.Counters{}})
		return nil
	}
	cfg := interp.Config{Args: job.Args, MaxSteps: l.Steps, MaxOutput: l.Output, MaxCallDepth: l.CallDepth, Yield: w.yield, Terminal: job.Terminal}
	ctx, cancel := context.WithTimeout(ctx, l.WallTime)
	defer cancel()
	prog.Run(ctx, eng, cfg, w.emit)
	return nil
}

// vmSize is this process's VmSize in bytes.
func vmSize() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmSize:"); ok {
			f := strings.Fields(v)
			if len(f) > 0 {
				n, _ := strconv.ParseUint(f[0], 10, 64)
				return n << 10
			}
		}
	}
	return 0
}
