package api

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/runner"
)

// testServer starts a server on httptest with lim (zero: small limits for
// tests) and ends it with the test.
func testServer(t *testing.T, cfg Config) (*Server, *httptest.Server) {
	t.Helper()
	if cfg.Limits.RunTime == 0 {
		cfg.Limits.RunTime = 5 * time.Second
	}
	s, err := New(cfg)
	require.NoError(t, err)
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		assert.NoError(t, s.Shutdown(ctx))
		ts.Close()
	})
	return s, ts
}

func do(t *testing.T, method, url, body string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	require.NoError(t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := apiClient(t).Do(req) // checks the response against openapi.json
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, b
}

func createSession(t *testing.T, base, body string) string {
	t.Helper()
	resp, b := do(t, "POST", base+"/api/v1/sessions", body)
	require.Equal(t, http.StatusCreated, resp.StatusCode, string(b))
	var c created
	require.NoError(t, json.Unmarshal(b, &c))
	return c.ID
}

const helloC = `#include <stdio.h>
int main(void) { printf("hello\n"); return 0; }
`

// faultsC takes n anonymous faults, page by page.
const faultsC = `#include <stdio.h>
#include <sys/mman.h>
int main(void) {
	int n = 64;
	char *p = mmap(NULL, n * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) { perror("mmap"); return 1; }
	for (int i = 0; i < n; i++) p[i * 4096] = 1;
	printf("done\n");
	return 0;
}
`

func jsonBody(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestRoutes drives every route with good and bad input.
func TestRoutes(t *testing.T) {
	_, ts := testServer(t, Config{})
	sid := createSession(t, ts.URL, `{"engine":"sim"}`)
	// A session with a finished run, for the state routes.
	resp, b := do(t, "POST", ts.URL+"/api/v1/sessions/"+sid+"/run", jsonBody(map[string]any{"source": faultsC}))
	require.Equal(t, http.StatusAccepted, resp.StatusCode, string(b))
	waitState(t, ts.URL, sid, "exited")
	fresh := createSession(t, ts.URL, "")

	big := strings.Repeat("x", int(DefaultLimits.BodyBytes)+1)
	s := "/api/v1/sessions/" + sid
	tests := []struct {
		name, method, url, body string
		status                  int
	}{
		{"healthz", "GET", "/healthz", "", 200},
		{"metrics", "GET", "/metrics", "", 200},
		{"openapi", "GET", "/api/openapi.json", "", 200},
		{"events schema", "GET", "/api/events.schema.json", "", 200},
		{"page", "GET", "/", "", 200},
		{"embed", "GET", "/embed", "", 200},
		{"static", "GET", "/static/app.js", "", 200},
		{"unknown api route", "GET", "/api/v1/nope", "", 404},
		{"wrong method", "PUT", "/api/v1/sessions", "", 405},

		{"run", "POST", "/api/v1/run", jsonBody(map[string]any{"source": helloC}), 200},
		{"run empty body", "POST", "/api/v1/run", "", 400},
		{"run malformed", "POST", "/api/v1/run", `{"source":`, 400},
		{"run unknown field", "POST", "/api/v1/run", `{"source":"x","sorce":"y"}`, 400},
		{"run unknown engine", "POST", "/api/v1/run", `{"engine":"vax","source":"int main(){}"}`, 400},
		{"run empty source", "POST", "/api/v1/run", `{"engine":"sim"}`, 400},
		{"run too large body", "POST", "/api/v1/run", `{"source":"` + big + `"}`, 413},
		{"run ram over limit", "POST", "/api/v1/run", `{"source":"int main(){}","options":{"ram":1099511627776}}`, 400},
		{"run paused", "POST", "/api/v1/run", `{"source":"int main(){}","paused":true}`, 400},

		{"examples", "GET", "/api/v1/examples", "", 200},
		{"example unknown", "GET", "/api/v1/examples/no_such_example", "", 404},

		{"create default", "POST", "/api/v1/sessions", "", 201},
		{"create sim", "POST", "/api/v1/sessions", `{"engine":"sim","options":{"ram":1073741824,"fault_around":1}}`, 201},
		{"create unknown engine", "POST", "/api/v1/sessions", `{"engine":"vax"}`, 400},
		{"create malformed", "POST", "/api/v1/sessions", `{`, 400},
		{"create bad option", "POST", "/api/v1/sessions", `{"options":{"fault_around":-3}}`, 400},
		{"create bad thp", "POST", "/api/v1/sessions", `{"options":{"thp":"sometimes"}}`, 400},
		{"create bad folio size", "POST", "/api/v1/sessions", `{"options":{"max_folio":48}}`, 400},
		{"create small folios", "POST", "/api/v1/sessions", `{"options":{"max_folio":1}}`, 201},

		{"get", "GET", s, "", 200},
		{"get unknown", "GET", "/api/v1/sessions/nope", "", 404},
		{"state", "GET", s + "/state", "", 200},
		{"state walk", "GET", s + "/state?addr=0x7ffff7ff0000", "", 200},
		{"state bad addr", "GET", s + "/state?addr=zz", "", 400},
		{"state at seq", "GET", s + "/state?seq=3", "", 200},
		{"state before run", "GET", "/api/v1/sessions/" + fresh + "/state", "", 409},
		{"state unknown", "GET", "/api/v1/sessions/nope/state", "", 404},
		{"pages", "GET", s + "/pages?start=0x7ffff7f00000&end=0x7ffff8000000", "", 200},
		{"pages reversed", "GET", s + "/pages?start=0x2000&end=0x1000", "", 400},
		{"pages too many", "GET", s + "/pages?start=0&end=0x7fffffffffff", "", 400},
		{"pages before run", "GET", "/api/v1/sessions/" + fresh + "/pages?start=0&end=4096", "", 409},
		{"step exited", "POST", s + "/step", `{"until":"fault"}`, 200},
		{"step bad until", "POST", s + "/step", `{"until":"lunch"}`, 400},
		{"step before run", "POST", "/api/v1/sessions/" + fresh + "/step", "", 409},
		{"pause", "POST", s + "/pause", "", 200},
		{"continue", "POST", s + "/continue", "", 200},
		{"continue unknown", "POST", "/api/v1/sessions/nope/continue", "", 404},
		{"back needs one", "POST", s + "/back", `{}`, 400},
		{"back both", "POST", s + "/back", `{"seq":1,"steps":1}`, 400},
		{"back zero", "POST", s + "/back", `{"seq":0}`, 400},
		{"back before run", "POST", "/api/v1/sessions/" + fresh + "/back", `{"seq":1}`, 409},
		{"syscall no name", "POST", s + "/syscall", `{}`, 400},
		{"syscall malformed", "POST", s + "/syscall", `{"name":"mmap","args":[true]}`, 400},
		{"syscall bad load", "POST", s + "/syscall", `{"name":"load","args":[0]}`, 400},
		{"ws not upgrade", "GET", s + "/ws", "", 400},
		{"ws unknown", "GET", "/api/v1/sessions/nope/ws", "", 404},
		{"session run unknown", "POST", "/api/v1/sessions/nope/run", jsonBody(map[string]any{"source": helloC}), 404},
		{"session run engine", "POST", s + "/run", `{"engine":"sim","source":"int main(){}"}`, 400},
		{"session run malformed", "POST", s + "/run", `{"source":1}`, 400},
		{"delete unknown", "DELETE", "/api/v1/sessions/nope", "", 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, b := do(t, tt.method, ts.URL+tt.url, tt.body)
			assert.Equal(t, tt.status, resp.StatusCode, string(b))
			if resp.StatusCode >= 400 {
				var e errorBody
				require.NoError(t, json.Unmarshal(b, &e), string(b))
				assert.NotEmpty(t, e.Error.Code)
				assert.NotEmpty(t, e.Error.Message)
				assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
			}
		})
	}
	// Deleting ends it.
	resp, _ = do(t, "DELETE", ts.URL+s, "")
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
	resp, _ = do(t, "GET", ts.URL+s, "")
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
}

// waitState polls the session until its run is in state (or fails).
func waitState(t *testing.T, base, id, state string) runStatus {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		_, b := do(t, "GET", base+"/api/v1/sessions/"+id, "")
		var in sessionInfo
		require.NoError(t, json.Unmarshal(b, &in))
		if in.Run != nil && in.Run.State == state {
			return *in.Run
		}
		if time.Now().After(deadline) {
			t.Fatalf("session %s: run never %s: %s", id, state, b)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestOpenAPIMatchesRouter walks the router and the OpenAPI document: each
// route is documented, and each documented route exists.
func TestOpenAPIMatchesRouter(t *testing.T) {
	s, err := New(Config{})
	require.NoError(t, err)
	defer s.Shutdown(context.Background())

	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	require.NoError(t, json.Unmarshal(openAPIDoc, &doc))
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for op := range ops {
			if op == "parameters" {
				continue
			}
			documented[strings.ToUpper(op)+" "+path] = true
		}
	}
	routed := map[string]bool{}
	err = chi.Walk(s.router, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if strings.HasSuffix(route, "/*") {
			return nil // the page's catch-all
		}
		routed[method+" "+route] = true
		return nil
	})
	require.NoError(t, err)
	for r := range routed {
		assert.True(t, documented[r], "route %s is not in openapi.json", r)
	}
	for d := range documented {
		assert.True(t, routed[d], "openapi.json documents %s, which the router does not have", d)
	}
}

func TestToken(t *testing.T) {
	_, ts := testServer(t, Config{Token: "s3cret"})
	tests := []struct {
		name, url, auth string
		status          int
	}{
		{"healthz open", "/healthz", "", 200},
		{"page open", "/", "", 200},
		{"api closed", "/api/v1/examples", "", 401},
		{"metrics closed", "/metrics", "", 401},
		{"wrong token", "/api/v1/examples", "Bearer nope", 401},
		{"bearer", "/api/v1/examples", "Bearer s3cret", 200},
		{"query", "/api/v1/examples?token=s3cret", "", 200},
		{"query wrong", "/api/v1/examples?token=s3cre", "", 401},
		{"ws closed", "/api/v1/sessions/x/ws", "", 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hdr []string
			if tt.auth != "" {
				hdr = []string{"Authorization", tt.auth}
			}
			resp, b := do(t, "GET", ts.URL+tt.url, "", hdr...)
			assert.Equal(t, tt.status, resp.StatusCode, string(b))
		})
	}
}

