package api

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOnlyOwnOrigin: a state-changing request from another site's page is
// 403, a body that is not JSON 415, and a loopback server answers only
// loopback Host names (and --hosts), on REST and websocket alike.
func TestOnlyOwnOrigin(t *testing.T) {
	srv, ts := testServer(t, Config{Hosts: []string{"class.example.org"}, Origins: []string{"https://trusted.example"}})
	srv.loopback.Store(true)
	port := ts.URL[strings.LastIndex(ts.URL, ":"):]
	run := `{"source":"int main(void){return 0;}"}`
	tests := []struct {
		name   string
		method string
		path   string
		body   string
		hdr    []string
		want   int
		code   string
	}{
		{"a script's JSON POST", "POST", "/api/v1/run", run, nil, 200, ""},
		{"the page's own POST", "POST", "/api/v1/run", run, []string{"Sec-Fetch-Site", "same-origin", "Origin", ts.URL}, 200, ""},
		{"a cross-site form post", "POST", "/api/v1/run", run, []string{"Content-Type", "text/plain", "Sec-Fetch-Site", "cross-site", "Origin", "http://evil.example"}, 403, CodeForbidden},
		{"a cross-origin fetch, old browser", "POST", "/api/v1/sessions", `{}`, []string{"Origin", "http://evil.example"}, 403, CodeForbidden},
		{"a trusted origin", "POST", "/api/v1/sessions", `{}`, []string{"Origin", "https://trusted.example", "Sec-Fetch-Site", "cross-site"}, 201, ""},
		{"a text/plain POST", "POST", "/api/v1/run", run, []string{"Content-Type", "text/plain"}, 415, CodeMediaType},
		{"a form POST", "POST", "/api/v1/sessions", `engine=sim`, []string{"Content-Type", "application/x-www-form-urlencoded"}, 415, CodeMediaType},
		{"JSON with a charset", "POST", "/api/v1/sessions", `{}`, []string{"Content-Type", "application/json; charset=utf-8"}, 201, ""},
		{"a foreign Host", "GET", "/api/v1/examples", "", []string{"Host", "evil.example"}, 403, CodeForbidden},
		{"a foreign Host with a port", "POST", "/api/v1/sessions", `{}`, []string{"Host", "evil.example" + port}, 403, CodeForbidden},
		{"localhost", "GET", "/api/v1/examples", "", []string{"Host", "localhost" + port}, 200, ""},
		{"[::1]", "GET", "/api/v1/examples", "", []string{"Host", "[::1]" + port}, 200, ""},
		{"a listed classroom host", "GET", "/api/v1/examples", "", []string{"Host", "Class.Example.org"}, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hdr []string
			for i := 0; i+1 < len(tt.hdr); i += 2 {
				hdr = append(hdr, tt.hdr[i], tt.hdr[i+1])
			}
			req, err := http.NewRequest(tt.method, ts.URL+tt.path, strings.NewReader(tt.body))
			require.NoError(t, err)
			if tt.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			for i := 0; i+1 < len(hdr); i += 2 {
				if hdr[i] == "Host" {
					req.Host = hdr[i+1]
				} else {
					req.Header.Set(hdr[i], hdr[i+1])
				}
			}
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			assert.Equal(t, tt.want, resp.StatusCode)
			if tt.code != "" {
				var b [512]byte
				n, _ := resp.Body.Read(b[:])
				assert.Contains(t, string(b[:n]), `"code":"`+tt.code+`"`)
			}
		})
	}
	t.Run("a websocket with a foreign Host", func(t *testing.T) {
		id := createSession(t, ts.URL, `{}`)
		h := http.Header{}
		h.Set("Host", "evil.example")
		_, resp, err := websocket.DefaultDialer.Dial(wsURL(ts.URL, id), h)
		require.Error(t, err)
		require.NotNil(t, resp)
		assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	})
}

// TestStreamCaps: streams past a session's or a client's limit are 429
// before the handshake, and closing one frees its slot.
func TestStreamCaps(t *testing.T) {
	_, ts := testServer(t, Config{Limits: Limits{StreamsPerSession: 2, StreamsPerClient: 3}})
	a, b := createSession(t, ts.URL, `{}`), createSession(t, ts.URL, `{}`)
	dial := func(id string) (*websocket.Conn, int) {
		c, resp, err := websocket.DefaultDialer.Dial(wsURL(ts.URL, id), nil)
		if err != nil {
			require.NotNil(t, resp, err)
			return nil, resp.StatusCode
		}
		t.Cleanup(func() { c.Close() })
		return c, resp.StatusCode
	}
	c1, s1 := dial(a)
	_, s2 := dial(a)
	_, s3 := dial(a)
	assert.Equal(t, []int{101, 101, 429}, []int{s1, s2, s3}, "per session")
	_, s4 := dial(b)
	_, s5 := dial(b)
	assert.Equal(t, []int{101, 429}, []int{s4, s5}, "per client")
	c1.Close()
	require.Eventually(t, func() bool { c, st := dial(b); return c != nil && st == 101 }, 10*time.Second, 10*time.Millisecond)
}

