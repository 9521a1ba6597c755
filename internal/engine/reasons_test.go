package engine_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
)

// Each event type's ops and reasons are the Go tables in the schema's
// per-type enums and in its row of docs/events.md: a value added to one
// and not the others fails here (and a value an engine writes that is not
// in the schema fails the runner's schema test over every example).
func TestSchemaOpsAndReasonsAreTheTables(t *testing.T) {
	b, err := os.ReadFile("../../docs/events.schema.json")
	require.NoError(t, err)
	var schema struct {
		AllOf []struct {
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
	inSchema := map[string]map[string][]string{"op": {}, "why": {}}
	for _, a := range schema.AllOf {
		typ := a.If.Properties.Type.Const
		for _, key := range []string{"op", "why"} {
			if e := a.Then.Properties[key].Enum; e != nil {
				inSchema[key][typ] = e
			}
		}
	}
	md, err := os.ReadFile("../../docs/events.md")
	require.NoError(t, err)
	row := func(typ string) string {
		for _, line := range strings.Split(string(md), "\n") {
			if strings.HasPrefix(line, "| `"+typ+"` |") {
				return line
			}
		}
		return ""
	}
	for key, table := range map[string]map[string][]string{"op": engine.EventOps(), "why": engine.EventReasons()} {
		for _, typ := range engine.EventTypes() {
			assert.ElementsMatch(t, table[typ], inSchema[key][typ], "%s's %s: the Go table and the schema's enum", typ, key)
			r := row(typ)
			for _, v := range table[typ] {
				assert.Contains(t, r, "`"+v+"`", "docs/events.md's %s row does not name the %s %q", typ, key, v)
			}
		}
	}
}
