package sandbox

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/mmapplayground/playground/internal/engine"
)

// Config says how workers are started.
type Config struct {
	// Root is where each run's working directory is made; default
	// $TMPDIR/playground-sessions.
	Root string
	// Command is the worker's command line; default this executable with
	// the argument "worker".
	Command []string
	// Env is the worker's environment; default a minimal one.
	Env []string
	// NoNamespaces skips the user and network namespaces.
	NoNamespaces bool
}

// Default is the configuration Run uses.
var Default Config

// Run runs job in a new worker with Default and sends its events to sink.
func Run(ctx context.Context, job Job, sink engine.Sink) (Result, error) {
	return Default.Run(ctx, job, sink)
}

// maxLine bounds one event line (a program's write of up to 16 MiB).
const maxLine = 64 << 20

// Run runs job in a new worker and sends its events to sink, in order. The
// worker always ends the stream with an exit event; when the worker dies
// without one (killed at the wall time, by the CPU limit, or crashed), Run
// sends an error event saying why, and the exit event.
func (c Config) Run(ctx context.Context, job Job, sink engine.Sink) (Result, error) {
	if sink == nil {
		sink = func(*engine.Event) {}
	}
	job.Limits = job.Limits.withDefaults()
	root := c.Root
	if root == "" {
		root = filepath.Join(os.TempDir(), "playground-sessions")
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return Result{}, fmt.Errorf("sandbox: sessions root: %w", err)
	}
	dir, err := os.MkdirTemp(root, "run-")
	if err != nil {
		return Result{}, fmt.Errorf("sandbox: working directory: %w", err)
	}
	defer os.RemoveAll(dir)
	job.Dir = dir

	argv := c.Command
	if len(argv) == 0 {
		exe, err := os.Executable()
		if err != nil {
			return Result{}, fmt.Errorf("sandbox: finding the worker binary: %w", err)
		}
		argv = []string{exe, "worker"}
	}
	env := c.Env
	if env == nil {
		env = []string{"PATH=/usr/bin:/bin", "GOMAXPROCS=2", "GOTRACEBACK=single"}
	}

	cmd, stdout, stdin, stderr, nsNote, err := start(argv, env, dir, !c.NoNamespaces)
	if err != nil {
		return Result{}, err
	}
	job.Isolation = []string{nsNote}
	line, _ := json.Marshal(job)
	stdin.Write(append(line, '\n'))
	stdin.Close()

	// Kill the whole process group at the wall time or when ctx ends.
	var mu sync.Mutex
	killed := ""
	kill := func(why string) {
		mu.Lock()
		if killed == "" {
			killed = why
		}
		mu.Unlock()
		unix.Kill(-cmd.Process.Pid, unix.SIGKILL)
	}
	timer := time.AfterFunc(job.Limits.WallTime+2*time.Second, func() { kill("wall-time") })
	defer timer.Stop()
	stop := context.AfterFunc(ctx, func() { kill("cancelled") })
	defer stop()

	var res Result
	sawExit := false
	var decodeErr error
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	var ev engine.Event
	for sc.Scan() {
		if err := decodeInto(sc.Bytes(), &ev); err != nil {
			decodeErr = err
			continue
		}
		switch ev.Type {
		case engine.EvExit:
			sawExit = true
			res.Status, res.Signal = ev.Status, ev.Signal
		case engine.EvError:
			if ev.Line != 0 && !sawExit {
				res.CompileErrors++
			}
		case engine.EvSyscall, engine.EvFault, engine.EvStdout:
			res.CompileErrors = 0
		}
		if !sawExit || ev.Type == engine.EvExit {
			sink(&ev)
		}
	}
	if err := sc.Err(); err != nil {
		kill("crash")
		decodeErr = err
	}
	werr := cmd.Wait()
	if cmd.ProcessState != nil {
		res.WorkerCPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	mu.Lock()
	why := killed
	mu.Unlock()
	if sawExit {
		if res.Signal != "" || res.Status != 1 {
			res.CompileErrors = 0
		}
		return res, nil
	}
	// The worker died before its exit event.
	msg, sig, status := "", "SIGKILL", 128+9
	ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus)
	switch {
	case why == "wall-time":
		msg = fmt.Sprintf("wall-time limit exceeded (%s): the worker was killed", job.Limits.WallTime)
		res.Killed = why
	case why == "cancelled":
		msg = "the run was cancelled: the worker was killed"
		res.Killed = why
	case ws.Signaled() && (ws.Signal() == syscall.SIGXCPU || ws.Signal() == syscall.SIGKILL && cmd.ProcessState.UserTime()+cmd.ProcessState.SystemTime() >= job.Limits.CPUTime):
		msg = fmt.Sprintf("CPU time limit exceeded (%s of CPU): the worker was killed", job.Limits.CPUTime)
		sig, res.Killed = "SIGXCPU", "cpu-time"
		status = 128 + 24
	default:
		res.Killed = "crash"
		msg = fmt.Sprintf("the worker died (%v)", werr)
		if ws.Signaled() {
			sig = engine.SignalName(int(ws.Signal()))
			status = 128 + int(ws.Signal())
		} else {
			sig, status = "", ws.ExitStatus()
		}
		if t := strings.TrimSpace(lastLines(stderr.String(), 5)); t != "" {
			msg += ": " + t
		}
		if decodeErr != nil {
			msg += " (" + decodeErr.Error() + ")"
		}
	}
	sink(&engine.Event{Type: engine.EvError, Message: msg})
	sink(&engine.Event{Type: engine.EvExit, Status: 0, Signal: sig, Counters: &engine.Counters{}})
	res.Status, res.Signal = 0, sig
	_ = status
	return res, nil
}

