package engine_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
)

// The JSON Schema's enums are the Go tables: a new event type or fault kind
// added to one and not the other fails here.
func TestSchemaEnumsAreTheTables(t *testing.T) {
	b, err := os.ReadFile("../../docs/events.schema.json")
	require.NoError(t, err)
	var schema struct {
		AllOf []struct {
			Properties map[string]struct {
				Enum []string `json:"enum"`
			} `json:"properties"`
			If struct {
				Properties struct {
					Type struct {
						Const string `json:"const"`
					} `json:"type"`
				} `json:"properties"`
			} `json:"if"`
			Then struct {
				Properties map[string]struct {
					Enum []string `json:"enum"`
				} `json:"properties"`
			} `json:"then"`
		} `json:"allOf"`
	}
	require.NoError(t, json.Unmarshal(b, &schema))
	var types, kinds []string
	for _, a := range schema.AllOf {
		if e := a.Properties["type"].Enum; e != nil {
			types = e
		}
		if a.If.Properties.Type.Const == engine.EvFault {
			kinds = a.Then.Properties["kind"].Enum
		}
	}
	assert.ElementsMatch(t, engine.EventTypes(), types, "event types")
	var want []string
	for _, k := range engine.FaultKinds() {
		want = append(want, string(k))
	}
	assert.ElementsMatch(t, want, kinds, "fault kinds")
}
