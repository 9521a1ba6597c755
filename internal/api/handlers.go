package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/mmapplayground/playground/examples"
	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/runner"
)

// sessionHandler is a handler of /sessions/{id}/... given its session.
type sessionHandler func(w http.ResponseWriter, r *http.Request, sess *Session) error

func (s *Server) withSession(h sessionHandler) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		sess, err := s.session(chi.URLParam(r, "id"))
		if err != nil {
			return err
		}
		return h(w, r, sess)
	}
}

// createBody is POST /api/v1/sessions's body.
type createBody struct {
	Engine  string         `json:"engine"`
	Options engine.Options `json:"options"`
}

// created is POST /api/v1/sessions's answer.
type created struct {
	ID     string `json:"id"`
	Engine string `json:"engine"`
	// WS is the path of the session's event stream.
	WS string `json:"ws"`
}

func (s *Server) createSession(w http.ResponseWriter, r *http.Request) error {
	var b createBody
	if err := decodeBody(r, &b, true); err != nil {
		return err
	}
	if err := s.checkEngine(&b.Engine, b.Options); err != nil {
		return err
	}
	if err := s.refuseDraining(w); err != nil {
		return err
	}
	sess, err := s.newSession(s.clientAddr(r), b.Engine, b.Options)
	if err != nil {
		return err
	}
	s.log.Debug("session created", "session", sess.id, "engine", sess.engine, "client", sess.client)
	path := "/api/v1/sessions/" + sess.id
	w.Header().Set("Location", path)
	writeJSON(w, http.StatusCreated, created{ID: sess.id, Engine: sess.engine, WS: path + "/ws"})
	return nil
}

func (s *Server) getSession(w http.ResponseWriter, r *http.Request, sess *Session) error {
	writeJSON(w, http.StatusOK, sess.info())
	return nil
}

