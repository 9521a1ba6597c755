package trace_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/trace"
)

func TestFormatSyscall(t *testing.T) {
	tests := []struct {
		name string
		ev   engine.Event
		want string
	}{
		{"mmap shared file", engine.Event{Name: "mmap", Args: engine.IntArgs(0, 4096, 3, 1, 3, 0), Ret: 0x7ffff7ffe000},
			"mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0) = 0x7ffff7ffe000"},
		{"mmap anon failed", engine.Event{Name: "mmap", Args: engine.IntArgs(0, 0, 3, 0x22, -1, 0), Ret: -1, Errno: "EINVAL"},
			"mmap(NULL, 0, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = -1 EINVAL (Invalid argument)"},
		{"mprotect none", engine.Event{Name: "mprotect", Args: engine.IntArgs(0x1000, 4096, 0), Ret: 0},
			"mprotect(0x1000, 4096, PROT_NONE) = 0"},
		{"open with path", engine.Event{Name: "open", Args: []engine.Arg{{Str: "data.bin", IsStr: true}, {Int: 0x42}, {Int: 0o644}}, Ret: 3},
			`open("data.bin", O_RDWR|O_CREAT, 0644) = 3`},
		{"openat cwd", engine.Event{Name: "openat", Args: []engine.Arg{{Int: engine.AT_FDCWD}, {Str: "x", IsStr: true}, {Int: 0}, {Int: 0}}, Ret: -1, Errno: "ENOENT"},
			`openat(AT_FDCWD, "x", O_RDONLY, 0) = -1 ENOENT (No such file or directory)`},
		{"msync", engine.Event{Name: "msync", Args: engine.IntArgs(0x7000, 8192, 4)}, "msync(0x7000, 8192, MS_SYNC) = 0"},
		{"madvise", engine.Event{Name: "madvise", Args: engine.IntArgs(0x7000, 8192, 4)}, "madvise(0x7000, 8192, MADV_DONTNEED) = 0"},
		{"unknown flag bits kept", engine.Event{Name: "mmap", Args: engine.IntArgs(0, 4096, 1, 0x8000002, -1, 0), Ret: -1, Errno: "EINVAL"},
			"mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|0x8000000, -1, 0) = -1 EINVAL (Invalid argument)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.ev.Type = engine.EvSyscall
			assert.Equal(t, tt.want, trace.FormatSyscall(&tt.ev))
		})
	}
}

func TestWriterLeavesOutputAndFineEvents(t *testing.T) {
	var buf bytes.Buffer
	w := trace.New(&buf)
	w.Event(&engine.Event{Type: engine.EvStdout, Text: "hello\n"})
	w.Event(&engine.Event{Type: engine.EvPTE, Op: "set", Addr: 0x1000})
	w.Event(&engine.Event{Type: engine.EvFault, Addr: 0x1000, Access: "write", Kind: "anon", Path: []string{"handle_mm_fault", "do_anonymous_page"}, PFN: 42})
	w.Event(&engine.Event{Type: engine.EvSignal, Signal: "SIGBUS", Code: "BUS_ADRERR", Addr: 0x2000})
	w.Event(&engine.Event{Type: engine.EvExit, Status: 135, Signal: "SIGBUS"})
	assert.Equal(t, "  fault write 0x1000 anon: handle_mm_fault > do_anonymous_page (pfn 0x2a)\n"+
		"--- SIGBUS {si_code=BUS_ADRERR, si_addr=0x2000} ---\n"+
		"+++ killed by SIGBUS +++\n", buf.String())
}
