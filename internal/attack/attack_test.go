//go:build linux

package attack

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/mmapplayground/playground/internal/loadavg"
	"github.com/mmapplayground/playground/internal/servertest"
	"golang.org/x/sys/unix"
	"sigs.k8s.io/yaml"
)

// serverEnv is the server's settings: the compose file's
// (docker-compose.yml's environment, read from it), but for a shorter run
// time, which bounds how long the suite takes, and a per-client stream
// cap (the compose file has none, for a class behind one NAT), which the
// stream attack tests.
var serverEnv = composeEnv(map[string]string{
	"PLAYGROUND_LOG":                "json",
	"PLAYGROUND_RUN_TIME":           runTime.String(),
	"PLAYGROUND_STREAMS_PER_CLIENT": "64",
})

// composeEnv is docker-compose.yml's PLAYGROUND_* settings for its
// playground service, with over's in their place. A value compose
// interpolates from the shell (${VAR:-}) is left out: the server's
// default.
func composeEnv(over map[string]string) []string {
	data, err := os.ReadFile("../../docker-compose.yml")
	if err != nil {
		panic(err)
	}
	var c struct {
		Services map[string]struct {
			Environment map[string]string `json:"environment"`
		} `json:"services"`
	}
	if err := yaml.Unmarshal(data, &c); err != nil {
		panic(fmt.Sprintf("docker-compose.yml: %v", err))
	}
	env := c.Services["playground"].Environment
	if len(env) == 0 {
		panic("docker-compose.yml: no environment for the playground service")
	}
	var out []string
	for k, v := range env {
		if _, ok := over[k]; ok || !strings.HasPrefix(k, "PLAYGROUND_") || strings.Contains(v, "${") || k == "PLAYGROUND_ADDR" {
			continue
		}
		out = append(out, k+"="+v)
	}
	for k, v := range over {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

const (
	// memCap is the compose file's memory limit: what the server's
	// RLIMIT_AS lets it grow by (capMemory).
	memCap = 2 << 30
	// runTime is the server's run-time limit in these tests.
	runTime = 3 * time.Second
	// grace is what an answer may take beyond its limit: the run's last
	// events, a loaded machine.
	grace = 3 * time.Second
	// outputLimit is PLAYGROUND_OUTPUT_BYTES.
	outputLimit = 1 << 20
)

var (
	serverBin string
	peakMu    sync.Mutex
	peakRSS   uint64 // the largest VmHWM any server reached, in KiB
	peakName  string
)

func TestMain(m *testing.M) {
	bin, remove, err := servertest.Build()
	if err != nil {
		fmt.Fprintln(os.Stderr, "attack:", err)
		os.Exit(1)
	}
	serverBin = bin
	code := m.Run()
	if peakRSS > 0 {
		fmt.Printf("attack: the largest server peak RSS was %d MiB (%s)\n", peakRSS>>10, peakName)
	}
	remove()
	os.Exit(code)
}

// server is one playground server in a child process.
type server struct {
	*servertest.Server
	client *http.Client
}

// startServer starts the server binary under the memory cap and waits for
// it to listen. The test's cleanup records its peak RSS and stops it; a
// server that ended before that fails the test.
func startServer(t *testing.T, env ...string) *server {
	t.Helper()
	s := &server{Server: servertest.Start(t, "the server", serverBin, append(serverEnv, env...)...)}
	capMemory(t, s.Cmd.Process.Pid)
	s.client = &http.Client{Timeout: 60 * time.Second}
	t.Cleanup(func() { s.stop(t) })
	return s
}

// capMemory gives the listening server memCap of address space to grow
// by (RLIMIT_AS): the Go runtime reserves about 1.8 GiB it never touches
// at start, so a cap of 2 GiB in all would leave it a few hundred MiB, far
// less than the compose file's 2 GiB of memory; 2 GiB above what it holds
// when it listens is as close as an rlimit comes to that cgroup. (A memory
// cgroup would be closer; this test does not make cgroups.)
func capMemory(t *testing.T, pid int) {
	t.Helper()
	size := vmSize(pid)
	if size == 0 {
		t.Fatalf("no VmSize for the server")
	}
	lim := unix.Rlimit{Cur: size + memCap, Max: size + memCap}
	if err := unix.Prlimit(pid, unix.RLIMIT_AS, &lim, nil); err != nil {
		t.Fatalf("prlimit RLIMIT_AS: %v", err)
	}
}

// vmSize is a process's address space now, in bytes.
func vmSize(pid int) uint64 { return statusKB(pid, "VmSize:") << 10 }

func (s *server) stop(t *testing.T) {
	select {
	case <-s.Exited:
		t.Errorf("the server ended during the test (%v); its log says:\n%s", s.Cmd.ProcessState, crash(s.Logs.String()))
		return
	default:
	}
	if kb := vmHWM(s.Cmd.Process.Pid); kb > 0 {
		t.Logf("server peak RSS %d MiB", kb>>10)
		peakMu.Lock()
		if kb > peakRSS {
			peakRSS, peakName = kb, t.Name()
		}
		peakMu.Unlock()
	}
	s.Cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.Exited:
	case <-time.After(20 * time.Second):
		s.Cmd.Process.Kill()
		<-s.Exited
		t.Errorf("the server did not stop within 20 s of SIGTERM")
	}
}

// crash is the part of a log that says why the process ended: from a
// Go runtime's fatal error or panic on, else the end.
func crash(log string) string {
	for _, mark := range []string{"fatal error:", "panic:", "runtime: out of memory"} {
		if i := strings.Index(log, mark); i >= 0 {
			return log[max(i-200, 0):min(i+3000, len(log))]
		}
	}
	return servertest.Tail(log, 3000)
}

// vmHWM is a process's peak resident set, in KiB.
func vmHWM(pid int) uint64 { return statusKB(pid, "VmHWM:") }

// statusKB is a kB field of /proc/PID/status.
func statusKB(pid int, field string) uint64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field); ok {
			n, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return 0
}

