package interp

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/engine/sim"
)

func runWith(t *testing.T, ctx context.Context, src string, cfg Config) (Exit, []engine.Event) {
	t.Helper()
	prog, diags := Compile("prog.c", src)
	require.Empty(t, diags)
	var evs []engine.Event
	ex := prog.Run(ctx, sim.New(engine.Options{}), cfg, func(e *engine.Event) {
		if e.Type != engine.EvFault && e.Type != engine.EvPTE && e.Type != engine.EvPgtable && e.Type != engine.EvVMA {
			evs = append(evs, *e)
		}
	})
	return ex, evs
}

// TestLimits: each limit ends the run with an error event and then exactly
// one exit event, SIGKILL, status 137.
func TestLimits(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		src  string
		cfg  Config
		msg  string
	}{
		{"steps", context.Background(), "int main(void) { for (;;) ; }", Config{MaxSteps: 100000}, "step limit exceeded (100000 steps)"},
		{"output", context.Background(), "#include <stdio.h>\nint main(void) { for (;;) printf(\"spam spam spam\\n\"); }", Config{MaxOutput: 10000}, "output limit exceeded (10000 bytes)"},
		{"depth", context.Background(), "int f(int n) { return f(n + 1); }\nint main(void) { return f(0); }", Config{MaxCallDepth: 100}, "call depth limit exceeded (100 calls deep)"},
		{"cancelled", cancelled, "int main(void) { for (;;) ; }", Config{}, "run cancelled"},
		// One builtin call moving memory counts its bytes (one step a
		// cache line), so a loop of big memsets ends at the step limit,
		// and a cancelled context stops it inside the call.
		{"steps in memsets", context.Background(), memsetLoop, Config{MaxSteps: 10_000_000}, "step limit exceeded (10000000 steps)"},
		{"cancelled in a memset", cancelled, memsetLoop, Config{}, "run cancelled"},
		{"steps in memcmps", context.Background(), memcmpLoop, Config{MaxSteps: 10_000_000}, "step limit exceeded (10000000 steps)"},
		{"cancelled in a memcmp", cancelled, memcmpLoop, Config{}, "run cancelled"},
		{"cause of a cancel", causeCtx, "int main(void) { for (;;) ; }", Config{}, "host memory budget of this run exceeded"},
		// A single write larger than the output limit is cut.
		{"output in one write", context.Background(), "#include <stdlib.h>\n#include <string.h>\n#include <unistd.h>\n" +
			"int main(void) { char *b = malloc(16 << 20); memset(b, 'a', 16 << 20); write(1, b, 16 << 20); return 0; }",
			Config{MaxOutput: 1 << 20}, "output limit exceeded (1048576 bytes)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex, evs := runWith(t, tt.ctx, tt.src, tt.cfg)
			assert.Equal(t, Exit{Status: 137, Signal: engine.SIGKILL, Err: tt.msg}, ex)
			out := 0
			for _, e := range evs {
				if e.Type == engine.EvStdout || e.Type == engine.EvStderr {
					out += len(e.Text)
				}
			}
			assert.LessOrEqual(t, out, max(tt.cfg.MaxOutput, DefaultMaxOutput)+1, "output past the limit")
			var errs []string
			for _, e := range evs {
				if e.Type == engine.EvError {
					errs = append(errs, e.Message)
				}
			}
			assert.Equal(t, []string{tt.msg}, errs)
			last := evs[len(evs)-1]
			assert.Equal(t, engine.EvExit, last.Type)
			assert.Equal(t, "SIGKILL", last.Signal)
			n := 0
			for _, e := range evs {
				if e.Type == engine.EvExit {
					n++
				}
			}
			assert.Equal(t, 1, n)
		})
	}
}

const memsetLoop = `#include <string.h>
#include <sys/mman.h>
int main(void) {
	unsigned long n = 256UL << 20;
	char *p = mmap(0, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (int i = 0;; i++)
		memset(p, i, n);
}`

// memcmpLoop compares two equal 256 MiB areas (the zero page, read only)
// again and again: no memory changes, only the comparisons' steps count.
const memcmpLoop = `#include <string.h>
#include <sys/mman.h>
int main(void) {
	unsigned long n = 256UL << 20;
	char *p = mmap(0, n, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *q = mmap(0, n, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (int i = 0;; i++)
		if (memcmp(p, q, n) != 0)
			return 1;
}`

