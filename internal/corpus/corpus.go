// Package corpus is the playground's corpus of real mmap programs written by
// others: the C examples of the Linux man pages (Debian's manpages-dev) and
// the kernel's own selftests (Debian's linux-source-6.12). The programs are
// never copied into this repository; manifest.tsv names each one (package,
// path in the package, licence, how it is built and run) and the test takes
// the text from the installed packages when it runs.
//
// The corpus test builds each program with gcc and runs it natively, on the
// simulated engine and on the real engine, and compares what they print and
// how they end. known_gaps.txt lists the programs that do not match yet, with
// the cause; it may only shrink.
package corpus

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

// Packages the corpus takes programs from.
const (
	ManPages    = "manpages-dev"
	LinuxSource = "linux-source-6.12"
)

// linuxTarball is where Debian's linux-source-6.12 puts the kernel's source.
const linuxTarball = "/usr/src/linux-source-6.12.tar.xz"

// manDir is where manpages-dev puts its pages.
const manDir = "/usr/share/man"

// Program is one row of the manifest.
type Program struct {
	ID      string   // unique: "man/mmap", "mm/mremap_test"
	Package string   // the Debian package it comes from
	Path    string   // the file in the package (for linux-source, in its tarball)
	Block   string   // a man page's program: the name its SRC BEGIN marker gives
	Licence string   // SPDX identifier, as the file says
	Sources []string // further .c files linked in (beside Path)
	Include []string // include directories (package paths), beside Path's own
	Args    []string // argv[1:]
	Files   []string // files placed in the working directory: "name=@source" (the program's text)
	NA      string   // why it is not run ("" when it is)
	// Unordered says why the program's lines come in no fixed order (""
	// when they do): they are compared as a set.
	Unordered string
	// Masked says why the program's numbers vary from run to run ("" when
	// they do not): its output is compared with numbers masked.
	Masked string
}

// Applicable reports whether the program is run.
func (p Program) Applicable() bool { return p.NA == "" }

// ParseManifest reads manifest.tsv: tab-separated columns id, package,
// path, block, licence, sources, include, args, files, run; "-" is empty;
// lists are comma-separated (args are space-separated); run is "yes" or
// "masked: why", "unordered: why" or "no: why". Lines starting with # are comments.
func ParseManifest(data []byte) ([]Program, error) {
	var ps []Program
	seen := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 10 {
			return nil, fmt.Errorf("manifest.tsv:%d: %d columns, want 10", n, len(f))
		}
		for i := range f {
			if f[i] == "-" {
				f[i] = ""
			}
		}
		list := func(s, sep string) []string {
			if s == "" {
				return nil
			}
			return strings.Split(s, sep)
		}
		p := Program{ID: f[0], Package: f[1], Path: f[2], Block: f[3], Licence: f[4],
			Sources: list(f[5], ","), Include: list(f[6], ","), Args: list(f[7], " "), Files: list(f[8], ",")}
		switch {
		case f[9] == "yes":
		case strings.HasPrefix(f[9], "masked: "):
			p.Masked = strings.TrimPrefix(f[9], "masked: ")
		case strings.HasPrefix(f[9], "unordered: "):
			p.Unordered = strings.TrimPrefix(f[9], "unordered: ")
		case strings.HasPrefix(f[9], "no: "):
			p.NA = strings.TrimPrefix(f[9], "no: ")
		default:
			return nil, fmt.Errorf("manifest.tsv:%d: run column %q: want yes or \"no: why\"", n, f[9])
		}
		if p.Package != ManPages && p.Package != LinuxSource {
			return nil, fmt.Errorf("manifest.tsv:%d: unknown package %q", n, p.Package)
		}
		if seen[p.ID] {
			return nil, fmt.Errorf("manifest.tsv:%d: %s listed twice", n, p.ID)
		}
		seen[p.ID] = true
		ps = append(ps, p)
	}
	return ps, sc.Err()
}

// Gap is one line of known_gaps.txt: a program that does not yet match on
// an engine, and why.
type Gap struct{ ID, Engine, Cause string }