func TestSessionLimits(t *testing.T) {
	_, ts := testServer(t, Config{Limits: Limits{MaxSessions: 3, MaxSessionsPerClient: 2}})
	createSession(t, ts.URL, "")
	createSession(t, ts.URL, "")
	resp, b := do(t, "POST", ts.URL+"/api/v1/sessions", "")
	assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode, string(b))
	assert.Contains(t, string(b), `"too_many"`)
}

func TestReap(t *testing.T) {
	s, ts := testServer(t, Config{Limits: Limits{SessionIdle: time.Hour}})
	id := createSession(t, ts.URL, "")
	assert.Equal(t, 0, s.reap(time.Now()))
	assert.Equal(t, 1, s.reap(time.Now().Add(2*time.Hour)))
	resp, _ := do(t, "GET", ts.URL+"/api/v1/sessions/"+id, "")
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
}

// TestRunNDJSON checks the one-shot run's stream: NDJSON, one event per
// line, numbered from 1, ending with exit.
func TestRunNDJSON(t *testing.T) {
	_, ts := testServer(t, Config{})
	resp, err := apiClient(t).Post(ts.URL+"/api/v1/run", "application/json", strings.NewReader(jsonBody(map[string]any{"source": faultsC})))
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "application/x-ndjson", resp.Header.Get("Content-Type"))
	events := readNDJSON(t, resp.Body)
	require.NotEmpty(t, events)
	for i, e := range events {
		assert.EqualValues(t, i+1, e["seq"])
	}
	last := events[len(events)-1]
	assert.Equal(t, "exit", last["type"])
	assert.EqualValues(t, 0, last["status"])
	faults := 0
	for _, e := range events {
		if e["type"] == "fault" {
			faults++
		}
	}
	assert.GreaterOrEqual(t, faults, 64)
}

