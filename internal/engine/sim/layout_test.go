package sim

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLayoutMatchesKernel holds the process the model builds, and where its
// mmap, mremap and brk put things, to this machine with address
// randomisation off: testdata/kernel/layout.c runs under setarch -R, the
// same calls run on the model, and every address and every line of
// /proc/self/maps must agree (paths, devices and inode numbers aside).
func TestLayoutMatchesKernel(t *testing.T) {
	native := runNativeLayout(t)
	model := modelLayout(t)
	n, m := layoutLines(native), layoutLines(model)
	assert.Equal(t, strings.Join(n, "\n"), strings.Join(m, "\n"))
}

func runNativeLayout(t *testing.T) string {
	t.Helper()
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("gcc not found")
	}
	setarch, err := exec.LookPath("setarch")
	if err != nil {
		t.Skip("setarch not found")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "layout")
	out, err := exec.Command(gcc, "-O1", "-w", "-o", bin, "testdata/kernel/layout.c").CombinedOutput()
	require.NoError(t, err, "%s", out)
	run := exec.Command(setarch, "-R", bin)
	run.Dir = dir
	out, err = run.Output()
	if err != nil {
		t.Skipf("setarch -R cannot run here: %v", err)
	}
	return string(out)
}

// modelLayout is layout.c on the model: an image of its size (one page of
// each segment, 128 KiB of .bss), the same calls, the same maps.
func modelLayout(t *testing.T) string {
	e := New(engine.Options{})
	pr, err := e.Exec(engine.Image{Name: "layout", Rodata: []byte("addr %s %p\n"), Data: make([]byte, 16), Bss: 2<<16 + 16})
	require.NoError(t, err)
	h := &harness{t: t, e: e, pid: pr.Pid, rec: &recorder{}}
	var out strings.Builder
	put := func(name string, a uint64) { fmt.Fprintf(&out, "addr %s %#x\n", name, a) }
	fd := h.open("big.bin", engine.O_RDWR|engine.O_CREAT|engine.O_TRUNC)
	h.ok("ftruncate", fd, 4<<20)
	a := h.mmap(0, pg, rw, ap, -1, 0)
	put("one_page", a)
	b := h.mmap(0, 1<<20, rw, ap, -1, 0)
	put("one_mib", b)
	h.store(h.pid, b, []byte{1})
	put("mremap_two_mib", uint64(h.ok("mremap", int64(b), 1<<20, 2<<20, engine.MREMAP_MAYMOVE, 0)))
	put("read_only_two_pages", h.mmap(0, 2*pg, engine.PROT_READ, ap, -1, 0))
	put("anon_two_mib", h.mmap(0, 2<<20, rw, ap, -1, 0))
	put("file_four_mib", h.mmap(0, 4<<20, engine.PROT_READ, engine.MAP_SHARED, fd, 0))
	put("shared_anon_two_mib", h.mmap(0, 2<<20, rw, engine.MAP_SHARED|engine.MAP_ANONYMOUS, -1, 0))
	put("anon_three_mib", h.mmap(0, 3<<20, rw, ap, -1, 0))
	h.ok("munmap", int64(a), pg)
	put("after_munmap", h.mmap(0, pg, rw, ap, -1, 0))
	put("hint_low", h.mmap(0x10000000, pg, engine.PROT_READ, ap, -1, 0))
	start := uint64(h.ok("brk", 0))
	put("brk_start", start)
	put("brk_after", uint64(h.ok("brk", int64(start+64<<10))))
	// Read into .bss, as layout.c does: a buffer of its own would be an area.
	m := h.open("/proc/self/maps", engine.O_RDONLY)
	buf := pr.DataAddr + pg
	var maps []byte
	for {
		n := h.ok("read", m, int64(buf), 1<<16)
		if n == 0 {
			break
		}
		maps = append(maps, h.load(h.pid, buf, int(n))...)
	}
	for _, l := range strings.Split(strings.TrimSuffix(string(maps), "\n"), "\n") {
		fmt.Fprintf(&out, "maps %s\n", l)
	}
	return out.String()
}

// layoutLines are the output's lines with what differs between the two
// machines' files made equal: device and inode numbers, and directories.
func layoutLines(out string) []string {
	var lines []string
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if rest, ok := strings.CutPrefix(l, "maps "); ok {
			f := strings.Fields(rest)
			if len(f) >= 5 && f[3] != "00:00" {
				f[3], f[4] = "D", "I"
			}
			if len(f) >= 6 && strings.HasPrefix(f[5], "/") && !strings.HasPrefix(f[5], "/usr/lib/") && !strings.HasPrefix(f[5], "/dev/") {
				f[5] = filepath.Base(f[5])
			}
			l = "maps " + strings.Join(f, " ")
		}
		lines = append(lines, l)
	}
	return lines
}