// request is one HTTP request to the server, as a browser or script on
// the same host sends it unless header says otherwise.
func (s *server) request(t *testing.T, method, path string, body any, header ...string) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.Base+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		if header[i] == "Host" {
			req.Host = header[i+1]
			continue
		}
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := s.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v (server log: %s)", method, path, err, servertest.Tail(s.Logs.String(), 2000))
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// healthy asserts that /healthz answers "ok" at once.
func (s *server) healthy(t *testing.T) {
	t.Helper()
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(s.Base + "/healthz")
	if err != nil {
		t.Fatalf("/healthz: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/healthz: %s", resp.Status)
	}
}

// innocentSource checks its own work: exit status 0 means every byte it
// wrote to its mapping read back as written.
const innocentSource = `#include <stdio.h>
#include <sys/mman.h>
int main(void) {
	long n = 256;
	char *p = mmap(0, n * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long sum = 0, want = 0;
	for (int r = 0; r < 8; r++)
		for (long i = 0; i < n; i++) {
			p[i * 4096] = (char)(i + r);
			want += (char)(i + r);
		}
	for (long i = 0; i < n; i++)
		sum += p[i * 4096];
	long last = 0;
	for (long i = 0; i < n; i++)
		last += (char)(i + 7);
	printf("innocent %ld\n", sum);
	return sum == last ? 0 : 3;
}
`

// innocent is a session started before an attack.
type innocent struct {
	s  *server
	id string
}

func (s *server) innocent(t *testing.T) *innocent {
	t.Helper()
	code, b := s.request(t, "POST", "/api/v1/sessions", map[string]any{})
	if code != http.StatusCreated {
		t.Fatalf("creating the innocent session: %d %s", code, b)
	}
	var c struct{ ID string }
	json.Unmarshal(b, &c)
	in := &innocent{s: s, id: c.ID}
	in.run(t)
	return in
}

func (in *innocent) run(t *testing.T) {
	t.Helper()
	code, b := in.s.request(t, "POST", "/api/v1/sessions/"+in.id+"/run", map[string]any{"source": innocentSource})
	if code != http.StatusAccepted {
		t.Fatalf("running the innocent program: %d %s", code, b)
	}
}

// finish asserts that the innocent run ended with status 0, and that a
// new run in the same session does too.
func (in *innocent) finish(t *testing.T) {
	t.Helper()
	in.wait(t)
	in.run(t)
	in.wait(t)
}

func (in *innocent) wait(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		code, b := in.s.request(t, "GET", "/api/v1/sessions/"+in.id, nil)
		if code != http.StatusOK {
			t.Fatalf("the innocent session: %d %s", code, b)
		}
		var info struct {
			Run *struct {
				State  string
				Error  string
				Result *struct{ Status int }
			}
		}
		json.Unmarshal(b, &info)
		if info.Run != nil && info.Run.State == "exited" {
			if info.Run.Result == nil || info.Run.Result.Status != 0 || info.Run.Error != "" {
				t.Fatalf("the innocent run did not finish correctly: %s", b)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the innocent run did not finish within a minute: %s", b)
		}
		time.Sleep(50 * time.Millisecond) // polling a condition, bounded above
	}
}

// outcome is what a one-shot run told its client.
type outcome struct {
	status  int    // HTTP status
	body    []byte // the body when it is not a stream
	errors  []string
	exit    *int
	stdout  int // bytes of stdout and stderr events
	summary string
	// errorAt is when the first error event arrived, from the request.
	errorAt time.Duration
}

