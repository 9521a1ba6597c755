package sim

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestProcMatchesKernel holds the model's /proc and /sys to this machine's
// kernel: testdata/kernel/procfs.c makes a set of mappings and prints what
// the kernel's files say about them; the same mappings on the model, read
// through the model's open and read, must print the same, field by field.
// Addresses, device and inode numbers and directories differ between the
// two and are left out; so is what belongs to the C library's areas
// (status and statm are compared as the change the mappings made).
func TestProcMatchesKernel(t *testing.T) {
	native := runNativeProcfs(t)
	model := modelProcfs(t, engine.Options{NoZeroPage: kernelHasNoZeroPage(), ReadAround: kernelReadAround()})
	n, m := parseProcfs(native), parseProcfs(model)
	for _, key := range n.order {
		t.Run(key, func(t *testing.T) {
			assert.Equal(t, n.values[key], m.values[key], "native:\n%s\nmodel:\n%s", n.raw[key], m.raw[key])
		})
	}
	for _, key := range m.order {
		if _, ok := n.values[key]; !ok {
			t.Errorf("the model prints %s, the kernel does not: %s", key, m.raw[key])
		}
	}
}

func runNativeProcfs(t *testing.T) string {
	t.Helper()
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("gcc not found")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "procfs")
	out, err := exec.Command(gcc, "-O1", "-w", "-o", bin, "testdata/kernel/procfs.c").CombinedOutput()
	require.NoError(t, err, "%s", out)
	run := exec.Command(bin)
	run.Dir = dir
	out, err = run.Output()
	require.NoError(t, err)
	return string(out)
}

