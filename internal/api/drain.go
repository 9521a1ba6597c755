package api

import (
	"context"
	"net/http"
	"time"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/runner"
)

// Draining: what a replica does between SIGTERM and its end, so that the
// students on it do not notice the deploy or the scale-down.
//
//  1. Readiness fails (GET /readyz is 503), so the proxy in front (haproxy's
//     health check, Kubernetes' endpoints) sends no one new here, and new
//     sessions are refused with 503 draining and Retry-After: a page that
//     still reaches this replica tries again and lands on another.
//     Liveness (GET /healthz) stays 200: the process is alive, and must not
//     be killed for draining.
//  2. Every stream is told to move: {"type":"move","t":0,"message":...}. A
//     page rebuilds a simulated session from its recipe on whichever
//     replica takes its new session (web/static/resume.js); a real-engine
//     session cannot move, and its page says so.
//  3. Runs that cannot move are let finish: one-shot runs (their NDJSON
//     response is the run) and real-engine session runs that are running.
//     Drain returns when none is left, or when the grace period
//     (Limits.DrainGrace, --drain-grace) has passed; Serve then shuts down.

// moveText is what a move message says to whoever reads the stream raw.
const moveText = "this server is shutting down: rebuild the session on another (POST /api/v1/sessions, then its run with at_seq)"

// drainPoll is how often Drain looks whether the runs it waits for ended.
const drainPoll = 50 * time.Millisecond

// Drain stops taking sessions, tells every stream to move and waits (until
// ctx ends) for the runs that cannot move. Calling it again only waits.
func (s *Server) Drain(ctx context.Context) error {
	if s.draining.CompareAndSwap(false, true) {
		s.log.Info("draining: no new sessions; streams told to move")
		msg := (&engine.Event{Type: engine.EvMove, Message: moveText}).AppendJSON(nil)
		for _, sess := range s.allSessions() {
			sess.stream.publishRaw(msg)
		}
	}
	t := time.NewTicker(drainPoll)
	defer t.Stop()
	for {
		n := s.unmovableRuns()
		if n == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			s.log.Warn("drain: grace period over with runs still going", "runs", n)
			return ctx.Err()
		case <-t.C:
		}
	}
}

// StopTime is the most a server with these limits takes from SIGTERM to
// its end: the drain's grace, then the shutdown's for requests. An
// orchestrator's grace (terminationGracePeriodSeconds) must be longer.
func (l Limits) StopTime() time.Duration { return l.WithDefaults().DrainGrace + shutdownGrace }

// Draining says whether Drain has begun.
func (s *Server) Draining() bool { return s.draining.Load() }

// unmovableRuns counts the runs a drain waits for: one-shot runs and
// replays in progress, and real-engine session runs that are running.
func (s *Server) unmovableRuns() int {
	n := len(s.runSlots)
	for _, sess := range s.allSessions() {
		sr := sess.currentRun()
		if sr != nil && sr.req.Engine != runner.EngineSim && sr.ctl.status().State == "running" {
			n++
		}
	}
	return n
}

func (s *Server) allSessions() []*Session {
	m := &s.sessions
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]*Session, 0, len(m.byID))
	for _, sess := range m.byID {
		out = append(out, sess)
	}
	return out
}

// readyz is GET /readyz: 200 while the replica takes new sessions, 503
// from the start of a drain.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if s.draining.Load() || s.ctx.Err() != nil {
		writeError(w, r, s.log, Errorf(CodeDraining, "draining: this server takes no new sessions"))
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ready\n"))
}

// refuseDraining is a new session's refusal while draining.
func (s *Server) refuseDraining(w http.ResponseWriter) error {
	if !s.draining.Load() {
		return nil
	}
	w.Header().Set("Retry-After", "1")
	return Errorf(CodeDraining, "this server is shutting down and takes no new sessions; try again (another server answers)")
}
