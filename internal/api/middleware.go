package api

import (
	"crypto/subtle"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5/middleware"
	"golang.org/x/time/rate"
)

// recoverer turns a panic in a handler into a logged internal error: no
// panic reaches a user, and none takes the server down.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			rv := recover()
			if rv == nil || rv == http.ErrAbortHandler {
				if rv != nil {
					panic(rv) // the server's own way to abort a response
				}
				return
			}
			s.log.Error("panic serving request", "method", r.Method, "path", r.URL.Path,
				"panic", fmt.Sprint(rv), "stack", string(debug.Stack()))
			if r.Header.Get("Connection") != "Upgrade" {
				writeError(w, r, s.log, &Error{Code: CodeInternal, Message: "internal error"})
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// logRequests logs each request at Debug level (Info for 5xx), with its
// status and duration.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		start := time.Now()
		next.ServeHTTP(ww, r)
		level := slog.LevelDebug
		if ww.Status() >= 500 {
			level = slog.LevelInfo
		}
		s.log.Log(r.Context(), level, "http", "method", r.Method, "path", r.URL.Path,
			"status", ww.Status(), "bytes", ww.BytesWritten(), "dur", time.Since(start), "client", s.clientAddr(r))
	})
}

// requireToken refuses requests without the access token, when one is set:
// "Authorization: Bearer T", or "?token=T" (a browser cannot set headers on
// a websocket). The comparison takes the same time however much matches.
func (s *Server) requireToken(next http.Handler) http.Handler {
	if s.token == "" {
		return next
	}
	want := []byte(s.token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := r.URL.Query().Get("token")
		if h := r.Header.Get("Authorization"); h != "" {
			if t, ok := strings.CutPrefix(h, "Bearer "); ok {
				got = strings.TrimSpace(t)
			}
		}
		if got == "" || subtle.ConstantTimeCompare([]byte(got), want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="playground"`)
			writeError(w, r, s.log, Errorf(CodeUnauthorized, "this server needs its access token: Authorization: Bearer TOKEN, or ?token=TOKEN"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// limitBody caps request bodies at the configured size; reading past it
// fails with *http.MaxBytesError, answered 413.
func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, s.limits.BodyBytes)
		}
		next.ServeHTTP(w, r)
	})
}

// clientAddr is the client's address without its port: what the
// per-client limits count. Behind a trusted reverse proxy (TrustProxy) it
// is the address the proxy saw, the last of X-Forwarded-For (the one the
// proxy appended; earlier ones are the client's to claim).
func (s *Server) clientAddr(r *http.Request) string {
	if s.trustProxy {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			last := xff[len(xff)-1]
			if i := strings.LastIndexByte(last, ','); i >= 0 {
				last = last[i+1:]
			}
			if ip := net.ParseIP(strings.TrimSpace(last)); ip != nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// clientLimiter is one client's request rate, and when it was last used.
type clientLimiter struct {
	lim  *rate.Limiter
	seen time.Time
}

// rateLimits holds each client's limiter (x/time/rate's token bucket:
// RequestRate a second, bursts of twice that).
type rateLimits struct {
	mu  sync.Mutex
	per rate.Limit
	by  map[string]*clientLimiter
}

// limitRate refuses a client's requests past its rate with 429 and
// Retry-After: one client's script in a loop cannot take the server's
// time from everyone else's.
func (s *Server) limitRate(next http.Handler) http.Handler {
	if s.limits.RequestRate <= 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.rates.allow(s.clientAddr(r), time.Now()) {
			w.Header().Set("Retry-After", "1")
			writeError(w, r, s.log, Errorf(CodeTooMany, "this address is over its %d requests a second; slow down", s.limits.RequestRate))
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (rl *rateLimits) allow(client string, now time.Time) bool {
	rl.mu.Lock()
	defer rl.mu.Unlock()
	c := rl.by[client]
	if c == nil {
		c = &clientLimiter{lim: rate.NewLimiter(rl.per, 2*int(rl.per))}
		rl.by[client] = c
	}
	c.seen = now
	return c.lim.AllowN(now, 1)
}

// forget drops the limiters of clients not seen since before (a full
// bucket is what a new limiter has anyway).
func (rl *rateLimits) forget(before time.Time) {
	rl.mu.Lock()
	defer rl.mu.Unlock()
	for k, c := range rl.by {
		if c.seen.Before(before) {
			delete(rl.by, k)
		}
	}
}

// runsByClient counts each client's one-shot runs in progress, so that
// one client cannot take every run slot (MaxRunsPerClient).
type runsByClient struct {
	mu sync.Mutex
	n  map[string]int
}

func (rc *runsByClient) take(client string, max int) bool {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if max > 0 && rc.n[client] >= max {
		return false
	}
	rc.n[client]++
	return true
}

func (rc *runsByClient) give(client string) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.n[client]--; rc.n[client] <= 0 {
		delete(rc.n, client)
	}
}
