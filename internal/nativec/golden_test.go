package nativec_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mmapplayground/playground/examples"
	"github.com/mmapplayground/playground/internal/nativec"
)

var update = flag.Bool("update", false, "rewrite examples/testdata/*.out from the native runs")

const goldenDir = "../../examples/testdata"

// gccDiagnostic keeps "NAME.c:28:44: error: ..." lines of gcc's output.
var gccDiagnostic = regexp.MustCompile(`(?m)^[^:\n]+\.c:\d+:\d+: (error|warning): .*$`)

// TestExamplesNative builds every example that runs natively with
// gcc -Wall, runs it natively with its files and arguments, and checks that
// it ends as its header expects and prints what its golden file holds.
// A program expected not to compile must fail to, and its golden file holds
// gcc's diagnostics.
func TestExamplesNative(t *testing.T) {
	if !nativec.HaveGCC() {
		t.Skip("gcc not found")
	}
	for _, ex := range examples.All() {
		if !ex.Native {
			continue
		}
		t.Run(ex.Name, func(t *testing.T) {
			t.Parallel()
			got := nativeOutput(t, ex)
			golden := filepath.Join(goldenDir, ex.Name+".out")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/nativec -update)", err)
			}
			if got != string(want) {
				t.Errorf("native output differs from %s:\n--- got\n%s\n--- want\n%s", golden, got, want)
			}
		})
	}
}

// nativeOutput is what the golden file of ex holds: its standard output
// with show_maps' addresses masked, or, for a program that must not
// compile, gcc's diagnostics.
func nativeOutput(t *testing.T, ex examples.Example) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dir := t.TempDir()
	bin, diag, err := nativec.Compile(ctx, dir, ex.FileName(), ex.Source)
	if ex.Expect.CompileError {
		if err == nil {
			t.Fatalf("compiled, but the header expects a compile error")
		}
		return strings.Join(gccDiagnostic.FindAllString(diag, -1), "\n") + "\n"
	}
	if err != nil {
		t.Fatalf("gcc: %v\n%s", err, diag)
	}
	if strings.Contains(diag, "warning:") {
		t.Errorf("gcc -Wall warns:\n%s", diag)
	}
	run := t.TempDir()
	if err := nativec.PlaceFiles(run, ex.Files); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, status, signal, err := nativec.Run(ctx, bin, run, ex.Args)
	if err != nil {
		t.Fatal(err)
	}
	if signal != ex.Expect.Signal || (signal == "" && status != ex.Expect.Status) {
		t.Errorf("ended with status %d signal %q, header expects %s\nstdout:\n%s\nstderr:\n%s",
			status, signal, ex.Expect, stdout, stderr)
	}
	return nativec.MaskAddresses(stdout)
}
