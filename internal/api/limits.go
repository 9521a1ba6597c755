package api

import (
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/mmapplayground/playground/internal/limits"
)

// Limits bound what one server lets its clients do. Every field is a flag
// (RegisterFlags) and an environment variable (LimitsFromEnv); docs/limits.md
// lists them with their defaults. A zero field takes its default, except the
// per-client session count, where a negative value means no limit.
//
// The limits are enforced at the edges: a request over one is refused with a
// clear error (413, 429, 400), a run over one ends with an error event.
type Limits struct {
	// MaxSessions is how many sessions the server holds at once
	// (PLAYGROUND_MAX_SESSIONS, --max-sessions).
	MaxSessions int
	// MaxSessionsPerClient is how many of them one client address may hold
	// (PLAYGROUND_MAX_SESSIONS_PER_CLIENT). Behind NAT a whole classroom is
	// one address: raise it, or set it negative for no limit.
	MaxSessionsPerClient int
	// SessionIdle is how long a session may go without a request or a
	// connected stream before it is reaped (PLAYGROUND_SESSION_IDLE).
	SessionIdle time.Duration
	// EngineIdle is how long a session may go without a request before
	// its simulated run's engine, paused or ended, is released
	// (PLAYGROUND_ENGINE_IDLE): the next query or step rebuilds it by
	// replaying the run to the same event, which the model makes the
	// same run.
	EngineIdle time.Duration
	// MaxCompiles is how many programs the server compiles at once
	// (PLAYGROUND_MAX_COMPILES); a run waits its turn, the wait counting
	// as its running time. Compiling a large program holds a hundred MiB
	// or so of the host's memory, which no run's budget counts.
	MaxCompiles int
	// MaxRuns is how many one-shot runs (POST /api/v1/run) may run at once
	// (PLAYGROUND_MAX_RUNS).
	MaxRuns int
	// ProgramBytes is the largest program source, plus its files
	// (PLAYGROUND_PROGRAM_BYTES).
	ProgramBytes int
	// RunSteps is the interpreter's step budget for one run
	// (PLAYGROUND_RUN_STEPS): an endless loop ends here.
	RunSteps uint64
	// RunTime is the wall time one run may take while it is running; time
	// paused at a step does not count (PLAYGROUND_RUN_TIME).
	RunTime time.Duration
	// OutputBytes is how much a program may write to stdout and stderr
	// (PLAYGROUND_OUTPUT_BYTES).
	OutputBytes int
	// RAM is the most simulated RAM a session may ask for in its options
	// (PLAYGROUND_RAM). Simulated RAM is not host RAM: untouched pages cost
	// nothing.
	RAM uint64
	// RealMapBytes is the most a program on the real engine may map in all
	// (PLAYGROUND_REAL_MAP_BYTES): that memory is the host's.
	RealMapBytes uint64
	// EventsBuffered is how many events a session keeps for its streams
	// (PLAYGROUND_EVENTS_BUFFERED): a client further behind than this is
	// told how many it missed and sent the current state instead.
	EventsBuffered int
	// BodyBytes is the largest request body (PLAYGROUND_BODY_BYTES).
	BodyBytes int64
	// StreamsPerSession is how many websockets one session may have open
	// (PLAYGROUND_STREAMS_PER_SESSION): a page needs one.
	StreamsPerSession int
	// StreamsPerClient is how many one client address may have open
	// (PLAYGROUND_STREAMS_PER_CLIENT; negative: no limit, for a classroom
	// behind one NAT address).
	StreamsPerClient int
	// MaxStreams is how many the server holds in all
	// (PLAYGROUND_MAX_STREAMS); it is lowered to what the process's file
	// descriptors allow with fdReserve kept back for requests and /healthz.
	MaxStreams int
	// Memory is the server's host-memory budget (PLAYGROUND_MEMORY): the
	// Go runtime's soft limit (GOMEMLIMIT) is set to it, and three
	// quarters of it is what all runs' engines may hold together; a run
	// that would pass that ends with an error event, and a new one is
	// refused with 503 and Retry-After until there is room.
	Memory int64
	// RunMemory is what one run's engine may hold (PLAYGROUND_RUN_MEMORY):
	// page contents, the page cache, files, events kept on "both".
	RunMemory int64
	// RequestRate is how many requests a second one client address may
	// make to /api (PLAYGROUND_REQUEST_RATE; bursts of twice that;
	// negative: no limit).
	RequestRate int
	// MaxRunsPerClient is how many of the one-shot runs one client address
	// may have at once (PLAYGROUND_MAX_RUNS_PER_CLIENT; negative: no
	// limit), so that one client cannot take every slot.
	MaxRunsPerClient int
	// MaxWorkers is how many real-engine workers (processes on the host
	// kernel, for "real" and "both" runs) the server runs at once
	// (PLAYGROUND_MAX_WORKERS): one more run is refused with 429.
	MaxWorkers int
	// RealPause is how long a session's run on the real engine may wait
	// paused at a step (PLAYGROUND_REAL_PAUSE): its worker holds a
	// process and its files meanwhile, and is ended after it.
	RealPause time.Duration
	// RealDiskBytes is what a real-engine run's files may hold in all
	// (PLAYGROUND_REAL_DISK_BYTES): its worker is killed past it.
	RealDiskBytes uint64
	// RealDiskTotal is what all real-engine runs' files may hold together
	// (PLAYGROUND_REAL_DISK_TOTAL): each run in progress takes its
	// RealDiskBytes of it, and a run that would pass it is refused with
	// 503 and Retry-After. It must be at least RealDiskBytes.
	RealDiskTotal uint64
	// DrainGrace is how long a draining server (SIGTERM) waits for the
	// runs that cannot move to another to finish (PLAYGROUND_DRAIN_GRACE):
	// one-shot runs and running real-engine session runs. An orchestrator's
	// own grace (Kubernetes' terminationGracePeriodSeconds) must be longer.
	DrainGrace time.Duration
	// BuildCacheBytes is how much of gcc's builds the server keeps in
	// memory for later real-engine runs of the same program
	// (PLAYGROUND_BUILD_CACHE_BYTES; negative: none): a class running one
	// lesson's program builds it once.
	BuildCacheBytes int64
}

