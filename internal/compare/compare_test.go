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
