//go:build linux

package corpus

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/loadavg"
	"github.com/mmapplayground/playground/internal/runner"
	"github.com/mmapplayground/playground/internal/sandbox"
)

//go:embed manifest.tsv
var manifestTSV []byte

//go:embed known_gaps.txt
var knownGapsTXT []byte

// TestMain lets this test binary be the real engine's worker.
func TestMain(m *testing.M) {
	sandbox.ServeIfWorker()
	os.Exit(m.Run())
}

// runTime bounds one run of one program on one engine (natively, the
// whole of a program's runs) on an idle machine; an engine's run gets it
// stretched by the load average (loadavg.Stretch) on a shared one, where
// a program under ptrace waits for the tracer's turn at every call.
const runTime = 60 * time.Second

// outcome is what a run printed and how it ended.
type outcome struct {
	Stdout, Stderr string
	Status         int
	Signal         string
	Compile        string // the interpreter's first compile error, if it refused the program
}

func (o outcome) end() string {
	if o.Signal != "" {
		return "killed by " + o.Signal
	}
	return fmt.Sprintf("exit %d", o.Status)
}

// TestCorpus builds and runs every applicable program of the manifest
// natively (twice, to see what varies from run to run), on the simulated
// engine and on the real engine, and holds each engine's run to the native
// one. A failure not in known_gaps.txt fails the test, and so does a listed
// one that now passes.
func TestCorpus(t *testing.T) {
	progs, err := ParseManifest(manifestTSV)
	require.NoError(t, err)
	gaps, err := ParseGaps(knownGapsTXT)
	require.NoError(t, err)
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Skip("gcc not found: the corpus needs native builds")
	}
	tree, err := OpenTree(CacheDir())
	require.NoError(t, err)
	if _, err := os.Stat(filepath.Join(manDir, "man2/mmap.2.gz")); err != nil && tree.Linux == "" {
		t.Skipf("neither %s nor %s is installed (.ci/run installs them): the corpus is skipped", ManPages, LinuxSource)
	}
	engines := []string{runner.EngineSim}
	if runner.Available(runner.EngineReal) == nil {
		engines = append(engines, runner.EngineReal)
	}
	known := map[string]bool{}
	for _, p := range progs {
		known[p.ID] = true
	}
	for _, g := range gaps {
		assert.True(t, known[g.ID], "known_gaps.txt names %s, which the manifest does not list", g.ID)
	}

	var (
		mu      sync.Mutex
		results = map[string]map[string]string{} // engine -> id -> "" (passed) or the cause
		absent  []string
		na      int
	)
	t.Run("programs", func(t *testing.T) {
		for _, p := range progs {
			t.Run(p.ID, func(t *testing.T) {
				if !p.Applicable() {
					mu.Lock()
					na++
					mu.Unlock()
					t.Skip("not applicable: " + p.NA)
				}
				t.Parallel()
				u, err := tree.Load(p)
				if errors.Is(err, ErrAbsent) {
					mu.Lock()
					absent = append(absent, p.ID)
					mu.Unlock()
					t.Skipf("%s is not installed", p.Package)
				}
				require.NoError(t, err)
				checkLicence(t, p, u)
				native := runNative(t, p, u)
				for _, eng := range engines {
					got := runEngine(t, eng, p, u, native.bin)
					cause := compare(got, native)
					mu.Lock()
					if results[eng] == nil {
						results[eng] = map[string]string{}
					}
					results[eng][p.ID] = cause
					mu.Unlock()
					g, listed := gaps[p.ID+" "+eng]
					switch {
					case cause != "" && !listed:
						t.Errorf("%s on %s: %s\n(a new failure: fix it, or list it in known_gaps.txt as\n%s\t%s\t%s)", p.ID, eng, cause, p.ID, eng, firstLine(cause))
					case cause == "" && listed:
						t.Errorf("%s passes on %s now: remove it from known_gaps.txt (it said: %s)", p.ID, eng, g.Cause)
					case cause != "":
						t.Logf("%s on %s: known gap (%s); now: %s", p.ID, eng, g.Cause, firstLine(cause))
					}
				}
			})
		}
	})
	var summary strings.Builder
	for _, eng := range engines {
		var pass, fail int
		for _, c := range results[eng] {
			if c == "" {
				pass++
			} else {
				fail++
			}
		}
		fmt.Fprintf(&summary, "%s: %d passed, %d failed\n", eng, pass, fail)
	}
	fmt.Fprintf(&summary, "corpus: %d programs, %d not applicable, %d from packages not installed\n", len(progs), na, len(absent))
	fmt.Print(summary.String())
	// go test ./... shows a passing package's output to no one: CI names a
	// file (CORPUS_SUMMARY) to find the counts in afterwards.
	if f := os.Getenv("CORPUS_SUMMARY"); f != "" {
		require.NoError(t, os.WriteFile(f, []byte(summary.String()), 0o644))
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// checkLicence holds the manifest's licence to the one the file states.
func checkLicence(t *testing.T, p Program, u *Unit) {
	t.Helper()
	id, note, _ := strings.Cut(p.Licence, " (")
	switch {
	case u.Licence != "":
		assert.Equal(t, u.Licence, id, "%s: the manifest's licence is not the file's SPDX identifier", p.ID)
	default:
		assert.Contains(t, note, "no SPDX line", "%s: the file has no SPDX line: say where its licence is stated", p.ID)
	}
}

// nativeLibs are the selftests' LDLIBS, and libbsd for the man pages'
// errc(): the native build's and gcc's build on the real engine.
var nativeLibs = []string{"-lrt", "-lpthread", "-lm", "-ldl", "-lcap", "-lnuma", "-lbsd"}

// nativeFlags are the package build's flags beyond the optimisation: the
// native build's, and gcc's build on the real engine.
func nativeFlags(u *Unit) []string {
	args := []string{"-w", "-U_FORTIFY_SOURCE"}
	if u.Dir != "" {
		// lib.mk: "Build with _GNU_SOURCE by default".
		args = append(args, "-D_GNU_SOURCE=", "-I", u.Dir)
		for _, inc := range u.Include {
			args = append(args, "-I", inc)
		}
		args = append(args, "-isystem", u.Headers)
	}
	return args
}

// buildNative compiles the program as its package's build does (the
// selftests' Makefiles: -O2, their include path and libraries).
func buildNative(t *testing.T, p Program, u *Unit, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, strings.TrimSuffix(u.Name, ".c"))
	args := []string{"-O2", "-std=gnu11"}
	args = append(args, nativeFlags(u)...)
	var files []string
	if u.Dir != "" {
		files = append(files, filepath.Join(u.Dir, u.Name))
		files = append(files, u.Sources...)
	} else {
		// A man page's program, and its own headers beside it.
		src := filepath.Join(dir, "src")
		require.NoError(t, os.MkdirAll(src, 0o755))
		for name, text := range u.Blocks {
			require.NoError(t, os.WriteFile(filepath.Join(src, name), []byte(text), 0o644))
		}
		args = append(args, "-I", src)
		files = append(files, filepath.Join(src, u.Name))
	}
	args = append(args, "-o", bin)
	args = append(args, files...)
	args = append(args, nativeLibs...)
	cmd := exec.Command("gcc", args...)
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s does not build natively: mark it not applicable, with the reason\n%s", p.ID, out)
	return bin
}

