package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
)

func wsURL(base, id string) string {
	return "ws" + strings.TrimPrefix(base, "http") + "/api/v1/sessions/" + id + "/ws"
}

// readMessages reads the stream's messages, flattening batches, until stop
// says so or the deadline passes.
func readMessages(t *testing.T, c *websocket.Conn, stop func(map[string]any) bool) []map[string]any {
	t.Helper()
	var out []map[string]any
	c.SetReadDeadline(time.Now().Add(20 * time.Second))
	for {
		_, msg, err := c.ReadMessage()
		require.NoError(t, err)
		var batch []map[string]any
		if msg[0] == '[' {
			require.NoError(t, json.Unmarshal(msg, &batch), string(msg))
		} else {
			var one map[string]any
			require.NoError(t, json.Unmarshal(msg, &one), string(msg))
			batch = append(batch, one)
		}
		for _, e := range batch {
			out = append(out, e)
			if stop(e) {
				return out
			}
		}
	}
}

func isExit(e map[string]any) bool { return e["type"] == "exit" }

// TestWebsocketSession drives a session through a real websocket: run,
// step to faults, step back, continue to the exit.
func TestWebsocketSession(t *testing.T) {
	_, ts := testServer(t, Config{})
	id := createSession(t, ts.URL, `{"engine":"sim"}`)
	c, resp, err := websocket.DefaultDialer.Dial(wsURL(ts.URL, id), nil)
	require.NoError(t, err)
	defer c.Close()
	assert.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode)

	// Run paused, step to the first fault twice.
	r, b := do(t, "POST", ts.URL+"/api/v1/sessions/"+id+"/run", jsonBody(map[string]any{"source": faultsC, "paused": true}))
	require.Equal(t, http.StatusAccepted, r.StatusCode, string(b))
	var st runStatus
	require.NoError(t, json.Unmarshal(b, &st))
	assert.Equal(t, "paused", st.State)
	assert.EqualValues(t, 1, st.Seq)

	var faults []uint64
	for range 2 {
		r, b = do(t, "POST", ts.URL+"/api/v1/sessions/"+id+"/step", `{"until":"fault"}`)
		require.Equal(t, http.StatusOK, r.StatusCode, string(b))
		require.NoError(t, json.Unmarshal(b, &st))
		require.Equal(t, "paused", st.State, string(b))
		var ev map[string]any
		require.NoError(t, json.Unmarshal(st.Event, &ev))
		assert.Equal(t, "fault", ev["type"])
		faults = append(faults, st.Seq)
	}
	// The stream has every event up to the second fault.
	got := readMessages(t, c, func(e map[string]any) bool { return e["seq"] == float64(faults[1]) })
	for i, e := range got {
		assert.EqualValues(t, i+1, e["seq"])
	}
	// The state while paused, with a walk.
	r, b = do(t, "GET", ts.URL+"/api/v1/sessions/"+id+"/state?addr=0x1000", "")
	require.Equal(t, http.StatusOK, r.StatusCode, string(b))
	var sa stateAnswer
	require.NoError(t, json.Unmarshal(b, &sa))
	assert.Equal(t, faults[1], sa.Seq)
	assert.NotNil(t, sa.Walk)
	rssAt2 := sa.State.Processes[0].RSS

	// Back to the first fault: the stream gets a state message for it.
	r, b = do(t, "POST", ts.URL+"/api/v1/sessions/"+id+"/back", jsonBody(map[string]any{"seq": faults[0]}))
	require.Equal(t, http.StatusOK, r.StatusCode, string(b))
	require.NoError(t, json.Unmarshal(b, &st))
	assert.Equal(t, "paused", st.State)
	assert.Equal(t, faults[0], st.Seq)
	msgs := readMessages(t, c, func(e map[string]any) bool { return e["type"] == "state" })
	assert.Len(t, msgs, 1, "nothing but the state message after a back")
	assert.EqualValues(t, faults[0], msgs[0]["seq"])
	_, b = do(t, "GET", ts.URL+"/api/v1/sessions/"+id+"/state", "")
	require.NoError(t, json.Unmarshal(b, &sa))
	assert.Less(t, sa.State.Processes[0].RSS, rssAt2, "one fault fewer")

	// The state at an earlier event, by replay, matches.
	_, b = do(t, "GET", ts.URL+"/api/v1/sessions/"+id+"/state?seq="+jsonBody(faults[1]), "")
	var sa2 stateAnswer
	require.NoError(t, json.Unmarshal(b, &sa2))
	assert.Equal(t, rssAt2, sa2.State.Processes[0].RSS)

	// Continue to the end: the events after the first fault come again,
	// numbered on from it, and the exit.
	r, _ = do(t, "POST", ts.URL+"/api/v1/sessions/"+id+"/continue", "")
	require.Equal(t, http.StatusOK, r.StatusCode)
	rest := readMessages(t, c, isExit)
	assert.EqualValues(t, faults[0]+1, rest[0]["seq"])
	assert.Equal(t, "exit", rest[len(rest)-1]["type"])
	st = waitState(t, ts.URL, id, "exited")
	assert.Equal(t, 0, st.Result.Status)

	// Deleting the session closes the stream normally.
	do(t, "DELETE", ts.URL+"/api/v1/sessions/"+id, "")
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, _, err = c.ReadMessage()
	assert.True(t, websocket.IsCloseError(err, websocket.CloseNormalClosure), "%v", err)
}

