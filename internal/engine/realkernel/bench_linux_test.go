package realkernel

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/mmapplayground/playground/internal/engine"
)

// benchTouch is the 1 GiB page-by-page program's memory traffic on the
// engine alone: map 1 GiB, write a byte to each page, read each back, unmap;
// every event encoded as the worker encodes it.
func benchTouch(b *testing.B, observe string) {
	const length = 1 << 30
	cpu0 := processCPU()
	defer func() { b.ReportMetric((processCPU()-cpu0).Seconds()/float64(b.N), "cpu-s/op") }()
	for i := 0; i < b.N; i++ {
		e, err := New(Options{Dir: b.TempDir(), Observe: observe})
		if err != nil {
			b.Fatal(err)
		}
		var buf []byte
		events := 0
		e.SetSink(func(ev *engine.Event) { buf = ev.AppendJSON(buf[:0]); events++ })
		p, err := e.Exec(engine.Image{Name: "bigtouch"})
		if err != nil {
			b.Fatal(err)
		}
		r := e.Syscall(p.Pid, engine.Call{Name: "mmap", Args: []int64{0, length, 3, engine.MAP_PRIVATE | engine.MAP_ANONYMOUS, -1, 0}})
		base := uint64(r.Ret)
		one := []byte{1}
		for off := uint64(0); off < length; off += 4096 {
			if err := e.Store(p.Pid, base+off, one); err != nil {
				b.Fatal(err)
			}
		}
		var x [1]byte
		for off := uint64(0); off < length; off += 4096 {
			e.Load(p.Pid, base+off, x[:])
		}
		e.Syscall(p.Pid, engine.Call{Name: "munmap", Args: []int64{int64(base), length}})
		e.Close()
		b.ReportMetric(float64(events), "events/op")
	}
}

func BenchmarkTouch1GiB(b *testing.B)       { benchTouch(b, "") }
func BenchmarkTouch1GiBRusage(b *testing.B) { benchTouch(b, "rusage") }

// BenchmarkTouch1GiBNative is the same program built with gcc -O2.
func BenchmarkTouch1GiBNative(b *testing.B) {
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		b.Skip("no gcc")
	}
	bin := filepath.Join(b.TempDir(), "touch")
	if out, err := exec.Command(gcc, "-O2", "-o", bin, "testdata/touch1g.c").CombinedOutput(); err != nil {
		b.Fatalf("gcc: %v\n%s", err, out)
	}
	b.ResetTimer()
	var cpu time.Duration
	defer func() { b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op") }()
	for i := 0; i < b.N; i++ {
		cmd := exec.Command(bin)
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			b.Fatal(err)
		}
		cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
}

// processCPU is this process's user and system time so far.
func processCPU() time.Duration {
	var ru unix.Rusage
	unix.Getrusage(unix.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
