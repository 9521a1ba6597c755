package examples

import (
	"slices"
	"strings"
	"testing"
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
	for _, bad := range []string{"// title: T\n// expect: maybe\n", "// title: T\n// engines: vm\n", "// title: T\n// files: x=size:-1\n", "int x;\n"} {
		if _, err := Parse("bad", bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
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
		}
	}
}
