package interp

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/examples"
	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/engine/sim"
)

// interfaceOnly is the simulated engine seen through engine.Engine alone:
// no DirectPage, so every load and store crosses the interface. Its job
// control (jobctl.go), its vDSO and its loader's list (vdso.go), its
// clock's moving with the steps (engine.Stepper) and its timers
// (engine.Timers) stay, which change what runs, not how memory is
// reached. Its deferred SIGKILL (jobctl.go's dying) stays too, and its
// ptrace stops and the faults of a return to code gone (ptrace.go).
type interfaceOnly struct{ engine.Engine }

func (e interfaceOnly) Stopped(pid int) bool { return e.Engine.(jobControl).Stopped(pid) }

func (e interfaceOnly) Dying(pid int) bool { return e.Engine.(dying).Dying(pid) }

func (e interfaceOnly) SignalStop(pid, sig int) bool { return e.Engine.(tracing).SignalStop(pid, sig) }

func (e interfaceOnly) ResumeSignal(pid int) int { return e.Engine.(tracing).ResumeSignal(pid) }

func (e interfaceOnly) ReturnFault(pid int, call string) *engine.Signal {
	return e.Engine.(returnFaults).ReturnFault(pid, call)
}

func (e interfaceOnly) TakeQueued(pid int, blocked uint64) (engine.QueuedSignal, bool) {
	return e.Engine.(sigQueues).TakeQueued(pid, blocked)
}

func (e interfaceOnly) Stepped(steps uint64) { e.Engine.(engine.Stepper).Stepped(steps) }

func (e interfaceOnly) Expired(pid int) int { return e.Engine.(engine.Timers).Expired(pid) }

func (e interfaceOnly) VDSOBase(pid int) uint64 { return e.Engine.(engine.VDSO).VDSOBase(pid) }
func (e interfaceOnly) VDSOLookup(pid int, name string) uint64 {
	return e.Engine.(engine.VDSO).VDSOLookup(pid, name)
}
func (e interfaceOnly) LinkMaps(pid int) []engine.LinkMap {
	return e.Engine.(engine.Loader).LinkMaps(pid)
}
func (e interfaceOnly) CallVDSO(pid int, addr uint64, args []int64) (engine.Result, bool) {
	return e.Engine.(engine.VDSO).CallVDSO(pid, addr, args)
}

// trace runs prog on eng and returns every event as JSON lines.
func trace(t *testing.T, src string, args []string, files map[string]string, eng engine.Engine) string {
	t.Helper()
	prog, diags := Compile("prog.c", src)
	require.Empty(t, diags)
	for n, c := range files {
		require.NoError(t, eng.WriteFile(n, []byte(c)))
	}
	var out bytes.Buffer
	prog.Run(context.Background(), eng, Config{Args: args}, func(e *engine.Event) {
		out.Write(e.AppendJSON(nil))
		out.WriteByte('\n')
	})
	return out.String()
}

// tlbPrograms touch memory in the ways that must reach the engine: first
// touches, writes to clean, read-only and copy-on-write pages after
// reads, sparse pages filled a byte at a time, mprotect, munmap, fork,
// MADV_DONTNEED, and faults that kill.
var tlbPrograms = map[string]string{
	"cow after fork": `#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void) {
	size_t n = 64 << 10;
	unsigned char *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (size_t i = 0; i < n; i++) p[i] = p[i] + 1;
	pid_t c = fork();
	for (size_t i = 0; i < n; i += 7) p[i] += 2;
	if (c == 0) { printf("child %d\n", p[7]); return 0; }
	wait(NULL);
	printf("parent %d %d\n", p[7], p[8]);
	return 0;
}
`,
	"mprotect and munmap": `#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
static unsigned char *p;
static void h(int s) { (void)s; printf("segv\n"); exit(0); }
int main(void) {
	size_t n = 16 << 10;
	signal(SIGSEGV, h);
	p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long s = 0;
	for (size_t i = 0; i < n; i++) s += p[i];
	for (size_t i = 0; i < n; i++) p[i] = (unsigned char)i;
	madvise(p, 4096, MADV_DONTNEED);
	for (size_t i = 0; i < n; i++) s += p[i];
	mprotect(p, n, PROT_READ);
	for (size_t i = 0; i < n; i++) s += p[i];
	printf("%ld\n", s);
	munmap(p + 4096, 4096);
	p[4096] = 1;
	return 1;
}
`,
	"file mapping": `#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>
int main(void) {
	int fd = open("data.bin", O_RDWR);
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	int *q = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	long s = 0;
	for (int i = 0; i < 4096; i++) s += p[i];
	for (int i = 0; i < 1024; i++) q[i] += i;
	for (int i = 0; i < 4096; i += 3) p[i] = 'x';
	msync(p, 4096, MS_SYNC);
	printf("%ld %d %c\n", s, q[5], p[3]);
	return 0;
}
`,
}

// TestSoftTLBChangesNoEvent holds the software TLB to its promise: every
// program gives the same events, byte for byte, with the engine's
// DirectPage as without it.
func TestSoftTLBChangesNoEvent(t *testing.T) {
	_, ok := any(sim.New(engine.Options{})).(directMemory)
	require.True(t, ok, "the simulated engine hands out pages")
	type prog struct {
		src   string
		args  []string
		files map[string]string
	}
	progs := map[string]prog{}
	data := map[string]string{"data.bin": strings.Repeat("0123456789abcdef", 256)}
	for name, src := range tlbPrograms {
		progs[name] = prog{src, nil, data}
	}
	files, err := filepath.Glob("testdata/*.c")
	require.NoError(t, err)
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		progs["testdata/"+filepath.Base(f)] = prog{string(b), []string{"data.bin"}, data}
	}
	for _, ex := range examples.All() {
		if ex.RunsOn("sim") && !ex.Expect.CompileError {
			progs["example "+ex.Name] = prog{ex.Source, ex.Args, ex.Files}
		}
	}
	for name, p := range progs {
		t.Run(name, func(t *testing.T) {
			direct := trace(t, p.src, p.args, p.files, sim.New(engine.Options{}))
			through := trace(t, p.src, p.args, p.files, interfaceOnly{sim.New(engine.Options{})})
			assert.Equal(t, through, direct)
		})
	}
}
