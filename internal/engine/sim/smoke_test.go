package sim

import (
	"testing"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newProc is a fresh engine with one process.
func newProc(t testing.TB, opts engine.Options) (*Engine, int) {
	t.Helper()
	e := New(opts)
	p, err := e.Exec(engine.Image{Name: "prog", Rodata: []byte("hello"), Data: []byte{1, 2, 3}, Bss: 100})
	require.NoError(t, err)
	return e, p.Pid
}

func call(e *Engine, pid int, name string, args ...int64) engine.Result {
	return e.Syscall(pid, engine.Call{Name: name, Args: args})
}

func TestSmoke(t *testing.T) {
	e, pid := newProc(t, engine.Options{})
	var evs []string
	e.SetSink(func(ev *engine.Event) { evs = append(evs, string(ev.AppendJSON(nil))) })
	r := call(e, pid, "mmap", 0, 4096, 3, engine.MAP_PRIVATE|engine.MAP_ANONYMOUS, -1, 0)
	require.Equal(t, engine.Errno(0), r.Errno)
	assert.Equal(t, int64(0x7ffff7fbf000), r.Ret, "the top of the hole ld.so.cache left, as natively under setarch -R")
	addr := uint64(r.Ret)
	require.NoError(t, e.Store(pid, addr+10, []byte("abc")))
	buf := make([]byte, 3)
	require.NoError(t, e.Load(pid, addr+10, buf))
	assert.Equal(t, "abc", string(buf))
	require.NoError(t, e.WriteFile("data.bin", []byte("file contents")))
	fd := e.Syscall(pid, engine.Call{Name: "open", Path: "data.bin", Args: []int64{0, engine.O_RDWR, 0}})
	require.Equal(t, engine.Errno(0), fd.Errno)
	m := call(e, pid, "mmap", 0, 4096, 3, engine.MAP_SHARED, fd.Ret, 0)
	require.Equal(t, engine.Errno(0), m.Errno)
	require.NoError(t, e.Load(pid, uint64(m.Ret), buf))
	assert.Equal(t, "fil", string(buf))
	require.NoError(t, e.Store(pid, uint64(m.Ret), []byte("FIL")))
	assert.Equal(t, engine.Errno(0), call(e, pid, "msync", m.Ret, 4096, engine.MS_SYNC).Errno)
	d, _ := e.ReadFile("data.bin")
	assert.Equal(t, "FILe contents", string(d))
	assert.Equal(t, engine.Errno(0), call(e, pid, "munmap", int64(addr), 4096).Errno)
	for _, v := range e.Maps(pid) {
		t.Log(v.MapsLine())
	}
	for _, s := range evs {
		t.Log(s)
	}
}
