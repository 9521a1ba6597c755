package interp

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/engine/sim"
)

// A function the playground's library does not have compiles, as gcc's
// program would, and is refused only when a call of it runs: under if (0)
// or on an error path not taken, the program runs to its end.
func TestNotProvidedOnlyWhenCalled(t *testing.T) {
	for _, tc := range []struct {
		name, body, stdout, err string
	}{
		{"not reached", `if (argc > 5) pthread_create(0, 0, 0, 0); printf("ran\n");`, "ran\n", ""},
		{"called", `printf("before\n"); fflush(stdout); semget(1, 1, 0); printf("after\n");`, "before\n",
			"'semget' is not provided by the playground's C library"},
		{"pointer result", `void *p = argc > 5 ? shmat(1, 0, 0) : 0; printf("%d\n", p == 0);`, "1\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := "#include <pthread.h>\n#include <stdio.h>\n#include <sys/mman.h>\n#include <sys/shm.h>\nint main(int argc, char **argv) {\n" + tc.body + "\nreturn 0;\n}\n"
			r := runProgram(t, src, nil, nil)
			assert.Equal(t, tc.stdout, r.stdout)
			var msgs []string
			for _, e := range r.events {
				if e.Type == engine.EvError {
					msgs = append(msgs, e.Message)
				}
			}
			if tc.err == "" {
				assert.Empty(t, msgs)
				assert.Equal(t, 0, r.exit.Status)
				return
			}
			require.Len(t, msgs, 1)
			assert.Equal(t, tc.err, msgs[0])
		})
	}
}

// A call of a library function the program declares itself (as selftests
// do) is the library's.
func TestPrototypeOfALibraryFunction(t *testing.T) {
	r := runProgram(t, "#include <stdio.h>\nint getpid(void);\nextern int printf(const char *, ...);\nint main(void) { printf(\"%d\\n\", getpid() > 0); return 0; }\n", nil, nil)
	assert.Equal(t, "1\n", r.stdout)
}

// A system call the engine does not model answers ENOSYS, and the library
// says so once, in a note.
func TestSyscallENOSYSIsNoted(t *testing.T) {
	prog, diags := Compile("prog.c", "#include <stdio.h>\n#include <errno.h>\n#include <sys/syscall.h>\n#include <unistd.h>\nint main(void) {\n long r = syscall(SYS_acct, 0);\n long s = syscall(SYS_acct, 0);\n printf(\"%ld %ld %d\\n\", r, s, errno == ENOSYS);\n return 0;\n}\n")
	require.Empty(t, diags)
	var notes []string
	var out string
	prog.Run(t.Context(), sim.New(engine.Options{}), Config{}, func(e *engine.Event) {
		switch e.Type {
		case engine.EvNote:
			notes = append(notes, e.Message)
		case engine.EvStdout:
			out += e.Text
		}
	})
	assert.Equal(t, "-1 -1 1\n", out)
	require.Len(t, notes, 1)
	assert.Contains(t, notes[0], "acct: this engine does not make this system call; it answers ENOSYS")
}

// Each library function's types, parsed lazily in one parser for all the
// prototypes, are the ones its prototype gives parsed alone, and its name
// is the one the parser reads.
func TestBuiltinTypesAreTheirPrototypes(t *testing.T) {
	require.NotEmpty(t, builtinList)
	for _, b := range builtinList {
		var d []Diagnostic
		u := parse(lex(b.proto+";", &d), &d)
		require.Empty(t, d, b.proto)
		require.Len(t, u.globals, 1, b.proto)
		g := u.globals[0]
		assert.Equal(t, g.name, b.name, b.proto)
		assert.Equal(t, g.t.String(), b.fnType().String(), b.proto)
	}
}