// native is what the native runs say: the first run, and which of its
// lines the second run printed differently (those are compared masked).
type native struct {
	outcome
	stdoutVaries, stderrVaries variation
	bin                        string // the build's path
}

// variation is how much two native runs of a stream differ.
type variation int

const (
	same     variation = iota
	numbers            // the same after masking numbers
	order              // the same lines, masked, in another order
	unstable           // not comparable (stderr only: not compared)
)

func runNative(t *testing.T, p Program, u *Unit) native {
	t.Helper()
	dir, err := os.MkdirTemp("", "corpus-build-")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(dir) })
	require.NoError(t, os.Chmod(dir, 0o755)) // the unprivileged user runs what is built here
	bin := buildNative(t, p, u, dir)
	a := nativeOnce(t, p, u, bin)
	b := nativeOnce(t, p, u, bin)
	n := native{outcome: a, bin: bin}
	n.stdoutVaries = vary(a.Stdout, b.Stdout)
	n.stderrVaries = vary(a.Stderr, b.Stderr)
	if p.Masked != "" {
		n.stdoutVaries = max(n.stdoutVaries, numbers)
		n.stderrVaries = max(n.stderrVaries, numbers)
	}
	if p.Unordered != "" {
		n.stdoutVaries = max(n.stdoutVaries, order)
		n.stderrVaries = max(n.stderrVaries, order)
	}
	if a.end() != b.end() {
		t.Fatalf("%s ends differently from one native run to the next (%s, %s): mark it not applicable", p.ID, a.end(), b.end())
	}
	if n.stdoutVaries == unstable {
		t.Fatalf("%s prints different lines from one native run to the next: mark it not applicable\n%s\n----\n%s", p.ID, a.Stdout, b.Stdout)
	}
	return n
}

