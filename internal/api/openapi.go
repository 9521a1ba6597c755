package api

import (
	_ "embed"
	"net/http"

	"github.com/mmapplayground/playground/docs"
)

// openAPIDoc is the OpenAPI 3.1 description of every route;
// TestOpenAPIMatchesRouter holds it to the router.
//
//go:embed openapi.json
var openAPIDoc []byte

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(openAPIDoc)
}

// eventsSchema serves docs/events.schema.json, which openapi.json's Event
// refers to (relative to /api/openapi.json).
func (s *Server) eventsSchema(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/schema+json")
	w.Write(docs.EventsSchema)
}
