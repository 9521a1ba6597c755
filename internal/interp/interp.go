// Package interp is the playground's C interpreter: it preprocesses, parses,
// type-checks and compiles the C that mmap programs are written in to a
// compact register bytecode, and runs it on an engine.Engine so that every
// memory access and system call the program makes is the engine's to model
// and to tell as events.
//
// The pipeline is one file per stage: preprocess.go (headers, macros),
// lex.go, parse.go (AST), check.go (types, names, diagnostics as gcc words
// them), compile.go (bytecode), vm.go (the machine), libc.go (the library
// and system-call wrappers), printf.go, and run.go (processes, the
// scheduler, limits and the event stream).
//
// The VM's state is explicit data (frames, pc, registers), so fork clones a
// process exactly and a run can pause at any event.
package interp

import "fmt"

// Diagnostic is one compile error, positioned as gcc positions it.
type Diagnostic struct {
	Line, Col int
	Token     string
	Message   string
}

// Error formats the diagnostic as gcc does, without the file name:
// "28:44: error: 'o' undeclared".
func (d Diagnostic) Error() string {
	return fmt.Sprintf("%d:%d: error: %s", d.Line, d.Col, d.Message)
}

// Config is one run's arguments and limits; zero fields take the defaults.
type Config struct {
	Args         []string // argv[1:]; argv[0] is the program name
	MaxSteps     uint64   // 0: DefaultMaxSteps
	MaxOutput    int      // bytes of stdout+stderr; 0: DefaultMaxOutput
	MaxCallDepth int      // 0: DefaultMaxCallDepth
	Yield        func()   // called every few thousand steps (lets the runner serve queries)
}

// Default limits. The step limit lets a 1 GiB page-by-page loop (262,144
// iterations of a few instructions) finish many times over.
const (
	DefaultMaxSteps     = 1_000_000_000
	DefaultMaxOutput    = 1 << 20
	DefaultMaxCallDepth = 10000
)

// Exit is how a run ended: the main process's exit status (or 128+signal),
// the signal that killed it, and the error that ended the run early, if any.
type Exit struct {
	Status, Signal int
	Err            string
}
