package sim

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestKernelFacts holds the model to this machine's kernel: it compiles
// testdata/kernel/facts.c, runs it, and compares each fact it prints with
// the model's answer to the same calls.
func TestKernelFacts(t *testing.T) {
	native := runNativeFacts(t)
	opts := engine.Options{NoZeroPage: kernelHasNoZeroPage(), ReadAround: kernelReadAround()}
	modelled := map[string]bool{}
	for _, f := range kernelFacts {
		modelled[f.name] = true
	}
	for name := range native {
		assert.True(t, modelled[name], "facts.c prints %s, which the model does not answer", name)
	}
	for _, f := range kernelFacts {
		t.Run(f.name, func(t *testing.T) {
			want, ok := native[f.name]
			require.True(t, ok, "facts.c does not print %s", f.name)
			env := newFactEnv(t, opts)
			assert.Equal(t, want, f.model(env), "the kernel says %s %s", f.name, want)
		})
	}
}

// kernelHasNoZeroPage reports whether this machine's kernel was booted with
// pvm_no_zero_page=1, so anonymous reads get frames, not the zero page.
func kernelHasNoZeroPage() bool {
	b, _ := os.ReadFile("/proc/cmdline")
	return bytes.Contains(b, []byte("pvm_no_zero_page=1"))
}

// kernelReadAround is the block device's read_ahead_kb in pages (the
// model's default, Linux's 128 KiB, when it cannot be read).
func kernelReadAround() int {
	paths, _ := filepath.Glob("/sys/block/*/queue/read_ahead_kb")
	for _, p := range paths {
		if strings.Contains(p, "/loop") || strings.Contains(p, "/ram") {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		if kb, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && kb >= 4 {
			return kb / 4
		}
	}
	return 0
}

func runNativeFacts(t *testing.T) map[string]string {
	t.Helper()
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("gcc not found")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "facts")
	out, err := exec.Command(gcc, "-O1", "-w", "-o", bin, "testdata/kernel/facts.c").CombinedOutput()
	require.NoError(t, err, "%s", out)
	run := exec.Command(bin)
	run.Dir = dir
	out, err = run.Output()
	require.NoError(t, err)
	facts := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), " ")
		if ok {
			facts[k] = v
		}
	}
	return facts
}

// factEnv is the model set up as facts.c sets itself up: data.bin of two
// pages, short.bin of 100 bytes, and descriptors opened read-only,
// write-only, read-write and on the directory.
type factEnv struct {
	t              *testing.T
	e              *Engine
	pid            int
	ro, wo, rw, dr int64
	lastStatus     int
}

func newFactEnv(t *testing.T, opts engine.Options) *factEnv {
	e, pid := newProc(t, opts)
	env := &factEnv{t: t, e: e, pid: pid}
	// As facts.c does: write() them, so their pages are in the page cache.
	buf := env.anon(2, rw)
	require.NoError(t, e.Store(pid, buf, bytes.Repeat([]byte("x"), 2*engine.PageSize)))
	for _, f := range []struct {
		name string
		size int64
	}{{"data.bin", 2 * pg}, {"short.bin", 100}} {
		fd := env.open(f.name, engine.O_RDWR|engine.O_CREAT|engine.O_TRUNC)
		require.Equal(t, f.size, env.call("write", fd, int64(buf), f.size).Ret)
		env.call("close", fd)
	}
	env.call("munmap", int64(buf), 2*pg)
	env.ro = env.open("data.bin", engine.O_RDONLY)
	env.wo = env.open("data.bin", engine.O_WRONLY)
	env.rw = env.open("data.bin", engine.O_RDWR)
	env.dr = env.open(".", engine.O_RDONLY)
	return env
}

func (x *factEnv) open(path string, flags int64) int64 {
	r := x.e.Syscall(x.pid, engine.Call{Name: "open", Path: path, Args: []int64{0, flags, 0o644}})
	require.Equal(x.t, engine.Errno(0), r.Errno, "open %s", path)
	return r.Ret
}

func (x *factEnv) call(name string, args ...int64) engine.Result {
	return x.e.Syscall(x.pid, engine.Call{Name: name, Args: args})
}

// rc names a call's outcome as facts.c prints it.
func rc(r engine.Result) string {
	if r.Errno == 0 {
		return "OK"
	}
	if r.Errno == engine.EOPNOTSUPP || r.Errno == engine.ECHILD {
		return "E" + strconv.Itoa(int(r.Errno))
	}
	return r.Errno.Name()
}

func (x *factEnv) mmap(addr, length uint64, prot, flags int64, fd, off int64) uint64 {
	r := x.call("mmap", int64(addr), int64(length), prot, flags, fd, off)
	require.Equal(x.t, engine.Errno(0), r.Errno, "mmap")
	return uint64(r.Ret)
}

func (x *factEnv) anon(pages int, prot int64) uint64 {
	return x.mmap(0, uint64(pages)*engine.PageSize, prot, engine.MAP_PRIVATE|engine.MAP_ANONYMOUS, -1, 0)
}

func (x *factEnv) vmas(a uint64, length uint64) string {
	n := 0
	for _, v := range x.e.Maps(x.pid) {
		if v.Start < a+length && v.End > a {
			n++
		}
	}
	return strconv.Itoa(n)
}

func (x *factEnv) touch(a uint64, write bool) string {
	var err error
	if write {
		err = x.e.Store(x.pid, a, []byte{1})
	} else {
		err = x.e.Load(x.pid, a, make([]byte, 1))
	}
	if err == nil {
		return "OK"
	}
	s, ok := err.(*engine.Signal)
	require.True(x.t, ok, "%v", err)
	if s.Signo == engine.SIGBUS {
		return "SIGBUS"
	}
	return s.CodeName()
}

func (x *factEnv) byteAt(a uint64) string {
	b := make([]byte, 1)
	require.NoError(x.t, x.e.Load(x.pid, a, b))
	return strconv.Itoa(int(b[0]))
}

func (x *factEnv) count(a uint64, pages int, exclusive bool) string {
	n := 0
	for _, pi := range x.e.Pages(x.pid, a, a+uint64(pages)*engine.PageSize) {
		if pi.State == engine.PageNone || pi.State == engine.PageSwapped {
			continue
		}
		if exclusive && (pi.State == engine.PageZero || pi.MapCount != 1) {
			continue
		}
		n++
	}
	return strconv.Itoa(n)
}

