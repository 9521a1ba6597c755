// Package compare sets a run on the simulated engine beside the same run on
// the real kernel and says where they differ: the output, each system call's
// errno, the areas at exit, the present pages, the faults and how the
// program ended.
//
// Some differences are the kernel being a real kernel, not the model being
// wrong: addresses, fault-around that depends on the page cache and folio
// sizes, adjacent anonymous areas the kernel merges, a kernel that maps no
// zero page, fork and the demo device that only the model has. Those are
// reported with Explained set, pointing into docs/differences.md; they are
// never reported as plain differences. The runner's "both" mode sends each
// Difference as an engine.EvDiff event (Difference.Event).
package compare

import (
	"fmt"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/mmapplayground/playground/internal/engine"
)

// Difference is one place the two runs differ. Explained is empty for a
// difference nobody expects, and otherwise says why it is expected, with a
// pointer into docs/differences.md.
type Difference struct {
	Field     string `json:"field"` // "stdout", "stderr", "errno", "exit", "vmas", "present_pages", "faults"
	Sim       string `json:"sim"`
	Real      string `json:"real"`
	Explained string `json:"explained,omitempty"`
}

// Event is the difference as an EvDiff event.
func (d Difference) Event() engine.Event {
	return engine.Event{Type: engine.EvDiff, Field: d.Field, Sim: d.Sim, Real: d.Real, Explained: d.Explained}
}

// Unexplained returns the differences nobody expects.
func Unexplained(ds []Difference) []Difference {
	var out []Difference
	for _, d := range ds {
		if d.Explained == "" {
			out = append(out, d)
		}
	}
	return out
}

// Explanations, each pointing at its section of docs/differences.md.
const (
	ExplainAddresses   = "addresses differ between address spaces (docs/differences.md#addresses)"
	ExplainInspection  = "show_maps and show_pages lines differ by address and by the areas each address space holds (docs/differences.md#addresses)"
	ExplainFaultAround = "the kernel's fault-around maps 1, 16 or 256 pages around a file fault depending on what is cached and on folio sizes (docs/differences.md#fault-around)"
	ExplainMerging     = "the kernel merges adjacent compatible anonymous areas into one (docs/differences.md#merging)"
	ExplainZeroPage    = "this kernel gives an anonymous read fault its own page instead of the shared zero page, so a write after it takes no fault (docs/differences.md#zero-page)"
	ExplainFork        = "fork runs only on the simulated engine (docs/differences.md#fork)"
	ExplainKernelMode  = "faults the kernel takes in kernel mode (read() into an untouched buffer) are not user faults on the real engine (docs/differences.md#faults-the-kernel-takes-in-kernel-mode)"
	ExplainFaultAccess = "the real engine's fault samples do not say whether an access read or wrote, so a copy-on-write or shared-write fault is counted by the area it is in, as a file or anonymous fault (docs/differences.md#fault-access)"
	ExplainCache       = "a file fault is major on the model (its page cache starts empty) and minor on the host (the file was just written, so it is cached) (docs/differences.md#page-cache)"
	ExplainPopulate    = "pages MAP_POPULATE, MAP_LOCKED, mlock or MADV_POPULATE_* make present are faults in the model; the kernel fills them through get_user_pages, which counts no fault for the program (docs/differences.md#populate)"
	ExplainDevice      = "/dev/demo_dev is the model's device; the host has none (docs/differences.md#devices)"
	ExplainTruncated   = "the comparison keeps the first 50,000 events of each engine, and the two streams reach different points of the program by then (docs/differences.md#long-runs)"
	ExplainImage       = "the program's own image, heap and stack are placed and sized differently (docs/differences.md#image-heap-and-stack)"
	ExplainLoaderPages = "the model's area merged with a loader's neighbour holds the pages ld.so and libc made present before main, which the real engine's program has no such neighbour for (docs/differences.md#image-heap-and-stack)"
	ExplainMemlock     = "mlockall locks every area, and the real engine's program has an 8 MiB stack area (a native one's is a few pages), so its areas pass RLIMIT_MEMLOCK (8 MiB for an unprivileged user) and mlockall is ENOMEM there (docs/differences.md#sandbox-limits)"
	ExplainMapLimit    = "the real engine's sandbox limits the bytes a program may map (--real-map-bytes), so a mapping past it is ENOMEM there and the run goes on differently (docs/differences.md#sandbox-limits)"
)

