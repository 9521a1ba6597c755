package interp

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
)

// notNative are the test programs that end on an interpreter limit rather
// than as the native build does (a native stack overflow is SIGSEGV).
var notNative = map[string]bool{"recursion_limit": true}

// runsAsJob are the programs run natively in a process group of their own,
// as a shell with job control runs a job: they stop their children with
// SIGTSTP, which the kernel discards in an orphaned group (CI's setsid
// bash). The others keep the test's group, as the model's process does not
// start as a group leader (libc_futex prints whether it is one).
var runsAsJob = map[string]bool{"libc_jobctl": true}

// TestNative compiles each testdata program with gcc, runs it, and holds
// the interpreter on the simulated engine to the same output and the same
// end (exit status or signal).
func TestNative(t *testing.T) {
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("no gcc")
	}
	include, err := filepath.Abs("../cc/include")
	require.NoError(t, err)
	files, err := filepath.Glob("testdata/*.c")
	require.NoError(t, err)
	data := strings.Repeat("0123456789abcdef", 256)
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".c")
		if notNative[name] {
			continue
		}
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			bin := filepath.Join(dir, "prog")
			out, err := exec.Command(gcc, "-O0", "-w", "-I", include, "-o", bin, f, "-lm").CombinedOutput()
			require.NoError(t, err, string(out))
			require.NoError(t, os.WriteFile(filepath.Join(dir, "data.bin"), []byte(data), 0o644))
			// A native program that hangs fails here, not at the
			// package's time limit.
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, "./prog", "data.bin")
			cmd.WaitDelay = 5 * time.Second // its children may hold the pipes
			if runsAsJob[name] {
				asJob(cmd)
			}
			cmd.Dir = dir
			var so, se bytes.Buffer
			cmd.Stdout, cmd.Stderr = &so, &se
			err = cmd.Run()
			status, sig := 0, 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				ws := ee.Sys().(syscall.WaitStatus)
				if ws.Signaled() {
					sig = int(ws.Signal())
					status = 128 + sig
				} else {
					status = ws.ExitStatus()
				}
			} else {
				require.NoError(t, err)
			}
			r := runProgram(t, readFile(t, f), []string{"data.bin"}, map[string]string{"data.bin": data})
			assert.Equal(t, so.String(), r.stdout, "stdout")
			assert.Equal(t, se.String(), r.stderr, "stderr")
			assert.Equal(t, status, r.exit.Status, "status")
			assert.Equal(t, engine.SignalName(sig), engine.SignalName(r.exit.Signal), "signal")
		})
	}
}

func readFile(t *testing.T, name string) string {
	b, err := os.ReadFile(name)
	require.NoError(t, err)
	return string(b)
}
