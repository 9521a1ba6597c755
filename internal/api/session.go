package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/hostmem"
	"github.com/mmapplayground/playground/internal/runner"
)

// A Session is one client's workspace: an engine choice and its options,
// the program run in it now (or last), a direct engine for system calls
// made from JSON, and the event stream its websockets read.
type Session struct {
	id      string
	engine  string
	options engine.Options
	client  string
	created time.Time

	ctx    context.Context // ends when the session does
	cancel context.CancelFunc
	stream *stream
	srv    *Server

	lastUsed atomic.Int64 // unix nanoseconds of the last request
	streams  atomic.Int32 // websockets connected

	mu     sync.Mutex
	run    *sessionRun    // the current or last program run
	direct *runner.Direct // the engine of POST .../syscall, made on first use
	target queryable      // what state queries look at: run's or direct's engine
	// opMu serialises what replaces the run or calls the direct engine
	// (run, back, syscall), so that two at once cannot leave a run behind
	// that no one stops; it guards captured.
	opMu sync.Mutex
	// captured collects the encoded events of one direct call.
	captured []jsonRaw
}

// queryable is what the state routes ask: *runner.Run and *runner.Direct.
type queryable interface {
	State() engine.State
	Walk(pid int, addr uint64) engine.Walk
	Pages(pid int, start, end uint64) []engine.PageInfo
}

// sessionRun is one program run in a session.
type sessionRun struct {
	req     runner.Request
	run     Run
	ctl     *control
	ctx     *runContext
	stopped atomic.Bool // replaced by another run, or its session ended
	started time.Time
	// quiet is the last Seq not published to the stream: a replay to an
	// earlier event does not send again what the client already has.
	quiet uint64
	// runp is run, for the sink (which may run before Start returns).
	runp atomic.Pointer[Run]
	// atExit is the simulated engine's state when the program's main
	// process called exit_group, before the kernel tore its address space
	// down: what GET .../state answers once the run has ended.
	atExit atomic.Pointer[engine.State]
	// dropped is set when an idle session's ended run gave its engine's
	// memory back (Limits.EngineIdle); queries then rebuild it by replay.
	dropped atomic.Bool
	// parked is set when an idle session's paused run was stopped to give
	// its engine's memory back: its control still says paused at its
	// event, and the session's next use (awake) replaces it with a replay
	// paused at the same event.
	parked atomic.Bool
}

// released reports whether sr's engine was given back while idle.
func (sr *sessionRun) released() bool { return sr.dropped.Load() || sr.parked.Load() }

// dropIdleEngines releases the engines of simulated runs, paused or
// ended, in sessions without a request for Limits.EngineIdle (and, for an
// ended run, with no stream connected).
func (srv *Server) dropIdleEngines(now time.Time) {
	m := &srv.sessions
	idleFor := srv.limits.EngineIdle
	isIdle := func(s *Session) bool { return now.Sub(time.Unix(0, s.lastUsed.Load())) > idleFor }
	var idle []*Session
	m.mu.Lock()
	for _, s := range m.byID {
		if isIdle(s) {
			idle = append(idle, s)
		}
	}
	m.mu.Unlock()
	for _, s := range idle {
		sr := s.currentRun()
		if sr == nil || sr.req.Engine != runner.EngineSim || sr.released() {
			continue
		}
		switch sr.ctl.status().State {
		case "exited":
			// A page still connected asks an ended run's pages often,
			// and each such query of a released engine is a replay: it
			// keeps its engine (a paused run's rebuild is kept instead).
			if s.streams.Load() > 0 {
				continue
			}
			if sr.dropped.CompareAndSwap(false, true) {
				go sr.run.Close()
			}
		case "paused":
			// Under opMu, as what replaces a run: a request that came
			// meanwhile has touched the session (it is no longer idle) or
			// waits for opMu and finds the run parked.
			s.opMu.Lock()
			if s.currentRun() == sr && isIdle(s) && sr.ctl.status().State == "paused" {
				sr.parked.Store(true)
				sr.stop()
			}
			s.opMu.Unlock()
			if !sr.parked.Load() {
				continue
			}
		default:
			continue
		}
		srv.metrics.enginesReleased.Inc()
		srv.log.Debug("idle session's engine released", "session", s.id)
	}
}

