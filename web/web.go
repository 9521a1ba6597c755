// Package web is the playground's page: the HTML template, the style sheet
// and the ES modules that draw a run's events (areas, page map, page-table
// walk, frames and page cache, event log, counters) and the guided lessons.
//
// Everything is embedded with go:embed, so one binary serves a classroom
// offline: no CDN, no external fonts, no front-end build step. The server
// (package api) mounts Handler at the root; the page talks to the server's
// /api/v1 routes and its websocket stream.
//
//	/               the full page
//	/embed          the same page without its chrome, for an iframe in a tutorial
//	/static/...     style sheet, scripts, icons
//
// Both pages take the same query: ?example=NAME opens a built-in example;
// ?src=<base64url of the program>&engine=sim&run=1 opens a program (and runs
// it at once); ?lesson=NAME opens a lesson; ?lang=zh|en picks the language.
package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/mmapplayground/playground/examples"
)

//go:embed templates static
var files embed.FS

// Static is the static/ tree alone, as served under /static/.
func Static() fs.FS {
	sub, err := fs.Sub(files, "static")
	if err != nil {
		panic(err) // the embed directive guarantees static/ exists
	}
	return sub
}

// Options configure the page.
type Options struct {
	// Title is the page's title; "mmap playground" when empty.
	Title string
	// APIBase is where the API is mounted; "/api/v1" when empty.
	APIBase string
	// RealEngine reports whether the host offers the real engine; when
	// false the engine select shows it disabled with a note.
	RealEngine bool
	// Limits are the server's limits, so that the page can say which
	// setting changes the one a run was stopped at.
	Limits []Limit
}

// Limit is one of the server's limits as the page names it.
type Limit struct {
	Flag  string `json:"flag"`  // "run-time": the server's --run-time
	Env   string `json:"env"`   // "PLAYGROUND_RUN_TIME"
	Value string `json:"value"` // this server's value: "30s", "2G"
}

// pageData is what templates/page.html renders.
type pageData struct {
	Title      string
	APIBase    string
	Embed      bool
	RealEngine bool
	// Lessons are the guided lessons (package examples), written into the
	// page as JSON so that opening one needs no round trip.
	Lessons []examples.Lesson
	Limits  []Limit
}

var page = template.Must(template.ParseFS(files, "templates/page.html"))

// startTime stamps the embedded files for conditional requests: they change
// only with the binary.
var startTime = time.Now()

// Handler serves the page at / and /embed and the assets under /static/.
// It answers only those paths (404 otherwise), so it can be mounted as the
// server's fallback route.
func Handler(opts Options) http.Handler {
	if opts.Title == "" {
		opts.Title = "mmap playground"
	}
	if opts.APIBase == "" {
		opts.APIBase = "/api/v1"
	}
	render := func(embed bool) []byte {
		var b bytes.Buffer
		d := pageData{Title: opts.Title, APIBase: opts.APIBase, Embed: embed, RealEngine: opts.RealEngine,
			Lessons: examples.Lessons(), Limits: opts.Limits}
		if err := page.Execute(&b, d); err != nil {
			panic(err) // the template is embedded and tested
		}
		return b.Bytes()
	}
	full, embedded := render(false), render(true)
	assets := loadAssets()

	mux := http.NewServeMux()
	servePage := func(body []byte, frameAncestors string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			h.Set("Content-Type", "text/html; charset=utf-8")
			h.Set("Cache-Control", "no-cache")
			h.Set("Content-Security-Policy", "default-src 'self'; connect-src 'self' ws: wss:; "+
				"img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; frame-ancestors "+frameAncestors)
			h.Set("X-Content-Type-Options", "nosniff")
			http.ServeContent(w, r, "page.html", startTime, bytes.NewReader(body))
		}
	}
	mux.HandleFunc("GET /{$}", servePage(full, "'self'"))
	mux.HandleFunc("GET /embed", servePage(embedded, "*"))
	mux.HandleFunc("GET /static/", func(w http.ResponseWriter, r *http.Request) {
		a, ok := assets[strings.TrimPrefix(r.URL.Path, "/static/")]
		if !ok {
			http.NotFound(w, r) // and no directory listings
			return
		}
		a.serve(w, r)
	})
	return mux
}

// asset is one static file, with its gzip form and validators made once:
// the files change only with the binary.
type asset struct {
	name, ctype string
	body, gz    []byte // gz is nil when gzip would not make it smaller
	etag        string // a strong validator of the body; the gzip form's adds "-gz"
}

// loadAssets reads static/ into assets by path.
func loadAssets() map[string]*asset {
	out := map[string]*asset{}
	err := fs.WalkDir(Static(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(Static(), p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		a := &asset{name: p, body: body, etag: hex.EncodeToString(sum[:12])}
		a.ctype = mime.TypeByExtension(path.Ext(p))
		if a.ctype == "" {
			a.ctype = http.DetectContentType(body)
		}
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		zw.Write(body)
		zw.Close()
		if b.Len() < len(body)*9/10 {
			a.gz = b.Bytes()
		}
		out[p] = a
		return nil
	})
	if err != nil {
		panic(err) // the files are embedded
	}
	return out
}

// serve answers a request for a: gzip when the client takes it, an ETag
// and a 304 for a matching If-None-Match (http.ServeContent).
func (a *asset) serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", a.ctype)
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Add("Vary", "Accept-Encoding")
	body, etag := a.body, a.etag
	if a.gz != nil && acceptsGzip(r) {
		body, etag = a.gz, etag+"-gz"
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("ETag", `"`+etag+`"`)
	http.ServeContent(w, r, a.name, time.Time{}, bytes.NewReader(body))
}

// acceptsGzip reports whether the request's Accept-Encoding takes gzip.
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.TrimSpace(enc) == "gzip" && strings.ReplaceAll(strings.TrimSpace(q), " ", "") != "q=0" {
			return true
		}
	}
	return false
}
