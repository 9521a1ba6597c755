// Command bigtouch measures the 1 GiB page-by-page program (262,144 page
// faults) natively, on the simulated engine with every event encoded, and on
// the real engine (gcc's build under ptrace, every fault's address sampled;
// "real" is the whole run as a server runs it, the worker's start to its
// end, its build from the server's build cache after the first;
// "real-cold" the same with gcc's build in every run, as the CLI's one run;
// "real-run" the launcher's start to the exit event),
// side by side in one run, and prints the medians and their
// ratios to the native build, with the load average before and after. The
// machine is shared and noisy: a warm-up round is not counted, the order of
// the contenders alternates from round to round, and each round's ratio to
// that round's native run is kept, so that both of a pair see the same noise.
//
//	go run ./bench/bigtouch [-warmup 1] [-rounds 7] [-engines sim,real]
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/mmapplayground/playground/bench/internal/rusage"
	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/loadavg"
	"github.com/mmapplayground/playground/internal/runner"
	"github.com/mmapplayground/playground/internal/sandbox"
)

const program = `#include <stdio.h>
#include <sys/mman.h>

int main(void)
{
	size_t len = 1UL << 30;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (size_t i = 0; i < len; i += 4096)
		p[i] = 1;
	munmap(p, len);
	printf("touched %zu pages\n", len / 4096);
	return 0;
}
`

func main() {
	// The real engine's runs re-execute this binary as their sandboxed
	// worker, as they do the playground binary.
	if len(os.Args) > 1 && os.Args[1] == "worker" {
		if err := sandbox.WorkerMain(context.Background(), os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "bigtouch worker:", err)
			os.Exit(2)
		}
		return
	}
	rounds := flag.Int("rounds", 7, "measured rounds; each runs every contender once, in alternating order")
	warmup := flag.Int("warmup", 1, "rounds run first and not counted")
	engines := flag.String("engines", "sim,real", "engines to measure beside the native build")
	flag.Parse()
	if err := run(*warmup, *rounds, strings.Split(*engines, ",")); err != nil {
		fmt.Fprintln(os.Stderr, "bigtouch:", err)
		os.Exit(1)
	}
}

// A measurement of one contender in one round: its wall time and the CPU
// time of the processes it ran (the native program; the worker, the
// compiler and the program, from getrusage(RUSAGE_CHILDREN), and this
// process's own, which decodes the worker's events, from RUSAGE_SELF).
type measure struct {
	wall, cpu time.Duration
}