// awake gives the session's run its engine again if it was parked: a
// replay of its request to the event it was paused at, paused there (the
// client has every event up to it already, and the stream gets none of
// them again). It returns the session's run, nil before the first.
func (s *Session) awake(ctx context.Context) (*sessionRun, error) {
	sr := s.currentRun()
	if sr == nil || !sr.parked.Load() {
		return sr, nil
	}
	s.opMu.Lock()
	defer s.opMu.Unlock()
	if sr = s.currentRun(); sr == nil || !sr.parked.Load() {
		return sr, nil
	}
	seq := sr.ctl.status().Seq
	nr, err := s.startRun(sr.req, modeReplay, seq, seq, false)
	if err != nil {
		return nil, startError(err)
	}
	nr.ctl.waitStopped(ctx, s.srv.stepWait())
	s.srv.log.Debug("session's engine rebuilt by replay", "session", s.id, "seq", seq)
	return nr, nil
}

// queryRun is what a state query of sr asks: its run, or, once its engine
// was released, a replay of it to its last event (done releases it).
func (srv *Server) queryRun(ctx context.Context, sr *sessionRun) (q queryable, done func(), err error) {
	if !sr.dropped.Load() {
		return sr.run, func() {}, nil
	}
	rp, _, err := srv.replayTo(ctx, sr.req, sr.ctl.status().Seq)
	if err != nil {
		return nil, nil, err
	}
	return rp, func() { rp.Close() }, nil
}

func (s *Session) touch() { s.lastUsed.Store(time.Now().UnixNano()) }

// info is GET /sessions/{id}.
type sessionInfo struct {
	ID      string         `json:"id"`
	Engine  string         `json:"engine"`
	Options engine.Options `json:"options"`
	Created time.Time      `json:"created"`
	Streams int            `json:"streams"`
	// Run is the current or last run's status; absent before the first.
	Run *runStatus `json:"run,omitempty"`
	// EngineReleased says the run's engine was given back while the
	// session was idle (Limits.EngineIdle); the next query or step
	// rebuilds it by replay.
	EngineReleased bool `json:"engine_released,omitempty"`
}

func (s *Session) info() sessionInfo {
	in := sessionInfo{ID: s.id, Engine: s.engine, Options: s.options, Created: s.created, Streams: int(s.streams.Load())}
	if sr := s.currentRun(); sr != nil {
		st := sr.ctl.status()
		in.Run = &st
		in.EngineReleased = sr.released()
	}
	return in
}

func (s *Session) currentRun() *sessionRun {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.run
}

func (s *Session) currentTarget() queryable {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.target
}

// startRun replaces the session's run with a new one of req. mode and
// stopAt say where it first pauses; quiet, how many of its first events
// to keep off the stream (a replay). A stream that a new client reads from
// the start begins at the new run unless it is a quiet replay of the same
// run (back); fresh begins it there for one too (a resumed run).
// Called with s.opMu held.
func (s *Session) startRun(req runner.Request, mode stepMode, stopAt, quiet uint64, fresh bool) (*sessionRun, error) {
	srv := s.srv
	lim := srv.limits
	ctx := newRunContext(s.ctx)
	sr := &sessionRun{req: req, ctx: ctx, started: time.Now(), quiet: quiet}
	sr.ctl = newControl(mode, stopAt, lim.RunTime, func() { ctx.end(context.DeadlineExceeded) })
	// The runner's own wall-time limit counts paused time too, so the
	// session's is the control's (running time only); the runner's is
	// only a backstop as long as the session may idle.
	req.Limits.WallTime = lim.SessionIdle + lim.RunTime
	var realTimer *time.Timer
	if req.Engine != runner.EngineSim {
		// A real run's worker holds a host process and its files while
		// it waits: a paused one is ended after RealPause. The worker's
		// own wall-time kill cannot reach a program paused in this sink,
		// so the run's context ends then too.
		req.Limits.WallTime = lim.RunTime + lim.RealPause
		realTimer = time.AfterFunc(req.Limits.WallTime, func() { ctx.end(errRealPause{req.Limits.WallTime}) })
	}
	// A session steps and pauses in its sink; a real run's worker must wait
	// for it at each event.
	req.Paced = true

	mainPid := 0
	sink := func(e *engine.Event) {
		if sr.stopped.Load() {
			return // replaced or ended: its last events are no one's news
		}
		if mainPid == 0 && e.Pid != 0 {
			mainPid = e.Pid
		}
		if req.Engine == runner.EngineSim && e.Type == engine.EvSyscall && e.Pid == mainPid &&
			(e.Name == "exit_group" || e.Name == "exit") {
			if run := sr.runp.Load(); run != nil {
				st := (*run).State()
				sr.atExit.Store(&st)
			}
		}
		if e.Seq > sr.quiet {
			s.stream.publish(e)
		}
		srv.countEvent(e)
		sr.ctl.onEvent(ctx, e)
	}

	// A request the runner refuses leaves the session's run as it was.
	stopTimers := func() {
		sr.ctl.timer.Stop()
		if realTimer != nil {
			realTimer.Stop()
		}
	}
	if err := req.Validate(); err != nil {
		stopTimers()
		ctx.end(context.Canceled)
		return nil, err
	}
	s.mu.Lock()
	old := s.run
	s.mu.Unlock()
	if old != nil {
		old.stop()
	}
	releaseWorker, err := srv.takeWorker(req.Engine)
	if err != nil {
		stopTimers()
		ctx.end(context.Canceled)
		return nil, err
	}
	if quiet == 0 || fresh {
		s.stream.startRun()
	}
	run, err := srv.runner.Start(ctx, req, sink)
	if err != nil {
		releaseWorker()
		stopTimers()
		ctx.end(context.Canceled)
		return nil, err
	}
	sr.run = run
	sr.runp.Store(&run)
	s.mu.Lock()
	s.run, s.target = sr, run
	s.mu.Unlock()

	srv.metrics.runs.WithLabelValues("session", req.Engine).Inc()
	srv.metrics.runsActive.Inc()
	srv.goSafe("session run", func() {
		res, err := run.Wait()
		releaseWorker()
		if realTimer != nil {
			realTimer.Stop()
		}
		var rp errRealPause
		switch {
		case err == nil && errors.Is(ctx.Err(), context.DeadlineExceeded):
			// The interpreter has said "time limit exceeded" in an error
			// event; the status says which limit.
			err = errRunTime{lim.RunTime}
		case errors.As(ctx.Err(), &rp):
			err = rp
		}
		if !sr.parked.Load() {
			// A parked run was stopped only to free its engine: its
			// status stays paused at its event until awake replaces it.
			sr.ctl.finish(res, err)
		}
		srv.metrics.runsActive.Dec()
		srv.metrics.runDuration.Observe(time.Since(sr.started).Seconds())
		s.touch()
	})
	return sr, nil
}