// TestMemoryBusy: with the runs' share of the server's memory budget spent
// (by a session's run that filled it and still holds its engine), a new
// run is 503 busy with Retry-After, and deleting the session makes room.
func TestMemoryBusy(t *testing.T) {
	_, ts := testServer(t, Config{Limits: Limits{Memory: 24 << 20, RunMemory: 64 << 20}})
	id := createSession(t, ts.URL, `{}`)
	src := `#include <sys/mman.h>
int main(void) {
	unsigned long n = 64UL << 20;
	char *p = mmap(0, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (unsigned long i = 0; i < n; i += 64)
		p[i] = (char)(i >> 6);
	return 0;
}`
	resp, b := do(t, "POST", ts.URL+"/api/v1/sessions/"+id+"/run", jsonBody(map[string]any{"source": src}))
	require.Equal(t, http.StatusAccepted, resp.StatusCode, string(b))
	require.Eventually(t, func() bool {
		_, b := do(t, "GET", ts.URL+"/api/v1/sessions/"+id, "")
		return strings.Contains(string(b), `"exited"`)
	}, 30*time.Second, 10*time.Millisecond)
	resp, b = do(t, "POST", ts.URL+"/api/v1/run", jsonBody(map[string]any{"source": "int main(void){return 0;}"}))
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode, string(b))
	assert.Contains(t, string(b), `"busy"`)
	assert.NotEmpty(t, resp.Header.Get("Retry-After"))

	resp, _ = do(t, "DELETE", ts.URL+"/api/v1/sessions/"+id, "")
	require.Equal(t, http.StatusNoContent, resp.StatusCode)
	require.Eventually(t, func() bool {
		resp, _ := do(t, "POST", ts.URL+"/api/v1/run", jsonBody(map[string]any{"source": "int main(void){return 0;}"}))
		return resp.StatusCode == http.StatusOK
	}, 30*time.Second, 10*time.Millisecond)
}

// TestRequestRate: a client past its rate is 429 with Retry-After; behind
// a trusted proxy each forwarded address has its own bucket, and without
// one X-Forwarded-For is ignored.
func TestRequestRate(t *testing.T) {
	for _, trust := range []bool{false, true} {
		_, ts := testServer(t, Config{Limits: Limits{RequestRate: 5}, TrustProxy: trust})
		codes := map[int]int{}
		for range 30 {
			resp, _ := do(t, "GET", ts.URL+"/api/v1/examples", "", "X-Forwarded-For", "203.0.113.7")
			codes[resp.StatusCode]++
			if resp.StatusCode == http.StatusTooManyRequests {
				assert.Equal(t, "1", resp.Header.Get("Retry-After"))
			}
		}
		assert.Positive(t, codes[http.StatusTooManyRequests], "trust %v: %v", trust, codes)
		assert.LessOrEqual(t, codes[http.StatusOK], 15, "a burst of twice the rate, and what refilled")
		resp, _ := do(t, "GET", ts.URL+"/api/v1/examples", "", "X-Forwarded-For", "203.0.113.8")
		if trust {
			assert.Equal(t, http.StatusOK, resp.StatusCode, "another student behind the proxy")
		} else {
			assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode, "a claimed address is not believed")
		}
	}
}

// TestWorkerCap: past --max-workers a real-engine run is 429, a simulated
// one is not, and the slot comes back when the run ends.
func TestWorkerCap(t *testing.T) {
	srv, ts := testServer(t, Config{Limits: Limits{MaxWorkers: 1}})
	release, err := srv.takeWorker("real")
	require.NoError(t, err)
	resp, b := do(t, "POST", ts.URL+"/api/v1/run", jsonBody(map[string]any{"engine": "both", "source": "int main(void){return 0;}"}))
	assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode, string(b))
	assert.Contains(t, string(b), "real-engine workers")
	resp, _ = do(t, "POST", ts.URL+"/api/v1/run", jsonBody(map[string]any{"source": "int main(void){return 0;}"}))
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	release()
	_, err = srv.takeWorker("real")
	assert.NoError(t, err)
}

