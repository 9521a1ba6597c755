package main

import (
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden traces in testdata/")

// The readable trace of a few examples, as `playground run --example NAME`
// prints it (trace on stderr, the program's output on stdout), held to
// golden files. Run `go test ./cmd/playground -update` after a deliberate
// change and read the diff.
func TestTraceGolden(t *testing.T) {
	for _, name := range []string{"three_phases", "split_areas", "mmap_errors", "sigbus_past_eof", "demo_dev"} {
		t.Run(name, func(t *testing.T) {
			out, errs, status := runCmd(t, "run", "--example", name)
			got := "$ playground run --example " + name + "\n" + errs + "--- stdout ---\n" + out + "--- status " + strconv.Itoa(status) + " ---\n"
			path := filepath.Join("testdata", name+".trace")
			if *update {
				require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run with -update to create it")
			assert.Equal(t, string(want), got)
		})
	}
}