// TestSyscallDirect makes system calls from JSON, without C.
func TestSyscallDirect(t *testing.T) {
	_, ts := testServer(t, Config{})
	id := createSession(t, ts.URL, "")
	call := func(body string) syscallResult {
		t.Helper()
		r, b := do(t, "POST", ts.URL+"/api/v1/sessions/"+id+"/syscall", body)
		require.Equal(t, http.StatusOK, r.StatusCode, string(b))
		var res syscallResult
		require.NoError(t, json.Unmarshal(b, &res))
		return res
	}
	res := call(`{"name":"mmap","args":[0,8192,3,34,-1,0]}`)
	require.Empty(t, res.Errno)
	require.Greater(t, res.Ret, int64(0))
	require.NotEmpty(t, res.Events)
	addr := res.Ret

	res = call(jsonBody(map[string]any{"name": "store", "args": []int64{addr, 1}}))
	assert.Empty(t, res.Signal)
	var kinds []string
	for _, e := range res.Events {
		var ev map[string]any
		require.NoError(t, json.Unmarshal(e, &ev))
		kinds = append(kinds, ev["type"].(string))
	}
	assert.Contains(t, kinds, "fault")

	res = call(jsonBody(map[string]any{"name": "munmap", "args": []any{"0x" + strings.TrimLeft(hexOf(uint64(addr)), "0"), 8192}}))
	assert.Equal(t, int64(0), res.Ret)
	res = call(jsonBody(map[string]any{"name": "load", "args": []int64{addr, 1}}))
	assert.Equal(t, "SIGSEGV", res.Signal)
	res = call(`{"name":"munmap","args":[1,4096]}`)
	assert.Equal(t, "EINVAL", res.Errno)

	r, b := do(t, "GET", ts.URL+"/api/v1/sessions/"+id+"/state", "")
	require.Equal(t, http.StatusOK, r.StatusCode, string(b))
}

func hexOf(v uint64) string {
	const d = "0123456789abcdef"
	var b [16]byte
	for i := 15; i >= 0; i-- {
		b[i] = d[v&15]
		v >>= 4
	}
	return string(b[:])
}

