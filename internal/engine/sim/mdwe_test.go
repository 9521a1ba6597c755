package sim

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
)

// TestMDWE holds PR_SET_MDWE (prctl_set_mdwe, map_deny_write_exec and
// fork's mmf_init_flags) to this machine's kernel: testdata/kernel/mdwe.c
// run as an unprivileged user, and the same calls on the model.
func TestMDWE(t *testing.T) {
	native := runAsUser(t, "testdata/kernel/mdwe.c")
	x := newFactEnv(t, engine.Options{})
	got := map[string]string{}
	var order []string
	put := func(name, v string) { got[name] = v; order = append(order, name) }
	prctl := func(pid int, args ...int64) engine.Result {
		return x.e.Syscall(pid, engine.Call{Name: "prctl", Args: args})
	}
	get := func(pid int) string { return strconv.FormatInt(prctl(pid, engine.PR_GET_MDWE, 0, 0, 0, 0).Ret, 10) }
	mmapRC := func(pid int, addr uint64, prot, flags int64) (uint64, string) {
		r := x.e.Syscall(pid, engine.Call{Name: "mmap", Args: []int64{int64(addr), pg, prot, ap | flags, -1, 0}})
		return uint64(r.Ret), rc(r)
	}
	fork := func(pid int) int {
		r := x.e.Syscall(pid, engine.Call{Name: "fork"})
		require.Zero(t, r.Errno)
		return int(r.Ret)
	}
	const rx, wx = engine.PROT_READ | engine.PROT_EXEC, engine.PROT_WRITE | engine.PROT_EXEC
	me := x.pid
	put("mdwe_get_none", get(me))
	put("mdwe_bad_bits", rc(prctl(me, engine.PR_SET_MDWE, 4, 0, 0, 0)))
	put("mdwe_no_inherit_alone", rc(prctl(me, engine.PR_SET_MDWE, engine.PR_MDWE_NO_INHERIT, 0, 0, 0)))
	put("mdwe_arg3", rc(prctl(me, engine.PR_SET_MDWE, 1, 1, 0, 0)))
	put("mdwe_get_arg2", rc(prctl(me, engine.PR_GET_MDWE, 1, 0, 0, 0)))
	old, r := mmapRC(me, 0, wx, 0)
	put("mdwe_off_mmap_wx", r)
	c := fork(me)
	put("mdwe_set_no_inherit", rc(prctl(c, engine.PR_SET_MDWE, engine.PR_MDWE_REFUSE_EXEC_GAIN|engine.PR_MDWE_NO_INHERIT, 0, 0, 0)))
	put("mdwe_get_no_inherit", get(c))
	put("mdwe_child_no_inherit", get(fork(c)))
	put("mdwe_set", rc(prctl(me, engine.PR_SET_MDWE, engine.PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0)))
	put("mdwe_set_again", rc(prctl(me, engine.PR_SET_MDWE, engine.PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0)))
	put("mdwe_unset", rc(prctl(me, engine.PR_SET_MDWE, 0, 0, 0, 0)))
	put("mdwe_add_no_inherit", rc(prctl(me, engine.PR_SET_MDWE, engine.PR_MDWE_REFUSE_EXEC_GAIN|engine.PR_MDWE_NO_INHERIT, 0, 0, 0)))
	put("mdwe_get", get(me))
	_, r = mmapRC(me, 0, wx, 0)
	put("mdwe_mmap_wx", r)
	p, r := mmapRC(me, 0, rx, 0)
	put("mdwe_mmap_rx", r)
	put("mdwe_mprotect_stay_x", rc(x.call("mprotect", int64(p), pg, rx)))
	put("mdwe_mprotect_wx", rc(x.call("mprotect", int64(p), pg, rx|engine.PROT_WRITE)))
	q, _ := mmapRC(me, 0, engine.PROT_READ, 0)
	put("mdwe_mprotect_add_x", rc(x.call("mprotect", int64(q), pg, rx)))
	put("mdwe_mprotect_none", rc(x.call("mprotect", int64(p), pg, engine.PROT_NONE)))
	put("mdwe_mprotect_back_x", rc(x.call("mprotect", int64(p), pg, engine.PROT_EXEC)))
	_, r = mmapRC(me, q, rx, engine.MAP_FIXED)
	put("mdwe_mmap_fixed_rx", r)
	put("mdwe_wx_kept", rc(x.call("mprotect", int64(old), pg, wx)))
	put("mdwe_child", get(fork(me)))

	require.ElementsMatch(t, order, keys(native), "mdwe.c prints what the test asks the model")
	for _, name := range order {
		assert.Equal(t, native[name], got[name], "the kernel says %s %s", name, native[name])
	}
}
