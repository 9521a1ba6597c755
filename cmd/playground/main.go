// Command playground runs C programs on a simulated Linux kernel (or the
// real one) and shows what the kernel did.
//
//	playground [serve] [--addr :8080]          the page, the API and the streams
//	playground run [--engine sim|real|both] [--json] [--file NAME=PATH]... FILE.c [-- ARGS...]
//	playground examples [--lang zh] [NAME]     the built-in examples (in Chinese)
//
// main only calls run; tests call run too.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// exitStatus is an error that carries the status the command exits with:
// a program's own status, or 128 plus the signal that ended it.
type exitStatus int

func (e exitStatus) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// usageError is bad command-line input: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func exitCode(err error, stderr io.Writer) int {
	var st exitStatus
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &st):
		return int(st)
	case errors.As(err, &ue):
		fmt.Fprintln(stderr, "playground:", ue.msg)
		return 2
	default:
		fmt.Fprintln(stderr, "playground:", err)
		return 1
	}
}

const usage = `usage:
  playground [serve] [flags]       serve the page, the API and the streams (default :8080)
  playground run [--engine sim|real|both] [--json] [--file NAME=PATH]... FILE.c [-- ARGS...]
  playground examples [--lang zh] [NAME]
                                   list the built-in examples, or print one (--lang zh: in Chinese)
  playground healthcheck [URL]     exit 0 when the server answers /healthz (for Docker)

Run "playground COMMAND -h" for a command's flags.`

// run is the whole command: it parses args, wires, runs and returns.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return runServe(ctx, args, getenv, stdout, stderr)
	case "run":
		return runRun(ctx, args, getenv, stdout, stderr)
	case "examples":
		return runExamples(args, stdout, stderr)
	case "healthcheck":
		return runHealthcheck(ctx, args, getenv)
	case "worker":
		return runWorker(ctx, stdin, stdout)
	case "help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	return usageError{fmt.Sprintf("unknown command %q\n%s", cmd, usage)}
}
