package sim

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// golden compares got with testdata/name.golden, or rewrites it.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create %s", path)
	assert.Equal(t, string(want), string(got))
}

// scenario is a program in calls: the engine, its process, and what it
// does. Each runs on a fresh engine with every event encoded.
type scenario struct {
	name string
	opts engine.Options
	run  func(h *harness)
}

var scenarios = []scenario{
	{"anon_merge_split", engine.Options{}, func(h *harness) {
		a := h.mmap(0, pg, rw, ap, -1, 0)
		b := h.mmap(0, pg, rw, ap, -1, 0)
		h.load(h.pid, b, 1)
		h.store(h.pid, a, []byte("x"))
		h.ok("mprotect", int64(b), pg, engine.PROT_READ)
		h.ok("mprotect", int64(b), pg, rw)
		h.ok("munmap", int64(b), 2*pg)
	}},
	{"seed000_demo_dev", engine.Options{}, func(h *harness) {
		fd := h.open("/dev/demo_dev", engine.O_RDWR)
		buf := h.mmap(0, 1024, rw, engine.MAP_SHARED, fd, 0)
		h.store(h.pid, buf, []byte("hello device"))
		h.call("mmap", 0, 2*pg, rw, engine.MAP_SHARED, fd, 0)
		h.ok("munmap", int64(buf), 1024)
		h.ok("close", fd)
	}},
	{"shared_file_msync_writeback", engine.Options{FaultAround: 4}, func(h *harness) {
		fd := h.file("data.bin", bytes.Repeat([]byte("d"), 6*pg))
		m := h.mmap(0, 6*pg, rw, engine.MAP_SHARED, fd, 0)
		h.load(h.pid, m, 1)
		h.store(h.pid, m+pg, []byte("W"))
		h.ok("msync", int64(m), 6*pg, engine.MS_SYNC)
		h.store(h.pid, m+2*pg, []byte("W"))
		h.ok("nanosleep", 40e9)
		h.ok("munmap", int64(m), 6*pg)
	}},
	{"private_file_cow_fork", engine.Options{}, func(h *harness) {
		fd := h.file("data.bin", bytes.Repeat([]byte("d"), 2*pg))
		m := h.mmap(0, 2*pg, rw, engine.MAP_PRIVATE, fd, 0)
		h.load(h.pid, m, 1)
		h.store(h.pid, m, []byte("P"))
		child := int(h.ok("fork"))
		h.store(child, m, []byte("C"))
		h.e.Syscall(child, engine.Call{Name: "exit_group", Args: []int64{0}})
		h.ok("wait4", int64(child), 0, 0, 0)
		h.store(h.pid, m, []byte("p"))
	}},
	{"seed002_two_processes_share_a_page", engine.Options{}, func(h *harness) {
		require.NoError(h.t, h.e.WriteFile("shared.txt", bytes.Repeat([]byte("."), 64)))
		b, err := h.e.Exec(engine.Image{Name: "procB"})
		require.NoError(h.t, err)
		mapIt := func(pid int) uint64 {
			fd := h.e.Syscall(pid, engine.Call{Name: "open", Path: "shared.txt", Args: []int64{0, engine.O_RDWR, 0}})
			return uint64(h.e.Syscall(pid, engine.Call{Name: "mmap", Args: []int64{0, 64, rw, engine.MAP_SHARED, fd.Ret, 0}}).Ret)
		}
		pa := mapIt(h.pid)
		h.store(h.pid, pa, []byte("hello from A"))
		pb := mapIt(b.Pid)
		h.load(b.Pid, pb, 12)
	}},
	{"stack_growth_and_brk", engine.Options{}, func(h *harness) {
		h.store(h.pid, stackTop-8, []byte("top"))
		h.store(h.pid, stackTop-stackInit-3*pg, []byte("deep"))
		brk := uint64(h.ok("brk", 0))
		h.ok("brk", int64(brk+3*pg))
		h.store(h.pid, brk, []byte("heap"))
		h.ok("brk", int64(brk+pg))
	}},
	{"read_vs_mmap_copies", engine.Options{}, func(h *harness) {
		fd := h.file("data.bin", bytes.Repeat([]byte("r"), 2*pg))
		buf := h.mmap(0, 2*pg, rw, ap, -1, 0)
		h.ok("read", fd, int64(buf), 2*pg)
		m := h.mmap(0, 2*pg, engine.PROT_READ, engine.MAP_SHARED, fd, 0)
		h.load(h.pid, m, 2*pg)
		h.ok("write", 1, int64(buf), 5)
	}},
}