func bit(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

const (
	pg = engine.PageSize
	rw = engine.PROT_READ | engine.PROT_WRITE
	ap = engine.MAP_PRIVATE | engine.MAP_ANONYMOUS
)

type kernelFact struct {
	name  string
	model func(x *factEnv) string
}

func mmapFact(name string, addr, length uint64, prot, flags int64, fd func(*factEnv) int64, off int64) kernelFact {
	return kernelFact{name, func(x *factEnv) string {
		return rc(x.call("mmap", int64(addr), int64(length), prot, flags, fd(x), off))
	}}
}

var (
	fdNone = func(*factEnv) int64 { return -1 }
	fdBad  = func(*factEnv) int64 { return 999 }
	fdRO   = func(x *factEnv) int64 { return x.ro }
	fdWO   = func(x *factEnv) int64 { return x.wo }
	fdRW   = func(x *factEnv) int64 { return x.rw }
	fdDir  = func(x *factEnv) int64 { return x.dr }
	// fdMemfd is a new memfd of one page.
	fdMemfd = func(x *factEnv) int64 {
		fd := x.memfd("dontunmap", 0)
		require.Equal(x.t, engine.Errno(0), x.call("ftruncate", fd, pg).Errno)
		return fd
	}
)

var kernelFacts = slices.Concat(coreFacts, populateProtFacts(),
	dontUnmapKind("shared_anon", engine.MAP_SHARED|engine.MAP_ANONYMOUS, fdNone),
	dontUnmapKind("private_file", engine.MAP_PRIVATE, fdRW),
	dontUnmapKind("shared_file", engine.MAP_SHARED, fdRW),
	dontUnmapKind("memfd", engine.MAP_SHARED, fdMemfd),
	memfdFacts,
	folioFacts(),
	msealFacts,
	syscallFacts,
	stackTmpfileFacts,
	procMemFacts,
	droppableFacts,
	cachestatFacts,
	sealFacts,
)

var coreFacts = []kernelFact{
	{"second_below_first", func(x *factEnv) string {
		a, b := x.anon(1, rw), x.anon(1, rw)
		return bit(b == a-pg)
	}},
	{"adjacent_anon_vmas", func(x *factEnv) string {
		x.anon(1, rw)
		b := x.anon(1, rw)
		return x.vmas(b, 2*pg)
	}},
	mmapFact("mmap_ok_anon", 0, pg, rw, ap, fdNone, 0),
	mmapFact("mmap_zero_len", 0, 0, rw, ap, fdNone, 0),
	mmapFact("mmap_no_type_anon", 0, pg, rw, engine.MAP_ANONYMOUS, fdNone, 0),
	mmapFact("mmap_no_type_file", 0, pg, engine.PROT_READ, 0, fdRO, 0),
	mmapFact("mmap_no_type_zero_len", 0, 0, rw, engine.MAP_ANONYMOUS, fdNone, 0),
	mmapFact("mmap_no_type_huge", 0, 1<<47, rw, engine.MAP_ANONYMOUS, fdNone, 0),
	mmapFact("mmap_no_type_badfd", 0, pg, engine.PROT_READ, 0, fdBad, 0),
	mmapFact("mmap_unaligned_off", 0, pg, engine.PROT_READ, engine.MAP_PRIVATE, fdRO, 1),
	mmapFact("mmap_unaligned_off_badfd", 0, pg, engine.PROT_READ, engine.MAP_PRIVATE, fdBad, 1),
	mmapFact("mmap_unaligned_off_zero_len", 0, 0, engine.PROT_READ, engine.MAP_PRIVATE, fdRO, 1),
	mmapFact("mmap_fixed_unaligned", 0x10000001, pg, rw, ap|engine.MAP_FIXED, fdNone, 0),
	mmapFact("mmap_badfd", 0, pg, engine.PROT_READ, engine.MAP_PRIVATE, fdBad, 0),
	mmapFact("mmap_badfd_zero_len", 0, 0, engine.PROT_READ, engine.MAP_PRIVATE, fdBad, 0),
	mmapFact("mmap_shared_write_rdonly", 0, pg, rw, engine.MAP_SHARED, fdRO, 0),
	mmapFact("mmap_private_write_rdonly", 0, pg, rw, engine.MAP_PRIVATE, fdRO, 0),
	mmapFact("mmap_shared_read_rdonly", 0, pg, engine.PROT_READ, engine.MAP_SHARED, fdRO, 0),
	mmapFact("mmap_wronly_shared", 0, pg, rw, engine.MAP_SHARED, fdWO, 0),
	mmapFact("mmap_wronly_private", 0, pg, engine.PROT_READ, engine.MAP_PRIVATE, fdWO, 0),
	mmapFact("mmap_dir", 0, pg, engine.PROT_READ, engine.MAP_PRIVATE, fdDir, 0),
	mmapFact("mmap_dir_shared_write", 0, pg, rw, engine.MAP_SHARED, fdDir, 0),
	mmapFact("mmap_huge", 0, 1<<47, rw, ap, fdNone, 0),
	mmapFact("mmap_wrap", 0, ^uint64(99), rw, ap, fdNone, 0),
	mmapFact("mmap_eoverflow", 0, 2*pg, engine.PROT_READ, engine.MAP_PRIVATE, fdRO, 0x7ffffffffffff000),
	mmapFact("mmap_eoverflow_wronly", 0, 2*pg, engine.PROT_READ, engine.MAP_PRIVATE, fdWO, 0x7ffffffffffff000),
	mmapFact("mmap_shared_rw", 0, pg, rw, engine.MAP_SHARED, fdRW, 0),
	mmapFact("mmap_beyond_eof", 0, 4*pg, engine.PROT_READ, engine.MAP_SHARED, fdRO, 16*pg),
	mmapFact("mmap_growsdown_file", 0, pg, engine.PROT_READ, engine.MAP_PRIVATE|engine.MAP_GROWSDOWN, fdRO, 0),
	mmapFact("mmap_validate_unknown", 0, pg, engine.PROT_READ, engine.MAP_SHARED_VALIDATE|0x400000, fdRO, 0),
	mmapFact("mmap_validate_unknown_wronly", 0, pg, engine.PROT_READ, engine.MAP_SHARED_VALIDATE|0x400000, fdWO, 0),
	mmapFact("mmap_validate_file", 0, pg, engine.PROT_READ, engine.MAP_SHARED_VALIDATE, fdRO, 0),
	mmapFact("mmap_fixed_min_addr", 0x1000, pg, rw, ap|engine.MAP_FIXED, fdNone, 0),
	mmapFact("mmap_validate_anon", 0, pg, rw, engine.MAP_SHARED_VALIDATE|engine.MAP_ANONYMOUS, fdNone, 0),
	{"mmap_noreplace", func(x *factEnv) string {
		a := x.anon(1, rw)
		return rc(x.call("mmap", int64(a), pg, rw, ap|engine.MAP_FIXED_NOREPLACE, -1, 0))
	}},
	{"munmap_unaligned", func(x *factEnv) string { return rc(x.call("munmap", int64(x.anon(4, rw))+1, pg)) }},
	{"munmap_zero_len", func(x *factEnv) string { return rc(x.call("munmap", int64(x.anon(4, rw)), 0)) }},
	{"munmap_ok", func(x *factEnv) string { return rc(x.call("munmap", int64(x.anon(4, rw)), 4*pg)) }},
	{"munmap_unmapped", func(x *factEnv) string {
		a := int64(x.anon(4, rw))
		x.call("munmap", a, 4*pg)
		return rc(x.call("munmap", a, 4*pg))
	}},
	{"mprotect_unmapped", func(x *factEnv) string {
		a := int64(x.anon(4, rw))
		x.call("munmap", a, 4*pg)
		return rc(x.call("mprotect", a, pg, engine.PROT_READ))
	}},
	{"mprotect_unaligned", func(x *factEnv) string { return rc(x.call("mprotect", int64(x.anon(1, rw))+1, pg, 1)) }},
	{"mprotect_zero_len_unmapped", func(x *factEnv) string { return rc(x.call("mprotect", 0x10000, 0, 1)) }},
	{"mprotect_shared_rdonly_write", func(x *factEnv) string {
		s := x.mmap(0, pg, engine.PROT_READ, engine.MAP_SHARED, x.ro, 0)
		return rc(x.call("mprotect", int64(s), pg, rw))
	}},
	{"mprotect_private_rdonly_write", func(x *factEnv) string {
		s := x.mmap(0, pg, engine.PROT_READ, engine.MAP_PRIVATE, x.ro, 0)
		return rc(x.call("mprotect", int64(s), pg, rw))
	}},
	{"mprotect_bad_prot", func(x *factEnv) string {
		s := x.mmap(0, pg, engine.PROT_READ, engine.MAP_SHARED, x.ro, 0)
		return rc(x.call("mprotect", int64(s), pg, 0x10))
	}},
	{"mprotect_partly_unmapped", func(x *factEnv) string {
		// Below the new area is an old one only if something is there; in
		// facts.c the range's second page is unmapped and the call still
		// succeeds because the page above belongs to an earlier mapping.
		x.anon(4, rw)
		b := x.anon(3, rw)
		return rc(x.call("mprotect", int64(b+2*pg), 2*pg, engine.PROT_READ))
	}},
	{"mprotect_middle_vmas", func(x *factEnv) string {
		c := x.anon(3, rw)
		x.call("mprotect", int64(c+pg), pg, engine.PROT_READ)
		return x.vmas(c, 3*pg)
	}},
	{"mprotect_restore_vmas", func(x *factEnv) string {
		c := x.anon(3, rw)
		x.call("mprotect", int64(c+pg), pg, engine.PROT_READ)
		x.call("mprotect", int64(c+pg), pg, rw)
		return x.vmas(c, 3*pg)
	}},
	{"munmap_middle_vmas", func(x *factEnv) string {
		c := x.anon(3, rw)
		x.call("munmap", int64(c+pg), pg)
		return x.vmas(c, 3*pg)
	}},
	{"adjacent_different_prot_vmas", func(x *factEnv) string {
		d := x.anon(1, rw)
		e := x.mmap(d-pg, pg, engine.PROT_READ, ap|engine.MAP_FIXED, -1, 0)
		return x.vmas(e, 2*pg)
	}},
	{"adjacent_after_mprotect_vmas", func(x *factEnv) string {
		d := x.anon(1, rw)
		e := x.mmap(d-pg, pg, engine.PROT_READ, ap|engine.MAP_FIXED, -1, 0)
		x.call("mprotect", int64(e), pg, rw)
		return x.vmas(e, 2*pg)
	}},
	{"adjacent_file_contiguous_vmas", func(x *factEnv) string {
		f1 := x.mmap(0, pg, engine.PROT_READ, engine.MAP_SHARED, x.ro, pg)
		f0 := x.mmap(f1-pg, pg, engine.PROT_READ, engine.MAP_SHARED|engine.MAP_FIXED, x.ro, 0)
		return x.vmas(f0, 2*pg)
	}},
	{"adjacent_file_noncontiguous_vmas", func(x *factEnv) string {
		g1 := x.mmap(0, pg, engine.PROT_READ, engine.MAP_SHARED, x.ro, 0)
		g0 := x.mmap(g1-pg, pg, engine.PROT_READ, engine.MAP_SHARED|engine.MAP_FIXED, x.ro, pg)
		return x.vmas(g0, 2*pg)
	}},
	{"adjacent_new_to_faulted_vmas", func(x *factEnv) string {
		h := x.anon(4, rw)
		x.touch(h, true)
		h2 := x.mmap(h-pg, pg, rw, ap|engine.MAP_FIXED, -1, 0)
		return x.vmas(h2, 5*pg)
	}},
	{"anon_read_present", func(x *factEnv) string {
		a := x.anon(4, rw)
		for i := uint64(0); i < 4; i++ {
			x.touch(a+i*pg, false)
		}
		return x.count(a, 4, false)
	}},
	{"anon_read_exclusive", func(x *factEnv) string {
		a := x.anon(4, rw)
		for i := uint64(0); i < 4; i++ {
			x.touch(a+i*pg, false)
		}
		return x.count(a, 4, true)
	}},
	{"anon_write_exclusive", func(x *factEnv) string {
		a := x.anon(4, rw)
		for i := uint64(0); i < 4; i++ {
			x.touch(a+i*pg, false)
		}
		x.touch(a, true)
		return x.count(a, 4, true)
	}},
	{"anon_dontneed_mincore", func(x *factEnv) string {
		a := x.anon(4, rw)
		x.touch(a, true)
		x.call("madvise", int64(a), 4*pg, engine.MADV_DONTNEED)
		return x.mincore(a, 4)
	}},
	{"anon_dontneed_reads", func(x *factEnv) string {
		a := x.anon(4, rw)
		x.touch(a, true)
		x.call("madvise", int64(a), 4*pg, engine.MADV_DONTNEED)
		return x.byteAt(a)
	}},
	{"file_dontneed_mincore", func(x *factEnv) string {
		f := x.mmap(0, 2*pg, engine.PROT_READ, engine.MAP_SHARED, x.ro, 0)
		x.touch(f, false)
		x.call("madvise", int64(f), 2*pg, engine.MADV_DONTNEED)
		return x.mincore(f, 2)
	}},
	{"file_dontneed_present", func(x *factEnv) string {
		f := x.mmap(0, 2*pg, engine.PROT_READ, engine.MAP_SHARED, x.ro, 0)
		x.touch(f, false)
		x.call("madvise", int64(f), 2*pg, engine.MADV_DONTNEED)
		return x.count(f, 2, false)
	}},
	{"segv_unmapped", func(x *factEnv) string { return x.touch(0x1000, false) }},
	{"segv_write_readonly", func(x *factEnv) string { return x.touch(x.anon(1, engine.PROT_READ), true) }},
	{"segv_read_none", func(x *factEnv) string { return x.touch(x.anon(1, engine.PROT_NONE), false) }},
	{"eof_in_last_page", func(x *factEnv) string {
		s := x.mmap(0, 3*pg, engine.PROT_READ, engine.MAP_PRIVATE, x.open("short.bin", engine.O_RDONLY), 0)
		return x.byteAt(s + 200)
	}},
	{"eof_next_page", func(x *factEnv) string {
		s := x.mmap(0, 3*pg, engine.PROT_READ, engine.MAP_PRIVATE, x.open("short.bin", engine.O_RDONLY), 0)
		return x.touch(s+pg, false)
	}},
	{"eof_mapping_vmas", func(x *factEnv) string {
		s := x.mmap(0, 3*pg, engine.PROT_READ, engine.MAP_PRIVATE, x.open("short.bin", engine.O_RDONLY), 0)
		x.touch(s+pg, false)
		return x.vmas(s, 3*pg)
	}},
	{"private_write_seen_by_shared", func(x *factEnv) string {
		p := x.mmap(0, pg, rw, engine.MAP_PRIVATE, x.rw, 0)
		s := x.mmap(0, pg, rw, engine.MAP_SHARED, x.rw, 0)
		require.NoError(x.t, x.e.Store(x.pid, p, []byte("P")))
		return bit(x.byteAt(s) == "80")
	}},
	{"shared_write_seen_by_private_copy", func(x *factEnv) string {
		p := x.mmap(0, pg, rw, engine.MAP_PRIVATE, x.rw, 0)
		s := x.mmap(0, pg, rw, engine.MAP_SHARED, x.rw, 0)
		require.NoError(x.t, x.e.Store(x.pid, p, []byte("P")))
		require.NoError(x.t, x.e.Store(x.pid, s+1, []byte("S")))
		return bit(x.byteAt(p+1) == "83")
	}},
	{"shared_write_seen_by_read", func(x *factEnv) string {
		s := x.mmap(0, pg, rw, engine.MAP_SHARED, x.rw, 0)
		require.NoError(x.t, x.e.Store(x.pid, s+1, []byte("S")))
		buf := x.anon(1, rw)
		x.call("pread64", x.rw, int64(buf), 1, 1)
		return bit(x.byteAt(buf) == "83")
	}},
	{"msync_sync", func(x *factEnv) string { return x.msync(0, engine.MS_SYNC) }},
	{"msync_async", func(x *factEnv) string { return x.msync(0, engine.MS_ASYNC) }},
	{"msync_invalidate", func(x *factEnv) string { return x.msync(0, engine.MS_INVALIDATE) }},
	{"msync_both", func(x *factEnv) string { return x.msync(0, engine.MS_SYNC|engine.MS_ASYNC) }},
	{"msync_unaligned", func(x *factEnv) string { return x.msync(1, engine.MS_SYNC) }},
	{"msync_bad_flags", func(x *factEnv) string { return x.msync(0, 8) }},
	{"msync_unmapped", func(x *factEnv) string {
		s := x.mmap(0, pg, rw, engine.MAP_SHARED, x.rw, 0)
		x.call("munmap", int64(s), pg)
		return rc(x.call("msync", int64(s), pg, engine.MS_SYNC))
	}},
	{"mremap_moved", func(x *factEnv) string { a, b := x.mremapSetup(); return bit(a != b) }},
	{"mremap_data_kept", func(x *factEnv) string {
		_, b := x.mremapSetup()
		got := make([]byte, 9)
		require.NoError(x.t, x.e.Load(x.pid, b+pg, got))
		first := make([]byte, 5)
		require.NoError(x.t, x.e.Load(x.pid, b, first))
		return bit(string(first) == "kept\x00" && string(got) == "kept too\x00")
	}},
	{"mremap_new_tail_zero", func(x *factEnv) string { _, b := x.mremapSetup(); return x.byteAt(b + 5*pg) }},
	{"mremap_grow_nomove", func(x *factEnv) string {
		_, b := x.mremapSetup()
		x.mmap(b+8*pg, pg, engine.PROT_READ, ap|engine.MAP_FIXED, -1, 0)
		return rc(x.call("mremap", int64(b), 8*pg, 16*pg, 0, 0))
	}},
	{"mremap_shrink_same", func(x *factEnv) string {
		_, b := x.mremapSetup()
		return bit(x.call("mremap", int64(b), 8*pg, 2*pg, 0, 0).Ret == int64(b))
	}},
	{"mremap_unmapped", func(x *factEnv) string {
		return rc(x.call("mremap", 0x10000, pg, 2*pg, engine.MREMAP_MAYMOVE, 0))
	}},
	{"mremap_zero_new", func(x *factEnv) string {
		return rc(x.call("mremap", int64(x.anon(2, rw)), pg, 0, engine.MREMAP_MAYMOVE, 0))
	}},
	{"mremap_fixed_no_maymove", func(x *factEnv) string {
		return rc(x.call("mremap", int64(x.anon(2, rw)), pg, pg, engine.MREMAP_FIXED, 0x200000))
	}},
	{"mremap_dontunmap_unaligned_hint", func(x *factEnv) string {
		u := x.anon(1, rw)
		return rc(x.call("mremap", int64(u), pg, pg, engine.MREMAP_MAYMOVE|engine.MREMAP_DONTUNMAP, 0x1001))
	}},
	{"mremap_dontunmap_new", func(x *factEnv) string {
		_, w := x.dontUnmapSetup()
		return string(x.load(w, 1))
	}},
	{"mremap_dontunmap_old", func(x *factEnv) string {
		u, _ := x.dontUnmapSetup()
		return x.touch(u, false)
	}},
	{"mremap_dontunmap_old_byte", func(x *factEnv) string {
		u, _ := x.dontUnmapSetup()
		return x.byteAt(u)
	}},
	{"mremap_dontunmap_grow", func(x *factEnv) string {
		_, w := x.dontUnmapSetup()
		return rc(x.call("mremap", int64(w), pg, 2*pg, engine.MREMAP_MAYMOVE|engine.MREMAP_DONTUNMAP, 0))
	}},
	{"madvise_bad_advice", func(x *factEnv) string { return rc(x.call("madvise", int64(x.anon(4, rw)), pg, 12345)) }},
	{"madvise_unaligned", func(x *factEnv) string {
		return rc(x.call("madvise", int64(x.anon(4, rw))+1, pg, engine.MADV_DONTNEED))
	}},
	{"madvise_populate_write", func(x *factEnv) string {
		return rc(x.call("madvise", int64(x.anon(4, rw)), 4*pg, engine.MADV_POPULATE_WRITE))
	}},
	{"populate_write_exclusive", func(x *factEnv) string {
		a := x.anon(4, rw)
		x.call("madvise", int64(a), 4*pg, engine.MADV_POPULATE_WRITE)
		return x.count(a, 4, true)
	}},
	{"madvise_willneed", func(x *factEnv) string {
		return rc(x.call("madvise", int64(x.anon(4, rw)), 4*pg, engine.MADV_WILLNEED))
	}},
	{"madvise_unmapped", func(x *factEnv) string { return rc(x.call("madvise", 0x10000, pg, engine.MADV_DONTNEED)) }},
	{"mlock_ok", func(x *factEnv) string { return rc(x.call("mlock", int64(x.anon(4, rw)), pg)) }},
	{"madvise_dontneed_locked", func(x *factEnv) string {
		a := x.anon(4, rw)
		x.call("mlock", int64(a), pg)
		return rc(x.call("madvise", int64(a), pg, engine.MADV_DONTNEED))
	}},
	{"msync_invalidate_locked", func(x *factEnv) string {
		a := x.anon(4, rw)
		x.call("mlock", int64(a), pg)
		return rc(x.call("msync", int64(a), pg, engine.MS_INVALIDATE))
	}},
	{"munlock_ok", func(x *factEnv) string {
		a := x.anon(4, rw)
		x.call("mlock", int64(a), pg)
		return rc(x.call("munlock", int64(a), pg))
	}},
	{"mlock_unmapped", func(x *factEnv) string { return rc(x.call("mlock", 0x10000, pg)) }},
	{"mincore_unaligned", func(x *factEnv) string {
		a := x.anon(4, rw)
		return rc(x.call("mincore", int64(a)+1, pg, int64(a+pg)))
	}},
	{"mincore_unmapped", func(x *factEnv) string { return rc(x.call("mincore", 0x10000, pg, int64(x.anon(1, rw)))) }},
	{"mincore_bad_vec", func(x *factEnv) string { return rc(x.call("mincore", int64(x.anon(4, rw)), pg, 0x10)) }},
	{"mincore_len_wraps", func(x *factEnv) string {
		a := int64(x.anon(4, rw))
		return rc(x.call("mincore", a, -1, a+pg))
	}},
	{"mincore_null", func(x *factEnv) string { return rc(x.call("mincore", 0, pg, int64(x.anon(1, rw)))) }},
	{"mincore_null_vec", func(x *factEnv) string { return rc(x.call("mincore", int64(x.anon(4, rw)), pg, 0)) }},
	{"map_populate_exclusive", func(x *factEnv) string {
		b := x.mmap(0, 4*pg, rw, ap|engine.MAP_POPULATE, -1, 0)
		return x.count(b, 4, true)
	}},
	{"map_populate_file_present", func(x *factEnv) string {
		c := x.mmap(0, 4*pg, engine.PROT_READ, engine.MAP_PRIVATE|engine.MAP_POPULATE, x.ro, 0)
		return x.count(c, 4, false)
	}},
	{"faultaround_faults", func(x *factEnv) string {
		f := x.mmap(0, 2*pg, engine.PROT_READ, engine.MAP_PRIVATE, x.ro, 0)
		before := x.e.cnt.MinorFaults + x.e.cnt.MajorFaults
		x.touch(f, false)
		x.touch(f+pg, false)
		return strconv.Itoa(int(x.e.cnt.MinorFaults + x.e.cnt.MajorFaults - before))
	}},
	{"faults_anon_write_4", func(x *factEnv) string {
		a := x.anon(8, rw)
		x.call("munmap", int64(a+4*pg), 4*pg)
		n := x.faults()
		for i := uint64(0); i < 4; i++ {
			x.touch(a+i*pg, true)
		}
		return strconv.Itoa(x.faults() - n)
	}},
	{"faults_private_file_read_write", func(x *factEnv) string {
		p := x.mmap(0, pg, rw, engine.MAP_PRIVATE, x.rw, 0)
		n := x.faults()
		x.touch(p, false)
		x.touch(p, true)
		return strconv.Itoa(x.faults() - n)
	}},
	{"private_file_dontneed_reads_file", func(x *factEnv) string {
		p := x.mmap(0, pg, rw, engine.MAP_PRIVATE, x.rw, 0)
		x.touch(p, true)
		x.call("madvise", int64(p), pg, engine.MADV_DONTNEED)
		return string(x.load(p, 1))
	}},
	{"faults_shared_file_read_write", func(x *factEnv) string {
		s := x.mmap(0, pg, rw, engine.MAP_SHARED, x.rw, 0)
		n := x.faults()
		x.touch(s, false)
		x.touch(s, true)
		return strconv.Itoa(x.faults() - n)
	}},
	{"faults_shared_write_after_msync", func(x *factEnv) string {
		s := x.mmap(0, pg, rw, engine.MAP_SHARED, x.rw, 0)
		x.touch(s, true)
		x.call("msync", int64(s), pg, engine.MS_SYNC)
		n := x.faults()
		x.touch(s, true)
		return strconv.Itoa(x.faults() - n)
	}},
	{"faults_shared_second_write", func(x *factEnv) string {
		s := x.mmap(0, pg, rw, engine.MAP_SHARED, x.rw, 0)
		x.touch(s, true)
		n := x.faults()
		x.touch(s+1, true)
		return strconv.Itoa(x.faults() - n)
	}},
	{"map_fixed_replaces_zeroed", func(x *factEnv) string {
		a := x.anon(4, rw)
		x.touch(a, true)
		x.mmap(a, pg, rw, ap|engine.MAP_FIXED, -1, 0)
		return x.byteAt(a)
	}},
	{"mremap_grow_in_place", func(x *factEnv) string {
		a := x.anon(8, rw)
		x.call("munmap", int64(a+4*pg), 4*pg)
		r := x.call("mremap", int64(a), 4*pg, 6*pg, 0, 0)
		if r.Errno != 0 {
			return rc(r)
		}
		if uint64(r.Ret) == a {
			return "same"
		}
		return "moved"
	}},
	{"faults_after_fork_parent_write", func(x *factEnv) string {
		two := x.anon(2, rw)
		x.touch(two, true)
		x.touch(two+pg, true)
		x.forkSetup()
		n := x.faults()
		x.touch(two, true)
		return strconv.Itoa(x.faults() - n)
	}},
	{"truncate_private_cow", func(x *factEnv) string {
		t := x.truncSetup()
		return x.touch(t+pg, false)
	}},
	{"truncate_last_page_zeroed", func(x *factEnv) string {
		t := x.truncSetup()
		return x.byteAt(t + 10)
	}},
	{"fadvise_dontneed_cached", func(x *factEnv) string {
		m, _ := x.raSetup()
		return x.cachedCount(m)
	}},
	{"readaround_major", func(x *factEnv) string {
		m, _ := x.raSetup()
		n := x.e.cnt.MajorFaults
		x.touch(m+20*pg, false)
		return strconv.Itoa(int(x.e.cnt.MajorFaults - n))
	}},
	{"readaround_cached", func(x *factEnv) string {
		m, _ := x.raSetup()
		x.touch(m+20*pg, false)
		return x.cachedCount(m)
	}},
	{"random_cached", func(x *factEnv) string {
		m, r := x.raSetup()
		x.call("munmap", int64(m), 64*pg)
		x.call("fadvise64", r, 0, 0, 4)
		m = x.mmap(0, 64*pg, engine.PROT_READ, engine.MAP_SHARED, r, 0)
		x.call("madvise", int64(m), 64*pg, engine.MADV_RANDOM)
		x.touch(m+40*pg, false)
		return x.cachedCount(m)
	}},
	{"faultaround_64_faults", func(x *factEnv) string {
		_, r := x.raSetup()
		m := x.mmap(0, 64*pg, engine.PROT_READ, engine.MAP_PRIVATE, r, 0)
		for i := uint64(0); i < 64; i++ {
			x.touch(m+i*pg, false)
		}
		x.call("munmap", int64(m), 64*pg)
		res := x.mmap(0, 96*pg, engine.PROT_NONE, ap, -1, 0)
		al := (res + 16*pg - 1) &^ (16*pg - 1)
		m = x.mmap(al, 64*pg, engine.PROT_READ, engine.MAP_PRIVATE|engine.MAP_FIXED, r, 0)
		n := x.faults()
		for i := uint64(0); i < 64; i++ {
			x.touch(m+i*pg, false)
		}
		return strconv.Itoa(x.faults() - n)
	}},
	{"max_map_count_errno", func(x *factEnv) string { return x.fillMaps()[0] }},
	{"max_map_count_areas", func(x *factEnv) string { return x.fillMaps()[1] }},
	{"mprotect_rw_again_anon_faults", func(x *factEnv) string {
		a := x.anon(1, rw)
		x.touch(a, true)
		x.call("mprotect", int64(a), pg, engine.PROT_READ)
		x.call("mprotect", int64(a), pg, rw)
		n := x.faults()
		x.touch(a, true)
		return strconv.Itoa(x.faults() - n)
	}},
	{"mprotect_rw_again_shared_faults", func(x *factEnv) string {
		s := x.mmap(0, pg, rw, engine.MAP_SHARED, x.rw, 0)
		x.touch(s, true)
		x.call("mprotect", int64(s), pg, engine.PROT_READ)
		x.call("mprotect", int64(s), pg, rw)
		n := x.faults()
		x.touch(s, true)
		return strconv.Itoa(x.faults() - n)
	}},
	{"madvise_free_reads", func(x *factEnv) string {
		a := x.freeSetup()
		return string(x.load(a, 1))
	}},
	{"madvise_free_faults", func(x *factEnv) string {
		a := x.freeSetup()
		n := x.faults()
		x.load(a, 1)
		return strconv.Itoa(x.faults() - n)
	}},
	{"madvise_free_pageout_clean", func(x *factEnv) string {
		a := x.freeSetup()
		require.NoError(x.t, x.e.Store(x.pid, a+pg, []byte("y")))
		x.call("madvise", int64(a), 2*pg, engine.MADV_PAGEOUT)
		return x.byteAt(a)
	}},
	{"madvise_free_pageout_written", func(x *factEnv) string {
		a := x.freeSetup()
		require.NoError(x.t, x.e.Store(x.pid, a+pg, []byte("y")))
		x.call("madvise", int64(a), 2*pg, engine.MADV_PAGEOUT)
		return string(x.load(a+pg, 1))
	}},
	{"madvise_free_read_write_pageout", func(x *factEnv) string {
		a := x.freeSetup()
		x.load(a+pg, 1)
		require.NoError(x.t, x.e.Store(x.pid, a+pg, []byte("y")))
		x.call("madvise", int64(a), 2*pg, engine.MADV_PAGEOUT)
		return string(x.load(a+pg, 1))
	}},
	{"thp_eligible_madvised", func(x *factEnv) string { h, _ := x.thpSetup(); return x.smapsKB(h, "THPeligible") }},
	{"thp_read_faults", func(x *factEnv) string {
		h, _ := x.thpSetup()
		n := x.faults()
		x.load(h+5*pg, 1)
		return strconv.Itoa(x.faults() - n)
	}},
	{"thp_read_present", func(x *factEnv) string { h, _ := x.thpSetup(); x.load(h+5*pg, 1); return x.count(h, 8, false) }},
	{"thp_read_rss", func(x *factEnv) string { h, _ := x.thpSetup(); x.load(h+5*pg, 1); return x.smapsKB(h, "Rss") }},
	{"thp_write_faults", func(x *factEnv) string {
		h, _ := x.thpSetup()
		x.load(h+5*pg, 1)
		n := x.faults()
		x.touch(h+pg, true)
		return strconv.Itoa(x.faults() - n)
	}},
	{"thp_write_anonhuge", func(x *factEnv) string { h := x.thpWritten(); return x.smapsKB(h, "AnonHugePages") }},
	{"thp_write_rss", func(x *factEnv) string { h := x.thpWritten(); return x.smapsKB(h, "Rss") }},
	{"thp_write_pfns_contiguous", func(x *factEnv) string {
		h := x.thpWritten()
		p := x.e.Pages(x.pid, h, h+2*pg)
		return bit(p[1].PFN == p[0].PFN+1 && p[0].PFN%512 == 0)
	}},
	{"thp_write_exclusive", func(x *factEnv) string { h := x.thpWritten(); return x.count(h, 8, true) }},
	{"thp_not_madvised_anonhuge", func(x *factEnv) string {
		h := x.thpWritten()
		x.touch(h+2<<20, true)
		return x.smapsKB(h+2<<20, "AnonHugePages")
	}},
	{"thp_split_vmas", func(x *factEnv) string { h := x.thpSplit(); return x.vmas(h, 2<<20) }},
	{"thp_split_anonhuge", func(x *factEnv) string { h := x.thpSplit(); return x.smapsKB(h, "AnonHugePages") }},
	{"thp_split_present", func(x *factEnv) string { h := x.thpSplit(); return x.count(h, 512, false) }},
	{"thp_split_rss_first", func(x *factEnv) string { h := x.thpSplit(); return x.smapsKB(h, "Rss") }},
	{"thp_fork_parent_anonhuge", func(x *factEnv) string { h, _ := x.thpForkSetup(); return x.smapsKB(h, "AnonHugePages") }},
	{"thp_fork_child_anonhuge", func(x *factEnv) string { h, c := x.thpForkSetup(); return c.smapsKB(h, "AnonHugePages") }},
	{"thp_fork_child_read_faults", func(x *factEnv) string {
		h, c := x.thpForkSetup()
		n := x.faults()
		c.load(h+5*pg, 1)
		return strconv.Itoa(x.faults() - n)
	}},
	{"thp_fork_child_write_faults", func(x *factEnv) string {
		h, c := x.thpForkSetup()
		n := x.faults()
		c.touch(h+pg, true)
		return strconv.Itoa(x.faults() - n)
	}},
	{"thp_fork_child_written_anonhuge", func(x *factEnv) string {
		h, c := x.thpForkSetup()
		c.touch(h+pg, true)
		return c.smapsKB(h, "AnonHugePages")
	}},
	{"thp_fork_child_written_rss", func(x *factEnv) string {
		h, c := x.thpForkSetup()
		c.touch(h+pg, true)
		return c.smapsKB(h, "Rss")
	}},
	{"thp_fork_child_reads", func(x *factEnv) string {
		h, c := x.thpForkSetup()
		c.touch(h+pg, true)
		return string(c.load(h, 1))
	}},
	{"thp_fork_parent_reads", func(x *factEnv) string { h := x.thpForkChildGone(); return x.byteAt(h + pg) }},
	{"thp_fork_parent_write_faults", func(x *factEnv) string {
		h := x.thpForkChildGone()
		n := x.faults()
		x.touch(h+pg, true)
		return strconv.Itoa(x.faults() - n)
	}},
	{"thp_fork_parent_written_anonhuge", func(x *factEnv) string {
		h := x.thpForkChildGone()
		x.touch(h+pg, true)
		return x.smapsKB(h, "AnonHugePages")
	}},
	{"eof_tail_before_msync", func(x *factEnv) string { return x.tailSetup(false) }},
	{"eof_tail_after_msync", func(x *factEnv) string { return x.tailSetup(true) }},
	{"shmem_child_read_faults", func(x *factEnv) string {
		child, s := x.shmemForkSetup()
		n := x.faults()
		for i := uint64(0); i < 16; i++ {
			require.NoError(x.t, x.e.Load(child, s+i*pg, make([]byte, 1)))
		}
		return strconv.Itoa(x.faults() - n)
	}},
	{"shmem_child_write_after_read_faults", func(x *factEnv) string {
		child, s := x.shmemForkSetup()
		for i := uint64(0); i < 16; i++ {
			require.NoError(x.t, x.e.Load(child, s+i*pg, make([]byte, 1)))
		}
		n := x.faults()
		for i := uint64(0); i < 16; i++ {
			require.NoError(x.t, x.e.Store(child, s+i*pg, []byte{2}))
		}
		return strconv.Itoa(x.faults() - n)
	}},
	{"mlock_prot_none", func(x *factEnv) string { return rc(x.call("mlock", int64(x.anon(2, engine.PROT_NONE)), 2*pg)) }},
	{"mlock_zero_len", func(x *factEnv) string { return rc(x.call("mlock", int64(x.anon(2, engine.PROT_NONE)), 0)) }},
	{"munlock_unmapped", func(x *factEnv) string { return rc(x.call("munlock", 0x10000, pg)) }},
	{"mlockall_onfault_alone", func(x *factEnv) string { return rc(x.call("mlockall", engine.MCL_ONFAULT)) }},
	{"madvise_zero_len", func(x *factEnv) string {
		return rc(x.call("madvise", int64(x.anon(2, engine.PROT_NONE)), 0, engine.MADV_DONTNEED))
	}},
	{"mincore_zero_len", func(x *factEnv) string {
		return rc(x.call("mincore", int64(x.anon(2, engine.PROT_NONE)), 0, int64(x.anon(1, rw))))
	}},
	{"mprotect_past_task_size", func(x *factEnv) string { return rc(x.call("mprotect", 0x7ffffffff000, 2*pg, 1)) }},
	{"munmap_past_task_size", func(x *factEnv) string { return rc(x.call("munmap", 0x7ffffffff000, 2*pg)) }},
	{"madvise_dontneed_prot_none", func(x *factEnv) string {
		return rc(x.call("madvise", int64(x.anon(2, engine.PROT_NONE)), pg, engine.MADV_DONTNEED))
	}},
	{"madvise_populate_read_prot_none", func(x *factEnv) string {
		return rc(x.call("madvise", int64(x.anon(2, engine.PROT_NONE)), pg, engine.MADV_POPULATE_READ))
	}},
	{"madvise_populate_write_readonly", func(x *factEnv) string {
		return rc(x.call("madvise", int64(x.anon(2, engine.PROT_READ)), pg, engine.MADV_POPULATE_WRITE))
	}},
	{"madvise_populate_past_eof", func(x *factEnv) string {
		sh := x.mmap(0, 2*pg, engine.PROT_READ, engine.MAP_PRIVATE, x.open("short.bin", engine.O_RDONLY), 0)
		return rc(x.call("madvise", int64(sh), 2*pg, engine.MADV_POPULATE_READ))
	}},
	{"mlock_past_eof", func(x *factEnv) string {
		sh := x.mmap(0, 2*pg, engine.PROT_READ, engine.MAP_PRIVATE, x.open("short.bin", engine.O_RDONLY), 0)
		return rc(x.call("mlock", int64(sh), 2*pg))
	}},
	{"madvise_remove_shmem", func(x *factEnv) string {
		s := x.mmap(0, pg, rw, engine.MAP_SHARED|engine.MAP_ANONYMOUS, -1, 0)
		x.touch(s, true)
		return rc(x.call("madvise", int64(s), pg, engine.MADV_REMOVE))
	}},
	{"madvise_remove_shmem_reads", func(x *factEnv) string {
		s := x.mmap(0, pg, rw, engine.MAP_SHARED|engine.MAP_ANONYMOUS, -1, 0)
		require.NoError(x.t, x.e.Store(x.pid, s, []byte("x")))
		x.call("madvise", int64(s), pg, engine.MADV_REMOVE)
		return x.byteAt(s)
	}},
	{"madvise_remove_private", func(x *factEnv) string {
		p := x.anon(1, rw)
		x.touch(p, true)
		return rc(x.call("madvise", int64(p), pg, engine.MADV_REMOVE))
	}},
	{"mlock2_bad_flags", func(x *factEnv) string { return rc(x.call("mlock2", int64(x.anon(4, rw)), 4*pg, 2)) }},
	{"mlock2_onfault", func(x *factEnv) string {
		return rc(x.call("mlock2", int64(x.anon(4, rw)), 4*pg, engine.MLOCK_ONFAULT))
	}},
	{"mlock2_onfault_present", func(x *factEnv) string { a := x.mlock2Setup(engine.MLOCK_ONFAULT); return x.count(a, 4, false) }},
	{"mlock2_onfault_lo", func(x *factEnv) string { a := x.mlock2Setup(engine.MLOCK_ONFAULT); return x.vmflag(a, "lo") }},
	{"mlock2_onfault_written_locked_kb", func(x *factEnv) string {
		a := x.mlock2Setup(engine.MLOCK_ONFAULT)
		x.touch(a, true)
		return x.smapsKB(a, "Locked")
	}},
	{"mlock2_onfault_unlocked_lo", func(x *factEnv) string {
		a := x.mlock2Setup(engine.MLOCK_ONFAULT)
		x.touch(a, true)
		require.Equal(x.t, engine.Errno(0), x.call("munlock", int64(a), 4*pg).Errno)
		return x.vmflag(a, "lo")
	}},
	{"mlock2_plain", func(x *factEnv) string { return rc(x.call("mlock2", int64(x.anon(4, rw)), 4*pg, 0)) }},
	{"mlock2_plain_present", func(x *factEnv) string { a := x.mlock2Setup(0); return x.count(a, 4, false) }},
	{"mlock2_plain_locked_kb", func(x *factEnv) string { a := x.mlock2Setup(0); return x.smapsKB(a, "Locked") }},
	{"mlockall_future_onfault", func(x *factEnv) string {
		return rc(x.call("mlockall", engine.MCL_FUTURE|engine.MCL_ONFAULT))
	}},
	{"mlockall_future_onfault_present", func(x *factEnv) string {
		require.Equal(x.t, engine.Errno(0), x.call("mlockall", engine.MCL_FUTURE|engine.MCL_ONFAULT).Errno)
		return x.count(x.anon(4, rw), 4, false)
	}},
	{"mlockall_future_onfault_lo", func(x *factEnv) string {
		require.Equal(x.t, engine.Errno(0), x.call("mlockall", engine.MCL_FUTURE|engine.MCL_ONFAULT).Errno)
		return x.vmflag(x.anon(4, rw), "lo")
	}},
	{"mremap_expand_merge_in_place", func(x *factEnv) string { s, r := x.expandMerge(false); return bit(r == s) }},
	{"mremap_expand_merge_vmas", func(x *factEnv) string { s, _ := x.expandMerge(false); return x.vmas(s, 3*pg) }},
	{"mremap_expand_merge_touched_in_place", func(x *factEnv) string { s, r := x.expandMerge(true); return bit(r == s) }},
	{"mremap_expand_merge_touched_vmas", func(x *factEnv) string { s, _ := x.expandMerge(true); return x.vmas(s, 3*pg) }},
	{"hole_fault_major", func(x *factEnv) string {
		h := x.holeSetup()
		n := x.e.State().Counters.MajorFaults
		x.load(h+2*pg, 1)
		return strconv.FormatUint(x.e.State().Counters.MajorFaults-n, 10)
	}},
	{"fork_child_read_private_anon_faults", func(x *factEnv) string {
		child, a, _ := x.forkReadSetup()
		n := x.faults()
		require.NoError(x.t, x.e.Load(child, a, make([]byte, 1)))
		return strconv.Itoa(x.faults() - n)
	}},
	{"fork_child_read_shared_file_faults", func(x *factEnv) string {
		child, _, s := x.forkReadSetup()
		n := x.faults()
		require.NoError(x.t, x.e.Load(child, s, make([]byte, 1)))
		return strconv.Itoa(x.faults() - n)
	}},
	{"fork_private_after_child_write", func(x *factEnv) string { a, _ := x.forkSetup(); return string(x.load(a, 1)) }},
	{"fork_shared_after_child_write", func(x *factEnv) string { _, s := x.forkSetup(); return string(x.load(s, 1)) }},
	{"fork_exit_status", func(x *factEnv) string {
		x.forkSetup()
		return strconv.Itoa(x.lastStatus >> 8 & 0xff)
	}},
	{"wait_no_child", func(x *factEnv) string {
		x.forkSetup()
		return rc(x.call("wait4", -1, 0, 0, 0))
	}},
	{"read_wronly", func(x *factEnv) string { return rc(x.call("read", x.wo, int64(x.anon(1, rw)), 1)) }},
	{"write_rdonly", func(x *factEnv) string { return rc(x.call("write", x.ro, int64(x.anon(1, rw)), 1)) }},
	{"ftruncate_rdonly", func(x *factEnv) string { return rc(x.call("ftruncate", x.ro, 0)) }},
	{"read_bad_buf", func(x *factEnv) string { return rc(x.call("read", x.ro, 0x10, 1)) }},
	{"fstat_size", func(x *factEnv) string {
		buf := x.anon(1, rw)
		require.Equal(x.t, engine.Errno(0), x.call("fstat", x.rw, int64(buf)).Errno)
		b := x.load(buf+48, 8)
		var n uint64
		for i := 7; i >= 0; i-- {
			n = n<<8 | uint64(b[i])
		}
		return strconv.FormatUint(n, 10)
	}},
}

// populateProtFacts is facts.c's MADV_POPULATE_READ and _WRITE on two
// pages of a private anonymous area of each protection.
func populateProtFacts() []kernelFact {
	prots := []struct {
		name string
		prot int64
	}{
		{"none", engine.PROT_NONE}, {"r", engine.PROT_READ}, {"w", engine.PROT_WRITE}, {"x", engine.PROT_EXEC},
		{"rw", rw}, {"wx", engine.PROT_WRITE | engine.PROT_EXEC}, {"rx", engine.PROT_READ | engine.PROT_EXEC},
	}
	var facts []kernelFact
	for _, p := range prots {
		for _, adv := range []struct {
			name   string
			advice int64
		}{{"read", engine.MADV_POPULATE_READ}, {"write", engine.MADV_POPULATE_WRITE}} {
			facts = append(facts, kernelFact{"madvise_populate_" + adv.name + "_" + p.name, func(x *factEnv) string {
				return rc(x.call("madvise", int64(x.anon(2, p.prot)), 2*pg, adv.advice))
			}})
		}
	}
	return facts
}

// dontUnmapKind is facts.c's MREMAP_DONTUNMAP of one written page of an
// area of the given kind: the call's result, then the byte at the new and
// at the old address.
func dontUnmapKind(kind string, flags int64, fd func(*factEnv) int64) []kernelFact {
	setup := func(x *factEnv) (engine.Result, uint64) {
		o := x.mmap(0, pg, rw, flags, fd(x), 0)
		require.NoError(x.t, x.e.Store(x.pid, o, []byte("d")))
		return x.call("mremap", int64(o), pg, pg, engine.MREMAP_MAYMOVE|engine.MREMAP_DONTUNMAP, 0), o
	}
	name := "mremap_dontunmap_" + kind
	return []kernelFact{
		{name, func(x *factEnv) string { r, _ := setup(x); return rc(r) }},
		{name + "_new", func(x *factEnv) string { r, _ := setup(x); return string(x.load(uint64(r.Ret), 1)) }},
		{name + "_old", func(x *factEnv) string { _, o := setup(x); return string(x.load(o, 1)) }},
	}
}

// mlock2Setup is facts.c's: four pages of a private anonymous area
// locked by mlock2 with flags.
func (x *factEnv) mlock2Setup(flags int64) uint64 {
	a := x.anon(4, rw)
	require.Equal(x.t, engine.Errno(0), x.call("mlock2", int64(a), 4*pg, flags).Errno)
	return a
}

// vmflag is facts.c's: whether the smaps entry of the area at a has the
// VmFlags mnemonic flag.
func (x *factEnv) vmflag(a uint64, flag string) string {
	return bit(slices.Contains(strings.Fields(x.smapsKB(a, "VmFlags")), flag))
}

// expandMerge is facts.c's: three pages, the middle one unmapped, the
// first grown by mremap into the hole; it returns the area and mremap's
// answer.
func (x *factEnv) expandMerge(touched bool) (uint64, uint64) {
	s := x.anon(3, rw)
	if touched {
		x.touch(s, true)
		x.touch(s+2*pg, true)
	}
	x.call("munmap", int64(s+pg), pg)
	return s, uint64(x.call("mremap", int64(s), pg, 2*pg, 0).Ret)
}

// memfd is memfd_create(name, flags), which must succeed.
func (x *factEnv) memfd(name string, flags int64) int64 {
	r := x.e.Syscall(x.pid, engine.Call{Name: "memfd_create", Path: name, Args: []int64{0, flags}})
	require.Equal(x.t, engine.Errno(0), r.Errno, "memfd_create")
	return r.Ret
}

// memfdSetup is facts.c's: a memfd cut to two pages, "hello" written at
// its start, mapped shared.
func (x *factEnv) memfdSetup() (int64, uint64) {
	m := x.memfd("memfd", 1)
	require.Equal(x.t, engine.Errno(0), x.call("ftruncate", m, 2*pg).Errno)
	buf := x.anon(1, rw)
	require.NoError(x.t, x.e.Store(x.pid, buf, []byte("hello")))
	require.Equal(x.t, int64(5), x.call("write", m, int64(buf), 5).Ret)
	return m, x.mmap(0, 2*pg, rw, engine.MAP_SHARED, m, 0)
}

// memfdStat is the size and mode fstat gives for fd.
func (x *factEnv) memfdStat(fd int64) (size uint64, mode uint32) {
	buf := x.anon(1, rw)
	require.Equal(x.t, engine.Errno(0), x.call("fstat", fd, int64(buf)).Errno)
	b := x.load(buf, 144)
	return binary.LittleEndian.Uint64(b[48:]), binary.LittleEndian.Uint32(b[24:])
}

var memfdFacts = []kernelFact{
	{"memfd_name_249", func(x *factEnv) string {
		return rc(x.e.Syscall(x.pid, engine.Call{Name: "memfd_create", Path: strings.Repeat("n", 249), Args: []int64{0, 0}}))
	}},
	{"memfd_name_250", func(x *factEnv) string {
		return rc(x.e.Syscall(x.pid, engine.Call{Name: "memfd_create", Path: strings.Repeat("n", 250), Args: []int64{0, 0}}))
	}},
	{"memfd_bad_flags", func(x *factEnv) string {
		return rc(x.e.Syscall(x.pid, engine.Call{Name: "memfd_create", Path: "m", Args: []int64{0, 0x100}}))
	}},
	{"memfd_exec_noexec_seal", func(x *factEnv) string {
		return rc(x.e.Syscall(x.pid, engine.Call{Name: "memfd_create", Path: "m", Args: []int64{0, 0x18}}))
	}},
	{"memfd_hugetlb_mmap", func(x *factEnv) string {
		h := x.memfd("h", 4)
		x.call("ftruncate", h, 2<<20)
		return rc(x.call("mmap", 0, 2<<20, rw, engine.MAP_SHARED, h, 0))
	}},
	{"memfd_size", func(x *factEnv) string { s, _ := x.memfdStat(x.memfd("memfd", 1)); return strconv.FormatUint(s, 10) }},
	{"memfd_mode", func(x *factEnv) string {
		_, m := x.memfdStat(x.memfd("memfd", 1))
		return strconv.FormatUint(uint64(m), 8)
	}},
	{"memfd_truncated_size", func(x *factEnv) string {
		m, _ := x.memfdSetup()
		s, _ := x.memfdStat(m)
		return strconv.FormatUint(s, 10)
	}},
	{"memfd_mapped_byte", func(x *factEnv) string { _, p := x.memfdSetup(); return string(x.load(p+1, 1)) }},
	{"memfd_pread_after_store", func(x *factEnv) string {
		m, p := x.memfdSetup()
		require.NoError(x.t, x.e.Store(x.pid, p+pg, []byte("w")))
		buf := x.anon(1, rw)
		require.Equal(x.t, int64(1), x.call("pread64", m, int64(buf), 1, pg).Ret)
		return string(x.load(buf, 1))
	}},
	{"memfd_maps_name", func(x *factEnv) string {
		_, p := x.memfdSetup()
		for _, l := range strings.Split(x.readFile("/proc/self/maps"), "\n") {
			if isMapsHeader(l) && lineStart(l) == p {
				return l[strings.IndexByte(l, '/'):]
			}
		}
		return "-"
	}},
	{"memfd_shrunk_page1", func(x *factEnv) string {
		m, p := x.memfdSetup()
		require.Equal(x.t, engine.Errno(0), x.call("ftruncate", m, 100).Errno)
		return x.touch(p+pg, false)
	}},
}

// folioFile is facts.c's: name written chunk bytes at a time, pieces
// times.
func (x *factEnv) folioFile(name string, chunk int64, pieces int) int64 {
	fd := x.open(name, engine.O_RDWR|engine.O_CREAT|engine.O_TRUNC)
	buf := x.anon(int(chunk/pg), rw)
	require.NoError(x.t, x.e.Store(x.pid, buf, bytes.Repeat([]byte("f"), int(chunk))))
	for range pieces {
		require.Equal(x.t, chunk, x.call("write", fd, int64(buf), chunk).Ret)
	}
	x.call("munmap", int64(buf), chunk)
	return fd
}

// folioAligned is facts.c's 2 MiB-aligned address in a 12 MiB
// reservation.
func (x *factEnv) folioAligned() uint64 {
	res := x.anon(3<<10, engine.PROT_NONE)
	return (res + 2<<20 - 1) &^ (2<<20 - 1)
}

// folioFault is facts.c's: npages of fd from page off mapped at at, page
// fpg read; it returns how many pages of the mapping are present and the
// first of them.
func (x *factEnv) folioFault(at uint64, fd, off int64, npages, fpg uint64) (string, string) {
	r := x.call("mmap", int64(at), int64(npages*pg), engine.PROT_READ, engine.MAP_SHARED|engine.MAP_FIXED, fd, off*pg)
	require.Equal(x.t, engine.Errno(0), r.Errno)
	m := uint64(r.Ret)
	x.load(m+fpg*pg, 1)
	n, lo := 0, -1
	for i, pi := range x.e.Pages(x.pid, m, m+npages*pg) {
		if pi.State != engine.PageNone && pi.State != engine.PageSwapped {
			n++
			if lo < 0 {
				lo = i
			}
		}
	}
	return strconv.Itoa(n), strconv.Itoa(lo)
}

// folioFacts are facts.c's large-folio faults: each a setup that returns
// the file and where to map it, and the fault.
func folioFacts() []kernelFact {
	type fault struct {
		name              string
		file              func(x *factEnv) int64
		va, off, np, page uint64
	}
	written := func(chunk int64, pieces int) func(x *factEnv) int64 {
		return func(x *factEnv) int64 { return x.folioFile("f.bin", chunk, pieces) }
	}
	evicted := func(x *factEnv) int64 {
		fd := x.folioFile("f.bin", 2<<20, 2)
		x.call("fsync", fd)
		require.Equal(x.t, engine.Errno(0), x.call("fadvise64", fd, 0, 0, 4).Errno)
		return fd
	}
	mixed := func(x *factEnv) int64 {
		fd := x.open("g.bin", engine.O_RDWR|engine.O_CREAT|engine.O_TRUNC)
		buf := x.anon(128, rw)
		require.NoError(x.t, x.e.Store(x.pid, buf, bytes.Repeat([]byte("g"), 128*pg)))
		x.call("write", fd, int64(buf), 3*pg)
		x.call("write", fd, int64(buf), 100*pg)
		x.call("write", fd, int64(buf+1), 5*pg+100)
		return fd
	}
	faults := []fault{
		{"folio_1m_pgoff1", written(1<<20, 4), 0, 1, 1000, 100},
		{"folio_1m_vma64", written(1<<20, 4), 0, 0, 64, 5},
		{"folio_1m_cross_pmd", written(1<<20, 4), 1<<20 + 128*pg, 0, 1024, 100},
		{"folio_1m_va256k", written(1<<20, 4), 64 * pg, 0, 1024, 100},
		{"folio_2m_va256k", written(2<<20, 2), 64 * pg, 0, 1024, 100},
		{"folio_evicted", evicted, 0, 0, 1024, 100},
		{"folio_mixed_p40", mixed, 0, 0, 110, 40},
		{"folio_mixed_p40_va8k", mixed, 2 * pg, 0, 110, 40},
		{"folio_mixed_p70_va8k", mixed, 2 * pg, 0, 110, 70},
	}
	for _, w := range []struct {
		name   string
		chunk  int64
		pieces int
	}{{"4k", 4 << 10, 1024}, {"64k", 64 << 10, 64}, {"256k", 256 << 10, 16}, {"1m", 1 << 20, 4}, {"2m", 2 << 20, 2}, {"4m", 4 << 20, 1}} {
		for _, page := range []uint64{100, 517} {
			faults = append(faults, fault{"folio_write_" + w.name + "_p" + strconv.FormatUint(page, 10), written(w.chunk, w.pieces), 0, 0, 1024, page})
		}
	}
	var facts []kernelFact
	for _, f := range faults {
		run := func(x *factEnv) (string, string) {
			fd := f.file(x)
			return x.folioFault(x.folioAligned()+f.va, fd, int64(f.off), f.np, f.page)
		}
		facts = append(facts,
			kernelFact{f.name + "_mapped", func(x *factEnv) string { n, _ := run(x); return n }},
			kernelFact{f.name + "_first", func(x *factEnv) string { _, lo := run(x); return lo }})
	}
	return facts
}

// holeSetup is facts.c's: a file of 4 pages of hole, mapped shared.
func (x *factEnv) holeSetup() uint64 {
	fd := x.open("hole.bin", engine.O_RDWR|engine.O_CREAT|engine.O_TRUNC)
	require.Equal(x.t, engine.Errno(0), x.call("ftruncate", fd, 4*pg).Errno)
	return x.mmap(0, 4*pg, engine.PROT_READ, engine.MAP_SHARED, fd, 0)
}

// thpSetup is facts.c's: a 2 MiB-aligned 2 MiB given MADV_HUGEPAGE inside
// a 6 MiB area; it returns the aligned start and the area's.
func (x *factEnv) thpSetup() (uint64, uint64) {
	res := x.anon(6<<8, rw)
	h := (res + 2<<20 - 1) &^ (2<<20 - 1)
	require.Equal(x.t, engine.Errno(0), x.call("madvise", int64(h), 2<<20, engine.MADV_HUGEPAGE).Errno)
	return h, res
}

// thpWritten is thpSetup, a read at page 5, then a write at page 1.
func (x *factEnv) thpWritten() uint64 {
	h, _ := x.thpSetup()
	x.load(h+5*pg, 1)
	x.touch(h+pg, true)
	return h
}

// thpForkSetup is facts.c's: a 2 MiB folio written at its first byte, the
// area cut to start at it, then fork; it returns the folio's address and
// the child (as a factEnv of its own).
func (x *factEnv) thpForkSetup() (uint64, *factEnv) {
	h, res := x.thpSetup()
	require.NoError(x.t, x.e.Store(x.pid, h, []byte("p")))
	x.call("munmap", int64(res), int64(h-res))
	r := x.call("fork")
	require.Equal(x.t, engine.Errno(0), r.Errno)
	c := *x
	c.pid = int(r.Ret)
	return h, &c
}

// thpForkChildGone is thpForkSetup with the child's read and write done,
// the child exited and reaped.
func (x *factEnv) thpForkChildGone() uint64 {
	h, c := x.thpForkSetup()
	c.load(h+5*pg, 1)
	c.touch(h+pg, true)
	x.e.Syscall(c.pid, engine.Call{Name: "exit_group", Args: []int64{0}})
	require.Equal(x.t, engine.Errno(0), x.call("wait4", int64(c.pid), 0, 0, 0).Errno)
	return h
}

// thpSplit is thpWritten, then an mprotect of page 1.
func (x *factEnv) thpSplit() uint64 {
	h := x.thpWritten()
	require.Equal(x.t, engine.Errno(0), x.call("mprotect", int64(h+pg), pg, engine.PROT_READ).Errno)
	return h
}

// smapsKB is facts.c's: one field of the smaps entry of the area at a,
// read through the model's /proc.
func (x *factEnv) smapsKB(a uint64, field string) string {
	in := false
	for _, line := range strings.Split(x.readFile("/proc/self/smaps"), "\n") {
		if isMapsHeader(line) {
			in = lineStart(line) == a
			continue
		}
		if name, v, ok := strings.Cut(line, ":"); in && ok && name == field {
			return strings.TrimSuffix(strings.TrimSpace(v), " kB")
		}
	}
	return "-1"
}

// readFile is the whole of a file as read(2) gives it.
func (x *factEnv) readFile(path string) string {
	fd := x.open(path, engine.O_RDONLY)
	buf := x.anon(16, rw)
	var text []byte
	for {
		r := x.call("read", fd, int64(buf), 16*pg)
		require.Equal(x.t, engine.Errno(0), r.Errno)
		if r.Ret == 0 {
			break
		}
		text = append(text, x.load(buf, int(r.Ret))...)
	}
	x.call("close", fd)
	x.call("munmap", int64(buf), 16*pg)
	return string(text)
}

// tailSetup is facts.c's: a store past end of file in a shared mapping of
// a 100-byte file, read back before or after msync(MS_SYNC).
func (x *factEnv) tailSetup(sync bool) string {
	fd := x.open("tail.bin", engine.O_RDWR|engine.O_CREAT|engine.O_TRUNC)
	buf := x.anon(1, rw)
	x.call("write", fd, int64(buf), 100)
	m := x.mmap(0, pg, rw, engine.MAP_SHARED, fd, 0)
	require.NoError(x.t, x.e.Store(x.pid, m+200, []byte("z")))
	if sync {
		require.Equal(x.t, engine.Errno(0), x.call("msync", int64(m), pg, engine.MS_SYNC).Errno)
	}
	return x.byteAt(m + 200)
}

// truncSetup is facts.c's: a two-page file mapped private, the second
// page copied by a write, then the file cut to 10 bytes.
func (x *factEnv) truncSetup() uint64 {
	fd := x.open("trunc.bin", engine.O_RDWR|engine.O_CREAT|engine.O_TRUNC)
	buf := x.anon(2, rw)
	require.NoError(x.t, x.e.Store(x.pid, buf, bytes.Repeat([]byte("x"), 2*pg)))
	x.call("write", fd, int64(buf), 2*pg)
	p := x.mmap(0, 2*pg, rw, engine.MAP_PRIVATE, fd, 0)
	require.NoError(x.t, x.e.Store(x.pid, p+pg, []byte("c")))
	require.Equal(x.t, engine.Errno(0), x.call("ftruncate", fd, 10).Errno)
	return p
}

// raSetup is facts.c's readahead file: 64 pages written, synced, dropped
// from the cache, and mapped shared.
func (x *factEnv) raSetup() (uint64, int64) {
	r := x.open("ra.bin", engine.O_RDWR|engine.O_CREAT|engine.O_TRUNC)
	buf := x.anon(64, rw)
	require.NoError(x.t, x.e.Store(x.pid, buf, bytes.Repeat([]byte("r"), 64*pg)))
	x.call("write", r, int64(buf), 64*pg)
	x.call("fsync", r)
	require.Equal(x.t, engine.Errno(0), x.call("fadvise64", r, 0, 0, 4).Errno)
	return x.mmap(0, 64*pg, engine.PROT_READ, engine.MAP_SHARED, r, 0), r
}

func (x *factEnv) cachedCount(m uint64) string {
	n := 0
	for _, c := range x.mincore(m, 64) {
		n += int(c - '0')
	}
	return strconv.Itoa(n)
}

func (x *factEnv) dontUnmapSetup() (uint64, uint64) {
	u := x.anon(1, rw)
	require.NoError(x.t, x.e.Store(x.pid, u, []byte("u")))
	r := x.call("mremap", int64(u), pg, pg, engine.MREMAP_MAYMOVE|engine.MREMAP_DONTUNMAP, 0)
	require.Equal(x.t, engine.Errno(0), r.Errno)
	return u, uint64(r.Ret)
}

// fillMaps maps single pages of alternating protection until mmap fails,
// and returns the error and how many areas there are then. It runs once.
func (x *factEnv) fillMaps() [2]string {
	fillOnce.Do(func() {
		x.e.SetSink(nil)
		for i := 0; ; i++ {
			prot := int64(rw)
			if i&1 == 1 {
				prot = engine.PROT_READ
			}
			if r := x.call("mmap", 0, pg, prot, ap, -1, 0); r.Errno != 0 {
				fillResult = [2]string{rc(r), strconv.Itoa(len(x.e.Maps(x.pid)))}
				return
			}
		}
	})
	return fillResult
}

var (
	fillOnce   sync.Once
	fillResult [2]string
)

// forkReadSetup maps a file shared and read, and an anonymous page
// written, then forks.
func (x *factEnv) forkReadSetup() (child int, a, s uint64) {
	s = x.mmap(0, pg, engine.PROT_READ, engine.MAP_SHARED, x.ro, 0)
	a = x.anon(1, rw)
	x.touch(s, false)
	x.touch(a, true)
	r := x.call("fork")
	require.Equal(x.t, engine.Errno(0), r.Errno)
	return int(r.Ret), a, s
}

// freeSetup writes two anonymous pages and MADV_FREEs them.
func (x *factEnv) freeSetup() uint64 {
	a := x.anon(2, rw)
	x.touch(a, true)
	x.touch(a+pg, true)
	require.NoError(x.t, x.e.Store(x.pid, a, []byte("x")))
	require.NoError(x.t, x.e.Store(x.pid, a+pg, []byte("x")))
	require.Equal(x.t, engine.Errno(0), x.call("madvise", int64(a), 2*pg, engine.MADV_FREE).Errno)
	return a
}

// shmemForkSetup is 16 pages of shared anonymous memory, 64 KiB-aligned,
// written, then a fork.
func (x *factEnv) shmemForkSetup() (int, uint64) {
	res := x.mmap(0, 64*pg, engine.PROT_NONE, ap, -1, 0)
	al := (res + 16*pg - 1) &^ (16*pg - 1)
	s := x.mmap(al, 16*pg, rw, engine.MAP_SHARED|engine.MAP_ANONYMOUS|engine.MAP_FIXED, -1, 0)
	for i := uint64(0); i < 16; i++ {
		x.touch(s+i*pg, true)
	}
	r := x.call("fork")
	require.Equal(x.t, engine.Errno(0), r.Errno)
	return int(r.Ret), s
}

// faults is the model's fault count so far.
func (x *factEnv) faults() int {
	c := x.e.State().Counters
	return int(c.MinorFaults + c.MajorFaults)
}

func (x *factEnv) load(a uint64, n int) []byte {
	b := make([]byte, n)
	require.NoError(x.t, x.e.Load(x.pid, a, b))
	return b
}

func (x *factEnv) mincore(a uint64, pages int) string {
	vec := x.anon(1, rw)
	require.Equal(x.t, engine.Errno(0), x.call("mincore", int64(a), int64(pages)*pg, int64(vec)).Errno)
	var s strings.Builder
	for _, b := range x.load(vec, pages) {
		s.WriteString(strconv.Itoa(int(b)))
	}
	return s.String()
}

func (x *factEnv) msync(off int64, flags int64) string {
	p := x.mmap(0, pg, rw, engine.MAP_PRIVATE, x.rw, 0)
	s := x.mmap(0, pg, rw, engine.MAP_SHARED, x.rw, 0)
	require.NoError(x.t, x.e.Store(x.pid, p, []byte("P")))
	require.NoError(x.t, x.e.Store(x.pid, s+1, []byte("S")))
	return rc(x.call("msync", int64(s)+off, pg, flags))
}

// mremapSetup is facts.c's: two written pages, a blocker above them, and
// a grow that must move.
func (x *factEnv) mremapSetup() (uint64, uint64) {
	a := x.anon(2, rw)
	require.NoError(x.t, x.e.Store(x.pid, a, []byte("kept\x00")))
	require.NoError(x.t, x.e.Store(x.pid, a+pg, []byte("kept too\x00")))
	x.mmap(a+2*pg, pg, engine.PROT_READ, ap|engine.MAP_FIXED, -1, 0)
	r := x.call("mremap", int64(a), 2*pg, 8*pg, engine.MREMAP_MAYMOVE, 0)
	require.Equal(x.t, engine.Errno(0), r.Errno)
	return a, uint64(r.Ret)
}

// forkSetup is facts.c's fork: a private and a shared anonymous page
// written by the parent, then by a child that exits 7, reaped.
func (x *factEnv) forkSetup() (uint64, uint64) {
	a := x.anon(1, rw)
	s := x.mmap(0, pg, rw, engine.MAP_SHARED|engine.MAP_ANONYMOUS, -1, 0)
	require.NoError(x.t, x.e.Store(x.pid, a, []byte("p")))
	require.NoError(x.t, x.e.Store(x.pid, s, []byte("p")))
	r := x.call("fork")
	require.Equal(x.t, engine.Errno(0), r.Errno)
	child := int(r.Ret)
	require.NoError(x.t, x.e.Store(child, a, []byte("c")))
	require.NoError(x.t, x.e.Store(child, s, []byte("c")))
	x.e.Syscall(child, engine.Call{Name: "exit_group", Args: []int64{7}})
	st := x.anon(1, rw)
	w := x.call("wait4", int64(child), int64(st), 0, 0)
	require.Equal(x.t, int64(child), w.Ret)
	b := x.load(st, 4)
	x.lastStatus = int(b[0]) | int(b[1])<<8
	return a, s
}

// msealSetup is facts.c's: four pages, the last unmapped, the third
// sealed.
func (x *factEnv) msealSetup() uint64 {
	a := x.anon(4, rw)
	x.call("munmap", int64(a+3*pg), pg)
	require.Equal(x.t, engine.Errno(0), x.call("mseal", int64(a+2*pg), pg, 0).Errno)
	return a
}

// sealedArea maps one page as given and seals it.
func (x *factEnv) sealedArea(prot, flags, fd int64) uint64 {
	a := x.mmap(0, pg, prot, flags, fd, 0)
	require.Equal(x.t, engine.Errno(0), x.call("mseal", int64(a), pg, 0).Errno)
	return a
}

var msealFacts = []kernelFact{
	{"mseal_flags", func(x *factEnv) string { return rc(x.call("mseal", int64(x.anon(4, rw)), pg, 1)) }},
	{"mseal_unaligned", func(x *factEnv) string { return rc(x.call("mseal", int64(x.anon(4, rw))+1, pg, 0)) }},
	{"mseal_wraps", func(x *factEnv) string { return rc(x.call("mseal", int64(x.anon(4, rw)), -pg, 0)) }},
	{"mseal_zero_len", func(x *factEnv) string { return rc(x.call("mseal", int64(x.anon(4, rw)), 0, 0)) }},
	{"mseal_hole", func(x *factEnv) string {
		a := x.anon(4, rw)
		x.call("munmap", int64(a+3*pg), pg)
		return rc(x.call("mseal", int64(a), 4*pg, 0))
	}},
	{"mseal_hole_flag", func(x *factEnv) string {
		a := x.anon(4, rw)
		x.call("munmap", int64(a+3*pg), pg)
		x.call("mseal", int64(a), 4*pg, 0)
		return x.vmflag(a, "sl")
	}},
	{"mseal_ok", func(x *factEnv) string { a := x.anon(4, rw); return rc(x.call("mseal", int64(a+2*pg), pg, 0)) }},
	{"mseal_twice", func(x *factEnv) string { a := x.msealSetup(); return rc(x.call("mseal", int64(a+2*pg), pg, 0)) }},
	{"mseal_flag", func(x *factEnv) string { a := x.msealSetup(); return x.vmflag(a+2*pg, "sl") }},
	{"mseal_vmas", func(x *factEnv) string { a := x.msealSetup(); return x.vmas(a, 3*pg) }},
	{"mseal_mprotect", func(x *factEnv) string {
		a := x.msealSetup()
		return rc(x.call("mprotect", int64(a), 3*pg, engine.PROT_READ))
	}},
	{"mseal_mprotect_before_changed", func(x *factEnv) string {
		a := x.msealSetup()
		x.call("mprotect", int64(a), 3*pg, engine.PROT_READ)
		return bit(x.vmflag(a, "wr") == "0")
	}},
	{"mseal_mprotect_same", func(x *factEnv) string {
		a := x.msealSetup()
		return rc(x.call("mprotect", int64(a+2*pg), pg, rw))
	}},
	{"mseal_munmap", func(x *factEnv) string { a := x.msealSetup(); return rc(x.call("munmap", int64(a+pg), 2*pg)) }},
	{"mseal_munmap_split", func(x *factEnv) string {
		a := x.msealSetup()
		x.call("munmap", int64(a+pg), 2*pg)
		return x.vmas(a, 3*pg)
	}},
	{"mseal_mremap", func(x *factEnv) string {
		a := x.msealSetup()
		return rc(x.call("mremap", int64(a+2*pg), pg, 2*pg, engine.MREMAP_MAYMOVE))
	}},
	{"mseal_mremap_onto", func(x *factEnv) string {
		a := x.msealSetup()
		return rc(x.call("mremap", int64(a), pg, pg, engine.MREMAP_MAYMOVE|engine.MREMAP_FIXED, int64(a+2*pg)))
	}},
	{"mseal_mmap_fixed", func(x *factEnv) string {
		a := x.msealSetup()
		return rc(x.call("mmap", int64(a+2*pg), pg, rw, ap|engine.MAP_FIXED, -1, 0))
	}},
	{"mseal_dontneed_rw", func(x *factEnv) string {
		a := x.msealSetup()
		return rc(x.call("madvise", int64(a+2*pg), pg, engine.MADV_DONTNEED))
	}},
	{"mseal_dontneed_ro", func(x *factEnv) string {
		return rc(x.call("madvise", int64(x.sealedArea(engine.PROT_READ, ap, -1)), pg, engine.MADV_DONTNEED))
	}},
	{"mseal_willneed_ro", func(x *factEnv) string {
		return rc(x.call("madvise", int64(x.sealedArea(engine.PROT_READ, ap, -1)), pg, engine.MADV_WILLNEED))
	}},
	{"mseal_dontneed_ro_shared", func(x *factEnv) string {
		a := x.sealedArea(engine.PROT_READ, engine.MAP_SHARED|engine.MAP_ANONYMOUS, -1)
		return rc(x.call("madvise", int64(a), pg, engine.MADV_DONTNEED))
	}},
	{"mseal_dontneed_ro_file", func(x *factEnv) string {
		a := x.sealedArea(engine.PROT_READ, engine.MAP_PRIVATE, x.ro)
		return rc(x.call("madvise", int64(a), pg, engine.MADV_DONTNEED))
	}},
}

// membarrierSyncCore is facts.c's: MEMBARRIER_CMD_REGISTER_PRIVATE_
// EXPEDITED_SYNC_CORE made.
func (x *factEnv) membarrierSyncCore() {
	require.Equal(x.t, engine.Errno(0), x.call("membarrier", engine.MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0).Errno)
}

// syscallFacts are the calls of mm without an area to set up: protection
// keys, membarrier, userfaultfd's flags, fallocate.
var syscallFacts = []kernelFact{
	{"pkey_alloc", func(x *factEnv) string { return rc(x.call("pkey_alloc", 0, 0)) }},
	{"pkey_free", func(x *factEnv) string { return rc(x.call("pkey_free", 0)) }},
	{"pkey_mprotect_0", func(x *factEnv) string {
		return rc(x.call("pkey_mprotect", int64(x.anon(1, rw)), pg, engine.PROT_READ, 0))
	}},
	{"pkey_mprotect_none", func(x *factEnv) string {
		return rc(x.call("pkey_mprotect", int64(x.anon(1, rw)), pg, engine.PROT_READ, -1))
	}},
	{"membarrier_query", func(x *factEnv) string {
		return strconv.FormatInt(x.call("membarrier", engine.MEMBARRIER_CMD_QUERY, 0, 0).Ret, 10)
	}},
	{"membarrier_query_flags", func(x *factEnv) string { return rc(x.call("membarrier", engine.MEMBARRIER_CMD_QUERY, 1, 0)) }},
	{"membarrier_bad_cmd", func(x *factEnv) string { return rc(x.call("membarrier", 3, 0, 0)) }},
	{"membarrier_unregistered", func(x *factEnv) string {
		return rc(x.call("membarrier", engine.MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0))
	}},
	{"membarrier_sync_core_only", func(x *factEnv) string {
		x.membarrierSyncCore()
		return rc(x.call("membarrier", engine.MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0))
	}},
	{"membarrier_registrations", func(x *factEnv) string {
		x.membarrierSyncCore()
		return strconv.FormatInt(x.call("membarrier", engine.MEMBARRIER_CMD_GET_REGISTRATIONS, 0, 0).Ret, 10)
	}},
	{"membarrier_rseq_cpu", func(x *factEnv) string {
		x.call("membarrier", engine.MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ, 0, 0)
		return rc(x.call("membarrier", engine.MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ, engine.MEMBARRIER_CMD_FLAG_CPU, 0))
	}},
	{"membarrier_fork_keeps", func(x *factEnv) string {
		x.membarrierSyncCore()
		x.call("membarrier", engine.MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ, 0, 0)
		child := int(x.call("fork").Ret)
		r := x.e.Syscall(child, engine.Call{Name: "membarrier", Args: []int64{engine.MEMBARRIER_CMD_GET_REGISTRATIONS, 0, 0}})
		return bit(r.Ret == engine.MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED|
			engine.MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE|engine.MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ)
	}},
	{"uffd_bad_flags", func(x *factEnv) string { return rc(x.call("userfaultfd", engine.UFFD_USER_MODE_ONLY|0x100)) }},
	{"fallocate_zero_len", func(x *factEnv) string { return rc(x.call("fallocate", x.memfd("falloc", 0), 0, 0, 0)) }},
	{"fallocate_grow", func(x *factEnv) string { return rc(x.call("fallocate", x.memfd("falloc", 0), 0, pg, 2*pg)) }},
	{"fallocate_grown_size", func(x *factEnv) string {
		m := x.memfd("falloc", 0)
		x.call("fallocate", m, 0, pg, 2*pg)
		s, _ := x.memfdStat(m)
		return strconv.FormatUint(s, 10)
	}},
	{"fallocate_keep_size", func(x *factEnv) string {
		m := x.memfd("falloc", 0)
		x.call("fallocate", m, 0, pg, 2*pg)
		x.call("fallocate", m, engine.FALLOC_FL_KEEP_SIZE, 0, 8*pg)
		s, _ := x.memfdStat(m)
		return strconv.FormatUint(s, 10)
	}},
	{"fallocate_punch_no_keep", func(x *factEnv) string {
		return rc(x.call("fallocate", x.memfd("falloc", 0), engine.FALLOC_FL_PUNCH_HOLE, 0, pg))
	}},
	{"fallocate_bad_mode", func(x *factEnv) string { return rc(x.call("fallocate", x.memfd("falloc", 0), 0x1000, 0, pg)) }},
	{"fallocate_rdonly", func(x *factEnv) string { return rc(x.call("fallocate", x.ro, 0, 0, pg)) }},
	{"fallocate_punch", func(x *factEnv) string { _, r := x.fallocatePunch(); return rc(r) }},
	{"fallocate_punched", func(x *factEnv) string {
		p, _ := x.fallocatePunch()
		var b strings.Builder
		for _, off := range []uint64{99, 100, pg + 199, pg + 200} {
			if x.load(p+off, 1)[0] != 0 {
				b.WriteByte('x')
			} else {
				b.WriteByte('0')
			}
		}
		return b.String()
	}},
}

// fallocatePunch is facts.c's: a memfd of three pages, mapped shared and
// filled with 'x', a hole punched from byte 100 to PG+200.
func (x *factEnv) fallocatePunch() (uint64, engine.Result) {
	m := x.memfd("falloc", 0)
	x.call("fallocate", m, 0, pg, 2*pg)
	p := x.mmap(0, 3*pg, rw, engine.MAP_SHARED, m, 0)
	require.NoError(x.t, x.e.Store(x.pid, p, bytes.Repeat([]byte("x"), 3*pg)))
	return p, x.call("fallocate", m, engine.FALLOC_FL_PUNCH_HOLE|engine.FALLOC_FL_KEEP_SIZE, 100, pg+100)
}

// tmpfileOpen is open(path, flags) as a result.
func (x *factEnv) tmpfileOpen(path string, flags int64) engine.Result {
	return x.e.Syscall(x.pid, engine.Call{Name: "open", Path: path, Args: []int64{0, flags, 0o600}})
}

// tmpfileMapsName is facts.c's: the maps name of a page of fd mapped
// shared, its inode number as N (the last part alone unless in /dev/shm).
func (x *factEnv) tmpfileMapsName(fd int64) string {
	x.call("ftruncate", fd, pg)
	a := x.mmap(0, pg, rw, engine.MAP_SHARED, fd, 0)
	for _, l := range strings.Split(x.readFile("/proc/self/maps"), "\n") {
		if !isMapsHeader(l) || lineStart(l) != a {
			continue
		}
		n := l[strings.IndexByte(l, '/'):]
		h := strings.LastIndexByte(n, '/')
		n = regexp.MustCompile(`#\d+`).ReplaceAllString(n, "#N")
		if strings.HasPrefix(n, "/dev/shm/") {
			return n
		}
		return n[h+1:]
	}
	return "-"
}

const oTmpfileRW = engine.O_TMPFILE | engine.O_RDWR

var stackTmpfileFacts = []kernelFact{
	{"map_stack_nohugepage", func(x *factEnv) string {
		return x.vmflag(x.mmap(0, 2*pg, rw, ap|engine.MAP_STACK, -1, 0), "nh")
	}},
	{"map_stack_neighbour_vmas", func(x *factEnv) string {
		a := x.mmap(0, 2*pg, rw, ap|engine.MAP_STACK, -1, 0)
		x.mmap(a-2*pg, 2*pg, rw, ap|engine.MAP_FIXED, -1, 0)
		return x.vmas(a-2*pg, 4*pg)
	}},
	{"tmpfile_rdonly", func(x *factEnv) string { return rc(x.tmpfileOpen(".", engine.O_TMPFILE|engine.O_RDONLY)) }},
	{"tmpfile_creat", func(x *factEnv) string { return rc(x.tmpfileOpen(".", oTmpfileRW|engine.O_CREAT)) }},
	{"tmpfile_notdir", func(x *factEnv) string { return rc(x.tmpfileOpen("data.bin", oTmpfileRW)) }},
	{"tmpfile_missing", func(x *factEnv) string { return rc(x.tmpfileOpen("nodir", oTmpfileRW)) }},
	{"tmpfile_ok", func(x *factEnv) string { return rc(x.tmpfileOpen(".", oTmpfileRW)) }},
	{"tmpfile_nlink", func(x *factEnv) string {
		buf := x.anon(1, rw)
		x.call("fstat", x.tmpfileOpen(".", oTmpfileRW).Ret, int64(buf))
		return strconv.FormatUint(binary.LittleEndian.Uint64(x.load(buf+16, 8)), 10)
	}},
	{"tmpfile_shm", func(x *factEnv) string { return rc(x.tmpfileOpen("/dev/shm", oTmpfileRW)) }},
	{"tmpfile_maps_name", func(x *factEnv) string { return x.tmpfileMapsName(x.tmpfileOpen(".", oTmpfileRW).Ret) }},
	{"tmpfile_shm_maps_name", func(x *factEnv) string {
		return x.tmpfileMapsName(x.tmpfileOpen("/dev/shm", oTmpfileRW).Ret)
	}},
}

// procMemOpen opens /proc/self/mem for reading and writing.
func (x *factEnv) procMemOpen() int64 { return x.open("/proc/self/mem", engine.O_RDWR) }

// procMemRW is pread or pwrite of n bytes of /proc/self/mem at addr,
// through a scratch page, as rc names the outcome ("OK" for n bytes).
func (x *factEnv) procMemRW(write bool, addr uint64, data []byte) string {
	fd := x.procMemOpen()
	buf := x.anon(1, rw)
	name := "pread64"
	if write {
		name = "pwrite64"
		require.NoError(x.t, x.e.Store(x.pid, buf, data))
	}
	r := x.call(name, fd, int64(buf), int64(len(data)), int64(addr))
	if r.Errno == 0 && r.Ret != int64(len(data)) {
		return "short"
	}
	return rc(r)
}

// procMemRO is facts.c's: a read-only private anonymous page read (the
// zero page), then 1 written to it through /proc/self/mem.
func (x *factEnv) procMemRO() (uint64, string) {
	ro := x.anon(1, engine.PROT_READ)
	x.touch(ro, false)
	return ro, x.procMemRW(true, ro, []byte{1})
}

// mbind is mbind(addr, len, mode, nodemask at mask (0: none), maxnode, flags).
func (x *factEnv) mbind(addr uint64, length, mode int64, node uint64, maxnode, flags int64) string {
	mask := int64(0)
	if node != 0 {
		m := x.anon(1, rw)
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], node)
		require.NoError(x.t, x.e.Store(x.pid, m, b[:]))
		mask = int64(m)
	}
	return rc(x.call("mbind", int64(addr), length, mode, mask, maxnode, flags))
}