// Diff compares a run on the simulated engine (sim) with the same run on the
// real engine (real), each the whole event stream of one run.
func Diff(sim, real []engine.Event) []Difference {
	s, r := summarize(sim), summarize(real)
	r.limited = sandboxLimited(s, r)
	areas := diffAreas(s, r)
	for _, d := range areas {
		// The areas' present pages differ by what fault-around mapped:
		// the counts a program prints of them differ the same way.
		if d.Field == "present_pages" && d.Explained == ExplainFaultAround {
			s.faultAround = true
		}
	}
	var out []Difference
	out = append(out, diffText("stdout", s.stdout, r.stdout, s, r)...)
	out = append(out, diffText("stderr", s.stderr, r.stderr, s, r)...)
	out = append(out, diffErrnos(s, r)...)
	if s.exit != r.exit {
		d := Difference{Field: "exit", Sim: s.exit, Real: r.exit}
		switch {
		case runWide(s, r) != "":
			d.Explained = runWide(s, r)
		}
		out = append(out, d)
	}
	out = append(out, areas...)
	out = append(out, diffFaults(s, r)...)
	return out
}

// KeptEvents is how many events of each engine a run on both engines keeps
// for the comparison (the runner stops keeping there; the exit event is
// always kept). Counts over a stream cut there are not the run's.
const KeptEvents = 50_000

// run is what Diff compares of one stream.
type run struct {
	// accessUnknown: some fault did not say its access (the real engine's
	// perf samples).
	accessUnknown  bool
	stdout, stderr string
	calls          []call
	exit           string
	image          string
	vmas           []engine.VMA
	faults         map[engine.FaultKind]int // by kind, on the program's own mappings
	minor, major   int
	rawFaults      []fault
	forked         bool   // a fork succeeded
	forkENOSYS     bool   // a fork was refused
	demoDev        bool   // /dev/demo_dev was opened
	populated      bool   // a call populated pages (MAP_POPULATE, mlock...)
	mapLimit       uint64 // the real engine's limit on mapping bytes, from its sandbox note
	mapped         uint64 // bytes in areas, as the vma events tell them
	limited        string // (real) the sandbox limit that made the run go its own way, as an explanation
	truncated      bool   // the stream was cut at KeptEvents
	// faultAround says the two runs' file areas differ in present pages
	// by what fault-around mapped (set on the model's run by Diff).
	faultAround bool
	// loaderRanges are the ranges execve and the dynamic loader mapped; a
	// program's area the kernel merged with one of them is compared
	// without it.
	loaderRanges [][2]uint64
}

type call struct {
	name, errno, path string
	// grow is what a mmap or mremap asked to add, and mapped the bytes
	// already in areas when it was made.
	grow, mapped uint64
}

// mapLimitNote finds the limit in the real engine's sandbox note.
var mapLimitNote = regexp.MustCompile(`\((\d+) MiB for the program's mappings\)`)

// sandboxLimited tells, as an explanation, why the real run refused with
// ENOMEM a call the model made: a mmap or mremap that would have taken it
// past its sandbox's limit on mapping bytes, or an mlockall(MCL_CURRENT)
// of areas (the engine's 8 MiB stack among them) past RLIMIT_MEMLOCK. ""
// when neither happened.
func sandboxLimited(s, r run) string {
	for i, b := range r.calls {
		if i >= len(s.calls) {
			break
		}
		a := s.calls[i]
		if a.name != b.name {
			break
		}
		if a.errno != "" || b.errno != "ENOMEM" {
			continue
		}
		if (b.name == "mmap" || b.name == "mremap") && r.mapLimit > 0 && b.mapped+b.grow > r.mapLimit {
			return ExplainMapLimit
		}
		if b.name == "mlockall" {
			return ExplainMemlock
		}
	}
	return ""
}

