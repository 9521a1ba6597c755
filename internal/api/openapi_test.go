package api

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/docs"
)

// The OpenAPI document as a contract the tests hold every response to:
// apiClient's transport checks each response an API test receives against
// the route openapi.json declares for it (status, content type, declared
// headers, and the body against the schema), and TestOpenAPIIsValid checks
// the document itself against the OpenAPI 3.1 meta-schema.

const metaSchemaURL = "https://spec.openapis.org/oas/3.1/schema/2022-10-07"

// openAPIContract is openapi.json, parsed, with its schemas compiled as they
// are needed.
type openAPIContract struct {
	doc map[string]any
	c   *jsonschema.Compiler

	mu       sync.Mutex
	compiled map[string]*jsonschema.Schema
}

var loadContract = sync.OnceValues(func() (*openAPIContract, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(openAPIDoc))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020) // OpenAPI 3.1's dialect
	if err := c.AddResource("openapi.json", doc); err != nil {
		return nil, err
	}
	// Event's $ref, relative to openapi.json as the server serves both.
	events, err := jsonschema.UnmarshalJSON(bytes.NewReader(docs.EventsSchema))
	if err != nil {
		return nil, err
	}
	if err := c.AddResource("events.schema.json", events); err != nil {
		return nil, err
	}
	return &openAPIContract{doc: doc.(map[string]any), c: c, compiled: map[string]*jsonschema.Schema{}}, nil
})

// schema compiles the schema at the JSON pointer ptr of openapi.json.
func (oc *openAPIContract) schema(ptr string) (*jsonschema.Schema, error) {
	oc.mu.Lock()
	defer oc.mu.Unlock()
	if s, ok := oc.compiled[ptr]; ok {
		return s, nil
	}
	s, err := oc.c.Compile("openapi.json#" + ptr)
	if err != nil {
		return nil, err
	}
	oc.compiled[ptr] = s
	return s, nil
}

// pointer makes a JSON pointer (RFC 6901) of parts.
func pointer(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		b.WriteByte('/')
		b.WriteString(strings.NewReplacer("~", "~0", "/", "~1").Replace(p))
	}
	return b.String()
}

// resolve follows a local $ref ("#/components/responses/Error") and
// returns the object and its pointer.
func (oc *openAPIContract) resolve(v map[string]any, ptr string) (map[string]any, string) {
	ref, ok := v["$ref"].(string)
	if !ok {
		return v, ptr
	}
	target := strings.TrimPrefix(ref, "#")
	var cur any = oc.doc
	for _, p := range strings.Split(strings.TrimPrefix(target, "/"), "/") {
		p = strings.NewReplacer("~1", "/", "~0", "~").Replace(p)
		m, _ := cur.(map[string]any)
		cur = m[p]
	}
	m, _ := cur.(map[string]any)
	return m, target
}

// route finds the documented path template that path matches: literal
// segments equal, {name} any one segment; the most literal match wins.
func (oc *openAPIContract) route(path string) (string, bool) {
	segs := strings.Split(path, "/")
	best, bestLit := "", -1
	for tpl := range oc.doc["paths"].(map[string]any) {
		ts := strings.Split(tpl, "/")
		if len(ts) != len(segs) {
			continue
		}
		lit := 0
		ok := true
		for i, s := range ts {
			if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
				ok = ok && segs[i] != ""
				continue
			}
			ok = ok && s == segs[i]
			lit++
		}
		if ok && lit > bestLit {
			best, bestLit = tpl, lit
		}
	}
	return best, bestLit >= 0
}