var procMemFacts = []kernelFact{
	{"procmem_open", func(x *factEnv) string {
		return rc(x.e.Syscall(x.pid, engine.Call{Name: "open", Path: "/proc/self/mem", Args: []int64{0, engine.O_RDWR, 0}}))
	}},
	{"procmem_write_ro", func(x *factEnv) string { _, r := x.procMemRO(); return r }},
	{"procmem_write_ro_byte", func(x *factEnv) string { ro, _ := x.procMemRO(); return x.byteAt(ro) }},
	{"procmem_write_ro_touch", func(x *factEnv) string { ro, _ := x.procMemRO(); return x.touch(ro, true) }},
	{"procmem_write_ro_byte_after", func(x *factEnv) string {
		ro, _ := x.procMemRO()
		x.touch(ro, true)
		return x.byteAt(ro)
	}},
	{"procmem_read_none", func(x *factEnv) string { return x.procMemRW(false, x.anon(1, engine.PROT_NONE), []byte{0}) }},
	{"procmem_read_none_touch", func(x *factEnv) string {
		a := x.anon(1, engine.PROT_NONE)
		x.procMemRW(false, a, []byte{0})
		return x.touch(a, false)
	}},
	{"procmem_write_shared_ro", func(x *factEnv) string {
		return x.procMemRW(true, x.mmap(0, pg, engine.PROT_READ, engine.MAP_SHARED|engine.MAP_ANONYMOUS, -1, 0), []byte{1})
	}},
	{"procmem_unmapped", func(x *factEnv) string { return x.procMemRW(false, 0x10000, []byte{0}) }},
	{"procmem_write_ro_file", func(x *factEnv) string {
		return x.procMemRW(true, x.mmap(0, pg, engine.PROT_READ, engine.MAP_PRIVATE, x.ro, 0), []byte{1})
	}},
	{"procmem_write_ro_file_kept", func(x *factEnv) string {
		fp := x.mmap(0, pg, engine.PROT_READ, engine.MAP_PRIVATE, x.ro, 0)
		x.procMemRW(true, fp, []byte{1})
		buf := x.anon(1, rw)
		x.call("pread64", x.ro, int64(buf), 1, 0)
		return string(x.load(buf, 1)) + " " + x.byteAt(fp)
	}},
	{"procmem_write_across", func(x *factEnv) string { _, n, _ := x.procMemAcross(); return n }},
	{"procmem_write_across_bytes", func(x *factEnv) string {
		a, _, _ := x.procMemAcross()
		return x.byteAt(a+pg-1) + " " + x.byteAt(a+pg)
	}},
	{"procmem_pos", func(x *factEnv) string { _, _, pos := x.procMemAcross(); return pos }},
	{"procmem_read_short", func(x *factEnv) string {
		a, _, _ := x.procMemAcross()
		buf := x.anon(1, rw) // before the hole is made, which it would fill
		x.call("munmap", int64(a+pg), pg)
		fd := x.procMemOpen()
		x.call("lseek", fd, int64(a+pg-1), engine.SEEK_SET)
		return strconv.FormatInt(x.call("read", fd, int64(buf), 2).Ret, 10)
	}},
	{"mbind_local_move", func(x *factEnv) string { return x.mbind(x.anon(2, rw), pg, 4, 0, 0x7ff, 2) }},
	{"mbind_bad_flags", func(x *factEnv) string { return x.mbind(x.anon(2, rw), pg, 4, 0, 0x7ff, 8) }},
	{"mbind_bad_mode", func(x *factEnv) string { return x.mbind(x.anon(2, rw), pg, 7, 0, 0x7ff, 0) }},
	{"mbind_unaligned", func(x *factEnv) string { return x.mbind(x.anon(2, rw)+1, pg, 4, 0, 0x7ff, 0) }},
	{"mbind_zero_len", func(x *factEnv) string { return x.mbind(x.anon(2, rw), 0, 4, 0, 0x7ff, 0) }},
	{"mbind_bind_node0", func(x *factEnv) string { return x.mbind(x.anon(2, rw), pg, 2, 1, 64, 0) }},
	{"mbind_bind_node1", func(x *factEnv) string { return x.mbind(x.anon(2, rw), pg, 2, 2, 64, 0) }},
	{"mbind_bind_none", func(x *factEnv) string { return x.mbind(x.anon(2, rw), pg, 2, 0, 0, 0) }},
	{"mbind_local_nodes", func(x *factEnv) string { return x.mbind(x.anon(2, rw), pg, 4, 2, 64, 0) }},
	{"mbind_hole", func(x *factEnv) string {
		a := x.anon(2, rw)
		x.call("munmap", int64(a+pg), pg)
		return x.mbind(a, 2*pg, 4, 0, 0x7ff, 0)
	}},
}

// procMemAcross is facts.c's: a two-page area, 7 stored in its second
// page, then 5 and 6 written through /proc/self/mem across the page
// boundary at the file position; it returns the area, write's answer and
// the position after it, from the area's start.
func (x *factEnv) procMemAcross() (uint64, string, string) {
	a := x.anon(2, rw)
	require.NoError(x.t, x.e.Store(x.pid, a+pg, []byte{7}))
	fd := x.procMemOpen()
	x.call("lseek", fd, int64(a+pg-1), engine.SEEK_SET)
	buf := x.anon(1, rw)
	require.NoError(x.t, x.e.Store(x.pid, buf, []byte{5, 6}))
	n := x.call("write", fd, int64(buf), 2).Ret
	pos := x.call("lseek", fd, 0, engine.SEEK_CUR).Ret
	return a, strconv.FormatInt(n, 10), strconv.FormatInt(pos-int64(a), 10)
}
