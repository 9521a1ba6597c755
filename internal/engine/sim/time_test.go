package sim

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
)

// TestClockGetres holds clock_getres to this machine's kernel:
// testdata/kernel/clock.c run as an unprivileged user, and the same calls
// on the model (the CPU clocks of the parent asked by a forked child, as
// the program's child of the test asks of it).
func TestClockGetres(t *testing.T) {
	native := runAsUser(t, "testdata/kernel/clock.c")
	x := newFactEnv(t, engine.Options{})
	buf := x.anon(1, rw)
	child := int(x.call("fork").Ret)
	got := map[string]string{}
	var order []string
	getres := func(pid int, name string, clock int64) {
		require.NoError(t, x.e.Store(pid, buf, []byte{7, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0}))
		r := x.e.Syscall(pid, engine.Call{Name: "clock_getres", Args: []int64{clock, int64(buf)}})
		v := rc(r)
		if r.Errno == 0 {
			b := make([]byte, 16)
			require.NoError(t, x.e.Load(pid, buf, b))
			v = strconv.FormatUint(binary.LittleEndian.Uint64(b)*1e9+binary.LittleEndian.Uint64(b[8:]), 10)
		}
		got[name], order = v, append(order, name)
		got[name+"_null"] = rc(x.e.Syscall(pid, engine.Call{Name: "clock_getres", Args: []int64{clock, 0}}))
		got[name+"_fault"] = rc(x.e.Syscall(pid, engine.Call{Name: "clock_getres", Args: []int64{clock, 8}}))
		order = append(order, name+"_null", name+"_fault")
	}
	for c := int64(0); c <= 13; c++ {
		getres(child, fmt.Sprintf("clock_%d", c), c)
	}
	for typ := int64(0); typ < 8; typ++ {
		getres(child, fmt.Sprintf("cpu_self_%d", typ), ^int64(0)<<3|typ)
		getres(child, fmt.Sprintf("cpu_pid_%d", typ), ^int64(child)<<3|typ)
	}
	getres(child, "cpu_parent", ^int64(x.pid)<<3|2)
	getres(child, "cpu_parent_thread", ^int64(x.pid)<<3|6)
	getres(child, "cpu_no_such_pid", ^int64(99999999)<<3|2)

	require.ElementsMatch(t, order, keys(native), "clock.c prints what the test asks the model")
	for _, name := range order {
		assert.Equal(t, native[name], got[name], "the kernel says %s %s", name, native[name])
	}
}

// clockIDs are testdata/kernel/clocks.c's ids, in its order, for a
// process whose pid is self.
func clockIDs(self int) []int64 {
	own := func(low uint32) int64 { return int64(int32(^uint32(self)<<3 | low)) }
	return []int64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, -1, -2, -3, -4, -5, -6, -7, -8, math.MinInt32, math.MaxInt32,
		own(2), own(6), own(0), own(3)}
}

// TestClocksMatchKernel runs testdata/kernel/clocks.c natively and makes
// the same calls on the model: every clock id's clock_getres and
// clock_gettime answers (errno and resolution), the NULL and bad
// pointers, and getcpu on each CPU the affinity pins.
func TestClocksMatchKernel(t *testing.T) {
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("gcc not found")
	}
	// Not t.TempDir(): its parent is the test's own, closed to others.
	dir, err := os.MkdirTemp("", "clocks-")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(dir) })
	require.NoError(t, os.Chmod(dir, 0o755)) // nobody runs what is built here
	bin := filepath.Join(dir, "clocks")
	out, err := exec.Command(gcc, "-O1", "-w", "-o", bin, "testdata/kernel/clocks.c").CombinedOutput()
	require.NoError(t, err, "%s", out)
	cmd := exec.Command(bin)
	asNobody(cmd)
	native, err := cmd.Output()
	require.NoError(t, err)

	h := newHarness(t, engine.Options{})
	buf := h.mmap(0, engine.PageSize, engine.PROT_READ|engine.PROT_WRITE, engine.MAP_PRIVATE|engine.MAP_ANONYMOUS, -1, 0)
	var b strings.Builder
	show := func(what string, id int, r engine.Result) {
		fmt.Fprintf(&b, "%s %d %d %d\n", what, id, r.Ret, r.Errno)
	}
	for i, id := range clockIDs(h.pid) {
		h.store(h.pid, buf, bytes.Repeat([]byte{0xff}, 16)) // {-1, -1}, as clocks.c sets it
		show("getres", i, h.call("clock_getres", id, int64(buf)))
		ts := h.load(h.pid, buf, 16)
		fmt.Fprintf(&b, "res %d %d.%d\n", i, int64(binary.LittleEndian.Uint64(ts)), int64(binary.LittleEndian.Uint64(ts[8:])))
		show("gettime", i, h.call("clock_gettime", id, int64(buf)))
		show("getres_null", i, h.call("clock_getres", id, 0))
		show("gettime_null", i, h.call("clock_gettime", id, 0))
	}
	show("gettimeofday_null", 0, h.call("gettimeofday", 0, 0))
	show("gettimeofday_bad", 0, h.call("gettimeofday", 8, 0))
	r := h.call("time", 0)
	r.Ret = min(r.Ret, 0)
	show("time_null", 0, r)
	show("time_bad", 0, h.call("time", 8))
	show("getcpu_bad", 0, h.call("getcpu", 8, 0, 0))
	for cpu := 0; cpu < 2; cpu++ {
		var mask [8]byte
		mask[0] = 1 << cpu
		h.store(h.pid, buf+64, mask[:])
		h.ok("sched_setaffinity", 0, 8, int64(buf+64))
		h.store(h.pid, buf, []byte{99, 0, 0, 0, 99, 0, 0, 0})
		show("getcpu", cpu, h.call("getcpu", int64(buf), int64(buf+4), 0))
		got := h.load(h.pid, buf, 8)
		fmt.Fprintf(&b, "on %d %d %d\n", cpu, binary.LittleEndian.Uint32(got), binary.LittleEndian.Uint32(got[4:]))
	}
	assert.Equal(t, string(native), b.String())
}

