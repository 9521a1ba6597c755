package conformance

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mmapplayground/playground/examples"
	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/runner"
	"github.com/mmapplayground/playground/internal/sandbox"
)

// workerEnv makes this test binary act as the real engine's sandboxed
// worker, as the playground binary does with its "worker" argument.
const workerEnv = "PLAYGROUND_CONFORMANCE_WORKER"

// realRunner starts this test binary as the real engine's worker.
func realRunner() *runner.Runner {
	return &runner.Runner{Sandbox: sandbox.Config{
		Command: []string{os.Args[0]},
		Env:     []string{workerEnv + "=1", "GOMAXPROCS=2"},
	}}
}

func TestMain(m *testing.M) {
	if os.Getenv(workerEnv) == "1" {
		if err := sandbox.WorkerMain(context.Background(), os.Stdin, os.Stdout); err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			os.Exit(2)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestRealMatchesNative runs the programs on the real engine (the host's
// kernel under the interpreter) and holds them to the same native runs:
// where the kernel is the same, any difference is the interpreter's.
func TestRealMatchesNative(t *testing.T) {
	for _, ex := range programs(t) {
		if !ex.RunsOn("real") || ex.Expect.CompileError {
			continue
		}
		t.Run(ex.Name, func(t *testing.T) {
			t.Parallel()
			want := runNative(t, ex)
			got := runEngine(t, "real", ex)
			compare(t, ex.Name+"@real", got, want)
		})
	}
}

// runEngine runs ex through the runner on engine, collecting what the
// comparison looks at; it skips the test when the host cannot run engine.
func runEngine(t *testing.T, eng string, ex examples.Example) simRun {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var (
		mu     sync.Mutex
		out    simRun
		so, se strings.Builder
	)
	out.Types = map[string]int{}
	res, err := realRunner().Execute(ctx, runner.Request{
		Engine: eng, Name: ex.FileName(), Source: ex.Source, Args: ex.Args, Files: ex.Files,
		// A loaded CI machine runs many tests at once: give the 1 GiB
		// program room (its own limits are not what is tested here).
		Limits: runner.Limits{WallTime: 150 * time.Second},
	}, func(e *engine.Event) {
		mu.Lock()
		defer mu.Unlock()
		out.Types[e.Type]++
		out.Last = e.Type
		switch e.Type {
		case engine.EvStdout:
			so.WriteString(e.Text)
		case engine.EvStderr:
			se.WriteString(e.Text)
		case engine.EvError:
			c := *e
			c.Args, c.Path, c.VMAs = nil, nil, nil
			out.Errors = append(out.Errors, c)
		case engine.EvExit:
			out.Exits++
			out.Status, out.Signal = e.Status, e.Signal
		}
	})
	if errors.Is(err, engine.ErrUnsupported) {
		t.Skipf("the %s engine cannot run here: %v", eng, err)
	}
	if err != nil {
		t.Fatalf("runner.Execute: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	out.Result = res
	out.Stdout, out.Stderr = so.String(), se.String()
	if out.Exits != 1 || out.Last != engine.EvExit {
		t.Errorf("%d exit events, last event %q: want exactly one exit, last", out.Exits, out.Last)
	}
	return out
}
