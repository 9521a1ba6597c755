// Package loadtest is the playground's load test as a library: many
// students at once, each with a session and its websocket, running a
// program that takes page faults, against one server or a proxy in front of
// several replicas. bench/load is its command; the three-replica test
// (deploy/replicas) runs it across haproxy and kills a replica midway.
//
// Each student is a client of its own (its own cookie jar, so a proxy's
// cookie affinity keeps it on one replica, as a browser would be kept).
// A student whose session is lost — its stream closes and the replica
// does not answer for it, or a call answers 404 — rebuilds it as the page
// does (web/static/resume.js): a simulated session from its recipe, with
// "at_seq" the last event it received; a real-engine session cannot be
// rebuilt and is reported lost.
package loadtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Program takes n anonymous page faults (argv[1]), one store per page, in
// one area, and calls checkpoint("half") halfway: where a run with Midway
// waits.
const Program = `#include <playground.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
int main(int argc, char **argv) {
	long n = atol(argv[1]);
	char *p = mmap(NULL, n * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) { perror("mmap"); return 1; }
	for (long i = 0; i < n; i++) {
		if (i == n / 2) checkpoint("half");
		p[i * 4096] = 1;
	}
	printf("%ld pages\n", n);
	return 0;
}
`

// Config is one load test.
type Config struct {
	// Base is the server's or the proxy's URL ("http://127.0.0.1:8080").
	Base string
	// Sessions is how many students there are; Real of them run on the
	// real engine, the rest on the simulated one.
	Sessions, Real int
	// Faults is how many page faults each program takes.
	Faults int
	// Midway, when set, makes every run stop at its checkpoint halfway;
	// once every student stands there it is called with the sessions as
	// they are (the three-replica test kills the replica of one of them),
	// and then the runs go on. The time spent waiting there is not counted
	// in a run's time.
	Midway func(ctx context.Context, at []Session) error
	// Verify keeps every event and holds each simulated run's events, Seq
	// by Seq, to those of the same program's one-shot run (POST /run).
	Verify bool
	// AffinityCookie is the proxy's affinity cookie ("SRV"): its value
	// names the replica a session was made on, and where it was rebuilt.
	AffinityCookie string
	// Transport carries every student's requests; nil: one made here.
	Transport http.RoundTripper
}

// Session is what happened to one student's session.
type Session struct {
	Engine string
	// Replica is the affinity cookie's value when the session was made;
	// ResumedOn, when it was rebuilt.
	Replica, ResumedOn string
	// Resumed: the session was lost and rebuilt from its recipe; Lost: it
	// was a real-engine session, and could not be.
	Resumed, Lost bool
	// Events is how many the student received, by the exit event's Seq.
	Events uint64
	// Mismatch says how the run's events differ from the one-shot run's
	// (Verify), "" when they are the same.
	Mismatch string
	// RunToExit is from the run's start to its exit event (less the wait
	// at Midway).
	RunToExit time.Duration
	Err       error
}

// Report is the whole test's.
type Report struct {
	Sessions  []Session
	Held      int // sessions made and their streams open
	Completed int // runs that reached their exit event
	Resumed   int
	Lost      int
	Failed    int
	Events    uint64
	Faults    uint64
	Dropped   uint64
	Elapsed   time.Duration
	// P50, P99 and Max are of RunToExit over the runs that completed.
	P50, P99, Max time.Duration
}

