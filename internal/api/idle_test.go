package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/runner"
)

// idleSource maps, writes and reads, so that a step has system calls and
// faults to stop at and the state has pages and areas to show.
const idleSource = `#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
int main(void) {
	char *p = mmap(0, 64 << 12, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (int i = 0; i < 64; i += 3)
		p[i << 12] = (char)i;
	char *q = mmap(0, 16 << 12, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long sum = 0;
	for (int i = 0; i < 16; i++)
		sum += q[i << 12];
	munmap(p, 8 << 12);
	printf("%ld\n", sum);
	return 0;
}`

// metric reads one sample of the server's /metrics (which touches no
// session).
func metric(t *testing.T, base, name string) float64 {
	t.Helper()
	_, b := do(t, "GET", base+"/metrics", "")
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			require.NoError(t, err)
			return f
		}
	}
	t.Fatalf("no metric %s", name)
	return 0
}

// TestIdlePausedSessionReleased: a paused simulated session idle for
// --engine-idle gives its engine back (the condition is on /metrics and
// in GET .../sessions/{id}), and its state, pages and next step are then
// what they were before: the engine is rebuilt by replay.
func TestIdlePausedSessionReleased(t *testing.T) {
	srv, ts := testServer(t, Config{Limits: Limits{EngineIdle: time.Second}})
	base := ts.URL + "/api/v1/sessions/"
	resp, b := do(t, "POST", ts.URL+"/api/v1/sessions", "{}")
	require.Equal(t, http.StatusCreated, resp.StatusCode, string(b))
	var c created
	require.NoError(t, json.Unmarshal(b, &c))
	id := c.ID

	resp, b = do(t, "POST", base+id+"/run", jsonBody(map[string]any{"source": idleSource, "paused": true}))
	require.Equal(t, http.StatusAccepted, resp.StatusCode, string(b))
	step := func(until string) string {
		t.Helper()
		resp, b := do(t, "POST", base+id+"/step", jsonBody(map[string]any{"until": until}))
		require.Equal(t, http.StatusOK, resp.StatusCode, string(b))
		return string(b)
	}
	var st runStatus
	for range 3 {
		require.NoError(t, json.Unmarshal([]byte(step("syscall")), &st))
	}
	require.Equal(t, "paused", st.State)
	at := st.Seq
	ask := func() (string, string) {
		t.Helper()
		resp, st := do(t, "GET", base+id+"/state?addr=0x7ffff7ff0000", "")
		require.Equal(t, http.StatusOK, resp.StatusCode, string(st))
		resp, pg := do(t, "GET", base+id+"/pages?start=0x7ffff7f00000&end=0x7ffff7fff000", "")
		require.Equal(t, http.StatusOK, resp.StatusCode, string(pg))
		return string(st), string(pg)
	}
	state1, pages1 := ask()
	next1 := step("fault")
	after1, _ := ask()
	// Back to where the first answers were taken, and left alone there.
	resp, b = do(t, "POST", base+id+"/back", jsonBody(map[string]any{"seq": at}))
	require.Equal(t, http.StatusOK, resp.StatusCode, string(b))
	held := srv.memory.Used()
	require.Positive(t, held)

	released := metric(t, ts.URL, "playground_engines_released_total")
	require.Eventually(t, func() bool {
		return metric(t, ts.URL, "playground_engines_released_total") > released
	}, 30*time.Second, 20*time.Millisecond, "the idle paused session's engine released")
	resp, b = do(t, "GET", base+id, "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var info sessionInfo
	require.NoError(t, json.Unmarshal(b, &info))
	assert.True(t, info.EngineReleased, string(b))
	require.NotNil(t, info.Run)
	assert.Equal(t, "paused", info.Run.State, "a released run is still paused, where it was")
	assert.Equal(t, at, info.Run.Seq)
	require.Eventually(t, func() bool { return srv.memory.Used() < held }, 10*time.Second, 10*time.Millisecond, "the engine's memory given back")

	state2, pages2 := ask()
	assert.JSONEq(t, state1, state2, "the state after the rebuild")
	assert.JSONEq(t, pages1, pages2, "the pages after the rebuild")
	assert.JSONEq(t, next1, step("fault"), "the next step after the rebuild")
	after2, _ := ask()
	assert.JSONEq(t, after1, after2, "the state after that step")

	// A stream opened on a released run finds it rebuilt.
	released = metric(t, ts.URL, "playground_engines_released_total")
	require.Eventually(t, func() bool {
		return metric(t, ts.URL, "playground_engines_released_total") > released
	}, 30*time.Second, 20*time.Millisecond, "released again")
	ws, _, err := websocket.DefaultDialer.Dial(wsURL(ts.URL, id), nil)
	require.NoError(t, err)
	defer ws.Close()
	_, b = do(t, "GET", base+id, "")
	info = sessionInfo{}
	require.NoError(t, json.Unmarshal(b, &info))
	assert.False(t, info.EngineReleased, "a stream's connection rebuilds the engine: %s", b)
	// And the program goes on to its end from there, as it would have.
	resp, b = do(t, "POST", base+id+"/continue", "{}")
	require.Equal(t, http.StatusOK, resp.StatusCode, string(b))
	require.Eventually(t, func() bool {
		_, b := do(t, "GET", base+id, "")
		return strings.Contains(string(b), `"exited"`) && strings.Contains(string(b), `"status":0`)
	}, 30*time.Second, 10*time.Millisecond)
}

// TestPausedRealSessionEnds: a session's run on the real engine left paused
// at a step holds a host process; it is ended once --run-time plus
// --real-pause have passed, with the wall-time limit's error in its
// stream and its status.
func TestPausedRealSessionEnds(t *testing.T) {
	if err := (packageRunner{new(runner.Runner)}).Available(runner.EngineReal); err != nil {
		t.Skipf("this host cannot run the real engine: %v", err)
	}
	_, ts := testServer(t, Config{Limits: Limits{RunTime: time.Second, RealPause: time.Second}})
	id := createSession(t, ts.URL, `{"engine":"real"}`)
	ws, _, err := websocket.DefaultDialer.Dial(wsURL(ts.URL, id), nil)
	require.NoError(t, err)
	defer ws.Close()
	resp, b := do(t, "POST", ts.URL+"/api/v1/sessions/"+id+"/run", jsonBody(map[string]any{"source": idleSource, "paused": true}))
	require.Equal(t, http.StatusAccepted, resp.StatusCode, string(b))
	var info sessionInfo
	require.Eventually(t, func() bool {
		_, b := do(t, "GET", ts.URL+"/api/v1/sessions/"+id, "")
		info = sessionInfo{}
		require.NoError(t, json.Unmarshal(b, &info))
		return info.Run != nil && info.Run.State == "exited"
	}, 60*time.Second, 20*time.Millisecond, "the paused real run ended")
	assert.Contains(t, info.Run.Error, "--real-pause", "%+v", info.Run)
	// The stream says the worker was ended.
	ws.SetReadDeadline(time.Now().Add(30 * time.Second))
	for {
		_, msg, err := ws.ReadMessage()
		require.NoError(t, err, "the stream's error event")
		if strings.Contains(string(msg), `"type":"error"`) && strings.Contains(string(msg), "the worker was killed") {
			break
		}
	}
}
