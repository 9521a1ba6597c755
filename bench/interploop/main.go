// Command interploop measures the interpreter on a memory-bound loop: 16 MiB
// mapped, five passes of p[i] = p[i] + 1 and a read pass (100 million loads
// and stores), built natively with gcc -O0 and run on the simulated engine,
// alternately, and prints the medians of wall-clock and CPU time (user +
// system: the interpreter's whole process, garbage collector included),
// their ratios and the load average. The machine is shared and noisy:
// alternating the two lets them see the same noise, a warm-up pair is not
// counted, and CPU time is what a loaded machine disturbs least.
//
//	go run ./bench/interploop [-pairs 7]
package main

import (
	"context"
	_ "embed"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/mmapplayground/playground/bench/internal/rusage"
	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/loadavg"
	"github.com/mmapplayground/playground/internal/runner"
)

// program is the loop, also the interpreter's BenchmarkMemoryLoop's (it
// reads the same file): 16 MiB mapped, five passes of p[i] = p[i] + 1 and
// a read pass.
//
//go:embed testdata/memloop.c
var program string

const want = "83886080\n"

func main() {
	pairs := flag.Int("pairs", 7, "measured pairs (native, interpreter), after one warm-up pair")
	flag.Parse()
	if err := run(*pairs); err != nil {
		fmt.Fprintln(os.Stderr, "interploop:", err)
		os.Exit(1)
	}
}

func run(pairs int) error {
	dir, err := os.MkdirTemp("", "interploop")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	src := filepath.Join(dir, "loop.c")
	bin := filepath.Join(dir, "loop")
	if err := os.WriteFile(src, []byte(program), 0o644); err != nil {
		return err
	}
	if out, err := exec.Command("gcc", "-std=gnu11", "-O0", "-o", bin, src).CombinedOutput(); err != nil {
		return fmt.Errorf("gcc: %v\n%s", err, out)
	}
	load0 := loadavg.Text()
	var native, interp, nativeCPU, interpCPU []time.Duration
	for i := 0; i <= pairs; i++ {
		start := time.Now()
		cmd := exec.Command(bin)
		out, err := cmd.Output()
		d := time.Since(start)
		if err != nil || string(out) != want {
			return fmt.Errorf("native: %v %q", err, out)
		}
		if i > 0 {
			native = append(native, d)
			nativeCPU = append(nativeCPU, cmd.ProcessState.UserTime()+cmd.ProcessState.SystemTime())
		}

		var stdout strings.Builder
		var buf []byte
		sink := func(e *engine.Event) {
			buf = e.AppendJSON(buf[:0])
			io.Discard.Write(buf)
			if e.Type == engine.EvStdout {
				stdout.WriteString(e.Text)
			}
		}
		cpu0 := rusage.Self()
		start = time.Now()
		res, err := runner.Execute(context.Background(), runner.Request{Engine: runner.EngineSim, Name: "loop.c", Source: program,
			Limits: runner.Limits{WallTime: 5 * time.Minute}}, sink)
		d = time.Since(start)
		c := rusage.Self() - cpu0
		if err != nil || res.Status != 0 || stdout.String() != want {
			return fmt.Errorf("interpreter: %v, status %d, printed %q", err, res.Status, stdout.String())
		}
		if i > 0 {
			interp = append(interp, d)
			interpCPU = append(interpCPU, c)
		}
	}
	n, s := median(native), median(interp)
	nc, sc := median(nativeCPU), median(interpCPU)
	fmt.Printf("16 MiB, 5 passes of p[i] = p[i] + 1 and a read pass (100,663,296 loads and stores), %d pairs after a warm-up, medians:\n", pairs)
	fmt.Printf("  %-18s %10s %10s\n", "", "wall", "cpu")
	fmt.Printf("  %-18s %10s %10s\n", "native gcc -O0", n.Round(time.Millisecond), nc.Round(time.Millisecond))
	fmt.Printf("  %-18s %10s %10s\n", "interpreter, sim", s.Round(time.Millisecond), sc.Round(time.Millisecond))
	fmt.Printf("  %-18s %9.1fx %9.1fx\n", "ratio", float64(s)/float64(n), float64(sc)/float64(nc))
	fmt.Printf("  load average before %s, after %s (%d CPUs)\n", load0, loadavg.Text(), runtime.NumCPU())
	return nil
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
