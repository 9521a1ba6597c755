package api

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/hostmem"
	"github.com/mmapplayground/playground/internal/runner"
)

// runBody is POST /api/v1/run's body; a session's run takes the same
// without engine and options (the session's), plus paused.
type runBody struct {
	Engine  string            `json:"engine"`
	Name    string            `json:"name"`
	Source  string            `json:"source"`
	Args    []string          `json:"args"`
	Files   map[string]string `json:"files"`
	Options engine.Options    `json:"options"`
	// Paused (sessions only) starts the program paused at its first event;
	// with AtSeq, paused at that event.
	Paused bool `json:"paused"`
	// AtSeq (sessions on the simulated engine only) rebuilds a run at its
	// event AtSeq: the program is replayed quietly to that event (the model
	// is deterministic, so the replay is the run), the stream carries a
	// state message for it and then the events after it, and the program
	// pauses there (Paused) or goes on. A page whose session was lost (its
	// server restarted, or another replica answers) rebuilds it so from its
	// recipe: engine, options, this body and the Seq it stood at.
	AtSeq uint64 `json:"at_seq"`
	// Terminal makes the program's stdout a terminal (line-buffered,
	// isatty(1) 1), as the page asks; else a pipe.
	Terminal bool `json:"terminal"`
}

// decodeBody reads r's JSON body into v. An empty body leaves v as it is
// when empty is true; unknown fields are refused, so that a typo in a
// script is an error and not a silently ignored setting.
func decodeBody(r *http.Request, v any, empty bool) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if errors.Is(err, io.EOF) {
		if empty {
			return nil
		}
		return Errorf(CodeInvalid, "the request needs a JSON body")
	}
	if err == nil && dec.More() {
		err = errors.New("more than one JSON value")
	}
	if err == nil {
		return nil
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return &Error{Code: CodeTooLarge, Message: fmt.Sprintf("request body is over %d bytes", mbe.Limit), Err: err}
	}
	return &Error{Code: CodeInvalid, Message: "malformed JSON body: " + err.Error(), Err: err}
}

// runRequest makes the runner's request from a body, checked against the
// limits.
func (s *Server) runRequest(engineName string, opts engine.Options, b *runBody) (runner.Request, error) {
	lim := s.limits
	if err := s.checkEngine(&engineName, opts); err != nil {
		return runner.Request{}, err
	}
	size := len(b.Source)
	for name, data := range b.Files {
		size += len(name) + len(data)
	}
	if size > lim.ProgramBytes {
		return runner.Request{}, Errorf(CodeTooLarge, "the program and its files are %d bytes; the limit is %d", size, lim.ProgramBytes)
	}
	if b.Source == "" {
		return runner.Request{}, Errorf(CodeInvalid, "source is empty: send the C program as \"source\"")
	}
	return runner.Request{
		Engine:   engineName,
		Name:     b.Name,
		Source:   b.Source,
		Args:     b.Args,
		Files:    b.Files,
		Options:  opts,
		Terminal: b.Terminal,
		Limits: runner.Limits{
			Steps:         lim.RunSteps,
			Output:        lim.OutputBytes,
			WallTime:      lim.RunTime,
			RealMapBytes:  lim.RealMapBytes,
			RealDiskBytes: lim.RealDiskBytes,
			SourceBytes:   lim.ProgramBytes,
			FileBytes:     lim.ProgramBytes,
			Memory:        lim.RunMemory,
		},
		Budget:       s.memory,
		CompileSlots: s.compiles,
	}, nil
}

// admitWant is the room a new run needs in the server's memory budget.
const admitWant = 16 << 20

// retryAfter is what a client refused for memory is told to wait, in
// seconds: about the run time, in which runs end and give theirs back.
func (s *Server) retryAfter() string {
	return strconv.Itoa(max(int(s.limits.RunTime/time.Second), 1))
}

// memoryError is a direct call's budget error: the server's is 503 busy
// (with Retry-After), the session's own 413 (delete the session to start
// afresh).
func memoryError(w http.ResponseWriter, s *Server, err error) error {
	var ex *hostmem.ExceededError
	if errors.As(err, &ex) && ex.Server {
		w.Header().Set("Retry-After", s.retryAfter())
		return &Error{Code: CodeBusy, Message: err.Error(), Err: err}
	}
	return &Error{Code: CodeTooLarge, Message: err.Error() + "; this session's engine stays full: DELETE the session to start afresh", Err: err}
}

