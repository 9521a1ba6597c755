package replicas

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mmapplayground/playground/internal/servertest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/bench/load/loadtest"
)

// haproxyConfig is the proxy in front of the replicas: round robin for new
// students, then cookie affinity (SRV names the replica), health checks on
// /readyz (a draining or dead replica is out after two failed checks, half
// a second; a slow check on a loaded machine does not take one out;
// the check names a loopback host, as a loopback replica answers only those),
// and redispatch, so that a student whose replica is gone reaches another
// (whose 404 tells the page to rebuild its session there). Websockets are
// tunnels: their timeout is the stream's, not a request's.
const haproxyConfig = `global
	maxconn 4096
	log stderr format raw local0

defaults
	mode http
	log global
	option httplog
	timeout connect 2s
	timeout client 5m
	timeout server 5m
	timeout tunnel 5m
	timeout check 5s
	retries 3
	option redispatch
	option forwardfor

frontend classroom
	bind {{.Proxy}}
	default_backend replicas

backend replicas
	balance roundrobin
	cookie SRV insert indirect nocache
	option httpchk
	http-check send meth GET uri /readyz ver HTTP/1.1 hdr Host localhost
	http-check expect status 200
	default-server inter 250ms fall 2 rise 2
{{.Servers}}
listen stats
	bind {{.Stats}}
	stats enable
	stats uri /stats
`

// haproxy is the proxy the test started.
type haproxy struct {
	base  string // http://127.0.0.1:PORT, the classroom's address
	stats string // the stats page's CSV
	cmd   *exec.Cmd
	logs  *servertest.Log
}

// freeAddr is a loopback address no one listens on now.
func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().String()
}

// startHAProxy writes the configuration to a temporary directory, starts
// Debian's haproxy in the foreground, and waits until every replica is up
// in it.
func startHAProxy(t *testing.T, path string, replicas []*replica) *haproxy {
	t.Helper()
	proxy, stats := freeAddr(t), freeAddr(t)
	var servers strings.Builder
	for _, r := range replicas {
		fmt.Fprintf(&servers, "\tserver %s %s cookie %s check\n", r.Name, r.Host, r.Name)
	}
	cfg := strings.NewReplacer("{{.Proxy}}", proxy, "{{.Stats}}", stats, "{{.Servers}}\n", servers.String()).Replace(haproxyConfig)
	file := filepath.Join(t.TempDir(), "haproxy.cfg")
	require.NoError(t, os.WriteFile(file, []byte(cfg), 0o644))

	h := &haproxy{base: "http://" + proxy, stats: "http://" + stats + "/stats;csv", logs: &servertest.Log{}}
	h.cmd = exec.Command(path, "-db", "-f", file)
	h.cmd.Stdout, h.cmd.Stderr = h.logs, h.logs
	require.NoError(t, h.cmd.Start())
	exited := make(chan struct{})
	go func() { h.cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		h.cmd.Process.Signal(syscall.SIGTERM)
		<-exited
		if t.Failed() {
			t.Logf("haproxy's log:\n%s\nits configuration:\n%s", h.logs, cfg)
		}
	})
	require.Eventually(t, func() bool {
		up := h.up()
		return len(up) == len(replicas)
	}, time.Minute, 50*time.Millisecond, "every replica up in haproxy")
	return h
}

// up lists the replicas haproxy's health checks find up.
func (h *haproxy) up() []string {
	resp, err := http.Get(h.stats)
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	rows, err := csv.NewReader(resp.Body).ReadAll()
	if err != nil || len(rows) == 0 {
		return nil
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[strings.TrimPrefix(name, "# ")] = i
	}
	var up []string
	for _, row := range rows[1:] {
		if row[col["pxname"]] == "replicas" && row[col["svname"]] != "BACKEND" && strings.HasPrefix(row[col["status"]], "UP") {
			up = append(up, row[col["svname"]])
		}
	}
	return up
}

// TestThreeReplicasBehindHAProxy starts three replicas of the server
// binary behind haproxy, runs the load test across them, and takes one
// replica away while every run stands at its checkpoint: killed (SIGKILL,
// a crash) or told to stop (SIGTERM, a deploy: it drains). Every
// simulated session of that replica is rebuilt on another with its
// events, Seq by Seq, those of an uninterrupted run, its real-engine
// sessions are reported lost, and no other session notices.
func TestThreeReplicasBehindHAProxy(t *testing.T) {
	path, err := exec.LookPath("haproxy")
	if err != nil {
		path = "/usr/sbin/haproxy"
		if _, err := os.Stat(path); err != nil {
			t.Skip("haproxy is not installed (apt-get install haproxy; .ci/run installs it)")
		}
	}
	for _, sig := range []syscall.Signal{syscall.SIGKILL, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) { threeReplicas(t, path, sig) })
	}
}

