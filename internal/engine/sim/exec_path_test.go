package sim

import (
	"strings"
	"testing"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestProgramPath: the program's file is named where the run says it is
// (Options.ProgramPath) by /proc/PID/maps and /proc/PID/exe, its comm is
// the path's last element, and a fork's child says the same; by default
// it is the working directory's file.
func TestProgramPath(t *testing.T) {
	for _, tc := range []struct {
		path, want, comm string
	}{
		{"", "/home/student/prog", "prog"},
		{"/tmp/corpus-build-1/seal_elf", "/tmp/corpus-build-1/seal_elf", "seal_elf"},
		{"/opt/a-program-with-a-long-name", "/opt/a-program-with-a-long-name", "a-program-with-"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			h := newHarness(t, engine.Options{ProgramPath: tc.path})
			maps := h.readFile("/proc/self/maps")
			first, _, _ := strings.Cut(maps, "\n")
			assert.True(t, strings.HasSuffix(first, " "+tc.want), "%s", first)
			buf := h.mmap(0, pg, rw, ap, -1, 0)
			n := h.e.Syscall(h.pid, engine.Call{Name: "readlink", Path: "/proc/self/exe", Args: []int64{0, int64(buf), 4096}})
			require.Zero(t, n.Errno)
			assert.Equal(t, tc.want, string(h.load(h.pid, buf, int(n.Ret))))
			assert.Equal(t, tc.comm+"\n", h.readFile("/proc/self/comm"))
			child := int(h.ok("fork"))
			n = h.e.Syscall(child, engine.Call{Name: "readlink", Path: "/proc/self/exe", Args: []int64{0, int64(buf), 4096}})
			assert.Equal(t, tc.want, string(h.load(child, buf, int(n.Ret))))
		})
	}
	for _, bad := range []string{"seal_elf", "/tmp/../x", "/", "/tmp/x/", "/a\x00b"} {
		var oe *engine.OptionError
		require.ErrorAs(t, engine.Options{ProgramPath: bad}.Check(), &oe, "%q", bad)
		assert.Equal(t, "program_path", oe.Option)
	}
}
