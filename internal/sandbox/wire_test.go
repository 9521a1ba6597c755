package sandbox

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
)

func TestDecodeEventRoundTrips(t *testing.T) {
	vma := &engine.VMA{Start: 4096, End: 8192, Perms: "rw-p", Flags: []string{"MAYREAD"}, File: "data.bin", PresentPages: 1}
	tests := []engine.Event{
		{Type: engine.EvSyscall, Seq: 1, Time: 5, Pid: 7, Name: "open", Args: []engine.Arg{{Str: "a\"b\n", IsStr: true}, {Int: -1}}, Ret: -1, Errno: "ENOENT", Line: 3, Col: 4},
		{Type: engine.EvSyscall, Name: "getpid", Args: []engine.Arg{}, Ret: 12},
		{Type: engine.EvFault, Addr: 1 << 46, Access: "write", Kind: "anon", Major: true, Result: "ok", Pages: 16},
		{Type: engine.EvVMA, Op: "change", Why: "mprotect", VMA: vma, Old: vma},
		{Type: engine.EvStdout, Text: "héllo\t\x01"},
		{Type: engine.EvError, Message: "boom", Line: 2, Col: 9, Text: "o"},
		{Type: engine.EvExit, Status: 0, Signal: "SIGSEGV", VMAs: []engine.VMA{*vma}, Counters: &engine.Counters{MinorFaults: 3}},
		{Type: engine.EvExit, Status: 1},
		{Type: engine.EvDiff, Field: "stdout", Sim: "a", Real: "b", Explained: "x"},
		{Type: engine.EvNote, Message: "note"},
	}
	for _, e := range tests {
		line := e.AppendJSON(nil)
		got, err := DecodeEvent(line)
		require.NoError(t, err, string(line))
		assert.Equal(t, string(line), string(got.AppendJSON(nil)))
	}
	_, err := DecodeEvent([]byte(`{"seq":1}`))
	assert.Error(t, err)
}

func BenchmarkDecodeFault(b *testing.B) {
	e := engine.Event{Type: engine.EvFault, Seq: 123456, Time: 987654321, Pid: 4242, Addr: 1 << 46, Access: "write", Kind: "anon", Result: "ok", Pages: 1, Line: 27, Col: 3}
	line := e.AppendJSON(nil)
	for i := 0; i < b.N; i++ {
		DecodeEvent(line)
	}
}

func BenchmarkDecodeIntoFault(b *testing.B) {
	e := engine.Event{Type: engine.EvFault, Seq: 123456, Time: 987654321, Pid: 4242, Addr: 1 << 46, Access: "write", Kind: "anon", Result: "ok", Pages: 1, Line: 27, Col: 3}
	line := e.AppendJSON(nil)
	var ev engine.Event
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		decodeInto(line, &ev)
	}
}
