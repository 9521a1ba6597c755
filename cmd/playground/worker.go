package main

import (
	"context"
	"io"

	"github.com/mmapplayground/playground/internal/sandbox"
)

// runWorker is the real engine's sandboxed worker: the server and `run
// --engine real` re-execute this binary as `playground worker` for each real
// run; it reads one job on stdin and writes its events to stdout.
func runWorker(ctx context.Context, stdin io.Reader, stdout io.Writer) error {
	return sandbox.WorkerMain(ctx, stdin, stdout)
}
