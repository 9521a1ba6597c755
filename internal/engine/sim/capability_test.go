package sim

import (
	"encoding/binary"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
)

// TestCapabilities holds capget's and capset's checks to this machine's
// kernel: testdata/kernel/capability.c run as an unprivileged user, and
// the same calls, in the same order, on the model.
func TestCapabilities(t *testing.T) {
	native := runAsUser(t, "testdata/kernel/capability.c")
	x := newFactEnv(t, engine.Options{})
	buf := x.anon(1, rw)
	hdr, data := int64(buf), int64(buf)+64
	got := map[string]string{}
	var order []string
	put := func(name, v string) { got[name] = v; order = append(order, name) }
	header := func(version uint32, pid int32) {
		var b [8]byte
		binary.LittleEndian.PutUint32(b[0:], version)
		binary.LittleEndian.PutUint32(b[4:], uint32(pid))
		require.NoError(t, x.e.Store(x.pid, buf, b[:]))
	}
	sets := func(fill byte, words ...uint32) {
		b := make([]byte, 24)
		for i := range b {
			b[i] = fill
		}
		for i, w := range words {
			binary.LittleEndian.PutUint32(b[4*i:], w)
		}
		require.NoError(t, x.e.Store(x.pid, uint64(data), b))
	}
	word := func(addr int64, i int) uint32 {
		var b [4]byte
		require.NoError(t, x.e.Load(x.pid, uint64(addr)+uint64(4*i), b[:]))
		return binary.LittleEndian.Uint32(b[:])
	}
	header(engine.LINUX_CAPABILITY_VERSION_3, 0)
	sets(0xff)
	put("capget_v3", rc(x.call("capget", hdr, data)))
	put("capget_v3_sets", fmt.Sprintf("%x %x %x %x %x %x", word(data, 0), word(data, 1), word(data, 2), word(data, 3), word(data, 4), word(data, 5)))
	sets(0xff)
	header(engine.LINUX_CAPABILITY_VERSION_1, 0)
	put("capget_v1", rc(x.call("capget", hdr, data)))
	put("capget_v1_second", fmt.Sprintf("%x", word(data, 3)))
	header(1, 0)
	put("capget_bad_version", rc(x.call("capget", hdr, data)))
	put("capget_bad_version_header", fmt.Sprintf("%x", word(hdr, 0)))
	header(1, 0)
	put("capget_bad_version_null", rc(x.call("capget", hdr, 0)))
	header(engine.LINUX_CAPABILITY_VERSION_3, -1)
	put("capget_negative_pid", rc(x.call("capget", hdr, data)))
	header(engine.LINUX_CAPABILITY_VERSION_3, 4000000)
	put("capget_no_pid", rc(x.call("capget", hdr, data)))
	header(engine.LINUX_CAPABILITY_VERSION_3, 0)
	put("capget_bad_data", rc(x.call("capget", hdr, 8)))
	sets(0)
	put("capset_empty", rc(x.call("capset", hdr, data)))
	sets(0, 1<<engine.CAP_IPC_LOCK)
	put("capset_effective", rc(x.call("capset", hdr, data)))
	sets(0, 0, 0, 0, 0, 0, 1)
	put("capset_inheritable", rc(x.call("capset", hdr, data)))
	sets(0)
	header(engine.LINUX_CAPABILITY_VERSION_3, 1)
	put("capset_other_pid", rc(x.call("capset", hdr, data)))
	header(engine.LINUX_CAPABILITY_VERSION_3, int32(x.pid))
	put("capset_own_pid", rc(x.call("capset", hdr, data)))
	header(2, 0)
	put("capset_bad_version", rc(x.call("capset", hdr, data)))

	require.ElementsMatch(t, order, keys(native), "capability.c prints what the test asks the model")
	for _, name := range order {
		assert.Equal(t, native[name], got[name], "the kernel says %s %s", name, native[name])
	}
}
