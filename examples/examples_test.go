package examples

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mmapplayground/playground/internal/engine"
)

func TestAllParse(t *testing.T) {
	all := All()
	if len(all) == 0 {
		t.Fatal("no examples")
	}
	for _, e := range all {
		if e.Title == "" || e.TitleZh == "" || len(e.Engines) == 0 {
			t.Errorf("%s: incomplete header: %+v", e.Name, e)
		}
		for _, a := range e.Args {
			if strings.Contains(a, "/") {
				t.Errorf("%s: argument %q should name a file in the working directory", e.Name, a)
			}
		}
		if g, ok := Get(e.Name + ".c"); !ok || g.Name != e.Name {
			t.Errorf("Get(%q) failed", e.Name+".c")
		}
	}
}

func TestParseHeader(t *testing.T) {
	src := "// title: T\n// files: a.bin=\"hi\\n\"\n// files: b.bin=size:30\n// args: a.bin x\n// engines: sim\n// expect: signal SIGBUS\nint main(void){return 0;}\n"
	e, err := Parse("t", src)
	if err != nil {
		t.Fatal(err)
	}
	if e.Files["a.bin"] != "hi\n" || e.Files["b.bin"] != Pattern(30) || len(e.Files["b.bin"]) != 30 {
		t.Errorf("files: %q", e.Files)
	}
	if !slices.Equal(e.Args, []string{"a.bin", "x"}) || !slices.Equal(e.Engines, []string{"sim"}) {
		t.Errorf("args %q engines %q", e.Args, e.Engines)
	}
	if e.Expect.Signal != "SIGBUS" || e.Expect.String() != "signal SIGBUS" || e.TitleZh != "T" {
		t.Errorf("expect %+v", e.Expect)
	}
	if e.Source != "int main(void){return 0;}\n" {
		t.Errorf("the source keeps header lines: %q", e.Source)
	}
	for _, bad := range []string{"// title: T\n// expect: maybe\n", "// title: T\n// engines: vm\n", "// title: T\n// files: x=size:-1\n", "int x;\n"} {
		if _, err := Parse("bad", bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
}

// TestSourceHasNoHeader: what a student sees in the editor (and the CLI's
// examples prints) is the program as a reader would: the header's lines and
// the "//" that ends the header block are gone, the program's own comments
// stay, and a header at the end leaves the lines above it where they were.
func TestSourceHasNoHeader(t *testing.T) {
	tests := []struct {
		name, src, want, from string
	}{
		{"header on top", "// title: T\n// from: the tutorial “X”\n// engines: sim\n//\n// What it shows.\nint x;\n",
			"// What it shows.\nint x;\n", "the tutorial “X”"},
		{"header at the end", "int x;\n\n// title: T\n// expect: exit 0\n//\n// A note.\n", "int x;\n\n// A note.\n", ""},
		{"the program's own key: value comments", "// title: T\n// Note: this stays\n// engines: sim,real\nint x;\n",
			"// Note: this stays\nint x;\n", ""},
		{"a lone // not after the header", "// title: T\nint x;\n//\n", "int x;\n//\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := Parse("t", tt.src)
			if err != nil {
				t.Fatal(err)
			}
			if e.Source != tt.want || e.From != tt.from || e.FromZh != tt.from {
				t.Errorf("Source %q From %q FromZh %q, want %q %q", e.Source, e.From, e.FromZh, tt.want, tt.from)
			}
		})
	}
	for _, e := range All() {
		for i, line := range strings.Split(e.Source, "\n") {
			if _, _, ok := headerLine(line); ok {
				t.Errorf("%s: line %d of the source is a header line: %q", e.Name, i+1, line)
			}
		}
		if !strings.Contains(e.Source, "main(") {
			t.Errorf("%s: the program is gone from its source", e.Name)
		}
	}
}

func TestLessons(t *testing.T) {
	ls := Lessons()
	if len(ls) == 0 {
		t.Fatal("no lessons")
	}
	seen := map[string]bool{}
	for _, l := range ls {
		if seen[l.ID] {
			t.Errorf("lesson %s twice", l.ID)
		}
		seen[l.ID] = true
		if _, ok := Get(l.Example); !ok {
			t.Errorf("lesson %s: no example %q", l.ID, l.Example)
		}
		if l.En.Title == "" || l.Zh.Title == "" || l.En.Body == "" || l.Zh.Body == "" {
			t.Errorf("lesson %s: missing title or text", l.ID)
		}
		if len(l.Notices) == 0 {
			t.Errorf("lesson %s: nothing to notice", l.ID)
		}
		for _, n := range l.Notices {
			if !slices.Contains(Views, n.View) {
				t.Errorf("lesson %s: unknown view %q", l.ID, n.View)
			}
			if n.En == "" || n.Zh == "" {
				t.Errorf("lesson %s: notice on %s lacks a language", l.ID, n.View)
			}
			if n.At == nil {
				t.Errorf("lesson %s: notice on %s names no event (at)", l.ID, n.View)
			}
			for _, m := range []*Moment{n.At, n.Absent, l.Moment} {
				checkMoment(t, l.ID, m)
			}
		}
	}
}

// TestLessonHighlights checks that what a lesson asks the page to highlight
// exists: event types, fault kinds and counters the engine reports, and that
// the lesson's example runs on the simulated engine the page uses.
func TestLessonHighlights(t *testing.T) {
	types := map[string]bool{}
	for _, ty := range []string{engine.EvExec, engine.EvSyscall, engine.EvVMA, engine.EvPTE, engine.EvPgtable,
		engine.EvFault, engine.EvPageCache, engine.EvFrame, engine.EvCopy, engine.EvDisk, engine.EvReclaim,
		engine.EvSignal, engine.EvProcess, engine.EvStdout, engine.EvStderr, engine.EvCheckpoint, engine.EvError, engine.EvExit} {
		types[ty] = true
	}
	// The fault kinds engine.Event documents.
	kinds := map[string]bool{}
	for _, k := range strings.Fields("anon-zero-page anon file-minor file-major cow shared-write swap wp-reuse segv-maperr segv-accerr sigbus") {
		kinds[k] = true
	}
	var exit struct{ Counters map[string]uint64 }
	ev := engine.Event{Type: engine.EvExit, Counters: &engine.Counters{}}
	if err := json.Unmarshal(ev.AppendJSON(nil), &exit); err != nil {
		t.Fatal(err)
	}
	for _, l := range Lessons() {
		ex, _ := Get(l.Example)
		if !ex.RunsOn("sim") {
			t.Errorf("lesson %s: example %s does not run on the simulated engine", l.ID, l.Example)
		}
		for _, n := range l.Notices {
			for _, e := range n.Events {
				if !types[e] {
					t.Errorf("lesson %s: unknown event type %q", l.ID, e)
				}
			}
			for _, k := range n.Kinds {
				if !kinds[k] {
					t.Errorf("lesson %s: unknown fault kind %q", l.ID, k)
				}
			}
			for _, c := range n.Counters {
				if _, ok := exit.Counters[c]; !ok {
					t.Errorf("lesson %s: unknown counter %q", l.ID, c)
				}
			}
			if n.Checkpoint != "" && !strings.Contains(ex.Source, "checkpoint(\""+n.Checkpoint+"\")") {
				t.Errorf("lesson %s: example %s has no checkpoint %q", l.ID, ex.Name, n.Checkpoint)
			}
		}
	}
}

// TestGoldenFiles checks that every example has its expected output in
// testdata: made by the native run (go test ./internal/nativec -update) for
// those that run natively, written by hand for the others.
func TestGoldenFiles(t *testing.T) {
	for _, e := range All() {
		if _, err := os.Stat(filepath.Join("testdata", e.Name+".out")); err != nil {
			t.Errorf("%s: %v", e.Name, err)
		}
	}
}

// checkMoment: a moment names an event type and fault kind the engine has.
func checkMoment(t *testing.T, lesson string, m *Moment) {
	t.Helper()
	if m == nil {
		return
	}
	if !slices.Contains(engine.EventTypes(), m.Type) {
		t.Errorf("lesson %s: moment of unknown type %q", lesson, m.Type)
	}
	if m.Kind != "" && !slices.Contains(engine.FaultKinds(), engine.FaultKind(m.Kind)) {
		t.Errorf("lesson %s: moment of unknown fault kind %q", lesson, m.Kind)
	}
}