// nativeOnce runs the binary in a fresh directory with the program's files,
// as an unprivileged user when the test runs as root (the playground's
// user is unprivileged, and both engines answer as for one).
func nativeOnce(t *testing.T, p Program, u *Unit, bin string) outcome {
	t.Helper()
	dir, err := os.MkdirTemp("", "corpus-run-")
	require.NoError(t, err)
	defer os.RemoveAll(dir)
	for name, data := range files(p, u) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(data), 0o666))
	}
	ctx, cancel := context.WithTimeout(context.Background(), runTime)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, p.Args...)
	cmd.Args[0] = "./" + strings.TrimSuffix(u.Name, ".c")
	cmd.Dir = dir
	cmd.Env = []string{"PATH=/usr/bin:/bin", "LC_ALL=C"}
	if os.Geteuid() == 0 {
		require.NoError(t, os.Chmod(dir, 0o777))
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	}
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("%s: %v", p.ID, err)
	}
	if ctx.Err() != nil {
		t.Fatalf("%s runs longer than %v natively: mark it not applicable", p.ID, runTime)
	}
	out := outcome{Stdout: o.String(), Stderr: e.String()}
	ws := cmd.ProcessState.Sys().(syscall.WaitStatus)
	if ws.Signaled() {
		out.Status, out.Signal = 128+int(ws.Signal()), engine.SignalName(int(ws.Signal()))
	} else {
		out.Status = ws.ExitStatus()
	}
	return out
}

func files(p Program, u *Unit) map[string]string {
	m := map[string]string{}
	for _, f := range p.Files {
		name, val, _ := strings.Cut(f, "=")
		if val == "@source" {
			val = u.Main
		}
		m[name] = val
	}
	return m
}

// runEngine runs the program through the runner, as the CLI and the API do.
// The simulated engine's program file is at the native build's path
// (engine.Options.ProgramPath), where the native run's is.
func runEngine(t *testing.T, eng string, p Program, u *Unit, bin string) outcome {
	t.Helper()
	// At most twice runTime: a program that hangs on an engine (a known
	// gap: pidfd_test on the real engine) waits it out, and go test's
	// 10 minutes are for the whole corpus.
	wall := min(loadavg.Stretch(runTime), 2*runTime)
	ctx, cancel := context.WithTimeout(context.Background(), wall+30*time.Second)
	defer cancel()
	var (
		mu     sync.Mutex
		so, se strings.Builder
		first  string
	)
	name := u.Name // __FILE__: as gcc's command line names the file
	if u.Dir != "" {
		name = filepath.Join(u.Dir, u.Name)
	}
	req := runner.Request{
		Engine: eng, Name: name, Source: u.Combined, Args: p.Args, Files: files(p, u),
		Limits: runner.Limits{WallTime: wall, SourceBytes: 1 << 20},
		// The model's wall clock starts now, as the native run's files
		// were made now: a program that prints a file's dates (man/stat's
		// ctime) prints the day the native run does.
		Options: engine.Options{BootTime: time.Now().Unix()},
	}
	if eng == runner.EngineSim {
		req.Options.ProgramPath = bin
	}
	if eng == runner.EngineReal {
		// gcc's build, as the native one is built (buildNative): a
		// selftest is its own file, its quoted includes found through -I
		// as its Makefile finds them, and its further sources built beside
		// it (the combined source is the interpreter's, with them inlined:
		// its order of headers is not the package's).
		req.CFlags, req.CLibs = nativeFlags(u), nativeLibs
		if u.Dir != "" {
			if src, err := os.ReadFile(filepath.Join(u.Dir, u.Name)); err == nil {
				req.Source = string(src)
				req.CFlags = append(req.CFlags, u.Sources...)
			}
		}
	}
	res, err := runner.Execute(ctx, req, func(e *engine.Event) {
		mu.Lock()
		defer mu.Unlock()
		switch e.Type {
		case engine.EvStdout:
			so.WriteString(e.Text)
		case engine.EvStderr:
			se.WriteString(e.Text)
		case engine.EvError:
			if first == "" {
				first = fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Message)
			}
		}
	})
	require.NoError(t, err, "%s on %s", p.ID, eng)
	mu.Lock()
	defer mu.Unlock()
	out := outcome{Stdout: so.String(), Stderr: se.String(), Status: res.Status, Signal: res.Signal}
	if res.CompileErrors > 0 {
		out.Compile = first
	}
	if out.Compile == "" && first != "" && res.Signal == "" && !strings.Contains(out.Stderr, first) {
		// The interpreter stopped the program (a limit, a missing function).
		out.Compile = "run: " + first
	}
	return out
}

