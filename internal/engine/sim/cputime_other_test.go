//go:build !unix

package sim

// cpuTime is not measured where there is no getrusage; the benchmark's
// cpu-ms/op then reads 0.
func cpuTime() int64 { return 0 }