func (s *Server) deleteSessionRoute(w http.ResponseWriter, r *http.Request) error {
	id := chi.URLParam(r, "id")
	if !s.deleteSession(id) {
		return Errorf(CodeNotFound, "no session %q", id)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// sessionRun is POST /sessions/{id}/run: 202, and the events go to the
// session's stream. A run already in the session is stopped.
func (s *Server) sessionRun(w http.ResponseWriter, r *http.Request, sess *Session) error {
	var b runBody
	if err := decodeBody(r, &b, false); err != nil {
		return err
	}
	if b.Engine != "" || b.Options != (engine.Options{}) {
		return Errorf(CodeInvalid, "a session's run uses the session's engine and options; create a session for another")
	}
	req, err := s.runRequest(sess.engine, sess.options, &b)
	if err != nil {
		return err
	}
	if b.AtSeq != 0 && req.Engine != runner.EngineSim {
		return Errorf(CodeInvalid, "at_seq needs the simulated engine: a real run cannot be replayed to an event, so it cannot be rebuilt")
	}
	if err := s.admit(w); err != nil {
		return err
	}
	if b.AtSeq != 0 {
		return s.resumeRun(w, r, sess, req, b.AtSeq, b.Paused)
	}
	mode := modeRun
	if b.Paused {
		mode = modePause
	}
	sess.opMu.Lock()
	sr, err := sess.startRun(req, mode, 0, 0, false)
	sess.opMu.Unlock()
	if err != nil {
		return startError(err)
	}
	st := sr.ctl.status()
	if b.Paused {
		st = sr.ctl.waitStopped(r.Context(), time.Second)
	}
	writeJSON(w, http.StatusAccepted, st)
	return nil
}

// resumeRun is a session run with at_seq: req replayed quietly to the
// event seq (as back does), its state published, then paused there or let
// go on. A run with fewer events ends at its last, as it did before.
func (s *Server) resumeRun(w http.ResponseWriter, r *http.Request, sess *Session, req runner.Request, seq uint64, paused bool) error {
	extendDeadlines(w, s.stepWait()+streamGrace)
	sess.opMu.Lock()
	sr, err := sess.startRun(req, modeReplay, seq, seq, true)
	sess.opMu.Unlock()
	if err != nil {
		return startError(err)
	}
	st := sr.ctl.waitStopped(r.Context(), s.stepWait())
	if st.State == "paused" {
		sess.stream.publishRaw(stateMessage(st.Seq, sr.run.State()))
		if !paused {
			sr.ctl.set(modeRun, "")
			st = sr.ctl.status()
		}
	}
	s.metrics.sessionsResumed.Inc()
	s.log.Debug("session resumed", "session", sess.id, "seq", st.Seq, "state", st.State)
	writeJSON(w, http.StatusAccepted, st)
	return nil
}

// stepBody is POST /sessions/{id}/step's body.
type stepBody struct {
	// Until is what to run to: "syscall", "fault", "checkpoint" or
	// "event" (the next event of any kind, the default).
	Until string `json:"until"`
}

func (s *Server) runOf(sess *Session) (*sessionRun, error) {
	sr := sess.currentRun()
	if sr == nil {
		return nil, Errorf(CodeConflict, "no program has run in this session: POST its source to /api/v1/sessions/%s/run", sess.id)
	}
	return sr, nil
}

// liveRunOf is runOf for what goes on from the run's engine (step, pause,
// continue): a run parked while idle is first rebuilt (Session.awake).
func (s *Server) liveRunOf(w http.ResponseWriter, r *http.Request, sess *Session) (*sessionRun, error) {
	if err := s.wake(w, r, sess, false); err != nil {
		return nil, err
	}
	return s.runOf(sess)
}

// wake rebuilds the session's run if it was parked while idle; for a
// query (queryOnly), only if the query would look at the run (not at the
// engine of system calls made since).
func (s *Server) wake(w http.ResponseWriter, r *http.Request, sess *Session, queryOnly bool) error {
	sr := sess.currentRun()
	if sr == nil || !sr.parked.Load() || queryOnly && sess.currentTarget() != queryable(sr.run) {
		return nil
	}
	extendDeadlines(w, s.stepWait()+streamGrace)
	_, err := sess.awake(r.Context())
	return err
}

// stepWait is how long a step or back waits for the program to stop: a
// run that does not stop within its time limit is ended by it.
func (s *Server) stepWait() time.Duration { return s.limits.RunTime + time.Second }

func (s *Server) sessionStep(w http.ResponseWriter, r *http.Request, sess *Session) error {
	var b stepBody
	if err := decodeBody(r, &b, true); err != nil {
		return err
	}
	if b.Until == "" {
		b.Until = "event"
	}
	until, ok := stepUntil[b.Until]
	if !ok {
		return Errorf(CodeInvalid, "until %q: want syscall, fault, checkpoint or event", b.Until)
	}
	sr, err := s.liveRunOf(w, r, sess)
	if err != nil {
		return err
	}
	extendDeadlines(w, s.stepWait()+streamGrace)
	// A step that ends at a fault stops the real engine's program at its
	// faults (the tracer's perf sigtrap), and only such a step: each stop
	// costs, and a run let go on takes none.
	stopAtFaults(sr.run, until == "" || until == engine.EvFault)
	sr.ctl.set(modeStep, until)
	writeJSON(w, http.StatusOK, sr.ctl.waitStopped(r.Context(), s.stepWait()))
	return nil
}

// faultStopper is a run that can stop its program at each page fault
// (runner.Run, for a paced real run: its worker's tracer).
type faultStopper interface{ StopAtFaults(on bool) error }

// stopAtFaults turns a run's stops at faults on or off, where it has them.
// Where it cannot, a fault event shows the program at its next stop, as
// the run's notes say.
func stopAtFaults(run Run, on bool) {
	if fs, ok := run.(faultStopper); ok {
		fs.StopAtFaults(on)
	}
}

// pauseWait is how long pause waits for the program to reach an event (a
// program in a loop without system calls or faults reaches none).
const pauseWait = time.Second

func (s *Server) sessionPause(w http.ResponseWriter, r *http.Request, sess *Session) error {
	if err := decodeBody(r, &struct{}{}, true); err != nil {
		return err
	}
	sr, err := s.liveRunOf(w, r, sess)
	if err != nil {
		return err
	}
	sr.ctl.set(modePause, "")
	writeJSON(w, http.StatusOK, sr.ctl.waitStopped(r.Context(), pauseWait))
	return nil
}

func (s *Server) sessionContinue(w http.ResponseWriter, r *http.Request, sess *Session) error {
	if err := decodeBody(r, &struct{}{}, true); err != nil {
		return err
	}
	sr, err := s.liveRunOf(w, r, sess)
	if err != nil {
		return err
	}
	stopAtFaults(sr.run, false)
	sr.ctl.set(modeRun, "")
	writeJSON(w, http.StatusOK, sr.ctl.status())
	return nil
}

// backBody is POST /sessions/{id}/back's body: an event to go back to, or
// how many events back to go.
type backBody struct {
	Seq   *uint64 `json:"seq"`
	Steps *uint64 `json:"steps"`
}

// sessionBack steps back on the simulated engine: it replays the run's
// request (the model is deterministic, so the replay is the same run) to
// the event asked for, and pauses there. The stream gets a state message
// for that event; the events after it come again as the program goes on.
func (s *Server) sessionBack(w http.ResponseWriter, r *http.Request, sess *Session) error {
	var b backBody
	if err := decodeBody(r, &b, false); err != nil {
		return err
	}
	sr, err := s.runOf(sess)
	if err != nil {
		return err
	}
	if sr.req.Engine != runner.EngineSim {
		return Errorf(CodeInvalid, "stepping back needs the simulated engine (a replay of a real run is not the same run)")
	}
	cur := sr.ctl.status().Seq
	var target uint64
	switch {
	case b.Seq != nil && b.Steps == nil:
		target = *b.Seq
	case b.Steps != nil && b.Seq == nil:
		if *b.Steps >= cur {
			target = 1
		} else {
			target = cur - *b.Steps
		}
	default:
		return Errorf(CodeInvalid, "send one of {\"seq\":N} or {\"steps\":N}")
	}
	if target < 1 {
		return Errorf(CodeInvalid, "seq counts from 1")
	}
	extendDeadlines(w, s.stepWait()+streamGrace)
	sess.opMu.Lock()
	nr, err := sess.startRun(sr.req, modeReplay, target, target, false)
	sess.opMu.Unlock()
	if err != nil {
		return startError(err)
	}
	st := nr.ctl.waitStopped(r.Context(), s.stepWait())
	sess.stream.publishRaw(stateMessage(st.Seq, nr.run.State()))
	writeJSON(w, http.StatusOK, st)
	return nil
}

// stateMessage is the stream's {"type":"state","seq":N,"state":{...}}.
func stateMessage(seq uint64, st engine.State) []byte {
	b := []byte(`{"type":"state","seq":`)
	b = strconv.AppendUint(b, seq, 10)
	b = append(b, `,"state":`...)
	js, err := jsonMarshal(withEmptyLists(st))
	if err != nil {
		js = []byte("{}")
	}
	b = append(b, js...)
	return append(b, '}')
}

// syscallBody is POST /sessions/{id}/syscall's body.
type syscallBody struct {
	// Name is the call as strace names it ("mmap"), or "load" or "store":
	// a user-mode access of args[1] bytes at args[0] (faulting pages in).
	Name string    `json:"name"`
	Args []jsonInt `json:"args"`
	// Path is the path argument of calls that take one.
	Path string `json:"path"`
	// Data is what "store" writes (else args[1] zero bytes).
	Data string `json:"data"`
}

// syscallResult is its answer.
type syscallResult struct {
	Ret   int64  `json:"ret"`
	Errno string `json:"errno"`
	// Signal is the signal an access or call raised ("SIGSEGV"), if any.
	Signal string `json:"signal,omitempty"`
	Code   string `json:"code,omitempty"`
	// Data is what "load" read, base64.
	Data []byte `json:"data,omitempty"`
	// Events are the events the call made, as the stream sent them.
	Events []jsonRaw `json:"events"`
}

// maxAccess bounds one load or store from JSON.
const maxAccess = 1 << 20

func (s *Server) sessionSyscall(w http.ResponseWriter, r *http.Request, sess *Session) error {
	var b syscallBody
	if err := decodeBody(r, &b, false); err != nil {
		return err
	}
	if b.Name == "" {
		return Errorf(CodeInvalid, "name the call: {\"name\":\"mmap\",\"args\":[0,4096,3,34,-1,0]}")
	}
	args := make([]int64, len(b.Args))
	for i, a := range b.Args {
		args[i] = int64(a)
	}
	sess.opMu.Lock()
	defer sess.opMu.Unlock()
	d, err := sess.directEngine()
	if err != nil {
		return startError(err)
	}
	sess.captured = sess.captured[:0]
	var res syscallResult
	switch b.Name {
	case "load", "store":
		if len(args) != 2 || args[1] < 0 || args[1] > maxAccess {
			return Errorf(CodeInvalid, "%s takes [addr, length] with length up to %d", b.Name, maxAccess)
		}
		var err error
		if b.Name == "load" {
			res.Data, err = d.Load(uint64(args[0]), int(args[1]))
		} else {
			data := []byte(b.Data)
			if len(data) == 0 {
				data = make([]byte, args[1])
			}
			err = d.Store(uint64(args[0]), data)
		}
		if sig, ok := err.(*engine.Signal); ok {
			res.Ret, res.Signal, res.Code = -1, engine.SignalName(sig.Signo), sig.CodeName()
			res.Data = nil
		} else if over := d.Over(); over != nil {
			return memoryError(w, s, over)
		} else if err != nil {
			return err
		}
	default:
		out := d.Syscall(engine.Call{Name: b.Name, Args: args, Path: b.Path})
		res.Ret = out.Ret
		if out.Errno != 0 {
			res.Errno = out.Errno.Name()
		}
		if out.Signal != nil {
			res.Signal, res.Code = engine.SignalName(out.Signal.Signo), out.Signal.CodeName()
		}
	}
	if err := d.Over(); err != nil {
		return memoryError(w, s, err)
	}
	res.Events = append([]jsonRaw{}, sess.captured...)
	writeJSON(w, http.StatusOK, res)
	return nil
}

// stateAnswer is GET /sessions/{id}/state's answer.
type stateAnswer struct {
	// Seq is the event the state is at (the last one sent, or ?seq=).
	Seq   uint64       `json:"seq"`
	Run   *runStatus   `json:"run,omitempty"`
	State engine.State `json:"state"`
	// Walk is ?addr='s page-table walk.
	Walk *engine.Walk `json:"walk,omitempty"`
}

func (s *Server) sessionState(w http.ResponseWriter, r *http.Request, sess *Session) error {
	if err := s.wake(w, r, sess, true); err != nil {
		return err
	}
	q := r.URL.Query()
	pid, err := queryUint(q.Get("pid"), "pid")
	if err != nil {
		return err
	}
	var walkAddr *uint64
	if v := q.Get("addr"); v != "" {
		a, err := queryUint(v, "addr")
		if err != nil {
			return err
		}
		walkAddr = &a
	}
	var ans stateAnswer
	var target queryable
	var atExit *engine.State // the address space as the program left it
	if v := q.Get("seq"); v != "" {
		rp, at, err := s.replayAtSeq(w, r, sess, v, "the state at an earlier event needs")
		if err != nil {
			return err
		}
		defer rp.Close()
		target, ans.Seq = rp, at
	} else {
		target = sess.currentTarget()
		if target == nil {
			return Errorf(CodeConflict, "nothing has run in this session yet")
		}
		if sr := sess.currentRun(); sr != nil && target == queryable(sr.run) {
			st := sr.ctl.status()
			ans.Run, ans.Seq = &st, st.Seq
			if st.State == "exited" {
				atExit = sr.atExit.Load()
			}
			if walkAddr != nil || atExit == nil {
				q, done, err := s.queryRun(r.Context(), sr)
				if err != nil {
					return err
				}
				defer done()
				target = q
			}
		}
	}
	if atExit != nil {
		ans.State = *atExit
	} else {
		ans.State = target.State()
	}
	ans.State = withEmptyLists(ans.State)
	if walkAddr != nil {
		wk := target.Walk(int(pid), *walkAddr)
		ans.Walk = &wk
	}
	writeJSON(w, http.StatusOK, ans)
	return nil
}

// withEmptyLists gives st's lists as [] rather than null, so that a script
// reading the state after a process's teardown finds empty lists, not
// missing ones.
func withEmptyLists(st engine.State) engine.State {
	if st.Processes == nil {
		st.Processes = []engine.ProcessState{}
	}
	if st.Files == nil {
		st.Files = []engine.FileState{}
	}
	procs := make([]engine.ProcessState, len(st.Processes))
	for i, p := range st.Processes {
		if p.VMAs == nil {
			p.VMAs = []engine.VMA{}
		}
		if p.Tables == nil {
			p.Tables = map[string]int{}
		}
		procs[i] = p
	}
	st.Processes = procs
	files := make([]engine.FileState, len(st.Files))
	for i, f := range st.Files {
		if f.Pages == nil {
			f.Pages = []engine.CachePage{}
		}
		files[i] = f
	}
	st.Files = files
	return st
}

// maxPages bounds one GET .../pages: 4 GiB of address space.
const maxPages = 1 << 20

// pagesAnswer is GET /sessions/{id}/pages's answer: one byte per page, an
// engine.PageState, base64.
type pagesAnswer struct {
	Pid    uint64   `json:"pid"`
	Start  uint64   `json:"start"`
	End    uint64   `json:"end"`
	States []byte   `json:"states"`
	Legend []string `json:"legend"`
}

func (s *Server) sessionPages(w http.ResponseWriter, r *http.Request, sess *Session) error {
	if err := s.wake(w, r, sess, true); err != nil {
		return err
	}
	q := r.URL.Query()
	pid, err := queryUint(q.Get("pid"), "pid")
	if err != nil {
		return err
	}
	start, err := queryUint(q.Get("start"), "start")
	if err != nil {
		return err
	}
	end, err := queryUint(q.Get("end"), "end")
	if err != nil {
		return err
	}
	start &^= engine.PageSize - 1
	end = (end + engine.PageSize - 1) &^ (engine.PageSize - 1)
	if end <= start {
		return Errorf(CodeInvalid, "want start < end (page-aligned addresses, decimal or 0x hex)")
	}
	if (end-start)>>engine.PageShift > maxPages {
		return Errorf(CodeInvalid, "at most %d pages at a time", maxPages)
	}
	target := sess.currentTarget()
	if sr := sess.currentRun(); sr != nil && target == queryable(sr.run) {
		q, done, err := s.queryRun(r.Context(), sr)
		if err != nil {
			return err
		}
		defer done()
		target = q
	}
	if v := q.Get("seq"); v != "" {
		// The pages just after that event, by replay, as .../state?seq=.
		rp, _, err := s.replayAtSeq(w, r, sess, v, "the pages at an earlier event need")
		if err != nil {
			return err
		}
		defer rp.Close()
		target = rp
	}
	if target == nil {
		return Errorf(CodeConflict, "nothing has run in this session yet")
	}
	infos := target.Pages(int(pid), start, end)
	states := make([]byte, (end-start)>>engine.PageShift)
	for _, p := range infos {
		if p.Addr >= start && p.Addr < end {
			states[(p.Addr-start)>>engine.PageShift] = byte(p.State)
		}
	}
	writeJSON(w, http.StatusOK, pagesAnswer{Pid: pid, Start: start, End: end, States: states, Legend: engine.PageStateNames()})
	return nil
}

// queryUint parses a query parameter: decimal or 0x hex; "" is 0.
func queryUint(v, name string) (uint64, error) {
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseUint(strings.ReplaceAll(v, "_", ""), 0, 64)
	if err != nil {
		return 0, Errorf(CodeInvalid, "%s=%q: want a number (decimal, or hex with 0x)", name, v)
	}
	return n, nil
}

// exampleSummary is one entry of GET /api/v1/examples.
type exampleSummary struct {
	Name    string          `json:"name"`
	Title   string          `json:"title"`
	TitleZh string          `json:"title_zh"`
	Engines []string        `json:"engines"`
	Expect  examples.Expect `json:"expect"`
}

func (s *Server) listExamples(w http.ResponseWriter, r *http.Request) error {
	all := examples.All()
	out := make([]exampleSummary, len(all))
	for i, e := range all {
		out[i] = exampleSummary{Name: e.Name, Title: e.Title, TitleZh: e.TitleZh, Engines: e.Engines, Expect: e.Expect}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) getExample(w http.ResponseWriter, r *http.Request) error {
	name := chi.URLParam(r, "name")
	e, ok := examples.Get(name)
	if !ok {
		return Errorf(CodeNotFound, "no example %q (GET /api/v1/examples lists them)", name)
	}
	writeJSON(w, http.StatusOK, e)
	return nil
}

// replayAtSeq is the session's last run replayed to the event seq (the
// query's text) and paused there, for a query at an earlier event: the
// simulated engine only, since it is a replay. what begins the refusal's
// sentence for another engine ("the pages at an earlier event need").
// The caller closes the replay.
func (s *Server) replayAtSeq(w http.ResponseWriter, r *http.Request, sess *Session, v, what string) (*replay, uint64, error) {
	seq, err := queryUint(v, "seq")
	if err != nil {
		return nil, 0, err
	}
	sr, err := s.runOf(sess)
	if err != nil {
		return nil, 0, err
	}
	if sr.req.Engine != runner.EngineSim {
		return nil, 0, Errorf(CodeInvalid, "%s the simulated engine (it is a replay)", what)
	}
	extendDeadlines(w, s.stepWait()+streamGrace)
	return s.replayTo(r.Context(), sr.req, seq)
}
