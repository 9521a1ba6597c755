package sandbox

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
)

// roundTripEvents are events of each shape, for the round trip and as the
// fuzz target's seeds.
func roundTripEvents() []engine.Event {
	vma := &engine.VMA{Start: 4096, End: 8192, Perms: "rw-p", Flags: []string{"MAYREAD"}, File: "data.bin", PresentPages: 1}
	return []engine.Event{
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
}

func TestDecodeEventRoundTrips(t *testing.T) {
	for _, e := range roundTripEvents() {
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

// FuzzDecodeEvent feeds the decoder what a compromised or broken worker
// could write. It must never panic; what it accepts must be one JSON
// object; and what it accepts must survive the encoder: the decoded event
// encoded again decodes to the same bytes (the stream the client gets
// stays self-consistent). What it found is kept in testdata/fuzz as seeds:
// a control byte in a key, "5-3" and "01" as numbers, text after the
// object, and the \ufffd escape against the character.
func FuzzDecodeEvent(f *testing.F) {
	for _, e := range roundTripEvents() {
		f.Add(e.AppendJSON(nil))
	}
	for _, s := range []string{
		`{}`, `{"type":"fault"}`, `{"type":"x","seq":-1}`, `{"type":"x","seq":18446744073709551616}`,
		`{"type":"x","addr":5-3}`, `{"type":"x","major":tru}`, `{"type":"x"} trailing`,
		`{"type":"x","text":"\ud800"}`, `{"type":"x","vma":{"start":1}`, `{"type":"x","args":[1,"a",true]}`,
		`{"type":"exit","counters":{}}`, `{"type":"x","path":["a"]]`, `{"type":"\u0066ault"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		e, err := DecodeEvent(line)
		if err != nil {
			return
		}
		if !json.Valid(line) {
			t.Fatalf("DecodeEvent accepted a line that is not JSON: %q", line)
		}
		once := e.AppendJSON(nil)
		e2, err := DecodeEvent(once)
		if err != nil {
			t.Fatalf("DecodeEvent refuses AppendJSON's own output %q (from %q): %v", once, line, err)
		}
		// The same JSON (invalid UTF-8 is written as the escape \ufffd the
		// first time, as the character after), and from then on the same
		// bytes.
		twice := e2.AppendJSON(nil)
		var v1, v2 any
		require.NoError(t, json.Unmarshal(once, &v1))
		require.NoError(t, json.Unmarshal(twice, &v2))
		if !reflect.DeepEqual(v1, v2) {
			t.Fatalf("not a fixed point:\n input %q\n once  %q\n twice %q", line, once, twice)
		}
		e3, err := DecodeEvent(twice)
		require.NoError(t, err)
		if thrice := e3.AppendJSON(nil); string(thrice) != string(twice) {
			t.Fatalf("not a fixed point:\n input  %q\n twice  %q\n thrice %q", line, twice, thrice)
		}
	})
}
