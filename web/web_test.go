package web

import (
	"compress/gzip"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mmapplayground/playground/examples"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHandler(t *testing.T) {
	srv := httptest.NewServer(Handler(Options{}))
	defer srv.Close()
	tests := []struct {
		desc, path string
		status     int
		ctype      string
		contains   []string
		absent     []string
	}{
		{"page", "/", 200, "text/html", []string{`data-testid="vma-list"`, `data-testid="page-map"`, `data-testid="event-log"`, `data-testid="stdout"`, `class="top"`, `data-api="/api/v1"`}, nil},
		{"page with query", "/?example=three_phases", 200, "text/html", []string{`data-testid="run"`}, nil},
		{"embed", "/embed", 200, "text/html", []string{`data-testid="page-map"`, `class="embed"`}, []string{`class="top"`}},
		{"style", "/static/style.css", 200, "text/css", []string{"--pg-dirty"}, nil},
		{"module", "/static/app.js", 200, "javascript", []string{"import"}, nil},
		{"icon", "/static/icon.svg", 200, "image/svg+xml", nil, nil},
		{"no listing", "/static/", 404, "", nil, nil},
		{"missing asset", "/static/nope.js", 404, "", nil, nil},
		{"unknown path", "/nope", 404, "", nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			res, err := http.Get(srv.URL + tc.path)
			require.NoError(t, err)
			defer res.Body.Close()
			body, err := io.ReadAll(res.Body)
			require.NoError(t, err)
			assert.Equal(t, tc.status, res.StatusCode)
			if tc.ctype != "" {
				assert.Contains(t, res.Header.Get("Content-Type"), tc.ctype)
			}
			for _, s := range tc.contains {
				assert.Contains(t, string(body), s)
			}
			for _, s := range tc.absent {
				assert.NotContains(t, string(body), s)
			}
		})
	}
}

// TestNoExternalResources holds the page to working offline: nothing it
// ships may load from another origin.
func TestNoExternalResources(t *testing.T) {
	err := walkFiles(func(name string, data []byte) {
		for _, bad := range []string{"http://", "https://", "//cdn", "fonts.googleapis"} {
			if strings.Contains(string(data), bad) && !strings.HasSuffix(name, ".svg") {
				t.Errorf("%s mentions %q: the page must work offline", name, bad)
			}
		}
	})
	require.NoError(t, err)
}

// TestLessonViewsExist: every view a lesson's notice can point at is on the
// page, under the data-testid the lessons name.
func TestLessonViewsExist(t *testing.T) {
	srv := httptest.NewServer(Handler(Options{}))
	defer srv.Close()
	res, err := http.Get(srv.URL + "/")
	require.NoError(t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	for _, v := range examples.Views {
		assert.Contains(t, string(body), `data-testid="`+v+`"`, "the view %q", v)
	}
	for _, l := range examples.Lessons() {
		for _, n := range l.Notices {
			assert.Contains(t, examples.Views, n.View, "lesson %s points at a view the page has", l.ID)
		}
	}
	assert.Contains(t, string(body), `id="lessons-data"`, "the lessons are in the page")
}

// TestStaticGzipETag: static files go gzip-compressed to a client that
// takes it, with an ETag, and a matching If-None-Match gets 304.
func TestStaticGzipETag(t *testing.T) {
	srv := httptest.NewServer(Handler(Options{}))
	defer srv.Close()
	want, err := fs.ReadFile(Static(), "app.js")
	require.NoError(t, err)
	get := func(hdr ...string) *http.Response {
		req, err := http.NewRequest("GET", srv.URL+"/static/app.js", nil)
		require.NoError(t, err)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		res, err := http.DefaultTransport.RoundTrip(req) // no transparent gunzip
		require.NoError(t, err)
		return res
	}
	res := get("Accept-Encoding", "gzip, deflate, br")
	defer res.Body.Close()
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Equal(t, "gzip", res.Header.Get("Content-Encoding"))
	assert.Contains(t, res.Header.Get("Content-Type"), "javascript")
	zr, err := gzip.NewReader(res.Body)
	require.NoError(t, err)
	got, err := io.ReadAll(zr)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got), "the file, gunzipped")
	etag := res.Header.Get("ETag")
	require.NotEmpty(t, etag)

	again := get("Accept-Encoding", "gzip", "If-None-Match", etag)
	again.Body.Close()
	assert.Equal(t, http.StatusNotModified, again.StatusCode)

	plain := get("Accept-Encoding", "identity")
	defer plain.Body.Close()
	assert.Empty(t, plain.Header.Get("Content-Encoding"), "no gzip for a client that does not ask")
	b, _ := io.ReadAll(plain.Body)
	assert.Equal(t, string(want), string(b))
	assert.NotEqual(t, etag, plain.Header.Get("ETag"), "each form has its own validator")
}
