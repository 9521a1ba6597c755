package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/examples"
)

func noenv(string) string { return "" }

// runCmd runs the command as main would and returns its output and status.
func runCmd(t *testing.T, args ...string) (stdout, stderr string, status int) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, noenv, strings.NewReader(""), &out, &errb)
	status = exitCode(err, &errb)
	return out.String(), errb.String(), status
}

func writeProg(t *testing.T, src string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "prog.c")
	require.NoError(t, os.WriteFile(p, []byte(src), 0o644))
	return p
}

const sigbusProg = `#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>
int main(void) {
	int fd = open("data.bin", O_RDWR);
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	printf("first page: %c\n", p[0]);
	fflush(stdout);
	p[4096] = 'x'; /* wholly past the end of a 5-byte file: SIGBUS */
	printf("not reached\n");
	return 0;
}
`

func TestRunExitStatus(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data.bin")
	require.NoError(t, os.WriteFile(data, []byte("hello"), 0o644))
	tests := []struct {
		name       string
		args       []string
		wantStatus int
		wantOut    string
		wantErr    string
	}{
		{"exit status is the program's", []string{"run", writeProg(t, "int main(void){ return 3; }")}, 3, "", "+++ exited with 3 +++"},
		{"a signal is 128 plus its number", []string{"run", "--file", "data.bin=" + data, writeProg(t, sigbusProg)}, 128 + 7, "first page: h\n", "--- SIGBUS"},
		{"arguments after --", []string{"run", writeProg(t, `#include <stdio.h>
int main(int argc, char *argv[]) { printf("%d %s\n", argc, argv[2]); return 0; }`), "--", "a", "b"}, 0, "3 b\n", ""},
		{"compile errors: gcc's form, status 1", []string{"run", "--quiet", writeProg(t, "int main(void){ return o; }")}, 1, "", "prog.c:1:24: error: 'o' undeclared"},
		{"unknown engine is a usage error", []string{"run", "--engine", "vax", writeProg(t, "int main(void){return 0;}")}, 1, "", "unknown engine"},
		{"missing file", []string{"run", "/nonexistent.c"}, 1, "", "no such file"},
		{"a THP mode the kernel has not", []string{"run", "-thp", "sometimes", writeProg(t, "int main(void){return 0;}")}, 2, "", `-thp is "sometimes"; it must be always, madvise or never`},
		{"a folio size that is no power of two", []string{"run", "-max-folio", "3", writeProg(t, "int main(void){return 0;}")}, 2, "", "-max-folio is 3; it must be a power of two from 1 to 512"},
		{"a folio size past PMD order", []string{"run", "-max-folio", "1024", writeProg(t, "int main(void){return 0;}")}, 2, "", "-max-folio is 1024"},
		{"a negative fault-around", []string{"run", "-fault-around", "-1", writeProg(t, "int main(void){return 0;}")}, 2, "", "-fault-around is -1; it must be 1..512"},
		{"4 KiB folios run", []string{"run", "-quiet", "-max-folio", "1", writeProg(t, "int main(void){return 0;}")}, 0, "", ""},
		{"no file", []string{"run"}, 2, "", "usage"},
		{"unknown command", []string{"frobnicate"}, 2, "", "unknown command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errs, status := runCmd(t, tt.args...)
			assert.Equal(t, tt.wantStatus, status, "stderr: %s", errs)
			assert.Equal(t, tt.wantOut, out)
			assert.Contains(t, strings.ToLower(errs), strings.ToLower(tt.wantErr))
		})
	}
}

// --json prints one event per line, ending with the exit event.
func TestRunJSON(t *testing.T) {
	out, errs, status := runCmd(t, "run", "--json", "--example", "three_phases")
	require.Equal(t, 0, status, errs)
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	var last map[string]any
	n := 0
	for sc.Scan() {
		last = nil
		require.NoError(t, json.Unmarshal(sc.Bytes(), &last), sc.Text())
		n++
	}
	require.Greater(t, n, 3)
	assert.Equal(t, "exit", last["type"])
	assert.Contains(t, last, "vmas")
	assert.Contains(t, last, "counters")
}

func TestExamplesCommand(t *testing.T) {
	out, _, status := runCmd(t, "examples")
	assert.Equal(t, 0, status)
	assert.Contains(t, out, "three_phases")
	out, _, status = runCmd(t, "examples", "three_phases")
	assert.Equal(t, 0, status)
	assert.Contains(t, out, "mmap(")
	_, errs, status := runCmd(t, "examples", "nope")
	assert.Equal(t, 2, status)
	assert.Contains(t, errs, "no example")

	// In Chinese: the titles, and the program with its Chinese comments.
	ex, _ := examples.Get("three_phases")
	out, _, status = runCmd(t, "examples", "--lang", "zh")
	assert.Equal(t, 0, status)
	assert.Contains(t, out, ex.TitleZh)
	out, _, status = runCmd(t, "examples", "--lang", "zh", "three_phases")
	assert.Equal(t, 0, status)
	assert.Equal(t, ex.SourceZh, out)
	out, _, status = runCmd(t, "examples", "three_phases")
	assert.Equal(t, 0, status)
	assert.Equal(t, ex.Source, out)
	_, errs, status = runCmd(t, "examples", "--lang", "fr", "three_phases")
	assert.Equal(t, 2, status)
	assert.Contains(t, errs, "want en or zh")
}

// serve listens first (a busy address fails at once), answers /healthz,
// and stops cleanly when its context ends.
func TestServe(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer busy.Close()
	_, errs, status := runCmd(t, "serve", "--addr", busy.Addr().String())
	assert.Equal(t, 1, status)
	assert.Contains(t, errs, "address already in use")

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var out, errb bytes.Buffer
	go func() { done <- run(ctx, []string{"serve", "--addr", addr}, noenv, nil, &out, &errb) }()
	require.Eventually(t, func() bool {
		return runHealth(addr) == nil
	}, 10*time.Second, 50*time.Millisecond)
	assert.NoError(t, run(context.Background(), []string{"healthcheck", "http://" + addr + "/healthz"}, noenv, nil, &out, &errb))
	cancel()
	select {
	case err := <-done:
		assert.NoError(t, err)
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
}

func runHealth(addr string) error {
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		return os.ErrNotExist
	}
	return nil
}
