package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/mmapplayground/playground/internal/engine"
)

// wireEvent is the JSON of engine.Event.AppendJSON, field by field.
type wireEvent struct {
	Type      string            `json:"type"`
	Seq       uint64            `json:"seq"`
	T         uint64            `json:"t"`
	Pid       int               `json:"pid"`
	Engine    string            `json:"engine"`
	Line      int               `json:"line"`
	Col       int               `json:"col"`
	Name      string            `json:"name"`
	Args      []json.RawMessage `json:"args"`
	Ret       int64             `json:"ret"`
	Errno     string            `json:"errno"`
	Path      []string          `json:"path"`
	Op        string            `json:"op"`
	Why       string            `json:"why"`
	VMA       *engine.VMA       `json:"vma"`
	Old       *engine.VMA       `json:"old"`
	Addr      uint64            `json:"addr"`
	Pages     int               `json:"pages"`
	PFN       uint64            `json:"pfn"`
	Bits      string            `json:"bits"`
	Level     string            `json:"level"`
	Access    string            `json:"access"`
	Kind      string            `json:"kind"`
	Major     bool              `json:"major"`
	Result    string            `json:"result"`
	File      string            `json:"file"`
	Index     uint64            `json:"index"`
	State     string            `json:"state"`
	Dir       string            `json:"dir"`
	Bytes     uint64            `json:"bytes"`
	Signal    string            `json:"signal"`
	Code      string            `json:"code"`
	Status    int               `json:"status"`
	Child     int               `json:"child"`
	Text      string            `json:"text"`
	Label     string            `json:"label"`
	Message   string            `json:"message"`
	VMAs      []engine.VMA      `json:"vmas"`
	Counters  *engine.Counters  `json:"counters"`
	Count     uint64            `json:"count"`
	Field     string            `json:"field"`
	Sim       string            `json:"sim"`
	Real      string            `json:"real"`
	Explained string            `json:"explained"`
}

// DecodeEvent parses one line written by engine.Event.AppendJSON.
// AppendJSON(DecodeEvent(line)) gives the line back.
func DecodeEvent(line []byte) (engine.Event, error) {
	var w wireEvent
	if err := json.Unmarshal(line, &w); err != nil {
		return engine.Event{}, fmt.Errorf("sandbox: bad event line: %w", err)
	}
	if w.Type == "" {
		return engine.Event{}, fmt.Errorf("sandbox: event line without a type: %.80s", line)
	}
	e := engine.Event{
		Seq: w.Seq, Time: w.T, Type: w.Type, Pid: w.Pid, Engine: w.Engine,
		Line: w.Line, Col: w.Col, Name: w.Name, Ret: w.Ret, Errno: w.Errno, Path: w.Path,
		Op: w.Op, Why: w.Why, VMA: w.VMA, Old: w.Old, Addr: w.Addr, Pages: w.Pages, PFN: w.PFN,
		Bits: w.Bits, Level: w.Level, Access: w.Access, Kind: w.Kind, Major: w.Major, Result: w.Result,
		File: w.File, Index: w.Index, State: w.State, Dir: w.Dir, Bytes: w.Bytes,
		Signal: w.Signal, Code: w.Code, Status: w.Status, Child: w.Child,
		Text: w.Text, Label: w.Label, Message: w.Message, VMAs: w.VMAs, Counters: w.Counters,
		Count: w.Count, Field: w.Field, Sim: w.Sim, Real: w.Real, Explained: w.Explained,
	}
	if e.Type == engine.EvExit && e.Counters != nil && *e.Counters == (engine.Counters{}) && bytes.Contains(line, []byte(`"counters":{}`)) {
		e.Counters = nil
	}
	if len(w.Args) > 0 {
		e.Args = make([]engine.Arg, len(w.Args))
		for i, raw := range w.Args {
			if len(raw) > 0 && raw[0] == '"' {
				if err := json.Unmarshal(raw, &e.Args[i].Str); err != nil {
					return engine.Event{}, fmt.Errorf("sandbox: bad argument: %w", err)
				}
				e.Args[i].IsStr = true
			} else if err := json.Unmarshal(raw, &e.Args[i].Int); err != nil {
				return engine.Event{}, fmt.Errorf("sandbox: bad argument: %w", err)
			}
		}
	} else if e.Type == engine.EvSyscall {
		e.Args = []engine.Arg{}
	}
	return e, nil
}