// check returns what is wrong with a response to method path, by
// openapi.json. complete says whether body is the whole body (a stream the
// test stopped reading is checked as far as it was read).
func (oc *openAPIContract) check(method, path string, resp *http.Response, body []byte, complete bool) []string {
	var problems []string
	bad := func(format string, args ...any) {
		problems = append(problems, fmt.Sprintf("%s %s -> %d: ", method, path, resp.StatusCode)+fmt.Sprintf(format, args...))
	}
	tpl, ok := oc.route(path)
	var respObj map[string]any
	var respPtr string
	switch {
	case !ok && !strings.HasPrefix(path, "/api/"):
		return nil // the page's routes, which openapi.json does not describe
	case !ok:
		// An API path the router does not have: the error object.
		respObj, respPtr = oc.resolve(map[string]any{"$ref": "#/components/responses/Error"}, "")
		if resp.StatusCode != http.StatusNotFound {
			bad("an undocumented API path answers other than 404")
		}
	default:
		op, ok := oc.doc["paths"].(map[string]any)[tpl].(map[string]any)[strings.ToLower(method)].(map[string]any)
		if !ok {
			// A method the path does not have: the error object.
			respObj, respPtr = oc.resolve(map[string]any{"$ref": "#/components/responses/Error"}, "")
			if resp.StatusCode != http.StatusMethodNotAllowed {
				bad("a method %s does not document answers other than 405", tpl)
			}
			break
		}
		responses := op["responses"].(map[string]any)
		code := strconv.Itoa(resp.StatusCode)
		r, ok := responses[code].(map[string]any)
		if !ok {
			if r, ok = responses["default"].(map[string]any); !ok {
				bad("status %d is not documented for %s %s", resp.StatusCode, method, tpl)
				return problems
			}
			code = "default"
		}
		respObj, respPtr = oc.resolve(r, pointer("paths", tpl, strings.ToLower(method), "responses", code))
	}
	if hdrs, ok := respObj["headers"].(map[string]any); ok {
		for name := range hdrs {
			if resp.Header.Get(name) == "" {
				bad("no %s header, which openapi.json declares", name)
			}
		}
	}
	content, ok := respObj["content"].(map[string]any)
	if !ok {
		if len(body) > 0 && resp.StatusCode != http.StatusSwitchingProtocols {
			bad("a body where openapi.json declares none: %.80s", body)
		}
		return problems
	}
	mt, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if err != nil {
		bad("content type %q: %v", resp.Header.Get("Content-Type"), err)
		return problems
	}
	if _, ok := content[mt]; !ok {
		var declared []string
		for k := range content {
			declared = append(declared, k)
		}
		sort.Strings(declared)
		bad("content type %s, where openapi.json declares %v", mt, declared)
		return problems
	}
	sch, err := oc.schema(respPtr + pointer("content", mt, "schema"))
	if err != nil {
		bad("its schema does not compile: %v", err)
		return problems
	}
	validate := func(what string, inst any) {
		if err := sch.Validate(inst); err != nil {
			bad("%s does not match the schema at %s: %v", what, respPtr+pointer("content", mt, "schema"), err)
		}
	}
	switch {
	case mt == "application/x-ndjson":
		lines := bytes.SplitAfter(body, []byte("\n"))
		for i, line := range lines {
			if !complete && i == len(lines)-1 && !bytes.HasSuffix(line, []byte("\n")) {
				break // the line the test stopped in
			}
			line = bytes.TrimSpace(line)
			if len(line) == 0 {
				continue
			}
			inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(line))
			if err != nil {
				bad("line %d is not JSON: %v: %.80s", i+1, err, line)
				continue
			}
			validate(fmt.Sprintf("line %d", i+1), inst)
		}
	case strings.HasSuffix(mt, "json"):
		if !complete {
			return problems // a JSON body read in part cannot be checked
		}
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
		if err != nil {
			bad("the body is not JSON: %v: %.80s", err, body)
			return problems
		}
		validate("the body", inst)
	case strings.HasPrefix(mt, "text/"):
		validate("the body", string(body))
	default:
		bad("this test cannot check a %s body", mt)
	}
	return problems
}