// modelProcfs is procfs.c on the model: the same calls, the same files read
// with open and read, printed the same way.
func modelProcfs(t *testing.T, opts engine.Options) string {
	h := newHarness(t, opts)
	h.e.SetSink(nil)
	var out strings.Builder
	dump := func(tag, path string) {
		for _, l := range strings.Split(strings.TrimSuffix(h.readFile(path), "\n"), "\n") {
			fmt.Fprintf(&out, "%s %s\n", tag, l)
		}
	}
	fd := h.file("data.bin", nil)
	buf := h.mmap(0, 2*pg, rw, ap, -1, 0)
	h.store(h.pid, buf, bytes.Repeat([]byte("x"), 2*pg))
	h.ok("write", fd, int64(buf), 2*pg)
	h.ok("munmap", int64(buf), 2*pg)
	type area struct {
		label string
		addr  uint64
		pages uint64
	}
	var areas []area
	add := func(label string, a, pages uint64) { areas = append(areas, area{label, a, pages}) }
	for round := 0; round < 2; round++ {
		for _, x := range areas {
			h.ok("munmap", int64(x.addr), int64(x.pages*pg))
		}
		areas = nil
		if round == 1 {
			dump("status0", "/proc/self/status")
			dump("statm0", "/proc/self/statm")
		}
		add("guard", h.mmap(0, pg, engine.PROT_NONE, ap, -1, 0), 1)
		a := h.mmap(0, 4*pg, rw, ap, -1, 0)
		h.store(h.pid, a, []byte{1})
		h.load(h.pid, a+pg, 1)
		add("anon", a, 4)
		s := h.mmap(0, 2*pg, rw, engine.MAP_SHARED, fd, 0)
		h.store(h.pid, s, []byte("s"))
		h.load(h.pid, s+pg, 1)
		add("shared_file", s, 2)
		p := h.mmap(0, 2*pg, engine.PROT_READ, engine.MAP_PRIVATE, fd, pg)
		h.load(h.pid, p, 1)
		add("private_file", p, 2)
		m := h.mmap(0, pg, rw, engine.MAP_SHARED|engine.MAP_ANONYMOUS, -1, 0)
		h.store(h.pid, m, []byte{1})
		add("shared_anon", m, 1)
		l := h.mmap(0, 2*pg, rw, ap, -1, 0)
		h.ok("mlock", int64(l), 2*pg)
		add("locked", l, 2)
		f := h.mmap(0, 2*pg, rw, ap, -1, 0)
		h.store(h.pid, f, []byte{1})
		h.store(h.pid, f+pg, []byte{1})
		h.ok("madvise", int64(f), 2*pg, engine.MADV_FREE)
		add("lazyfree", f, 2)
		add("readonly", h.mmap(0, 3*pg, engine.PROT_READ, ap, -1, 0), 3)
	}
	labelOf := func(start uint64) string {
		for _, x := range areas {
			if x.addr == start {
				return x.label
			}
		}
		return ""
	}

	dump("status1", "/proc/self/status")
	dump("statm1", "/proc/self/statm")
	for _, line := range strings.Split(h.readFile("/proc/self/maps"), "\n") {
		if lab := labelOf(lineStart(line)); lab != "" {
			fmt.Fprintf(&out, "maps %s %s\n", lab, line)
		}
	}
	cur := ""
	for _, line := range strings.Split(strings.TrimSuffix(h.readFile("/proc/self/smaps"), "\n"), "\n") {
		if isMapsHeader(line) {
			cur = labelOf(lineStart(line))
		}
		if cur != "" {
			fmt.Fprintf(&out, "smaps %s %s\n", cur, line)
		}
	}
	for _, line := range strings.Split(strings.TrimSuffix(h.readFile("/proc/self/smaps_rollup"), "\n"), "\n") {
		if isMapsHeader(line) {
			fmt.Fprintf(&out, "rolluphead %s\n", line[strings.LastIndexByte(line, ' ')+1:])
		} else {
			name, _, _ := strings.Cut(line, ":")
			fmt.Fprintf(&out, "rollup %s\n", name)
		}
	}
	pm := h.open("/proc/self/pagemap", engine.O_RDONLY)
	ent := h.mmap(0, pg, rw, ap, -1, 0)
	for _, x := range areas {
		for k := uint64(0); k < x.pages; k++ {
			h.ok("pread64", pm, int64(ent), 8, int64((x.addr/pg+k)*8))
			e := binary.LittleEndian.Uint64(h.load(h.pid, ent, 8))
			fmt.Fprintf(&out, "pagemap %s %d %d%d%d%d%d pfn=%s\n", x.label, k, e>>63&1, e>>62&1, e>>61&1, e>>56&1, e>>55&1,
				bit(e&(1<<55-1) != 0))
		}
	}
	for _, line := range strings.Split(strings.TrimSuffix(h.readFile("/proc/meminfo"), "\n"), "\n") {
		name, _, _ := strings.Cut(line, ":")
		fmt.Fprintf(&out, "meminfo %s %d\n", name, kbFieldEnd(line))
	}
	for _, name := range []string{"max_map_count", "overcommit_memory", "overcommit_ratio", "mmap_min_addr", "page-cluster",
		"swappiness", "dirty_expire_centisecs", "dirty_writeback_centisecs", "dirty_ratio", "dirty_background_ratio"} {
		fmt.Fprintf(&out, "sysctl %s %s", name, h.readFile("/proc/sys/vm/"+name))
	}
	fmt.Fprintf(&out, "thp_enabled %s", h.readFile("/sys/kernel/mm/transparent_hugepage/enabled"))
	fmt.Fprintf(&out, "hpage_pmd_size %s", h.readFile("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size"))
	return out.String()
}

// readFile reads a whole file through the model's open and read, 4 KiB a
// call, as procfs.c does.
func (h *harness) readFile(path string) string {
	h.t.Helper()
	fd := h.open(path, engine.O_RDONLY)
	buf := h.mmap(0, pg, rw, ap, -1, 0)
	var b []byte
	for {
		n := h.ok("read", fd, int64(buf), pg)
		if n == 0 {
			break
		}
		b = append(b, h.load(h.pid, buf, int(n))...)
	}
	h.ok("close", fd)
	h.ok("munmap", int64(buf), pg)
	return string(b)
}

func lineStart(line string) uint64 {
	lo, _, _ := strings.Cut(line, "-")
	n, _ := strconv.ParseUint(lo, 16, 64)
	return n
}

func isMapsHeader(line string) bool {
	sp := strings.IndexByte(line, ' ')
	return sp > 16 && strings.IndexByte(line[:sp], '-') > 0
}

// procfsOutput is procfs.c's output as comparable values by key.
type procfsOutput struct {
	order  []string
	values map[string]string
	raw    map[string]string
}

// statusDelta are the status lines compared as the change the mappings
// made; the others are compared by name and order only.
var statusDelta = map[string]bool{"VmSize": true, "VmLck": true, "VmRSS": true, "RssAnon": true, "RssFile": true,
	"RssShmem": true, "VmData": true, "VmStk": true, "VmSwap": true, "VmPin": true}