// trace runs a scenario and returns its events, one JSON object a line,
// and the final /proc/pid/maps.
func trace(t *testing.T, s scenario) (events, maps []byte) {
	e, pid := newProc(t, s.opts)
	var buf []byte
	e.SetSink(func(ev *engine.Event) {
		buf = ev.AppendJSON(buf)
		buf = append(buf, '\n')
	})
	h := &harness{t: t, e: e, pid: pid, rec: &recorder{}}
	s.run(h)
	var m strings.Builder
	for _, v := range e.Maps(pid) {
		m.WriteString(v.MapsLine())
		m.WriteByte('\n')
	}
	return buf, []byte(m.String())
}

func TestGolden(t *testing.T) {
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			events, maps := trace(t, s)
			golden(t, s.name+".events", events)
			golden(t, s.name+".maps", maps)
		})
	}
}

// TestDeterminism: the same calls give the same events, byte for byte.
func TestDeterminism(t *testing.T) {
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			a, am := trace(t, s)
			b, bm := trace(t, s)
			assert.Equal(t, string(a), string(b))
			assert.Equal(t, string(am), string(bm))
		})
	}
}

// TestSnapshotRestore: run half, snapshot, run the rest; restore and run
// the rest again: the same events, the same memory.
func TestSnapshotRestore(t *testing.T) {
	h := newHarness(t, engine.Options{RAM: 1 << 20})
	fd := h.file("data.bin", bytes.Repeat([]byte("s"), 4*pg))
	m := h.mmap(0, 4*pg, rw, engine.MAP_SHARED, fd, 0)
	a := h.mmap(0, 64*pg, rw, ap, -1, 0)
	h.store(h.pid, a, []byte("before"))
	h.store(h.pid, m, []byte("before"))

	snap := h.e.Snapshot()
	assert.Equal(t, h.e.Now(), snap.Clock())
	rest := func() ([]byte, []byte) {
		var buf []byte
		h.e.SetSink(func(ev *engine.Event) { buf = append(ev.AppendJSON(buf), '\n') })
		h.store(h.pid, a, []byte("after!"))
		h.store(h.pid, m+pg, []byte("after!"))
		child := int(h.ok("fork"))
		h.store(child, a+pg, []byte("child"))
		big := h.mmap(0, 2<<20, rw, ap, -1, 0)
		for i := uint64(0); i < 512; i++ { // forces reclaim and swap
			h.store(h.pid, big+i*pg, []byte{byte(i)})
		}
		h.ok("msync", int64(m), 4*pg, engine.MS_SYNC)
		disk, _ := h.e.ReadFile("data.bin")
		return buf, append(h.load(h.pid, a, 6), disk[pg:pg+6]...)
	}
	ev1, mem1 := rest()
	assert.Equal(t, []byte("after!after!"), mem1)
	require.NoError(t, h.e.Restore(snap))
	assert.Equal(t, []byte("before"), h.load(h.pid, a, 6))
	disk, _ := h.e.ReadFile("data.bin")
	assert.Equal(t, []byte("ssssss"), disk[pg:pg+6])
	ev2, mem2 := rest()
	assert.Equal(t, string(ev1), string(ev2))
	assert.Equal(t, mem1, mem2)
	// The snapshot is not changed by what happened after it.
	require.NoError(t, h.e.Restore(snap))
	assert.Equal(t, []byte("before"), h.load(h.pid, a, 6))
}
