package sandbox

import (
	"context"
	"fmt"
	"os/exec"
	"slices"
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

// BenchmarkPacedFaultStops is a paced run (the page's session) of a
// program that touches 20,000 pages, let run (its sink takes each event at
// once, as a session's that was told to continue), with the stops at each
// fault off (as now, while the page does not step by fault) and on (as
// every paced run had them before: a SIGTRAP and a tracer stop per
// fault), in alternating order from round to round. It reports the
// medians of the program's run (its exec event to its exit event) for
// each; run it with -benchtime=7x for seven rounds.
func BenchmarkPacedFaultStops(b *testing.B) {
	const pages = 20000
	src := fmt.Sprintf(`#include <stdlib.h>
#include <sys/mman.h>
int main(void) {
	char *p = mmap(NULL, %[1]d * 4096L, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 1;
	for (long i = 0; i < %[1]d; i++)
		p[i * 4096] = 1;
	return 0;
}
`, pages)
	cfg := Config{Root: b.TempDir(), Command: testCommand(), Env: testEnv()}
	once := func(stops bool) time.Duration {
		var w *Worker
		var t0, t1 time.Time
		faults := 0
		started := make(chan struct{})
		sink := func(e *engine.Event) {
			switch e.Type {
			case engine.EvNote:
				if e.Seq == 1 && stops {
					<-started
					ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
					defer cancel()
					if err := w.SetFaultStops(ctx, true); err != nil {
						b.Error(err)
					}
				}
			case engine.EvExec:
				t0 = time.Now()
			case engine.EvFault:
				faults++
			case engine.EvExit:
				t1 = time.Now()
			}
		}
		var err error
		w, err = cfg.Start(context.Background(), Job{Source: src, Paced: true, Limits: Limits{WallTime: 5 * time.Minute, CPUTime: 5 * time.Minute}}, sink)
		if err != nil {
			b.Fatal(err)
		}
		close(started)
		res, err := w.Wait()
		if err != nil || res.Status != 0 || faults < pages {
			b.Fatalf("%v %+v, %d faults", err, res, faults)
		}
		return t1.Sub(t0)
	}
	var off, on []time.Duration
	for i := 0; i < b.N; i++ {
		if i%2 == 0 {
			off = append(off, once(false))
			on = append(on, once(true))
		} else {
			on = append(on, once(true))
			off = append(off, once(false))
		}
	}
	median := func(d []time.Duration) float64 {
		s := slices.Clone(d)
		slices.Sort(s)
		return s[len(s)/2].Seconds()
	}
	b.ReportMetric(median(off), "stops-off-s")
	b.ReportMetric(median(on), "stops-on-s")
	b.ReportMetric(0, "ns/op")
}
