// Command bigtouch measures the 1 GiB page-by-page program (262,144 page
// faults) natively, on the simulated engine with every event encoded, and on
// the real engine (gcc's build under ptrace, every fault's address sampled;
// "real" is the whole run with the build, "real-run" its exec to its exit),
// side by side in one run, and prints the medians and their
// ratios to the native build. The machine is shared and noisy: it alternates
// the contenders in each round so that they see the same noise.
//
//	go run ./bench/bigtouch [-rounds 5] [-engines sim,real]
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

	"github.com/mmapplayground/playground/internal/engine"
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
	rounds := flag.Int("rounds", 5, "rounds; each runs every contender once")
	engines := flag.String("engines", "sim,real", "engines to measure beside the native build")
	flag.Parse()
	if err := run(*rounds, strings.Split(*engines, ",")); err != nil {
		fmt.Fprintln(os.Stderr, "bigtouch:", err)
		os.Exit(1)
	}
}

func run(rounds int, engines []string) error {
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

	times := map[string][]time.Duration{}
	var peakHeap uint64
	var events, bytes, realFaults uint64
	for r := 0; r < rounds; r++ {
		start := time.Now()
		if out, err := exec.Command(bin).CombinedOutput(); err != nil {
			return fmt.Errorf("native: %v\n%s", err, out)
		}
		times["native"] = append(times["native"], time.Since(start))

		for _, eng := range engines {
			runtime.GC()
			debug.FreeOSMemory()
			var stop atomic.Bool
			heap := make(chan uint64)
			go sampleHeap(&stop, heap)
			var n, size, faults, execAt, exitAt uint64
			var buf []byte
			sink := func(e *engine.Event) {
				switch e.Type {
				case engine.EvFault:
					faults++
				case engine.EvExec:
					execAt = e.Time
				case engine.EvExit:
					exitAt = e.Time
				}
				buf = e.AppendJSON(buf[:0])
				buf = append(buf, '\n')
				n++
				size += uint64(len(buf))
				io.Discard.Write(buf)
			}
			start := time.Now()
			res, err := runner.Execute(context.Background(), runner.Request{Engine: eng, Name: "bigtouch.c", Source: program,
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
			times[eng] = append(times[eng], d)
			if eng == runner.EngineReal && exitAt > execAt {
				// The program's own run, from its exec to its exit, without
				// the build (gcc's, in the worker) and the worker's start.
				times["real-run"] = append(times["real-run"], time.Duration(exitAt-execAt))
				realFaults = faults
			}
			if eng == runner.EngineSim {
				peakHeap = max(peakHeap, h)
				events, bytes = n, size
			}
		}
	}

	native := median(times["native"])
	fmt.Printf("1 GiB page by page (262,144 faults), %d rounds, medians:\n", rounds)
	fmt.Printf("  %-8s %10s\n", "native", native.Round(time.Millisecond))
	for _, eng := range engines {
		m := median(times[eng])
		fmt.Printf("  %-8s %10s  %.2fx native\n", eng, m.Round(time.Millisecond), float64(m)/float64(native))
	}
	if m := median(times["real-run"]); m > 0 {
		fmt.Printf("  %-8s %10s  %.2fx native  (exec to exit, the build left out; %d fault events)\n", "real-run", m.Round(time.Millisecond), float64(m)/float64(native), realFaults)
	}
	if slices.Contains(engines, runner.EngineSim) {
		fmt.Printf("  sim: %d events, %.1f MiB of NDJSON, peak Go heap %.1f MiB\n", events, float64(bytes)/(1<<20), float64(peakHeap)/(1<<20))
	}
	return nil
}

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

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