// takeWorker claims a real-engine worker for a run on engineName ("real",
// "both"; nothing for "sim"), and its disk quota (--real-disk-bytes) from
// the server's (--real-disk-total): a worker is killed past its quota, so
// what all workers' files hold stays within the total. release gives both
// back once the run is over.
func (s *Server) takeWorker(engineName string) (release func(), err error) {
	if engineName == runner.EngineSim || engineName == "" {
		return func() {}, nil
	}
	select {
	case s.workers <- struct{}{}:
	default:
		return nil, Errorf(CodeTooMany, "the server runs its limit of %d real-engine workers at once; try again shortly (or use the simulated engine)", cap(s.workers))
	}
	quota := s.limits.RealDiskBytes
	if !s.realDisk.take(quota) {
		<-s.workers
		return nil, &Error{Code: CodeBusy, RetryAfter: s.retryAfter(), Message: fmt.Sprintf(
			"the real-engine runs in progress hold the server's disk total for their files (%s, --real-disk-total, %s each by --real-disk-bytes); try again in a few seconds (or use the simulated engine)",
			hostmem.Size(int64(s.limits.RealDiskTotal)), hostmem.Size(int64(quota)))}
	}
	var once sync.Once
	return func() { once.Do(func() { s.realDisk.give(quota); <-s.workers }) }, nil
}

// diskQuotas is what the real-engine runs in progress may hold on disk
// together: each run's quota, taken while it runs.
type diskQuotas struct {
	mu          sync.Mutex
	taken, most uint64
}

func (d *diskQuotas) take(n uint64) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.taken+n > d.most {
		return false
	}
	d.taken += n
	return true
}

func (d *diskQuotas) give(n uint64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.taken -= n
}

// admit refuses a new run while the server's memory budget has no room:
// 503 busy with Retry-After.
func (s *Server) admit(w http.ResponseWriter) error {
	if s.memory.Room(admitWant) {
		return nil
	}
	w.Header().Set("Retry-After", s.retryAfter())
	return Errorf(CodeBusy, "the server's host memory budget (%s, --memory) is spent by the runs in progress; try again in a few seconds", hostmem.Size(s.memory.Limit()*4/3))
}

// checkEngine checks an engine name (defaulting it to "sim") and options.
func (s *Server) checkEngine(name *string, opts engine.Options) error {
	switch *name {
	case "":
		*name = runner.EngineSim
	case runner.EngineSim, runner.EngineReal, runner.EngineBoth:
	default:
		return Errorf(CodeUnknownEngine, "unknown engine %q: want sim, real or both", *name)
	}
	if opts.RAM > s.limits.RAM {
		return Errorf(CodeInvalid, "options.ram is %d bytes; this server allows at most %d", opts.RAM, s.limits.RAM)
	}
	if opts.Swap > s.limits.RAM {
		return Errorf(CodeInvalid, "options.swap is %d bytes; this server allows at most %d", opts.Swap, s.limits.RAM)
	}
	if opts.WritebackInterval != 0 && opts.WritebackInterval < engine.MinWritebackInterval {
		return Errorf(CodeInvalid, "options.writeback_interval_ns is %d; it must be 0 (the default) or at least %d (vm.dirty_writeback_centisecs counts centiseconds)", opts.WritebackInterval, uint64(engine.MinWritebackInterval))
	}
	if err := opts.Check(); err != nil {
		return Errorf(CodeInvalid, "%s", err)
	}
	return nil
}

// startError turns an error of runner.Start into the client's error.
func startError(err error) error {
	var e *Error
	switch {
	case errors.As(err, &e):
		return e
	case errors.Is(err, runner.ErrUnknownEngine):
		return &Error{Code: CodeUnknownEngine, Message: err.Error(), Err: err}
	case errors.Is(err, runner.ErrTooLarge):
		return &Error{Code: CodeTooLarge, Message: err.Error(), Err: err}
	case errors.Is(err, engine.ErrUnsupported):
		return &Error{Code: CodeUnsupported, Message: err.Error(), Err: err}
	}
	// What else Start refuses is the request's doing (a file it cannot
	// place), and the message says which.
	return &Error{Code: CodeInvalid, Message: err.Error(), Err: err}
}