// runOnce posts a one-shot run and reads its NDJSON stream to the end.
func (s *server) runOnce(t *testing.T, body map[string]any) outcome {
	t.Helper()
	b, _ := json.Marshal(body)
	start := time.Now()
	req, _ := http.NewRequest("POST", s.Base+"/api/v1/run", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.client.Do(req)
	if err != nil {
		t.Fatalf("POST /api/v1/run: %v; the server's log ends: %s", err, servertest.Tail(s.Logs.String(), 3000))
	}
	defer resp.Body.Close()
	o := outcome{status: resp.StatusCode}
	if resp.StatusCode != http.StatusOK {
		o.body, _ = io.ReadAll(resp.Body)
		o.summary = fmt.Sprintf("HTTP %d %s", resp.StatusCode, o.body)
		return o
	}
	dec := json.NewDecoder(resp.Body)
	var parts []string
	for {
		var e struct {
			Type    string
			Message string
			Text    string
			Status  int
			Line    int
			Col     int
		}
		if err := dec.Decode(&e); err != nil {
			if err != io.EOF {
				parts = append(parts, "stream broke: "+err.Error())
			}
			break
		}
		switch e.Type {
		case "error":
			if o.errors == nil {
				o.errorAt = time.Since(start)
			}
			o.errors = append(o.errors, e.Message)
			parts = append(parts, fmt.Sprintf("error %d:%d %s", e.Line, e.Col, e.Message))
		case "stdout", "stderr":
			o.stdout += len(e.Text)
		case "exit":
			st := e.Status
			o.exit = &st
			parts = append(parts, fmt.Sprintf("exit=%d", st))
		}
	}
	o.summary = strings.Join(parts, "; ")
	return o
}

// attack is one row of the table.
type attack struct {
	name string
	// within is how long the offender may wait for its answer.
	within time.Duration
	do     func(t *testing.T, s *server)
	// env adds server settings.
	env []string
}

// program is an attack by one C program in a one-shot run: its stream must
// end with an exit event, and what it said (its error events and exit
// status, "error L:C MSG; exit=N") must match want.
func program(src, want string) func(t *testing.T, s *server) {
	return programOn("sim", src, want)
}

func programOn(engineName, src, want string) func(t *testing.T, s *server) {
	re := regexp.MustCompile(want)
	return func(t *testing.T, s *server) {
		o := s.runOnce(t, map[string]any{"engine": engineName, "source": src})
		if o.status == http.StatusServiceUnavailable && engineName != "sim" && strings.Contains(o.summary, `"unsupported"`) {
			t.Skipf("this host cannot run the real engine: %s", o.summary)
		}
		if o.status != http.StatusOK {
			t.Fatalf("refused: %s", o.summary)
		}
		if o.exit == nil {
			t.Fatalf("the stream ended without an exit event: %s", o.summary)
		}
		if strings.Contains(o.summary, "internal") {
			t.Fatalf("an internal error: %s", o.summary)
		}
		if !re.MatchString(o.summary) {
			t.Fatalf("the run said %q; want %s", o.summary, want)
		}
		// The error that names the limit comes in the run's time; the
		// rest of the stream (millions of events, for a fork loop) as
		// fast as this client reads it.
		if bound := onThisMachine(t, errorWithin); o.errors != nil && o.errorAt > bound {
			t.Errorf("the error came %v after the request; want within %v", o.errorAt.Round(time.Millisecond), bound)
		}
		if o.stdout > outputLimit+4096 {
			t.Fatalf("the run printed %d bytes past a %d-byte output limit", o.stdout, outputLimit)
		}
		t.Logf("answered: %.300s", o.summary)
	}
}

// refused is an attack by one request, answered with status and a JSON
// error whose message matches want.
func refused(method, path string, body any, status int, want string, header ...string) func(t *testing.T, s *server) {
	re := regexp.MustCompile(want)
	return func(t *testing.T, s *server) {
		code, b := s.request(t, method, path, body, header...)
		var e struct {
			Error struct{ Code, Message string }
		}
		if code != status || json.Unmarshal(b, &e) != nil || !re.MatchString(e.Error.Message) {
			t.Fatalf("%s %s: %d %s; want %d and a JSON error matching %s", method, path, code, b, status, want)
		}
		t.Logf("answered: %d %s", code, bytes.TrimSpace(b))
	}
}

func TestAttacks(t *testing.T) {
	for _, a := range attacks {
		t.Run(a.name, func(t *testing.T) {
			t.Parallel()
			s := startServer(t, a.env...)
			in := s.innocent(t)
			start := time.Now()
			a.do(t, s)
			if took, bound := time.Since(start), onThisMachine(t, a.within); took > bound {
				t.Errorf("the attack was answered in %v; want within %v", took.Round(time.Millisecond), bound)
			}
			s.healthy(t)
			in.finish(t)
			s.healthy(t)
		})
	}
}

// onThisMachine is a bound d set for an idle machine, stretched by how
// loaded this one is now (loadavg.Stretch: 3 s becomes 30 s at load 20 on
// two cores, where the server's threads get a tenth of the time they
// would). On an idle machine the bound is d itself; a loaded one still
// catches a limit that does not hold at all.
func onThisMachine(t *testing.T, d time.Duration) time.Duration {
	if s := loadavg.Slowdown(); s > 1 {
		t.Logf("the machine is loaded: bounds stretched %.1fx", s)
	}
	return loadavg.Stretch(d)
}

// inRun is the time a run over its limit may take to be told so.
const inRun = runTime + grace

// errorWithin is when a run's error event must have come (the real
// engine's runs come after the model's, on both).
const errorWithin = 2*runTime + grace

var attacks = []attack{
	{
		name:   "write 1 TiB from the stack to stdout",
		within: inRun,
		do: program(`#include <stdio.h>
#include <unistd.h>
int main(void) {
	char c = 'x';
	long n = write(1, &c, 1L << 40);
	fprintf(stderr, "\nwrote %ld\n", n);
	return 0;
}`, `exit=0|output limit`),
	},
	{
		name:   "read 1 TiB of /dev/zero into 16 bytes",
		within: inRun,
		do: program(`#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <unistd.h>
int main(void) {
	char *b = malloc(16);
	int fd = open("/dev/zero", O_RDONLY);
	long n = read(fd, b, 1L << 40);
	printf("read %ld\n", n);
	return 0;
}`, `exit=0`),
	},
	{
		name:   "read a 1 TiB sparse file with a 1 TiB count",
		within: inRun,
		do: program(`#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <unistd.h>
int main(void) {
	char *b = malloc(16);
	int fd = open("big", O_RDWR | O_CREAT, 0644);
	ftruncate(fd, 1L << 40);
	long n = read(fd, b, 1L << 40);
	printf("read %ld\n", n);
	return 0;
}`, `exit=0`),
	},
	{
		name:   "pwrite at 1 TiB, then sleep through writeback",
		within: inRun,
		do: program(`#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
int main(void) {
	int fd = open("big", O_RDWR | O_CREAT, 0644);
	long n = pwrite(fd, "x", 1, 1L << 40);
	sleep(60);
	printf("wrote %ld\n", n);
	return 0;
}`, `exit=0`),
	},
	{
		name:   "mincore over 2^47 bytes",
		within: inRun,
		do: program(`#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
int main(void) {
	unsigned char *v = malloc(16);
	char *p = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int r = mincore(p, 1L << 47, v);
	printf("mincore %d\n", r);
	return 0;
}`, `exit=0`),
	},
	{
		name:   "the same through POST /sessions/{id}/syscall",
		within: 4 * grace,
		do:     syscallAttack,
	},
	{
		name:   "a macro whose argument doubles 30 times",
		within: inRun,
		do: program(`#define D(x) x x
#define E(x) D(D(D(D(D(x)))))
#define F(x) E(E(E(E(E(E(x))))))
int main(void) { F(;) return 0; }`, `error \d+:\d+ .*(macro|expansion)`),
	},
	{
		name:   "600 initialised 16 MiB globals",
		within: inRun,
		do:     program(manyGlobals(600), `error \d+:\d+ .*(data|globals|too large)`),
	},
	{
		name:   "a fault loop on both engines",
		within: 2*runTime + grace, // the model's run, then the kernel's
		do: programOn("both", `#include <sys/mman.h>
int main(void) {
	unsigned long n = 64UL << 20;
	for (;;) {
		char *p = mmap(0, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		for (unsigned long i = 0; i < n; i += 4096)
			p[i] = 1;
		munmap(p, n);
	}
}`, `error .*(time limit|memory)`),
	},
	{
		name:   "1.5 GiB memset twice",
		within: inRun,
		do: program(`#include <string.h>
#include <sys/mman.h>
int main(void) {
	unsigned long n = 3UL << 29;
	char *p = mmap(0, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(p, 1, n);
	memset(p, 2, n);
	return p[n - 1] == 2 ? 0 : 3;
}`, `exit=0|time limit|memory`),
	},
	{
		name:   "write a 4 GiB file",
		within: inRun,
		do: program(`#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
int main(void) {
	char *b = malloc(1 << 20);
	memset(b, 7, 1 << 20);
	int fd = open("big", O_RDWR | O_CREAT, 0644);
	for (int i = 0; i < 4096; i++)
		if (write(fd, b, 1 << 20) != 1 << 20)
			return 3;
	return 0;
}`, `exit=0|time limit|memory`),
	},
	{
		name: "a fork loop",
		// Its error comes in its time; its stream is 2 million events,
		// which this client decodes slowly on a loaded machine.
		within: time.Minute,
		do: program(`#include <unistd.h>
int main(void) { for (;;) fork(); }`, `time limit|step limit|memory|processes`),
	},
	{
		name:   "256 MiB memsets past the time limit",
		within: inRun,
		do: program(`#include <string.h>
#include <sys/mman.h>
int main(void) {
	unsigned long n = 256UL << 20;
	char *p = mmap(0, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (int i = 0;; i++)
		memset(p, i, n);
}`, `error .*(time limit|step limit|memory)`),
	},
	{
		name:   "DELETE during a run",
		within: inRun,
		do:     deleteDuringRun,
	},
	{
		name:   "a long compile ended by DELETE and by its client going",
		within: time.Minute,
		do:     cancelCompile,
		// A program big enough to compile for seconds.
		env: []string{"PLAYGROUND_PROGRAM_BYTES=1M", "PLAYGROUND_BODY_BYTES=2M"},
	},
	{
		// Each level's argument was held while the next expanded its own:
		// out of memory in seconds.
		name:   "a macro's argument nested 40,000 deep",
		within: inRun,
		do: program("#define F(x) x\nint main(void) { return "+strings.Repeat("F(", 40000)+"0"+strings.Repeat(")", 40000)+"; }\n",
			// A loaded machine may reach the time limit first.
			`^error (2:\d+ macro expansion of "F" is too large|0:0 time limit exceeded while compiling)`),
	},
	{
		// Each conditional typed its arms by compiling them again: 2^200.
		name:   "200 nested conditionals",
		within: inRun,
		do:     program("int main(int c, char **v) { return "+strings.Repeat("c == 0 ? 1 : ", 200)+"0; }\n", `^exit=0$`),
	},
	{
		name:   "64 sessions compiling a 256 KiB program at once",
		within: time.Minute,
		do:     manyCompiles,
	},
	{
		name:   "40k uses of an empty macro",
		within: inRun,
		do:     program("#define E\nint main(void) {\n"+strings.Repeat("E ", 40000)+"\nreturn 0; }\n", `^exit=0$`),
	},
	{
		name:   "sleep(4e9)",
		within: grace,
		do: program(`#include <unistd.h>
int main(void) { sleep(4000000000u); return 0; }`, `^exit=0$`),
	},
	{
		name:   "sleeps that would wrap the clock past 2^64 ns",
		within: grace,
		do: program(`#include <unistd.h>
#include <stdio.h>
int main(void) {
	for (int i = 0; i < 6; i++)
		sleep(4294967295u);
	printf("awake\n");
	return 0;
}`, `^exit=0$`),
	},
	{
		name:   "nanosleeps near 2^64 ns through POST /sessions/{id}/syscall",
		within: 2 * grace,
		do:     clockWrapSyscalls,
	},
	{
		name:   "writeback_interval_ns: 1",
		within: grace,
		do:     refused("POST", "/api/v1/sessions", map[string]any{"options": map[string]any{"writeback_interval_ns": 1}}, http.StatusBadRequest, `writeback_interval`),
	},
	{
		name:   "writeback_interval_ns: 1 in a one-shot run",
		within: grace,
		do: refused("POST", "/api/v1/run", map[string]any{"source": "int main(void){return 0;}",
			"options": map[string]any{"writeback_interval_ns": 1}}, http.StatusBadRequest, `writeback_interval`),
	},
	{
		name:   "a 16 MiB write against a 1 MiB output limit",
		within: inRun,
		do: program(`#include <stdlib.h>
#include <string.h>
#include <unistd.h>
int main(void) {
	char *b = malloc(16 << 20);
	memset(b, 'a', 16 << 20);
	write(1, b, 16 << 20);
	return 0;
}`, `output limit`),
	},
	{
		name: "20k websocket streams",
		// Twenty thousand handshakes, most refused: seconds on an idle
		// machine, a minute at a load average of 40.
		within: 3 * time.Minute,
		do:     manyStreams,
	},
	{
		name:   "a real one-shot run whose client never reads",
		within: 2*runTime + grace,
		do:     unreadRealRun,
	},
	{
		// The program runs as the server's user: the kernel's same-user
		// checks alone would let it kill the server and every other
		// session's worker, or take their file limits away.
		name:   "a real program signalling and limiting every process of its user",
		within: inRun,
		do: programOn("real", `#include <signal.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>
int main(void) {
	struct rlimit none = {0, 0};
	kill(-1, SIGKILL);
	signal(SIGTERM, SIG_IGN);
	kill(0, SIGTERM); /* its process group: the worker's */
	kill(getppid(), SIGKILL);
	for (pid_t pid = 1; pid < 1 << 16; pid++)
		if (pid != getpid()) {
			kill(pid, SIGKILL);
			prlimit(pid, RLIMIT_NOFILE, &none, NULL);
			setpriority(PRIO_PROCESS, pid, 19);
		}
	setpriority(PRIO_USER, 0, 19);
	printf("still here\n");
	return 0;
}`, `exit=0`),
	},
	{
		name:   "a real run filling the disk with files",
		within: inRun,
		env:    []string{"PLAYGROUND_REAL_DISK_BYTES=16M"},
		do: programOn("real", `#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
int main(void) {
	char *b = malloc(1 << 20);
	memset(b, 7, 1 << 20);
	char name[32];
	for (int f = 0;; f++) {
		snprintf(name, sizeof name, "f%d", f);
		int fd = open(name, O_WRONLY | O_CREAT, 0644);
		for (int i = 0; i < 8; i++)
			write(fd, b, 1 << 20);
		close(fd);
	}
}`, `error .*disk quota exceeded`),
	},
	{
		name:   "one client taking every run slot",
		within: inRun,
		env:    []string{"PLAYGROUND_MAX_RUNS_PER_CLIENT=8"},
		do:     allRunSlots,
	},
	{
		name:   "a request flood from one client",
		within: 30 * time.Second,
		env:    []string{"PLAYGROUND_REQUEST_RATE=50"},
		do:     requestFlood,
	},
	{
		name:   "a cross-origin text/plain POST",
		within: grace,
		do: refused("POST", "/api/v1/run", nil, http.StatusForbidden, `(?i)origin`,
			"Content-Type", "text/plain", "Origin", "http://evil.example", "Sec-Fetch-Site", "cross-site"),
	},
	{
		name:   "a text/plain POST",
		within: grace,
		do:     textPlainPost,
	},
	{
		name:   "a foreign Host header",
		within: grace,
		do:     foreignHost,
	},
}

func manyGlobals(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "char g%d[16 << 20] = {1};\n", i)
	}
	b.WriteString("int main(void) { return g0[0] - 1; }\n")
	return b.String()
}