// stop ends the run and releases its engine, without waiting.
func (sr *sessionRun) stop() {
	sr.stopped.Store(true)
	sr.ctx.end(context.Canceled)
	go sr.run.Close()
}

// directEngine returns the session's direct engine, making it on first use.
// Called with s.opMu held.
func (s *Session) directEngine() (*runner.Direct, error) {
	s.mu.Lock()
	d := s.direct
	run := s.run
	s.mu.Unlock()
	if run != nil && !run.ctl.status().doneOrPaused() {
		return nil, Errorf(CodeConflict, "a program is running in this session; wait for it to end (or pause it) before making system calls")
	}
	if d != nil {
		s.mu.Lock()
		s.target = d
		s.mu.Unlock()
		return d, nil
	}
	s.stream.startRun()
	d, err := runner.NewDirect(s.engine, s.options, func(e *engine.Event) {
		s.stream.publish(e)
		s.srv.countEvent(e)
		s.captured = append(s.captured, e.AppendJSON(nil))
	})
	if err != nil {
		return nil, err
	}
	d.SetBudget(s.srv.limits.RunMemory, s.srv.memory)
	s.mu.Lock()
	s.direct, s.target = d, d
	s.mu.Unlock()
	return d, nil
}

func (st runStatus) doneOrPaused() bool { return st.State != "running" }

// close ends the session: its run, its direct engine and its streams.
func (s *Session) close() {
	s.cancel()
	s.stream.mu.Lock()
	s.stream.memory.Release()
	s.stream.mu.Unlock()
	s.mu.Lock()
	run, d := s.run, s.direct
	s.run, s.direct, s.target = nil, nil, nil
	s.mu.Unlock()
	if run != nil {
		run.stop()
	}
	if d != nil {
		d.Close()
	}
}

// sessions holds the server's sessions and enforces their limits.
type sessions struct {
	mu       sync.Mutex
	byID     map[string]*Session
	byClient map[string]int
}

// errTooMany is what a refused session is told.
func (srv *Server) newSession(client, engineName string, opts engine.Options) (*Session, error) {
	lim := srv.limits
	m := &srv.sessions
	m.mu.Lock()
	if srv.ctx.Err() != nil {
		m.mu.Unlock()
		return nil, Errorf(CodeUnsupported, "the server is shutting down")
	}
	if len(m.byID) >= lim.MaxSessions {
		m.mu.Unlock()
		return nil, Errorf(CodeTooMany, "the server holds its limit of %d sessions; try again later", lim.MaxSessions)
	}
	if lim.MaxSessionsPerClient > 0 && m.byClient[client] >= lim.MaxSessionsPerClient {
		m.mu.Unlock()
		return nil, Errorf(CodeTooMany, "this address holds its limit of %d sessions; delete one (DELETE /api/v1/sessions/{id}) or wait for idle ones to be reaped", lim.MaxSessionsPerClient)
	}
	ctx, cancel := context.WithCancel(srv.ctx)
	s := &Session{
		id: newID(), engine: engineName, options: opts, client: client, created: time.Now(),
		ctx: ctx, cancel: cancel, stream: newStream(lim.EventsBuffered), srv: srv,
	}
	s.stream.memory = hostmem.New("stream", "", 0, srv.memory)
	s.touch()
	m.byID[s.id] = s
	m.byClient[client]++
	m.mu.Unlock()
	srv.metrics.sessions.Inc()
	srv.metrics.sessionsTotal.Inc()
	return s, nil
}

