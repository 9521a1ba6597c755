//go:build !(linux && amd64)

package engine

// hostMinSigStkSz is DefaultMinSigStkSz where the host is not x86-64
// Linux: its own signal frame would say nothing of the model's.
func hostMinSigStkSz() uint64 { return DefaultMinSigStkSz }