// session creates a session and returns its id.
func (s *server) session(t *testing.T) string {
	t.Helper()
	code, b := s.request(t, "POST", "/api/v1/sessions", map[string]any{})
	if code != http.StatusCreated {
		t.Fatalf("creating a session: %d %s", code, b)
	}
	var c struct{ ID string }
	json.Unmarshal(b, &c)
	return c.ID
}

type sysAnswer struct {
	Ret    int64
	Errno  string
	Signal string
}

// call makes one system call in session id; it must be answered 200.
func (s *server) call(t *testing.T, id, name, path string, args ...int64) sysAnswer {
	t.Helper()
	start := time.Now()
	code, b := s.request(t, "POST", "/api/v1/sessions/"+id+"/syscall", map[string]any{"name": name, "args": args, "path": path})
	if code != http.StatusOK {
		t.Fatalf("%s%v: %d %s", name, args, code, b)
	}
	var a sysAnswer
	json.Unmarshal(b, &a)
	t.Logf("%s%v = %d %s %s (%v)", name, args, a.Ret, a.Errno, a.Signal, time.Since(start).Round(time.Millisecond))
	return a
}

func syscallAttack(t *testing.T, s *server) {
	id := s.session(t)
	buf := s.call(t, id, "mmap", "", 0, 4096, 3, 34, -1, 0).Ret
	if buf <= 0 {
		t.Fatalf("mmap failed")
	}
	s.call(t, id, "write", "", 1, buf, 1<<40)
	zero := s.call(t, id, "open", "/dev/zero", 0, 0, 0).Ret
	s.call(t, id, "read", "", zero, buf, 1<<40)
	fd := s.call(t, id, "open", "big", 0, 0102, 0644).Ret
	s.call(t, id, "ftruncate", "", fd, 1<<40)
	s.call(t, id, "read", "", fd, buf, 1<<40)
	s.call(t, id, "pwrite64", "", fd, buf, 1, 1<<40)
	s.call(t, id, "nanosleep", "", 60e9)
	s.call(t, id, "mincore", "", buf, 1<<47, buf)
	s.call(t, id, "mincore", "", 0, 1<<47, buf)
}

