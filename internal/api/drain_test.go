package api

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
)

// TestDrain: a draining server fails readiness but not liveness, refuses
// new sessions with 503 draining, tells every stream to move with a
// message the events schema allows, and waits for the runs that cannot
// move (a one-shot run, a running real-engine session run) before it
// returns; a simulated session's run does not hold it.
func TestDrain(t *testing.T) {
	release := make(chan struct{})
	started := make(chan string, 4)
	fr := &fakeRunner{script: func(ctx context.Context, emit func(engine.Event)) {
		emit(engine.Event{Type: engine.EvExec})
		started <- "run"
		select {
		case <-release:
		case <-ctx.Done():
		}
	}}
	s, ts := testServer(t, Config{Runner: fr})

	sim := createSession(t, ts.URL, `{"engine":"sim"}`)
	real := createSession(t, ts.URL, `{"engine":"real"}`)
	var socks []*websocket.Conn
	for _, id := range []string{sim, real} {
		c, _, err := websocket.DefaultDialer.Dial(wsURL(ts.URL, id), nil)
		require.NoError(t, err)
		defer c.Close()
		socks = append(socks, c)
		resp, b := do(t, "POST", ts.URL+"/api/v1/sessions/"+id+"/run", jsonBody(map[string]any{"source": helloC}))
		require.Equal(t, http.StatusAccepted, resp.StatusCode, string(b))
		<-started
	}
	oneShot := make(chan error, 1)
	go func() {
		resp, err := http.Post(ts.URL+"/api/v1/run", "application/json", strings.NewReader(jsonBody(map[string]any{"source": helloC})))
		if err == nil {
			_, err = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		oneShot <- err
	}()
	<-started

	resp, _ := do(t, "GET", ts.URL+"/readyz", "")
	assert.Equal(t, http.StatusOK, resp.StatusCode, "ready before the drain")

	drained := make(chan error, 1)
	go func() { drained <- s.Drain(context.Background()) }()

	schema, err := loadContract()
	require.NoError(t, err)
	events, err := schema.c.Compile("events.schema.json")
	require.NoError(t, err)
	for i, c := range socks {
		msgs := readMessages(t, c, func(e map[string]any) bool { return e["type"] == "move" })
		move := msgs[len(msgs)-1]
		assert.NoError(t, events.Validate(move), "stream %d: the move message is an event of the schema", i)
		assert.Contains(t, move["message"], "at_seq")
	}
	assert.True(t, s.Draining())
	resp, b := do(t, "GET", ts.URL+"/readyz", "")
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode, "not ready while draining")
	assert.Contains(t, string(b), `"draining"`)
	resp, _ = do(t, "GET", ts.URL+"/healthz", "")
	assert.Equal(t, http.StatusOK, resp.StatusCode, "alive while draining")
	resp, b = do(t, "POST", ts.URL+"/api/v1/sessions", `{"engine":"sim"}`)
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	assert.Equal(t, "1", resp.Header.Get("Retry-After"))
	var e struct{ Error struct{ Code string } }
	require.NoError(t, json.Unmarshal(b, &e))
	assert.Equal(t, CodeDraining, e.Error.Code)
	// The simulated session's run still runs; the drain does not wait for
	// it. The one-shot run and the real run hold it.
	assert.Equal(t, 2, s.unmovableRuns())
	select {
	case err := <-drained:
		t.Fatalf("drain ended (%v) with runs that cannot move still running", err)
	default:
	}
	close(release)
	require.NoError(t, <-oneShot)
	assert.NoError(t, <-drained, "the drain ends when the runs it waits for have")
}

// TestDrainGrace: a drain whose grace ends first returns its context's error.
func TestDrainGrace(t *testing.T) {
	fr := &fakeRunner{script: func(ctx context.Context, emit func(engine.Event)) { <-ctx.Done() }}
	s, ts := testServer(t, Config{Runner: fr})
	id := createSession(t, ts.URL, `{"engine":"real"}`)
	resp, b := do(t, "POST", ts.URL+"/api/v1/sessions/"+id+"/run", jsonBody(map[string]any{"source": helloC}))
	require.Equal(t, http.StatusAccepted, resp.StatusCode, string(b))
	ctx, cancel := context.WithCancel(context.Background())
	drained := make(chan error, 1)
	go func() { drained <- s.Drain(ctx) }()
	cancel() // the grace period is over
	assert.ErrorIs(t, <-drained, context.Canceled)
}
