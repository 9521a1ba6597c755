package sandbox

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/mmapplayground/playground/internal/cc"
	"github.com/mmapplayground/playground/internal/engine"
)

// Config says how workers are started.
type Config struct {
	// Root is where each run's working directory is made; default
	// $TMPDIR/playground-sessions.
	Root string
	// Command is the worker's command line; default this executable with
	// the argument "worker".
	Command []string
	// Env is the worker's environment; default a minimal one.
	Env []string
	// NoNamespaces skips the user and network namespaces.
	NoNamespaces bool
	// Builds keeps gcc's builds for runs of the same program (nil: every
	// run builds its program).
	Builds *BuildCache
}

// maxLine bounds one event line (a program's write of up to 16 MiB).
const maxLine = 64 << 20

// Run runs job in a new worker and sends its events to sink, in order. The
// worker always ends the stream with an exit event; when the worker dies
// without one (killed at the wall time, by the CPU limit, or crashed), Run
// sends an error event saying why, and the exit event.
func (c Config) Run(ctx context.Context, job Job, sink engine.Sink) (Result, error) {
	w, err := c.Start(ctx, job, sink)
	if err != nil {
		return Result{}, err
	}
	return w.Wait()
}

// Worker is a started run. Its events go to the sink from a goroutine of
// its own, so that a sink that blocks (a paused page) never stops the
// queries.
type Worker struct {
	cmd    *exec.Cmd
	stdin  *os.File
	stderr *bytes.Buffer
	dir    string
	limits Limits
	sink   engine.Sink
	paced  bool
	builds *BuildCache

	mu sync.Mutex
	// buildKey is the key to keep the worker's build under, until the
	// build has come or the program has begun ("": none is taken).
	buildKey string
	killed   string
	queue    []engine.Event
	// spare is the last batch delivered, whose room the reader fills next
	// (an Event is only valid during the sink's call), so that a run of a
	// million events does not grow a new queue for each batch.
	spare   []engine.Event
	drained bool // deliver has returned: the reader must not wait for room
	closed  bool // the reader is done
	cond    *sync.Cond
	nextID  uint64
	pending map[uint64]chan json.RawMessage
	res     Result
	sawExit bool
	readErr error
	done    chan struct{}
	stopCtx func() bool
	timer   *time.Timer
}

// Start starts a worker for job; Wait ends it.
func (c Config) Start(ctx context.Context, job Job, sink engine.Sink) (*Worker, error) {
	if sink == nil {
		sink = func(*engine.Event) {}
	}
	job.Limits = job.Limits.withDefaults()
	root := c.Root
	if root == "" {
		root = filepath.Join(os.TempDir(), "playground-sessions")
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, fmt.Errorf("sandbox: the workers' directory: %w", hidePath(err))
	}
	sweepOnce(root)
	// The directory names its server's pid, so that one left behind by a
	// server that crashed is known for one and removed (sweep).
	dir, err := os.MkdirTemp(root, fmt.Sprintf("run-%d-", os.Getpid()))
	if err != nil {
		return nil, fmt.Errorf("sandbox: working directory: %w", hidePath(err))
	}
	job.Dir = dir

	argv := c.Command
	if len(argv) == 0 {
		exe, err := os.Executable()
		if err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("sandbox: finding the worker binary: %w", err)
		}
		argv = []string{exe, "worker"}
	}
	env := c.Env
	if env == nil {
		env = []string{"PATH=/usr/bin:/bin", "GOMAXPROCS=2", "GOTRACEBACK=single"}
	}

	cmd, stdout, stdin, stderr, nsNote, err := start(argv, env, dir, !c.NoNamespaces)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	job.Isolation = []string{nsNote}
	buildKey := c.lookUpBuild(&job)
	line, _ := json.Marshal(job)
	stdin.Write(append(line, '\n'))

	w := &Worker{
		cmd: cmd, stdin: stdin, stderr: stderr, dir: dir, limits: job.Limits, sink: sink, paced: job.Paced, builds: c.Builds, buildKey: buildKey,
		pending: map[uint64]chan json.RawMessage{}, done: make(chan struct{}),
	}
	w.cond = sync.NewCond(&w.mu)
	// Kill the whole process group at the wall time or when ctx ends.
	backstop := job.Limits.WallTime + 2*time.Second
	if !job.Interpreter {
		backstop += compileTime // gcc's build comes first
	}
	w.timer = time.AfterFunc(backstop, func() { w.kill("wall-time") })
	w.stopCtx = context.AfterFunc(ctx, func() { w.kill("cancelled") })
	go w.read(stdout)
	go w.deliver()
	go w.watchDisk()
	return w, nil
}