func clockWrapSyscalls(t *testing.T, s *server) {
	id := s.session(t)
	s.call(t, id, "nanosleep", "", 1<<63-1)
	s.call(t, id, "nanosleep", "", 1<<63-1)
	s.call(t, id, "nanosleep", "", 1<<63-1)
	code, b := s.request(t, "GET", "/api/v1/sessions/"+id+"/state", nil)
	if code != http.StatusOK {
		t.Fatalf("state after the sleeps: %d %s", code, b)
	}
	code, _ = s.request(t, "DELETE", "/api/v1/sessions/"+id, nil)
	if code != http.StatusNoContent {
		t.Fatalf("DELETE after the sleeps: %d", code)
	}
}

// deleteDuringRun deletes a session while its program runs long builtins;
// the DELETE must be answered at once and the program must stop.
func deleteDuringRun(t *testing.T, s *server) {
	id := s.session(t)
	src := `#include <string.h>
#include <sys/mman.h>
int main(void) {
	unsigned long n = 256UL << 20;
	char *p = mmap(0, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (int i = 0;; i++)
		memset(p, i, n);
}`
	code, b := s.request(t, "POST", "/api/v1/sessions/"+id+"/run", map[string]any{"source": src})
	if code != http.StatusAccepted {
		t.Fatalf("run: %d %s", code, b)
	}
	waitMetric(t, s, "playground_runs_active", func(v float64) bool { return v >= 1 })
	start := time.Now()
	code, _ = s.request(t, "DELETE", "/api/v1/sessions/"+id, nil)
	if code != http.StatusNoContent {
		t.Fatalf("DELETE: %d", code)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("DELETE took %v", d)
	}
	// The innocent's run is over by now or soon; the deleted one must end
	// well before its time limit would have ended it.
	waitMetricWithin(t, s, "playground_runs_active", func(v float64) bool { return v == 0 }, runTime/2)
}

