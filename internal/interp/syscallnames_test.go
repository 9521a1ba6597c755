package interp

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/engine/sim"
)

// callNames is an engine that records the names of the system calls made
// through it.
type callNames struct {
	engine.Engine
	names map[string]bool
}

func (c *callNames) Syscall(pid int, call engine.Call) engine.Result {
	c.names[call.Name] = true
	return c.Engine.Syscall(pid, call)
}

// TestLibraryCallsAreSyscalls: every name the C library hands the engine is
// a system call of package engine's table (the engines dispatch on the
// table's numbers, so a misspelled name would be ENOSYS).
func TestLibraryCallsAreSyscalls(t *testing.T) {
	files, err := filepath.Glob("testdata/*.c")
	require.NoError(t, err)
	rec := &callNames{names: map[string]bool{}}
	for _, f := range files {
		src, err := os.ReadFile(f)
		require.NoError(t, err)
		prog, diags := Compile(filepath.Base(f), string(src))
		if len(diags) > 0 {
			continue // the diagnostics tests' programs
		}
		eng := sim.New(engine.Options{})
		require.NoError(t, eng.WriteFile("data.bin", []byte(strings.Repeat("0123456789abcdef", 256))))
		rec.Engine = eng
		prog.Run(context.Background(), rec, Config{Args: []string{"data.bin"}}, nil)
	}
	var unknown, all []string
	for n := range rec.names {
		all = append(all, n)
		if _, ok := engine.SyscallByName(n); !ok {
			unknown = append(unknown, n)
		}
	}
	sort.Strings(all)
	t.Logf("calls made: %v", all)
	assert.Greater(t, len(all), 10, "the programs make calls")
	assert.Empty(t, unknown)
}
