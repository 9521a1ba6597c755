package browsertest

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/api"
)

// restartable is the real server on a fixed loopback address that a test
// restarts: the old process's sessions are gone, as after a deploy.
type restartable struct {
	t    *testing.T
	addr string
	srv  *api.Server
	hs   *http.Server
}

func startRestartable(t *testing.T) *restartable {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	r := &restartable{t: t, addr: ln.Addr().String()}
	r.serve(ln)
	t.Cleanup(r.stop)
	return r
}

func (r *restartable) serve(ln net.Listener) {
	srv, err := api.New(api.Config{})
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

// restart ends the server (its streams are closed, its sessions forgotten)
// and starts a new one on the same address.
func (r *restartable) restart() {
	r.stop()
	ln, err := net.Listen("tcp", r.addr)
	require.NoError(r.t, err)
	r.serve(ln)
}

const resumeC = `#include <stdio.h>
#include <sys/mman.h>

int main(void)
{
	char *p = mmap(NULL, 8 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 1;
	for (int i = 0; i < 8; i++)
		p[i * 4096] = 'a' + i;
	printf("%c%c\n", p[0], p[7 * 4096]);
	return 0;
}
`

// faultsJS counts the faults the page has.
const faultsJS = `__pg.run().events.filter(e => e.type === "fault").length`

// eventKey is what two runs' events are compared by.
const eventKeyJS = `(e) => [e.seq, e.type, e.name || "", e.kind || "", String(e.addr || "")].join(" ")`

// TestSessionSurvivesRestart steps a program on the server, restarts the
// server in the middle, and goes on: the page rebuilds its session on the
// new process at the same event, the student sees no error, and the run's
// events are the events of a run never interrupted.
func TestSessionSurvivesRestart(t *testing.T) {
	srv := startRestartable(t)
	b := newBrowser(t, 1400, 1000)
	b.open("http://" + srv.addr + "/?lang=en")
	before, oldID, stepFault := stepThreeFaults(b)
	srv.restart()
	comesBack(t, b, before, oldID, stepFault)
}

// TestSessionMovesWhenItsServerDrains: two servers behind one address, as
// replicas behind a proxy; the one holding the page's session drains
// (SIGTERM) and the proxy sends new requests to the other. The page is told
// to move, rebuilds its session there at the same event, and goes on.
func TestSessionMovesWhenItsServerDrains(t *testing.T) {
	var servers []*api.Server
	for range 2 {
		s, err := api.New(api.Config{})
		require.NoError(t, err)
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			s.Shutdown(ctx)
		})
		servers = append(servers, s)
	}
	var cur atomic.Pointer[api.Server]
	cur.Store(servers[0])
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cur.Load().Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(proxy.Close)

	b := newBrowser(t, 1400, 1000)
	b.open(proxy.URL + "/?lang=en")
	before, oldID, stepFault := stepThreeFaults(b)
	drained := make(chan error, 1)
	go func() { drained <- servers[0].Drain(context.Background()) }()
	require.Eventually(t, servers[0].Draining, 10*time.Second, 10*time.Millisecond)
	cur.Store(servers[1]) // its readiness failed: the proxy takes it out
	comesBack(t, b, before, oldID, stepFault)
	assert.NoError(t, <-drained, "a paused simulated session does not hold the drain")
}

// stepThreeFaults types a program and steps it on the server to its first
// system call, then three faults (of its stores; the stack's came before).
// It returns the page's events then, the session's id, and a step to the
// program's nth store fault.
func stepThreeFaults(b *browser) ([]string, string, func(n int)) {
	b.t.Helper()
	b.must(10*time.Second, chromedp.SetValue(chromedp.CSS(`[data-testid="source"]`), resumeC))
	b.evalVoid(`document.querySelector('[data-testid="source"]').dispatchEvent(new Event("input"))`)
	b.click("step-syscall")
	b.waitJS(20*time.Second, `__pg.run().mode === "session" && __pg.run().status === "paused" && __pg.run().events.some(e => e.type === "syscall")`)
	var faults0 int
	eval(b, faultsJS, &faults0)
	stepFault := func(n int) {
		b.click("step-fault")
		b.waitJS(20*time.Second, fmt.Sprintf(`__pg.run().status === "paused" && %s === %d`, faultsJS, faults0+n))
	}
	for i := 1; i <= 3; i++ {
		stepFault(i)
	}
	var before []string
	eval(b, `__pg.run().events.map(`+eventKeyJS+`)`, &before)
	var oldID string
	eval(b, `__pg.run().session.id`, &oldID)
	return before, oldID, stepFault
}