func readNDJSON(t *testing.T, r io.Reader) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var e map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &e), sc.Text())
		out = append(out, e)
	}
	require.NoError(t, sc.Err())
	return out
}

// TestSurvival: what a classroom will send, each answered with a clear
// error in time, and the server still serving afterwards.
func TestSurvival(t *testing.T) {
	_, ts := testServer(t, Config{Limits: Limits{RunTime: 2 * time.Second}})
	// In time: the run-time limit, and what the engine needs to tear down
	// what the program built (thousands of areas for endless faults). The
	// bound catches a run the limit does not end, not a slow one: a CI
	// machine running seven test binaries on two cores took 11 s here.
	inTime := 60 * time.Second
	if raceEnabled {
		inTime = 120 * time.Second
	}
	tests := []struct {
		name   string
		source string
		// want is a substring of an error event's message (or of the
		// output), and status the exit status.
		want string
	}{
		{"syntax error", "int main(void) { return 0 }\n", "expected"},
		{"undeclared", "int main(void) { return o; }\n", "undeclared"},
		{"endless loop", "int main(void) { for (;;); }\n", "limit exceeded"},
		{"endless faults", "#include <stdlib.h>\nint main(void) { for (;;) { char *p = malloc(1 << 20); p[0] = 1; } }\n", ""},
		{"huge mapping", "#include <stdio.h>\n#include <sys/mman.h>\nint main(void) { char *p = mmap(0, 1ULL << 46, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0); if (p == MAP_FAILED) { perror(\"mmap\"); return 1; } p[0] = 1; p[(1ULL << 46) - 1] = 1; printf(\"ok\\n\"); return 0; }\n", ""},
		{"null deref", "int main(void) { int *p = 0; return *p; }\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			resp, err := apiClient(t).Post(ts.URL+"/api/v1/run", "application/json", strings.NewReader(jsonBody(map[string]any{"source": tt.source})))
			require.NoError(t, err)
			defer resp.Body.Close()
			require.Equal(t, 200, resp.StatusCode)
			events := readNDJSON(t, resp.Body)
			assert.Less(t, time.Since(start), inTime)
			require.NotEmpty(t, events)
			last := events[len(events)-1]
			assert.Equal(t, "exit", last["type"], "the last event")
			var text bytes.Buffer
			for _, e := range events {
				if e["type"] == "error" || e["type"] == "stderr" || e["type"] == "note" {
					text.WriteString(e["message"].(string) + "\n")
				}
			}
			if tt.want != "" {
				assert.Contains(t, text.String(), tt.want)
			}
			t.Logf("%s: %d events in %v, exit %v %v; %s", tt.name, len(events), time.Since(start).Round(time.Millisecond), last["status"], last["signal"], strings.TrimSpace(text.String()))
		})
	}
	resp, _ := do(t, "GET", ts.URL+"/healthz", "")
	assert.Equal(t, 200, resp.StatusCode)
}

