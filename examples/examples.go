// Package examples holds the playground's built-in C programs and its guided
// lessons, embedded in the binary. The programs are the files c/*.c (a Go
// package directory may not hold C files without cgo); the lessons are
// lessons.json; testdata/NAME.out is what each program prints.
//
// Each program starts with a header of comment lines that say how to run it:
//
//	// title: The three phases of mmap
//	// title_zh: mmap 的三个阶段
//	// files: data.bin="hello\n"        (a Go-quoted string: the file's content)
//	// files: big.bin=size:65536        (that many bytes of a fixed pattern)
//	// args: data.bin
//	// engines: sim,real                (the playground engines that run it)
//	// native: no                       (it cannot run natively: /dev/demo_dev)
//	// expect: exit 0                   (or "signal SIGBUS", or "compile error")
//	// from: the tutorial “Linux之mmap”  (where the program comes from, as a reader names it)
//	// from_zh: 教程《Linux之mmap》
//
// A header line may stand anywhere in the file (tutorial_msync_as_printed.c keeps
// the seed's program exactly as printed and has its header at the end);
// "files" may be given once per file.
//
// The header is for the playground, not for the student: Source is the
// file without it (and without the lone "//" line that ends a header
// block), so the editor, the CLI's `examples` and every run show and run
// the program as a reader of the tutorial would see it, and line numbers
// count in that text. Title and From say the rest in words.
//
// Each program has its Chinese text beside it, c/zh/NAME.c: the same
// program with its comments in Chinese (in the page's glossary's words).
// It is the same program, line for line: with the comments taken out the
// two files are byte-identical, so they have the same lines, every line
// without a comment is the same, and lesson lines, golden traces and an
// error's line:col hold for both. SourceZh is its text without the header,
// as Source is the English one's.
package examples

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

//go:embed c/*.c c/zh/*.c lessons.json
var content embed.FS

// Expect is how a program ends when all is well.
type Expect struct {
	// Status is the exit status (with Signal "").
	Status int `json:"status"`
	// Signal is the signal that ends it ("SIGBUS"), or "".
	Signal string `json:"signal,omitempty"`
	// CompileError is set for a program that must not compile.
	CompileError bool `json:"compile_error,omitempty"`
}

// String is the header's form: "exit 0", "signal SIGBUS", "compile error".
func (e Expect) String() string {
	switch {
	case e.CompileError:
		return "compile error"
	case e.Signal != "":
		return "signal " + e.Signal
	}
	return "exit " + strconv.Itoa(e.Status)
}

// Example is one built-in program.
type Example struct {
	// Name is the file name without ".c": "three_phases".
	Name    string `json:"name"`
	Title   string `json:"title"`
	TitleZh string `json:"title_zh"`
	// From and FromZh name where the program comes from as a reader would
	// ("the tutorial “Linux之mmap”"), or are empty for the playground's own.
	From   string `json:"from,omitempty"`
	FromZh string `json:"from_zh,omitempty"`
	// Source is the program without its header lines.
	Source string `json:"source"`
	// SourceZh is the same program with its comments in Chinese (from
	// c/zh/NAME.c), or "" if it has none: the editor shows it in Chinese.
	SourceZh string            `json:"source_zh,omitempty"`
	Files    map[string]string `json:"files,omitempty"`
	Args     []string          `json:"args,omitempty"`
	// Engines are the playground's engines that run it: "sim", "real".
	// Programs that fork run on the simulated engine only (the real
	// engine's worker cannot fork).
	Engines []string `json:"engines"`
	// Native is whether it also runs when built with gcc and run on the
	// host, so that tests can hold the engines to that run: true but for
	// programs of the simulated kernel's own devices.
	Native bool   `json:"native"`
	Expect Expect `json:"expect"`
}

// zhPath is where the Chinese text of example name is kept.
func zhPath(name string) string { return "c/zh/" + name + ".c" }

// FileName is the program's file name: "three_phases.c".
func (e Example) FileName() string { return e.Name + ".c" }

// RunsOn reports whether the example runs on engine ("sim" or "real").
func (e Example) RunsOn(engine string) bool {
	for _, g := range e.Engines {
		if g == engine {
			return true
		}
	}
	return false
}

var all []Example

func init() {
	names, err := fs.Glob(content, "c/*.c")
	if err != nil {
		panic(err)
	}
	sort.Strings(names)
	for _, n := range names {
		src, err := content.ReadFile(n)
		if err != nil {
			panic(err)
		}
		ex, err := Parse(strings.TrimSuffix(path.Base(n), ".c"), string(src))
		if err != nil {
			panic(err)
		}
		if zh, err := content.ReadFile(zhPath(ex.Name)); err == nil {
			z, err := Parse(ex.Name, string(zh))
			if err != nil {
				panic("zh/" + err.Error())
			}
			ex.SourceZh = z.Source
		}
		all = append(all, ex)
	}
	loadLessons()
}