// apiClient is the API tests' HTTP client: every response it receives is
// checked against openapi.json when its body has been read or closed, and
// a mismatch fails the test.
func apiClient(t testing.TB) *http.Client {
	return &http.Client{Transport: contractTransport{t: t, base: http.DefaultTransport}}
}

type contractTransport struct {
	t    testing.TB
	base http.RoundTripper
}

func (ct contractTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := ct.base.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	oc, err := loadContract()
	if err != nil {
		ct.t.Errorf("openapi.json: %v", err)
		return resp, nil
	}
	resp.Body = &checkedBody{rc: resp.Body, t: ct.t, oc: oc, method: req.Method, path: req.URL.Path, resp: resp}
	return resp, nil
}

// checkedBody keeps what the test reads of a body and checks it at EOF or
// Close, whichever comes first.
type checkedBody struct {
	rc           io.ReadCloser
	t            testing.TB
	oc           *openAPIContract
	method, path string
	resp         *http.Response
	buf          bytes.Buffer
	checked      bool
}

func (b *checkedBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	b.buf.Write(p[:n])
	if err == io.EOF {
		b.check(true)
	}
	return n, err
}

func (b *checkedBody) Close() error {
	b.check(false)
	return b.rc.Close()
}

func (b *checkedBody) check(complete bool) {
	if b.checked {
		return
	}
	b.checked = true
	for _, p := range b.oc.check(b.method, b.path, b.resp, b.buf.Bytes(), complete) {
		b.t.Errorf("openapi.json: %s", p)
	}
}

// TestOpenAPIIsValid: openapi.json is an OpenAPI 3.1 document by the
// OpenAPI Initiative's meta-schema (testdata/README.md says where it comes
// from), and each of its Schema Objects is JSON Schema 2020-12.
func TestOpenAPIIsValid(t *testing.T) {
	f, err := os.Open("testdata/openapi-3.1-schema.json")
	require.NoError(t, err)
	defer f.Close()
	metaDoc, err := jsonschema.UnmarshalJSON(f)
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	require.NoError(t, c.AddResource(metaSchemaURL, metaDoc))
	meta, err := c.Compile(metaSchemaURL)
	require.NoError(t, err)

	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(openAPIDoc))
	require.NoError(t, err)
	assert.NoError(t, meta.Validate(doc))

	// The meta-schema is not vacuous: documents with what it forbids fail.
	for name, breakIt := range map[string]func(d map[string]any){
		"no info":     func(d map[string]any) { delete(d, "info") },
		"openapi 3.0": func(d map[string]any) { d["openapi"] = "3.0.3" },
		"response without its text": func(d map[string]any) {
			delete(d["components"].(map[string]any)["responses"].(map[string]any)["Error"].(map[string]any), "description")
		},
		"parameter in the body": func(d map[string]any) {
			d["components"].(map[string]any)["parameters"].(map[string]any)["id"].(map[string]any)["in"] = "body"
		},
	} {
		broken, err := jsonschema.UnmarshalJSON(bytes.NewReader(openAPIDoc))
		require.NoError(t, err)
		breakIt(broken.(map[string]any))
		assert.Error(t, meta.Validate(broken), name)
	}

	// Every Schema Object compiles (the compiler checks each against the
	// 2020-12 meta-schema).
	oc, err := loadContract()
	require.NoError(t, err)
	var ptrs []string
	var walk func(v any, ptr []string)
	walk = func(v any, ptr []string) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				p := append(append([]string(nil), ptr...), k)
				if k == "schema" || len(ptr) == 2 && ptr[0] == "components" && ptr[1] == "schemas" {
					ptrs = append(ptrs, pointer(p...))
					continue
				}
				walk(x, p)
			}
		case []any:
			for i, x := range v {
				walk(x, append(append([]string(nil), ptr...), strconv.Itoa(i)))
			}
		}
	}
	walk(oc.doc, nil)
	assert.Greater(t, len(ptrs), 40, "the schemas found")
	for _, p := range ptrs {
		_, err := oc.schema(p)
		assert.NoError(t, err, p)
	}
}

