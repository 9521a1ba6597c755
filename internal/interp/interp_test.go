package interp

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/engine/sim"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// runResult is what a run printed and how it ended.
type runResult struct {
	stdout, stderr string
	exit           Exit
	events         []engine.Event
	last           engine.Event
}

func runProgram(t testing.TB, src string, args []string, files map[string]string) runResult {
	t.Helper()
	prog, diags := Compile("prog.c", src)
	require.Empty(t, diags)
	eng := sim.New(engine.Options{})
	for n, c := range files {
		require.NoError(t, eng.WriteFile(n, []byte(c)))
	}
	var r runResult
	var out, errb bytes.Buffer
	r.exit = prog.Run(context.Background(), eng, Config{Args: args}, func(e *engine.Event) {
		switch e.Type {
		case engine.EvStdout:
			out.WriteString(e.Text)
		case engine.EvStderr:
			errb.WriteString(e.Text)
		}
		if e.Type == engine.EvExit || e.Type == engine.EvError || e.Type == engine.EvSignal || e.Type == engine.EvCheckpoint {
			r.events = append(r.events, *e)
		}
		r.last = *e
	})
	r.stdout, r.stderr = out.String(), errb.String()
	return r
}

// TestPrograms runs testdata/*.c on the simulated engine and compares what
// they print (and how they end) with testdata/*.out.
func TestPrograms(t *testing.T) {
	files, err := filepath.Glob("testdata/*.c")
	require.NoError(t, err)
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".c")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(f)
			require.NoError(t, err)
			r := runProgram(t, string(src), []string{"data.bin"}, map[string]string{"data.bin": strings.Repeat("0123456789abcdef", 256)})
			got := "--- stdout\n" + r.stdout + "--- stderr\n" + r.stderr + "--- exit\n" +
				sprintf("status %d signal %s %s\n", r.exit.Status, engine.SignalName(r.exit.Signal), r.exit.Err)
			golden := strings.TrimSuffix(f, ".c") + ".out"
			if *update {
				require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
				return
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err)
			assert.Equal(t, string(want), got)
			assert.Equal(t, engine.EvExit, r.last.Type)
		})
	}
}
