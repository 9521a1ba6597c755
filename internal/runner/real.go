package runner

import (
	"context"
	"fmt"

	"github.com/mmapplayground/playground/internal/engine"
)

// startReal runs req in a sandboxed worker on the host kernel.
func (r *Run) startReal(ctx context.Context, req Request, sink engine.Sink) error {
	return fmt.Errorf("the real engine is not wired into the runner yet: %w", engine.ErrUnsupported)
}

// startBoth runs req on the model and on the kernel and reports differences.
func (r *Run) startBoth(ctx context.Context, req Request, sink engine.Sink) error {
	return fmt.Errorf("runs on both engines are not wired into the runner yet: %w", engine.ErrUnsupported)
}
