package replicas

import (
	"fmt"
	"net/http"
	"os"
	"syscall"
	"testing"

	"github.com/mmapplayground/playground/internal/servertest"
)

// serverBin is the playground binary the tests start, built once.
var serverBin string

func TestMain(m *testing.M) {
	bin, remove, err := servertest.Build()
	if err != nil {
		fmt.Fprintln(os.Stderr, "replicas:", err)
		os.Exit(1)
	}
	serverBin = bin
	code := m.Run()
	remove()
	os.Exit(code)
}

// replica is one playground server in a child process.
type replica struct{ *servertest.Server }

// replicaEnv are the settings of a classroom replica under test: a
// classroom behind one proxy is one client address.
var replicaEnv = []string{
	"PLAYGROUND_MAX_SESSIONS_PER_CLIENT=-1",
	"PLAYGROUND_STREAMS_PER_CLIENT=-1",
	"PLAYGROUND_REQUEST_RATE=-1",
	"PLAYGROUND_MAX_RUNS_PER_CLIENT=-1",
	"PLAYGROUND_LOG=json",
}

// startReplica starts the server binary and waits for it to listen; the
// test's cleanup kills it if it still runs.
func startReplica(t *testing.T, name string, env ...string) *replica {
	t.Helper()
	return &replica{servertest.Start(t, name, serverBin, append(replicaEnv, env...)...)}
}

func (r *replica) signal(t *testing.T, sig syscall.Signal) {
	t.Helper()
	if err := r.Cmd.Process.Signal(sig); err != nil {
		t.Fatalf("%s: %v", r.Name, err)
	}
}

// status is GET path's status code (0 if no answer).
func status(base, path string) int {
	resp, err := http.Get(base + path)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}
