package sim

import (
	"encoding/binary"
	"fmt"
	"strconv"
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
