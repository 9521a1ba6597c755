package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/mmapplayground/playground/examples"
	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/limits"
	"github.com/mmapplayground/playground/internal/runner"
	"github.com/mmapplayground/playground/internal/trace"
)

// exitDifferences is the status of `run --engine both` when the program
// succeeded on both engines but they differ in a way docs/differences.md
// does not explain.
const exitDifferences = 3

// fileFlags collects repeated --file NAME=PATH.
type fileFlags map[string]string

func (f fileFlags) String() string { return "" }

func (f fileFlags) Set(v string) error {
	name, path, ok := strings.Cut(v, "=")
	if !ok || name == "" || path == "" {
		return fmt.Errorf("want NAME=PATH, got %q", v)
	}
	if strings.Contains(name, "/") {
		return fmt.Errorf("file name %q: the program's files live in its working directory; give a plain name", name)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	f[name] = string(data)
	return nil
}

// sizeFlag is a byte count written as 4096, 64K, 16M or 2G.
type sizeFlag struct{ v *uint64 }

func (s sizeFlag) String() string {
	if s.v == nil || *s.v == 0 {
		return ""
	}
	return strconv.FormatUint(*s.v, 10)
}

func (s sizeFlag) Set(v string) error {
	n, err := parseSize(v)
	if err != nil {
		return err
	}
	*s.v = n
	return nil
}

func parseSize(v string) (uint64, error) {
	n, err := limits.ParseSize(v)
	if err != nil {
		return 0, fmt.Errorf("size %q: %v", v, err)
	}
	if n < 0 {
		return 0, fmt.Errorf("size %q: must not be negative", v)
	}
	return uint64(n), nil
}

func runRun(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		req     runner.Request
		files   = fileFlags{}
		asJSON  = fs.Bool("json", false, "print NDJSON, one event per line, as the API streams them")
		quiet   = fs.Bool("quiet", false, "print only the program's output, no trace")
		verbose = fs.Bool("verbose", false, "add page-table entries, table pages and frames to the trace")
		timeout = fs.Duration("timeout", runner.DefaultWallTime, "wall-time limit of the run")
		example = fs.String("example", "", "run the built-in example NAME (see 'playground examples') with its files and arguments")
	)
	fs.StringVar(&req.Engine, "engine", "sim", "the kernel to run on: sim, real or both")
	fs.BoolVar(&req.RealInterpreter, "real-interpreter", false, "real runs: the C interpreter making real system calls in the worker, instead of gcc's build under ptrace")
	fs.Var(files, "file", "NAME=PATH: place the file at PATH in the program's working directory as NAME (repeatable)")
	fs.Var(sizeFlag{&req.Options.RAM}, "ram", "simulated RAM (default 2G), e.g. 64M")
	fs.IntVar(&req.Options.FaultAround, "fault-around", 0, "pages a file read fault maps around it (default 16; 1 turns it off)")
	fs.StringVar(&req.Options.THP, "thp", "", "transparent huge pages: always, madvise (default) or never")
	fs.IntVar(&req.Options.MaxFolio, "max-folio", 0, "the largest page-cache folio a write makes, in pages: a power of two, 1 to 512 (default 512; 1 makes 4 KiB pages only)")
	fs.StringVar(&req.Options.ProgramPath, "program-path", "", "sim: the absolute path the program's file is at, as /proc/PID/maps and /proc/PID/exe name it (default /home/student/NAME)")
	fs.Int64Var(&req.Options.BootTime, "boot-time", 0, "sim: the wall clock at boot, in seconds since 1970 (default 1767225600, 2026-01-01 UTC; $(date +%s) for now)")
	fs.Uint64Var(&req.Limits.Steps, "steps", runner.DefaultSteps, "interpreter step limit")
	runMemory := uint64(limits.RunMemory)
	if v := getenv("PLAYGROUND_RUN_MEMORY"); v != "" {
		n, err := parseSize(v)
		if err != nil {
			return usageError{"PLAYGROUND_RUN_MEMORY: " + err.Error()}
		}
		runMemory = n
	}
	fs.Var(sizeFlag{&runMemory}, "run-memory", "host memory the simulated engine may hold for the run, e.g. 1G (PLAYGROUND_RUN_MEMORY; default 256M)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: playground run [flags] FILE.c [-- ARGS...]\n\nFILE.c may be - for standard input. Flags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return exitStatus(2)
	}
	req.Limits.Memory = int64(runMemory)
	var bad *engine.OptionError
	if err := req.Options.Check(); errors.As(err, &bad) {
		// The flag is the option's name with dashes: -thp, -fault-around.
		return usageError{"-" + strings.ReplaceAll(bad.Option, "_", "-") + " " + bad.Problem}
	}
	rest := fs.Args()
	if *example != "" {
		ex, ok := examples.Get(*example)
		if !ok {
			return usageError{fmt.Sprintf("no example %q; run 'playground examples' for the list", *example)}
		}
		req.Name, req.Source, req.Args = ex.FileName(), ex.Source, ex.Args
		for name, data := range ex.Files {
			if _, given := files[name]; !given {
				files[name] = data
			}
		}
		if len(rest) > 0 && rest[0] == "--" {
			req.Args = rest[1:]
		}
	} else {
		if len(rest) == 0 {
			fs.Usage()
			return exitStatus(2)
		}
		path, progArgs := rest[0], rest[1:]
		if len(progArgs) > 0 && progArgs[0] == "--" {
			progArgs = progArgs[1:]
		}
		var src []byte
		var err error
		if path == "-" {
			src, err = io.ReadAll(os.Stdin)
			path = "stdin.c"
		} else {
			src, err = os.ReadFile(path)
		}
		if err != nil {
			return err
		}
		req.Name = filepath.Base(path)
		req.Source = string(src)
		req.Args = progArgs
	}
	req.Files = files
	req.Limits.WallTime = *timeout

	out := bufio.NewWriterSize(stdout, 64<<10)
	errw := bufio.NewWriterSize(stderr, 16<<10)
	defer out.Flush()
	defer errw.Flush()

	var sink engine.Sink
	if *asJSON {
		var buf []byte
		sink = func(e *engine.Event) {
			buf = e.AppendJSON(buf[:0])
			buf = append(buf, '\n')
			out.Write(buf)
		}
	} else {
		sink = textSink(req.Name, out, errw, *quiet, *verbose)
	}
	res, err := runner.Execute(ctx, req, sink)
	if err != nil {
		return err
	}
	if res.Status != 0 {
		return exitStatus(res.Status)
	}
	if res.Differences > 0 {
		// A run on both engines whose program succeeded, but where the model
		// and the kernel differ in a way nobody has explained.
		out.Flush()
		fmt.Fprintf(errw, "playground: %d unexplained difference(s) between the model and the kernel\n", res.Differences)
		return exitStatus(exitDifferences)
	}
	return nil
}

