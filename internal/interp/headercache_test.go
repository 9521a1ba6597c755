package interp

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/engine/sim"
)

// TestHeaderTablesAsDefined: the macros defined once are those each
// definition makes when defined afresh, every one of them.
func TestHeaderTablesAsDefined(t *testing.T) {
	for name, tt := range map[string]struct {
		defs  []string
		table []*macro
	}{
		"predefined": {predefined, predefinedTable()},
		"libc":       {libcMacros(), libcTable()},
		"syscalls":   {syscallMacros(), syscallTable()},
	} {
		t.Run(name, func(t *testing.T) {
			require.Len(t, tt.table, len(tt.defs))
			for i, def := range tt.defs {
				pp := &preprocessor{macros: map[string]*macro{}}
				pp.defineText(def)
				require.Len(t, pp.macros, 1, def)
				for _, m := range pp.macros {
					assert.Equal(t, m, tt.table[i], def)
				}
			}
		})
	}
}

// TestHeaderMacrosShared: a program that redefines and undefines the
// headers' macros changes them for itself only, with compiles of others
// running at once (go test -race checks the sharing).
func TestHeaderMacrosShared(t *testing.T) {
	const changer = `#include <sys/mman.h>
#undef MAP_SHARED
#define MAP_SHARED 7
#undef PROT_READ
#ifdef PROT_READ
#error PROT_READ still defined
#endif
int main(void) { return MAP_SHARED; }
`
	const reader = `#include <sys/mman.h>
int main(void) { return MAP_SHARED + PROT_READ * 10; }
`
	var wg sync.WaitGroup
	for range 4 {
		for src, want := range map[string]int{changer: 7, reader: 11} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				prog, diags := Compile("prog.c", src)
				if !assert.Empty(t, diags) {
					return
				}
				ex := prog.Run(context.Background(), sim.New(engine.Options{}), Config{}, nil)
				assert.Equal(t, want, ex.Status)
			}()
		}
	}
	wg.Wait()
}