// Run runs the load test: every student opens its session and stream,
// then every run starts at once.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if cfg.Sessions < 1 || cfg.Real < 0 || cfg.Real > cfg.Sessions || cfg.Faults < 2 {
		return nil, errors.New("loadtest: want Sessions >= 1, 0 <= Real <= Sessions, Faults >= 2")
	}
	if cfg.Transport == nil {
		cfg.Transport = &http.Transport{MaxIdleConnsPerHost: cfg.Sessions + 1}
	}
	body := map[string]any{"source": Program, "args": []string{strconv.Itoa(cfg.Faults)}}
	var want map[uint64][]byte
	if cfg.Verify {
		var err error
		if want, err = oneShot(ctx, &http.Client{Transport: cfg.Transport}, cfg.Base, body); err != nil {
			return nil, fmt.Errorf("loadtest: the one-shot run to compare with: %w", err)
		}
	}
	students := make([]*student, cfg.Sessions)
	var wg sync.WaitGroup
	for i := range students {
		engine := "sim"
		if i < cfg.Real {
			engine = "real"
		}
		jar, _ := cookiejar.New(nil)
		students[i] = &student{cfg: &cfg, engine: engine, body: body, want: want,
			http: &http.Client{Transport: cfg.Transport, Jar: jar}, changed: make(chan struct{})}
		wg.Add(1)
		go func() { defer wg.Done(); students[i].open(ctx) }()
	}
	wg.Wait()
	rep := &Report{}
	for _, s := range students {
		if s.err == nil {
			rep.Held++
		}
	}

	var atMidway sync.WaitGroup
	released := make(chan struct{})
	var midwayErr error
	if cfg.Midway != nil {
		atMidway.Add(len(students))
		go func() {
			atMidway.Wait()
			at := make([]Session, len(students))
			for i, s := range students {
				at[i] = s.report()
			}
			midwayErr = cfg.Midway(ctx, at)
			close(released)
		}()
	}
	start := time.Now()
	for _, s := range students {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.run(ctx, &atMidway, released)
		}()
	}
	wg.Wait()
	rep.Elapsed = time.Since(start)
	for _, s := range students {
		s.mu.Lock()
		s.gen++ // what comes now is no one's
		if s.conn != nil {
			s.conn.Close()
		}
		s.mu.Unlock()
	}
	if midwayErr != nil {
		return nil, fmt.Errorf("loadtest: midway: %w", midwayErr)
	}

	var durs []time.Duration
	for _, s := range students {
		r := s.report()
		rep.Sessions = append(rep.Sessions, r)
		rep.Dropped += s.dropped
		rep.Faults += s.faults
		switch {
		case r.Lost:
			rep.Lost++
		case r.Err != nil:
			rep.Failed++
		default:
			rep.Completed++
			rep.Events += r.Events
			durs = append(durs, r.RunToExit)
		}
		if r.Resumed {
			rep.Resumed++
		}
	}
	sort.Slice(durs, func(i, j int) bool { return durs[i] < durs[j] })
	pct := func(p float64) time.Duration {
		if len(durs) == 0 {
			return 0
		}
		return durs[min(len(durs)-1, int(float64(len(durs))*p))]
	}
	rep.P50, rep.P99, rep.Max = pct(0.50), pct(0.99), pct(1)
	return rep, nil
}

// student is one simulated student: a session, its stream, its run.
type student struct {
	cfg    *Config
	engine string
	body   map[string]any
	want   map[uint64][]byte // Verify: the one-shot run's events
	http   *http.Client

	id        string
	replica   string
	resumedOn string
	resumed   bool
	lost      bool
	err       error
	runToExit time.Duration
	mismatch  string

	// Guarded by mu: what the stream has brought.
	mu      sync.Mutex
	gen     int    // the stream's connection; older ones are not read
	lastSeq uint64 // the last event received
	exited  bool
	status  int // the exit event's
	closed  bool
	got     map[uint64][]byte // Verify
	dropped uint64
	faults  uint64
	conn    *websocket.Conn
	changed chan struct{} // closed and replaced when any of these change
}

func (s *student) report() Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	return Session{Engine: s.engine, Replica: s.replica, ResumedOn: s.resumedOn, Resumed: s.resumed, Lost: s.lost,
		Events: s.lastSeq, Mismatch: s.mismatch, RunToExit: s.runToExit, Err: s.err}
}

// open makes the session and opens its stream.
func (s *student) open(ctx context.Context) {
	id, err := s.create(ctx)
	if err != nil {
		s.err = err
		return
	}
	s.id = id
	s.replica = s.cookie()
	s.err = s.dial(ctx, 0)
}

func (s *student) create(ctx context.Context) (string, error) {
	var c struct{ ID string }
	_, err := s.call(ctx, "POST", "/api/v1/sessions", map[string]any{"engine": s.engine}, http.StatusCreated, &c)
	return c.ID, err
}

// cookie is the affinity cookie's value for the proxy ("" without one).
func (s *student) cookie() string {
	if s.cfg.AffinityCookie == "" {
		return ""
	}
	u, err := url.Parse(s.cfg.Base)
	if err != nil {
		return ""
	}
	for _, c := range s.http.Jar.Cookies(u) {
		if c.Name == s.cfg.AffinityCookie {
			return c.Value
		}
	}
	return ""
}

// errGone is a call's answer when the server does not hold the session.
var errGone = errors.New("the session is gone")

// call makes one API request and decodes its answer into out.
func (s *student) call(ctx context.Context, method, path string, body any, want int, out any) (int, error) {
	b, _ := json.Marshal(body)
	req, err := http.NewRequestWithContext(ctx, method, s.cfg.Base+path, bytes.NewReader(b))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == http.StatusNotFound {
		return resp.StatusCode, errGone
	}
	if resp.StatusCode != want {
		return resp.StatusCode, fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, bytes.TrimSpace(data))
	}
	if out != nil {
		return resp.StatusCode, json.Unmarshal(data, out)
	}
	return resp.StatusCode, nil
}

