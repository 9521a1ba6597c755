// Package api is the playground's HTTP server: the REST API researchers
// script against, the sessions and websocket streams the page runs on, the
// page itself (package web, mounted at the root), /healthz and /metrics.
//
// The route tree (routes in server.go) reads like the API; docs/api.md and
// /api/openapi.json describe it, and a test holds the OpenAPI document to
// the router. Every limit is one field of Limits. Errors at the edge are one
// type, Error, mapped to an HTTP status in one table (errors.go).
//
// Runs go through package runner, the same as `playground run`; a session's
// run sends its events into a bounded ring (stream.go) that each websocket
// reads at its own pace (ws.go), so the engine never waits for a client.
package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/gorilla/websocket"
	"golang.org/x/time/rate"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/hostmem"
	"github.com/mmapplayground/playground/internal/runner"
	"github.com/mmapplayground/playground/web"
)

// Config is what New needs.
type Config struct {
	// Limits bound sessions, runs and requests; zero fields take
	// DefaultLimits'.
	Limits Limits
	// Token, when set (PLAYGROUND_TOKEN), is required on every /api route,
	// /metrics and the websocket: "Authorization: Bearer TOKEN" or
	// "?token=TOKEN". The page and /healthz stay open.
	Token string
	// Origins are the web origins ("https://class.example.org") whose pages
	// may open a websocket, besides the server's own host; "*" allows any.
	Origins []string
	// Hosts are the public names of a classroom host ("class.example.org"):
	// with any set, only they and loopback names are answered; without,
	// a server listening on loopback answers loopback names only (against
	// DNS rebinding), one listening elsewhere any name.
	Hosts []string
	// TrustProxy (PLAYGROUND_TRUST_PROXY) takes a client's address from
	// X-Forwarded-For, for a server behind a reverse proxy that sets it:
	// the per-client limits then count students, not the proxy.
	TrustProxy bool
	// Logger gets the server's structured logs; nil discards them.
	Logger *slog.Logger
	// Web serves the page at the root; nil serves package web's page.
	Web http.Handler
	// Runner runs the programs; nil is package runner's (a zero
	// runner.Runner). Tests give their own.
	Runner Runner
}

// Server is the playground's HTTP server. Create it with New, serve
// Handler (or call Serve), and end it with Shutdown.
type Server struct {
	runner  Runner
	limits  Limits
	token   string
	origins []string
	hosts   []string
	// trustProxy, rates and clientRuns: Config.TrustProxy, the per-client
	// request limiters and one-shot run counts.
	trustProxy bool
	rates      rateLimits
	clientRuns runsByClient
	cop        *http.CrossOriginProtection // nil: any origin may act
	// loopback is set by Serve on a loopback listener: Host names are
	// checked (checkHost).
	loopback atomic.Bool
	log      *slog.Logger
	web      http.Handler

	metrics     *metrics
	sessions    sessions
	runSlots    chan struct{} // one-shot runs in progress
	workers     chan struct{} // real-engine workers running
	compiles    chan struct{} // programs compiling
	realDisk    diskQuotas    // their disk quotas, within RealDiskTotal
	streamSlots *streamSlots
	// memory is the runs' share of the host-memory budget: what every
	// run's engine holds counts against it.
	memory   *hostmem.Budget
	upgrader *websocket.Upgrader
	router   chi.Router
	timeouts timeouts

	ctx     context.Context // ends at Shutdown: every session and stream with it
	cancel  context.CancelFunc
	goMu    sync.Mutex
	closing bool // Shutdown has begun; guarded by goMu
	// draining is set by Drain: readiness fails, new sessions are refused.
	draining atomic.Bool
	wg       sync.WaitGroup // goroutines that must end before Shutdown returns
}