// TestLaggingClient: a client further behind than the ring gets the dropped
// marker and the state, and the engine never waited for it.
func TestStreamDrops(t *testing.T) {
	st := newStream(4)
	sub := st.subscribe()
	for i := 1; i <= 10; i++ {
		st.publish(&engine.Event{Type: engine.EvNote, Seq: uint64(i), Message: "n"})
	}
	b, n, dropped := st.read(sub, nil, 100, 1<<20)
	assert.EqualValues(t, 6, dropped)
	assert.Equal(t, 4, n)
	var batch []map[string]any
	require.NoError(t, json.Unmarshal(b, &batch))
	assert.EqualValues(t, 7, batch[0]["seq"])
	assert.EqualValues(t, 10, batch[3]["seq"])
	assert.JSONEq(t, `{"type":"dropped","count":6}`, string(appendDropped(nil, 6)))

	// Batches respect their bound and leave a wake-up for the rest.
	st.publish(&engine.Event{Type: engine.EvNote, Seq: 11})
	st.publish(&engine.Event{Type: engine.EvNote, Seq: 12})
	<-sub.notify
	_, n, _ = st.read(sub, nil, 1, 1<<20)
	assert.Equal(t, 1, n)
	select {
	case <-sub.notify:
	default:
		t.Fatal("no wake-up for the rest")
	}
}

// TestWebsocketLagging: a stream reader that does not read while a big run
// streams still gets a consistent stream: in order, with dropped markers
// followed by state.
func TestWebsocketLagging(t *testing.T) {
	_, ts := testServer(t, Config{Limits: Limits{EventsBuffered: 16}})
	id := createSession(t, ts.URL, "")
	c, _, err := websocket.DefaultDialer.Dial(wsURL(ts.URL, id), nil)
	require.NoError(t, err)
	defer c.Close()
	r, b := do(t, "POST", ts.URL+"/api/v1/sessions/"+id+"/run", jsonBody(map[string]any{"source": faultsC}))
	require.Equal(t, http.StatusAccepted, r.StatusCode, string(b))
	waitState(t, ts.URL, id, "exited")
	msgs := readMessages(t, c, isExit)
	var sawDropped bool
	for i, m := range msgs {
		if m["type"] == "dropped" {
			sawDropped = true
			require.Less(t, i+1, len(msgs))
			assert.Equal(t, "state", msgs[i+1]["type"])
		}
	}
	assert.True(t, sawDropped, "a 16-event ring must have dropped some of %d events", len(msgs))
}

func TestWebsocketOrigin(t *testing.T) {
	_, ts := testServer(t, Config{Origins: []string{"https://class.example.org"}})
	id := createSession(t, ts.URL, "")
	for _, tt := range []struct {
		origin string
		ok     bool
	}{
		{"", true},
		{ts.URL, true},
		{"https://class.example.org", true},
		{"https://evil.example.com", false},
	} {
		h := http.Header{}
		if tt.origin != "" {
			h.Set("Origin", tt.origin)
		}
		c, resp, err := websocket.DefaultDialer.Dial(wsURL(ts.URL, id), h)
		if tt.ok {
			require.NoError(t, err, tt.origin)
			c.Close()
		} else {
			require.Error(t, err, tt.origin)
			assert.Equal(t, http.StatusForbidden, resp.StatusCode)
		}
	}
}

// TestShutdown ends sessions cleanly: streams are told the server is going
// away, runs stop.
func TestShutdown(t *testing.T) {
	s, err := New(Config{})
	require.NoError(t, err)
	ts := newHTTPServer(t, s)
	id := createSession(t, ts.URL, "")
	c, _, err := websocket.DefaultDialer.Dial(wsURL(ts.URL, id), nil)
	require.NoError(t, err)
	defer c.Close()
	r, b := do(t, "POST", ts.URL+"/api/v1/sessions/"+id+"/run", jsonBody(map[string]any{"source": "int main(void) { for (;;); }\n"}))
	require.Equal(t, http.StatusAccepted, r.StatusCode, string(b))

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, s.Shutdown(ctx))
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		if _, _, err = c.ReadMessage(); err != nil {
			break
		}
	}
	assert.True(t, websocket.IsCloseError(err, websocket.CloseGoingAway), "%v", err)
	r, _ = do(t, "POST", ts.URL+"/api/v1/sessions", "")
	assert.Equal(t, http.StatusServiceUnavailable, r.StatusCode)
}