// DefaultLimits are the limits of a server started with no settings: sized
// for a classroom of 300 on a small machine.
var DefaultLimits = Limits{
	MaxSessions:          500,
	MaxSessionsPerClient: 32,
	SessionIdle:          30 * time.Minute,
	EngineIdle:           time.Minute,
	MaxCompiles:          4,
	MaxRuns:              64,
	ProgramBytes:         limits.ProgramBytes,
	RunSteps:             limits.Steps,
	RunTime:              limits.RunTime,
	OutputBytes:          limits.Output,
	RAM:                  16 << 30,
	RealMapBytes:         limits.RealMapBytes,
	EventsBuffered:       8192,
	BodyBytes:            1 << 20,
	StreamsPerSession:    8,
	StreamsPerClient:     64,
	MaxStreams:           4096,
	Memory:               1536 << 20,
	RunMemory:            limits.RunMemory,
	RequestRate:          200,
	MaxRunsPerClient:     8,
	MaxWorkers:           16,
	RealPause:            2 * time.Minute,
	RealDiskBytes:        limits.RealDiskBytes,
	RealDiskTotal:        16 * limits.RealDiskBytes,
	DrainGrace:           15 * time.Second,
	BuildCacheBytes:      32 << 20,
}

// WithDefaults returns l with each zero field set from DefaultLimits.
func (l Limits) WithDefaults() Limits {
	d := DefaultLimits
	if l.MaxSessions == 0 {
		l.MaxSessions = d.MaxSessions
	}
	if l.MaxSessionsPerClient == 0 {
		l.MaxSessionsPerClient = d.MaxSessionsPerClient
	}
	if l.SessionIdle == 0 {
		l.SessionIdle = d.SessionIdle
	}
	if l.EngineIdle == 0 {
		l.EngineIdle = d.EngineIdle
	}
	if l.MaxCompiles == 0 {
		l.MaxCompiles = d.MaxCompiles
	}
	if l.MaxRuns == 0 {
		l.MaxRuns = d.MaxRuns
	}
	if l.ProgramBytes == 0 {
		l.ProgramBytes = d.ProgramBytes
	}
	if l.RunSteps == 0 {
		l.RunSteps = d.RunSteps
	}
	if l.RunTime == 0 {
		l.RunTime = d.RunTime
	}
	if l.OutputBytes == 0 {
		l.OutputBytes = d.OutputBytes
	}
	if l.RAM == 0 {
		l.RAM = d.RAM
	}
	if l.RealMapBytes == 0 {
		l.RealMapBytes = d.RealMapBytes
	}
	if l.EventsBuffered == 0 {
		l.EventsBuffered = d.EventsBuffered
	}
	if l.BodyBytes == 0 {
		l.BodyBytes = d.BodyBytes
	}
	if l.StreamsPerSession == 0 {
		l.StreamsPerSession = d.StreamsPerSession
	}
	if l.StreamsPerClient == 0 {
		l.StreamsPerClient = d.StreamsPerClient
	}
	if l.MaxStreams == 0 {
		l.MaxStreams = d.MaxStreams
	}
	if l.Memory == 0 {
		l.Memory = d.Memory
	}
	if l.RunMemory == 0 {
		l.RunMemory = d.RunMemory
	}
	if l.RequestRate == 0 {
		l.RequestRate = d.RequestRate
	}
	if l.MaxRunsPerClient == 0 {
		l.MaxRunsPerClient = d.MaxRunsPerClient
	}
	if l.MaxWorkers == 0 {
		l.MaxWorkers = d.MaxWorkers
	}
	if l.RealPause == 0 {
		l.RealPause = d.RealPause
	}
	if l.RealDiskBytes == 0 {
		l.RealDiskBytes = d.RealDiskBytes
	}
	if l.RealDiskTotal == 0 {
		l.RealDiskTotal = d.RealDiskTotal
	}
	if l.DrainGrace == 0 {
		l.DrainGrace = d.DrainGrace
	}
	if l.BuildCacheBytes == 0 {
		l.BuildCacheBytes = d.BuildCacheBytes
	}
	return l
}

