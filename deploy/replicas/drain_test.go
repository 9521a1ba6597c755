package replicas

import (
	"bufio"
	"encoding/json"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// longC writes some 30 MB of events: more than the loopback connection
// holds, so a one-shot run whose client has not read its response yet
// waits for it (the NDJSON stream is lossless) and is still running.
const longC = `#include <stdio.h>
#include <sys/mman.h>
int main(void) {
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) return 1;
	for (int i = 0; i < 40000; i++) {
		p[0] = 1;
		madvise(p, 4096, MADV_DONTNEED);
	}
	printf("done\n");
	return 0;
}
`

// TestDrainOnSIGTERM sends the server binary SIGTERM with a simulated
// session's stream open and a one-shot run in progress: the stream is told
// to move, readiness fails while liveness holds, new sessions are refused,
// the run that cannot move finishes whole, and then the process ends with
// status 0.
func TestDrainOnSIGTERM(t *testing.T) {
	r := startReplica(t, "replica", "PLAYGROUND_DRAIN_GRACE=2m", "PLAYGROUND_RUN_TIME=2m")
	id := createSession(t, r.Base, "sim")
	ws, _, err := websocket.DefaultDialer.Dial("ws://"+r.Host+"/api/v1/sessions/"+id+"/ws", nil)
	require.NoError(t, err)
	defer ws.Close()
	resp := post(t, r.Base+"/api/v1/sessions/"+id+"/run", map[string]any{"source": longC, "paused": true})
	require.Equal(t, http.StatusAccepted, resp.StatusCode)
	require.Equal(t, http.StatusOK, status(r.Base, "/readyz"))

	// The one-shot run: its response's head is read, its body not yet.
	run := post(t, r.Base+"/api/v1/run", map[string]any{"source": longC})
	require.Equal(t, http.StatusOK, run.StatusCode)
	defer run.Body.Close()

	r.signal(t, syscall.SIGTERM)
	ws.SetReadDeadline(time.Now().Add(time.Minute))
	for moved := false; !moved; {
		_, msg, err := ws.ReadMessage()
		require.NoError(t, err, "the stream before its move message")
		moved = strings.Contains(string(msg), `{"type":"move"`)
	}
	assert.Equal(t, http.StatusServiceUnavailable, status(r.Base, "/readyz"), "not ready: a proxy sends no one new")
	assert.Equal(t, http.StatusOK, status(r.Base, "/healthz"), "alive: not to be killed for draining")
	refused := post(t, r.Base+"/api/v1/sessions", map[string]any{"engine": "sim"})
	refused.Body.Close()
	assert.Equal(t, http.StatusServiceUnavailable, refused.StatusCode)
	assert.Equal(t, "1", refused.Header.Get("Retry-After"))

	// The one-shot run goes on to its end: the drain waited for it.
	var last map[string]any
	var stdout string
	sc := bufio.NewScanner(run.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var e map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &e))
		if e["type"] == "stdout" {
			stdout += e["text"].(string)
		}
		last = e
	}
	require.NotNil(t, last)
	assert.Equal(t, "exit", last["type"])
	assert.Equal(t, float64(0), last["status"], "the run ended normally, not stopped by the shutdown")
	assert.Equal(t, "done\n", stdout)

	select {
	case <-r.Exited:
	case <-time.After(time.Minute):
		t.Fatal("the server did not end after its drain")
	}
	assert.NoError(t, r.Err, "exit status 0")
	assert.Contains(t, r.Logs.String(), "draining")
	assert.Contains(t, r.Logs.String(), `"msg":"stopped"`)
}

func post(t *testing.T, url string, body any) *http.Response {
	t.Helper()
	b, err := json.Marshal(body)
	require.NoError(t, err)
	resp, err := http.Post(url, "application/json", strings.NewReader(string(b)))
	require.NoError(t, err)
	return resp
}

func createSession(t *testing.T, base, engine string) string {
	t.Helper()
	resp := post(t, base+"/api/v1/sessions", map[string]any{"engine": engine})
	defer resp.Body.Close()
	require.Equal(t, http.StatusCreated, resp.StatusCode)
	var c struct{ ID string }
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&c))
	return c.ID
}