// hidePath drops the host path from a file system error: clients are
// told what failed (no space left on device), not where on the host.
func hidePath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}

// sweepOnce removes, once per process, what crashed servers left in root.
var sweepOnce = func() func(root string) {
	var mu sync.Mutex
	done := map[string]bool{}
	return func(root string) {
		mu.Lock()
		defer mu.Unlock()
		if !done[root] {
			done[root] = true
			sweep(root)
		}
	}
}()

// sweep removes the run directories in root whose server process is gone
// ("run-PID-..." with no process PID): a crash leaves them behind, the
// server's own Wait removes the rest.
func sweep(root string) {
	ents, err := os.ReadDir(root)
	if err != nil {
		return
	}
	for _, e := range ents {
		rest, ok := strings.CutPrefix(e.Name(), "run-")
		if !ok {
			continue
		}
		pidText, _, ok := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		if !ok || err != nil || pid <= 0 {
			continue
		}
		if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
			os.RemoveAll(filepath.Join(root, e.Name()))
		}
	}
}

// diskPoll is how often the parent measures a worker's directory.
const diskPoll = 200 * time.Millisecond

// watchDisk kills the worker once its directory holds more than
// DiskBytes, until the worker is done.
func (w *Worker) watchDisk() {
	t := time.NewTicker(diskPoll)
	defer t.Stop()
	for {
		select {
		case <-w.done:
			return
		case <-t.C:
			if dirBytes(w.dir) > w.limits.DiskBytes {
				w.kill("disk")
				return
			}
		}
	}
}

// dirBytes is the blocks allocated under dir, in bytes.
func dirBytes(dir string) uint64 {
	var n uint64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if info, err := d.Info(); err == nil {
			if st, ok := info.Sys().(*syscall.Stat_t); ok {
				n += uint64(st.Blocks) * 512
			}
		}
		return nil
	})
	return n
}

func (w *Worker) kill(why string) {
	w.mu.Lock()
	if w.killed == "" {
		w.killed = why
	}
	w.mu.Unlock()
	unix.Kill(-w.cmd.Process.Pid, unix.SIGKILL)
}

// read decodes the worker's output: replies go to their queries, events to
// the queue.
func (w *Worker) read(stdout *os.File) {
	defer stdout.Close()
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	// One event to decode into, copied into the queue (one allocation,
	// not one per event).
	var ev engine.Event
	for sc.Scan() {
		b := sc.Bytes()
		if bytes.HasPrefix(b, []byte(`{"type":"reply"`)) {
			w.reply(b)
			continue
		}
		if bytes.HasPrefix(b, []byte(`{"type":"built"`)) {
			w.built(b)
			continue
		}
		if err := decodeInto(b, &ev); err != nil {
			w.mu.Lock()
			w.readErr = err
			w.mu.Unlock()
			continue
		}
		w.mu.Lock()
		// Backpressure: while the sink is maxQueued events behind (a
		// client that does not read), stop reading; the worker then
		// blocks on its pipe and the program waits, instead of the
		// server holding its events.
		for len(w.queue) >= maxQueued && !w.drained {
			w.cond.Wait()
		}
		if !w.sawExit {
			w.account(&ev)
			w.queue = append(w.queue, ev)
			w.cond.Broadcast()
		}
		w.mu.Unlock()
	}
	w.mu.Lock()
	if err := sc.Err(); err != nil && w.readErr == nil {
		w.readErr = err
	}
	w.closed = true
	for id, ch := range w.pending {
		close(ch)
		delete(w.pending, id)
	}
	w.cond.Broadcast()
	w.mu.Unlock()
}

