package cc

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
)

func TestDiagnostics(t *testing.T) {
	tests := []struct {
		name, out string
		want      []Diagnostic
	}{
		{"error with column", "prog.c:2:9: error: 'x' undeclared (first use in this function)\n",
			[]Diagnostic{{Line: 2, Col: 9, Message: "'x' undeclared (first use in this function)"}}},
		{"fatal error", "prog.c:1:10: fatal error: nosuch.h: No such file or directory\ncompilation terminated.\n",
			[]Diagnostic{{Line: 1, Col: 10, Message: "nosuch.h: No such file or directory"}}},
		{"warnings and notes are not errors", "prog.c:3:5: warning: unused variable 'y'\nprog.c:4:1: note: here\n", nil},
		{"another file's error is not the program's", ".include/playground.h:9:1: error: oops\n", nil},
		{"no column", "prog.c:7: error: something\n", []Diagnostic{{Line: 7, Message: "something"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Diagnostics("prog.c", tt.out))
		})
	}
}

func TestFindWithoutACompilerIsUnsupported(t *testing.T) {
	_, err := Find(func(k string) string {
		if k == EnvCC {
			return "/no/such/cc"
		}
		return ""
	})
	require.Error(t, err)
	assert.ErrorIs(t, err, engine.ErrUnsupported)
}

func TestBuildNamesTheBinaryForTheSource(t *testing.T) {
	compiler, err := Find(nil)
	if err != nil {
		t.Skip(err)
	}
	dir := t.TempDir()
	bin, diags, out, err := Build(context.Background(), Spec{CC: compiler, Dir: dir, Name: "hello.c", Src: "#include <playground.h>\nint main(void) { checkpoint(\"x\"); return 0; }\n"})
	require.NoError(t, err, "%v %s", diags, out)
	assert.Equal(t, filepath.Join(dir, "hello"), bin)
	_, err = os.Stat(bin)
	assert.NoError(t, err)
	_, diags, _, err = Build(context.Background(), Spec{CC: compiler, Dir: t.TempDir(), Src: "int main(void) { undefined_function(); return 0; }\n"})
	require.Error(t, err)
	require.Len(t, diags, 1, "the linker's error, without a position")
	assert.Zero(t, diags[0].Line)
	assert.Contains(t, diags[0].Message, "undefined_function")
}