type fault struct {
	addr  uint64
	kind  engine.FaultKind
	major bool
}

func summarize(evs []engine.Event) run {
	r := run{faults: map[engine.FaultKind]int{}, truncated: len(evs) > KeptEvents}
	var out, errb strings.Builder
	mainPid := 0
	for i := range evs {
		e := &evs[i]
		switch e.Type {
		case engine.EvExec:
			if r.image == "" {
				r.image = path.Base(e.Name)
				mainPid = e.Pid
			}
		case engine.EvNote:
			if m := mapLimitNote.FindStringSubmatch(e.Message); m != nil {
				n, _ := strconv.ParseUint(m[1], 10, 64)
				r.mapLimit = n << 20
			}
		case engine.EvVMA:
			if e.VMA != nil && e.VMA.Loader && e.Op == "add" && e.Why == "exec" {
				r.loaderRanges = append(r.loaderRanges, [2]uint64{e.VMA.Start, e.VMA.End})
				continue // the loader's, not the program's mapping
			}
			if e.VMA != nil {
				size := e.VMA.End - e.VMA.Start
				switch e.Op {
				case "add":
					r.mapped += size
				case "remove":
					r.mapped -= min(size, r.mapped)
				case "change":
					if e.Old != nil {
						r.mapped += size
						r.mapped -= min(e.Old.End-e.Old.Start, r.mapped)
					}
				}
			}
		case engine.EvStdout:
			out.WriteString(e.Text)
		case engine.EvStderr:
			errb.WriteString(e.Text)
		case engine.EvSyscall:
			c := call{name: e.Name, errno: e.Errno, mapped: r.mapped}
			if e.Name == "mmap" && e.Errno == "EINVAL" && len(e.Args) > 5 && e.Args[5].Int&(engine.PageSize-1) != 0 {
				// glibc's mmap refuses an offset that is not a multiple of
				// the page size itself, without the system call; the model's
				// C library makes it. gcc's build shows no such call.
				continue
			}
			switch {
			case e.Name == "mmap" && len(e.Args) > 1:
				c.grow = uint64(e.Args[1].Int)
			case e.Name == "mremap" && len(e.Args) > 2 && e.Args[2].Int > e.Args[1].Int:
				c.grow = uint64(e.Args[2].Int - e.Args[1].Int)
			}
			for _, a := range e.Args {
				if a.IsStr {
					c.path = a.Str
				}
			}
			if c.path == "/dev/demo_dev" {
				r.demoDev = true
			}
			if populates(e) {
				r.populated = true
			}
			if c.name == "fork" || c.name == "vfork" || c.name == "clone" {
				if c.errno == "ENOSYS" {
					r.forkENOSYS = true
				} else {
					r.forked = true
				}
			}
			r.calls = append(r.calls, c)
		case engine.EvFault:
			if e.Result != "" && e.Result != "ok" {
				continue
			}
			r.rawFaults = append(r.rawFaults, fault{e.Addr, e.Kind, e.Major})
			r.accessUnknown = r.accessUnknown || e.Access == ""
		case engine.EvExit:
			r.exit = "status " + strconv.Itoa(e.Status)
			if e.Signal != "" {
				r.exit = "signal " + e.Signal
			}
			r.vmas = e.VMAs
		}
	}
	_ = mainPid
	r.stdout, r.stderr = out.String(), errb.String()
	// Faults on the image, heap and stack are each engine's own business
	// (docs/differences.md#image-heap-and-stack): only the program's mappings count.
	for _, f := range r.rawFaults {
		if r.ownArea(f.addr) {
			continue
		}
		r.faults[f.kind]++
		if f.major {
			r.major++
		} else {
			r.minor++
		}
	}
	return r
}

