package engine_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
)

// The fixed part of the stream (issue 3): these keys are always present for
// their type, whatever their values.
func TestAppendJSONFixedFields(t *testing.T) {
	tests := []struct {
		name string
		ev   engine.Event
		keys []string
		want map[string]any
	}{
		{"syscall success has empty errno", engine.Event{Type: engine.EvSyscall, Name: "munmap", Args: engine.IntArgs(4096, 4096)},
			[]string{"type", "name", "args", "ret", "errno"}, map[string]any{"errno": "", "ret": 0.0}},
		{"syscall with path argument", engine.Event{Type: engine.EvSyscall, Name: "open", Args: []engine.Arg{{Str: "a\"b", IsStr: true}, {Int: -1}}, Ret: -1, Errno: "ENOENT"},
			[]string{"args", "errno"}, map[string]any{"args": []any{"a\"b", -1.0}, "errno": "ENOENT"}},
		{"vdso has name, args and ret", engine.Event{Type: engine.EvVDSO, Name: "__vdso_clock_gettime", Args: engine.IntArgs(-1, 4096), Ret: -22},
			[]string{"type", "name", "args", "ret"}, map[string]any{"args": []any{-1.0, 4096.0}, "ret": -22.0}},
		{"fault always has major", engine.Event{Type: engine.EvFault, Addr: 0, Access: "read", Kind: "anon-zero-page"},
			[]string{"type", "addr", "access", "kind", "major"}, map[string]any{"major": false, "addr": 0.0}},
		{"stdout keeps bytes", engine.Event{Type: engine.EvStdout, Text: "a\x00\n\t\u2028é"},
			[]string{"text"}, map[string]any{"text": "a\x00\n\t\u2028é"}},
		{"error has line and col", engine.Event{Type: engine.EvError, Message: "'o' undeclared", Line: 28, Col: 44},
			[]string{"message", "line", "col"}, map[string]any{"line": 28.0, "col": 44.0}},
		{"exit has vmas and counters", engine.Event{Type: engine.EvExit, Status: 135, Signal: "SIGBUS",
			VMAs: []engine.VMA{{Start: 4096, End: 8192, Perms: "rw-s", File: "data.bin", PresentPages: 1}}},
			[]string{"status", "signal", "vmas", "counters"}, map[string]any{"signal": "SIGBUS", "status": 135.0}},
		{"difference", engine.Event{Type: engine.EvDiff, Field: "faults", Sim: "1", Real: "16", Explained: "fault-around"},
			[]string{"field", "sim", "real", "explained"}, map[string]any{"real": "16"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := tt.ev.AppendJSON(nil)
			var m map[string]any
			require.NoError(t, json.Unmarshal(b, &m), string(b))
			for _, k := range tt.keys {
				assert.Contains(t, m, k, string(b))
			}
			for k, v := range tt.want {
				assert.Equal(t, v, m[k], k)
			}
		})
	}
}

func TestAppendJSONExitVMAFields(t *testing.T) {
	ev := engine.Event{Type: engine.EvExit, VMAs: []engine.VMA{{Start: 1, End: 2, Perms: "r--p", Offset: 8192, File: "f", PresentPages: 3}},
		Counters: &engine.Counters{MinorFaults: 7, MajorFaults: 2}}
	var got struct {
		VMAs     []engine.VMA    `json:"vmas"`
		Counters engine.Counters `json:"counters"`
	}
	require.NoError(t, json.Unmarshal(ev.AppendJSON(nil), &got))
	assert.Equal(t, ev.VMAs, got.VMAs)
	assert.Equal(t, *ev.Counters, got.Counters)
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", "\"\\\n\r\t\x01", "\xff\xfe", "日本\u2029"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ev := engine.Event{Type: engine.EvStdout, Text: s}
		var m map[string]any
		require.NoError(t, json.Unmarshal(ev.AppendJSON(nil), &m))
		want, _ := json.Marshal(s) // encoding/json also replaces invalid UTF-8
		var ws string
		require.NoError(t, json.Unmarshal(want, &ws))
		assert.Equal(t, ws, m["text"])
	})
}

func BenchmarkAppendJSONFault(b *testing.B) {
	ev := engine.Event{Seq: 123456, Time: 99999999, Type: engine.EvFault, Pid: 1000, Addr: 0x7fffb7fff000, Access: "write",
		Kind: "anon", Path: []string{"handle_mm_fault", "do_anonymous_page"}, PFN: 123456, Result: "ok", Line: 12, Col: 9}
	buf := make([]byte, 0, 512)
	b.ReportAllocs()
	for b.Loop() {
		buf = ev.AppendJSON(buf[:0])
	}
}
