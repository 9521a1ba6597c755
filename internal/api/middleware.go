package api

import (
	"crypto/subtle"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/go-chi/chi/v5/middleware"
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
			"status", ww.Status(), "bytes", ww.BytesWritten(), "dur", time.Since(start), "client", clientAddr(r))
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
// per-client session limit counts.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