var (
	hexAddr = regexp.MustCompile(`0x[0-9a-fA-F]+|\b[0-9a-f]{8,16}\b`)
	decimal = regexp.MustCompile(`\b[0-9]+\b`)
	// inspection lines: what show_maps and show_pages print.
	inspection = regexp.MustCompile(`(?m)^[0-9a-f]{8,16}(-[0-9a-f]{8,16} [-r][-w][-x][sp]| (none|present|swapped|zero|clean|dirty|cow|locked|device)\b).*\n?`)
)

func diffText(field, a, b string, s, r run) []Difference {
	if a == b {
		return nil
	}
	d := Difference{Field: field, Sim: a, Real: b}
	switch {
	case hexAddr.ReplaceAllString(a, "ADDR") == hexAddr.ReplaceAllString(b, "ADDR"):
		d.Explained = ExplainAddresses
	case inspection.ReplaceAllString(a, "") == inspection.ReplaceAllString(b, ""):
		d.Explained = ExplainInspection
	case s.faultAround && decimal.ReplaceAllString(a, "N") == decimal.ReplaceAllString(b, "N"):
		// Only numbers differ, in a run whose present pages differ by
		// fault-around: the program printed what it counted of them.
		d.Explained = ExplainFaultAround
	case runWide(s, r) != "":
		d.Explained = runWide(s, r)
	}
	return []Difference{d}
}

func diffErrnos(s, r run) []Difference {
	var out []Difference
	// The C library makes calls of its own that the model's does not
	// (stdio's fstat of its stream, malloc's getrandom, the thread set-up
	// in a forked child): on gcc's build these appear among the program's.
	// A call only one side ever makes is not compared.
	s.calls, r.calls = sharedCalls(s.calls, r.calls), sharedCalls(r.calls, s.calls)
	n := max(len(s.calls), len(r.calls))
	for i := 0; i < n; i++ {
		var a, b call
		if i < len(s.calls) {
			a = s.calls[i]
		}
		if i < len(r.calls) {
			b = r.calls[i]
		}
		if a.name == b.name && a.errno == b.errno {
			continue
		}
		d := Difference{Field: "errno", Sim: callString(a), Real: callString(b)}
		switch {
		case s.forked || r.forkENOSYS:
			d.Explained = ExplainFork
		case r.limited != "":
			d.Explained = r.limited
		case a.path == "/dev/demo_dev" || b.path == "/dev/demo_dev" || s.demoDev:
			d.Explained = ExplainDevice
		}
		out = append(out, d)
		if a.name != b.name {
			// The two runs took different paths; one difference says so.
			break
		}
	}
	return out
}

// sharedCalls is a's calls whose name b makes too, in order.
func sharedCalls(a, b []call) []call {
	names := map[string]bool{}
	for _, c := range b {
		names[c.name] = true
	}
	var out []call
	for _, c := range a {
		if names[c.name] {
			out = append(out, c)
		}
	}
	return out
}

func callString(c call) string {
	if c.name == "" {
		return "(no call)"
	}
	if c.errno == "" {
		return c.name + " = ok"
	}
	return c.name + " = " + c.errno
}

// ownArea reports whether addr is in the program's image, heap or stack as
// the exit event lists them.
func (r run) ownArea(addr uint64) bool {
	for _, v := range r.vmas {
		if addr >= v.Start && addr < v.End && r.isOwn(v) {
			return true
		}
	}
	return false
}

func (r run) isOwn(v engine.VMA) bool {
	return v.Loader || v.File == "[stack]" || v.File == "[heap]" || r.image != "" && v.File == r.image ||
		strings.HasPrefix(v.File, "[anon:") || strings.HasPrefix(v.File, "[vdso") ||
		strings.HasPrefix(v.File, "[vvar") || strings.HasPrefix(v.File, "[vsyscall")
}

