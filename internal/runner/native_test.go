package runner_test

import (
	"errors"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/cc"
	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/runner"
)

// needNative skips where the real engine cannot run gcc's build.
func needNative(t *testing.T) {
	t.Helper()
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		t.Skip("gcc's build under ptrace runs on Linux x86-64 only")
	}
	if _, err := cc.Find(nil); err != nil {
		t.Skip(err)
	}
}

func errorsOf(evs []engine.Event) []string {
	var out []string
	for _, e := range evs {
		if e.Type == engine.EvError {
			out = append(out, e.Message)
		}
	}
	return out
}

// The program's own seccomp filter and the tracer refuse what would reach
// past the sandbox, each with the errno a C program can print; a process
// that executes another program is killed at the exec, before that
// program runs.
func TestRealRefusesWhatLeavesTheSandbox(t *testing.T) {
	needNative(t)
	evs, _, res := collect(t, runner.Request{Engine: "real", Source: `#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <unistd.h>
static void show(const char *what, long r) { printf("%s: %ld %s\n", what, r, r < 0 ? strerrorname_np(errno) : "ok"); }
int main(void) {
	show("socket", socket(AF_INET, SOCK_STREAM, 0));
	show("ptrace", ptrace(PTRACE_TRACEME, 0, 0, 0));
	show("unshare", unshare(CLONE_NEWNS));
	show("mount", mount("none", ".", "tmpfs", 0, NULL));
	show("getpid", getpid() > 0 ? 0 : -1);
	fflush(stdout);
	char *argv[] = {"sh", NULL};
	show("execve", execve("/bin/sh", argv, NULL));
	return 0;
}
`})
	assert.Equal(t, "SIGKILL", res.Signal, "killed at its exec")
	assert.Equal(t, "socket: -1 EPERM\nptrace: -1 EPERM\nunshare: -1 EPERM\nmount: -1 EPERM\ngetpid: 0 ok\n", stdout(evs))
	var said bool
	for _, e := range evs {
		said = said || e.Type == engine.EvNote && strings.Contains(e.Message, "executed /usr/bin/")
	}
	assert.True(t, said, "a note says the exec ended the process")
}

// A loop that never ends is killed at the wall time; the run says so and
// ends with an exit event.
func TestRealRunawayLoopIsKilled(t *testing.T) {
	needNative(t)
	start := time.Now()
	evs, _, res := collect(t, runner.Request{Engine: "real", Limits: runner.Limits{WallTime: 2 * time.Second},
		Source: "int main(void) { volatile unsigned long i = 0; for (;;) i++; }\n"})
	assert.Less(t, time.Since(start), 40*time.Second, "killed near its wall time (build included)")
	require.Len(t, errorsOf(evs), 1)
	assert.Contains(t, errorsOf(evs)[0], "wall-time limit exceeded")
	assert.Equal(t, "SIGKILL", res.Signal)
	assert.Equal(t, engine.EvExit, evs[len(evs)-1].Type)
}

// A mapping larger than the program's address space fails as it would
// under its RLIMIT_AS: ENOMEM, and the program goes on.
func TestRealOversizedMappingFails(t *testing.T) {
	needNative(t)
	evs, _, res := collect(t, runner.Request{Engine: "real", Limits: runner.Limits{RealMapBytes: 256 << 20}, Source: `#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
int main(void) {
	void *p = mmap(NULL, 1UL << 30, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("%s\n", p == MAP_FAILED ? strerrorname_np(errno) : "mapped");
	return 0;
}
`})
	assert.Equal(t, 0, res.Status)
	assert.Equal(t, "ENOMEM\n", stdout(evs))
	var mmap *engine.Event
	for i, e := range evs {
		if e.Type == engine.EvSyscall && e.Name == "mmap" && len(e.Args) > 1 && e.Args[1].Int == 1<<30 {
			mmap = &evs[i]
		}
	}
	require.NotNil(t, mmap)
	assert.Equal(t, "ENOMEM", mmap.Errno)
	assert.Equal(t, 7, mmap.Line)
}

// fork is fork: each process has its own pid in the events, the child's
// write is its own copy, wait reaps it with its status.
func TestRealForkAndWait(t *testing.T) {
	needNative(t)
	evs, _, res := collect(t, runner.Request{Engine: "real", Source: `#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void) {
	int *x = malloc(sizeof *x);
	*x = 1;
	pid_t pid = fork();
	if (pid == 0) {
		*x = 2;
		printf("child %d\n", *x);
		exit(5);
	}
	int st;
	waitpid(pid, &st, 0);
	printf("parent %d, child status %d\n", *x, WEXITSTATUS(st));
	return 0;
}
`})
	assert.Equal(t, 0, res.Status)
	assert.Equal(t, "child 2\nparent 1, child status 5\n", stdout(evs))
	var parent, child int
	for _, e := range evs {
		if e.Type == engine.EvProcess && e.Op == "fork" {
			parent, child = e.Pid, e.Child
			assert.Equal(t, 8, e.Line, "fork's line")
		}
	}
	require.NotZero(t, child)
	pids := map[int]string{}
	for _, e := range evs {
		if e.Type == engine.EvStdout {
			pids[e.Pid] = e.Text
		}
	}
	assert.Equal(t, map[int]string{child: "child 2\n", parent: "parent 1, child status 5\n"}, pids)
}

