package sandbox

import (
	"context"
	"os/exec"
	"testing"
	"time"

	"github.com/mmapplayground/playground/examples"
	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/nativec"
)

// BenchmarkBigtouch is examples/c/bigtouch.c (1 GiB, page by page) in a
// worker on the real engine, every event decoded and encoded again by the
// parent, beside its native gcc build on the same machine. Compare the
// ns/op of the two sub-benchmarks.
func BenchmarkBigtouch(b *testing.B) {
	ex, ok := examples.Get("bigtouch")
	if !ok {
		b.Skip("no bigtouch example")
	}
	b.Run("real", func(b *testing.B) {
		cfg := Config{Root: b.TempDir(), Command: testCommand(), Env: testEnv()}
		for i := 0; i < b.N; i++ {
			var buf []byte
			events := 0
			res, err := cfg.Run(context.Background(), Job{Name: ex.FileName(), Source: ex.Source, Limits: Limits{WallTime: 5 * time.Minute, CPUTime: 5 * time.Minute}},
				func(e *engine.Event) { buf = e.AppendJSON(buf[:0]); events++ })
			if err != nil || res.Status != 0 {
				b.Fatalf("%v %+v", err, res)
			}
			b.ReportMetric(float64(events), "events/op")
			b.ReportMetric(res.WorkerCPU.Seconds(), "worker-cpu-s/op")
		}
	})
	b.Run("native", func(b *testing.B) {
		if !nativec.HaveGCC() {
			b.Skip("no gcc")
		}
		dir := b.TempDir()
		bin, diag, err := nativec.Compile(context.Background(), dir, ex.FileName(), ex.Source)
		if err != nil {
			b.Fatal(diag)
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			cmd := exec.Command(bin)
			cmd.Dir = dir
			if err := cmd.Run(); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric((cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds(), "cpu-s/op")
		}
	})
}