// textSink writes the program's output to out and the trace to errw, as
// strace does, keeping the two in order on a terminal that shows both.
func textSink(name string, out, errw *bufio.Writer, quiet, verbose bool) engine.Sink {
	tw := trace.New(errw)
	tw.Verbose = verbose
	lastOut := false
	toOut := func() {
		if !lastOut {
			errw.Flush()
			lastOut = true
		}
	}
	toErr := func() {
		if lastOut {
			out.Flush()
			lastOut = false
		}
	}
	return func(e *engine.Event) {
		if e.Engine == runner.EngineReal && (e.Type == engine.EvStdout || e.Type == engine.EvStderr) {
			// In a run on both engines the model's output is the program's;
			// the kernel's shows only where it differs.
			return
		}
		switch e.Type {
		case engine.EvStdout:
			toOut()
			out.WriteString(e.Text)
		case engine.EvStderr:
			toErr()
			errw.WriteString(e.Text)
		case engine.EvError:
			// Errors show even with --quiet, as gcc prints them.
			toErr()
			if e.Line != 0 {
				fmt.Fprintf(errw, "%s:%d:%d: error: %s\n", name, e.Line, e.Col, e.Message)
			} else {
				fmt.Fprintf(errw, "%s: error: %s\n", name, e.Message)
			}
		default:
			if quiet && e.Type != engine.EvDiff {
				return
			}
			toErr()
			tw.Event(e)
		}
	}
}
