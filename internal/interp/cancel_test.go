package interp

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// endsAfter is a context that ends at its n-th look (Err call): a cancel
// at an exact point of a compile, and a count of how many looks it took.
type endsAfter struct {
	context.Context
	n     int64
	looks atomic.Int64
}

func (c *endsAfter) Done() <-chan struct{} { return make(chan struct{}) }

func (c *endsAfter) Err() error {
	if c.looks.Add(1) >= c.n {
		return context.Canceled
	}
	return nil
}

// bigProgram is a large program that passes every phase many times: macro
// uses for the preprocessor, statements for the parser and the code
// generator.
func bigProgram() string {
	var b strings.Builder
	b.WriteString("#include <stdio.h>\n#define TWICE(x) ((x) + (x))\nint g(int x) { return x; }\nint main(void) {\n\tint x = 0;\n")
	for range 5000 {
		b.WriteString("\tx = g(TWICE(x)) - 1;\n")
	}
	b.WriteString("\tprintf(\"%d\\n\", x);\n\treturn 0;\n}\n")
	return b.String()
}

// TestCompileContextStops: a compile whose context ends stops at its next
// look at it, wherever it is (preprocessing, parsing, generating code),
// with one diagnostic saying so; and a compile whose context does not end
// looks at it all along and succeeds.
func TestCompileContextStops(t *testing.T) {
	src := bigProgram()
	whole := &endsAfter{Context: context.Background(), n: 1 << 62}
	prog, diags := CompileContext(whole, "big.c", src)
	require.Empty(t, diags)
	require.NotNil(t, prog)
	total := whole.looks.Load()
	// A look every thousand or so steps of each phase: a 5,000-line
	// program is looked at well over a hundred times.
	require.Greater(t, total, int64(100), "looks at the context in a whole compile")

	for _, at := range []int64{1, 2, total / 4, total / 2, 3 * total / 4, total - 1} {
		ctx := &endsAfter{Context: context.Background(), n: at}
		prog, diags := CompileContext(ctx, "big.c", src)
		assert.Nil(t, prog, "cancelled at look %d of %d", at, total)
		assert.Equal(t, []Diagnostic{{Line: 1, Col: 1, Message: "compiling stopped: context canceled"}}, diags, "cancelled at look %d", at)
		assert.Equal(t, at, ctx.looks.Load(), "the compile looked again after finding its context ended (at %d of %d)", at, total)
	}
}

// TestCompileContextDone: a context that has already ended compiles
// nothing.
func TestCompileContextDone(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	prog, diags := CompileContext(ctx, "prog.c", "int main(void) { return 0; }")
	assert.Nil(t, prog)
	assert.Equal(t, []Diagnostic{{Line: 1, Col: 1, Message: "compiling stopped: context canceled"}}, diags)
}
