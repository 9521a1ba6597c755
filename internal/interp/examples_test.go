package interp

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mmapplayground/playground/examples"
	"github.com/mmapplayground/playground/internal/engine"
)

// knownDiff are examples whose native output differs for reasons outside
// the interpreter.
var knownDiff = map[string]string{
	// The native process has an anonymous area of the loader's next to
	// its own mapping, which the model does not have.
	"split_areas": "loader area",
}

var addrRE = regexp.MustCompile(`\b[0-9a-f]{8,16}-[0-9a-f]{8,16}\b`)

// TestExamples runs the built-in examples on the simulated engine and
// compares their standard output with the native goldens in
// examples/testdata, and their end with what each example expects.
func TestExamples(t *testing.T) {
	for _, ex := range examples.All() {
		if !ex.RunsOn("sim") {
			continue
		}
		t.Run(ex.Name, func(t *testing.T) {
			if ex.Expect.CompileError {
				prog, diags := Compile(ex.FileName(), ex.Source)
				assert.Nil(t, prog)
				assert.NotEmpty(t, diags)
				return
			}
			r := runProgram(t, ex.Source, ex.Args, ex.Files)
			want, err := os.ReadFile(filepath.Join("../../examples/testdata", ex.Name+".out"))
			if err == nil && knownDiff[ex.Name] == "" {
				got := addrRE.ReplaceAllString(r.stdout, "ADDR-ADDR")
				assert.Equal(t, string(want), got)
			}
			assert.Equal(t, ex.Expect.Signal, engine.SignalName(r.exit.Signal), r.exit.Err)
			if ex.Expect.Signal == "" {
				assert.Equal(t, ex.Expect.Status, r.exit.Status)
			}
		})
	}
}