// programAreasClipped is the areas the program mapped itself (not its
// image, heap or stack, which each engine places and sizes its own way),
// and how many present pages the
// areas cut out of a loader's neighbour hold, the loader's among them
// (the cut area's count is the whole area's).
func programAreasClipped(r run) (out []engine.VMA, clippedPresent int) {
	for _, v := range r.vmas {
		if r.isOwn(v) {
			continue
		}
		clipped := false
		for _, l := range r.loaderRanges {
			if l[0] <= v.Start && l[1] > v.Start {
				v.Start = min(l[1], v.End)
				clipped = true
			}
			if l[0] < v.End && l[1] >= v.End {
				v.End = max(l[0], v.Start)
				clipped = true
			}
		}
		if v.End > v.Start {
			out = append(out, v)
			if clipped {
				clippedPresent += v.PresentPages
			}
		}
	}
	return out, clippedPresent
}

func areaShape(vs []engine.VMA) string {
	var parts []string
	for _, v := range vs {
		f := v.File
		if f == "" {
			f = "anon"
		}
		parts = append(parts, fmt.Sprintf("%s %dK %s", v.Perms, (v.End-v.Start)>>10, f))
	}
	sort.Strings(parts)
	return strings.Join(parts, "; ")
}

// bytesByPerms totals the areas' sizes per permission and file, which
// merging keeps.
func bytesByPerms(vs []engine.VMA) string {
	m := map[string]uint64{}
	for _, v := range vs {
		f := v.File
		if f == "" {
			f = "anon"
		}
		m[v.Perms+" "+f] += v.End - v.Start
	}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%d;", k, m[k])
	}
	return b.String()
}

// runWide is the explanation of a difference that follows from something
// about the whole run: the program forked (the real engine cannot), the
// sandbox refused a mapping past its limit, or the program used the model's
// device. "" when none applies.
func runWide(s, r run) string {
	switch {
	case s.forked || r.forkENOSYS:
		return ExplainFork
	case r.limited != "":
		return r.limited
	case s.demoDev || r.demoDev:
		return ExplainDevice
	}
	return ""
}

// presentPages sums the areas' present pages and says whether any of them
// maps a file (fault-around then explains a different count).
func presentPages(areas []engine.VMA) (n int, fileAreas bool) {
	for _, v := range areas {
		n += v.PresentPages
		fileAreas = fileAreas || v.File != "" && !strings.HasPrefix(v.File, "/dev/zero")
	}
	return n, fileAreas
}

func diffAreas(s, r run) []Difference {
	var out []Difference
	sa, sClipped := programAreasClipped(s)
	ra, rClipped := programAreasClipped(r)
	if a, b := areaShape(sa), areaShape(ra); a != b {
		d := Difference{Field: "vmas", Sim: a, Real: b}
		switch {
		case bytesByPerms(sa) == bytesByPerms(ra):
			d.Explained = ExplainMerging
		case runWide(s, r) != "":
			d.Explained = runWide(s, r)
		}
		out = append(out, d)
	}
	sp, sFile := presentPages(sa)
	rp, rFile := presentPages(ra)
	fileAreas := sFile || rFile
	if sp != rp {
		d := Difference{Field: "present_pages", Sim: strconv.Itoa(sp), Real: strconv.Itoa(rp)}
		switch {
		case fileAreas:
			d.Explained = ExplainFaultAround
		case sp > rp && sp-rp <= sClipped:
			d.Explained = ExplainLoaderPages
		case rp > sp && rp-sp <= rClipped:
			// The same on the kernel's side: gcc's build's mapping merged
			// with an area of the loader's, whose present pages it counts.
			d.Explained = ExplainLoaderPages
		case runWide(s, r) != "":
			d.Explained = runWide(s, r)
		}
		out = append(out, d)
	}
	return out
}

