// Package docs holds the documents the server also serves: the events'
// JSON Schema, at /api/events.schema.json, which the OpenAPI document's
// Event refers to.
package docs

import _ "embed"

// EventsSchema is events.schema.json, the JSON Schema of one event.
//
//go:embed events.schema.json
var EventsSchema []byte
