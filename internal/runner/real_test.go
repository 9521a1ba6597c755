package runner_test

import (
	"context"
	"os"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/runner"
	"github.com/mmapplayground/playground/internal/sandbox"
)

const workerEnv = "PLAYGROUND_RUNNER_TEST_WORKER"

// TestMain lets this test binary be the real engine's worker, as the
// playground binary is in production (`playground worker`).
func TestMain(m *testing.M) {
	if os.Getenv(workerEnv) == "1" {
		if err := sandbox.WorkerMain(context.Background(), os.Stdin, os.Stdout); err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			os.Exit(2)
		}
		os.Exit(0)
	}
	runner.Sandbox.Command = []string{os.Args[0]}
	runner.Sandbox.Env = []string{workerEnv + "=1", "GOMAXPROCS=2"}
	os.Exit(m.Run())
}

func needLinux(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the real engine runs only on Linux")
	}
}

func TestRealEngineRunsTheSameProgram(t *testing.T) {
	needLinux(t)
	req := example(t, "three_phases")
	simEvs, _, simRes := collect(t, req)
	req.Engine = "real"
	realEvs, _, realRes := collect(t, req)
	assert.Equal(t, simRes.Status, realRes.Status)
	assert.Equal(t, stdout(simEvs), stdout(realEvs))
	require.NotEmpty(t, realEvs)
	assert.Equal(t, engine.EvExit, realEvs[len(realEvs)-1].Type)
	for i, e := range realEvs {
		assert.Equal(t, uint64(i+1), e.Seq)
	}
}

// A run on both engines tags each engine's events, reports the known
// differences as explained and no unexplained ones, and ends with one
// untagged exit event.
func TestBothEnginesReportKnownDifferencesOnly(t *testing.T) {
	needLinux(t)
	req := example(t, "shared_private_cow")
	req.Engine = "both"
	evs, _, res := collect(t, req)
	require.NotEmpty(t, evs)
	last := evs[len(evs)-1]
	assert.Equal(t, engine.EvExit, last.Type)
	assert.Equal(t, "", last.Engine)
	assert.Equal(t, 0, res.Differences, "unexplained differences")
	tags := map[string]int{}
	explained := 0
	for _, e := range evs[:len(evs)-1] {
		tags[e.Engine]++
		if e.Type == engine.EvDiff {
			if e.Explained == "" {
				t.Errorf("unexplained difference: %s", e.AppendJSON(nil))
			} else {
				explained++
			}
		}
	}
	assert.Greater(t, tags["sim"], 0)
	assert.Greater(t, tags["real"], 0)
	assert.Greater(t, explained, 0, "the kernel's fault-around differs from the model's and is explained")
}

func stdout(evs []engine.Event) string {
	var s string
	for _, e := range evs {
		if e.Type == engine.EvStdout {
			s += e.Text
		}
	}
	return s
}