// cancelCompile starts a program that takes seconds to compile (a
// megabyte of statements), in a session and then in a one-shot run, and
// ends it while it compiles: by DELETE, and by the client closing its
// connection. The run must end at once, not when its compile would have
// finished.
func cancelCompile(t *testing.T, s *server) {
	var b strings.Builder
	b.WriteString("int g(int x) { return x; }\nint main(void) {\n\tint x = 0;\n")
	for b.Len() < 1000<<10 {
		b.WriteString("\tx = g(x);\n")
	}
	b.WriteString("\treturn x;\n}\n")
	src := b.String()
	// The innocent's run first ends, so that the runs counted are this one.
	waitMetric(t, s, "playground_runs_active", func(v float64) bool { return v == 0 })

	id := s.session(t)
	code, body := s.request(t, "POST", "/api/v1/sessions/"+id+"/run", map[string]any{"source": src})
	if code != http.StatusAccepted {
		t.Fatalf("run: %d %s", code, body)
	}
	waitMetric(t, s, "playground_runs_active", func(v float64) bool { return v >= 1 })
	code, _ = s.request(t, "DELETE", "/api/v1/sessions/"+id, nil)
	if code != http.StatusNoContent {
		t.Fatalf("DELETE: %d", code)
	}
	waitMetricWithin(t, s, "playground_runs_active", func(v float64) bool { return v == 0 }, runTime/2)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	js, _ := json.Marshal(map[string]any{"source": src})
	req, _ := http.NewRequestWithContext(ctx, "POST", s.Base+"/api/v1/run", bytes.NewReader(js))
	req.Header.Set("Content-Type", "application/json")
	done := make(chan struct{})
	go func() {
		defer close(done)
		if resp, err := s.client.Do(req); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}()
	waitMetric(t, s, "playground_runs_active", func(v float64) bool { return v >= 1 })
	cancel()
	<-done
	waitMetricWithin(t, s, "playground_runs_active", func(v float64) bool { return v == 0 }, runTime/2)
}

