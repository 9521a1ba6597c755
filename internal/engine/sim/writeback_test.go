package sim

import (
	"bytes"
	"testing"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWriteback(t *testing.T) {
	const sec = 1_000_000_000
	tests := []struct {
		name string
		// after the store to a shared mapping of "f" (contents "aaaa...")
		then     func(h *harness, a uint64)
		wantDisk byte
		wantPage string // page-cache state of page 0 after
	}{
		{"dirty until something writes it", func(h *harness, a uint64) {}, 'a', "dirty"},
		{"msync MS_SYNC writes it", func(h *harness, a uint64) {
			h.ok("msync", int64(a), pg, engine.MS_SYNC)
		}, 'b', "clean"},
		{"msync MS_ASYNC leaves it to the flusher", func(h *harness, a uint64) {
			h.ok("msync", int64(a), pg, engine.MS_ASYNC)
		}, 'a', "dirty"},
		{"msync MS_INVALIDATE writes nothing", func(h *harness, a uint64) {
			h.ok("msync", int64(a), pg, engine.MS_INVALIDATE)
		}, 'a', "dirty"},
		{"the flusher does not write before the expiry", func(h *harness, a uint64) {
			h.ok("nanosleep", 20*sec)
		}, 'a', "dirty"},
		{"the flusher writes once dirty_expire has passed", func(h *harness, a uint64) {
			h.ok("nanosleep", 40*sec)
		}, 'b', "clean"},
		{"munmap does not write", func(h *harness, a uint64) {
			h.ok("munmap", int64(a), pg)
		}, 'a', "dirty"},
		{"reclaim by MADV_PAGEOUT writes", func(h *harness, a uint64) {
			h.ok("madvise", int64(a), pg, engine.MADV_PAGEOUT)
		}, 'b', ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, engine.Options{})
			fd := h.file("f", bytes.Repeat([]byte("a"), pg))
			a := h.mmap(0, pg, rw, engine.MAP_SHARED, fd, 0)
			h.store(h.pid, a, []byte("b"))
			tt.then(h, a)
			disk, err := h.e.ReadFile("f")
			require.NoError(t, err)
			assert.Equal(t, tt.wantDisk, disk[0])
			st := ""
			for _, f := range h.e.State().Files {
				if f.Name == "f" && len(f.Pages) > 0 {
					st = f.Pages[0].State
				}
			}
			assert.Equal(t, tt.wantPage, st)
		})
	}
}

func TestFlusherEventsOnTheClock(t *testing.T) {
	h := newHarness(t, engine.Options{DirtyExpire: 3e9, WritebackInterval: 1e9})
	fd := h.file("f", bytes.Repeat([]byte("a"), pg))
	h.ok("pwrite64", fd, int64(h.mmap(0, pg, rw, ap|engine.MAP_POPULATE, -1, 0)), 10, 0)
	dirtyAt := h.e.Now()
	h.ok("nanosleep", 10e9)
	var writes []engine.Event
	for _, ev := range h.rec.ofType(engine.EvDisk) {
		if ev.Op == "write" {
			writes = append(writes, ev)
		}
	}
	require.Len(t, writes, 1)
	assert.Equal(t, "writeback", writes[0].Why)
	assert.Equal(t, uint64(4e9), writes[0].Time, "the first wake-up after %d + 3 s", dirtyAt)
}

func TestReadWriteCopies(t *testing.T) {
	h := newHarness(t, engine.Options{})
	fd := h.file("f", bytes.Repeat([]byte("z"), 3*pg))
	buf := h.mmap(0, 4*pg, rw, ap, -1, 0)
	assert.Equal(t, int64(3*pg), h.ok("read", fd, int64(buf), 4*pg))
	assert.Equal(t, int64(0), h.ok("read", fd, int64(buf), 4*pg), "at EOF")
	h.ok("lseek", fd, 0, engine.SEEK_SET)
	assert.Equal(t, int64(10), h.ok("write", fd, int64(buf), 10))
	c := h.e.State().Counters
	assert.Equal(t, uint64(3*pg), c.CopyToUser)
	assert.Equal(t, uint64(10), c.CopyFromUser)
	assert.Equal(t, uint64(2), c.Copies)
	copies := h.rec.ofType(engine.EvCopy)
	require.Len(t, copies, 2)
	assert.Equal(t, "copy_to_user", copies[0].Dir)
	assert.Equal(t, "copy_from_user", copies[1].Dir)

	// stdout: the bytes the program wrote, as text.
	h.store(h.pid, buf, []byte("hi\n"))
	h.ok("write", 1, int64(buf), 3)
	out := h.rec.ofType(engine.EvStdout)
	require.Len(t, out, 1)
	assert.Equal(t, "hi\n", out[0].Text)
}

