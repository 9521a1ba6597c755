//go:build !linux

package realkernel

import "github.com/mmapplayground/playground/internal/engine"

// PlaceFile needs Linux.
func PlaceFile(dir, name string, data []byte) error { return engine.ErrUnsupported }
