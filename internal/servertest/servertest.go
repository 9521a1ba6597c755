// Package servertest runs the playground server as its users do, as a
// child process of a test: the binary built once per test binary, started
// on a free port, its log kept, and killed when the test ends. The attack
// suite and the replica tests share it.
package servertest

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Build builds cmd/playground into a new temporary directory and returns
// the binary's path and a function that removes it. A TestMain calls it
// once.
func Build() (bin string, remove func(), err error) {
	dir, err := os.MkdirTemp("", "servertest")
	if err != nil {
		return "", nil, err
	}
	bin = filepath.Join(dir, "playground")
	build := exec.Command("go", "build", "-o", bin, "github.com/mmapplayground/playground/cmd/playground")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		os.RemoveAll(dir)
		return "", nil, fmt.Errorf("building the server: %w", err)
	}
	return bin, func() { os.RemoveAll(dir) }, nil
}

// Server is one playground server in a child process.
type Server struct {
	Name string
	Base string // http://127.0.0.1:PORT
	Host string // 127.0.0.1:PORT
	Cmd  *exec.Cmd
	Logs *Log
	// Exited is closed when the process has ended; Err is then cmd.Wait's.
	Exited chan struct{}
	Err    error
}

// listenWait bounds how long a server may take to listen.
const listenWait = time.Minute

// Start starts `bin serve --addr 127.0.0.1:0` with CleanEnv plus env and
// waits for it to say where it listens. The test's cleanup kills it if it
// still runs, and logs its log if the test failed. A test that wants to
// stop it otherwise registers its own cleanup after Start (cleanups run
// last registered first).
func Start(t testing.TB, name, bin string, env ...string) *Server {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0")
	cmd.Env = append(CleanEnv(), env...)
	s := &Server{Name: name, Cmd: cmd, Logs: &Log{}, Exited: make(chan struct{})}
	cmd.Stderr = s.Logs
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
	go func() { s.Err = cmd.Wait(); close(s.Exited) }()
	select {
	case s.Base = <-listening:
	case <-s.Exited:
		t.Fatalf("%s ended before listening: %v\n%s", name, s.Err, s.Logs)
	case <-time.After(listenWait):
		cmd.Process.Kill()
		t.Fatalf("%s did not listen within %v:\n%s", name, listenWait, s.Logs)
	}
	s.Host = strings.TrimPrefix(s.Base, "http://")
	t.Cleanup(func() {
		select {
		case <-s.Exited:
		default:
			cmd.Process.Kill()
			<-s.Exited
		}
		if t.Failed() {
			t.Logf("%s's log:\n%s", name, Tail(s.Logs.String(), 20000))
		}
	})
	return s
}

// CleanEnv is this process's environment without the settings a server
// reads (PLAYGROUND_*, GOMEMLIMIT), so each test states its own.
func CleanEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PLAYGROUND_") && !strings.HasPrefix(kv, "GOMEMLIMIT=") {
			out = append(out, kv)
		}
	}
	return out
}

// maxLog is how much of a server's log a Log keeps: enough to say what
// happened, bounded however much the server writes.
const maxLog = 1 << 20

// Log is a server's standard error, safe to read while it is written.
type Log struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *Log) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.b.Len() > maxLog {
		return len(p), nil
	}
	return l.b.Write(p)
}

func (l *Log) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Tail is the last n bytes of s, marked as cut when it is.
func Tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}