// lookUpBuild gives job the binary of an identical earlier build when the
// cache has one; otherwise it asks the worker to send its build, and says
// under which key to keep it ("": not kept).
func (c Config) lookUpBuild(job *Job) string {
	if c.Builds == nil || job.Interpreter || job.CC == "" {
		return ""
	}
	key, err := cc.Key(cc.Spec{CC: job.CC, Name: job.Name, Src: job.Source, Flags: job.CFlags, Libs: job.CLibs}, job.Files)
	if err != nil {
		return ""
	}
	if bin, ok := c.Builds.get(key); ok {
		job.Binary = bin
		return ""
	}
	job.SendBuild = true
	return key
}

// built keeps the binary the worker sent after its build, once, and only
// before the program's first event: what the program could have touched
// is never kept.
func (w *Worker) built(line []byte) {
	w.mu.Lock()
	key := w.buildKey
	w.buildKey = ""
	w.mu.Unlock()
	if key == "" || len(line) > maxCachedBinary*4/3+64 {
		return
	}
	var msg struct {
		Binary []byte `json:"binary"`
	}
	if json.Unmarshal(line, &msg) == nil {
		w.builds.put(key, msg.Binary)
	}
}

// account keeps the result up to date; called with w.mu held.
func (w *Worker) account(ev *engine.Event) {
	switch ev.Type {
	case engine.EvExit:
		w.sawExit = true
		w.res.Status, w.res.Signal = ev.Status, ev.Signal
		w.stdin.Close() // no more queries: the worker may end
	case engine.EvError:
		if ev.Line != 0 {
			w.res.CompileErrors++
		}
	case engine.EvSyscall, engine.EvFault, engine.EvStdout:
		w.res.CompileErrors = 0
		w.buildKey = "" // the program runs: no build is taken from here on
	}
}

// maxQueued is how many events the reader queues for a sink that is
// behind before it stops reading the worker (a replay of a few MiB).
const maxQueued = 8192

// deliver sends queued events to the sink, in order.
func (w *Worker) deliver() {
	defer close(w.done)
	defer func() {
		w.mu.Lock()
		w.drained = true
		w.cond.Broadcast()
		w.mu.Unlock()
	}()
	for {
		w.mu.Lock()
		for len(w.queue) == 0 && !w.closed {
			w.cond.Wait()
		}
		if len(w.queue) == 0 && w.closed {
			w.mu.Unlock()
			return
		}
		batch := w.queue
		w.queue, w.spare = w.spare[:0], nil
		w.cond.Broadcast() // room for the reader
		w.mu.Unlock()
		for i := range batch {
			w.sink(&batch[i])
			if w.paced && batch[i].Type != engine.EvExit {
				w.mu.Lock()
				w.stdin.Write([]byte("{\"q\":\"ack\"}\n"))
				w.mu.Unlock()
			}
		}
		clear(batch) // nothing the sink saw is kept alive by the queue
		w.mu.Lock()
		w.spare = batch
		w.mu.Unlock()
	}
}

