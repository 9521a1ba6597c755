package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// FuzzBodies sends fuzzed JSON bodies to the routes that decode them: a
// session's creation, a system call from JSON (made on the engine), step,
// back, and a run's validation (the run itself is not started: runRequest
// only). No body may get a 500, a panic or a hang.
func FuzzBodies(f *testing.F) {
	for _, s := range []string{
		`{}`, `{"engine":"sim","options":{"ram":1048576}}`, `{"options":{"writeback_interval_ns":1}}`,
		`{"name":"mmap","args":[0,4096,3,34,-1,0]}`, `{"name":"write","args":[1,"0x7ffff7ff0000",1099511627776]}`,
		`{"name":"mincore","args":[0,140737488355328,0]}`, `{"name":"nanosleep","args":[9223372036854775807]}`,
		`{"name":"store","args":["0x1000",1048577]}`, `{"name":"open","path":"/dev/zero","args":[0,0,0]}`,
		`{"until":"fault"}`, `{"seq":0}`, `{"steps":18446744073709551615}`,
		`{"source":"int main(void){return 0;}","files":{"":"x"}}`, `{"source":"","args":null}`, `[1,2]`, `{"a":1}{"b":2}`,
	} {
		f.Add(s)
	}
	srv, err := New(Config{Limits: Limits{RunTime: time.Second, RunMemory: 32 << 20, Memory: 256 << 20}})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	})
	h := srv.Handler()
	create := httptest.NewRecorder()
	h.ServeHTTP(create, jsonRequest("POST", "/api/v1/sessions", `{}`))
	loc := create.Header().Get("Location")
	if loc == "" {
		f.Fatalf("no session: %s", create.Body)
	}
	f.Fuzz(func(t *testing.T, body string) {
		for _, path := range []string{"/api/v1/sessions", loc + "/syscall", loc + "/step", loc + "/back"} {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, jsonRequest("POST", path, body))
			if w.Code >= 500 && w.Code != http.StatusServiceUnavailable {
				t.Fatalf("POST %s %q: %d %s", path, body, w.Code, w.Body)
			}
			if w.Code == http.StatusCreated {
				srv.deleteSession(strings.TrimPrefix(w.Header().Get("Location"), "/api/v1/sessions/"))
			}
		}
		var b runBody
		if decodeBody(jsonRequest("POST", "/api/v1/run", body), &b, false) == nil {
			srv.runRequest(b.Engine, b.Options, &b)
		}
	})
}

func jsonRequest(method, path, body string) *http.Request {
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	return r
}
