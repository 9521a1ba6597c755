// Package interp is the playground's C interpreter: it preprocesses, parses,
// type-checks and compiles the C that mmap programs are written in to a
// compact register bytecode, and runs it on an engine.Engine so that every
// memory access and system call the program makes is the engine's to model
// and to tell as events.
//
//	source --lex.go, preprocess.go, headers.go--> tokens
//	       --parse.go--> AST (ast.go, types.go)
//	       --compile.go, expr.go--> bytecode per function (vmdefs.go),
//	                                rodata, data, bss; gcc's diagnostics
//	Run:   program.go, run.go   Exec the image, argv on [stack], schedule
//	       vm.go                the machine: registers, frames, pc
//	       memory.go            loads and stores in bulk, malloc on brk/mmap
//	       libc.go, printf.go   system calls and the C library, stdio
//	       signal.go, clock.go  handlers; time and glibc's rand
//
// Locals whose address is never taken live in VM registers; arrays, structs
// and address-taken locals live in the engine's [stack], globals in the
// image's data and bss, string literals in its rodata, so the engine sees
// every access. The VM's state is explicit data (frames, pc, registers,
// stdio buffer, heap), so fork clones a process exactly and a run pauses
// at any event (a blocking Sink pauses it).
//
// Accepted C: C11 as gcc -std=gnu11 takes it for these programs: the
// integer types (char to long long, signed and unsigned, _Bool, the stdint
// and sys/types typedefs), float and double, pointers of any level, arrays
// (variable length too, on the engine's stack), structs and unions with
// bit-fields laid out as gcc lays them out on x86-64, enums, typedefs,
// declaration specifiers in any order, function pointers, casts, sizeof,
// every operator, initialisers (designated, nested, with brace elision),
// compound literals, static locals, recursion, goto, variadic functions of
// one's own (stdarg.h), signal handlers; GNU's statement expressions,
// typeof, __attribute__ (packed and aligned kept, the others ignored), case
// ranges, ?:, asm barriers, the __builtin_s of builtin_parse.go; and the
// preprocessor's #include of the built-in headers, #define (object and
// function-like, # and ##, , ##__VA_ARGS__, __VA_OPT__), #undef,
// #if/#ifdef/#elif with __has_include, and gcc's predefined macros.
//
// Speed: a[i] and a[i] += k are single instructions, the increment and
// test of a for loop one more, and loads and stores that would hit the
// engine's TLB without changing anything read and write the page the
// engine handed out (tlb.go); everything else goes through the engine.
package interp

import (
	"fmt"

	"github.com/mmapplayground/playground/internal/limits"
)

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
	// Terminal makes standard output and error a terminal, as a program run
	// in a shell has them: stdout line-buffered (flushed at each newline),
	// isatty(1) and isatty(2) 1. Otherwise they are a pipe, as under the
	// CLI's --json and the tests: stdout fully buffered, isatty 0 (ENOTTY).
	Terminal bool
}

// Default limits. The step limit lets a 1 GiB page-by-page loop (262,144
// iterations of a few instructions) finish many times over.
const (
	DefaultMaxSteps     = limits.Steps
	DefaultMaxOutput    = limits.Output
	DefaultMaxCallDepth = limits.CallDepth
)

// Exit is how a run ended: the main process's exit status (or 128+signal),
// the signal that killed it, and the error that ended the run early, if any.
type Exit struct {
	Status, Signal int
	Err            string
}
