package runner_test

import (
	"context"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/mmapplayground/playground/internal/compare"
	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/runner"
	"github.com/mmapplayground/playground/internal/sandbox"
)

// TestMain lets this test binary be the real engine's worker, as the
// playground binary is (`playground worker`), and fails the package when a
// goroutine (a run's, a real run's pipe readers) outlives its tests.
func TestMain(m *testing.M) {
	sandbox.ServeIfWorker()
	goleak.VerifyTestMain(m)
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
	// A read of untouched anonymous memory maps the shared zero page in the
	// model; this machine's kernel gives the reader its own page: a known,
	// explained difference (docs/differences.md).
	req := runner.Request{Engine: "both", Source: `#include <stdio.h>
#include <sys/mman.h>
int main(void) {
	char *p = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int sum = 0;
	for (int i = 0; i < 4; i++)
		sum += p[i * 4096];
	p[0] = 1;
	printf("sum %d, p[0] %d\n", sum, p[0]);
	return 0;
}
`}
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
	assert.Greater(t, explained, 0, "the kernel's missing zero page differs from the model and is explained")
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

// What a program wrote before the parent killed its worker at the wall
// time (stuck in a real sleep, where the interpreter's own limit cannot
// end it) still reaches the client: the worker's events wait in its
// buffer at most a few tens of milliseconds.
func TestRealOutputBeforeWallTimeKill(t *testing.T) {
	needLinux(t)
	req := runner.Request{Engine: "real", Limits: runner.Limits{WallTime: time.Second}, Source: `#include <unistd.h>
int main(void) { write(1, "before the sleep\n", 17); sleep(100); return 0; }`}
	evs, _, _ := collect(t, req)
	assert.Equal(t, "before the sleep\n", stdout(evs))
	var errs []string
	for _, e := range evs {
		if e.Type == engine.EvError {
			errs = append(errs, e.Message)
		}
	}
	require.Len(t, errs, 1)
	assert.Contains(t, errs[0], "wall-time limit exceeded")
}

// TestBothCutIsAnnounced: a run on both whose engines pass the events the
// comparison keeps (compare.KeptEvents) says so in the stream, once per
// engine, just after that engine's first event not kept; every event is
// still sent, numbered in order.
func TestBothCutIsAnnounced(t *testing.T) {
	needLinux(t)
	if err := runner.Available(runner.EngineReal); err != nil {
		t.Skipf("this host cannot run the real engine: %v", err)
	}
	// A page a touch, 60,000 touches: a fault (and on the model its PTE
	// event) each.
	req := runner.Request{Engine: "both", Source: `#include <sys/mman.h>
int main(void) {
	long n = 60000;
	char *p = mmap(0, n * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (long i = 0; i < n; i++)
		p[i * 4096] = 1;
	return 0;
}
`}
	var evs []engine.Event
	_, err := runner.Execute(context.Background(), req, func(e *engine.Event) { evs = append(evs, *e) })
	require.NoError(t, err)
	count := map[string]int{}
	notes := map[string]int{}
	for i, e := range evs {
		require.Equal(t, uint64(i+1), e.Seq, "events in order")
		if e.Type == engine.EvNote && strings.Contains(e.Message, "compare.KeptEvents") {
			notes[e.Engine]++
			assert.Equal(t, compare.KeptEvents+1, count[e.Engine], "the %s note comes after its engine's first event not kept", e.Engine)
			assert.Contains(t, e.Message, "50000")
			continue
		}
		count[e.Engine]++
	}
	require.Greater(t, count["sim"], compare.KeptEvents)
	require.Greater(t, count["real"], compare.KeptEvents)
	assert.Equal(t, map[string]int{"sim": 1, "real": 1}, notes)
}