func parseProcfs(out string) procfsOutput {
	o := procfsOutput{values: map[string]string{}, raw: map[string]string{}}
	set := func(key, value, raw string) {
		if _, ok := o.values[key]; !ok {
			o.order = append(o.order, key)
		}
		o.values[key] += value
		o.raw[key] += raw + "\n"
	}
	status := map[string][2]string{}
	var statm [2][]string
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		tag, rest, _ := strings.Cut(line, " ")
		switch tag {
		case "status0", "status1":
			name, value, _ := strings.Cut(rest, ":\t")
			i := int(tag[6] - '0')
			v := status[name]
			v[i] = strings.TrimSuffix(strings.TrimSpace(value), " kB")
			status[name] = v
			if i == 1 {
				set("status/names", name+" ", rest)
				if strings.HasSuffix(value, " kB") {
					set("status/width/"+name, strconv.Itoa(len(value)), rest)
				}
			}
		case "warm":
			// procfs.c's first printf, before anything is measured.
		case "statm0", "statm1":
			statm[tag[5]-'0'] = strings.Fields(rest)
		case "maps":
			label, l, _ := strings.Cut(rest, " ")
			set("maps/"+label, normalMapsLine(l), l)
		case "smaps":
			label, l, _ := strings.Cut(rest, " ")
			if isMapsHeader(l) {
				set("smaps/"+label+"/header", normalMapsLine(l), l)
				continue
			}
			name, _, _ := strings.Cut(l, ":")
			if label == "lazyfree" && name == "LazyFree" {
				// The kernel moves MADV_FREE'd folios to the lazy-free
				// list in per-CPU batches; until a batch drains they still
				// count as swap-backed (docs/differences.md#proc).
				continue
			}
			set("smaps/"+label+"/"+name, l, l)
		case "rollup", "rolluphead", "meminfo":
			set(tag, rest+"\n", rest)
		case "pagemap":
			label, pgs, _ := strings.Cut(rest, " ")
			set("pagemap/"+label, pgs+"\n", rest)
		default:
			name, value, _ := strings.Cut(rest, " ")
			set(tag+"/"+name, value, rest)
		}
	}
	for name := range statusDelta {
		v := status[name]
		a, _ := strconv.Atoi(v[0])
		b, _ := strconv.Atoi(v[1])
		set("status/delta/"+name, strconv.Itoa(b-a), name+": "+v[0]+" -> "+v[1])
	}
	if len(statm[0]) == 7 && len(statm[1]) == 7 {
		for i, name := range []string{"size", "resident", "shared", "text", "lib", "data", "dt"} {
			a, _ := strconv.Atoi(statm[0][i])
			b, _ := strconv.Atoi(statm[1][i])
			set("statm/delta/"+name, strconv.Itoa(b-a), statm[0][i]+" -> "+statm[1][i])
		}
	}
	return o
}

// kbFieldEnd is where a meminfo line's "%8lu kB" field ends, as if its
// number had at most 8 digits (procfs.c computes the same natively): a
// busy host's Committed_AS overflows the field, and the model's need not.
// -1 for a line with no " kB".
func kbFieldEnd(line string) int {
	kb := strings.Index(line, " kB")
	if kb < 0 {
		return -1
	}
	d := kb
	for d > 0 && line[d-1] >= '0' && line[d-1] <= '9' {
		d--
	}
	if n := kb - d; n > 8 {
		return kb - (n - 8)
	}
	return kb
}

// normalMapsLine is a maps line without what differs between machines:
// the addresses become the size, a device and inode become D and I, a path
// its last element; the column the name starts at is kept.
func normalMapsLine(l string) string {
	f := strings.Fields(l)
	if len(f) < 5 {
		return "short line: " + l
	}
	lo, hi, _ := strings.Cut(f[0], "-")
	a, _ := strconv.ParseUint(lo, 16, 64)
	b, _ := strconv.ParseUint(hi, 16, 64)
	dev, ino := f[3], f[4]
	if dev != "00:00" {
		dev = "D"
	}
	if ino != "0" {
		ino = "I"
	}
	name, col := "", -1
	if len(f) > 5 {
		name = filepath.Base(strings.Join(f[5:], " "))
		col = strings.Index(l, f[5])
	}
	return fmt.Sprintf("size=%d %s %s %s %s %q col=%d trailing=%v", b-a, f[1], f[2], dev, ino, name, col,
		strings.HasSuffix(l, " "))
}