// TestResponseContract holds the response check itself to cases: what it
// must pass and what it must report.
func TestResponseContract(t *testing.T) {
	oc, err := loadContract()
	require.NoError(t, err)
	tests := []struct {
		name, method, path string
		status             int
		ctype, body        string
		hdr                []string
		wantProblem        string // "" when it must pass
	}{
		{"a session", "GET", "/api/v1/sessions/s1", 200, "application/json", `{"id":"s1","engine":"sim","options":{},"created":"2026-12-01T19:00:00Z","streams":0}`, nil, ""},
		{"an undocumented field", "GET", "/api/v1/sessions/s1", 200, "application/json", `{"id":"s1","engine":"sim","options":{},"created":"2026-12-01T19:00:00Z","streams":0,"owner":"x"}`, nil, "does not match the schema"},
		{"a created session", "POST", "/api/v1/sessions", 201, "application/json", `{"id":"s1","engine":"sim","ws":"/x"}`, []string{"Location", "/api/v1/sessions/s1"}, ""},
		{"no Location", "POST", "/api/v1/sessions", 201, "application/json", `{"id":"s1","engine":"sim","ws":"/x"}`, nil, "no Location header"},
		{"a wrong type", "GET", "/api/v1/sessions/s1", 200, "application/json", `{"id":5}`, nil, "does not match the schema"},
		{"an undocumented status", "GET", "/api/v1/examples", 418, "application/json", `{}`, nil, "status 418 is not documented"},
		{"a wrong content type", "GET", "/api/v1/examples", 200, "text/html", `<p>`, nil, "content type text/html"},
		{"an error object", "GET", "/api/v1/sessions/nope", 404, "application/json", `{"error":{"code":"not_found","message":"no"}}`, nil, ""},
		{"an unknown error code", "GET", "/api/v1/sessions/nope", 404, "application/json", `{"error":{"code":"gone","message":"no"}}`, nil, "does not match"},
		{"an event stream", "POST", "/api/v1/run", 200, "application/x-ndjson", "{\"type\":\"exec\",\"t\":0}\n{\"type\":\"exit\",\"t\":1,\"status\":0,\"signal\":\"\",\"vmas\":[],\"counters\":{}}\n", nil, ""},
		{"an undocumented fault kind", "POST", "/api/v1/run", 200, "application/x-ndjson", "{\"type\":\"fault\",\"t\":0,\"addr\":0,\"access\":\"read\",\"kind\":\"lucky\",\"major\":false}\n", nil, "line 1"},
		{"an event without t", "POST", "/api/v1/run", 200, "application/x-ndjson", "{\"type\":\"exec\",\"t\":0}\n{\"type\":\"exit\"}\n", nil, "line 2"},
		{"a body on 204", "DELETE", "/api/v1/sessions/s1", 204, "", "x", nil, "a body where openapi.json declares none"},
		{"an unknown API path", "GET", "/api/v1/nope", 404, "application/json", `{"error":{"code":"not_found","message":"no"}}`, nil, ""},
		{"a wrong method", "PUT", "/api/v1/sessions", 405, "application/json", `{"error":{"code":"method","message":"no"}}`, nil, ""},
		{"the page", "GET", "/static/app.js", 200, "text/javascript", `x`, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			if tt.ctype != "" {
				rec.Header().Set("Content-Type", tt.ctype)
			}
			for i := 0; i+1 < len(tt.hdr); i += 2 {
				rec.Header().Set(tt.hdr[i], tt.hdr[i+1])
			}
			rec.WriteHeader(tt.status)
			rec.WriteString(tt.body)
			problems := oc.check(tt.method, tt.path, rec.Result(), []byte(tt.body), true)
			if tt.wantProblem == "" {
				assert.Empty(t, problems)
			} else if assert.Len(t, problems, 1) {
				assert.Contains(t, problems[0], tt.wantProblem)
			}
		})
	}
}
