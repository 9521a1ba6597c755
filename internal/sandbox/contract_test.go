package sandbox

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
)

// sample returns a non-zero value of type t, every field of a struct set,
// for the contract test below. A field of a type it does not know fails
// the test: say here what a sample of it is.
func sample(t *testing.T, typ reflect.Type, field string) reflect.Value {
	t.Helper()
	v := reflect.New(typ).Elem()
	switch typ {
	case reflect.TypeFor[[]engine.Arg]():
		// The encoder writes an argument as its integer or, for a path, its
		// string: one of each.
		return reflect.ValueOf([]engine.Arg{{Int: -3}, {Str: "data.bin", IsStr: true}})
	}
	switch typ.Kind() {
	case reflect.String:
		v.SetString("sample-" + field)
	case reflect.Int, reflect.Int64:
		v.SetInt(-3)
		if field == "Line" || field == "Col" || field == "Pid" || field == "Pages" || field == "Child" || field == "Status" || field == "PresentPages" {
			v.SetInt(3)
		}
	case reflect.Uint64:
		v.SetUint(3)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		v.Set(reflect.New(typ.Elem()))
		v.Elem().Set(sample(t, typ.Elem(), field))
	case reflect.Slice:
		v.Set(reflect.Append(v, sample(t, typ.Elem(), field)))
	case reflect.Struct:
		for i := range typ.NumField() {
			v.Field(i).Set(sample(t, typ.Field(i).Type, typ.Field(i).Name))
		}
	default:
		t.Fatalf("Event field %s has a type (%s) this test has no sample of: add one to sample", field, typ)
	}
	return v
}

// changedKeys are the keys whose values differ between two encoded events.
func changedKeys(t *testing.T, a, b []byte) []string {
	t.Helper()
	var ma, mb map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(a, &ma), string(a))
	require.NoError(t, json.Unmarshal(b, &mb), string(b))
	var keys []string
	for k, v := range mb {
		if w, ok := ma[k]; !ok || string(w) != string(v) {
			keys = append(keys, k)
		}
	}
	for k := range ma {
		if _, ok := mb[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// eventSchema is docs/events.schema.json, as far as this test reads it.
type eventSchema struct {
	Properties map[string]json.RawMessage `json:"properties"`
	Defs       struct {
		VMA struct {
			Properties map[string]json.RawMessage `json:"properties"`
		} `json:"vma"`
		Counters struct {
			Properties map[string]json.RawMessage `json:"properties"`
		} `json:"counters"`
	} `json:"$defs"`
}

func readEventSchema(t *testing.T) eventSchema {
	t.Helper()
	b, err := os.ReadFile("../../docs/events.schema.json")
	require.NoError(t, err)
	var s eventSchema
	require.NoError(t, json.Unmarshal(b, &s))
	return s
}

// TestEventFieldsAgree holds the three descriptions of an event to each
// other, field by field, by reflection over engine.Event: every field is
// written by the encoder (engine.Event.AppendJSON) for some event type,
// read back by this package's decoder (what the sandboxed worker sends
// reaches the stream whole), and its keys are described in
// docs/events.schema.json; and the schema describes no key that no field
// makes. A field added to Event and forgotten by one of them fails here.
func TestEventFieldsAgree(t *testing.T) {
	schema := readEventSchema(t)
	written := map[string]bool{"type": true}
	typ := reflect.TypeFor[engine.Event]()
	for i := range typ.NumField() {
		f := typ.Field(i)
		if f.Name == "Type" {
			continue // the discriminator, set on every event below
		}
		t.Run(f.Name, func(t *testing.T) {
			val := sample(t, f.Type, f.Name)
			var writtenFor []string
			keysFor := map[string][]string{} // key: the event types it is written for
			for _, et := range engine.EventTypes() {
				base := engine.Event{Type: et}
				with := base
				reflect.ValueOf(&with).Elem().Field(i).Set(val)
				line := with.AppendJSON(nil)
				keys := changedKeys(t, base.AppendJSON(nil), line)
				if len(keys) == 0 {
					continue
				}
				writtenFor = append(writtenFor, et)
				for _, k := range keys {
					keysFor[k] = append(keysFor[k], et)
				}
				got, err := DecodeEvent(line)
				require.NoError(t, err, string(line))
				if !assert.Equal(t, val.Interface(), reflect.ValueOf(got).Field(i).Interface(),
					"DecodeEvent does not read back Event.%s (keys %v) of a %s event: %s", f.Name, keys, et, line) {
					break // once is enough to say so
				}
			}
			assert.NotEmpty(t, writtenFor, "AppendJSON never writes Event.%s, for any event type", f.Name)
			for k, types := range keysFor {
				written[k] = true
				assert.Contains(t, schema.Properties, k, "docs/events.schema.json does not describe %q (Event.%s, written for %v)", k, f.Name, types)
			}
		})
	}
	for k := range schema.Properties {
		assert.True(t, written[k], "docs/events.schema.json describes %q, which no Event field makes", k)
	}
}

// TestNestedFieldsAgree does the same for an area (engine.VMA) and the
// counters: every field set, through the encoder and the decoder and back,
// and each JSON name in the schema's $defs.
func TestNestedFieldsAgree(t *testing.T) {
	schema := readEventSchema(t)
	vma := sample(t, reflect.TypeFor[engine.VMA](), "VMA").Interface().(engine.VMA)
	vma.Perms = "rw-p"
	counters := sample(t, reflect.TypeFor[engine.Counters](), "Counters").Interface().(engine.Counters)
	// Distinct counter values, so that two swapped ones show.
	cv := reflect.ValueOf(&counters).Elem()
	for i := range cv.NumField() {
		cv.Field(i).SetUint(uint64(100 + i))
	}
	ev := engine.Event{Type: engine.EvExit, VMAs: []engine.VMA{vma}, Counters: &counters, VMA: &vma}
	got, err := DecodeEvent(ev.AppendJSON(nil))
	require.NoError(t, err)
	assert.Equal(t, ev.VMAs, got.VMAs, "an exit's areas through AppendJSON and DecodeEvent")
	assert.Equal(t, ev.VMA, got.VMA, "an event's area through AppendJSON and DecodeEvent")
	assert.Equal(t, ev.Counters, got.Counters, "the counters through AppendJSON and DecodeEvent")

	jsonNames := func(typ reflect.Type) []string {
		var names []string
		for i := range typ.NumField() {
			name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
			names = append(names, name)
		}
		return names
	}
	assert.ElementsMatch(t, jsonNames(reflect.TypeFor[engine.VMA]()), keysOf(schema.Defs.VMA.Properties), "engine.VMA's fields and the schema's $defs.vma")
	assert.ElementsMatch(t, jsonNames(reflect.TypeFor[engine.Counters]()), keysOf(schema.Defs.Counters.Properties), "engine.Counters' fields and the schema's $defs.counters")
}

func keysOf(m map[string]json.RawMessage) []string {
	var k []string
	for key := range m {
		k = append(k, key)
	}
	slices.Sort(k)
	return k
}