// dial opens the session's stream; events up to skipTo are the student's
// already (a stream opened again starts at its run's first event).
func (s *student) dial(ctx context.Context, skipTo uint64) error {
	u := "ws" + strings.TrimPrefix(s.cfg.Base, "http") + "/api/v1/sessions/" + s.id + "/ws"
	d := websocket.Dialer{HandshakeTimeout: 30 * time.Second, Jar: s.http.Jar}
	conn, _, err := d.DialContext(ctx, u, nil)
	if err != nil {
		return fmt.Errorf("websocket: %w", err)
	}
	s.mu.Lock()
	s.gen++
	gen := s.gen
	if s.conn != nil {
		s.conn.Close()
	}
	s.conn, s.closed = conn, false
	s.mu.Unlock()
	go s.read(conn, gen, skipTo)
	return nil
}

// read takes the stream's messages until the connection ends.
func (s *student) read(conn *websocket.Conn, gen int, skipTo uint64) {
	buf := bytes.NewBuffer(make([]byte, 0, 128<<10))
	for {
		_, rd, err := conn.NextReader()
		if err == nil {
			buf.Reset()
			_, err = buf.ReadFrom(rd)
		}
		s.mu.Lock()
		if gen != s.gen {
			s.mu.Unlock()
			return
		}
		if err != nil {
			s.closed = true
			s.broadcastLocked()
			s.mu.Unlock()
			return
		}
		s.takeLocked(buf.Bytes(), &skipTo)
		s.broadcastLocked()
		s.mu.Unlock()
	}
}

func (s *student) broadcastLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// takeLocked takes one message of the stream. Without Verify it counts
// events without decoding them (the student stands for a browser, and must
// not take the CPU the servers are measured on), but for a stream opened
// again, whose first events it has already.
func (s *student) takeLocked(msg []byte, skipTo *uint64) {
	switch {
	case bytes.HasPrefix(msg, []byte(`{"type":"dropped"`)):
		var d struct{ Count uint64 }
		json.Unmarshal(msg, &d)
		s.dropped += d.Count
		return
	case bytes.HasPrefix(msg, []byte(`{`)):
		return // a state message, or a move: the close that follows is handled
	}
	if !s.cfg.Verify && *skipTo == 0 {
		// Each event begins {"type":"...","seq":N: the last one's Seq.
		if k := bytes.LastIndex(msg, []byte(`"seq":`)); k >= 0 {
			rest := msg[k+6:]
			end := bytes.IndexAny(rest, ",}")
			if seq, err := strconv.ParseUint(string(rest[:max(end, 0)]), 10, 64); err == nil && seq > s.lastSeq {
				s.lastSeq = seq
			}
		}
		s.faults += uint64(bytes.Count(msg, []byte(`{"type":"fault"`)))
		if k := bytes.Index(msg, []byte(`{"type":"exit"`)); k >= 0 {
			var exit struct{ Status int }
			json.Unmarshal(bytes.TrimSuffix(msg[k:], []byte("]")), &exit)
			s.exited, s.status = true, exit.Status
		}
		return
	}
	var batch []json.RawMessage
	if err := json.Unmarshal(msg, &batch); err != nil {
		return
	}
	if s.got == nil && s.cfg.Verify {
		s.got = map[uint64][]byte{}
	}
	for _, raw := range batch {
		var e struct {
			Type   string
			Seq    uint64
			Status int
		}
		json.Unmarshal(raw, &e)
		if e.Seq <= *skipTo {
			continue
		}
		*skipTo = 0
		if s.cfg.Verify {
			s.got[e.Seq] = append([]byte(nil), raw...)
		}
		s.lastSeq = e.Seq
		switch e.Type {
		case "fault":
			s.faults++
		case "exit":
			s.exited, s.status = true, e.Status
		}
	}
}