func threeReplicas(t *testing.T, path string, sig syscall.Signal) {
	replicas := []*replica{
		startReplica(t, "r1", "PLAYGROUND_TRUST_PROXY=1"),
		startReplica(t, "r2", "PLAYGROUND_TRUST_PROXY=1"),
		startReplica(t, "r3", "PLAYGROUND_TRUST_PROXY=1"),
	}
	byName := map[string]*replica{}
	for _, r := range replicas {
		byName[r.Name] = r
	}
	h := startHAProxy(t, path, replicas)

	const sessions = 30
	realN := 0
	if realWorks(replicas[0].Base) {
		realN = 3
	} else {
		t.Log("the real engine cannot run on this host: simulated sessions only")
	}
	victim := ""
	cfg := loadtest.Config{
		Base: h.base, Sessions: sessions, Real: realN, Faults: 400, Verify: true, AffinityCookie: "SRV",
		Midway: func(ctx context.Context, at []loadtest.Session) error {
			// The replica of a real-engine session, if there is one, so
			// that its loss is seen too.
			victim = "r2"
			for _, s := range at {
				if s.Engine == "real" && s.Replica != "" {
					victim = s.Replica
					break
				}
			}
			r := byName[victim]
			if r == nil {
				return fmt.Errorf("no replica %q", victim)
			}
			if err := r.Cmd.Process.Signal(sig); err != nil {
				return err
			}
			// Wait until haproxy has seen it go (a drained replica fails
			// its readiness at once): a condition, not a time.
			for ctx.Err() == nil {
				up := h.up()
				if len(up) == len(replicas)-1 && !contains(up, victim) {
					return nil
				}
				select {
				case <-ctx.Done():
				case <-time.After(50 * time.Millisecond):
				}
			}
			return ctx.Err()
		},
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	rep, err := loadtest.Run(ctx, cfg)
	require.NoError(t, err)
	require.NotEmpty(t, victim)
	select {
	case <-byName[victim].Exited:
	case <-ctx.Done():
		t.Fatalf("%s did not end after %v", victim, sig)
	}
	if sig == syscall.SIGTERM {
		assert.NoError(t, byName[victim].Err, "a drained replica exits 0")
		assert.Contains(t, byName[victim].Logs.String(), "draining")
	}
	assert.Equal(t, sessions, rep.Held, "sessions held")
	var onVictim, simOnVictim, realOnVictim int
	spread := map[string]int{}
	for i, s := range rep.Sessions {
		spread[s.Replica]++
		if s.Replica != victim {
			assert.NoError(t, s.Err, "session %d on %s", i, s.Replica)
			assert.False(t, s.Resumed || s.Lost, "session %d on %s, which stayed up", i, s.Replica)
			assert.Empty(t, s.Mismatch, "session %d on %s", i, s.Replica)
			continue
		}
		onVictim++
		if s.Engine == "real" {
			realOnVictim++
			assert.True(t, s.Lost, "real-engine session %d of the killed replica reported lost", i)
			continue
		}
		simOnVictim++
		assert.NoError(t, s.Err, "session %d of the killed replica", i)
		assert.True(t, s.Resumed, "session %d of the killed replica resumed", i)
		assert.NotEqual(t, victim, s.ResumedOn, "session %d resumed on another replica", i)
		assert.Contains(t, []string{"r1", "r2", "r3"}, s.ResumedOn, "session %d", i)
		assert.Empty(t, s.Mismatch, "session %d's events, Seq by Seq, against an uninterrupted run", i)
	}
	for _, r := range replicas {
		assert.Greater(t, spread[r.Name], 0, "sessions on %s (cookie affinity spreads the students: %v)", r.Name, spread)
	}
	assert.Greater(t, simOnVictim, 0, "simulated sessions on the killed replica")
	assert.Equal(t, simOnVictim, rep.Resumed, "every resumed session was one of the killed replica's")
	assert.Equal(t, realOnVictim, rep.Lost)
	if realN > 0 {
		assert.Greater(t, realOnVictim, 0, "a real-engine session on the killed replica")
	}
	assert.Equal(t, sessions-realOnVictim, rep.Completed)
	load, _ := os.ReadFile("/proc/loadavg")
	t.Logf("%s %v: sessions held %d; on it %d (%d resumed elsewhere, %d real lost); spread %v; run to exit p50 %v p99 %v; load average %s",
		victim, sig, rep.Held, onVictim, rep.Resumed, rep.Lost, spread, rep.P50.Round(time.Millisecond), rep.P99.Round(time.Millisecond), strings.Join(strings.Fields(string(load))[:3], " "))
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// realWorks runs a program on the real engine on one replica.
func realWorks(base string) bool {
	resp, err := http.Post(base+"/api/v1/run", "application/json", strings.NewReader(`{"engine":"real","source":"int main(void) { return 0; }"}`))
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	b := new(strings.Builder)
	_, err = io.Copy(b, resp.Body)
	return err == nil && resp.StatusCode == http.StatusOK && strings.Contains(b.String(), `"type":"exit"`) && strings.Contains(b.String(), `"status":0`)
}