// TestClockReadings holds the clocks' values to what the model says they
// are: the logical clock for the high-resolution ones, its last tick for
// the coarse ones, the wall clock at boot (Options.BootTime) plus those
// for the wall clocks, the time since the process was made for its CPU
// clock, and the same instant for clock_gettime, gettimeofday and time.
func TestClockReadings(t *testing.T) {
	for _, boot := range []int64{0, 1796213743} {
		t.Run(strconv.FormatInt(boot, 10), func(t *testing.T) {
			h := newHarness(t, engine.Options{BootTime: boot})
			wall := uint64(engine.DefaultBootTime) * 1e9
			if boot != 0 {
				wall = uint64(boot) * 1e9
			}
			buf := h.mmap(0, engine.PageSize, engine.PROT_READ|engine.PROT_WRITE, engine.MAP_PRIVATE|engine.MAP_ANONYMOUS, -1, 0)
			h.call("nanosleep", 1_234_567_891) // the model's nanosleep takes nanoseconds
			read := func(name string, args ...int64) (uint64, uint64) {
				h.ok(name, args...)
				ts := h.load(h.pid, buf, 16)
				return binary.LittleEndian.Uint64(ts), binary.LittleEndian.Uint64(ts[8:])
			}
			for _, tc := range []struct {
				clock        int64
				coarse, real bool
			}{
				{engine.CLOCK_REALTIME, false, true}, {engine.CLOCK_MONOTONIC, false, false}, {engine.CLOCK_BOOTTIME, false, false},
				{engine.CLOCK_TAI, false, true}, {engine.CLOCK_MONOTONIC_RAW, false, false},
				{engine.CLOCK_MONOTONIC_COARSE, true, false}, {engine.CLOCK_REALTIME_COARSE, true, true},
			} {
				var off uint64
				if tc.real {
					off = wall
				}
				before := h.e.Now() + off
				s, ns := read("clock_gettime", tc.clock, int64(buf))
				got, after := s*1e9+ns, h.e.Now()+off
				if tc.coarse {
					// The last tick's time.
					assert.Zero(t, got%tickNS, "clock %d", tc.clock)
					assert.True(t, got <= after && got+tickNS > before, "clock %d: %d, between %d and %d", tc.clock, got, before, after)
				} else {
					assert.True(t, got > before && got <= after, "clock %d: %d, between %d and %d", tc.clock, got, before, after)
				}
			}
			before := h.e.Now()
			s, ns := read("clock_gettime", engine.CLOCK_PROCESS_CPUTIME_ID, int64(buf))
			started := h.e.proc(h.pid).sys.started
			assert.True(t, s*1e9+ns > before-started && s*1e9+ns <= h.e.Now()-started)
			before = h.e.Now() + wall
			s, us := read("gettimeofday", int64(buf), 0)
			assert.True(t, s*1e6+us >= before/1e3 && s*1e6+us <= (h.e.Now()+wall)/1e3)
			assert.Equal(t, int64(wall/1e9+1), h.ok("time", 0))
		})
	}
}

// TestSteppedMovesClocks: the interpreter's steps are the CPU's time
// (engine.Stepper), so every clock moves with them, a nanosecond a step.
func TestSteppedMovesClocks(t *testing.T) {
	h := newHarness(t, engine.Options{})
	buf := h.mmap(0, engine.PageSize, engine.PROT_READ|engine.PROT_WRITE, engine.MAP_PRIVATE|engine.MAP_ANONYMOUS, -1, 0)
	read := func(clock int64) uint64 {
		h.ok("clock_gettime", clock, int64(buf))
		ts := h.load(h.pid, buf, 16)
		return binary.LittleEndian.Uint64(ts)*1e9 + binary.LittleEndian.Uint64(ts[8:])
	}
	read(engine.CLOCK_MONOTONIC) // buf's page fault, once
	for _, clock := range []int64{engine.CLOCK_MONOTONIC, engine.CLOCK_REALTIME, engine.CLOCK_PROCESS_CPUTIME_ID} {
		before := read(clock)
		h.e.Stepped(5_000_000)
		after := read(clock)
		assert.Equal(t, uint64(5_000_000+costSyscall), after-before, "clock %d", clock)
	}
}
