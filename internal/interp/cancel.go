package interp

import "context"

// compileStop ends a compile whose context has ended (its run was
// cancelled, its client went, its time is up): the preprocessor, the
// parser and the code generator poll it in their loops, and the poll that
// finds the context ended unwinds the compile with a compileCancelled
// panic, which CompileContext recovers. A nil *compileStop never stops
// (the prelude's compile, Compile's).
type compileStop struct {
	ctx context.Context
	n   uint32
}

// stopEvery is how many polls pass between looks at the context: a look
// costs a lock, a poll an increment, and a few thousand polls are well
// under a millisecond of compiling.
const stopEvery = 1 << 10

// compileCancelled is the panic that unwinds a stopped compile.
type compileCancelled struct{ err error }

// poll stops the compile if its context has ended.
func (s *compileStop) poll() {
	if s == nil {
		return
	}
	s.n++
	if s.n%stopEvery != 0 {
		return
	}
	if err := s.ctx.Err(); err != nil {
		panic(compileCancelled{err})
	}
}
