package sim

import (
	"strconv"

	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
)

// droppableFacts are facts.c's MAP_DROPPABLE, MADV_WIPEONFORK and private
// /dev/zero answers.
var droppableFacts = []kernelFact{
	mmapFact("droppable_anon", 0, pg, rw, engine.MAP_DROPPABLE|engine.MAP_ANONYMOUS, fdNone, 0),
	mmapFact("droppable_file", 0, pg, rw, engine.MAP_DROPPABLE, fdRW, 0),
	mmapFact("droppable_locked", 0, pg, rw, engine.MAP_DROPPABLE|engine.MAP_ANONYMOUS|engine.MAP_LOCKED, fdNone, 0),
	mmapFact("droppable_growsdown", 0, pg, rw, engine.MAP_DROPPABLE|engine.MAP_ANONYMOUS|engine.MAP_GROWSDOWN, fdNone, 0),
	{"droppable_vmflags", func(x *factEnv) string {
		d := x.droppable()
		return x.vmflag(d, "dp") + x.vmflag(d, "wf") + x.vmflag(d, "dd") + x.vmflag(d, "nr")
	}},
	{"droppable_fork_child_reads", func(x *factEnv) string { return x.forkChildReads(x.droppable()) }},
	{"droppable_mlock", func(x *factEnv) string { return rc(x.call("mlock", int64(x.droppable()), pg)) }},
	{"droppable_mlock_lo", func(x *factEnv) string {
		d := x.droppable()
		x.call("mlock", int64(d), pg)
		return x.vmflag(d, "lo")
	}},
	{"droppable_keeponfork", func(x *factEnv) string {
		return rc(x.call("madvise", int64(x.droppable()), pg, engine.MADV_KEEPONFORK))
	}},
	{"droppable_dodump", func(x *factEnv) string {
		return rc(x.call("madvise", int64(x.droppable()), pg, engine.MADV_DODUMP))
	}},
	{"droppable_pageout_reads", func(x *factEnv) string {
		d := x.droppable()
		x.call("madvise", int64(d), 2*pg, engine.MADV_PAGEOUT)
		return x.byteAt(d) + " " + x.byteAt(d+pg)
	}},
	{"wipeonfork_anon", func(x *factEnv) string { return rc(x.call("madvise", int64(x.wiped()), pg, engine.MADV_WIPEONFORK)) }},
	{"wipeonfork_vmflag", func(x *factEnv) string { a := x.wiped(); x.wipe(a); return x.vmflag(a, "wf") }},
	{"wipeonfork_child_reads", func(x *factEnv) string { a := x.wiped(); x.wipe(a); return x.forkChildReads(a) }},
	{"wipeonfork_parent_reads", func(x *factEnv) string {
		a := x.wiped()
		x.wipe(a)
		x.forkChildReads(a)
		return string(x.load(a, 1))
	}},
	{"keeponfork_anon", func(x *factEnv) string {
		a := x.wiped()
		x.wipe(a)
		return rc(x.call("madvise", int64(a), pg, engine.MADV_KEEPONFORK))
	}},
	{"keeponfork_vmflag", func(x *factEnv) string {
		a := x.wiped()
		x.wipe(a)
		x.call("madvise", int64(a), pg, engine.MADV_KEEPONFORK)
		return x.vmflag(a, "wf")
	}},
	{"dontdump_anon", func(x *factEnv) string { return rc(x.call("madvise", int64(x.wiped()), pg, engine.MADV_DONTDUMP)) }},
	{"dontdump_vmflag", func(x *factEnv) string {
		a := x.wiped()
		x.call("madvise", int64(a), pg, engine.MADV_DONTDUMP)
		return x.vmflag(a, "dd")
	}},
	{"dodump_anon", func(x *factEnv) string {
		a := x.wiped()
		x.call("madvise", int64(a), pg, engine.MADV_DONTDUMP)
		return rc(x.call("madvise", int64(a), pg, engine.MADV_DODUMP))
	}},
	{"wipeonfork_file", func(x *factEnv) string {
		return rc(x.call("madvise", int64(x.mmap(0, pg, rw, engine.MAP_PRIVATE, x.rw, 0)), pg, engine.MADV_WIPEONFORK))
	}},
	{"wipeonfork_shared", func(x *factEnv) string {
		return rc(x.call("madvise", int64(x.mmap(0, pg, rw, engine.MAP_SHARED|engine.MAP_ANONYMOUS, -1, 0)), pg, engine.MADV_WIPEONFORK))
	}},
	{"wipeonfork_zero", func(x *factEnv) string {
		return rc(x.call("madvise", int64(x.zeroPrivate()), pg, engine.MADV_WIPEONFORK))
	}},
	{"zero_private_map_files", func(x *factEnv) string {
		a := x.zeroPrivate()
		path := "/proc/self/map_files/" + strconv.FormatUint(a, 16) + "-" + strconv.FormatUint(a+pg, 16)
		buf := x.anon(1, rw)
		r := x.e.Syscall(x.pid, engine.Call{Name: "readlink", Path: path, Args: []int64{0, int64(buf), 63}})
		if r.Errno != 0 {
			return rc(r)
		}
		return string(x.load(buf, int(r.Ret)))
	}},
}

// droppable is facts.c's: two MAP_DROPPABLE pages, each written 'A'.
func (x *factEnv) droppable() uint64 {
	d := x.mmap(0, 2*pg, rw, engine.MAP_DROPPABLE|engine.MAP_ANONYMOUS, -1, 0)
	require.NoError(x.t, x.e.Store(x.pid, d, []byte("A")))
	require.NoError(x.t, x.e.Store(x.pid, d+pg, []byte("A")))
	return d
}

// wiped is facts.c's page for MADV_WIPEONFORK, written 'p'; wipe advises it.
func (x *factEnv) wiped() uint64 {
	a := x.anon(1, rw)
	require.NoError(x.t, x.e.Store(x.pid, a, []byte("p")))
	return a
}

func (x *factEnv) wipe(a uint64) {
	require.Equal(x.t, engine.Errno(0), x.call("madvise", int64(a), pg, engine.MADV_WIPEONFORK).Errno)
}

// zeroPrivate is a private mapping of /dev/zero, one page.
func (x *factEnv) zeroPrivate() uint64 {
	return x.mmap(0, pg, rw, engine.MAP_PRIVATE, x.open("/dev/zero", engine.O_RDWR), 0)
}

// forkChildReads forks, and the child exits with the byte at a, as
// facts.c's child does: the status the parent reaps.
func (x *factEnv) forkChildReads(a uint64) string {
	r := x.call("fork")
	require.Equal(x.t, engine.Errno(0), r.Errno)
	child := int(r.Ret)
	b := make([]byte, 1)
	require.NoError(x.t, x.e.Load(child, a, b))
	x.e.Syscall(child, engine.Call{Name: "exit_group", Args: []int64{int64(b[0])}})
	st := x.anon(1, rw)
	require.Equal(x.t, int64(child), x.call("wait4", int64(child), int64(st), 0, 0).Ret)
	return strconv.Itoa(int(x.load(st, 2)[1]))
}