// limitVar is one limit's names and where it lives in a Limits.
type limitVar struct {
	flag, env, usage string
	ptr              func(*Limits) any // *int, *int64, *uint64 or *time.Duration
}

// limitVars lists every limit once; flags, environment variables and
// docs/limits.md are all made from it (TestLimitsDocumented holds the doc to it).
var limitVars = []limitVar{
	{"max-sessions", "PLAYGROUND_MAX_SESSIONS", "sessions held at once", func(l *Limits) any { return &l.MaxSessions }},
	{"max-sessions-per-client", "PLAYGROUND_MAX_SESSIONS_PER_CLIENT", "sessions one client address may hold (negative: no limit)", func(l *Limits) any { return &l.MaxSessionsPerClient }},
	{"session-idle", "PLAYGROUND_SESSION_IDLE", "idle time before a session is reaped", func(l *Limits) any { return &l.SessionIdle }},
	{"engine-idle", "PLAYGROUND_ENGINE_IDLE", "idle time before a session's simulated engine is released (rebuilt by replay when next used)", func(l *Limits) any { return &l.EngineIdle }},
	{"max-compiles", "PLAYGROUND_MAX_COMPILES", "programs compiled at once (others wait their turn)", func(l *Limits) any { return &l.MaxCompiles }},
	{"max-runs", "PLAYGROUND_MAX_RUNS", "one-shot runs at once", func(l *Limits) any { return &l.MaxRuns }},
	{"program-bytes", "PLAYGROUND_PROGRAM_BYTES", "largest program source plus files, in bytes", func(l *Limits) any { return &l.ProgramBytes }},
	{"run-steps", "PLAYGROUND_RUN_STEPS", "interpreter steps one run may take", func(l *Limits) any { return &l.RunSteps }},
	{"run-time", "PLAYGROUND_RUN_TIME", "wall time one run may spend running", func(l *Limits) any { return &l.RunTime }},
	{"output-bytes", "PLAYGROUND_OUTPUT_BYTES", "stdout plus stderr one run may write", func(l *Limits) any { return &l.OutputBytes }},
	{"ram", "PLAYGROUND_RAM", "most simulated RAM a session may ask for, in bytes", func(l *Limits) any { return &l.RAM }},
	{"real-map-bytes", "PLAYGROUND_REAL_MAP_BYTES", "most a real-engine program may map, in bytes", func(l *Limits) any { return &l.RealMapBytes }},
	{"events-buffered", "PLAYGROUND_EVENTS_BUFFERED", "events a session keeps for a lagging stream", func(l *Limits) any { return &l.EventsBuffered }},
	{"body-bytes", "PLAYGROUND_BODY_BYTES", "largest request body, in bytes", func(l *Limits) any { return &l.BodyBytes }},
	{"streams-per-session", "PLAYGROUND_STREAMS_PER_SESSION", "websocket streams one session may have open", func(l *Limits) any { return &l.StreamsPerSession }},
	{"streams-per-client", "PLAYGROUND_STREAMS_PER_CLIENT", "websocket streams one client address may have open (negative: no limit)", func(l *Limits) any { return &l.StreamsPerClient }},
	{"memory", "PLAYGROUND_MEMORY", "the server's host-memory budget, in bytes (sets GOMEMLIMIT)", func(l *Limits) any { return &l.Memory }},
	{"run-memory", "PLAYGROUND_RUN_MEMORY", "host memory one run's engine may hold, in bytes", func(l *Limits) any { return &l.RunMemory }},
	{"request-rate", "PLAYGROUND_REQUEST_RATE", "requests a second one client address may make (negative: no limit)", func(l *Limits) any { return &l.RequestRate }},
	{"max-runs-per-client", "PLAYGROUND_MAX_RUNS_PER_CLIENT", "one-shot runs one client address may have at once (negative: no limit)", func(l *Limits) any { return &l.MaxRunsPerClient }},
	{"max-workers", "PLAYGROUND_MAX_WORKERS", "real-engine workers the server runs at once", func(l *Limits) any { return &l.MaxWorkers }},
	{"real-pause", "PLAYGROUND_REAL_PAUSE", "how long a session's real-engine run may wait paused", func(l *Limits) any { return &l.RealPause }},
	{"real-disk-bytes", "PLAYGROUND_REAL_DISK_BYTES", "what a real-engine run's files may hold in all, in bytes", func(l *Limits) any { return &l.RealDiskBytes }},
	{"real-disk-total", "PLAYGROUND_REAL_DISK_TOTAL", "what all real-engine runs' files may hold together, in bytes", func(l *Limits) any { return &l.RealDiskTotal }},
	{"drain-grace", "PLAYGROUND_DRAIN_GRACE", "how long a draining server (SIGTERM) lets runs that cannot move finish", func(l *Limits) any { return &l.DrainGrace }},
	{"build-cache-bytes", "PLAYGROUND_BUILD_CACHE_BYTES", "gcc's builds kept in memory for later real-engine runs of the same program, in bytes (negative: none)", func(l *Limits) any { return &l.BuildCacheBytes }},
	{"max-streams", "PLAYGROUND_MAX_STREAMS", "websocket streams the server holds in all (lowered to its file descriptors)", func(l *Limits) any { return &l.MaxStreams }},
}

