package sim

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
)

// TestMlockLimits holds RLIMIT_MEMLOCK's checks (can_do_mlock,
// mlock_future_ok, do_mlock's and mlockall's limits) to this machine's
// kernel: testdata/kernel/mlocklimit.c run as an unprivileged user (as
// nobody when the test runs as root, whose CAP_IPC_LOCK would lift every
// limit), and the same calls, in the same order, on the model.
func TestMlockLimits(t *testing.T) {
	native := runAsUser(t, "testdata/kernel/mlocklimit.c")
	x := newFactEnv(t, engine.Options{})
	got := map[string]string{}
	var order []string
	put := func(name, v string) { got[name] = v; order = append(order, name) }
	mmapRC := func(length uint64, flags int64) string {
		return rc(x.call("mmap", 0, int64(length), rw, ap|flags, -1, 0))
	}
	vmlck := func() string {
		return regexp.MustCompile(`VmLck:\s+(\d+) kB`).FindStringSubmatch(x.readFile("/proc/self/status"))[1]
	}
	setLimit := func(cur, max uint64) {
		buf := x.anon(1, rw)
		var b [16]byte
		binary.LittleEndian.PutUint64(b[:8], cur)
		binary.LittleEndian.PutUint64(b[8:], max)
		require.NoError(t, x.e.Store(x.pid, buf, b[:]))
		require.Zero(t, x.call("setrlimit", engine.RLIMIT_MEMLOCK, int64(buf)).Errno)
		x.call("munmap", int64(buf), pg)
	}
	setLimit(4*pg, 4*pg)
	a := int64(x.anon(8, rw))
	put("mlock_within", rc(x.call("mlock", a, 4*pg)))
	put("mlock_again", rc(x.call("mlock", a, 4*pg)))
	put("mlock_past", rc(x.call("mlock", a, 5*pg)))
	put("mlock_past_vmlck", vmlck())
	put("mlock_other", rc(x.call("mlock", a+4*pg, pg)))
	x.call("munlock", a, 8*pg)
	put("mlock2_onfault_past", rc(x.call("mlock2", a, 5*pg, engine.MLOCK_ONFAULT)))
	put("map_locked_past", mmapRC(5*pg, engine.MAP_LOCKED))
	put("map_locked_within", mmapRC(4*pg, engine.MAP_LOCKED))
	put("map_locked_vmlck", vmlck())
	put("map_locked_full", mmapRC(pg, engine.MAP_LOCKED))
	put("mlockall_current", rc(x.call("mlockall", engine.MCL_CURRENT)))
	put("mlockall_future", rc(x.call("mlockall", engine.MCL_FUTURE|engine.MCL_ONFAULT)))
	put("future_map_full", mmapRC(pg, 0))
	x.call("munlockall")
	setLimit(0, 4*pg)
	put("mlock_zero_limit", rc(x.call("mlock", a, pg)))
	put("mlockall_zero_limit", rc(x.call("mlockall", engine.MCL_FUTURE)))
	put("map_locked_zero_limit", mmapRC(pg, engine.MAP_LOCKED))
	put("munlock_zero_limit", rc(x.call("munlock", a, pg)))

	require.ElementsMatch(t, order, keys(native), "mlocklimit.c prints what the test asks the model")
	for _, name := range order {
		assert.Equal(t, native[name], got[name], "the kernel says %s %s", name, native[name])
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// runAsUser builds a C program of testdata and runs it as an unprivileged
// user (nobody, uid 65534, when the test runs as root), reading its
// "name value" lines.
func runAsUser(t *testing.T, src string) map[string]string {
	t.Helper()
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("gcc not found")
	}
	// Not t.TempDir(): its parent is the test's own, closed to others.
	dir, err := os.MkdirTemp("", "mlocklimit-")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(dir) })
	require.NoError(t, os.Chmod(dir, 0o755))
	bin := filepath.Join(dir, "prog")
	out, err := exec.Command(gcc, "-O1", "-w", "-o", bin, src).CombinedOutput()
	require.NoError(t, err, "%s", out)
	// A native program that hangs (a test program's race) fails here, not
	// at the package's time limit.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	run := exec.CommandContext(ctx, bin)
	run.WaitDelay = 5 * time.Second // its children may hold the pipe
	run.Dir = dir
	asNobody(run)
	out, err = run.Output()
	require.NoError(t, err)
	facts := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), " "); ok {
			facts[k] = v
		}
	}
	return facts
}
