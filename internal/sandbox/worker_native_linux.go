package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/mmapplayground/playground/internal/cc"
	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/engine/realkernel"
)

// runNative is the real engine: the program as the host's C compiler
// builds it, in a process of its own under the worker's ptrace.
//
//	worker                              launcher (this binary again)       program
//	place the files; cc -g -O0 ...
//	lock a thread; fork+exec ───────▶  PTRACE_TRACEME; rlimits; ASLR off;
//	                                    no_new_privs; the program's seccomp
//	                                    filter; execve(prog) ─────────────▶ runs, traced:
//	no_new_privs; the worker's filter                                       every call, fault,
//	(plus ptrace); follow the program ◀──────── stops ───────────────────── signal, fork, exit
//
// The launcher and the program live in the worker's namespaces; the
// program's address space is its own (RLIMIT_AS is MapBytes for it).
func (w *worker) runNative(ctx context.Context, job Job, l Limits, dir string, isolation []string, setLimit func(res int, cur, max uint64, what string)) error {
	names := make([]string, 0, len(job.Files))
	for n := range job.Files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := realkernel.PlaceFile(dir, n, []byte(job.Files[n])); err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			w.fail("placing "+n+": "+err.Error(), 1, "")
			return nil
		}
	}
	if job.CC == "" {
		// A job from a caller that did not name the compiler: the
		// worker's own search (its PATH, then the usual places).
		c, err := cc.Find(os.Getenv)
		if err != nil {
			w.fail(err.Error(), 1, "")
			return nil
		}
		job.CC = c
	}
	// The compiler runs under the worker's limits: its CPU time, and an
	// address space of the worker's size plus the program's budget.
	if size := vmSize(); size > 0 {
		lim := size + l.MapBytes + 256<<20
		setLimit(unix.RLIMIT_AS, lim, lim, fmt.Sprintf("RLIMIT_AS %d MiB for the worker and the compiler", lim>>20))
	}
	name := job.Name
	if name == "" {
		name = "prog.c"
	}
	// Said before the build, so that a paced run (the page's) waits here,
	// at its first event, and the build is the first step's work.
	flags := job.CFlags
	if flags == nil {
		flags = cc.DefaultFlags
	}
	flags = append(append([]string(nil), flags...), job.CLibs...)
	how := "the real engine builds " + name + " with " + job.CC + " " + strings.Join(flags, " ") + " and runs it in a process of its own under ptrace"
	if len(job.Binary) > 0 {
		how += " (this build is an identical earlier run's, from the server's build cache)"
	}
	w.emit(&engine.Event{Type: engine.EvNote, Message: how})
	spec := cc.Spec{CC: job.CC, Dir: dir, Name: name, Src: job.Source, Flags: job.CFlags, Libs: job.CLibs}
	bin, ok := w.build(ctx, spec, job)
	if !ok {
		return nil
	}
	self, err := os.Executable()
	if err != nil {
		w.fail("the real engine cannot find its own binary: "+err.Error(), 1, "")
		return nil
	}
	user, who := w.unprivileged(dir)
	isolation = append(isolation, who)
	// ptrace answers only the thread that attached: the whole run stays on
	// this one.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	prog, err := realkernel.StartProgram(realkernel.ProgramOptions{
		Dir: dir, Binary: bin, Source: filepath.Base(name), Args: job.Args, Launcher: []string{self, "launch"},
		MapBytes: l.MapBytes, FileBytes: l.FileBytes, OpenFiles: l.OpenFiles, Output: l.Output, ASLR: job.ASLR, Terminal: job.Terminal, User: user,
		// A paced run (the page's session) steps by fault too: the program
		// stops at each fault, where its event shows it, while the page
		// steps by fault (the parent's "fault-stops" queries).
		StopAtFaults: job.Paced,
	})
	if err != nil {
		w.fail("the real engine cannot start the program: "+err.Error(), 1, "")
		return nil
	}
	// Asked for while the program was built (by the one goroutine, this
	// one, that has read the queries so far).
	prog.SetFaultStops(w.wantedFaultStops())
	w.eng = prog
	if prog.PrivateDirs() {
		isolation = append(isolation, "the program's /tmp and /dev/shm are its own (its directory's .tmp, and a tmpfs of 16 MiB, in a mount namespace of its own)")
	} else {
		isolation = append(isolation, "no /tmp nor /dev/shm for the program (the host refused a mount namespace, or there is no Landlock)")
	}
	// Queries are answered as they come, while the program runs or waits
	// (its state is in /proc); acknowledgements go to the paced emit.
	w.acks = make(chan struct{})
	go func() {
		defer close(w.acks)
		for q := range w.queries {
			if q.Q == "ack" {
				if w.isPaced() {
					w.acks <- struct{}{}
				}
				continue
			}
			w.answer(q)
		}
	}()
	isolation = append(isolation, fmt.Sprintf("the program: RLIMIT_AS %[1]d MiB (%[1]d MiB for the program's mappings), RLIMIT_NOFILE %d, RLIMIT_FSIZE %d, no_new_privs, ASLR %s, its own seccomp filter (no ptrace, namespaces, mounts, sockets, BPF, io_uring, modules; execve never reaches the kernel: one that would run another program kills the process), at most %d processes; calls naming a process that is not the program's are refused",
		l.MapBytes>>20, l.OpenFiles, l.FileBytes, map[bool]string{true: "on", false: "off"}[job.ASLR], 32))
	if abi := realkernel.LandlockABI(); abi > 0 {
		scope := "ptrace-level access to its own processes only"
		if realkernel.LandlockScopesSignals(abi) {
			scope = "ptrace-level access and signals to its own processes only"
		}
		isolation = append(isolation, fmt.Sprintf("Landlock (ABI %d): the program's paths are its directory, its own /tmp and /dev/shm where it has them, the system's libraries (read), /proc and /sys/kernel/mm (read), its own /proc/PID, /dev/null, /dev/zero and /dev/urandom; others EACCES; %s", abi, scope))
	} else {
		isolation = append(isolation, "paths: not confined (this kernel has no Landlock): the program can read what the worker's user can")
	}
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err == nil {
		isolation = append(isolation, "no_new_privs")
	} else {
		isolation = append(isolation, "no_new_privs: not set ("+err.Error()+")")
	}
	if err := installSeccomp(tracerSyscalls, tracerRules); err == nil {
		isolation = append(isolation, "seccomp filter on the worker (its own calls and the tracer's; others fail with EPERM)")
	} else {
		isolation = append(isolation, "seccomp: not installed ("+err.Error()+")")
	}
	w.emit(&engine.Event{Type: engine.EvNote, Message: "sandbox: " + strings.Join(isolation, "; ")})
	ctx, cancel := context.WithTimeoutCause(ctx, l.WallTime, fmt.Errorf("wall-time limit exceeded (%s): the program was killed", l.WallTime))
	defer cancel()
	prog.Run(ctx, w.emit, nil)
	return nil
}

