package api

import (
	"context"
	"os"
	"testing"

	"github.com/mmapplayground/playground/internal/sandbox"
)

// TestMain lets this test binary be the real engine's worker: real runs
// re-execute the running binary as "BINARY worker", which in production is
// the playground binary's worker subcommand. Without this, the test binary
// would run its own tests as the worker.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "worker" {
		if err := sandbox.WorkerMain(context.Background(), os.Stdin, os.Stdout); err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			os.Exit(2)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}
