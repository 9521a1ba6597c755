package realkernel

import (
	"context"
	"fmt"
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
)

// TestMain lets this test binary be the launcher of the programs its tests
// trace, as the playground binary is for the worker.
func TestMain(m *testing.M) {
	LaunchIfLauncher()
	os.Exit(m.Run())
}

// trace builds src with the host's compiler and runs it under the tracer,
// returning its events and how it ended.
func trace(t *testing.T, src string, opts ProgramOptions) ([]engine.Event, Exit) {
	t.Helper()
	return traceWith(t, src, opts, nil)
}

// traceWith is trace with look, when not nil, called with the program at
// each event before it is kept (the program is still at that event).
func traceWith(t *testing.T, src string, opts ProgramOptions, look func(p *Program, e *engine.Event)) ([]engine.Event, Exit) {
	t.Helper()
	compiler, err := cc.Find(nil)
	if err != nil {
		t.Skip(err)
	}
	dir := t.TempDir()
	bin, diags, out, err := cc.Build(context.Background(), cc.Spec{CC: compiler, Dir: dir, Src: src})
	require.NoError(t, err, "%v\n%s", diags, out)
	self, err := os.Executable()
	require.NoError(t, err)
	opts.Dir, opts.Binary, opts.Source, opts.Launcher = dir, bin, "prog.c", []string{self}
	if opts.MapBytes == 0 {
		opts.MapBytes = 1 << 30
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	p, err := StartProgram(opts)
	require.NoError(t, err)
	var evs []engine.Event
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	exit := p.Run(ctx, func(e *engine.Event) {
		if look != nil {
			look(p, e)
		}
		evs = append(evs, *e)
	}, nil)
	require.NotEmpty(t, evs)
	assert.Equal(t, engine.EvExit, evs[len(evs)-1].Type)
	return evs, exit
}

func ofType(evs []engine.Event, typ string) []engine.Event {
	var out []engine.Event
	for _, e := range evs {
		if e.Type == typ {
			out = append(out, e)
		}
	}
	return out
}

func TestProgramCallsCarryTheirLines(t *testing.T) {
	evs, exit := trace(t, `#include <stdio.h>
#include <sys/mman.h>
#include <playground.h>
int main(void) {
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	p[0] = 1;
	checkpoint("touched");
	printf("%d\n", present_pages(p, 8192));
	munmap(p, 8192);
	return 7;
}
`, ProgramOptions{})
	assert.Equal(t, Exit{Status: 7}, exit)
	var mmap, munmap *engine.Event
	for i, e := range evs {
		if e.Type == engine.EvSyscall && e.Name == "mmap" && e.Args[1].Int == 8192 {
			mmap = &evs[i]
		}
		if e.Type == engine.EvSyscall && e.Name == "munmap" {
			munmap = &evs[i]
		}
	}
	require.NotNil(t, mmap)
	require.NotNil(t, munmap)
	assert.Equal(t, 5, mmap.Line, "mmap's line")
	assert.Equal(t, int64(-1), mmap.Args[4].Int, "the fd as C wrote it")
	assert.Equal(t, 9, munmap.Line)
	cps := ofType(evs, engine.EvCheckpoint)
	require.Len(t, cps, 1)
	assert.Equal(t, "touched", cps[0].Label)
	assert.Equal(t, 7, cps[0].Line)
	out := ofType(evs, engine.EvStdout)
	require.Len(t, out, 1)
	assert.Equal(t, "1\n", out[0].Text)
	// present_pages's own /proc reads are not in the trace.
	for _, e := range ofType(evs, engine.EvSyscall) {
		if len(e.Args) > 1 && e.Args[1].IsStr {
			assert.NotContains(t, e.Args[1].Str, "/proc/self", "inspection calls are hidden")
		}
	}
	var fault *engine.Event
	for i, e := range evs {
		if e.Type == engine.EvFault && e.Addr == uint64(mmap.Ret) {
			fault = &evs[i]
		}
	}
	if ofType(evs, engine.EvNote) != nil && fault == nil {
		for _, n := range ofType(evs, engine.EvNote) {
			if strings.Contains(n.Message, "perf_event_open refused") {
				t.Skip("perf refused here: " + n.Message)
			}
		}
	}
	require.NotNil(t, fault, "the first write's fault, at the area's start")
	assert.Equal(t, engine.FaultAnon, fault.Kind)
	assert.Equal(t, 6, fault.Line)
}

// skipWithoutPerf skips a fault test where perf_event_open is refused.
func skipWithoutPerf(t *testing.T, evs []engine.Event) {
	t.Helper()
	for _, n := range ofType(evs, engine.EvNote) {
		if strings.Contains(n.Message, "perf_event_open refused") {
			t.Skip("perf refused here: " + n.Message)
		}
	}
}

// The program's fault events come from one inherited event per CPU: a
// forked child's faults, its thread's and its parent's after it are each
// told with the pid that took them, at each page's address.
func TestProgramFaultsOfChildrenAndThreads(t *testing.T) {
	evs, exit := trace(t, `#include <pthread.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
static char *p;
static void *touch(void *arg) {
	for (int i = 40; i < 60; i++)
		p[i * 4096] = 3;
	return arg;
}
int main(void) {
	p = mmap(NULL, 100 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pid_t c = fork();
	if (c == 0) {
		for (int i = 0; i < 30; i++)
			p[i * 4096] = 1;
		pthread_t t;
		pthread_create(&t, NULL, touch, NULL);
		pthread_join(t, NULL);
		_exit(0);
	}
	waitpid(c, NULL, 0);
	for (int i = 70; i < 100; i++)
		p[i * 4096] = 2;
	printf("%d\n", c);
	return 0;
}
`, ProgramOptions{})
	assert.Equal(t, Exit{}, exit)
	skipWithoutPerf(t, evs)
	var area uint64
	var parent, child int
	for _, e := range evs {
		if e.Type == engine.EvSyscall && e.Name == "mmap" && e.Args[1].Int == 100*4096 {
			area = uint64(e.Ret)
		}
		if e.Type == engine.EvProcess && e.Op == "fork" {
			parent, child = e.Pid, e.Child
		}
	}
	require.NotZero(t, area)
	require.NotZero(t, child)
	// Which pid faulted on which of the area's pages, in the order told.
	byPage := map[int]int{}
	var order []int
	for _, e := range ofType(evs, engine.EvFault) {
		if e.Addr < area || e.Addr >= area+100*4096 {
			continue
		}
		page := int((e.Addr - area) / 4096)
		assert.Equal(t, uint64(0), (e.Addr-area)%4096, "the exact address written")
		if _, dup := byPage[page]; !dup {
			order = append(order, page)
		}
		byPage[page] = e.Pid
	}
	for page := 0; page < 100; page++ {
		want := 0
		switch {
		case page < 30 || page >= 40 && page < 60:
			want = child // the child and its thread (the same process)
		case page >= 70:
			want = parent
		}
		assert.Equal(t, want, byPage[page], "page %d's fault", page)
	}
	// The child's faults come before its parent's, which followed its wait.
	require.Len(t, order, 80)
	assert.Less(t, order[0], 30)
	assert.GreaterOrEqual(t, order[79], 70)
	for i, page := range order[:50] {
		assert.Less(t, page, 60, "fault %d is the child's", i)
	}
}

// StopAtFaults, with the stops turned on (SetFaultStops): the program
// stops at each of its faults, so that at each fault event on its area
// exactly the pages touched so far are present (without the stop it runs
// on, touching the next pages, until its next call), and no SIGTRAP of the
// tracer's reaches the program.
func TestProgramStopsAtEachFault(t *testing.T) {
	const pages = 16
	var area uint64
	var present []int // the area's present pages at each of its fault events
	var addrs []uint64
	evs, exit := traceWith(t, `#include <stdio.h>
#include <sys/mman.h>
int main(void) {
	char *p = mmap(NULL, 16 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (int i = 0; i < 16; i++)
		p[i * 4096] = 1;
	printf("done\n");
	return 0;
}
`, ProgramOptions{StopAtFaults: true}, func(p *Program, e *engine.Event) {
		if e.Type == engine.EvSyscall && e.Name == "mmap" && e.Args[1].Int == pages*4096 {
			area = uint64(e.Ret)
			// The stops are off until asked for (the page's step by
			// fault): from here on.
			require.NoError(t, p.SetFaultStops(true))
		}
		if e.Type != engine.EvFault || area == 0 || e.Addr < area || e.Addr >= area+pages*4096 {
			return
		}
		n := 0
		for _, pi := range p.Pages(e.Pid, area, area+pages*4096) {
			if pi.State != engine.PageNone {
				n++
			}
		}
		present = append(present, n)
		addrs = append(addrs, e.Addr)
	})
	assert.Equal(t, Exit{}, exit)
	skipWithoutPerf(t, evs)
	for _, n := range ofType(evs, engine.EvNote) {
		if strings.Contains(n.Message, "does not stop a program at its faults") {
			t.Skip(n.Message)
		}
	}
	for _, s := range ofType(evs, engine.EvSignal) {
		assert.NotEqual(t, "SIGTRAP", s.Signal, "the tracer's SIGTRAP is not the program's")
	}
	want := make([]int, pages)
	wantAddrs := make([]uint64, pages)
	for i := range want {
		want[i], wantAddrs[i] = i+1, area+uint64(i)*4096
	}
	assert.Equal(t, wantAddrs, addrs, "each page's fault at its address, in order")
	assert.Equal(t, want, present, "the program stood at each fault")
	out := ofType(evs, engine.EvStdout)
	require.Len(t, out, 1)
	assert.Equal(t, "done\n", out[0].Text)
}

// TestLauncherSaysWhyItFailed: when the launcher ends before the program's
// exec (here the binary has lost its execute bits), the error carries the
// launcher's own words.
func TestLauncherSaysWhyItFailed(t *testing.T) {
	compiler, err := cc.Find(nil)
	if err != nil {
		t.Skip(err)
	}
	dir := t.TempDir()
	bin, diags, out, err := cc.Build(context.Background(), cc.Spec{CC: compiler, Dir: dir, Src: "int main(void) { return 0; }\n"})
	require.NoError(t, err, "%v\n%s", diags, out)
	require.NoError(t, os.Chmod(bin, 0o644))
	self, err := os.Executable()
	require.NoError(t, err)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	_, err = StartProgram(ProgramOptions{Dir: dir, Binary: bin, Source: "prog.c", Launcher: []string{self}, MapBytes: 1 << 30})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the launcher could not execute the program (exit status 127): launcher: exec: permission denied")
}

// The state lists the live processes, the first process, and the last
// maxExitedKept to exit, and says how many it no longer lists: a program
// that forks all its run long does not grow every query's answer (nor the
// tracer's memory). Once the first process has exited, the state shows
// its address space as it was at its exit. Where the test may set the
// next pid (root), the forks run past pid_max and their pids wrap below
// the first process's, as they did once in CI: the first process is still
// listed first.
func TestStateKeepsTheLastExitedProcesses(t *testing.T) {
	const children = 40
	wrapPids(t, children/2)
	var during, after engine.State
	var mainPid int
	_, exit := traceWith(t, `#include <playground.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void)
{
	for (int i = 0; i < 40; i++) {
		pid_t pid = fork();
		if (pid == 0)
			_exit(i);
		waitpid(pid, NULL, 0);
	}
	checkpoint("forked");
	return 0;
}
`, ProgramOptions{}, func(p *Program, e *engine.Event) {
		switch {
		case e.Type == engine.EvExec:
			mainPid = e.Pid
		case e.Type == engine.EvCheckpoint:
			during = p.State()
		case e.Type == engine.EvProcess && e.Op == "exit" && e.Pid == mainPid:
			after = p.State()
		}
	})
	assert.Equal(t, Exit{}, exit)
	require.NotEmpty(t, during.Processes)
	assert.Len(t, during.Processes, 1+maxExitedKept, "the first process and the last %d to exit", maxExitedKept)
	assert.Equal(t, mainPid, during.Processes[0].Pid)
	assert.False(t, during.Processes[0].Exited)
	assert.NotEmpty(t, during.Processes[0].VMAs)
	for _, ps := range during.Processes[1:] {
		assert.True(t, ps.Exited)
		assert.Equal(t, mainPid, ps.Parent)
	}
	assert.Contains(t, strings.Join(during.Notes, "\n"), fmt.Sprintf("%d processes that exited earlier are not listed", children-maxExitedKept))

	require.NotEmpty(t, after.Processes)
	first := after.Processes[0]
	assert.Equal(t, mainPid, first.Pid)
	assert.True(t, first.Exited)
	assert.NotEmpty(t, first.VMAs, "its address space at its exit")
	assert.NotZero(t, first.RSS)
}

// wrapPids sets the next pid n below pid_max where it may
// (/proc/sys/kernel/ns_last_pid needs CAP_CHECKPOINT_RESTORE), so that a
// program forking more than n times sees its pids wrap.
func wrapPids(t *testing.T, n int) {
	b, err := os.ReadFile("/proc/sys/kernel/pid_max")
	require.NoError(t, err)
	max, err := strconv.Atoi(strings.TrimSpace(string(b)))
	require.NoError(t, err)
	if err := os.WriteFile("/proc/sys/kernel/ns_last_pid", []byte(strconv.Itoa(max-n)), 0); err != nil {
		t.Logf("pids not wrapped: %v", err)
	}
}