func TestFileSyscalls(t *testing.T) {
	h := newHarness(t, engine.Options{})
	buf := h.mmap(0, pg, rw, ap, -1, 0)
	tests := []struct {
		name string
		call engine.Call
		want engine.Errno
	}{
		{"open missing", engine.Call{Name: "open", Path: "nope", Args: []int64{0, engine.O_RDONLY, 0}}, engine.ENOENT},
		{"open creates", engine.Call{Name: "open", Path: "new", Args: []int64{0, engine.O_RDWR | engine.O_CREAT, 0o644}}, 0},
		{"open O_EXCL on existing", engine.Call{Name: "open", Path: "new", Args: []int64{0, engine.O_RDWR | engine.O_CREAT | engine.O_EXCL, 0o644}}, engine.EEXIST},
		{"open directory for writing", engine.Call{Name: "open", Path: ".", Args: []int64{0, engine.O_RDWR, 0}}, engine.EISDIR},
		{"openat AT_FDCWD", engine.Call{Name: "openat", Path: "new", Args: []int64{engine.AT_FDCWD, 0, engine.O_RDONLY, 0}}, 0},
		{"openat bad dirfd", engine.Call{Name: "openat", Path: "new", Args: []int64{77, 0, engine.O_RDONLY, 0}}, engine.EBADF},
		{"close bad fd", engine.Call{Name: "close", Args: []int64{77}}, engine.EBADF},
		{"lseek on a tty", engine.Call{Name: "lseek", Args: []int64{1, 0, engine.SEEK_SET}}, engine.ESPIPE},
		{"lseek bad whence", engine.Call{Name: "lseek", Args: []int64{3, 0, 9}}, engine.EINVAL},
		{"stat missing", engine.Call{Name: "stat", Path: "nope", Args: []int64{0, int64(buf)}}, engine.ENOENT},
		{"stat", engine.Call{Name: "stat", Path: "new", Args: []int64{0, int64(buf)}}, 0},
		{"unlink", engine.Call{Name: "unlink", Path: "new", Args: []int64{0}}, 0},
		{"unlink missing", engine.Call{Name: "unlink", Path: "new", Args: []int64{0}}, engine.ENOENT},
		{"unknown call", engine.Call{Name: "frobnicate"}, engine.ENOSYS},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, h.e.Syscall(h.pid, tt.call).Errno)
		})
	}
}

func TestStat(t *testing.T) {
	h := newHarness(t, engine.Options{})
	fd := h.file("f", bytes.Repeat([]byte("q"), 5000))
	buf := h.mmap(0, pg, rw, ap, -1, 0)
	h.ok("fstat", fd, int64(buf))
	st := h.load(h.pid, buf, 144)
	le := func(off, n int) uint64 {
		var v uint64
		for i := n - 1; i >= 0; i-- {
			v = v<<8 | uint64(st[off+i])
		}
		return v
	}
	assert.Equal(t, uint64(5000), le(48, 8), "st_size")
	assert.Equal(t, uint64(engine.S_IFREG|0o644), le(24, 4), "st_mode")
	assert.Equal(t, uint64(4096), le(56, 8), "st_blksize")
	assert.Equal(t, uint64(16), le(64, 8), "st_blocks")
}

func TestTruncateThenSIGBUS(t *testing.T) {
	h := newHarness(t, engine.Options{})
	fd := h.file("f", bytes.Repeat([]byte("q"), 2*pg))
	a := h.mmap(0, 2*pg, engine.PROT_READ, engine.MAP_SHARED, fd, 0)
	h.load(h.pid, a+pg, 1)
	h.ok("ftruncate", fd, 10)
	assert.Equal(t, []byte{'q', 0}, h.load(h.pid, a+9, 2), "zeros past the new end in the last page")
	err := h.e.Load(h.pid, a+pg, make([]byte, 1))
	require.Error(t, err)
	assert.Equal(t, engine.SIGBUS, err.(*engine.Signal).Signo)

	// Private copies past the new end go too (even_cows).
	h.ok("ftruncate", fd, 2*pg)
	p := h.mmap(0, 2*pg, rw, engine.MAP_PRIVATE, fd, 0)
	h.store(h.pid, p+pg, []byte("cow"))
	h.ok("ftruncate", fd, pg)
	err = h.e.Load(h.pid, p+pg, make([]byte, 1))
	require.Error(t, err)
	assert.Equal(t, engine.SIGBUS, err.(*engine.Signal).Signo)
}
