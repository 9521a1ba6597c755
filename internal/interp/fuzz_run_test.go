package interp

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/engine/sim"
)

// FuzzRun compiles and runs mutated programs under tight limits: whatever
// the program does, the run ends with one exit event and never with an
// internal error.
func FuzzRun(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.c")
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(string(b))
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 8192 {
			return
		}
		prog, diags := Compile("prog.c", src)
		if len(diags) > 0 {
			return
		}
		exits := 0
		prog.Run(context.Background(), sim.New(engine.Options{RAM: 64 << 20, Swap: 64 << 20}), Config{MaxSteps: 200000, MaxOutput: 1 << 16, MaxCallDepth: 200}, func(e *engine.Event) {
			if e.Type == engine.EvExit {
				exits++
			}
			if e.Type == engine.EvError && strings.HasPrefix(e.Message, "internal error") {
				t.Fatalf("%s", e.Message)
			}
		})
		if exits != 1 {
			t.Fatalf("%d exit events", exits)
		}
	})
}