// Deadlines of the NDJSON run.
const (
	// ndjsonFlushEvery is how often buffered events are pushed to the
	// client: often enough to watch, rarely enough that a quarter of a
	// million events do not cost a write each.
	ndjsonFlushEvery = 25 * time.Millisecond
	// streamGrace is what a stream's write deadline allows beyond the run's
	// time for a client to take the last events.
	streamGrace = 30 * time.Second
)

// runOnce is POST /api/v1/run: the program's events as NDJSON, the bytes
// `playground run --json` prints, flushed as they come.
func (s *Server) runOnce(w http.ResponseWriter, r *http.Request) error {
	var b runBody
	if err := decodeBody(r, &b, false); err != nil {
		return err
	}
	if b.Paused || b.AtSeq != 0 {
		return Errorf(CodeInvalid, "paused and at_seq are for a session's run (POST /api/v1/sessions/{id}/run)")
	}
	req, err := s.runRequest(b.Engine, b.Options, &b)
	if err != nil {
		return err
	}
	if err := s.admit(w); err != nil {
		return err
	}
	client := s.clientAddr(r)
	if !s.clientRuns.take(client, s.limits.MaxRunsPerClient) {
		return Errorf(CodeTooMany, "this address is running its limit of %d programs at once; wait for one to end", s.limits.MaxRunsPerClient)
	}
	defer s.clientRuns.give(client)
	releaseWorker, err := s.takeWorker(req.Engine)
	if err != nil {
		return err
	}
	defer releaseWorker()
	select {
	case s.runSlots <- struct{}{}:
		defer func() { <-s.runSlots }()
	default:
		return Errorf(CodeTooMany, "the server is running its limit of %d programs at once; try again shortly", s.limits.MaxRuns)
	}

	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	rc := http.NewResponseController(w)
	// The server's timeouts are for ordinary routes; this one lasts as long
	// as the run may.
	extendDeadlines(w, s.limits.RunTime+streamGrace)
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store")

	out := &ndjsonWriter{w: bufio.NewWriterSize(w, 32<<10), rc: rc, cancel: cancel, srv: s}
	start := time.Now()
	run, err := s.runner.Start(ctx, req, out.sink)
	if err != nil {
		return startError(err)
	}
	s.metrics.runs.WithLabelValues("oneshot", req.Engine).Inc()
	s.metrics.runsActive.Inc()
	defer s.metrics.runsActive.Dec()

	flushDone := make(chan struct{})
	go func() {
		defer close(flushDone)
		t := time.NewTicker(ndjsonFlushEvery)
		defer t.Stop()
		for {
			select {
			case <-run.Done():
				return
			case <-t.C:
				out.flush()
			}
		}
	}()
	_, err = run.Wait()
	<-flushDone
	run.Close()
	out.flush()
	s.metrics.runDuration.Observe(time.Since(start).Seconds())
	s.metrics.eventsSent.Add(float64(out.events))
	if err != nil {
		s.log.Warn("run failed", "err", err)
	}
	return nil // the stream has begun: its exit event says how the run ended
}

// ndjsonWriter writes events as NDJSON. The engine's goroutine writes into
// a buffer; a ticker flushes it to the client.
type ndjsonWriter struct {
	mu     sync.Mutex
	w      *bufio.Writer
	rc     *http.ResponseController
	cancel context.CancelFunc
	srv    *Server
	line   []byte
	dirty  bool
	err    error
	events uint64
}

func (n *ndjsonWriter) sink(e *engine.Event) {
	n.srv.countEvent(e)
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.err != nil {
		return
	}
	n.line = append(e.AppendJSON(n.line[:0]), '\n')
	if _, n.err = n.w.Write(n.line); n.err != nil {
		n.cancel() // the client is gone, or too slow: stop the program
		return
	}
	n.events++
	n.dirty = true
}

func (n *ndjsonWriter) flush() {
	n.mu.Lock()
	defer n.mu.Unlock()
	if !n.dirty || n.err != nil {
		return
	}
	n.dirty = false
	if n.err = n.w.Flush(); n.err == nil {
		n.err = n.rc.Flush()
	}
	if n.err != nil {
		n.cancel()
	}
}

// extendDeadlines gives a response that may take as long as a run (a
// stream, a step, a replay) d from now, past the server's ReadTimeout and
// WriteTimeout: the read deadline too, since net/http's background read
// cancels the request when it expires.
func extendDeadlines(w http.ResponseWriter, d time.Duration) {
	rc := http.NewResponseController(w)
	t := time.Now().Add(d)
	rc.SetReadDeadline(t)
	rc.SetWriteDeadline(t)
}