// Wait waits for the worker to end and every event to reach the sink, and
// reports how the run ended.
func (w *Worker) Wait() (Result, error) {
	<-w.done
	werr := w.cmd.Wait()
	w.timer.Stop()
	w.stopCtx()
	w.stdin.Close()
	os.RemoveAll(w.dir)
	w.mu.Lock()
	res, why, sawExit, readErr := w.res, w.killed, w.sawExit, w.readErr
	w.mu.Unlock()
	if w.cmd.ProcessState != nil {
		res.WorkerCPU = w.cmd.ProcessState.UserTime() + w.cmd.ProcessState.SystemTime()
	}
	if sawExit {
		if res.Signal != "" || res.Status != 1 {
			res.CompileErrors = 0
		}
		return res, nil
	}
	// The worker died before its exit event.
	msg, sig := "", "SIGKILL"
	ws, _ := w.cmd.ProcessState.Sys().(syscall.WaitStatus)
	switch {
	case why == "wall-time":
		msg = fmt.Sprintf("wall-time limit exceeded (%s): the worker was killed", w.limits.WallTime)
		res.Killed = why
	case why == "cancelled":
		msg = "the run was cancelled: the worker was killed"
		res.Killed = why
	case why == "disk":
		msg = fmt.Sprintf("disk quota exceeded (its files held more than %d MiB): the worker was killed", w.limits.DiskBytes>>20)
		res.Killed = why
	case ws.Signaled() && (ws.Signal() == syscall.SIGXCPU || ws.Signal() == syscall.SIGKILL && res.WorkerCPU >= w.limits.CPUTime):
		msg = fmt.Sprintf("CPU time limit exceeded (%s of CPU): the worker was killed", w.limits.CPUTime)
		sig, res.Killed = "SIGXCPU", "cpu-time"
	default:
		res.Killed = "crash"
		msg = fmt.Sprintf("the worker died (%v)", werr)
		if ws.Signaled() {
			sig = engine.SignalName(int(ws.Signal()))
		} else {
			sig = ""
		}
		if t := strings.TrimSpace(lastLines(w.stderr.String(), 5)); t != "" {
			msg += ": " + t
		}
		if readErr != nil {
			msg += " (" + readErr.Error() + ")"
		}
	}
	res.CompileErrors = 0
	w.sink(&engine.Event{Type: engine.EvError, Message: msg})
	w.sink(&engine.Event{Type: engine.EvExit, Status: 0, Signal: sig, Counters: &engine.Counters{}})
	res.Status, res.Signal = 0, sig
	return res, nil
}

// ErrRunEnded is returned by a query made after the worker ended.
var ErrRunEnded = errors.New("sandbox: the run has ended")

// query asks the worker; it answers between the program's steps.
func (w *Worker) query(ctx context.Context, q Query, out any) error {
	w.mu.Lock()
	if w.closed || w.sawExit {
		w.mu.Unlock()
		return ErrRunEnded
	}
	w.nextID++
	q.ID = w.nextID
	ch := make(chan json.RawMessage, 1)
	w.pending[q.ID] = ch
	line, _ := json.Marshal(q)
	_, err := w.stdin.Write(append(line, '\n'))
	w.mu.Unlock()
	if err != nil {
		return ErrRunEnded
	}
	select {
	case raw, ok := <-ch:
		if !ok {
			return ErrRunEnded
		}
		return json.Unmarshal(raw, out)
	case <-ctx.Done():
		w.mu.Lock()
		delete(w.pending, q.ID)
		w.mu.Unlock()
		return ctx.Err()
	}
}

func (w *Worker) reply(b []byte) {
	var r struct {
		ID     uint64          `json:"id"`
		Result json.RawMessage `json:"result"`
	}
	if json.Unmarshal(b, &r) != nil {
		return
	}
	w.mu.Lock()
	ch := w.pending[r.ID]
	delete(w.pending, r.ID)
	w.mu.Unlock()
	if ch != nil {
		ch <- r.Result
	}
}

// State is the real engine's state, as the worker sees it at the program's
// next step.
func (w *Worker) State(ctx context.Context) (engine.State, error) {
	var s engine.State
	err := w.query(ctx, Query{Q: "state"}, &s)
	return s, err
}

// SetFaultStops turns on or off the program's stops at each of its faults
// (a paced run of gcc's build: Job.Paced), which the worker makes with
// PERF_EVENT_IOC_ENABLE and _DISABLE on its trap set. The page turns them
// on while it steps by fault, so that a run let go on takes none.
func (w *Worker) SetFaultStops(ctx context.Context, on bool) error {
	var r faultStopsReply
	if err := w.query(ctx, Query{Q: "fault-stops", On: on}, &r); err != nil {
		return err
	}
	if r.Error != "" {
		return errors.New(r.Error)
	}
	return nil
}

// Walk is the page walk for addr.
func (w *Worker) Walk(ctx context.Context, pid int, addr uint64) (engine.Walk, error) {
	var wk engine.Walk
	err := w.query(ctx, Query{Q: "walk", Pid: pid, Addr: addr}, &wk)
	return wk, err
}

