package sim

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mmapplayground/playground/internal/engine"
)

// BenchmarkAnonWriteFault is one write fault on fresh anonymous memory:
// do_anonymous_page, a frame, a PTE and the encoded fault event.
func BenchmarkAnonWriteFault(b *testing.B) {
	e, pid := newProc(b, engine.Options{})
	buf := make([]byte, 0, 4096)
	e.SetSink(func(ev *engine.Event) { buf = ev.AppendJSON(buf[:0]) })
	const span = 1 << 30
	r := call(e, pid, "mmap", 0, span, 3, engine.MAP_PRIVATE|engine.MAP_ANONYMOUS|engine.MAP_NORESERVE, -1, 0)
	if r.Errno != 0 {
		b.Fatal(r.Errno)
	}
	base := uint64(r.Ret)
	one := []byte{1}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		off := uint64(i%(span>>engine.PageShift)) << engine.PageShift
		if i > 0 && off == 0 {
			b.StopTimer()
			call(e, pid, "munmap", int64(base), span)
			call(e, pid, "mmap", int64(base), span, 3, engine.MAP_PRIVATE|engine.MAP_ANONYMOUS|engine.MAP_FIXED, -1, 0)
			b.StartTimer()
		}
		if err := e.Store(pid, base+off, one); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAnon1GiB is the whole program of the issue: map 1 GiB, store one
// byte in each of its 262,144 pages, unmap, with every event encoded (to a
// reused buffer, as a streaming writer would). testdata/kernel/anon1g.c is
// the same program natively. It reports the heap in use at its peak
// (heapMiB, sampled in the first run) and the events.
func BenchmarkAnon1GiB(b *testing.B) {
	const span = 1 << 30
	one := []byte{1}
	var peak uint64
	var events int
	b.ReportAllocs()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		e, pid := newProc(b, engine.Options{})
		buf := make([]byte, 0, 4096)
		events = 0
		e.SetSink(func(ev *engine.Event) { buf = ev.AppendJSON(buf[:0]); events++ })
		r := call(e, pid, "mmap", 0, span, 3, engine.MAP_PRIVATE|engine.MAP_ANONYMOUS, -1, 0)
		if r.Errno != 0 {
			b.Fatal(r.Errno)
		}
		base := uint64(r.Ret)
		for off := uint64(0); off < span; off += engine.PageSize {
			if err := e.Store(pid, base+off, one); err != nil {
				b.Fatal(err)
			}
			// Sample the heap in the first run, at each quarter and at the end.
			if i == 0 && (off>>engine.PageShift)%65536 == 65535 {
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
		}
		call(e, pid, "munmap", int64(base), span)
	}
	// CPU time (user+system, all threads) per run: steadier than wall time
	// on a machine shared with other work.
	b.ReportMetric(float64(cpuTime()-cpu0)/1e6/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(peak)/(1<<20), "heapMiB")
	b.ReportMetric(float64(events), "events")
}

// BenchmarkSnapshot1GiB is Snapshot and Restore of the engine after the
// 1 GiB program's stores: the cost of a step back.
func BenchmarkSnapshot1GiB(b *testing.B) {
	const span = 1 << 30
	e, pid := newProc(b, engine.Options{})
	r := call(e, pid, "mmap", 0, span, 3, engine.MAP_PRIVATE|engine.MAP_ANONYMOUS, -1, 0)
	for off := uint64(0); off < span; off += engine.PageSize {
		if err := e.Store(pid, uint64(r.Ret)+off, []byte{1}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s := e.Snapshot()
		if err := e.Restore(s); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAnon1GiBNative runs testdata/kernel/anon1g.c, the same program
// natively, and reports the time it measures itself (native-ms), to set
// beside BenchmarkAnon1GiB.
func BenchmarkAnon1GiBNative(b *testing.B) {
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		b.Skip("gcc not found")
	}
	bin := filepath.Join(b.TempDir(), "anon1g")
	if out, err := exec.Command(gcc, "-O2", "-o", bin, "testdata/kernel/anon1g.c").CombinedOutput(); err != nil {
		b.Fatalf("%v: %s", err, out)
	}
	var total float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out, err := exec.Command(bin).Output()
		if err != nil {
			b.Fatal(err)
		}
		ms, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(string(out)), " ms"), 64)
		if err != nil {
			b.Fatal(err)
		}
		total += ms
	}
	b.ReportMetric(total/float64(b.N), "native-ms")
}

// BenchmarkMunmapSparse is mm/virtual_address_range's ending: chunks of
// 1 GiB mapped top-down (one merged area), one page of each read (the
// zero page, a PMD and a PTE table a gigabyte), then each chunk unmapped
// in the order it was mapped, every event encoded. A munmap splits the
// area's top gigabyte off, and the events tell both pieces' present
// pages: the cost of one munmap is reported (ns/munmap), which should not
// grow with the area's size. heapMiB is the heap live once all is
// mapped and read.
func BenchmarkMunmapSparse(b *testing.B) {
	for _, chunks := range []int{1024, 8192} {
		b.Run(strconv.Itoa(chunks), func(b *testing.B) {
			const gib = 1 << 30
			var heap uint64
			var spent time.Duration
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				e, pid := newProc(b, engine.Options{})
				buf := make([]byte, 0, 4096)
				e.SetSink(func(ev *engine.Event) { buf = ev.AppendJSON(buf[:0]) })
				one := make([]byte, 1)
				addrs := make([]int64, chunks)
				for c := range addrs {
					r := call(e, pid, "mmap", 0, gib, 3, engine.MAP_PRIVATE|engine.MAP_ANONYMOUS, -1, 0)
					if r.Errno != 0 {
						b.Fatal(r.Errno)
					}
					addrs[c] = r.Ret
					if err := e.Load(pid, uint64(r.Ret), one); err != nil {
						b.Fatal(err)
					}
				}
				runtime.GC()
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				heap = ms.HeapAlloc
				b.StartTimer()
				t0 := time.Now()
				for _, a := range addrs {
					if r := call(e, pid, "munmap", a, gib); r.Errno != 0 {
						b.Fatal(r.Errno)
					}
				}
				spent += time.Since(t0)
			}
			b.ReportMetric(float64(spent.Nanoseconds())/float64(b.N*chunks), "ns/munmap")
			b.ReportMetric(float64(heap)/(1<<20), "heapMiB")
		})
	}
}