// manyCompiles starts, at once, 64 session runs of a program as large as
// the limit allows and slow to compile: each compile holds a hundred MiB
// or so while it works, which no run's budget counts, so the server
// compiles a few at a time (--max-compiles).
func manyCompiles(t *testing.T, s *server) {
	var b strings.Builder
	b.WriteString("int g(int x) { return x; }\nint main(void) {\n\tint x = 0;\n")
	for b.Len() < 250<<10 {
		b.WriteString("\tx = g(x);\n")
	}
	b.WriteString("\treturn x != 0;\n}\n")
	src := b.String()
	const n = 64
	ids := make([]string, n)
	for i := range ids {
		ids[i] = s.session(t)
	}
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code, body := s.request(t, "POST", "/api/v1/sessions/"+id+"/run", map[string]any{"source": src})
			if code != http.StatusAccepted && code != http.StatusServiceUnavailable {
				t.Errorf("run: %d %s", code, body)
			}
		}()
	}
	wg.Wait()
	waitMetric(t, s, "playground_runs_active", func(v float64) bool { return v == 0 })
	// --max-compiles (4) compiles at once hold a few hundred MiB; 64 held
	// one and a half GiB.
	if hwm := vmHWM(s.Cmd.Process.Pid) << 10; hwm > 1<<30 {
		t.Errorf("the server's peak RSS was %d MiB; want under 1 GiB", hwm>>20)
	}
}

func waitMetric(t *testing.T, s *server, name string, ok func(float64) bool) {
	t.Helper()
	waitMetricWithin(t, s, name, ok, 30*time.Second)
}

func waitMetricWithin(t *testing.T, s *server, name string, ok func(float64) bool, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		_, b := s.request(t, "GET", "/metrics", nil)
		for _, line := range strings.Split(string(b), "\n") {
			if v, found := strings.CutPrefix(line, name+" "); found {
				f, _ := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if ok(f) {
					return
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not reach its condition within %v", name, within)
		}
		time.Sleep(20 * time.Millisecond) // polling a condition, bounded above
	}
}

// manyStreams opens websocket streams until the server refuses them, 20k
// attempts from one client over a few sessions: the server must cap them
// with 429 and keep answering /healthz and new requests throughout.
func manyStreams(t *testing.T, s *server) {
	const attempts = 20000
	ids := []string{s.session(t), s.session(t), s.session(t), s.session(t)}
	var opened, refusedN, failed atomic.Int64
	var conns sync.Map
	var wg sync.WaitGroup
	work := make(chan int)
	// From 127.0.0.2: another client than the innocent session.
	d := &websocket.Dialer{HandshakeTimeout: 10 * time.Second,
		NetDialContext: (&net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 2)}}).DialContext}
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				c, resp, err := d.Dial("ws://"+s.Host+"/api/v1/sessions/"+ids[i%len(ids)]+"/ws", nil)
				switch {
				case err == nil:
					opened.Add(1)
					conns.Store(i, c)
				case resp != nil && resp.StatusCode == http.StatusTooManyRequests:
					refusedN.Add(1)
				default:
					failed.Add(1)
				}
			}
		}()
	}
	healthDone := make(chan error, 1)
	go func() {
		// /healthz answers throughout.
		c := &http.Client{Timeout: 5 * time.Second}
		for range 20 {
			resp, err := c.Get(s.Base + "/healthz")
			if err != nil {
				healthDone <- err
				return
			}
			resp.Body.Close()
			time.Sleep(100 * time.Millisecond) // spacing the probes
		}
		healthDone <- nil
	}()
	for i := range attempts {
		work <- i
	}
	close(work)
	wg.Wait()
	if err := <-healthDone; err != nil {
		t.Errorf("/healthz during the streams: %v", err)
	}
	s.healthy(t)
	t.Logf("%d streams opened, %d refused with 429, %d failed otherwise", opened.Load(), refusedN.Load(), failed.Load())
	if opened.Load() > 1024 {
		t.Errorf("%d streams from one client were accepted; want a cap", opened.Load())
	}
	if failed.Load() > 0 {
		t.Errorf("%d attempts failed without a 429", failed.Load())
	}
	conns.Range(func(_, v any) bool { v.(*websocket.Conn).Close(); return true })
}

func textPlainPost(t *testing.T, s *server) {
	req, _ := http.NewRequest("POST", s.Base+"/api/v1/run", strings.NewReader(`{"source":"int main(void){return 0;}"}`))
	req.Header.Set("Content-Type", "text/plain")
	resp, err := s.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnsupportedMediaType || !bytes.Contains(b, []byte("application/json")) {
		t.Fatalf("text/plain POST: %d %s; want 415 asking for application/json", resp.StatusCode, b)
	}
}