// ParseGaps reads known_gaps.txt: "id<TAB>engine<TAB>cause" lines.
func ParseGaps(data []byte) (map[string]Gap, error) {
	gaps := map[string]Gap{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.SplitN(line, "\t", 3)
		if len(f) != 3 || (f[1] != "sim" && f[1] != "real") || f[2] == "" {
			return nil, fmt.Errorf("known_gaps.txt:%d: want \"id<TAB>sim|real<TAB>cause\"", n)
		}
		k := f[0] + " " + f[1]
		if _, dup := gaps[k]; dup {
			return nil, fmt.Errorf("known_gaps.txt:%d: %s on %s listed twice", n, f[0], f[1])
		}
		gaps[k] = Gap{ID: f[0], Engine: f[1], Cause: f[2]}
	}
	return gaps, sc.Err()
}

// ErrAbsent is returned when a program's package is not installed.
var ErrAbsent = errors.New("package not installed")

// Tree is a directory holding the programs' package files: the man pages
// where manpages-dev installs them, and the part of the kernel source the
// corpus uses, unpacked once from linux-source-6.12's tarball into a cache.
type Tree struct {
	Linux string // the unpacked kernel source ("" when the package is absent)
}

// Headers is the kernel's user-space headers in the unpacked tree, as
// `make headers_install` puts them in usr/include.
func (t *Tree) Headers() string { return filepath.Join(t.Linux, "usr/include") }

// linuxParts are the parts of the kernel's source the programs need.
var linuxParts = []string{
	"tools/testing/selftests/*", "mm/gup_test.h", "lib/test_hmm_uapi.h", "COPYING", "LICENSES/*",
	"include/uapi/*", "arch/x86/include/uapi/*", "arch/x86/entry/syscalls/syscall_64.tbl",
}

// CacheDir is where the kernel source is unpacked: $XDG_CACHE_HOME (or
// ~/.cache) /mmap-playground-corpus, or the system's cache when there is no
// home.
func CacheDir() string {
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "mmap-playground-corpus")
	}
	return "/var/cache/mmap-playground-corpus"
}

// OpenTree finds the packages, unpacking the kernel's tarball into cache
// on first use (into a temporary directory renamed into place, so two test
// processes never see half a tree).
func OpenTree(cache string) (*Tree, error) {
	t := &Tree{}
	if _, err := os.Stat(linuxTarball); err != nil {
		return t, nil
	}
	fi, err := os.Stat(linuxTarball)
	if err != nil {
		return t, nil
	}
	// The tarball's size and time name the unpacked tree, so an upgraded
	// package is unpacked afresh.
	// treeVersion says how the tree was made: a tree made by an
	// earlier version of this code is made afresh.
	const treeVersion = 2
	dir := filepath.Join(cache, fmt.Sprintf("linux-%d-%d-v%d", fi.Size(), fi.ModTime().Unix(), treeVersion))
	root := filepath.Join(dir, "linux-source-6.12")
	if _, err := os.Stat(filepath.Join(root, "COPYING")); err == nil {
		t.Linux = root
		return t, nil
	}
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(cache, "unpack-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	args := []string{"-xJf", linuxTarball, "-C", tmp, "--wildcards"}
	for _, p := range linuxParts {
		args = append(args, "linux-source-6.12/"+p)
	}
	if out, err := exec.Command("tar", args...).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("unpacking %s: %v\n%s", linuxTarball, err, out)
	}
	if err := installHeaders(filepath.Join(tmp, "linux-source-6.12")); err != nil {
		return nil, err
	}
	if err := configureMM(filepath.Join(tmp, "linux-source-6.12")); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, dir); err != nil && !errors.Is(err, os.ErrExist) {
		if _, serr := os.Stat(filepath.Join(root, "COPYING")); serr != nil {
			return nil, err
		}
	}
	t.Linux = root
	return t, nil
}

// configureMM makes the mm selftests' local_config.h as their Makefile
// does before it builds them ("local_config.mk local_config.h:
// check_config.sh", run as /bin/sh ./check_config.sh $(CC)): it records
// whether liburing is installed, and cow.c includes it.
func configureMM(root string) error {
	dir := filepath.Join(root, "tools/testing/selftests/mm")
	if _, err := os.Stat(filepath.Join(dir, "check_config.sh")); err != nil {
		return nil
	}
	cmd := exec.Command("/bin/sh", "./check_config.sh", "gcc")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("the mm selftests' check_config.sh: %v\n%s", err, out)
	}
	return nil
}

// Unit is a program ready to build: its files as the package has them, and
// the same program as one translation unit for the interpreter.
type Unit struct {
	Name     string            // the main file's base name: "mmap.c"
	Dir      string            // the main file's directory (linux-source) or ""
	Main     string            // the main file's text
	Sources  []string          // the other .c files' paths (linux-source)
	Include  []string          // include directories, in gcc's order
	Headers  string            // the kernel's user-space headers (linux-source)
	Blocks   map[string]string // a man page's programs and headers, by name
	Licence  string            // the SPDX identifier the file carries
	Combined string            // for the interpreter: quoted #includes inlined, further sources appended
}

