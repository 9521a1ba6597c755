package sim

import (
	"encoding/binary"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
)

// TestFstatat holds stat, lstat and newfstatat (their checks and the
// devices they name) to this machine's kernel: testdata/kernel/stat.c run
// as an unprivileged user in a directory of /tmp, and the same calls on
// the model.
func TestFstatat(t *testing.T) {
	native := runAsUser(t, "testdata/kernel/stat.c")
	x := newFactEnv(t, engine.Options{})
	buf := x.anon(1, rw)
	fd := x.open("data.bin", engine.O_RDWR|engine.O_CREAT|engine.O_TRUNC)
	dir := x.open(".", engine.O_RDONLY)
	got := map[string]string{}
	var order []string
	show := func(name string, r engine.Result) {
		v := rc(r)
		if r.Errno == 0 {
			b := make([]byte, 8)
			require.NoError(t, x.e.Load(x.pid, buf, b))
			dev := binary.LittleEndian.Uint64(b)
			// glibc's major and minor (<sys/sysmacros.h>).
			major := dev>>8&0xfff | dev>>32&^0xfff
			minor := dev&0xff | dev>>12&^0xff
			v = strconv.FormatUint(major, 16) + ":" + strconv.FormatUint(minor, 16)
		}
		got[name], order = v, append(order, name)
	}
	sys := func(name, path string, args ...int64) engine.Result {
		return x.e.Syscall(x.pid, engine.Call{Name: name, Path: path, Args: args})
	}
	at := func(name string, dirfd int64, path string, flags int64) {
		show(name, sys("newfstatat", path, dirfd, 0, int64(buf), flags))
	}
	show("stat", sys("stat", "data.bin", 0, int64(buf)))
	show("lstat", sys("lstat", "data.bin", 0, int64(buf)))
	show("lstat_missing", sys("lstat", "missing.bin", 0, int64(buf)))
	show("fstat", sys("fstat", "", fd, int64(buf)))
	show("stat_cwd", sys("stat", ".", 0, int64(buf)))
	at("at_cwd", engine.AT_FDCWD, "data.bin", 0)
	at("at_nofollow", engine.AT_FDCWD, "data.bin", engine.AT_SYMLINK_NOFOLLOW)
	at("at_no_automount", engine.AT_FDCWD, "data.bin", engine.AT_NO_AUTOMOUNT)
	at("at_sync_type", engine.AT_FDCWD, "data.bin", 0x6000)
	at("at_bad_flag", engine.AT_FDCWD, "data.bin", 1)
	at("at_removedir_flag", engine.AT_FDCWD, "data.bin", engine.AT_REMOVEDIR)
	at("at_missing", engine.AT_FDCWD, "missing.bin", 0)
	at("at_empty", engine.AT_FDCWD, "", 0)
	at("at_empty_path_fd", fd, "", engine.AT_EMPTY_PATH)
	at("at_empty_path_cwd", engine.AT_FDCWD, "", engine.AT_EMPTY_PATH)
	at("at_empty_path_badfd", 999, "", engine.AT_EMPTY_PATH)
	at("at_dirfd", dir, "data.bin", 0)
	at("at_dirfd_bad", 999, "data.bin", 0)
	at("at_dirfd_notdir", fd, "data.bin", 0)
	at("at_dirfd_abs", 999, "/dev/null", 0)
	show("at_fault", sys("newfstatat", "data.bin", engine.AT_FDCWD, 0, 8, 0))

	require.ElementsMatch(t, order, keys(native), "stat.c prints what the test asks the model")
	for _, name := range order {
		assert.Equal(t, native[name], got[name], "the kernel says %s %s", name, native[name])
	}
}