// A fork loop is bounded (a fork past the limit fails with EAGAIN) and
// killed at the wall time with all its processes; the next run is served.
func TestRealForkLoopLeavesNothingBehind(t *testing.T) {
	needNative(t)
	evs, _, _ := collect(t, runner.Request{Engine: "real", Limits: runner.Limits{WallTime: 3 * time.Second},
		Source: "#include <unistd.h>\nint main(void) { for (;;) fork(); }\n"})
	pids := map[int]bool{}
	eagain := false
	for _, e := range evs {
		if e.Type == engine.EvProcess && e.Op == "fork" {
			pids[e.Child] = true
		}
		if e.Type == engine.EvSyscall && e.Name == "clone" && e.Errno == "EAGAIN" {
			eagain = true
		}
	}
	assert.True(t, eagain, "a fork past the limit fails with EAGAIN")
	assert.LessOrEqual(t, len(pids), 200)
	require.Eventually(t, func() bool {
		for pid := range pids {
			if err := syscallKill0(pid); err == nil {
				return false
			}
		}
		return true
	}, 30*time.Second, 50*time.Millisecond, "every process of the loop is gone")
	evs, _, res := collect(t, runner.Request{Engine: "real", Source: "#include <stdio.h>\nint main(void) { puts(\"still here\"); return 0; }\n"})
	assert.Equal(t, 0, res.Status)
	assert.Equal(t, "still here\n", stdout(evs))
}

// syscallKill0 is kill(pid, 0) through /proc: nil while pid exists (and
// is not a zombie).
func syscallKill0(pid int) error {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return err
	}
	for i := len(b) - 1; i > 0; i-- {
		if b[i] == ')' && i+2 < len(b) {
			if b[i+2] == 'Z' || b[i+2] == 'X' {
				return errors.New("zombie")
			}
			break
		}
	}
	return nil
}

// gcc's errors are the run's error events, at the line and column gcc
// gave, and the run ends with status 1 as a compile failure does.
func TestRealCompileErrorsHaveTheirPositions(t *testing.T) {
	needNative(t)
	evs, _, res := collect(t, runner.Request{Engine: "real", Source: "int main(void) {\n\treturn x;\n}\n"})
	assert.Equal(t, 1, res.Status)
	assert.Equal(t, 1, res.CompileErrors)
	errs := []engine.Event{}
	for _, e := range evs {
		if e.Type == engine.EvError {
			errs = append(errs, e)
		}
	}
	require.Len(t, errs, 1)
	assert.Equal(t, 2, errs[0].Line)
	assert.Equal(t, 9, errs[0].Col)
	assert.Contains(t, errs[0].Message, "'x' undeclared")
}

// Without a compiler the real engine says so, and the model still runs.
func TestRealWithoutACompilerIsUnsupported(t *testing.T) {
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		t.Skip("linux/amd64")
	}
	t.Setenv(cc.EnvCC, "no-such-compiler-here")
	err := runner.Available("real")
	require.Error(t, err)
	assert.ErrorIs(t, err, engine.ErrUnsupported)
	_, err = runner.Start(t.Context(), runner.Request{Engine: "real", Source: "int main(void){return 0;}"}, nil)
	assert.ErrorIs(t, err, engine.ErrUnsupported)
	assert.NoError(t, runner.Available("sim"))
}

// A terminal run (the page's) gives the program a terminal: the C
// library buffers by line, so each line is its own write, in order with
// the calls between.
func TestRealTerminalBuffersByLine(t *testing.T) {
	needNative(t)
	evs, _, res := collect(t, runner.Request{Engine: "real", Terminal: true, Source: `#include <stdio.h>
#include <unistd.h>
int main(void) { printf("tty %d\n", isatty(1)); getppid(); printf("after\n"); return 0; }
`})
	assert.Equal(t, 0, res.Status)
	var seen []string
	for _, e := range evs {
		switch {
		case e.Type == engine.EvStdout:
			seen = append(seen, e.Text)
		case e.Type == engine.EvSyscall && e.Name == "getppid":
			seen = append(seen, "getppid")
		}
	}
	assert.Equal(t, []string{"tty 1\n", "getppid", "after\n"}, seen)
}
