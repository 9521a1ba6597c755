package sandbox

import (
	"context"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/mmapplayground/playground/examples"
	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/engine/realkernel"
	"github.com/mmapplayground/playground/internal/nativec"
)

// The test binary is its own worker: re-executed with this variable set, it
// runs WorkerMain as cmd/playground's "worker" subcommand does.
const workerEnv = "PLAYGROUND_SANDBOX_TEST_WORKER"

func TestMain(m *testing.M) {
	if os.Getenv(seccompEnv) == "1" {
		os.Exit(seccompChild())
	}
	if os.Getenv(workerEnv) == "1" {
		if err := WorkerMain(context.Background(), os.Stdin, os.Stdout); err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			os.Exit(2)
		}
		os.Exit(0)
	}
	// A worker's pipe readers and its killer end with the run.
	goleak.VerifyTestMain(m)
}

func testConfig(t *testing.T) Config {
	return Config{Root: t.TempDir(), Command: testCommand(), Env: testEnv()}
}

func testCommand() []string { return []string{os.Args[0]} }
func testEnv() []string     { return []string{workerEnv + "=1", "GOMAXPROCS=2"} }

// run runs src in a worker and returns its events and result.
func run(t *testing.T, job Job) ([]engine.Event, Result) {
	t.Helper()
	var evs []engine.Event
	res, err := testConfig(t).Run(context.Background(), job, func(e *engine.Event) { evs = append(evs, *e) })
	require.NoError(t, err)
	require.NotEmpty(t, evs)
	require.Equal(t, engine.EvExit, evs[len(evs)-1].Type, "the last event is the exit")
	return evs, res
}

func stdout(evs []engine.Event) string {
	var b strings.Builder
	for _, e := range evs {
		if e.Type == engine.EvStdout {
			b.WriteString(e.Text)
		}
	}
	return b.String()
}

func messages(evs []engine.Event, typ string) string {
	var b []string
	for _, e := range evs {
		if e.Type == typ {
			b = append(b, e.Message)
		}
	}
	return strings.Join(b, "\n")
}

func TestHello(t *testing.T) {
	evs, res := run(t, Job{Source: "#include <stdio.h>\nint main(void) { printf(\"hello %d\\n\", 42); return 3; }\n"})
	assert.Equal(t, "hello 42\n", stdout(evs))
	assert.Equal(t, 3, res.Status)
	assert.Contains(t, messages(evs, engine.EvNote), "sandbox: ")
	t.Log(messages(evs, engine.EvNote))
}

func TestPathsOutsideTheSessionAreRefused(t *testing.T) {
	src := `#include <stdio.h>
#include <fcntl.h>
#include <errno.h>
#include <string.h>
static void try(const char *p) {
	int fd = open(p, O_RDONLY);
	printf("%s: %s\n", p, fd < 0 ? strerror(errno) : "opened");
}
int main(void) {
	try("data.txt");
	try("../data.txt");
	try("sub/../../data.txt");
	try("/etc/passwd");
	try("/dev/zero");
	return 0;
}
`
	evs, _ := run(t, Job{Source: src, Files: map[string]string{"data.txt": "x"}})
	// gcc's build is confined by Landlock: a path out of the directory
	// that exists (/etc/passwd) is refused; one that does not is not there.
	if realkernel.LandlockABI() == 0 {
		t.Skip("no Landlock on this kernel: the program's paths are not confined (the sandbox note says so)")
	}
	assert.Equal(t, `data.txt: opened
../data.txt: No such file or directory
sub/../../data.txt: No such file or directory
/etc/passwd: Permission denied
/dev/zero: opened
`, stdout(evs))
}

func TestOversizedMappingIsENOMEM(t *testing.T) {
	src := `#include <stdio.h>
#include <sys/mman.h>
#include <errno.h>
#include <string.h>
int main(void) {
	void *p = mmap(NULL, 8UL << 30, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) { printf("mmap: %s\n", strerror(errno)); return 1; }
	printf("mapped\n");
	return 0;
}
`
	evs, res := run(t, Job{Source: src, Limits: Limits{MapBytes: 1 << 30}})
	assert.Equal(t, "mmap: Cannot allocate memory\n", stdout(evs), "the run's errors and notes:\n%s\n%s", messages(evs, engine.EvError), messages(evs, engine.EvNote))
	assert.Equal(t, 1, res.Status)
}

func TestRunawayLoopIsStopped(t *testing.T) {
	src := "int main(void) { volatile long i = 0; for (;;) i++; }\n"
	t.Run("cpu", func(t *testing.T) {
		start := time.Now()
		evs, res := run(t, Job{Source: src, Limits: Limits{CPUTime: time.Second, WallTime: 20 * time.Second, Steps: 1 << 62}})
		assert.Less(t, time.Since(start), 15*time.Second)
		assert.Contains(t, messages(evs, engine.EvError), "CPU time limit exceeded")
		assert.Equal(t, "SIGXCPU", res.Signal)
	})
	t.Run("wall", func(t *testing.T) {
		evs, res := run(t, Job{Source: "#include <unistd.h>\nint main(void) { sleep(60); return 0; }\n", Limits: Limits{WallTime: time.Second}})
		// The worker ends the program at its wall time and says so; the
		// parent's kill of the worker is the backstop.
		assert.Contains(t, messages(evs, engine.EvError), "wall-time limit exceeded")
		assert.Equal(t, "SIGKILL", res.Signal)
	})
}