func TestLimitsFromEnvAndFlags(t *testing.T) {
	env := map[string]string{"PLAYGROUND_MAX_SESSIONS": "300", "PLAYGROUND_RAM": "4G", "PLAYGROUND_RUN_TIME": "3s"}
	l, err := LimitsFromEnv(func(k string) string { return env[k] })
	require.NoError(t, err)
	assert.Equal(t, 300, l.MaxSessions)
	assert.Equal(t, uint64(4<<30), l.RAM)
	assert.Equal(t, 3*time.Second, l.RunTime)
	assert.Equal(t, DefaultLimits.BodyBytes, l.BodyBytes)

	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	l.RegisterFlags(fs)
	require.NoError(t, fs.Parse([]string{"--max-sessions=12", "--events-buffered", "64K", "--session-idle=1m"}))
	assert.Equal(t, 12, l.MaxSessions)
	assert.Equal(t, 64<<10, l.EventsBuffered)
	assert.Equal(t, time.Minute, l.SessionIdle)

	_, err = LimitsFromEnv(func(k string) string {
		if k == "PLAYGROUND_RAM" {
			return "lots"
		}
		return ""
	})
	assert.ErrorContains(t, err, "PLAYGROUND_RAM")
}

// TestLimitsDocumented holds docs/limits.md to the limits.
func TestLimitsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/limits.md")
	require.NoError(t, err)
	// Each limit is one row of the table, "| `--flag` | `ENV` | default |
	// what it bounds |", its default written from DefaultLimits, and the
	// table has no row that is not a limit.
	rows := map[string][]string{}
	for _, line := range strings.Split(string(doc), "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 5 || !strings.HasPrefix(strings.TrimSpace(cells[1]), "`--") {
			continue
		}
		flag := strings.Trim(strings.TrimSpace(cells[1]), "`-")
		rows[flag] = []string{strings.Trim(strings.TrimSpace(cells[2]), "`"), strings.TrimSpace(cells[3])}
	}
	settings := map[string]bool{"addr": true, "token": true, "origins": true, "hosts": true, "trust-proxy": true, "log": true}
	for _, v := range limitVars {
		row, ok := rows[v.flag]
		if assert.True(t, ok, "docs/limits.md has no row for --%s", v.flag) {
			assert.Equal(t, v.env, row[0], "--%s", v.flag)
			assert.Equal(t, v.defaultText(), row[1], "the default of --%s", v.flag)
		}
		delete(rows, v.flag)
	}
	for flag := range rows {
		assert.True(t, settings[flag], "docs/limits.md lists --%s, which is not a limit", flag)
	}
}