// build is the program's binary: the cache's (job.Binary), placed as its
// own build would have left the directory, or gcc's build of it, sent to
// the parent for its cache when it asks (job.SendBuild). ok is false when
// the run has ended (a compile error, a compiler that failed or took too
// long).
func (w *worker) build(ctx context.Context, spec cc.Spec, job Job) (bin string, ok bool) {
	if len(job.Binary) > 0 {
		bin, err := cc.Place(spec)
		if err == nil {
			err = os.WriteFile(bin, job.Binary, 0o755)
		}
		if err != nil {
			w.fail("the real engine could not place the program's build: "+err.Error(), 1, "")
			return "", false
		}
		return bin, true
	}
	// The compiler has a wall time of its own (the run's), before the
	// program's starts: the parent's kill at WallTime + compileTime covers both.
	cctx, ccancel := context.WithTimeout(ctx, compileTime)
	bin, diags, _, err := cc.Build(cctx, spec)
	late := errors.Is(cctx.Err(), context.DeadlineExceeded)
	ccancel()
	if late {
		w.fail(fmt.Sprintf("the compiler took longer than %s: the build was stopped", compileTime), 1, "")
		return "", false
	}
	if err != nil {
		if len(diags) == 0 {
			w.fail("the real engine could not build the program: "+err.Error(), 1, "")
			return "", false
		}
		for _, d := range diags {
			w.emit(&engine.Event{Type: engine.EvError, Message: d.Message, Line: d.Line, Col: d.Col})
		}
		w.emit(&engine.Event{Type: engine.EvExit, Status: 1, Counters: &engine.Counters{}})
		return "", false
	}
	if job.SendBuild {
		w.sendBuild(bin)
	}
	return bin, true
}

// sendBuild sends the parent the binary gcc built, before the program
// runs (nothing of the program's has touched it yet), for its cache.
func (w *worker) sendBuild(bin string) {
	st, err := os.Stat(bin)
	if err != nil || st.Size() > maxCachedBinary {
		return
	}
	b, err := os.ReadFile(bin)
	if err != nil {
		return
	}
	line, err := json.Marshal(struct {
		Type   string `json:"type"`
		Binary []byte `json:"binary"`
	}{"built", b})
	if err != nil {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.out.Write(append(line, '\n'))
}

// programUser is whom gcc's build runs as when the worker is root:
// nobody, as a terminal's unprivileged user (the corpus's native runs are
// nobody's too).
var programUser = realkernel.UserID{UID: 65534, GID: 65534}

// unprivileged says whom the program runs as, and the note's words for
// it. A worker run by an unprivileged user leaves the program that user. A
// worker that is root (in its namespace, a server run as root) would give
// the program root's ownership of the host's root-owned files and a
// capability over them, held back only by Landlock: the program runs as
// programUser, which owns its directory; where that user cannot be made
// (a namespace that does not map it) it runs as root and the note says so.
func (w *worker) unprivileged(dir string) (*realkernel.UserID, string) {
	if os.Geteuid() != 0 {
		return nil, fmt.Sprintf("the program runs as the worker's user (uid %d)", os.Geteuid())
	}
	u := programUser
	err := filepath.WalkDir(dir, func(path string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(path, u.UID, u.GID)
	})
	if err != nil {
		return nil, "the program runs as root: nobody (uid 65534) cannot own its directory here (" + err.Error() + ")"
	}
	return &u, "the program runs as nobody (uid 65534), owner of its directory"
}

func (w *worker) isPaced() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.paced
}

// compileTime bounds the compiler's run.
const compileTime = 20 * time.Second
