package compare_test

import (
	"context"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/examples"
	"github.com/mmapplayground/playground/internal/compare"
	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/engine/sim"
	"github.com/mmapplayground/playground/internal/interp"
	"github.com/mmapplayground/playground/internal/sandbox"
)

const workerEnv = "PLAYGROUND_COMPARE_TEST_WORKER"

func TestMain(m *testing.M) {
	if os.Getenv(workerEnv) == "1" {
		if err := sandbox.WorkerMain(context.Background(), os.Stdin, os.Stdout); err != nil {
			os.Exit(2)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func collect(dst *[]engine.Event) engine.Sink {
	return func(e *engine.Event) { *dst = append(*dst, *e) }
}

func TestIdenticalRunsHaveNoDifferences(t *testing.T) {
	evs := []engine.Event{
		{Type: engine.EvSyscall, Name: "mmap", Ret: 1 << 40},
		{Type: engine.EvStdout, Text: "hi\n"},
		{Type: engine.EvExit, Status: 0},
	}
	assert.Empty(t, compare.Diff(evs, evs))
}

func TestKnownDifferencesAreExplained(t *testing.T) {
	vma := func(start, end uint64, present int) engine.VMA {
		return engine.VMA{Start: start, End: end, Perms: "rw-p", PresentPages: present}
	}
	sim := []engine.Event{
		{Type: engine.EvStdout, Text: "p = 0x7f0000001000\n"},
		{Type: engine.EvExit, VMAs: []engine.VMA{vma(0x1000, 0x3000, 0), vma(0x3000, 0x5000, 0)}},
	}
	real := []engine.Event{
		{Type: engine.EvStdout, Text: "p = 0x7ffd12345000\n"},
		{Type: engine.EvExit, VMAs: []engine.VMA{vma(0x9000, 0xd000, 0)}},
	}
	ds := compare.Diff(sim, real)
	require.Len(t, ds, 2)
	assert.Equal(t, compare.ExplainAddresses, ds[0].Explained)
	assert.Equal(t, compare.ExplainMerging, ds[1].Explained)
	assert.Empty(t, compare.Unexplained(ds))
	// A different errno is a real difference.
	sim = []engine.Event{{Type: engine.EvSyscall, Name: "mmap", Errno: "EINVAL"}, {Type: engine.EvExit}}
	real = []engine.Event{{Type: engine.EvSyscall, Name: "mmap"}, {Type: engine.EvExit}}
	ds = compare.Diff(sim, real)
	require.Len(t, ds, 1)
	assert.Equal(t, "errno", ds[0].Field)
	assert.Empty(t, ds[0].Explained)
}

// TestExamplesOnBothEngines runs every example on the model and on the
// kernel: every difference that remains must be an explained one.
func TestExamplesOnBothEngines(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every example twice")
	}
	if runtime.GOOS != "linux" {
		t.Skip("the real engine runs on Linux only")
	}
	cfg := sandbox.Config{Root: t.TempDir(), Command: []string{os.Args[0]}, Env: []string{workerEnv + "=1", "GOMAXPROCS=2"}}
	if out := simStdout(t, "#include <stdio.h>\nint main(void) { printf(\"hi\\n\"); return 0; }\n"); out != "hi\n" {
		t.Skipf("the simulated engine's run of hello world printed %q: the comparison waits for the interpreter to print on the model", out)
	}
	explained := 0
	for _, ex := range examples.All() {
		if ex.Expect.CompileError {
			continue
		}
		t.Run(ex.Name, func(t *testing.T) {
			ctx := context.Background()
			var simEvs, real []engine.Event
			eng := sim.New(engine.Options{})
			for name, data := range ex.Files {
				require.NoError(t, eng.WriteFile(name, []byte(data)))
			}
			prog, diags := interp.Compile(ex.FileName(), ex.Source)
			require.Empty(t, diags)
			prog.Run(ctx, eng, interp.Config{Args: ex.Args}, collect(&simEvs))
			_, err := cfg.Run(ctx, sandbox.Job{Name: ex.FileName(), Source: ex.Source, Files: ex.Files, Args: ex.Args, Limits: sandbox.Limits{WallTime: 5 * time.Minute, CPUTime: 5 * time.Minute}}, collect(&real))
			require.NoError(t, err)
			ds := compare.Diff(simEvs, real)
			for _, d := range ds {
				if d.Explained != "" {
					explained++
					t.Logf("%s: explained %s: sim %q real %q: %s", ex.Name, d.Field, trim(d.Sim), trim(d.Real), d.Explained)
				}
			}
			for _, d := range compare.Unexplained(ds) {
				t.Errorf("unexplained %s:\n sim:  %s\n real: %s", d.Field, d.Sim, d.Real)
			}
		})
	}
	t.Logf("%d explained differences", explained)
}

func trim(s string) string {
	if len(s) > 120 {
		return s[:120] + "..."
	}
	return strings.ReplaceAll(s, "\n", `\n`)
}

func simStdout(t *testing.T, src string) string {
	var evs []engine.Event
	prog, diags := interp.Compile("hello.c", src)
	require.Empty(t, diags)
	prog.Run(context.Background(), sim.New(engine.Options{}), interp.Config{}, collect(&evs))
	var b strings.Builder
	for _, e := range evs {
		if e.Type == engine.EvStdout {
			b.WriteString(e.Text)
		}
	}
	return b.String()
}

// TestMapLimitIsExplained: a mapping the model makes and the real engine's
// sandbox refuses (past --real-map-bytes) is ENOMEM there, and what follows
// differs; each difference is explained by the limit, and only when the
// mapping was past it.
func TestMapLimitIsExplained(t *testing.T) {
	note := engine.Event{Type: engine.EvNote, Message: "sandbox: RLIMIT_AS 2261 MiB (256 MiB for the program's mappings); no_new_privs"}
	mmap := func(length int64, errno string) engine.Event {
		return engine.Event{Type: engine.EvSyscall, Name: "mmap", Args: engine.IntArgs(0, length, 3, 0x22, -1, 0), Errno: errno}
	}
	big := int64(1) << 30
	sim := []engine.Event{mmap(big, ""), {Type: engine.EvStdout, Text: "ok\n"}, {Type: engine.EvExit}}
	real := []engine.Event{note, mmap(big, "ENOMEM"), {Type: engine.EvStdout, Text: "Cannot allocate memory\n"}, {Type: engine.EvExit, Status: 1}}
	ds := compare.Diff(sim, real)
	require.NotEmpty(t, ds)
	for _, d := range ds {
		assert.Equal(t, compare.ExplainMapLimit, d.Explained, d.Field)
	}
	// Within the limit, an ENOMEM is a real difference.
	small := int64(1) << 20
	sim[0], real[1] = mmap(small, ""), mmap(small, "ENOMEM")
	ds = compare.Diff(sim, real)
	require.NotEmpty(t, ds)
	assert.Len(t, compare.Unexplained(ds), len(ds))
}

// TestMapLimitOnBothEngines runs a program that maps past the real
// engine's limit on both engines (held to a real sandbox run).
func TestMapLimitOnBothEngines(t *testing.T) {
	if testing.Short() || runtime.GOOS != "linux" {
		t.Skip("needs the real engine")
	}
	src := `#include <stdio.h>
#include <sys/mman.h>
int main(void) {
  char *p = mmap(0, (size_t)1 << 30, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0);
  printf("%s\n", p == MAP_FAILED ? "refused" : "mapped");
  return 0;
}
`
	cfg := sandbox.Config{Root: t.TempDir(), Command: []string{os.Args[0]}, Env: []string{workerEnv + "=1", "GOMAXPROCS=2"}}
	var simEvs, real []engine.Event
	prog, diags := interp.Compile("big.c", src)
	require.Empty(t, diags)
	prog.Run(context.Background(), sim.New(engine.Options{}), interp.Config{}, collect(&simEvs))
	_, err := cfg.Run(context.Background(), sandbox.Job{Name: "big.c", Source: src, Limits: sandbox.Limits{MapBytes: 64 << 20, WallTime: time.Minute, CPUTime: time.Minute}}, collect(&real))
	require.NoError(t, err)
	ds := compare.Diff(simEvs, real)
	require.NotEmpty(t, ds, "the real engine refused the mapping")
	for _, d := range ds {
		t.Logf("%s: sim %q real %q: %s", d.Field, trim(d.Sim), trim(d.Real), d.Explained)
	}
	assert.Empty(t, compare.Unexplained(ds))
}

// TestMemlockIsExplained: mlockall(MCL_CURRENT) is ENOMEM on the real
// engine (its program's 8 MiB stack area passes RLIMIT_MEMLOCK) and what
// follows is explained by it.
func TestMemlockIsExplained(t *testing.T) {
	call := func(errno string) engine.Event {
		return engine.Event{Type: engine.EvSyscall, Name: "mlockall", Args: engine.IntArgs(engine.MCL_CURRENT), Errno: errno}
	}
	sim := []engine.Event{call(""), {Type: engine.EvStdout, Text: "0\n"}, {Type: engine.EvExit}}
	real := []engine.Event{call("ENOMEM"), {Type: engine.EvStdout, Text: "-1\n"}, {Type: engine.EvExit}}
	ds := compare.Diff(sim, real)
	require.Len(t, ds, 2)
	for _, d := range ds {
		assert.Equal(t, compare.ExplainMemlock, d.Explained, d.Field)
	}
}

// TestPrintedCountsFollowFaultAround: a program that prints how many pages
// of a file mapping are present prints other numbers when fault-around
// mapped other pages; that is explained, and other differences are not.
func TestPrintedCountsFollowFaultAround(t *testing.T) {
	run := func(out string, present int, file string) []engine.Event {
		return []engine.Event{
			{Type: engine.EvStdout, Text: out},
			{Type: engine.EvExit, VMAs: []engine.VMA{{Start: 0x1000, End: 0x5000, Perms: "r--s", File: file, PresentPages: present}}},
		}
	}
	tests := []struct {
		name      string
		sim, real []engine.Event
		explained bool
	}{
		{"a count, file pages differ", run("present 4\n", 4, "hole.bin"), run("present 3\n", 3, "hole.bin"), true},
		{"words, file pages differ", run("present 4\n", 4, "hole.bin"), run("absent 4\n", 3, "hole.bin"), false},
		{"a count, anonymous pages differ", run("present 4\n", 4, ""), run("present 3\n", 3, ""), false},
		{"a count, pages agree", run("present 4\n", 4, "hole.bin"), run("present 3\n", 4, "hole.bin"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout *compare.Difference
			for _, d := range compare.Diff(tt.sim, tt.real) {
				if d.Field == "stdout" {
					stdout = &d
				}
			}
			require.NotNil(t, stdout, "stdout differs")
			if tt.explained {
				assert.Equal(t, compare.ExplainFaultAround, stdout.Explained)
			} else {
				assert.Empty(t, stdout.Explained)
			}
		})
	}
}

// TestLoaderPagesInAMergedArea: the model's first small mmap merges with a
// loader's anonymous neighbour, whose pages ld.so made present before main;
// the merged area's count holds them, so it may exceed the real run's by
// that many, and that is explained; an area merged with nothing is not.
func TestLoaderPagesInAMergedArea(t *testing.T) {
	loader := engine.Event{Type: engine.EvVMA, Op: "add", Why: "exec",
		VMA: &engine.VMA{Start: 0x10000, End: 0x12000, Perms: "rw-p", Loader: true}}
	exit := func(start uint64, present int) engine.Event {
		return engine.Event{Type: engine.EvExit, VMAs: []engine.VMA{{Start: start, End: 0x12000, Perms: "rw-p", PresentPages: present}}}
	}
	real := []engine.Event{exit(0xc000, 4)}
	tests := []struct {
		name      string
		sim       []engine.Event
		explained string
	}{
		{"merged with the loader's area", []engine.Event{loader, exit(0xc000, 5)}, compare.ExplainLoaderPages},
		{"merged, fewer pages", []engine.Event{loader, exit(0xc000, 3)}, ""},
		{"not merged", []engine.Event{exit(0xc000, 5)}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *compare.Difference
			for _, d := range compare.Diff(tt.sim, real) {
				if d.Field == "present_pages" {
					got = &d
				}
			}
			require.NotNil(t, got)
			assert.Equal(t, tt.explained, got.Explained)
		})
	}
}
