// Package nativec builds C programs with the host's gcc against a native
// <playground.h> and runs them: the truth the simulated kernel is held to.
//
// The native playground.h (package cc's, which the real engine builds
// with too) answers vma_count and show_maps from /proc/self/maps and
// present_pages and show_pages from /proc/self/pagemap; checkpoint is a
// marker only a tracer sees.
package nativec

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/mmapplayground/playground/internal/cc"
	"github.com/mmapplayground/playground/internal/engine"
)

// Header is the native <playground.h>.
var Header = cc.Header

// CFlags are the flags programs are built with.
var CFlags = []string{"-O2", "-Wall", "-std=gnu11"}

// HaveGCC reports whether gcc is on the PATH.
func HaveGCC() bool {
	_, err := exec.LookPath("gcc")
	return err == nil
}

// Compile builds src (named name, "prog.c" if empty) into dir/prog with
// gcc and the native playground.h. It returns the binary's path, and gcc's
// diagnostics with the source's path shortened to name; err is non-nil when
// the program did not compile.
func Compile(ctx context.Context, dir, name, src string) (binary, diagnostics string, err error) {
	if name == "" {
		name = "prog.c"
	}
	inc := filepath.Join(dir, "include")
	if err := os.MkdirAll(inc, 0o755); err != nil {
		return "", "", err
	}
	if err := os.WriteFile(filepath.Join(inc, "playground.h"), []byte(Header), 0o644); err != nil {
		return "", "", err
	}
	cfile := filepath.Join(dir, name)
	if err := os.WriteFile(cfile, []byte(src), 0o644); err != nil {
		return "", "", err
	}
	binary = filepath.Join(dir, "prog")
	args := append(append([]string{}, CFlags...), "-fdiagnostics-plain-output", "-I", inc, "-o", binary, name)
	cmd := exec.CommandContext(ctx, "gcc", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "LC_ALL=C") // plain quotes in diagnostics
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	return binary, out.String(), err
}

// Build compiles src for a test and returns the binary's path. It skips
// the test when gcc is missing and fails it when src does not compile or
// compiles with warnings.
func Build(t testing.TB, src string) string {
	t.Helper()
	if !HaveGCC() {
		t.Skip("gcc not found: native runs skipped")
	}
	bin, diag, err := Compile(context.Background(), t.TempDir(), "prog.c", src)
	if err != nil {
		t.Fatalf("gcc: %v\n%s", err, diag)
	}
	if strings.Contains(diag, "warning:") {
		t.Fatalf("gcc -Wall warns:\n%s", diag)
	}
	return bin
}

// PlaceFiles writes files (name -> content) into dir, and drops them from
// the page cache as both engines do (the model's files start on disk only;
// the real engine's worker syncs and drops them), so the program's first
// access is a major fault natively too.
func PlaceFiles(dir string, files map[string]string) error {
	for name, data := range files {
		if strings.Contains(name, "/") {
			return errors.New("nativec: file name with a slash: " + name)
		}
		if err := placeUncached(filepath.Join(dir, name), []byte(data)); err != nil {
			return err
		}
	}
	return nil
}

func placeUncached(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return dropCache(f)
}

// Run runs binary in dir with args (argv[1:]) and no standard input, with
// ASLR off as under `setarch -R` (the model's layout is that one), and
// SIGHUP, SIGINT and SIGQUIT at their default action even where this process
// was started with them ignored (nohup). status
// is the exit status, or 128 plus the signal's number when a signal ended
// it, and signal is that signal's name ("SIGBUS") or "".
func Run(ctx context.Context, binary, dir string, args []string) (stdout, stderr string, status int, signal string, err error) {
	defaultSignalsInChildren()
	warmLibraries()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Dir = dir
	cmd.Args[0] = "prog"
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = startNoASLR(cmd)
	if err == nil {
		err = cmd.Wait()
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		err = nil
	}
	if err != nil {
		return o.String(), e.String(), -1, "", err
	}
	ws := cmd.ProcessState.Sys().(syscall.WaitStatus)
	if ws.Signaled() {
		sig := int(ws.Signal())
		return o.String(), e.String(), 128 + sig, engine.SignalName(sig), nil
	}
	return o.String(), e.String(), ws.ExitStatus(), "", nil
}

// libraries are the shared objects every native run maps: the dynamic
// loader and the C library (the model's layout, internal/engine/sim's
// libLayouts, has the same two).
var libraries = []string{
	"/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
	"/usr/lib/x86_64-linux-gnu/libc.so.6",
}

// warmLibraries reads the loader and the C library through, so that all
// their pages are in the page cache when a native run starts. The model's
// pages present at main are fault-around's over those files fully cached;
// on a host whose page cache has lost one of libc's pages (other tests'
// memory pressure), start-up maps one page fewer (CI saw libc's text with
// 164 pages present where the model has 165). A file that is missing is
// left alone: the run then fails on its own terms.
func warmLibraries() {
	for _, lib := range libraries {
		if f, err := os.Open(lib); err == nil {
			_, _ = io.Copy(io.Discard, f)
			f.Close()
		}
	}
}

// An inspection line is one that show_maps or show_pages printed: it starts
// with an address ("7f12...-7f13... rw-p ..." or "7f12...000 present").
var inspectionLine = regexp.MustCompile(`(?m)^[0-9a-f]{8,16}(-[0-9a-f]{8,16} [-r][-w][-x][sp]| (none|present|swapped|zero|clean|dirty|cow|locked|device)\b).*\n?`)

var leadingAddress = regexp.MustCompile(`^[0-9a-f]{8,16}(-[0-9a-f]{8,16})?`)

// MaskAddresses replaces the address that starts each show_maps and
// show_pages line by "ADDR" ("ADDR-ADDR" for a range), so that the output of
// two runs on one machine compares equal.
func MaskAddresses(out string) string {
	return inspectionLine.ReplaceAllStringFunc(out, func(line string) string {
		return leadingAddress.ReplaceAllStringFunc(line, func(a string) string {
			if strings.Contains(a, "-") {
				return "ADDR-ADDR"
			}
			return "ADDR"
		})
	})
}

// StripInspection drops the lines show_maps and show_pages printed, which
// differ between the model and the machine by design (addresses, the
// loader's own areas), keeping everything else in order.
func StripInspection(out string) string {
	return inspectionLine.ReplaceAllString(out, "")
}