func newHTTPServer(t *testing.T, s *Server) *httptest.Server {
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return ts
}

// TestRunBytesAsCLI: the NDJSON stream is exactly the runner's events, one
// AppendJSON a line, the bytes `playground run --json` prints.
func TestRunBytesAsCLI(t *testing.T) {
	_, ts := testServer(t, Config{})
	req := runner.Request{Engine: "sim", Name: "faults.c", Source: faultsC}
	var want []byte
	_, err := runner.Execute(context.Background(), req, func(e *engine.Event) {
		want = append(e.AppendJSON(want), '\n')
	})
	require.NoError(t, err)
	resp, got := do(t, "POST", ts.URL+"/api/v1/run", jsonBody(map[string]any{"name": "faults.c", "source": faultsC}))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, string(want), string(got))
}

// TestEngineUnavailable: an engine this host cannot run is 503, at the
// run (the real engine needs its sandbox) or at a direct call (the real
// engine takes none).
func TestEngineUnavailable(t *testing.T) {
	_, ts := testServer(t, Config{})
	id := createSession(t, ts.URL, `{"engine":"real"}`)
	resp, b := do(t, "POST", ts.URL+"/api/v1/sessions/"+id+"/syscall", `{"name":"getpid"}`)
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode, string(b))
	assert.Contains(t, string(b), `"unsupported"`)

	resp, b = do(t, "POST", ts.URL+"/api/v1/run", `{"engine":"real","source":"int main(void){return 0;}"}`)
	switch resp.StatusCode {
	case http.StatusOK: // this host runs it
	case http.StatusServiceUnavailable:
		assert.Contains(t, string(b), `"unsupported"`)
	default:
		t.Errorf("real engine: %d %s", resp.StatusCode, b)
	}
}

// TestRecoverer: a panic in a handler is a logged 500, never a crash.
func TestRecoverer(t *testing.T) {
	var logged bytes.Buffer
	s, err := New(Config{Logger: slog.New(slog.NewTextHandler(&logged, nil))})
	require.NoError(t, err)
	defer s.Shutdown(context.Background())
	h := s.recoverer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/api/v1/x", nil))
	assert.Equal(t, http.StatusInternalServerError, w.Code)
	assert.JSONEq(t, `{"error":{"code":"internal","message":"internal error"}}`, w.Body.String())
	assert.Contains(t, logged.String(), "boom")
}

