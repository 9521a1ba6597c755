package sandbox

import (
	"context"
	"os/exec"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
)

// A second run of the same program takes gcc's build from the cache and
// says so, printing what the first printed; a different file beside the
// source is a different build; a program that does not compile is not
// kept.
func TestBuildCacheServesTheSameProgram(t *testing.T) {
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("no gcc")
	}
	cfg := testConfig(t)
	cfg.Builds = NewBuildCache(32 << 20)
	src := "#include <stdio.h>\n#include \"greeting.h\"\nint main(void) { printf(\"%s %d\\n\", GREETING, 42); return 3; }\n"
	runs := []struct {
		name      string
		job       Job
		stdout    string
		status    int
		fromCache bool
		want      BuildCacheStats
	}{
		{"first", Job{Source: src, Files: map[string]string{"greeting.h": "#define GREETING \"hello\"\n"}}, "hello 42\n", 3, false,
			BuildCacheStats{Misses: 1, Entries: 1}},
		{"again", Job{Source: src, Files: map[string]string{"greeting.h": "#define GREETING \"hello\"\n"}}, "hello 42\n", 3, true,
			BuildCacheStats{Hits: 1, Misses: 1, Entries: 1}},
		{"another header", Job{Source: src, Files: map[string]string{"greeting.h": "#define GREETING \"hi\"\n"}}, "hi 42\n", 3, false,
			BuildCacheStats{Hits: 1, Misses: 2, Entries: 2}},
		{"a compile error", Job{Source: "int main(void) { return x; }\n"}, "", 1, false,
			BuildCacheStats{Hits: 1, Misses: 3, Entries: 2}},
		{"the compile error again", Job{Source: "int main(void) { return x; }\n"}, "", 1, false,
			BuildCacheStats{Hits: 1, Misses: 4, Entries: 2}},
	}
	for _, r := range runs {
		t.Run(r.name, func(t *testing.T) {
			r.job.CC = gcc
			var evs []engine.Event
			res, err := cfg.Run(context.Background(), r.job, func(e *engine.Event) { evs = append(evs, *e) })
			require.NoError(t, err)
			assert.Equal(t, r.stdout, stdout(evs))
			assert.Equal(t, r.status, res.Status)
			notes := messages(evs, engine.EvNote)
			if r.fromCache {
				assert.Contains(t, notes, "from the server's build cache")
			} else {
				assert.NotContains(t, notes, "build cache")
			}
			got := cfg.Builds.Stats()
			got.Bytes = 0
			assert.Equal(t, r.want, got)
		})
	}
}