// Load reads p's program from the installed packages.
func (t *Tree) Load(p Program) (*Unit, error) {
	switch p.Package {
	case ManPages:
		return loadMan(p)
	case LinuxSource:
		if t.Linux == "" {
			return nil, ErrAbsent
		}
		return t.loadLinux(p)
	}
	return nil, fmt.Errorf("unknown package %q", p.Package)
}

func loadMan(p Program) (*Unit, error) {
	path := filepath.Join("/", p.Path)
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrAbsent
	}
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	var page bytes.Buffer
	if _, err := page.ReadFrom(zr); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	src := page.String()
	blocks := ManExamples(src)
	main, ok := blocks[p.Block]
	if !ok {
		return nil, fmt.Errorf("%s: no program %q in EXAMPLES (it has %v)", path, p.Block, blockNames(blocks))
	}
	u := &Unit{Name: p.Block, Main: main, Blocks: blocks, Licence: spdx(src)}
	// A page's own headers (shm_open's pshm_ucase.h) are its other blocks.
	u.Combined = inline(p.Block, main, func(name string) (string, bool) {
		s, ok := blocks[name]
		return s, ok
	})
	return u, nil
}

func blockNames(m map[string]string) []string {
	var n []string
	for k := range m {
		n = append(n, k)
	}
	return n
}

func (t *Tree) loadLinux(p Program) (*Unit, error) {
	path := filepath.Join(t.Linux, p.Path)
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	dir := filepath.Dir(path)
	u := &Unit{Name: filepath.Base(path), Dir: dir, Main: string(b), Headers: t.Headers(), Licence: spdx(string(b))}
	for _, inc := range p.Include {
		u.Include = append(u.Include, filepath.Join(t.Linux, inc))
	}
	find := func(from, name string) (string, string, bool) {
		for _, d := range append([]string{from}, u.Include...) {
			f := d + "/" + name // as gcc forms it, so __FILE__ is gcc's
			if b, err := os.ReadFile(f); err == nil {
				return f, string(b), true
			}
		}
		return "", "", false
	}
	seen := map[string]bool{}
	var combined strings.Builder
	// The selftests' lib.mk builds every program with -D_GNU_SOURCE=
	// (buildNative passes it to gcc); the interpreter's one file says it
	// first.
	combined.WriteString(gnuSource + "\n")
	add := func(file, text string) {
		if file != path {
			// A further source: the name gcc's command line gives it, as
			// __FILE__ says it (the main file's is the run's Name).
			fmt.Fprintf(&combined, "#line 1 %q\n", file)
		}
		combined.WriteString(inlineFiles(file, text, find, seen, 0))
	}
	add(path, u.Main)
	for _, s := range p.Sources {
		f := filepath.Join(dir, s)
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		u.Sources = append(u.Sources, f)
		add(f, string(b))
	}
	u.Combined = combined.String()
	return u, nil
}

// gnuSource is what the selftests' -D_GNU_SOURCE= defines, as a directive.
const gnuSource = "#define _GNU_SOURCE"

var includeQuoted = regexp.MustCompile(`^\s*#\s*include\s*"([^"]+)"`)

// inlineFiles replaces each #include "name" found relative to the including
// file or on the include path by that file's text, once per translation
// unit (the headers guard themselves; a second inclusion adds nothing),
// with #line directives around it so positions keep their files and
// __FILE__ names them as gcc does.
func inlineFiles(file, text string, find func(from, name string) (string, string, bool), seen map[string]bool, depth int) string {
	var sb strings.Builder
	lines := strings.SplitAfter(text, "\n")
	for i, line := range lines {
		m := includeQuoted.FindStringSubmatch(line)
		if m == nil || depth > 16 {
			sb.WriteString(line)
			continue
		}
		// gcc looks beside the including file as it named it, uncleaned
		// ("dir/../x.h"), and __FILE__ says that name.
		dir := "."
		if i := strings.LastIndexByte(file, '/'); i >= 0 {
			dir = file[:i]
		}
		path, body, ok := find(dir, m[1])
		if !ok {
			sb.WriteString(line) // left for the compiler to report
			continue
		}
		if clean := filepath.Clean(path); !seen[clean] {
			seen[clean] = true
			fmt.Fprintf(&sb, "#line 1 %q\n", path)
			body = inlineFiles(path, body, find, seen, depth+1)
			sb.WriteString(body)
			if !strings.HasSuffix(body, "\n") {
				sb.WriteByte('\n')
			}
		}
		fmt.Fprintf(&sb, "#line %d %q\n", i+2, file)
	}
	return sb.String()
}

