package sim

import (
	"encoding/binary"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
)

// TestOpenat2 holds openat2's checks of struct open_how, and the flags of
// what it opens, to this machine's kernel: testdata/kernel/openat2.c run as
// an unprivileged user, and the same calls on the model.
func TestOpenat2(t *testing.T) {
	native := runAsUser(t, "testdata/kernel/openat2.c")
	h := newHarness(t, engine.Options{})
	buf := h.mmap(0, pg, rw, ap, -1, 0)
	close := func(fd int64) { h.ok("close", fd) }
	close(h.open("data.bin", engine.O_RDWR|engine.O_CREAT))
	dir, file := h.open(".", engine.O_RDONLY), h.open("data.bin", engine.O_RDONLY)
	got := map[string]string{}
	var order []string
	const (
		at   = engine.AT_FDCWD
		v0   = 24
		big  = 56 // sizeof(struct how) in openat2.c
		path = engine.O_PATH
	)
	try := func(name string, dirfd int64, p string, flags, mode, resolve uint64, size int64, extra uint64) {
		b := make([]byte, big)
		le := binary.LittleEndian
		le.PutUint64(b, flags)
		le.PutUint64(b[8:], mode)
		le.PutUint64(b[16:], resolve)
		le.PutUint64(b[32:], extra)
		h.store(h.pid, buf, b)
		r := h.e.Syscall(h.pid, engine.Call{Name: "openat2", Path: p, Args: []int64{dirfd, 0, int64(buf), size}})
		v := rc(r)
		if r.Errno == 0 {
			v = strconv.FormatInt(h.ok("fcntl", r.Ret, engine.F_GETFL), 16)
			close(r.Ret)
		}
		got[name], order = v, append(order, name)
	}
	try("plain", at, ".", engine.O_RDONLY, 0, 0, v0, 0)
	try("size_0", at, ".", engine.O_RDONLY, 0, 0, 0, 0)
	try("size_23", at, ".", engine.O_RDONLY, 0, 0, 23, 0)
	try("size_bigger_zeroed", at, ".", engine.O_RDONLY, 0, 0, big, 0)
	try("size_bigger_nonzero", at, ".", engine.O_RDONLY, 0, 0, big, 1)
	try("size_page_plus", at, ".", engine.O_RDONLY, 0, 0, 4097, 0)
	try("file_rdwr", at, "data.bin", engine.O_RDWR, 0, 0, v0, 0)
	try("path_cloexec", at, ".", path|engine.O_CLOEXEC, 0, 0, v0, 0)
	try("path_directory", at, ".", path|engine.O_DIRECTORY, 0, 0, v0, 0)
	try("path_nofollow", at, "data.bin", path|engine.O_NOFOLLOW, 0, 0, v0, 0)
	try("path_rdwr", at, ".", path|engine.O_RDWR, 0, 0, v0, 0)
	try("path_creat", at, ".", path|engine.O_CREAT, 0, 0, v0, 0)
	try("path_largefile", at, ".", path|engine.O_LARGEFILE, 0, 0, v0, 0)
	try("path_mode", at, ".", path, 0o600, 0, v0, 0)
	try("tmpfile_path", at, ".", engine.O_TMPFILE|path|engine.O_RDWR, 0, 0, v0, 0)
	try("tmpfile_creat", at, ".", engine.O_TMPFILE|engine.O_CREAT|engine.O_RDWR, 0, 0, v0, 0)
	try("tmpfile_rdonly", at, ".", engine.O_TMPFILE|engine.O_RDONLY, 0o600, 0, v0, 0)
	try("tmpfile", at, ".", engine.O_TMPFILE|engine.O_RDWR, 0o600, 0, v0, 0)
	try("tmpfile_bad_mode", at, ".", engine.O_TMPFILE|engine.O_RDWR, 0x1337, 0, v0, 0)
	try("rdonly_mode", at, ".", engine.O_RDONLY, 0o600, 0, v0, 0)
	try("creat", at, "new.bin", engine.O_CREAT|engine.O_WRONLY, 0o600, 0, v0, 0)
	try("creat_excl", at, "new.bin", engine.O_CREAT|engine.O_EXCL|engine.O_WRONLY, 0o600, 0, v0, 0)
	try("creat_bad_mode", at, "new.bin", engine.O_CREAT, 0xffff, 0, v0, 0)
	try("creat_huge_mode", at, "new.bin", engine.O_CREAT, 0xC000000000000000, 0, v0, 0)
	try("creat_directory", at, "new2.bin", engine.O_CREAT|engine.O_DIRECTORY, 0o600, 0, v0, 0)
	try("resolve_beneath_in_root", at, ".", engine.O_RDONLY, 0, 0x18, v0, 0)
	try("resolve_valid", at, ".", engine.O_RDONLY, 0, 0x07, v0, 0)
	try("resolve_bad", at, ".", engine.O_RDONLY, 0, 0x1337, v0, 0)
	try("flag_bit63", at, ".", engine.O_RDONLY|1<<63, 0, 0, v0, 0)
	try("flag_bit32", at, ".", engine.O_RDONLY|1<<32, 0, 0, v0, 0)
	try("dirfd", dir, "data.bin", engine.O_RDONLY, 0, 0, v0, 0)
	try("dirfd_bad", 999, "data.bin", engine.O_RDONLY, 0, 0, v0, 0)
	try("dirfd_notdir", file, "data.bin", engine.O_RDONLY, 0, 0, v0, 0)
	try("missing", at, "missing.bin", engine.O_RDONLY, 0, 0, v0, 0)
	try("dir_wronly", at, ".", engine.O_WRONLY, 0, 0, v0, 0)
	h.store(h.pid, buf+big, []byte("data.bin\x00"))
	require.Equal(t, engine.Errno(0), h.e.Syscall(h.pid, engine.Call{Name: "symlink", Path: "ln", Args: []int64{int64(buf + big), 0}}).Errno)
	try("no_symlinks_link", at, "ln", engine.O_RDONLY, 0, 0x04, v0, 0)
	try("no_symlinks_file", at, "data.bin", engine.O_RDONLY, 0, 0x04, v0, 0)
	try("link_followed", at, "ln", engine.O_RDONLY, 0, 0, v0, 0)
	try("link_nofollow", at, "ln", engine.O_RDONLY|engine.O_NOFOLLOW, 0, 0, v0, 0)
	r := h.e.Syscall(h.pid, engine.Call{Name: "openat2", Path: ".", Args: []int64{at, 0, 8, v0}})
	got["how_fault"], order = rc(r), append(order, "how_fault")

	require.ElementsMatch(t, order, keys(native), "openat2.c prints what the test asks the model")
	for _, name := range order {
		assert.Equal(t, native[name], got[name], "the kernel says %s %s", name, native[name])
	}
}
