package sim

import (
	"bytes"
	"testing"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFork(t *testing.T) {
	h := newHarness(t, engine.Options{})
	priv := h.mmap(0, 2*pg, rw, ap, -1, 0)
	shared := h.mmap(0, pg, rw, engine.MAP_SHARED|engine.MAP_ANONYMOUS, -1, 0)
	fd := h.file("f", bytes.Repeat([]byte("f"), pg))
	sfile := h.mmap(0, pg, rw, engine.MAP_SHARED, fd, 0)
	h.store(h.pid, priv, []byte("parent"))
	h.store(h.pid, shared, []byte("parent"))
	h.load(h.pid, sfile, 1)

	child := int(h.ok("fork"))
	assert.Equal(t, firstPid+1, child)
	assert.Equal(t, len(h.e.Maps(h.pid)), len(h.e.Maps(child)))

	pp := h.e.Pages(h.pid, priv, priv+pg)[0]
	cp := h.e.Pages(child, priv, priv+pg)[0]
	assert.Equal(t, engine.PageCOW, pp.State, "write-protected in the parent")
	assert.Equal(t, pp.PFN, cp.PFN, "one frame for both")
	assert.Equal(t, 2, pp.MapCount)
	assert.Equal(t, []int{h.pid, child}, pp.Mappers)
	assert.Equal(t, engine.PageNone, h.e.Pages(child, sfile, sfile+pg)[0].State,
		"vma_needs_copy: a shared file area without anonymous pages copies no PTEs")

	h.rec.reset()
	h.store(child, priv, []byte("child"))
	h.store(child, shared, []byte("child"))
	assert.Equal(t, []engine.FaultKind{kindCOW, kindSharedWrite}, h.rec.faults(),
		"the child copies the private page and finds the shared one in shmem's cache")
	assert.Equal(t, []byte("parent"), h.load(h.pid, priv, 6))
	assert.Equal(t, []byte("childt"), h.load(h.pid, shared, 6))

	h.ok("getppid")
	assert.Equal(t, int64(h.pid), h.e.Syscall(child, engine.Call{Name: "getppid"}).Ret)
	assert.True(t, h.call("wait4", -1, 0, 0, 0).Block, "the child lives")
	assert.Equal(t, int64(0), h.call("wait4", -1, 0, engine.WNOHANG, 0).Ret)

	h.e.Syscall(child, engine.Call{Name: "exit_group", Args: []int64{3}})
	st := h.mmap(0, pg, rw, ap, -1, 0)
	assert.Equal(t, int64(child), h.ok("wait4", int64(child), int64(st), 0, 0))
	assert.Equal(t, []byte{0, 3, 0, 0}, h.load(h.pid, st, 4), "WEXITSTATUS 3")
	assert.Equal(t, engine.ECHILD, h.call("wait4", -1, 0, 0, 0).Errno)

	h.rec.reset()
	h.store(h.pid, priv, []byte("P"))
	assert.Equal(t, []engine.FaultKind{kindWPReuse}, h.rec.faults(), "sole owner again")
}

func TestKill(t *testing.T) {
	h := newHarness(t, engine.Options{})
	child := h.ok("fork")
	assert.Equal(t, int64(0), h.ok("kill", child, 0))
	h.ok("kill", child, engine.SIGTERM)
	st := h.mmap(0, pg, rw, ap, -1, 0)
	h.ok("wait4", child, int64(st), 0, 0)
	assert.Equal(t, byte(engine.SIGTERM), h.load(h.pid, st, 1)[0])
	assert.Equal(t, engine.ESRCH, h.call("kill", child, 0).Errno)
	r := h.call("kill", int64(h.pid), engine.SIGUSR1)
	require.NotNil(t, r.Signal)
	assert.Equal(t, engine.SIGUSR1, r.Signal.Signo)
}

// TestSeed002TwoProcessesShareAPage is seed 002: process A maps a file
// shared and writes it; process B maps the same file and reads: its fault
// only installs a PTE to the page A brought in.
func TestSeed002TwoProcessesShareAPage(t *testing.T) {
	e := New(engine.Options{})
	rec := &recorder{}
	e.SetSink(rec.sink)
	require.NoError(t, e.WriteFile("shared.txt", bytes.Repeat([]byte("."), 64)))
	a, _ := e.Exec(engine.Image{Name: "a"})
	b, _ := e.Exec(engine.Image{Name: "b"})
	mapIt := func(pid int) uint64 {
		fd := e.Syscall(pid, engine.Call{Name: "open", Path: "shared.txt", Args: []int64{0, engine.O_RDWR, 0}})
		r := e.Syscall(pid, engine.Call{Name: "mmap", Args: []int64{0, 64, rw, engine.MAP_SHARED, fd.Ret, 0}})
		require.Equal(t, engine.Errno(0), r.Errno)
		return uint64(r.Ret)
	}
	pa := mapIt(a.Pid)
	require.NoError(t, e.Store(a.Pid, pa, []byte("hello from A")))
	pb := mapIt(b.Pid)
	rec.reset()
	got := make([]byte, 12)
	require.NoError(t, e.Load(b.Pid, pb, got))
	assert.Equal(t, "hello from A", string(got))
	faults := rec.ofType(engine.EvFault)
	require.Len(t, faults, 1)
	assert.Equal(t, kindFileMinor, faults[0].Kind)
	assert.Empty(t, rec.ofType(engine.EvDisk))
	assert.Equal(t, e.Pages(a.Pid, pa, pa+1)[0].PFN, faults[0].PFN, "B maps A's frame")
	assert.Equal(t, []int{a.Pid, b.Pid}, e.Pages(b.Pid, pb, pb+1)[0].Mappers)
}