// wait waits until cond (called with mu held) holds or ctx ends.
func (s *student) wait(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		ok, ch := cond(), s.changed
		s.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// runStatus is the API's answer to run, step and continue.
type runStatus struct {
	State string
	Seq   uint64
}

// run runs the program in the session to its exit, through Midway.
func (s *student) run(ctx context.Context, atMidway *sync.WaitGroup, released <-chan struct{}) {
	midway := s.cfg.Midway != nil
	arrived := false
	arrive := func() {
		if midway && !arrived {
			arrived = true
			atMidway.Done()
		}
	}
	defer arrive()
	if s.err != nil {
		return
	}
	start := time.Now()
	body := map[string]any{}
	for k, v := range s.body {
		body[k] = v
	}
	body["paused"] = midway
	if _, err := s.call(ctx, "POST", "/api/v1/sessions/"+s.id+"/run", body, http.StatusAccepted, nil); err != nil {
		s.err = err
		return
	}
	var counted time.Duration
	if midway {
		var st runStatus
		if _, err := s.call(ctx, "POST", "/api/v1/sessions/"+s.id+"/step", map[string]any{"until": "checkpoint"}, http.StatusOK, &st); err != nil {
			s.err = err
			return
		}
		if st.State != "paused" {
			s.err = fmt.Errorf("session %s: not paused at its checkpoint but %s at %d", s.id, st.State, st.Seq)
			return
		}
		// The student has what the server sent up to the checkpoint.
		if err := s.wait(ctx, func() bool { return s.lastSeq >= st.Seq || s.closed }); err != nil {
			s.err = err
			return
		}
		counted = time.Since(start)
		arrive()
		select {
		case <-released:
		case <-ctx.Done():
			s.err = ctx.Err()
			return
		}
		start = time.Now()
		_, err := s.call(ctx, "POST", "/api/v1/sessions/"+s.id+"/continue", map[string]any{}, http.StatusOK, nil)
		if err != nil {
			if err = s.recover(ctx); err != nil {
				s.err = err
				return
			}
		}
	}
	for {
		if err := s.wait(ctx, func() bool { return s.exited || s.closed }); err != nil {
			s.err = fmt.Errorf("session %s after %d events: %w", s.id, s.lastSeq, err)
			return
		}
		s.mu.Lock()
		exited, status := s.exited, s.status
		s.mu.Unlock()
		if exited {
			s.runToExit = counted + time.Since(start)
			if status != 0 {
				s.err = fmt.Errorf("session %s: exit status %d", s.id, status)
			}
			break
		}
		if err := s.recover(ctx); err != nil {
			s.err = err
			return
		}
	}
	s.verify()
}

// errLost is a real-engine session's end when its replica went away.
var errLost = errors.New("a real-engine session whose server went away cannot be rebuilt")

// recover brings back a session whose stream closed or whose call failed:
// the same session on the same server if it answers for it, else the
// session rebuilt from its recipe at the last event received.
func (s *student) recover(ctx context.Context) error {
	s.mu.Lock()
	seq := s.lastSeq
	s.mu.Unlock()
	_, err := s.call(ctx, "GET", "/api/v1/sessions/"+s.id, nil, http.StatusOK, nil)
	if err == nil {
		return s.dial(ctx, seq)
	}
	if s.engine != "sim" {
		s.mu.Lock()
		s.lost = true
		s.mu.Unlock()
		return errLost
	}
	id, err := s.create(ctx)
	if err != nil {
		return fmt.Errorf("rebuilding the session: %w", err)
	}
	body := map[string]any{"at_seq": seq, "paused": false}
	for k, v := range s.body {
		body[k] = v
	}
	if _, err := s.call(ctx, "POST", "/api/v1/sessions/"+id+"/run", body, http.StatusAccepted, nil); err != nil {
		return fmt.Errorf("rebuilding the session's run at %d: %w", seq, err)
	}
	s.mu.Lock()
	s.id, s.resumed, s.resumedOn = id, true, s.cookie()
	s.mu.Unlock()
	return s.dial(ctx, seq)
}

// verify holds a simulated run's events to the one-shot run's.
func (s *student) verify() {
	if s.want == nil || s.engine != "sim" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dropped > 0 {
		s.mismatch = fmt.Sprintf("%d events dropped", s.dropped)
		return
	}
	if len(s.got) != len(s.want) {
		s.mismatch = fmt.Sprintf("%d events, the one-shot run has %d", len(s.got), len(s.want))
		return
	}
	for seq, w := range s.want {
		if !bytes.Equal(s.got[seq], w) {
			s.mismatch = fmt.Sprintf("event %d is %s, the one-shot run's %s", seq, s.got[seq], w)
			return
		}
	}
}

// oneShot runs the program once with POST /api/v1/run: its events by Seq.
func oneShot(ctx context.Context, c *http.Client, base string, body map[string]any) (map[uint64][]byte, error) {
	b, _ := json.Marshal(body)
	req, err := http.NewRequestWithContext(ctx, "POST", base+"/api/v1/run", bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s", resp.Status, data)
	}
	out := map[uint64][]byte{}
	for _, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		var e struct{ Seq uint64 }
		if err := json.Unmarshal(line, &e); err != nil {
			return nil, err
		}
		out[e.Seq] = line
	}
	return out, nil
}