func foreignHost(t *testing.T, s *server) {
	refused("GET", "/api/v1/examples", nil, http.StatusForbidden, `(?i)host`, "Host", "evil.example")(t, s)
	refused("POST", "/api/v1/sessions", map[string]any{}, http.StatusForbidden, `(?i)host`, "Host", "evil.example:80")(t, s)
	id := s.session(t)
	d := &websocket.Dialer{HandshakeTimeout: 5 * time.Second}
	h := http.Header{}
	h.Set("Host", "evil.example")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	dd := *d
	dd.NetDialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, s.Host)
	}
	c, resp, err := dd.DialContext(ctx, "ws://evil.example/api/v1/sessions/"+id+"/ws", nil)
	if err == nil {
		c.Close()
		t.Fatalf("a websocket with a foreign Host was accepted")
	}
	if resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("a websocket with a foreign Host: %v %v; want 403", err, resp)
	}
	// The server's own names still work.
	for _, host := range []string{"localhost", "127.0.0.1", "[::1]"} {
		code, b := s.request(t, "GET", "/api/v1/examples", nil, "Host", host+":"+strings.Split(s.Host, ":")[1])
		if code != http.StatusOK {
			t.Fatalf("Host %s: %d %.200s", host, code, b)
		}
	}
}

// unreadRealRun starts a real-engine run that faults as fast as it can
// and never reads the answer: the worker must be held back (backpressure)
// rather than the server keeping its events.
func unreadRealRun(t *testing.T, s *server) {
	src := `#include <sys/mman.h>
int main(void) {
	for (;;) {
		char *p = mmap(0, 1 << 24, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		for (int i = 0; i < 1 << 24; i += 4096)
			p[i] = 1;
		munmap(p, 1 << 24);
	}
}`
	body, _ := json.Marshal(map[string]any{"engine": "real", "source": src})
	conn, err := net.Dial("tcp", s.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/v1/run HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", s.Host, len(body), body)
	// Read the status line only, then nothing for the run's time.
	line, err := bufio.NewReader(io.LimitReader(conn, 256)).ReadString('\n')
	if err != nil {
		t.Fatalf("no answer: %v", err)
	}
	if strings.Contains(line, " 503 ") {
		t.Skipf("this host cannot run the real engine: %s", line)
	}
	start := time.Now()
	before := statusKB(s.Cmd.Process.Pid, "VmRSS:")
	for time.Since(start) < runTime {
		time.Sleep(100 * time.Millisecond) // the client that does not read, for the run's time
	}
	after := statusKB(s.Cmd.Process.Pid, "VmRSS:")
	t.Logf("server RSS %d MiB before, %d MiB after %v of an unread stream", before>>10, after>>10, runTime)
	if after > before+256<<10 {
		t.Errorf("the server grew by %d MiB for a client that does not read", (after-before)>>10)
	}
}

// allRunSlots has one client start more one-shot runs than its share: the
// ones past it are 429 at once, and another client still gets a slot.
func allRunSlots(t *testing.T, s *server) {
	loop := map[string]any{"source": "int main(void) { for (;;); }"}
	attacker := *s
	attacker.client = otherClient()
	var wg sync.WaitGroup
	codes := make(chan int, 12)
	for range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o := attacker.runOnce(t, loop)
			codes <- o.status
		}()
	}
	wg.Wait()
	close(codes)
	n := map[int]int{}
	for c := range codes {
		n[c]++
	}
	if n[http.StatusOK] != 8 || n[http.StatusTooManyRequests] != 4 {
		t.Errorf("12 runs from one client: %v; want 8 run and 4 refused with 429", n)
	}
}

// otherClient is an HTTP client whose requests come from 127.0.0.2: to
// the server another client address than the innocent session's.
func otherClient() *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 2)}}
	return &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{DialContext: d.DialContext}}
}

// requestFlood sends requests as fast as 16 connections allow for a few
// seconds: past the rate they are 429 with Retry-After, and /healthz and
// the innocent session (checked by the table) are unharmed.
func requestFlood(t *testing.T, s *server) {
	// 600 requests as fast as 16 clients send them: the token bucket
	// (PLAYGROUND_REQUEST_RATE=50, bursts of 100) lets 100 + 50 a second
	// of the time they took through and refuses the rest, however fast
	// this machine sends them.
	const n, rate, burst = 600, 50, 100
	var ok, limited, other, sent atomic.Int64
	var wg sync.WaitGroup
	c := otherClient()
	start := time.Now()
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for sent.Add(1) <= n {
				resp, err := c.Get(s.Base + "/api/v1/examples")
				if err != nil {
					other.Add(1)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				switch {
				case resp.StatusCode == http.StatusOK:
					ok.Add(1)
				case resp.StatusCode == http.StatusTooManyRequests && resp.Header.Get("Retry-After") != "":
					limited.Add(1)
				default:
					other.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	took := time.Since(start)
	allowed := burst + rate*took.Seconds()
	t.Logf("%d answered, %d refused with 429, %d otherwise, in %v (the bucket allows %.0f)", ok.Load(), limited.Load(), other.Load(), took.Round(time.Millisecond), allowed)
	if float64(ok.Load()) > allowed+16 || other.Load() > 0 {
		t.Errorf("the flood was not held to %d a second: %d answered in %v, %d otherwise", rate, ok.Load(), took, other.Load())
	}
	if n > allowed+32 && limited.Load() == 0 {
		t.Errorf("%d requests in %v, more than the %.0f the bucket allows, and none refused", n, took, allowed)
	}
}