func run(warmup, rounds int, engines []string) error {
	dir, err := os.MkdirTemp("", "bigtouch")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	src := filepath.Join(dir, "bigtouch.c")
	bin := filepath.Join(dir, "bigtouch")
	if err := os.WriteFile(src, []byte(program), 0o644); err != nil {
		return err
	}
	if out, err := exec.Command("gcc", "-O2", "-o", bin, src).CombinedOutput(); err != nil {
		return fmt.Errorf("gcc: %v\n%s", err, out)
	}

	loadBefore := loadavg.Text()
	times := map[string][]measure{}
	// ratios are each round's time over that round's native time: the
	// noise of a shared machine hits both of a pair alike.
	ratios := map[string][]float64{}
	var peakHeap uint64
	var events, bytes, realFaults uint64
	contenders := append([]string{"native"}, engines...)
	if slices.Contains(engines, runner.EngineReal) {
		contenders = append(contenders, "real-cold")
	}
	// The real engine's runs as a server makes them: its Runner keeps
	// gcc's builds (api.DefaultLimits.BuildCacheBytes).
	server := runner.WithBuildCache(32 << 20)
	for r := -warmup; r < rounds; r++ {
		order := slices.Clone(contenders)
		if r%2 != 0 {
			// Alternate: native first in even rounds, last in odd ones.
			slices.Reverse(order)
		}
		round := map[string]measure{}
		for _, eng := range order {
			if eng == "native" {
				cpu0 := rusage.Children()
				start := time.Now()
				if out, err := exec.Command(bin).CombinedOutput(); err != nil {
					return fmt.Errorf("native: %v\n%s", err, out)
				}
				round["native"] = measure{time.Since(start), rusage.Children() - cpu0}
				continue
			}
			runtime.GC()
			debug.FreeOSMemory()
			var stop atomic.Bool
			heap := make(chan uint64)
			go sampleHeap(&stop, heap)
			var n, size, faults, exitAt uint64
			var buf []byte
			sink := func(e *engine.Event) {
				switch e.Type {
				case engine.EvFault:
					faults++
				case engine.EvExit:
					exitAt = e.Time
				}
				buf = e.AppendJSON(buf[:0])
				buf = append(buf, '\n')
				n++
				size += uint64(len(buf))
				io.Discard.Write(buf)
			}
			cpu0 := rusage.Children() + rusage.Self()
			start := time.Now()
			rn, engName := server, eng
			if eng == "real-cold" {
				rn, engName = new(runner.Runner), runner.EngineReal
			}
			res, err := rn.Execute(context.Background(), runner.Request{Engine: engName, Name: "bigtouch.c", Source: program,
				Limits: runner.Limits{WallTime: 5 * time.Minute}}, sink)
			d := time.Since(start)
			stop.Store(true)
			h := <-heap
			if err != nil {
				return fmt.Errorf("%s: %w", eng, err)
			}
			if res.Status != 0 {
				return fmt.Errorf("%s: the program ended with status %d %s", eng, res.Status, res.Signal)
			}
			round[eng] = measure{d, rusage.Children() + rusage.Self() - cpu0}
			if eng == runner.EngineReal && exitAt > 0 {
				// The program's own run, from the launcher's start (the
				// real engine's clock starts there: its exec, the loader,
				// then the program, as the native run's exec) to its exit
				// event, without the worker's start and gcc's build.
				round["real-run"] = measure{wall: time.Duration(exitAt)}
				realFaults = faults
			}
			if eng == runner.EngineSim {
				peakHeap = max(peakHeap, h)
				events, bytes = n, size
			}
		}
		if r < 0 {
			continue
		}
		for eng, m := range round {
			times[eng] = append(times[eng], m)
			ratios[eng] = append(ratios[eng], float64(m.wall)/float64(round["native"].wall))
		}
	}

	native := median(times["native"], wallOf)
	fmt.Printf("1 GiB page by page (262,144 faults), %d warm-up + %d rounds in alternating order, medians:\n", warmup, rounds)
	fmt.Printf("  load average before: %s\n", loadBefore)
	fmt.Printf("  %-8s %10s  cpu %8s\n", "native", native.Round(time.Millisecond), median(times["native"], cpuOf).Round(time.Millisecond))
	for _, eng := range contenders[1:] {
		m := median(times[eng], wallOf)
		c := median(times[eng], cpuOf)
		fmt.Printf("  %-8s %10s  cpu %8s  %.2fx native (median of the rounds' ratios %.2fx; cpu %.2fx)\n", eng, m.Round(time.Millisecond),
			c.Round(time.Millisecond), float64(m)/float64(native), medianF(ratios[eng]), float64(c)/float64(median(times["native"], cpuOf)))
	}
	if m := median(times["real-run"], wallOf); m > 0 {
		fmt.Printf("  %-8s %10s  %.2fx native (median of the rounds' ratios %.2fx)  (the launcher's start to the exit event, the worker's start and the build left out; %d fault events)\n",
			"real-run", m.Round(time.Millisecond), float64(m)/float64(native), medianF(ratios["real-run"]), realFaults)
	}
	if slices.Contains(engines, runner.EngineSim) {
		fmt.Printf("  sim: %d events, %.1f MiB of NDJSON, peak Go heap %.1f MiB\n", events, float64(bytes)/(1<<20), float64(peakHeap)/(1<<20))
	}
	fmt.Printf("  load average after: %s\n", loadavg.Text())
	return nil
}

func wallOf(m measure) time.Duration { return m.wall }
func cpuOf(m measure) time.Duration  { return m.cpu }

// sampleHeap reports the largest live heap seen until stop is set.
func sampleHeap(stop *atomic.Bool, out chan<- uint64) {
	var peak uint64
	var ms runtime.MemStats
	for !stop.Load() {
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapInuse)
		time.Sleep(5 * time.Millisecond)
	}
	out <- peak
}

func median(ms []measure, of func(measure) time.Duration) time.Duration {
	if len(ms) == 0 {
		return 0
	}
	s := make([]time.Duration, len(ms))
	for i, m := range ms {
		s[i] = of(m)
	}
	slices.Sort(s)
	return s[len(s)/2]
}

func medianF(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}
