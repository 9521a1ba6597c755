package interp

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mmapplayground/playground/internal/engine"
)

// TestHeadersAreTheTable: a program sees every constant of package engine's
// table, and the system call numbers, with the table's values.
func TestHeadersAreTheTable(t *testing.T) {
	var src, want strings.Builder
	src.WriteString("#include <stdio.h>\n#include <sys/mman.h>\n#include <sys/syscall.h>\nint main(void) {\n")
	line := func(name string, v int64) {
		fmt.Fprintf(&src, "  printf(\"%s %%ld\\n\", (long)(%s));\n", name, name)
		fmt.Fprintf(&want, "%s %d\n", name, v)
	}
	for _, s := range engine.ConstSets() {
		for _, c := range append(append([]engine.Const(nil), s.Consts...), s.Aliases...) {
			line(c.Name, c.Value)
		}
	}
	for _, nr := range []engine.Sysno{engine.SYS_read, engine.SYS_mmap, engine.SYS_madvise, engine.SYS_mremap, engine.SYS_mlock2} {
		line("SYS_"+nr.String(), int64(nr))
		line("__NR_"+nr.String(), int64(nr))
	}
	src.WriteString("  return 0;\n}\n")
	r := runProgram(t, src.String(), nil, nil)
	assert.Equal(t, want.String(), r.stdout)
}
