// Package cc is the host's C compiler as the real engine uses it: it finds
// the compiler, builds a program against the native <playground.h> (whose
// functions read /proc/self/maps and pagemap, and whose checkpoint is a
// marker the real engine's tracer sees), and turns the compiler's
// diagnostics into the same line:col errors the interpreter reports.
//
// The same header serves internal/nativec, which builds programs natively
// to hold the model to the kernel: one header, two users.
package cc

import (
	"bytes"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/mmapplayground/playground/internal/engine"
)

// Header is the native <playground.h>.
//
//go:embed include/playground.h
var Header string

// startSource is linked into every program: its constructor tells the
// tracer where the program's own part of the run begins.
//
//go:embed include/pg_start.c
var startSource string

// DefaultFlags are the flags a program is built with for the real engine:
// debug information for the line table, no optimisation so that each
// statement's accesses happen where the source says, and frame pointers so
// that the tracer can walk out of the C library to the program's own frame.
var DefaultFlags = []string{"-g", "-O0", "-fno-omit-frame-pointer", "-std=gnu11"}

// EnvCC names the compiler to use instead of cc or gcc on the PATH.
const EnvCC = "PLAYGROUND_CC"

// Find is the compiler's path: $PLAYGROUND_CC, else cc, else gcc on the
// PATH. Without one the error wraps engine.ErrUnsupported: the real engine
// cannot run here, and says so.
func Find(getenv func(string) string) (string, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	if c := getenv(EnvCC); c != "" {
		p, err := exec.LookPath(c)
		if err != nil {
			return "", fmt.Errorf("the real engine builds programs with %s=%s, which is not there: %w", EnvCC, c, engine.ErrUnsupported)
		}
		return p, nil
	}
	for _, c := range []string{"cc", "gcc", "/usr/bin/cc", "/usr/bin/gcc", "/usr/local/bin/cc", "/usr/local/bin/gcc"} {
		if p, err := exec.LookPath(c); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("the real engine builds programs with the host's C compiler, and this host has none (no cc or gcc on the PATH; set %s): %w", EnvCC, engine.ErrUnsupported)
}

// Spec is one build.
type Spec struct {
	CC    string   // the compiler (Find)
	Dir   string   // where the source, the header and the binary go
	Name  string   // the source's file name, "prog.c" by default
	Src   string   // the program
	Flags []string // nil: DefaultFlags
	Libs  []string // after the sources: "-lm", "-lbsd"
	Env   []string // the compiler's environment; nil: PATH and LC_ALL=C
}

// Diagnostic is one error the compiler reported, where it points.
type Diagnostic struct {
	Line, Col int
	Message   string
}

// Place writes what Build writes before it compiles (the source, the
// native <playground.h> and the start file) and says where Build would put
// the binary: a build from the cache (Key) leaves the directory as its
// own build would have.
func Place(s Spec) (binary string, err error) {
	_, binary, err = s.place()
	return binary, err
}

// place writes the build's inputs into s.Dir: name is the source's file
// name there, binary the program's path.
func (s Spec) place() (name, binary string, err error) {
	name = s.Name
	if name == "" {
		name = "prog.c"
	}
	src := s.Src
	if strings.Contains(name, "/") && !strings.ContainsAny(name, "\"\\\n\x00") {
		// A path (a package's file, as its build names it): the file is
		// written by its base name, and __FILE__ and the line table say the
		// path, as gcc says it for "gcc path/file.c".
		src = "#line 1 \"" + name + "\"\n" + src
		name = filepath.Base(name)
	}
	if strings.ContainsAny(name, "/\x00") || !strings.HasSuffix(name, ".c") {
		name = "prog.c"
	}
	inc := filepath.Join(s.Dir, ".include")
	if err := os.MkdirAll(inc, 0o755); err != nil {
		return "", "", err
	}
	if err := os.WriteFile(filepath.Join(inc, "playground.h"), []byte(Header), 0o644); err != nil {
		return "", "", err
	}
	start := filepath.Join(inc, "pg_start.c")
	if err := os.WriteFile(start, []byte(startSource), 0o644); err != nil {
		return "", "", err
	}
	if err := os.WriteFile(filepath.Join(s.Dir, name), []byte(src), 0o644); err != nil {
		return "", "", err
	}
	// The binary is named for the source, as "gcc prog.c -o prog" names
	// it (a placed file of that name keeps it: the binary takes ".out").
	binary = filepath.Join(s.Dir, strings.TrimSuffix(name, ".c"))
	if _, err := os.Lstat(binary); err == nil {
		binary += ".out"
	}
	return name, binary, nil
}

// Key names what a build of s makes, for a cache of builds: the compiler
// (its path, and its size and time, which change when it is upgraded), the
// flags and libraries, the source, the native header and start file, and
// the other files placed beside the source (which it may include), by
// name. Two specs with the same key build the same program.
func Key(s Spec, files map[string]string) (string, error) {
	st, err := os.Stat(s.CC)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	field := func(v string) {
		var n [8]byte
		binary.LittleEndian.PutUint64(n[:], uint64(len(v)))
		h.Write(n[:])
		h.Write([]byte(v))
	}
	field(s.CC)
	field(strconv.FormatInt(st.Size(), 10) + " " + strconv.FormatInt(st.ModTime().UnixNano(), 10))
	flags := s.Flags
	if flags == nil {
		flags = DefaultFlags
	}
	for _, list := range [][]string{flags, s.Libs, s.Env} {
		field(strconv.Itoa(len(list)))
		for _, f := range list {
			field(f)
		}
	}
	field(s.Name)
	field(s.Src)
	field(Header)
	field(startSource)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		field(n)
		field(files[n])
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Build compiles s into s.Dir/prog. binary is the program's path; diags are
// the compiler's errors (not its warnings) with their positions, and out is
// all it printed, with the directory's path taken out. err is non-nil when
// no binary was made: with diags when the program is at fault, without
// when the compiler could not run.
func Build(ctx context.Context, s Spec) (binary string, diags []Diagnostic, out string, err error) {
	name, binary, err := s.place()
	if err != nil {
		return "", nil, "", err
	}
	inc := filepath.Join(s.Dir, ".include")
	start := filepath.Join(inc, "pg_start.c")
	flags := s.Flags
	if flags == nil {
		flags = DefaultFlags
	}
	// Columns in bytes (gcc's default counts a tab as up to 8), as the
	// interpreter counts them.
	args := append(append([]string{}, flags...), "-fdiagnostics-plain-output", "-fno-diagnostics-color", "-fdiagnostics-column-unit=byte",
		"-I", inc, "-o", binary, name, start)
	args = append(args, s.Libs...)
	cmd := exec.CommandContext(ctx, s.CC, args...)
	cmd.Dir = s.Dir
	cmd.Env = s.Env
	if cmd.Env == nil {
		cmd.Env = []string{"PATH=/usr/bin:/bin", "LC_ALL=C"}
	}
	var b bytes.Buffer
	cmd.Stdout, cmd.Stderr = &b, &b
	runErr := cmd.Run()
	out = strings.ReplaceAll(b.String(), s.Dir+"/", "")
	diags = Diagnostics(name, out)
	if runErr != nil {
		if len(diags) == 0 {
			var exit *exec.ExitError
			if !errors.As(runErr, &exit) {
				return "", nil, out, fmt.Errorf("running the compiler: %w", runErr)
			}
			// A failure with no positioned error: the linker's (an undefined
			// function), or a limit that stopped the compiler.
			msg := strings.TrimSpace(lastLines(out, 3))
			if msg == "" {
				msg = "the compiler failed: " + runErr.Error()
			}
			diags = []Diagnostic{{Message: msg}}
		}
		return "", diags, out, errors.New("the program did not compile")
	}
	return binary, nil, out, nil
}

// diagLine is "prog.c:12:5: error: ..." (gcc and clang, plain output).
var diagLine = regexp.MustCompile(`^([^:\n]+):(\d+):(?:(\d+):)? (?:fatal )?error: (.*)$`)

// Diagnostics picks the errors about the file name out of a compiler's
// output, in order.
func Diagnostics(name, out string) []Diagnostic {
	var ds []Diagnostic
	for _, line := range strings.Split(out, "\n") {
		m := diagLine.FindStringSubmatch(line)
		if m == nil || filepath.Base(m[1]) != name {
			continue
		}
		ln, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		ds = append(ds, Diagnostic{Line: ln, Col: col, Message: m[4]})
	}
	return ds
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}