func (srv *Server) session(id string) (*Session, error) {
	m := &srv.sessions
	m.mu.Lock()
	s := m.byID[id]
	m.mu.Unlock()
	if s == nil {
		return nil, missingSession(id)
	}
	s.touch()
	return s, nil
}

// deleteSession removes and closes a session; false if it was not there.
func (srv *Server) deleteSession(id string) bool {
	m := &srv.sessions
	m.mu.Lock()
	s := m.byID[id]
	if s != nil {
		delete(m.byID, id)
		if m.byClient[s.client]--; m.byClient[s.client] <= 0 {
			delete(m.byClient, s.client)
		}
	}
	m.mu.Unlock()
	if s == nil {
		return false
	}
	s.close()
	srv.metrics.sessions.Dec()
	return true
}

// reap ends sessions idle for longer than the limit: no request and no
// stream connected.
func (srv *Server) reap(now time.Time) int {
	m := &srv.sessions
	var idle []string
	m.mu.Lock()
	for id, s := range m.byID {
		if s.streams.Load() == 0 && now.Sub(time.Unix(0, s.lastUsed.Load())) > srv.limits.SessionIdle {
			idle = append(idle, id)
		}
	}
	m.mu.Unlock()
	for _, id := range idle {
		if srv.deleteSession(id) {
			srv.metrics.sessionsReap.Inc()
			srv.log.Debug("session reaped", "session", id)
		}
	}
	return len(idle)
}

// reaper runs reap until the server ends.
func (srv *Server) reaper() {
	every := min(max(min(srv.limits.SessionIdle, srv.limits.EngineIdle)/4, 100*time.Millisecond), time.Minute)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-srv.ctx.Done():
			return
		case now := <-t.C:
			srv.reap(now)
			srv.dropIdleEngines(now)
			srv.rates.forget(now.Add(-time.Minute))
		}
	}
}

// closeSessions ends every session (shutdown).
func (srv *Server) closeSessions() {
	m := &srv.sessions
	m.mu.Lock()
	ids := make([]string, 0, len(m.byID))
	for id := range m.byID {
		ids = append(ids, id)
	}
	m.mu.Unlock()
	for _, id := range ids {
		srv.deleteSession(id)
	}
}

// newID is a session id: this server process's boot id (32 random bits,
// so that an id of an earlier process is known for one) and 128 random
// bits, so that one student cannot guess another's.
func newID() string {
	var b [16]byte
	rand.Read(b[:])
	return bootID + hex.EncodeToString(b[:])
}

// bootID prefixes the ids of this process's sessions.
var bootID = func() string {
	var b [4]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}()

// missingSession is what a request for an unknown session id is told:
// that the server restarted, when the id is a well-formed one of another
// process; else that it may have been idle too long and reaped.
func missingSession(id string) error {
	if len(id) == len(bootID)+32 && !strings.HasPrefix(id, bootID) {
		if _, err := hex.DecodeString(id); err == nil {
			return Errorf(CodeNotFound, "no session %q: the server has restarted since it was made; create a new one", id)
		}
	}
	return Errorf(CodeNotFound, "no session %q (it may have been idle too long and reaped)", id)
}

// goSafe runs f in a goroutine that a panic does not take the server down
// with: it is logged instead.
//
// Shutdown waits for these goroutines; one started while it waits is not
// counted (a WaitGroup cannot grow from zero during Wait) but ends all the
// same, on the server's context, which Shutdown has ended.
func (srv *Server) goSafe(what string, f func()) {
	srv.goMu.Lock()
	tracked := !srv.closing
	if tracked {
		srv.wg.Add(1)
	}
	srv.goMu.Unlock()
	go func() {
		if tracked {
			defer srv.wg.Done()
		}
		defer func() {
			if rv := recover(); rv != nil {
				srv.log.Error("panic", "in", what, "panic", fmt.Sprint(rv), slog.String("stack", stack()))
			}
		}()
		f()
	}()
}