// TestRealDiskTotal: real-engine runs in progress hold their disk quotas
// of --real-disk-total; one more that would pass it is 503 with
// Retry-After and the limit's name, a simulated run is not refused, and
// the quota comes back when a run ends. A total below one run's quota is
// refused at start.
func TestRealDiskTotal(t *testing.T) {
	srv, ts := testServer(t, Config{Limits: Limits{RealDiskBytes: 16 << 20, RealDiskTotal: 32 << 20}})
	var releases []func()
	for range 2 {
		release, err := srv.takeWorker("real")
		require.NoError(t, err)
		releases = append(releases, release)
	}
	for _, eng := range []string{"real", "both"} {
		resp, b := do(t, "POST", ts.URL+"/api/v1/run", jsonBody(map[string]any{"engine": eng, "source": "int main(void){return 0;}"}))
		assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode, string(b))
		assert.Equal(t, "5", resp.Header.Get("Retry-After"))
		assert.Contains(t, string(b), `"busy"`)
		assert.Contains(t, string(b), "--real-disk-total")
	}
	id := createSession(t, ts.URL, `{"engine":"real"}`)
	resp, b := do(t, "POST", ts.URL+"/api/v1/sessions/"+id+"/run", jsonBody(map[string]any{"source": "int main(void){return 0;}"}))
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode, string(b))
	assert.Equal(t, "5", resp.Header.Get("Retry-After"))
	resp, _ = do(t, "POST", ts.URL+"/api/v1/run", jsonBody(map[string]any{"source": "int main(void){return 0;}"}))
	assert.Equal(t, http.StatusOK, resp.StatusCode, "a simulated run needs no disk")
	releases[0]()
	release, err := srv.takeWorker("real")
	require.NoError(t, err, "the quota given back is taken again")
	release()
	releases[1]()

	_, err = New(Config{Limits: Limits{RealDiskBytes: 64 << 20, RealDiskTotal: 32 << 20}})
	assert.ErrorContains(t, err, "--real-disk-total")
}

// TestIdleEngineDropped: an idle session's ended run gives its engine's
// memory back to the server's budget, and its state (kept from the exit),
// walk and pages (by replay) answer byte for byte as before.
func TestIdleEngineDropped(t *testing.T) {
	srv, ts := testServer(t, Config{})
	id := createSession(t, ts.URL, `{}`)
	src := `#include <stdio.h>
#include <sys/mman.h>
int main(void) {
	char *p = mmap(0, 1 << 20, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	for (int i = 0; i < 256; i += 3)
		p[i << 12] = (char)i;
	printf("%p\n", (void *)p);
	return 0;
}`
	resp, b := do(t, "POST", ts.URL+"/api/v1/sessions/"+id+"/run", jsonBody(map[string]any{"source": src}))
	require.Equal(t, http.StatusAccepted, resp.StatusCode, string(b))
	require.Eventually(t, func() bool {
		_, b := do(t, "GET", ts.URL+"/api/v1/sessions/"+id, "")
		return strings.Contains(string(b), `"exited"`)
	}, 30*time.Second, 10*time.Millisecond)
	ask := func() (string, string) {
		_, st := do(t, "GET", ts.URL+"/api/v1/sessions/"+id+"/state?addr=0x7ffff7eff000", "")
		_, pg := do(t, "GET", ts.URL+"/api/v1/sessions/"+id+"/pages?start=0x7ffff7e00000&end=0x7ffff7fff000", "")
		return string(st), string(pg)
	}
	st1, pg1 := ask()
	held := srv.memory.Used()
	require.Positive(t, held)
	srv.dropIdleEngines(time.Now().Add(2 * srv.limits.EngineIdle))
	require.Eventually(t, func() bool { return srv.memory.Used() < held }, 10*time.Second, 10*time.Millisecond, "the engine's memory given back")
	st2, pg2 := ask()
	assert.JSONEq(t, st1, st2)
	assert.JSONEq(t, pg1, pg2)
}

// TestRestartedSessionID: an id of an earlier server process is told the
// server restarted, not that it was reaped.
func TestRestartedSessionID(t *testing.T) {
	_, ts := testServer(t, Config{})
	old := strings.Repeat("0", len(bootID)) + strings.Repeat("ab", 16)
	if strings.HasPrefix(old, bootID) {
		old = strings.Repeat("1", len(bootID)) + strings.Repeat("ab", 16)
	}
	resp, b := do(t, "GET", ts.URL+"/api/v1/sessions/"+old, "")
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.Contains(t, string(b), "the server has restarted")
	resp, b = do(t, "GET", ts.URL+"/api/v1/sessions/"+bootID+strings.Repeat("ab", 16), "")
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.Contains(t, string(b), "reaped")
}