// All returns every example, sorted by name. The caller may keep the
// slice; the maps inside it are shared and must not be changed.
func All() []Example { return append([]Example(nil), all...) }

// Get returns the example called name ("three_phases", or "three_phases.c").
func Get(name string) (Example, bool) {
	name = strings.TrimSuffix(name, ".c")
	for _, e := range all {
		if e.Name == name {
			return e, true
		}
	}
	return Example{}, false
}

// Pattern is the content of a "size:N" file: N bytes cycling through the
// lowercase alphabet, byte i being 'a' + i%26.
func Pattern(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('a' + i%26)
	}
	return string(b)
}

// Parse reads an example's header from its source.
func Parse(name, src string) (Example, error) {
	ex := Example{Name: name, Engines: []string{"sim", "real"}, Native: true}
	lines := strings.Split(src, "\n")
	kept := make([]string, 0, len(lines))
	inHeader := false // the line before was a header line
	for i, line := range lines {
		key, val, ok := headerLine(line)
		if !ok {
			// The lone "//" that ends a header block goes with it.
			if !(inHeader && strings.TrimRight(line, "\r") == "//") {
				kept = append(kept, line)
			}
			inHeader = false
			continue
		}
		inHeader = true
		bad := func(why string) error {
			return fmt.Errorf("%s.c:%d: %s header: %s", name, i+1, key, why)
		}
		switch key {
		case "title":
			ex.Title = val
		case "title_zh":
			ex.TitleZh = val
		case "from":
			ex.From = val
		case "from_zh":
			ex.FromZh = val
		case "args":
			ex.Args = strings.Fields(val)
		case "engines":
			ex.Engines = nil
			for _, e := range strings.Split(val, ",") {
				if e = strings.TrimSpace(e); e != "sim" && e != "real" {
					return ex, bad("unknown engine " + strconv.Quote(e))
				}
				ex.Engines = append(ex.Engines, strings.TrimSpace(e))
			}
		case "native":
			switch val {
			case "yes":
				ex.Native = true
			case "no":
				ex.Native = false
			default:
				return ex, bad("want yes or no")
			}
		case "expect":
			switch f := strings.Fields(val); {
			case val == "compile error":
				ex.Expect = Expect{CompileError: true}
			case len(f) == 2 && f[0] == "exit":
				n, err := strconv.Atoi(f[1])
				if err != nil {
					return ex, bad(err.Error())
				}
				ex.Expect = Expect{Status: n}
			case len(f) == 2 && f[0] == "signal" && strings.HasPrefix(f[1], "SIG"):
				ex.Expect = Expect{Signal: f[1]}
			default:
				return ex, bad("want \"exit N\", \"signal SIGxxx\" or \"compile error\"")
			}
		case "files":
			fname, spec, ok := strings.Cut(val, "=")
			if !ok || fname == "" {
				return ex, bad("want NAME=\"content\" or NAME=size:N")
			}
			var data string
			if n, ok := strings.CutPrefix(spec, "size:"); ok {
				size, err := strconv.Atoi(n)
				if err != nil || size < 0 {
					return ex, bad("bad size " + strconv.Quote(n))
				}
				data = Pattern(size)
			} else {
				s, err := strconv.Unquote(spec)
				if err != nil {
					return ex, bad("content must be a Go-quoted string")
				}
				data = s
			}
			if ex.Files == nil {
				ex.Files = map[string]string{}
			}
			ex.Files[fname] = data
		}
	}
	if ex.Title == "" {
		return ex, fmt.Errorf("%s.c: no \"// title:\" header", name)
	}
	if ex.TitleZh == "" {
		ex.TitleZh = ex.Title
	}
	if ex.FromZh == "" {
		ex.FromZh = ex.From
	}
	ex.Source = strings.Join(kept, "\n")
	return ex, nil
}

// headerKeys are the header's keys; a comment line "// key: value" with any
// other key is the program's own.
var headerKeys = map[string]bool{"title": true, "title_zh": true, "from": true, "from_zh": true,
	"files": true, "args": true, "engines": true, "native": true, "expect": true}

// headerLine reports whether line is a header line, and its key and value.
func headerLine(line string) (key, val string, ok bool) {
	rest, ok := strings.CutPrefix(strings.TrimRight(line, "\r"), "// ")
	if !ok {
		return "", "", false
	}
	key, val, ok = strings.Cut(rest, ": ")
	if !ok || !headerKeys[key] {
		return "", "", false
	}
	return key, strings.TrimSpace(val), true
}