// TestStreamsOutliveServerTimeouts: a run's stream, a step and a websocket
// last longer than the server's read and write timeouts, which are for
// ordinary routes; Serve listens, serves and shuts down on ctx.
func TestStreamsOutliveServerTimeouts(t *testing.T) {
	s, err := New(Config{Limits: Limits{RunTime: 3 * time.Second, RunSteps: 1 << 62}})
	require.NoError(t, err)
	s.timeouts = timeouts{readHeader: time.Second, read: 500 * time.Millisecond, write: 500 * time.Millisecond, idle: 10 * time.Second}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()
	base := "http://" + ln.Addr().String()

	// An endless loop runs into its 3 s limit; the stream stays open to its
	// end, past the 500 ms timeouts.
	start := time.Now()
	resp, b := do(t, "POST", base+"/api/v1/run", `{"source":"int main(void) { for (;;); }"}`)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	events := readNDJSON(t, bytes.NewReader(b))
	require.NotEmpty(t, events)
	assert.Equal(t, "exit", events[len(events)-1]["type"])
	assert.Greater(t, time.Since(start), 2*time.Second)

	// A websocket outlives them too.
	id := createSession(t, base, "")
	c, _, err := websocket.DefaultDialer.Dial(wsURL(base, id), nil)
	require.NoError(t, err)
	defer c.Close()
	// Not a wait for something to happen: the server's 500 ms timeouts
	// must pass with the websocket idle, and this is that time passing.
	time.Sleep(time.Second)
	r, body := do(t, "POST", base+"/api/v1/sessions/"+id+"/run", jsonBody(map[string]any{"source": helloC}))
	require.Equal(t, http.StatusAccepted, r.StatusCode, string(body))
	msgs := readMessages(t, c, isExit)
	assert.Equal(t, "exit", msgs[len(msgs)-1]["type"])

	cancel()
	require.NoError(t, <-served)
}

// TestErrorCodesDocumented: the OpenAPI document's error codes are the
// status table's, and docs/api.md lists each.
func TestErrorCodesDocumented(t *testing.T) {
	var doc struct {
		Components struct {
			Schemas struct {
				Error struct {
					Properties struct {
						Error struct {
							Properties struct {
								Code struct {
									Enum []string `json:"enum"`
								} `json:"code"`
							} `json:"properties"`
						} `json:"error"`
					} `json:"properties"`
				} `json:"Error"`
			} `json:"schemas"`
		} `json:"components"`
	}
	require.NoError(t, json.Unmarshal(openAPIDoc, &doc))
	enum := doc.Components.Schemas.Error.Properties.Error.Properties.Code.Enum
	var codes []string
	for c := range codeStatus {
		codes = append(codes, c)
	}
	assert.ElementsMatch(t, codes, enum)
	md, err := os.ReadFile("../../docs/api.md")
	require.NoError(t, err)
	for c, status := range codeStatus {
		assert.Contains(t, string(md), fmt.Sprintf("| %d | `%s` |", status, c))
	}
}

// TestMoreLimits: the program-size limit below the body limit, and no
// per-client limit when it is negative.
func TestMoreLimits(t *testing.T) {
	_, ts := testServer(t, Config{Limits: Limits{ProgramBytes: 100, MaxSessions: 5, MaxSessionsPerClient: -1}})
	resp, b := do(t, "POST", ts.URL+"/api/v1/run", jsonBody(map[string]any{"source": strings.Repeat(" ", 101)}))
	assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode, string(b))
	resp, b = do(t, "POST", ts.URL+"/api/v1/run", jsonBody(map[string]any{"source": "int main(){}", "files": map[string]string{"f": strings.Repeat("x", 100)}}))
	assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode, string(b))
	for range 5 {
		createSession(t, ts.URL, "")
	}
	resp, _ = do(t, "POST", ts.URL+"/api/v1/sessions", "")
	assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
}

// TestMetrics: the server's own metrics are there, and count.
func TestMetrics(t *testing.T) {
	_, ts := testServer(t, Config{})
	createSession(t, ts.URL, "")
	do(t, "POST", ts.URL+"/api/v1/run", jsonBody(map[string]any{"source": faultsC}))
	_, b := do(t, "GET", ts.URL+"/metrics", "")
	for _, want := range []string{
		"playground_sessions 1",
		`playground_runs_total{engine="sim",kind="oneshot"} 1`,
		`playground_faults_total{kind="anon"}`,
		"playground_events_sent_total",
		"playground_events_dropped_total 0",
		"playground_run_duration_seconds_count 1",
		"go_goroutines",
	} {
		assert.Contains(t, string(b), want)
	}
}