// New makes a server from cfg.
func New(cfg Config) (*Server, error) {
	lim := cfg.Limits.WithDefaults()
	if lim.MaxSessions < 0 || lim.EventsBuffered < 0 || lim.BodyBytes < 0 || lim.ProgramBytes < 0 || lim.MaxRuns < 0 {
		return nil, errors.New("api: limits must not be negative (but max-sessions-per-client)")
	}
	if lim.RealDiskBytes > lim.RealDiskTotal {
		return nil, fmt.Errorf("api: --real-disk-bytes (%s) is more than --real-disk-total (%s): no real-engine run could start", hostmem.Size(int64(lim.RealDiskBytes)), hostmem.Size(int64(lim.RealDiskTotal)))
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{
		limits:      lim,
		token:       cfg.Token,
		origins:     cfg.Origins,
		hosts:       cfg.Hosts,
		trustProxy:  cfg.TrustProxy,
		rates:       rateLimits{per: rate.Limit(max(lim.RequestRate, 1)), by: map[string]*clientLimiter{}},
		clientRuns:  runsByClient{n: map[string]int{}},
		log:         log,
		web:         cfg.Web,
		runner:      cfg.Runner,
		metrics:     newMetrics(),
		sessions:    sessions{byID: map[string]*Session{}, byClient: map[string]int{}},
		runSlots:    make(chan struct{}, lim.MaxRuns),
		workers:     make(chan struct{}, max(lim.MaxWorkers, 1)),
		compiles:    make(chan struct{}, max(lim.MaxCompiles, 1)),
		realDisk:    diskQuotas{most: lim.RealDiskTotal},
		streamSlots: newStreamSlots(lim),
		memory:      hostmem.New("memory", "--memory (PLAYGROUND_MEMORY)", lim.Memory*3/4, nil),
		timeouts:    timeouts{readHeaderTimeout, readTimeout, writeTimeout, idleTimeout},
	}
	if s.runner == nil {
		r := runner.WithBuildCache(lim.BuildCacheBytes)
		s.runner = packageRunner{r}
		s.metrics.buildCache(r.BuildCacheStats)
	}
	if s.web == nil {
		s.web = web.Handler(web.Options{RealEngine: s.runner.Available(runner.EngineReal) == nil, Limits: pageLimits(lim)})
	}
	cop, err := s.newCrossOrigin()
	if err != nil {
		return nil, fmt.Errorf("api: origins: %w", err)
	}
	s.cop = cop
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.upgrader = s.newUpgrader()
	s.router = s.routes()
	s.goSafe("reaper", s.reaper)
	return s, nil
}

// routes is the route tree: the API as docs/api.md lists it.
func (s *Server) routes() chi.Router {
	r := chi.NewRouter()
	r.Use(s.recoverer, s.logRequests, s.checkHost)
	r.NotFound(s.handle(func(w http.ResponseWriter, r *http.Request) error {
		return Errorf(CodeNotFound, "no route %s %s", r.Method, r.URL.Path)
	}))
	r.MethodNotAllowed(s.handle(func(w http.ResponseWriter, r *http.Request) error {
		return Errorf(CodeMethod, "%s is not allowed on %s", r.Method, r.URL.Path)
	}))

	r.Get("/healthz", s.healthz)
	r.Get("/readyz", s.readyz)
	r.With(s.requireToken).Get("/metrics", s.metrics.handler().ServeHTTP)

	r.Route("/api", func(r chi.Router) {
		r.Use(s.requireToken, s.limitRate, s.sameOrigin, s.requireJSON, s.limitBody)
		r.Get("/openapi.json", s.openAPI)
		r.Get("/events.schema.json", s.eventsSchema)

		r.Post("/v1/run", s.handle(s.runOnce))

		r.Get("/v1/examples", s.handle(s.listExamples))
		r.Get("/v1/examples/{name}", s.handle(s.getExample))

		r.Post("/v1/sessions", s.handle(s.createSession))
		r.Get("/v1/sessions/{id}", s.handle(s.withSession(s.getSession)))
		r.Delete("/v1/sessions/{id}", s.handle(s.deleteSessionRoute))
		r.Post("/v1/sessions/{id}/run", s.handle(s.withSession(s.sessionRun)))
		r.Post("/v1/sessions/{id}/step", s.handle(s.withSession(s.sessionStep)))
		r.Post("/v1/sessions/{id}/pause", s.handle(s.withSession(s.sessionPause)))
		r.Post("/v1/sessions/{id}/continue", s.handle(s.withSession(s.sessionContinue)))
		r.Post("/v1/sessions/{id}/back", s.handle(s.withSession(s.sessionBack)))
		r.Post("/v1/sessions/{id}/syscall", s.handle(s.withSession(s.sessionSyscall)))
		r.Get("/v1/sessions/{id}/state", s.handle(s.withSession(s.sessionState)))
		r.Get("/v1/sessions/{id}/pages", s.handle(s.withSession(s.sessionPages)))
		r.Get("/v1/sessions/{id}/ws", s.handle(s.withSession(s.sessionWS)))
	})

	// The page: /, /embed, /static/...
	r.Handle("/*", s.web)
	return r
}

// Handler is the server's whole HTTP handler: page, API, streams, health
// and metrics.
func (s *Server) Handler() http.Handler { return s.router }

// handlerFunc is a handler that returns its error, written (and logged) in
// one place by handle.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

func (s *Server) handle(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			writeError(w, r, s.log, err)
		}
	}
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	if s.ctx.Err() != nil {
		writeError(w, r, s.log, Errorf(CodeUnsupported, "shutting down"))
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

// Timeouts of the HTTP server. Streaming routes (the NDJSON run and the
// websocket) set their own deadlines with http.ResponseController.
const (
	// readHeaderTimeout bounds a client that opens a connection and sends
	// its headers slowly (slowloris).
	readHeaderTimeout = 5 * time.Second
	// readTimeout bounds reading a whole request: bodies are at most
	// Limits.BodyBytes, which a classroom network sends in far less.
	readTimeout = 30 * time.Second
	// writeTimeout bounds writing a response of an ordinary route.
	writeTimeout = 30 * time.Second
	// idleTimeout closes keep-alive connections no one uses.
	idleTimeout = 2 * time.Minute
	// shutdownGrace is how long Serve lets requests finish at shutdown.
	shutdownGrace = 10 * time.Second
)

// timeouts are the http.Server's (the constants above; tests shorten them).
type timeouts struct{ readHeader, read, write, idle time.Duration }

// HTTPServer returns an http.Server for the handler with every timeout set.
func (s *Server) HTTPServer() *http.Server {
	return &http.Server{
		Handler:           s.router,
		ReadHeaderTimeout: s.timeouts.readHeader,
		ReadTimeout:       s.timeouts.read,
		WriteTimeout:      s.timeouts.write,
		IdleTimeout:       s.timeouts.idle,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
		BaseContext:       func(net.Listener) context.Context { return s.ctx },
	}
}

// Serve serves on ln until ctx ends (SIGTERM), then drains (Drain, for at
// most Limits.DrainGrace) and shuts down gracefully: sessions end (their
// streams are told the server is going away), requests get shutdownGrace
// to finish. Listen first (net.Listen), so that a bad address
// fails before anything starts:
//
//	ln, err := net.Listen("tcp", addr)
//	...
//	return srv.Serve(ctx, ln)
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	s.loopback.Store(isLoopback(ln.Addr()))
	hs := s.HTTPServer()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	s.log.Info("serving", "addr", ln.Addr().String())
	select {
	case err := <-errc:
		s.Shutdown(context.Background())
		return err
	case <-ctx.Done():
	}
	dctx, dcancel := context.WithTimeout(context.Background(), s.limits.DrainGrace)
	s.Drain(dctx)
	dcancel()
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	err := s.Shutdown(sctx)
	if herr := hs.Shutdown(sctx); herr != nil && err == nil {
		err = herr
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	s.log.Info("stopped")
	return err
}

// Shutdown ends every session, run and stream, and waits (until ctx ends)
// for their goroutines. The handler refuses new sessions afterwards.
func (s *Server) Shutdown(ctx context.Context) error {
	s.goMu.Lock()
	s.closing = true
	s.goMu.Unlock()
	s.cancel()
	s.closeSessions()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// countEvent updates the metrics for an event an engine sent.
func (s *Server) countEvent(e *engine.Event) {
	if e.Type == engine.EvFault {
		s.metrics.faults.WithLabelValues(string(e.Kind)).Inc()
	}
}

func stack() string { return string(debug.Stack()) }