// start starts the worker in its own process group, in new user and
// network namespaces when the host allows (falling back without them).
func start(argv, env []string, dir string, namespaces bool) (*exec.Cmd, *os.File, *os.File, *bytes.Buffer, string, error) {
	try := func(ns bool) (*exec.Cmd, *os.File, *os.File, *bytes.Buffer, error) {
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Dir = dir
		cmd.Env = env
		stderr := &limitedBuffer{max: 64 << 10}
		cmd.Stderr = stderr
		inR, inW, err := os.Pipe()
		if err != nil {
			return nil, nil, nil, nil, err
		}
		outR, outW, err := os.Pipe()
		if err != nil {
			inR.Close()
			inW.Close()
			return nil, nil, nil, nil, err
		}
		cmd.Stdin, cmd.Stdout = inR, outW
		attr := &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
		if ns {
			uid, gid := os.Getuid(), os.Getgid()
			attr.Cloneflags = syscall.CLONE_NEWUSER | syscall.CLONE_NEWNET
			attr.UidMappings = []syscall.SysProcIDMap{{ContainerID: uid, HostID: uid, Size: 1}}
			attr.GidMappings = []syscall.SysProcIDMap{{ContainerID: gid, HostID: gid, Size: 1}}
			attr.GidMappingsEnableSetgroups = false
		}
		cmd.SysProcAttr = attr
		err = cmd.Start()
		inR.Close()
		outW.Close()
		if err != nil {
			inW.Close()
			outR.Close()
			return nil, nil, nil, nil, err
		}
		return cmd, outR, inW, &stderr.Buffer, nil
	}
	if namespaces {
		cmd, out, in, errb, err := try(true)
		if err == nil {
			return cmd, out, in, errb, "private user and network namespaces (no network)", nil
		}
		if !errors.Is(err, unix.EPERM) && !errors.Is(err, unix.EINVAL) && !errors.Is(err, unix.ENOSPC) && !errors.Is(err, unix.EACCES) && !errors.Is(err, unix.ENOSYS) {
			return nil, nil, nil, nil, "", fmt.Errorf("sandbox: starting the worker: %w", err)
		}
		cmd, out, in, errb, err = try(false)
		if err != nil {
			return nil, nil, nil, nil, "", fmt.Errorf("sandbox: starting the worker: %w", err)
		}
		return cmd, out, in, errb, "no namespaces: the host refused a user namespace (" + err2s(err) + "); the worker shares the host's network", nil
	}
	cmd, out, in, errb, err := try(false)
	if err != nil {
		return nil, nil, nil, nil, "", fmt.Errorf("sandbox: starting the worker: %w", err)
	}
	return cmd, out, in, errb, "no namespaces (turned off): the worker shares the host's network", nil
}

func err2s(err error) string {
	if err == nil {
		return "?"
	}
	return err.Error()
}

// limitedBuffer keeps the first max bytes of the worker's stderr.
type limitedBuffer struct {
	bytes.Buffer
	max int
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.Len(); room > 0 {
		if len(p) > room {
			b.Buffer.Write(p[:room])
		} else {
			b.Buffer.Write(p)
		}
	}
	return len(p), nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}