// TestReapSparesStreams: a session with a stream connected is not idle.
func TestReapSparesStreams(t *testing.T) {
	s, ts := testServer(t, Config{})
	id := createSession(t, ts.URL, "")
	c, _, err := websocket.DefaultDialer.Dial(wsURL(ts.URL, id), nil)
	require.NoError(t, err)
	assert.Equal(t, 0, s.reap(time.Now().Add(24*time.Hour)))
	c.Close()
	require.Eventually(t, func() bool { return s.reap(time.Now().Add(24*time.Hour)) == 1 }, 5*time.Second, 10*time.Millisecond)
}

// TestNoGoroutinesLeft: after Shutdown, sessions, runs (paused ones too),
// streams and the reaper have all ended: not one goroutine the test did not
// have before is left (goleak waits for them to finish, then names any).
func TestNoGoroutinesLeft(t *testing.T) {
	before := goleak.IgnoreCurrent()
	s, err := New(Config{})
	require.NoError(t, err)
	ts := httptest.NewServer(s.Handler())
	for range 3 {
		id := createSession(t, ts.URL, "")
		c, _, err := websocket.DefaultDialer.Dial(wsURL(ts.URL, id), nil)
		require.NoError(t, err)
		defer c.Close()
		r, b := do(t, "POST", ts.URL+"/api/v1/sessions/"+id+"/run", jsonBody(map[string]any{"source": faultsC, "paused": true}))
		require.Equal(t, http.StatusAccepted, r.StatusCode, string(b))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, s.Shutdown(ctx))
	ts.CloseClientConnections()
	ts.Close()
	http.DefaultClient.CloseIdleConnections()
	goleak.VerifyNone(t, before)
}

// TestRunFlushesAsItGoes: the NDJSON events reach the client while the
// program runs, not when it ends. The program (a fake runner's) writes,
// then waits until the client has read what it wrote.
func TestRunFlushesAsItGoes(t *testing.T) {
	read := make(chan struct{})
	var readInTime atomic.Bool
	fr := &fakeRunner{script: func(ctx context.Context, emit func(engine.Event)) {
		emit(engine.Event{Type: engine.EvStdout, Text: "hi\n"})
		select {
		case <-read:
			readInTime.Store(true)
		case <-ctx.Done(): // the run-time limit: the client never saw it
		}
	}}
	_, ts := testServer(t, Config{Runner: fr, Limits: Limits{RunTime: 20 * time.Second}})
	resp, err := apiClient(t).Post(ts.URL+"/api/v1/run", "application/json", strings.NewReader(jsonBody(map[string]any{"source": helloC})))
	require.NoError(t, err)
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	var got []string
	for sc.Scan() {
		var e map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &e))
		got = append(got, e["type"].(string))
		if e["type"] == "stdout" {
			break // the program is still waiting for this
		}
	}
	assert.Equal(t, []string{"stdout"}, got)
	close(read)
	events := readNDJSON(t, resp.Body)
	require.NotEmpty(t, events)
	assert.Equal(t, "exit", events[len(events)-1]["type"])
	assert.True(t, readInTime.Load(), "the stdout event reached the client only when the run ended")
}

// TestOpenAPIOptions holds the document's Options to engine.Options.
func TestOpenAPIOptions(t *testing.T) {
	var doc struct {
		Components struct {
			Schemas struct {
				Options struct {
					Properties map[string]json.RawMessage `json:"properties"`
				} `json:"Options"`
			} `json:"schemas"`
		} `json:"components"`
	}
	require.NoError(t, json.Unmarshal(openAPIDoc, &doc))
	var documented, fields []string
	for k := range doc.Components.Schemas.Options.Properties {
		documented = append(documented, k)
	}
	typ := reflect.TypeFor[engine.Options]()
	for i := range typ.NumField() {
		name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		fields = append(fields, name)
	}
	assert.ElementsMatch(t, fields, documented)
}