// TestSessionRunTime: an endless loop in a session ends at the run-time
// limit with a clear error event; time paused at a step does not count.
func TestSessionRunTime(t *testing.T) {
	_, ts := testServer(t, Config{Limits: Limits{RunTime: time.Second, RunSteps: 1 << 62}})
	id := createSession(t, ts.URL, "")
	c, _, err := websocket.DefaultDialer.Dial(wsURL(ts.URL, id), nil)
	require.NoError(t, err)
	defer c.Close()

	// Paused for longer than the limit: still there.
	r, b := do(t, "POST", ts.URL+"/api/v1/sessions/"+id+"/run", jsonBody(map[string]any{"source": faultsC, "paused": true}))
	require.Equal(t, http.StatusAccepted, r.StatusCode, string(b))
	// Not a wait for something to happen: the limit's own clock must pass
	// while the run is paused, and this is that time passing.
	time.Sleep(1500 * time.Millisecond)
	r, b = do(t, "POST", ts.URL+"/api/v1/sessions/"+id+"/step", `{"until":"fault"}`)
	require.Equal(t, http.StatusOK, r.StatusCode, string(b))
	var st runStatus
	require.NoError(t, json.Unmarshal(b, &st))
	assert.Equal(t, "paused", st.State, string(b))

	// An endless loop: the error, then the exit, within the limit and a bit.
	// (The step limit is out of reach, so only the run-time limit can end it.)
	r, b = do(t, "POST", ts.URL+"/api/v1/sessions/"+id+"/run", jsonBody(map[string]any{"source": "int main(void) { for (;;); }\n"}))
	require.Equal(t, http.StatusAccepted, r.StatusCode, string(b))
	msgs := readMessages(t, c, func(e map[string]any) bool { return isExit(e) && e["status"] != float64(0) })
	var errs []string
	for _, m := range msgs {
		if m["type"] == "error" {
			errs = append(errs, m["message"].(string))
		}
	}
	assert.Contains(t, errs, "time limit exceeded")
	st = waitState(t, ts.URL, id, "exited")
	assert.Contains(t, st.Error, "run-time limit")
}

// TestStepKinds steps by each kind over REST alone, and back by steps.
func TestStepKinds(t *testing.T) {
	_, ts := testServer(t, Config{})
	id := createSession(t, ts.URL, "")
	post := func(path, body string) runStatus {
		t.Helper()
		r, b := do(t, "POST", ts.URL+"/api/v1/sessions/"+id+path, body)
		require.Less(t, r.StatusCode, 300, string(b))
		var st runStatus
		require.NoError(t, json.Unmarshal(b, &st))
		return st
	}
	st := post("/run", jsonBody(map[string]any{"source": faultsC, "paused": true}))
	require.Equal(t, "paused", st.State)
	for _, kind := range []string{"syscall", "fault", "event", "syscall"} {
		prev := st.Seq
		st = post("/step", `{"until":"`+kind+`"}`)
		require.Equal(t, "paused", st.State)
		var ev map[string]any
		require.NoError(t, json.Unmarshal(st.Event, &ev))
		if kind != "event" {
			assert.Equal(t, kind, ev["type"])
		} else {
			assert.Equal(t, prev+1, st.Seq)
		}
		assert.EqualValues(t, st.Seq, ev["seq"])
	}
	at := st.Seq
	st = post("/back", `{"steps":2}`)
	assert.Equal(t, "paused", st.State)
	assert.Equal(t, at-2, st.Seq)
	// No checkpoint in the program: the step runs to the end.
	st = post("/step", `{"until":"checkpoint"}`)
	assert.Equal(t, "exited", st.State)
	assert.Equal(t, 0, st.Result.Status)
}
