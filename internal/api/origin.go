package api

import (
	"mime"
	"net"
	"net/http"
	"strings"
)

// Only the page's own origin may act. Three checks, each for an attack a
// browser makes possible against a server with no token (the default):
//
//   - sameOrigin: a state-changing request from another site's page (a
//     form posting text/plain, a fetch) is refused with 403, by Go's own
//     http.CrossOriginProtection (Sec-Fetch-Site, else Origin against
//     Host); the origins of Config.Origins are trusted.
//   - requireJSON: a request with a body must say it is JSON, so that a
//     "simple" cross-site request (text/plain, form data) that slipped by
//     an old browser cannot run a program either (415).
//   - checkHost: a server listening on loopback answers only loopback
//     Host names (and Config.Hosts), so that a page on evil.example whose
//     name has been rebound to 127.0.0.1 cannot reach a student's local
//     server (DNS rebinding), on REST and websocket alike (403).

// newCrossOrigin makes the server's CrossOriginProtection, trusting the
// configured origins; nil when they are "*" (any site may).
func (s *Server) newCrossOrigin() (*http.CrossOriginProtection, error) {
	cop := http.NewCrossOriginProtection()
	for _, o := range s.origins {
		if o == "*" {
			return nil, nil
		}
		if err := cop.AddTrustedOrigin(strings.TrimSuffix(o, "/")); err != nil {
			return nil, err
		}
	}
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, s.log, Errorf(CodeForbidden, "a cross-origin request from %q is refused: only this server's own page (and --origins) may act on it", r.Header.Get("Origin")))
	}))
	return cop, nil
}

func (s *Server) sameOrigin(next http.Handler) http.Handler {
	if s.cop == nil {
		return next
	}
	return s.cop.Handler(next)
}

// requireJSON refuses a request body that is not application/json.
func (s *Server) requireJSON(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil && r.Body != http.NoBody && r.ContentLength != 0 && r.Method != http.MethodGet {
			mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
			if err != nil || mt != "application/json" {
				writeError(w, r, s.log, Errorf(CodeMediaType, "the request body must be JSON, sent with Content-Type: application/json (got %q)", r.Header.Get("Content-Type")))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// checkHost refuses Host names the server does not answer to: on a
// loopback listener, every name but loopback ones and Config.Hosts; on
// any listener with Config.Hosts set, every other name.
func (s *Server) checkHost(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if (s.loopback.Load() || len(s.hosts) > 0) && !s.hostAllowed(r.Host) {
			writeError(w, r, s.log, Errorf(CodeForbidden, "this server does not answer to the host name %q (a loopback server answers localhost; list a classroom host's names in --hosts)", r.Host))
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) hostAllowed(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	if host == "" {
		return false
	}
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return true
	}
	for _, h := range s.hosts {
		if strings.EqualFold(h, host) {
			return true
		}
	}
	return false
}

// isLoopback says whether a listener's address is a loopback one.
func isLoopback(a net.Addr) bool {
	tcp, ok := a.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}