// Pages describes each page of [start, end).
func (w *Worker) Pages(ctx context.Context, pid int, start, end uint64) ([]engine.PageInfo, error) {
	var raw []pageWire
	err := w.query(ctx, Query{Q: "pages", Pid: pid, Start: start, End: end}, &raw)
	out := make([]engine.PageInfo, len(raw))
	for i, p := range raw {
		out[i] = p.info()
	}
	return out, err
}

// start starts the worker in its own process group, in new user and
// network namespaces when the host allows (falling back without them).
func start(argv, env []string, dir string, namespaces bool) (*exec.Cmd, *os.File, *os.File, *bytes.Buffer, string, error) {
	try := func(ns bool) (*exec.Cmd, *os.File, *os.File, *bytes.Buffer, error) {
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Dir = dir
		cmd.Env = env
		stderr := &limitedBuffer{max: 64 << 10}
		cmd.Stderr = stderr
		inR, inW, err := os.Pipe()
		if err != nil {
			return nil, nil, nil, nil, err
		}
		outR, outW, err := os.Pipe()
		if err != nil {
			inR.Close()
			inW.Close()
			return nil, nil, nil, nil, err
		}
		cmd.Stdin, cmd.Stdout = inR, outW
		attr := &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
		if ns {
			uid, gid := os.Getuid(), os.Getgid()
			attr.Cloneflags = syscall.CLONE_NEWUSER | syscall.CLONE_NEWNET
			attr.UidMappings = []syscall.SysProcIDMap{{ContainerID: uid, HostID: uid, Size: 1}}
			attr.GidMappings = []syscall.SysProcIDMap{{ContainerID: gid, HostID: gid, Size: 1}}
			attr.GidMappingsEnableSetgroups = false
			if uid == 0 {
				// A server run as root: the worker's namespace holds
				// nobody too, whom gcc's build runs as (programUser), and
				// may drop its supplementary groups (only a privileged
				// parent may write such maps).
				attr.UidMappings = append(attr.UidMappings, syscall.SysProcIDMap{ContainerID: programUser.UID, HostID: programUser.UID, Size: 1})
				attr.GidMappings = append(attr.GidMappings, syscall.SysProcIDMap{ContainerID: programUser.GID, HostID: programUser.GID, Size: 1})
				attr.GidMappingsEnableSetgroups = true
			}
		}
		cmd.SysProcAttr = attr
		err = cmd.Start()
		inR.Close()
		outW.Close()
		if err != nil {
			inW.Close()
			outR.Close()
			return nil, nil, nil, nil, err
		}
		return cmd, outR, inW, &stderr.Buffer, nil
	}
	if namespaces {
		cmd, out, in, errb, err := try(true)
		if err == nil {
			return cmd, out, in, errb, "private user and network namespaces (no network)", nil
		}
		if !errors.Is(err, unix.EPERM) && !errors.Is(err, unix.EINVAL) && !errors.Is(err, unix.ENOSPC) && !errors.Is(err, unix.EACCES) && !errors.Is(err, unix.ENOSYS) {
			return nil, nil, nil, nil, "", fmt.Errorf("sandbox: starting the worker: %w", err)
		}
		cmd, out, in, errb, err = try(false)
		if err != nil {
			return nil, nil, nil, nil, "", fmt.Errorf("sandbox: starting the worker: %w", err)
		}
		return cmd, out, in, errb, "no namespaces: the host refused a user namespace (" + err2s(err) + "); the worker shares the host's network", nil
	}
	cmd, out, in, errb, err := try(false)
	if err != nil {
		return nil, nil, nil, nil, "", fmt.Errorf("sandbox: starting the worker: %w", err)
	}
	return cmd, out, in, errb, "no namespaces (turned off): the worker shares the host's network", nil
}

func err2s(err error) string {
	if err == nil {
		return "?"
	}
	return err.Error()
}

// limitedBuffer keeps the first max bytes of the worker's stderr.
type limitedBuffer struct {
	bytes.Buffer
	max int
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.Len(); room > 0 {
		if len(p) > room {
			b.Buffer.Write(p[:room])
		} else {
			b.Buffer.Write(p)
		}
	}
	return len(p), nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}
