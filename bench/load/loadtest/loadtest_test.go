package loadtest

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/api"
	"github.com/mmapplayground/playground/internal/runner"
	"github.com/mmapplayground/playground/internal/sandbox"
)

// TestMain lets this test binary be the real engine's worker.
func TestMain(m *testing.M) {
	sandbox.ServeIfWorker()
	os.Exit(m.Run())
}

// restartable is an in-process server on a fixed address that Midway
// restarts: every session is lost at once.
type restartable struct {
	t    *testing.T
	addr string
	srv  *api.Server
	hs   *http.Server
}

func (r *restartable) serve(ln net.Listener) {
	srv, err := api.New(api.Config{Limits: api.Limits{MaxSessionsPerClient: -1, StreamsPerClient: -1, RequestRate: -1, MaxRunsPerClient: -1}})
	require.NoError(r.t, err)
	r.srv, r.hs = srv, srv.HTTPServer()
	go r.hs.Serve(ln)
}

func (r *restartable) stop() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	r.srv.Shutdown(ctx)
	r.hs.Close()
}

// TestRestartMidway: the server restarts while every run stands at its
// checkpoint; each simulated session is rebuilt from its recipe and its
// events, Seq by Seq, are the one-shot run's; a real-engine one is lost.
func TestRestartMidway(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	r := &restartable{t: t, addr: ln.Addr().String()}
	r.serve(ln)
	t.Cleanup(func() { r.stop() })
	real := 0
	if runner.Available(runner.EngineReal) == nil {
		real = 1
	}
	restarts := 0
	cfg := Config{
		Base: "http://" + r.addr, Sessions: 4, Real: real, Faults: 40, Verify: true,
		Midway: func(context.Context, []Session) error {
			restarts++
			r.stop()
			ln, err := net.Listen("tcp", r.addr)
			if err != nil {
				return err
			}
			r.serve(ln)
			return nil
		},
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	rep, err := Run(ctx, cfg)
	require.NoError(t, err)
	assert.Equal(t, 1, restarts)
	assert.Equal(t, 4, rep.Held)
	assert.Equal(t, 4-real, rep.Completed)
	assert.Equal(t, 4-real, rep.Resumed)
	assert.Equal(t, real, rep.Lost)
	for i, s := range rep.Sessions {
		if s.Engine == "real" {
			assert.True(t, s.Lost, "session %d", i)
			continue
		}
		assert.NoError(t, s.Err, "session %d", i)
		assert.True(t, s.Resumed, "session %d", i)
		assert.Empty(t, s.Mismatch, "session %d: its events against the one-shot run's", i)
		assert.Greater(t, s.Events, uint64(40), "session %d", i)
	}
	assert.GreaterOrEqual(t, rep.Faults, uint64(4-real)*40, "every simulated run's faults (and its stack's)")
}

// TestRun: without Midway, every run goes from start to exit.
func TestRun(t *testing.T) {
	srv, err := api.New(api.Config{Limits: api.Limits{MaxSessionsPerClient: -1, StreamsPerClient: -1, RequestRate: -1, MaxRunsPerClient: -1}})
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, ln) }()
	rep, err := Run(ctx, Config{Base: "http://" + ln.Addr().String(), Sessions: 5, Faults: 100, Verify: true})
	require.NoError(t, err)
	assert.Equal(t, 5, rep.Completed)
	assert.Equal(t, 0, rep.Resumed)
	assert.GreaterOrEqual(t, rep.Faults, uint64(500), "the programs' faults (and their stacks')")
	for _, s := range rep.Sessions {
		assert.Empty(t, s.Mismatch)
	}
	assert.LessOrEqual(t, rep.P50, rep.P99)
	cancel()
	<-served
}

// hijacks records the connections the server's websockets took over, so a
// test can cut them while the server and its sessions stay.
type hijacks struct {
	h     http.Handler
	mu    sync.Mutex
	conns []net.Conn
}

func (hj *hijacks) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hj.h.ServeHTTP(&hijacker{ResponseWriter: w, hj: hj}, r)
}

type hijacker struct {
	http.ResponseWriter
	hj *hijacks
}

func (w *hijacker) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, rw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err == nil {
		w.hj.mu.Lock()
		w.hj.conns = append(w.hj.conns, c)
		w.hj.mu.Unlock()
	}
	return c, rw, err
}

func (w *hijacker) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// TestStreamCutMidway: every stream is cut while the server holds its
// session: each student opens it again on the same session, takes only
// the events it has not had, and its run's events are the one-shot run's.
func TestStreamCutMidway(t *testing.T) {
	srv, err := api.New(api.Config{Limits: api.Limits{MaxSessionsPerClient: -1, StreamsPerClient: -1, RequestRate: -1, MaxRunsPerClient: -1}})
	require.NoError(t, err)
	hj := &hijacks{h: srv.Handler()}
	ts := httptest.NewServer(hj)
	defer ts.Close()
	defer srv.Shutdown(context.Background())
	cut := 0
	cfg := Config{Base: ts.URL, Sessions: 4, Faults: 40, Verify: true,
		Midway: func(context.Context, []Session) error {
			hj.mu.Lock()
			defer hj.mu.Unlock()
			for _, c := range hj.conns {
				c.Close()
				cut++
			}
			return nil
		}}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	whole, err := Run(ctx, Config{Base: ts.URL, Sessions: 4, Faults: 40})
	require.NoError(t, err)
	hj.mu.Lock()
	hj.conns = nil // those runs are over
	hj.mu.Unlock()
	rep, err := Run(ctx, cfg)
	require.NoError(t, err)
	assert.Equal(t, 4, cut, "every stream cut")
	assert.Equal(t, whole.Faults, rep.Faults, "each fault taken once, as in runs never cut")
	assert.Equal(t, 4, rep.Completed)
	assert.Equal(t, 0, rep.Resumed, "the sessions were still there: nothing rebuilt")
	for i, s := range rep.Sessions {
		assert.NoError(t, s.Err, "session %d", i)
		assert.Empty(t, s.Mismatch, "session %d: each event once, the one-shot run's", i)
	}
}
