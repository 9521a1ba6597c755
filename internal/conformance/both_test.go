package conformance

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/runner"
)

// TestBothEnginesExplained runs every conformance program on both engines
// through the runner, as `playground run --engine both` does, and holds
// each run to no unexplained difference: where the model and the kernel
// differ, internal/compare must say why (a section of docs/differences.md).
// (compare's TestExamplesOnBothEngines does the same for the examples,
// which every lesson runs.) A program whose real run is a known gap
// (knownGaps' "@real" entries) is skipped with its reason.
func TestBothEnginesExplained(t *testing.T) {
	for _, ex := range programs(t) {
		if ex.Expect.CompileError || !strings.HasPrefix(ex.Name, "conformance_") || !ex.RunsOn("real") {
			continue
		}
		t.Run(ex.Name, func(t *testing.T) {
			if gap, ok := knownGaps[ex.Name+"@real"]; ok {
				t.Skipf("the real engine is known to differ from the machine here (%s)", gap)
			}
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			var (
				mu          sync.Mutex
				unexplained []string
			)
			res, err := realRunner().Execute(ctx, runner.Request{
				Engine: runner.EngineBoth, Name: ex.FileName(), Source: ex.Source, Args: ex.Args, Files: ex.Files,
				Limits: runner.Limits{WallTime: 240 * time.Second},
			}, func(e *engine.Event) {
				if e.Type == engine.EvDiff && e.Explained == "" {
					mu.Lock()
					unexplained = append(unexplained, e.Field+": sim "+e.Sim+", real "+e.Real)
					mu.Unlock()
				}
			})
			if errors.Is(err, engine.ErrUnsupported) {
				t.Skipf("the real engine cannot run here: %v", err)
			}
			if err != nil {
				t.Fatalf("runner.Execute: %v", err)
			}
			mu.Lock()
			defer mu.Unlock()
			if res.Differences != 0 || len(unexplained) != 0 {
				t.Errorf("%d unexplained difference(s):\n%s", res.Differences, strings.Join(unexplained, "\n"))
			}
		})
	}
}