// number is a number in a line of output (with the blanks that pad it to
// a width, which change with its digits).
var number = regexp.MustCompile(`[ \t]*(0x[0-9a-fA-F]+|[0-9a-fA-F]*[0-9][0-9a-fA-F]*)`)

func mask(s string) string {
	return number.ReplaceAllStringFunc(s, func(n string) string {
		if n[0] == ' ' || n[0] == '\t' {
			return " N"
		}
		return "N"
	})
}

func sortedLines(s string) string {
	l := strings.Split(s, "\n")
	sort.Strings(l)
	return strings.Join(l, "\n")
}

func vary(a, b string) variation {
	switch {
	case a == b:
		return same
	case mask(a) == mask(b):
		return numbers
	case sortedLines(mask(a)) == sortedLines(mask(b)):
		return order
	}
	return unstable
}

// compare says how got differs from the native run, or "" when it does
// not: stdout exactly (or masked, or as a set of masked lines, as far as
// the native runs themselves vary), stderr likewise where it is stable,
// and the ending.
func compare(got outcome, want native) string {
	if got.Compile != "" {
		return "refused: " + got.Compile
	}
	if d := diffStream("stdout", got.Stdout, want.Stdout, want.stdoutVaries); d != "" {
		return d
	}
	if want.stderrVaries != unstable {
		if d := diffStream("stderr", got.Stderr, want.Stderr, want.stderrVaries); d != "" {
			return d
		}
	}
	if got.end() != want.end() {
		return fmt.Sprintf("ends: %s, natively %s", got.end(), want.end())
	}
	return ""
}

func diffStream(name, got, want string, v variation) string {
	g, w := got, want
	if v >= numbers {
		g, w = mask(g), mask(w)
	}
	if v >= order {
		g, w = sortedLines(g), sortedLines(w)
	}
	if g == w {
		return ""
	}
	gl, wl := strings.Split(g, "\n"), strings.Split(w, "\n")
	for i := 0; ; i++ {
		var a, b string
		if i < len(gl) {
			a = gl[i]
		}
		if i < len(wl) {
			b = wl[i]
		}
		if a != b || i >= len(gl) || i >= len(wl) {
			a, b = clipPair(a, b)
			return fmt.Sprintf("%s line %d: %q, natively %q", name, i+1, a, b)
		}
	}
}

// clipPair shortens two long lines that differ to a window of each that
// shows where they part: from a little before their first differing byte,
// at most 120 bytes.
func clipPair(a, b string) (string, string) {
	const width, before = 120, 40
	start := 0
	for start < len(a) && start < len(b) && a[start] == b[start] {
		start++
	}
	start = max(0, start-before)
	clip := func(s string) string {
		out := s[min(start, len(s)):]
		if len(out) > width {
			out = out[:width] + "..."
		}
		if start > 0 {
			out = "..." + out
		}
		return out
	}
	return clip(a), clip(b)
}