// LimitsFromEnv reads the limits from the PLAYGROUND_* environment
// variables through getenv (os.Getenv in main); unset ones are
// DefaultLimits'. Sizes accept a K, M or G suffix (powers of 1024).
func LimitsFromEnv(getenv func(string) string) (Limits, error) {
	l := DefaultLimits
	for _, v := range limitVars {
		s := getenv(v.env)
		if s == "" {
			continue
		}
		if err := setLimit(v.ptr(&l), s); err != nil {
			return l, fmt.Errorf("%s=%q: %w", v.env, s, err)
		}
	}
	return l, nil
}

// RegisterFlags defines one flag per limit on fs, each defaulting to l's
// current value (so: LimitsFromEnv first, then flags override).
func (l *Limits) RegisterFlags(fs *flag.FlagSet) {
	for _, v := range limitVars {
		fs.Var(limitFlag{v.ptr(l)}, v.flag, v.usage+" (env "+v.env+")")
	}
}

// isSize says whether a limit is a number of bytes (written 256K, 16M).
func (v limitVar) isSize() bool {
	return strings.HasSuffix(v.flag, "-bytes") || v.flag == "real-disk-total" || v.flag == "ram" || v.flag == "memory" || v.flag == "run-memory"
}

// defaultText is the limit's default as docs/limits.md writes it.
func (v limitVar) defaultText() string { return v.text(DefaultLimits) }

// text is the limit's value in l as docs/limits.md writes it: "30s", "256M".
func (v limitVar) text(l Limits) string {
	switch p := v.ptr(&l).(type) {
	case *time.Duration:
		s := p.String()
		for _, z := range []string{"0s", "0m"} {
			if t, ok := strings.CutSuffix(s, z); ok && t != "" && (strings.HasSuffix(t, "h") || strings.HasSuffix(t, "m")) {
				s = t
			}
		}
		return s
	case *int:
		if v.isSize() {
			return limits.FormatSize(int64(*p))
		}
		return strconv.Itoa(*p)
	case *int64:
		if v.isSize() {
			return limits.FormatSize(*p)
		}
		return strconv.FormatInt(*p, 10)
	case *uint64:
		if v.isSize() {
			return limits.FormatSize(int64(*p))
		}
		return strconv.FormatUint(*p, 10)
	}
	return ""
}

type limitFlag struct{ p any }

func (f limitFlag) Set(s string) error { return setLimit(f.p, s) }

func (f limitFlag) String() string {
	switch p := f.p.(type) {
	case *int:
		return strconv.Itoa(*p)
	case *int64:
		return strconv.FormatInt(*p, 10)
	case *uint64:
		return strconv.FormatUint(*p, 10)
	case *time.Duration:
		return p.String()
	}
	return ""
}

func setLimit(p any, s string) error {
	switch p := p.(type) {
	case *time.Duration:
		d, err := time.ParseDuration(s)
		if err != nil {
			return err
		}
		*p = d
		return nil
	case *int:
		n, err := parseSize(s)
		if err != nil {
			return err
		}
		*p = int(n)
	case *int64:
		n, err := parseSize(s)
		if err != nil {
			return err
		}
		*p = n
	case *uint64:
		n, err := parseSize(s)
		if err != nil {
			return err
		}
		if n < 0 {
			return fmt.Errorf("must not be negative")
		}
		*p = uint64(n)
	}
	return nil
}

// parseSize is limits.ParseSize: one reading of a size for every setting.
func parseSize(s string) (int64, error) { return limits.ParseSize(s) }
