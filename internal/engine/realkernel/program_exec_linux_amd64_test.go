package realkernel

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/nativec"
)

// A process that executes another program is killed at its execve: the
// real engine runs only the program it built. Each case would run for ever
// were the execve refused and the program left to go on (its other thread
// waits for ever, as pidfd_test's child does), so each ending at all, and
// killed by SIGKILL, is the test; and the exec never reaches the kernel:
// at the call's event the process's executable is still its program.
func TestExecEndsTheProcess(t *testing.T) {
	tests := []struct {
		name string
		src  string
		exit Exit
		out  string
	}{
		{"a thread of the first process", `#include <pthread.h>
#include <unistd.h>
static void *run(void *arg)
{
	char *argv[] = { "true", NULL };
	execve("/bin/true", argv, NULL);
	return NULL;
}
int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, run, NULL);
	for (;;)
		pause();
}
`, Exit{Status: 128 + 9, Signal: "SIGKILL"}, ""},
		{"a thread of a child, its parent waiting", `#include <pthread.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
static void *run(void *arg)
{
	execl("/bin/sleep", "sleep", "1", (char *)NULL);
	return NULL;
}
int main(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		pthread_t t;
		pthread_create(&t, NULL, run, NULL);
		for (;;)
			pause();
	}
	int st;
	waitpid(pid, &st, 0);
	printf("child: signal %d\n", WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	return 0;
}
`, Exit{}, "child: signal 9\n"},
		{"the first process itself", `#include <unistd.h>
int main(void)
{
	execl("/bin/true", "true", (char *)NULL);
	return 3;
}
`, Exit{Status: 128 + 9, Signal: "SIGKILL"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var still []string // the process's executable at its execve's event
			evs, exit := traceWith(t, tt.src, ProgramOptions{}, func(p *Program, e *engine.Event) {
				if e.Type == engine.EvSyscall && e.Name == "execve" {
					exe, _ := os.Readlink(fmt.Sprintf("/proc/%d/exe", e.Pid))
					still = append(still, exe)
				}
			})
			assert.Equal(t, tt.exit, exit)
			assert.Empty(t, ofType(evs, engine.EvError), "the run ends by itself, not at its time limit")
			var out strings.Builder
			for _, e := range ofType(evs, engine.EvStdout) {
				out.WriteString(e.Text)
			}
			assert.Equal(t, tt.out, out.String())
			var execs []engine.Event
			for _, e := range ofType(evs, engine.EvSyscall) {
				if e.Name == "execve" {
					execs = append(execs, e)
				}
			}
			require.Len(t, execs, 1, "the execve, told once")
			assert.Equal(t, int64(0), execs[0].Ret, "it succeeded")
			assert.NotZero(t, execs[0].Line, "at its caller's line")
			var said bool
			for _, n := range ofType(evs, engine.EvNote) {
				said = said || strings.Contains(n.Message, "executed /usr/bin/") && strings.Contains(n.Message, "killed (SIGKILL) at its exec")
			}
			assert.True(t, said, "a note says why the process ended")
			require.Len(t, still, 1)
			assert.True(t, strings.HasSuffix(still[0], "/prog"), "killed still its program, %q: the exec never reached the kernel", still[0])
		})
	}
}

// An execve that fails answers the kernel's errno, as the same program's
// native build gets it in a terminal.
func TestFailedExecAnswersTheKernelsErrno(t *testing.T) {
	if !nativec.HaveGCC() {
		t.Skip("no gcc")
	}
	src := `#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
static void try(const char *path)
{
	char *argv[] = { (char *)path, NULL };
	execve(path, argv, NULL);
	printf("%s: %s\n", path, strerrorname_np(errno));
}
int main(void)
{
	int fd = open("text", O_CREAT | O_WRONLY | O_TRUNC, 0755);
	write(fd, "hello\n", 6);
	close(fd);
	close(open("noexec", O_CREAT | O_WRONLY | O_TRUNC, 0644));
	fd = open("binary", O_CREAT | O_WRONLY | O_TRUNC, 0755);
	write(fd, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
	close(fd);
	mkdir("dir", 0755);
	mkfifo("fifo", 0755);
	try("nonexistent");
	try("dir");
	try("fifo");
	try("noexec");
	try("text");
	try("/dev/null");
	try("");
	try("binary");
	try("text/");
	try("nodir/x");
	char *argv[] = { "text", NULL };
	fexecve(open("text", O_RDONLY), argv, NULL);
	printf("fexecve(text): %s\n", strerrorname_np(errno));
	return 0;
}
`
	dir := t.TempDir()
	bin, diag, err := nativec.Compile(context.Background(), dir, "prog.c", src)
	require.NoError(t, err, diag)
	want, _, status, _, err := nativec.Run(context.Background(), bin, t.TempDir(), nil)
	require.NoError(t, err)
	require.Equal(t, 0, status)
	evs, exit := trace(t, src, ProgramOptions{})
	assert.Equal(t, Exit{}, exit)
	var out strings.Builder
	for _, e := range ofType(evs, engine.EvStdout) {
		out.WriteString(e.Text)
	}
	assert.Equal(t, want, out.String())
	assert.Contains(t, want, "text: ENOEXEC", "the native run's answers")
}
