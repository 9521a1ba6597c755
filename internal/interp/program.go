package interp

import (
	"context"
	"fmt"
	"runtime/debug"

	"github.com/mmapplayground/playground/internal/engine"
)

// image is what compilation produces besides code: the sections Exec loads.
type image struct {
	rodata []byte
	data   []byte
	bss    int64
	relocs []reloc
	funcs  []*function
	main   *function
	ctors  []*function // __attribute__((constructor)), in the order they run before main
	dtors  []*function // __attribute__((destructor)), in the order exit runs them
}

// Program is a compiled C program, ready to run any number of times (each
// Run is independent; a Program is not modified by running it).
type Program struct {
	name  string
	img   *image
	funcs []*function
}

// Compile preprocesses, parses, checks and compiles src. It returns all of
// the file's errors at once, in source order; the Program is nil when there
// are any.
func Compile(name, src string) (prog *Program, diags []Diagnostic) {
	return CompileContext(context.Background(), name, src)
}

// CompileContext is Compile that stops as soon as ctx ends (a run
// cancelled, a client gone, a time limit passed): the preprocessor, the
// parser and the code generator look at ctx every thousand or so steps,
// and a compile that finds it ended returns at once with no Program and
// one diagnostic saying so.
func CompileContext(ctx context.Context, name, src string) (prog *Program, diags []Diagnostic) {
	var stop *compileStop
	if ctx.Done() != nil {
		stop = &compileStop{ctx: ctx}
	}
	defer func() {
		if r := recover(); r != nil {
			prog = nil
			if cc, ok := r.(compileCancelled); ok {
				diags = []Diagnostic{{Line: 1, Col: 1, Message: "compiling stopped: " + cc.err.Error()}}
				return
			}
			diags = append(diags, Diagnostic{Line: 1, Col: 1, Message: fmt.Sprintf("internal compiler error: %v", r)})
		}
	}()
	if name == "" {
		name = "prog.c"
	}
	if err := ctx.Err(); err != nil {
		return nil, []Diagnostic{{Line: 1, Col: 1, Message: "compiling stopped: " + err.Error()}}
	}
	toks := preprocessStop(name, src, &diags, stop)
	u := parseStop(toks, &diags, stop)
	withPrelude(u)
	withGetopt(u, toks)
	img := compileUnit(u, &diags, stop)
	if len(diags) > 0 {
		sortDiags(diags)
		return nil, diags
	}
	return &Program{name: name, img: img, funcs: img.funcs}, nil
}

func sortDiags(d []Diagnostic) {
	for i := 1; i < len(d); i++ {
		for j := i; j > 0 && (d[j].Line < d[j-1].Line || d[j].Line == d[j-1].Line && d[j].Col < d[j-1].Col); j-- {
			d[j], d[j-1] = d[j-1], d[j]
		}
	}
}

// Run runs the program on eng and sends every event to sink, ending with
// exactly one exit event. No panic escapes it.
func (p *Program) Run(ctx context.Context, eng engine.Engine, cfg Config, sink engine.Sink) (ex Exit) {
	if sink == nil {
		sink = func(*engine.Event) {}
	}
	if ctx == nil {
		ctx = context.Background()
	}
	m := newMachine(ctx, p, eng, cfg, sink)
	defer eng.SetSink(nil)
	defer func() {
		if r := recover(); r != nil {
			m.abort("internal error: %v\n%s", r, firstLines(string(debug.Stack()), 12))
			ex = m.safeFinish()
		}
	}()
	m.start()
	m.schedule()
	return m.finish()
}

func firstLines(s string, n int) string {
	k := 0
	for i := range s {
		if s[i] == '\n' {
			k++
			if k == n {
				return s[:i]
			}
		}
	}
	return s
}

// safeFinish is finish after a panic: if even that fails, a bare exit
// event still ends the stream.
func (m *machine) safeFinish() (ex Exit) {
	defer func() {
		if r := recover(); r != nil {
			ex = Exit{Status: 128 + engine.SIGKILL, Signal: engine.SIGKILL, Err: m.errMsg}
			m.sink(&engine.Event{Type: engine.EvExit, Status: ex.Status, Signal: "SIGKILL", VMAs: []engine.VMA{}, Counters: &engine.Counters{}})
		}
	}()
	return m.finish()
}
