package replicas

import (
	"bufio"
	"bytes"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// serverBin is the playground binary the tests start, built once.
var serverBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "replicas")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	serverBin = filepath.Join(dir, "playground")
	build := exec.Command("go", "build", "-o", serverBin, "github.com/mmapplayground/playground/cmd/playground")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "replicas: building the server:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// replica is one playground server in a child process.
type replica struct {
	name   string
	base   string // http://127.0.0.1:PORT
	host   string // 127.0.0.1:PORT
	cmd    *exec.Cmd
	logs   *lockedBuffer
	exited chan struct{}
	err    error // cmd.Wait's, once exited is closed
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.b.Len() > 1<<20 {
		return len(p), nil
	}
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

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
	cmd := exec.Command(serverBin, "serve", "--addr", "127.0.0.1:0")
	cmd.Env = append(append(cleanEnv(), replicaEnv...), env...)
	r := &replica{name: name, cmd: cmd, logs: &lockedBuffer{}, exited: make(chan struct{})}
	cmd.Stderr = r.logs
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	listening := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if _, url, ok := strings.Cut(sc.Text(), " on "); ok {
				select {
				case listening <- strings.TrimSuffix(url, "/"):
				default:
				}
			}
		}
	}()
	go func() { r.err = cmd.Wait(); close(r.exited) }()
	select {
	case r.base = <-listening:
	case <-r.exited:
		t.Fatalf("%s ended before listening: %v\n%s", name, r.err, r.logs)
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("%s did not listen within a minute:\n%s", name, r.logs)
	}
	r.host = strings.TrimPrefix(r.base, "http://")
	t.Cleanup(func() {
		select {
		case <-r.exited:
		default:
			cmd.Process.Kill()
			<-r.exited
		}
		if t.Failed() {
			t.Logf("%s's log:\n%s", name, r.logs)
		}
	})
	return r
}

func (r *replica) signal(t *testing.T, sig syscall.Signal) {
	t.Helper()
	if err := r.cmd.Process.Signal(sig); err != nil {
		t.Fatalf("%s: %v", r.name, err)
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

func cleanEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PLAYGROUND_") && !strings.HasPrefix(kv, "GOMEMLIMIT=") {
			out = append(out, kv)
		}
	}
	return out
}
