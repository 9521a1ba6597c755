package browsertest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestCrashLocated: a program killed by a signal has the line marked, with
// the fault that raised the signal and its si_code, and its log says the
// process was killed, not that it exited 0.
func TestCrashLocated(t *testing.T) {
	base := startReal(t)
	b := newBrowser(t, 1440, 900)
	tests := []struct{ example, code string }{
		{"segv_readonly", "SEGV_ACCERR"},
		{"sigbus_past_eof", "BUS_ADRERR"},
	}
	for _, tc := range tests {
		t.Run(tc.example, func(t *testing.T) {
			b.open(base + "/?example=" + tc.example + "&run=1&lang=en")
			b.waitRun(30 * time.Second)
			var crash string
			eval(b, `(document.querySelector('[data-testid="crash"]') || {}).textContent || ""`, &crash)
			assert.Contains(t, crash, tc.code, "the crash names its si_code")
			var line, marked int
			eval(b, `__pg.run().events.find(e => e.type === "signal").line`, &line)
			eval(b, `+((document.querySelector('#gutter .crash') || {}).textContent || 0)`, &marked)
			assert.Equal(t, line, marked, "the signal's line is marked")
			assert.Greater(t, line, 0)
			var proc string
			eval(b, `(() => { const r = [...__pg.run().events.entries()].find(([i, e]) => e.type === "process" && e.op === "exit"); return r ? r[1].signal || "" : ""; })()`, &proc)
			assert.NotEmpty(t, proc, "the process exit says the signal")
		})
	}
}

// TestOutputAsTerminal: the page runs programs with stdout a terminal:
// isatty(1) is 1 and a line is on the page as soon as it is printed.
func TestOutputAsTerminal(t *testing.T) {
	base := startReal(t)
	b := newBrowser(t, 1440, 900)
	src := "#include <stdio.h>\n#include <unistd.h>\nint main(void)\n{\n\tprintf(\"tty %d\\n\", isatty(1));\n\tgetpid();\n\tprintf(\"second\\n\");\n\treturn 0;\n}\n"
	b.open(base + "/?src=" + b64url(src) + "&run=1&lang=en")
	b.waitRun(30 * time.Second)
	var out string
	eval(b, `document.querySelector('[data-testid="stdout"]').textContent`, &out)
	assert.Equal(t, "tty 1\nsecond\n", out)
	var order []string
	eval(b, `__pg.run().events.filter(e => e.type === "stdout" || (e.type === "syscall" && e.name === "getpid")).map(e => e.type === "stdout" ? e.text : e.name)`, &order)
	assert.Equal(t, []string{"tty 1\n", "getpid", "second\n"}, order, "each line written when printed")
}
