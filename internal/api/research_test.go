package api

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/examples"
	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/runner"
)

var updateResearch = flag.Bool("update-research", false, "rewrite testdata/research/*.txt from docs/examples/faults_per_area.py")

// TestResearchExample runs docs/research.md's worked example,
// docs/examples/faults_per_area.py, against a real server on the simulated
// engine (deterministic, so its table is a golden file), and holds the
// table to the run: the faults it counts, per kind, are the run's fault
// events.
func TestResearchExample(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed here, so docs/examples/faults_per_area.py is not run")
	}
	_, ts := testServer(t, Config{})
	tests := []struct {
		example string
		options []string
		opts    engine.Options
	}{
		{example: "file_vs_anon"},
		{example: "cow_fork"},
		{example: "lazy_vs_populate", options: []string{"fault_around=1"}, opts: engine.Options{FaultAround: 1}},
	}
	for _, tt := range tests {
		name := tt.example + strings.Join(tt.options, "_")
		t.Run(name, func(t *testing.T) {
			args := []string{"../../docs/examples/faults_per_area.py", "--server", ts.URL, "--example", tt.example}
			for _, o := range tt.options {
				args = append(args, "--option", o)
			}
			cmd := exec.Command(py, args...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			require.NoError(t, err, "stderr: %s", stderr.String())

			golden := filepath.Join("testdata", "research", strings.ReplaceAll(name, "=", "")+".txt")
			if *updateResearch {
				require.NoError(t, os.MkdirAll(filepath.Dir(golden), 0o755))
				require.NoError(t, os.WriteFile(golden, out, 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run with -update-research to write it")
			assert.Equal(t, string(want), string(out))

			// The table against the run itself.
			ex, ok := examples.Get(tt.example)
			require.True(t, ok)
			kinds := map[string]int{}
			major, status := 0, -1
			_, err = runner.Execute(context.Background(), runner.Request{Engine: "sim", Name: ex.FileName(), Source: ex.Source,
				Files: ex.Files, Args: ex.Args, Options: tt.opts}, func(e *engine.Event) {
				switch e.Type {
				case engine.EvFault:
					kinds[string(e.Kind)]++
					if e.Major {
						major++
					}
				case engine.EvExit:
					status = e.Status
				}
			})
			require.NoError(t, err)
			total := 0
			for _, n := range kinds {
				total += n
			}
			require.NotZero(t, total)
			got := map[string]int{}
			gotTotal, gotMajor := 0, 0
			lines := strings.Split(strings.TrimSpace(string(out)), "\n")
			require.Greater(t, len(lines), 3, "a header, rows, the total and the exit")
			kindsAt := strings.Index(lines[0], "kinds")
			require.Positive(t, kindsAt, lines[0])
			for _, line := range lines[1 : len(lines)-2] {
				// ... faults major | kinds: "anon 1, anon-zero-page 1".
				fields := strings.Fields(line[:kindsAt])
				require.Greater(t, len(fields), 2, line)
				f, err := strconv.Atoi(fields[len(fields)-2])
				require.NoError(t, err, line)
				m, err := strconv.Atoi(fields[len(fields)-1])
				require.NoError(t, err, line)
				gotTotal += f
				gotMajor += m
				for _, kn := range strings.Split(line[kindsAt:], ", ") {
					k, n, ok := strings.Cut(kn, " ")
					require.True(t, ok, "the kinds of %q", line)
					v, err := strconv.Atoi(n)
					require.NoError(t, err, line)
					got[k] += v
				}
			}
			assert.Equal(t, kinds, got, "faults per kind: the run's events and the table's")
			assert.Equal(t, total, gotTotal, "faults")
			assert.Equal(t, major, gotMajor, "major faults")
			assert.Contains(t, lines[len(lines)-2], "total: "+strconv.Itoa(total)+" faults, "+strconv.Itoa(major)+" major")
			assert.True(t, strings.HasPrefix(lines[len(lines)-1], "exit: status "+strconv.Itoa(status)), lines[len(lines)-1])
		})
	}
}
