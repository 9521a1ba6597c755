package sim

import (
	"encoding/binary"
	"fmt"

	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
)

// cachestatFacts are facts.c's cachestat answers: its checks, and what it
// counts of a file of three pages written with write(2) (all cached and
// dirty, then clean after fsync), of a range straddling pages, of a range
// to the end, and of a memfd (shmem: never dirty).
var cachestatFacts = []kernelFact{
	{"cachestat_badfd", func(x *factEnv) string {
		r := x.csRange(0, 0)
		return rc(x.call("cachestat", -1, int64(r), int64(r+16), 0))
	}},
	{"cachestat_flags", func(x *factEnv) string {
		r := x.csRange(0, 0)
		return rc(x.call("cachestat", x.rw, int64(r), int64(r+16), 1))
	}},
	{"cachestat_range_fault", func(x *factEnv) string {
		r := x.csRange(0, 0)
		return rc(x.call("cachestat", x.rw, 0, int64(r+16), 0))
	}},
	{"cachestat_out_fault", func(x *factEnv) string {
		r := x.csRange(0, 0)
		return rc(x.call("cachestat", x.rw, int64(r), 0, 0))
	}},
	{"cachestat_written", func(x *factEnv) string {
		cs := x.cachestat(x.csFile(), 0, 0)
		return fmt.Sprintf("%d %d %d %d", cs[0], cs[1], cs[2], cs[3])
	}},
	{"cachestat_straddle", func(x *factEnv) string {
		cs := x.cachestat(x.csFile(), pg+1, pg)
		return fmt.Sprintf("%d %d", cs[0], cs[1])
	}},
	{"cachestat_to_end", func(x *factEnv) string { return fmt.Sprint(x.cachestat(x.csFile(), 2*pg, 0)[0]) }},
	{"cachestat_fsynced", func(x *factEnv) string {
		f := x.csFile()
		x.call("fsync", f)
		cs := x.cachestat(f, 0, 0)
		return fmt.Sprintf("%d %d", cs[0], cs[1])
	}},
	{"cachestat_memfd", func(x *factEnv) string {
		m := x.memfd("cs", 0)
		buf := x.anon(1, rw)
		x.call("write", m, int64(buf), pg)
		x.call("write", m, int64(buf), pg)
		cs := x.cachestat(m, 0, 0)
		return fmt.Sprintf("%d %d", cs[0], cs[1])
	}},
}

// csRange is a struct cachestat_range {off, len} in a page of its own,
// the struct cachestat's 40 bytes after it.
func (x *factEnv) csRange(off, length uint64) uint64 {
	a := x.anon(1, rw)
	var b [16]byte
	binary.LittleEndian.PutUint64(b[0:], off)
	binary.LittleEndian.PutUint64(b[8:], length)
	require.NoError(x.t, x.e.Store(x.pid, a, b[:]))
	return a
}

// csFile is facts.c's cs.bin: three pages, written a page a write.
func (x *factEnv) csFile() int64 {
	f := x.open("cs.bin", engine.O_RDWR|engine.O_CREAT|engine.O_TRUNC)
	buf := x.anon(1, rw)
	for range 3 {
		require.Equal(x.t, int64(pg), x.call("write", f, int64(buf), pg).Ret)
	}
	return f
}

// cachestat is the struct cachestat cachestat(2) fills for fd's range.
func (x *factEnv) cachestat(fd int64, off, length uint64) [5]uint64 {
	r := x.csRange(off, length)
	require.Equal(x.t, engine.Errno(0), x.call("cachestat", fd, int64(r), int64(r+16), 0).Errno)
	b := x.load(r+16, 40)
	var cs [5]uint64
	for i := range cs {
		cs[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	return cs
}