var causeCtx = func() context.Context {
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(errors.New("host memory budget of this run exceeded"))
	return ctx
}()

func TestDeadline(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	yields := 0
	ex, _ := runWith(t, ctx, "int main(void) { for (;;) ; }", Config{Yield: func() { yields++ }})
	assert.Equal(t, "time limit exceeded", ex.Err)
	assert.Positive(t, yields)
}

// TestSignals: the signal event, then exit with 128+signal.
func TestSignals(t *testing.T) {
	tests := []struct {
		name, src, sig, code string
	}{
		{"null", "int main(void) { int *p = 0; return *p; }", "SIGSEGV", "SEGV_MAPERR"},
		{"string literal", "int main(void) { char *s = \"ro\"; s[0] = 'R'; return 0; }", "SIGSEGV", "SEGV_ACCERR"},
		{"divide", "int main(int argc, char **argv) { return 10 / (argc - 1); }", "SIGFPE", "FPE_INTDIV"},
		{"abort", "#include <stdlib.h>\nint main(void) { abort(); }", "SIGABRT", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex, evs := runWith(t, context.Background(), tt.src, Config{})
			assert.Equal(t, engine.SignalNumber(tt.sig), ex.Signal)
			assert.Equal(t, 128+ex.Signal, ex.Status)
			var sig *engine.Event
			for i := range evs {
				if evs[i].Type == engine.EvSignal {
					sig = &evs[i]
				}
			}
			require.NotNil(t, sig)
			assert.Equal(t, tt.sig, sig.Signal)
			if tt.code != "" {
				assert.Equal(t, tt.code, sig.Code)
			}
			assert.NotZero(t, sig.Line)
			assert.Equal(t, engine.EvExit, evs[len(evs)-1].Type)
		})
	}
}

type panicky struct{ engine.Engine }

func (panicky) Syscall(int, engine.Call) engine.Result { panic("boom") }

// TestRunRecoversPanics: a panic inside a run becomes an error event and
// the run still ends with its exit event.
func TestRunRecoversPanics(t *testing.T) {
	prog, diags := Compile("prog.c", "#include <unistd.h>\nint main(void) { return getpid(); }")
	require.Empty(t, diags)
	var types []string
	ex := prog.Run(context.Background(), panicky{sim.New(engine.Options{})}, Config{}, func(e *engine.Event) {
		types = append(types, e.Type)
	})
	assert.Equal(t, engine.SIGKILL, ex.Signal)
	assert.Contains(t, ex.Err, "internal error: boom")
	assert.Equal(t, engine.EvExit, types[len(types)-1])
	assert.Contains(t, types, engine.EvError)
}

func TestAssert(t *testing.T) {
	r := runProgram(t, "#include <assert.h>\nint main(void) {\n  int x = 1;\n  assert(x == 2);\n  return 0;\n}\n", nil, nil)
	assert.Equal(t, "./prog: prog.c:4: main: Assertion `x == 2' failed.\n", r.stderr)
	assert.Equal(t, engine.SIGABRT, r.exit.Signal)
}

func TestCheckpointAndMaps(t *testing.T) {
	r := runProgram(t, `#include <playground.h>
#include <sys/mman.h>
int main(void) {
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	p[0] = 1;
	checkpoint("touched");
	show_pages(p, 8192);
	return vma_count(p, 8192) + present_pages(p, 8192);
}
`, nil, nil)
	assert.Equal(t, 2, r.exit.Status)
	var labels []string
	for _, e := range r.events {
		if e.Type == engine.EvCheckpoint {
			labels = append(labels, e.Label)
			assert.Equal(t, 6, e.Line)
		}
	}
	assert.Equal(t, []string{"touched"}, labels)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	require.Len(t, lines, 2)
	assert.Contains(t, lines[0], " present")
	assert.Contains(t, lines[1], " none")
}