func TestSegfaultEndsTheProgramOnly(t *testing.T) {
	evs, res := run(t, Job{Source: "#include <stdio.h>\nint main(void) { printf(\"before\\n\"); fflush(stdout); int *p = (int *)16; *p = 1; printf(\"after\\n\"); return 0; }\n"})
	assert.Equal(t, "SIGSEGV", res.Signal)
	assert.Equal(t, "before\n", stdout(evs))
	// The next run in a new worker is unharmed.
	evs, res = run(t, Job{Source: "#include <stdio.h>\nint main(void) { puts(\"fine\"); return 0; }\n"})
	assert.Equal(t, "fine\n", stdout(evs))
	assert.Equal(t, 0, res.Status)
}

// TestExamplesMatchNative holds the real engine to gcc: every example that
// runs on the real engine prints what its native build prints.
func TestExamplesMatchNative(t *testing.T) {
	if !nativec.HaveGCC() {
		t.Skip("gcc is not on the PATH")
	}
	for _, ex := range examples.All() {
		if !ex.RunsOn("real") || ex.Expect.CompileError {
			continue
		}
		t.Run(ex.Name, func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			bin, diag, err := nativec.Compile(ctx, dir, ex.FileName(), ex.Source)
			require.NoError(t, err, diag)
			require.NoError(t, nativec.PlaceFiles(dir, ex.Files))
			want, _, status, sig, err := nativec.Run(ctx, bin, dir, ex.Args)
			require.NoError(t, err)
			evs, res := run(t, Job{Name: ex.FileName(), Source: ex.Source, Files: ex.Files, Args: ex.Args, Limits: Limits{WallTime: 5 * time.Minute, CPUTime: 5 * time.Minute}})
			got := stdout(evs)
			assert.Equal(t, nativec.StripInspection(want), nativec.StripInspection(got), "errors: %s", messages(evs, engine.EvError))
			assert.Equal(t, sig, res.Signal)
			if sig == "" {
				assert.Equal(t, status, res.Status)
			}
		})
	}
}

func TestQueriesDuringARun(t *testing.T) {
	src := `#include <stdio.h>
#include <sys/mman.h>
int main(void) {
	char *p = mmap(NULL, 16 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	p[0] = 1;
	printf("mapped\n");
	fflush(stdout);
	volatile long i;
	for (i = 0; i < 200000000; i++)
		;
	return 0;
}
`
	mapped := make(chan struct{})
	var once bool
	var addr atomic.Uint64
	w, err := testConfig(t).Start(context.Background(), Job{Source: src, Limits: Limits{WallTime: 20 * time.Second, Steps: 1 << 40}}, func(e *engine.Event) {
		if e.Type == engine.EvSyscall && e.Name == "mmap" && len(e.Args) > 1 && e.Args[1].Int == 16*4096 {
			addr.Store(uint64(e.Ret))
		}
		if e.Type == engine.EvStdout && !once {
			once = true
			close(mapped)
		}
	})
	require.NoError(t, err)
	<-mapped
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	st, err := w.State(ctx)
	require.NoError(t, err)
	require.Len(t, st.Processes, 1)
	// The kernel may merge the mapping with a neighbour: its address is
	// mmap's answer.
	area := engine.VMA{Start: addr.Load(), End: addr.Load() + 16*4096}
	require.NotZero(t, area.Start)
	found := false
	for _, v := range st.Processes[0].VMAs {
		found = found || v.Start <= area.Start && area.End <= v.End
	}
	require.True(t, found, "the program's mapping is in the state: %+v", st.Processes[0].VMAs)
	pages, err := w.Pages(ctx, 0, area.Start, area.End)
	require.NoError(t, err)
	require.Len(t, pages, 16)
	assert.Equal(t, engine.PageDirty, pages[0].State)
	assert.Equal(t, engine.PageNone, pages[1].State)
	wk, err := w.Walk(ctx, 0, area.Start)
	require.NoError(t, err)
	assert.Len(t, wk.Levels, 4)
	w.kill("cancelled")
	_, err = w.Wait()
	require.NoError(t, err)
	_, err = w.State(ctx)
	assert.ErrorIs(t, err, ErrRunEnded)
}

func TestPacedRunPausesAtTheEvent(t *testing.T) {
	src := `#include <stdio.h>
#include <sys/mman.h>
int main(void) {
	char *p = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	p[0] = 1;
	p[4096] = 1;
	p[8192] = 1;
	printf("done\n");
	return 0;
}
`
	paused := make(chan struct{})
	resume := make(chan struct{})
	var after []string // event types after the pause
	faultsSeen := 0    // 1 once paused at the mmap
	w, err := testConfig(t).Start(context.Background(), Job{Source: src, Paced: true}, func(e *engine.Event) {
		if faultsSeen > 0 {
			after = append(after, e.Type)
		}
		if e.Type == engine.EvSyscall && e.Name == "mmap" && faultsSeen == 0 {
			faultsSeen = 1
			close(paused)
			<-resume
		}
	})
	require.NoError(t, err)
	<-paused
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	st, err := w.State(ctx)
	require.NoError(t, err)
	var present int
	for _, v := range st.Processes[0].VMAs {
		if v.End-v.Start == 4*4096 {
			present = v.PresentPages
		}
	}
	assert.Equal(t, 0, present, "held right after the mmap: no page touched yet")
	close(resume)
	res, err := w.Wait()
	require.NoError(t, err)
	assert.Equal(t, 0, res.Status)
	assert.Contains(t, after, engine.EvFault)
}