// inline is inlineFiles for a man page's blocks.
func inline(name, text string, block func(string) (string, bool)) string {
	return inlineFiles(name, text, func(_, n string) (string, string, bool) {
		s, ok := block(n)
		return n, s, ok
	}, map[string]bool{}, 0)
}

var spdxLine = regexp.MustCompile(`SPDX-License-Identifier:\s*([^\n*]+?)\s*(\*/)?\s*\n`)

// spdx is the licence a file's SPDX-License-Identifier line names.
func spdx(text string) string {
	if m := spdxLine.FindStringSubmatch(text); m != nil {
		return strings.TrimSpace(m[1])
	}
	return ""
}

// ManExamples returns the C programs and headers of a man page's groff
// source, by name: each ".\" SRC BEGIN (name)" ... ".\" SRC END" block
// (man-pages marks them so), or, for a page without markers, the first
// .EX block after ".SS Program source" under the name "PAGE.c". The text
// is as the reader sees it: macros dropped, escapes undone.
func ManExamples(groff string) map[string]string {
	out := map[string]string{}
	lines := strings.Split(groff, "\n")
	name := ""
	inEx := false
	var body strings.Builder
	unnamed := false
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, `.\" SRC BEGIN (`):
			name = strings.TrimSuffix(strings.TrimPrefix(l, `.\" SRC BEGIN (`), ")")
			body.Reset()
		case strings.HasPrefix(l, `.\" SRC END`):
			if name != "" {
				out[name] = body.String()
			}
			name = ""
		case strings.HasPrefix(l, ".SS Program source") && name == "":
			unnamed = true
		case l == ".EX":
			inEx = true
			if unnamed && name == "" {
				body.Reset()
			}
		case l == ".EE":
			inEx = false
			if unnamed && name == "" {
				out[pageName(groff)+".c"] = body.String()
				unnamed = false
			}
		case inEx && (name != "" || unnamed):
			if t, ok := groffLine(l); ok {
				body.WriteString(t)
				body.WriteByte('\n')
			}
		}
	}
	return out
}

// pageName is the name in the page's .TH line ("pkeys").
func pageName(groff string) string {
	for _, l := range strings.Split(groff, "\n") {
		if strings.HasPrefix(l, ".TH ") {
			f := strings.Fields(l)
			if len(f) > 1 {
				return strings.ToLower(strings.Trim(f[1], `"`))
			}
		}
	}
	return "page"
}

// groffEscapes are the escapes man-pages uses in its examples' code.
var groffEscapes = strings.NewReplacer(
	`\e`, `\`, `\-`, `-`, `\(aq`, `'`, `\[aq]`, `'`, `\(dq`, `"`, `\[dq]`, `"`,
	`\(ti`, `~`, `\[ti]`, `~`, `\(ha`, `^`, `\[ha]`, `^`, `\(rs`, `\`, `\[rs]`, `\`,
	`\(ga`, "`", `\[ga]`, "`", `\(em`, `--`, `\[em]`, `--`, `\(en`, `-`, `\[en]`, `-`,
	`\&`, ``, `\%`, ``, `\:`, ``, `\ `, ` `, `\fB`, ``, `\fI`, ``, `\fR`, ``, `\fP`, ``,
	`\f[B]`, ``, `\f[I]`, ``, `\f[R]`, ``, `\f[]`, ``, `\(bu`, `*`, `\(pc`, `.`,
)

// groffLine turns one line of an .EX block into text; ok is false for a
// line that is a request (".in", a comment), which the reader never sees.
func groffLine(l string) (string, bool) {
	if strings.HasPrefix(l, `.\"`) || strings.HasPrefix(l, `'\"`) {
		return "", false
	}
	if strings.HasPrefix(l, ".") {
		// .RB "$" " ./a.out" and the like belong to shell sessions, not code;
		// .in, .PP, .sp are layout.
		if strings.HasPrefix(l, ".sp") {
			return "", true
		}
		return "", false
	}
	return groffEscapes.Replace(l), true
}
