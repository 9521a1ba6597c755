package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/mmapplayground/playground/internal/engine"
)

// Error codes: what went wrong, as the client sees it. Each maps to one
// HTTP status in codeStatus, the only place the mapping is made.
const (
	CodeInvalid       = "invalid"        // malformed body, bad parameter
	CodeUnknownEngine = "unknown_engine" // an engine name the playground does not have
	CodeUnauthorized  = "unauthorized"   // missing or wrong access token
	CodeForbidden     = "forbidden"      // a web page from an origin not allowed to open the stream
	CodeNotFound      = "not_found"      // no such session, example or route
	CodeMethod        = "method"         // the route exists, not with this method
	CodeConflict      = "conflict"       // the session is not in a state that allows this
	CodeTooLarge      = "too_large"      // request body or program over its limit
	CodeTooMany       = "too_many"       // too many sessions or runs
	CodeMediaType     = "media_type"     // a body that is not application/json
	CodeBusy          = "busy"           // the server's memory budget is spent for now: retry later
	CodeUnsupported   = "unsupported"    // this host cannot run that engine, or the engine cannot do that
	CodeDraining      = "draining"       // the server is shutting down and takes no new sessions: another will
	CodeInternal      = "internal"       // a bug; the details are in the server's log
)

var codeStatus = map[string]int{
	CodeInvalid:       http.StatusBadRequest,
	CodeUnknownEngine: http.StatusBadRequest,
	CodeUnauthorized:  http.StatusUnauthorized,
	CodeForbidden:     http.StatusForbidden,
	CodeNotFound:      http.StatusNotFound,
	CodeMethod:        http.StatusMethodNotAllowed,
	CodeConflict:      http.StatusConflict,
	CodeTooLarge:      http.StatusRequestEntityTooLarge,
	CodeTooMany:       http.StatusTooManyRequests,
	CodeMediaType:     http.StatusUnsupportedMediaType,
	CodeBusy:          http.StatusServiceUnavailable,
	CodeUnsupported:   http.StatusServiceUnavailable,
	CodeDraining:      http.StatusServiceUnavailable,
	CodeInternal:      http.StatusInternalServerError,
}

// Error is an error at the API's edge. Code and Message are what the client
// is told; Err, when set, is the cause, logged and never sent.
type Error struct {
	Code    string
	Message string
	Err     error
	// RetryAfter, when set, is the Retry-After header's seconds: when a
	// refused request is worth trying again.
	RetryAfter string
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Code + ": " + e.Message + ": " + e.Err.Error()
	}
	return e.Code + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf makes an *Error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// errorStatus is the HTTP status for err's code.
func errorStatus(code string) int {
	if s, ok := codeStatus[code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// asError turns any error into the *Error to send: an *Error as it is, an
// engine that cannot run here as unsupported, anything else as internal
// (its text stays in the log).
func asError(err error) *Error {
	var e *Error
	switch {
	case errors.As(err, &e):
		return e
	case errors.Is(err, engine.ErrUnsupported):
		return &Error{Code: CodeUnsupported, Message: err.Error(), Err: err}
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return &Error{Code: CodeTooLarge, Message: fmt.Sprintf("request body is over %d bytes", mbe.Limit), Err: err}
	}
	return &Error{Code: CodeInternal, Message: "internal error", Err: err}
}

type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// writeError writes err as {"error":{"code","message"}} with its status,
// and logs it: internal errors at Error level with the cause, the rest at
// Debug (a client's mistake is not the server's news).
func writeError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	e := asError(err)
	status := errorStatus(e.Code)
	if status >= 500 && e.Code != CodeUnsupported && e.Code != CodeBusy {
		log.Error("request failed", "method", r.Method, "path", r.URL.Path, "code", e.Code, "err", err)
	} else {
		log.Debug("request refused", "method", r.Method, "path", r.URL.Path, "code", e.Code, "err", err)
	}
	if e.RetryAfter != "" {
		w.Header().Set("Retry-After", e.RetryAfter)
	}
	var body errorBody
	body.Error.Code = e.Code
	body.Error.Message = e.Message
	writeJSON(w, status, body)
}

// writeJSON writes v as the JSON response with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"error":{"code":"internal","message":"internal error"}}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}
