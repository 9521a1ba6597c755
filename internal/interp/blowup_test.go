package interp

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/engine/sim"
)

// TestCompileBlowUps: small programs that once made the compiler's work
// or memory grow without bound. Each must compile to its answer; the
// context's generous bound turns a blow-up into a failure ("compiling
// stopped") instead of a test that never ends.
func TestCompileBlowUps(t *testing.T) {
	var ternary strings.Builder
	ternary.WriteString("int main(int argc, char **argv) {\n\tint c = argc + 99;\n\treturn ")
	for i := 1; i <= 200; i++ {
		fmt.Fprintf(&ternary, "c == %d ? %d : ", i, i)
	}
	ternary.WriteString("0;\n}\n")
	tests := []struct {
		name, src string
		// status is the run's exit status; msg, when set, the compile's
		// one error instead.
		status int
		msg    string
	}{
		// Each conditional typed its arms by compiling them, and each arm
		// is the next conditional: 2^200 compiles.
		{name: "200 nested conditionals", src: ternary.String(), status: 100},
		{name: "nested conditionals in the middle arm", src: "int main(int argc, char **argv) { int c = argc; return " +
			strings.Repeat("c ? (", 200) + "7" + strings.Repeat(") : 1", 200) + "; }", status: 7},
		{name: "GNU's ?: nested", src: "int main(int argc, char **argv) { int c = argc; return " +
			strings.Repeat("(c - 1 ?: ", 200) + "5" + strings.Repeat(")", 200) + "; }", status: 5},
		// Each level's argument was copied and held while the next level
		// expanded its own: 40,000 levels of 80,000 tokens.
		{name: "a macro's argument nested 40,000 deep", src: "#define F(x) x\nint main(void) { return " +
			strings.Repeat("F(", 40000) + "0" + strings.Repeat(")", 40000) + "; }",
			msg: `macro expansion of "F" is too large (over 1048576 tokens)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			prog, diags := CompileContext(ctx, "prog.c", tt.src)
			if tt.msg != "" {
				require.NotEmpty(t, diags)
				assert.Equal(t, tt.msg, diags[0].Message)
				return
			}
			require.Empty(t, diags)
			ex := prog.Run(context.Background(), sim.New(engine.Options{}), Config{}, nil)
			assert.Equal(t, tt.status, ex.Status)
		})
	}
}
