package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"runtime/debug"
	"strings"

	"github.com/mmapplayground/playground/internal/api"
)

// defaultAddr is where `go run ./cmd/playground` serves.
const defaultAddr = ":8080"

// runServe serves the page, the API and the streams until ctx ends.
func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	limits, err := api.LimitsFromEnv(getenv)
	if err != nil {
		return usageError{err.Error()}
	}
	addr := envOr(getenv, "PLAYGROUND_ADDR", defaultAddr)
	token := getenv("PLAYGROUND_TOKEN")
	origins := getenv("PLAYGROUND_ORIGINS")
	hosts := getenv("PLAYGROUND_HOSTS")
	trustProxy := getenv("PLAYGROUND_TRUST_PROXY") == "1" || strings.EqualFold(getenv("PLAYGROUND_TRUST_PROXY"), "true")
	logFormat := envOr(getenv, "PLAYGROUND_LOG", "text")
	fs.StringVar(&addr, "addr", addr, "address to listen on (PLAYGROUND_ADDR)")
	fs.StringVar(&token, "token", token, "access token every API call must carry (PLAYGROUND_TOKEN); empty: open, as a local tool")
	fs.StringVar(&origins, "origins", origins, "comma-separated web origins allowed to open websockets besides the server's own (PLAYGROUND_ORIGINS); * for any")
	fs.StringVar(&hosts, "hosts", hosts, "comma-separated public host names of a classroom server (PLAYGROUND_HOSTS); a loopback server answers only localhost without them")
	fs.BoolVar(&trustProxy, "trust-proxy", trustProxy, "take the client's address from X-Forwarded-For, behind a reverse proxy that sets it (PLAYGROUND_TRUST_PROXY=1)")
	fs.StringVar(&logFormat, "log", logFormat, "log format: text or json (PLAYGROUND_LOG)")
	limits.RegisterFlags(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return exitStatus(2)
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("serve takes no arguments, got %q", fs.Args())}
	}

	var h slog.Handler = slog.NewTextHandler(stderr, nil)
	if logFormat == "json" {
		h = slog.NewJSONHandler(stderr, nil)
	}
	log := slog.New(h)
	// The Go runtime collects before it passes the server's budget, so
	// that a burst of allocation meets the GC rather than the OOM killer.
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(limits.WithDefaults().Memory)
	}
	srv, err := api.New(api.Config{Limits: limits, Token: token, Origins: commaList(origins), Hosts: commaList(hosts), TrustProxy: trustProxy, Logger: log})
	if err != nil {
		return err
	}
	// Listen first, so that a bad or busy address fails at once.
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "mmap playground on http://%s/\n", displayAddr(ln.Addr()))
	return srv.Serve(ctx, ln)
}

// commaList splits "a, b," into [a b].
func commaList(s string) []string {
	var out []string
	for _, o := range strings.Split(s, ",") {
		if o = strings.TrimSpace(o); o != "" {
			out = append(out, o)
		}
	}
	return out
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

// displayAddr turns ":8080" into "localhost:8080" for the printed link.
func displayAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}