func faultString(r run) string {
	var keys []engine.FaultKind
	for k := range r.faults {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s=%d", k, r.faults[k]))
	}
	return fmt.Sprintf("minor %d, major %d (%s)", r.minor, r.major, strings.Join(parts, ", "))
}

func diffFaults(s, r run) []Difference {
	a, b := faultString(s), faultString(r)
	if a == b {
		return nil
	}
	d := Difference{Field: "faults", Sim: a, Real: b}
	sf, rf := s.faults, r.faults
	fileOf := func(m map[engine.FaultKind]int) int { return m[engine.FaultFileMinor] + m[engine.FaultFileMajor] }
	// Without the zero page, each of the model's zero-page reads is an anon
	// fault on the kernel, and the write fault after it (cow, or anon as
	// the model may name it) does not happen: the kernel's anonymous faults
	// lie between the model's total less its zero-page reads and its total.
	z := sf[engine.FaultAnonZero]
	simAnon := sumKinds(sf, engine.FaultAnon, engine.FaultCOW, engine.FaultAnonZero)
	realAnon := sumKinds(rf, engine.FaultAnon, engine.FaultCOW, engine.FaultAnonZero)
	anonAgree := simAnon == realAnon || rf[engine.FaultAnonZero] == 0 && realAnon >= simAnon-z && realAnon <= simAnon
	others := func(m map[engine.FaultKind]int) string {
		return fmt.Sprint(m[engine.FaultSharedWrite], m[engine.FaultWPReuse], m[engine.FaultSwap])
	}
	sameOthers := others(sf) == others(rf)
	switch {
	case runWide(s, r) != "":
		d.Explained = runWide(s, r)
	case s.truncated || r.truncated:
		d.Explained = ExplainTruncated
	case s.populated && simAnon+fileOf(sf) > realAnon+fileOf(rf):
		d.Explained = ExplainPopulate
	case anonAgree && sameOthers && fileOf(sf) == fileOf(rf) && s.major != r.major:
		d.Explained = ExplainCache
		if z > 0 && rf[engine.FaultAnonZero] == 0 {
			d.Explained += "; " + ExplainZeroPage
		}
	case anonAgree && sameOthers && fileOf(sf) == fileOf(rf):
		d.Explained = ExplainZeroPage
	case r.accessUnknown && s.minor+s.major == r.minor+r.major && r.faults[engine.FaultCOW]+r.faults[engine.FaultSharedWrite] == 0:
		d.Explained = ExplainFaultAccess
	case anonAgree && fileOf(sf) != fileOf(rf):
		d.Explained = ExplainFaultAround
	case simAnon > realAnon && copiesToUser(s):
		d.Explained = ExplainKernelMode
	}
	return []Difference{d}
}

func sumKinds(m map[engine.FaultKind]int, kinds ...engine.FaultKind) int {
	n := 0
	for _, k := range kinds {
		n += m[k]
	}
	return n
}

// copiesToUser reports whether the run made calls in which the kernel writes
// the program's memory.
func copiesToUser(r run) bool {
	for _, c := range r.calls {
		switch c.name {
		case "read", "pread", "pread64", "fstat", "stat", "mincore", "wait4", "waitpid":
			return true
		}
	}
	return false
}

// populates reports whether a successful call made pages present without
// the program touching them.
func populates(e *engine.Event) bool {
	if e.Errno != "" {
		return false
	}
	arg := func(i int) int64 {
		if i < len(e.Args) {
			return e.Args[i].Int
		}
		return 0
	}
	switch e.Name {
	case "mmap":
		return arg(3)&(engine.MAP_POPULATE|engine.MAP_LOCKED) != 0
	case "mlock", "mlock2", "mlockall":
		return true
	case "madvise":
		a := arg(2)
		return a == engine.MADV_POPULATE_READ || a == engine.MADV_POPULATE_WRITE || a == engine.MADV_WILLNEED
	}
	return false
}