// TestConcurrentRuns: a Program may run on several engines at once, and
// Compile may be called from several goroutines.
func TestConcurrentRuns(t *testing.T) {
	src := readFile(t, "testdata/lang.c")
	prog, diags := Compile("prog.c", src)
	require.Empty(t, diags)
	want := runProgram(t, src, nil, nil).stdout
	done := make(chan string, 4)
	for i := 0; i < 4; i++ {
		go func() {
			_, d := Compile("prog.c", src)
			if len(d) > 0 {
				done <- "compile failed"
				return
			}
			var out strings.Builder
			prog.Run(context.Background(), sim.New(engine.Options{}), Config{}, func(e *engine.Event) {
				if e.Type == engine.EvStdout {
					out.WriteString(e.Text)
				}
			})
			done <- out.String()
		}()
	}
	for i := 0; i < 4; i++ {
		assert.Equal(t, want, <-done)
	}
}

// TestDeterministic: the same program gives the same events, byte for byte.
func TestDeterministic(t *testing.T) {
	for _, name := range []string{"fork_buffer", "file_map", "handler"} {
		src := readFile(t, "testdata/"+name+".c")
		prog, diags := Compile(name+".c", src)
		require.Empty(t, diags)
		trace := func() string {
			eng := sim.New(engine.Options{})
			require.NoError(t, eng.WriteFile("data.bin", []byte(strings.Repeat("x", 5000))))
			var b []byte
			prog.Run(context.Background(), eng, Config{Args: []string{"data.bin"}}, func(e *engine.Event) {
				b = e.AppendJSON(b)
				b = append(b, '\n')
			})
			return string(b)
		}
		first := trace()
		assert.Equal(t, first, trace(), name)
		assert.Contains(t, first, `"line":`, name)
	}
}

// TestOrphanLimit: a child left running after main exits is stopped by the
// step limit without changing main's exit status.
func TestOrphanLimit(t *testing.T) {
	ex, _ := runWith(t, context.Background(), "#include <unistd.h>\nint main(void) { if (fork() == 0) for (;;) ; return 4; }", Config{MaxSteps: 100000})
	assert.Equal(t, 4, ex.Status)
	assert.Equal(t, 0, ex.Signal)
	assert.Contains(t, ex.Err, "step limit")
}

// TestCompileLimits: what a program's text may cost the host is bounded,
// with a diagnostic at the place it was passed.
func TestCompileLimits(t *testing.T) {
	var globals strings.Builder
	for i := range 600 {
		fmt.Fprintf(&globals, "char g%d[16 << 20] = {1};\n", i)
	}
	globals.WriteString("int main(void) { return 0; }\n")
	tests := []struct {
		name string
		src  string
		want []Diagnostic // nil: it compiles
	}{
		{"a macro whose argument doubles thirty times", "#define D(x) x x\n#define E(x) D(D(D(D(D(x)))))\n#define F(x) E(E(E(E(E(E(x))))))\nint main(void) { F(;) return 0; }\n",
			[]Diagnostic{{Line: 4, Col: 18, Token: "D", Message: `macro expansion of "D" is too large (over 1048576 tokens)`}}},
		{"forty thousand uses of an empty macro", "#define E\nint main(void) {\n" + strings.Repeat("E ", 40000) + "\nreturn 0; }\n", nil},
		// A long chain of binary operators (or commas) is a tree as deep
		// as it is long: 60,000 terms cost the compiler 300 MB of stack.
		{"a sum of 60,000 terms", "int main(void) { int x = 0; return x" + strings.Repeat("+x", 60000) + "; }\n",
			[]Diagnostic{{Line: 1, Col: 2033, Token: "+", Message: "expression or statement nested too deeply (more than 1000 levels)"}}},
		{"a comma chain of 60,000", "int main(void) { int x = 0; x = 0" + strings.Repeat(",x", 60000) + "; return x; }\n",
			[]Diagnostic{{Line: 1, Col: 2032, Token: ",", Message: "expression or statement nested too deeply (more than 1000 levels)"}}},
		{"a sum of 900 terms compiles", "int main(void) { int x = 0; return x" + strings.Repeat("+x", 900) + "; }\n", nil},
		{"600 initialised 16 MiB globals", globals.String(),
			[]Diagnostic{{Line: 4, Col: 6, Message: "initialized variables are too large for the playground with 'g3' (64 MiB at most in all)"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := Compile("prog.c", tt.src)
			if tt.want == nil {
				assert.Empty(t, diags)
				return
			}
			require.NotEmpty(t, diags)
			got := diags[0]
			if tt.want[0].Token == "" {
				got.Token = ""
			}
			assert.Equal(t, tt.want[0], got)
		})
	}
}