// comesBack checks that the page rebuilt its session (a new one, at the
// same event, with the same events), and goes on from there unnoticed to
// the end, with the events of a run never interrupted.
func comesBack(t *testing.T, b *browser, before []string, oldID string, stepFault func(int)) {
	t.Helper()
	b.waitJS(30*time.Second, `__pg.client.resumed === 1`)
	var cur string
	eval(b, `__pg.client.recipe(__pg.run().session.id).cur`, &cur)
	assert.NotEqual(t, oldID, cur, "a session of the new process")
	var same []string
	eval(b, `__pg.run().events.map(`+eventKeyJS+`)`, &same)
	assert.Equal(t, before, same, "the page stays at the same event, with the same events")

	// The student goes on as if nothing happened: the next fault, then to
	// the end.
	stepFault(4)
	b.click("continue")
	b.waitRun(30 * time.Second)
	var out string
	eval(b, `document.querySelector('[data-testid="stdout"]').textContent`, &out)
	assert.Equal(t, "ah\n", out)
	var isErr bool
	eval(b, `document.getElementById("status").classList.contains("err")`, &isErr)
	assert.False(t, isErr, "no error said to the student")

	// The events, Seq by Seq, are those of the same run never interrupted.
	var got []string
	eval(b, `__pg.run().events.map(`+eventKeyJS+`)`, &got)
	var want []string
	eval(b, `(async () => {
		const res = await fetch("/api/v1/run", {method: "POST", headers: {"Content-Type": "application/json"},
			body: JSON.stringify({engine: "sim", options: {ram: +document.getElementById("ram").value * 1024 * 1024, fault_around: +document.getElementById("fault-around").value}, ...__pg.run().req, engine: "sim"})});
		const text = await res.text();
		return text.trim().split("\n").map(l => JSON.parse(l)).map(`+eventKeyJS+`);
	})()`, &want)
	require.NotEmpty(t, want)
	assert.Equal(t, want, got)
}

// TestRealSessionLostSaidPlainly: a run on the real kernel cannot be
// rebuilt elsewhere; when its server restarts, the page says so.
func TestRealSessionLostSaidPlainly(t *testing.T) {
	srv := startRestartable(t)
	base := "http://" + srv.addr
	if !realAvailable(t, base) {
		t.Skip("the real engine cannot run on this host")
	}
	b := newBrowser(t, 1400, 1000)
	b.open(base + "/?lang=en")
	b.must(10*time.Second, chromedp.SetValue(chromedp.CSS(`[data-testid="source"]`), resumeC))
	b.evalVoid(`document.querySelector('[data-testid="source"]').dispatchEvent(new Event("input"))`)
	b.evalVoid(`(() => { const e = document.getElementById("engine"); e.value = "real"; e.dispatchEvent(new Event("change")); })()`)
	b.click("step-syscall")
	b.waitJS(30*time.Second, `__pg.run().mode === "session" && __pg.run().engine === "real" && __pg.run().status === "paused" && __pg.run().events.some(e => e.type === "syscall")`)

	srv.restart()
	b.waitJS(30*time.Second, `document.getElementById("status").classList.contains("err")`)
	var status string
	eval(b, `document.getElementById("status").textContent`, &status)
	assert.Contains(t, status, "real kernel")
	assert.Contains(t, status, "cannot be moved")
	var resumed int
	eval(b, `__pg.client.resumed`, &resumed)
	assert.Equal(t, 0, resumed)
}

// realAvailable runs a program on the real engine once.
func realAvailable(t *testing.T, base string) bool {
	body, _ := json.Marshal(map[string]any{"engine": "real", "source": "int main(void) { return 0; }"})
	resp, err := http.Post(base+"/api/v1/run", "application/json", strings.NewReader(string(body)))
	require.NoError(t, err)
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return false
	}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if strings.Contains(sc.Text(), `"type":"exit"`) {
			return strings.Contains(sc.Text(), `"status":0`)
		}
	}
	return false
}
