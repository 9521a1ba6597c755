//go:build unix

package nativec

import (
	"context"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"testing"
)

// A program run from a shell started with nohup must still die of SIGHUP as
// it does from a terminal (and on the model): the test runs itself again
// under nohup and raises SIGHUP in a native run there.
func TestRunStartsSignalsAtDefault(t *testing.T) {
	if os.Getenv("NATIVEC_UNDER_NOHUP") == "" {
		nohup, err := exec.LookPath("nohup")
		if err != nil {
			t.Skip("no nohup here to start this test with SIGHUP ignored")
		}
		cmd := exec.Command(nohup, os.Args[0], "-test.run=^TestRunStartsSignalsAtDefault$", "-test.v")
		cmd.Env = append(os.Environ(), "NATIVEC_UNDER_NOHUP=1")
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "--- PASS: TestRunStartsSignalsAtDefault") {
			t.Fatalf("under nohup: %v\n%s", err, out)
		}
		return
	}
	if !signal.Ignored(syscall.SIGHUP) {
		t.Fatal("nohup did not leave SIGHUP ignored")
	}
	bin := Build(t, `#include <signal.h>
#include <stdio.h>

int main(void)
{
	raise(SIGHUP);
	puts("SIGHUP was ignored");
	return 0;
}
`)
	stdout, _, status, sig, err := Run(context.Background(), bin, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if sig != "SIGHUP" {
		t.Errorf("the program ended with status %d, signal %q, output %q; want killed by SIGHUP", status, sig, stdout)
	}
	// This process still outlives a SIGHUP, as nohup asked (if it did not,
	// the parent would see no PASS line).
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
}
