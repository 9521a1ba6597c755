package interp

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/engine/sim"
)

const loopSrc = `#include <stdio.h>
int main(void) {
	long sum = 0;
	for (long i = 0; i < 10000000; i++) {
		sum += i ^ (i >> 3);
	}
	printf("%ld\n", sum);
	return 0;
}
`

// BenchmarkStatement is the cost of one statement of a tight arithmetic
// loop (the loop's test and increment count as its statements too):
// reported as ns/statement.
func BenchmarkStatement(b *testing.B) {
	prog, diags := Compile("loop.c", loopSrc)
	if len(diags) > 0 {
		b.Fatal(diags)
	}
	const statements = 10000000 * 3
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		eng := sim.New(engine.Options{})
		ex := prog.Run(context.Background(), eng, Config{}, nil)
		if ex.Status != 0 {
			b.Fatal(ex)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/statements, "ns/statement")
}

const pageByPageSrc = `#include <sys/mman.h>
#include <stdio.h>
int main(void) {
	char *p = mmap(NULL, 1 << 30, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) { perror("mmap"); return 1; }
	for (size_t i = 0; i < (1UL << 30); i += 4096)
		p[i] = 1;
	return 0;
}
`

// BenchmarkPageByPage1GiB is the whole 1 GiB page-by-page program on the
// simulated engine, with every event encoded as JSON into a reused buffer.
func BenchmarkPageByPage1GiB(b *testing.B) {
	prog, diags := Compile("bigtouch.c", pageByPageSrc)
	if len(diags) > 0 {
		b.Fatal(diags)
	}
	buf := make([]byte, 0, 4096)
	var events int
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		eng := sim.New(engine.Options{})
		events = 0
		ex := prog.Run(context.Background(), eng, Config{}, func(e *engine.Event) {
			buf = e.AppendJSON(buf[:0])
			events++
		})
		if ex.Status != 0 {
			b.Fatal(ex)
		}
	}
	b.ReportMetric(float64(events), "events")
}

// BenchmarkPageByPage1GiBNative is the same program built with gcc -O2 and
// run natively, to set beside BenchmarkPageByPage1GiB.
func BenchmarkPageByPage1GiBNative(b *testing.B) {
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		b.Skip("no gcc")
	}
	dir := b.TempDir()
	src := filepath.Join(dir, "bigtouch.c")
	bin := filepath.Join(dir, "bigtouch")
	if err := os.WriteFile(src, []byte(pageByPageSrc), 0o644); err != nil {
		b.Fatal(err)
	}
	if out, err := exec.Command(gcc, "-O2", "-o", bin, src).CombinedOutput(); err != nil {
		b.Fatal(err, string(out))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := exec.Command(bin).Run(); err != nil {
			b.Fatal(err)
		}
	}
}

// memoryLoopSrc is bench/interploop's program (testdata/memloop.c): 16 MiB mapped,
// five passes of p[i] = p[i] + 1 and a read pass.
func memoryLoopSrc(b *testing.B) string {
	src, err := os.ReadFile("../../bench/interploop/testdata/memloop.c")
	if err != nil {
		b.Fatal(err)
	}
	return string(src)
}

// BenchmarkMemoryLoop is the memory-bound loop on the simulated engine:
// reported as ns per load or store (100,663,296 of them).
func BenchmarkMemoryLoop(b *testing.B) {
	prog, diags := Compile("loop.c", memoryLoopSrc(b))
	if len(diags) > 0 {
		b.Fatal(diags)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		eng := sim.New(engine.Options{})
		var out []byte
		ex := prog.Run(context.Background(), eng, Config{MaxSteps: 1 << 40}, func(e *engine.Event) {
			if e.Type == engine.EvStdout {
				out = append(out, e.Text...)
			}
		})
		if ex.Status != 0 || string(out) != "83886080\n" {
			b.Fatal(ex, string(out))
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(6*16<<20), "ns/access")
}

// BenchmarkMemoryLoopNative is the same program built with gcc -O0 and run
// natively, to set beside BenchmarkMemoryLoop.
func BenchmarkMemoryLoopNative(b *testing.B) {
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		b.Skip("no gcc")
	}
	dir := b.TempDir()
	src := filepath.Join(dir, "loop.c")
	bin := filepath.Join(dir, "loop")
	if err := os.WriteFile(src, []byte(memoryLoopSrc(b)), 0o644); err != nil {
		b.Fatal(err)
	}
	if out, err := exec.Command(gcc, "-std=gnu11", "-O0", "-o", bin, src).CombinedOutput(); err != nil {
		b.Fatal(err, string(out))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := exec.Command(bin).Run(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(6*16<<20), "ns/access")
}
