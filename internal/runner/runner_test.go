package runner_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/examples"
	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/runner"
)

// collect runs req and returns its events, encoded, one per line.
func collect(t *testing.T, req runner.Request) ([]engine.Event, []byte, runner.Result) {
	t.Helper()
	var evs []engine.Event
	var buf []byte
	res, err := runner.Execute(context.Background(), req, func(e *engine.Event) {
		evs = append(evs, *e)
		buf = e.AppendJSON(buf)
		buf = append(buf, '\n')
	})
	require.NoError(t, err)
	return evs, buf, res
}

func example(t *testing.T, name string) runner.Request {
	t.Helper()
	ex, ok := examples.Get(name)
	require.True(t, ok, "example %s", name)
	return runner.Request{Engine: "sim", Name: ex.FileName(), Source: ex.Source, Args: ex.Args, Files: ex.Files}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		req  runner.Request
		want error
	}{
		{"unknown engine", runner.Request{Engine: "qemu", Source: "int main(void){return 0;}"}, runner.ErrUnknownEngine},
		{"program too large", runner.Request{Source: strings.Repeat(" ", 100), Limits: runner.Limits{SourceBytes: 10}}, runner.ErrTooLarge},
		{"files too large", runner.Request{Source: "x", Files: map[string]string{"a": "12345"}, Limits: runner.Limits{FileBytes: 4}}, runner.ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := runner.Execute(context.Background(), tt.req, nil)
			assert.ErrorIs(t, err, tt.want)
		})
	}
}

// Seed 002's program as printed has a typo (o for 0) and a missing brace:
// it gives both errors, at gcc's places, and runs nothing.
func TestSeed002AsPrintedGivesItsTwoErrors(t *testing.T) {
	evs, _, res := collect(t, example(t, "tutorial_msync_as_printed"))
	assert.Equal(t, 1, res.Status)
	assert.Equal(t, 2, res.CompileErrors)
	var errs []string
	for _, e := range evs {
		switch e.Type {
		case engine.EvError:
			errs = append(errs, e.Message)
		case engine.EvSyscall, engine.EvFault, engine.EvStdout:
			t.Errorf("a program that does not compile ran: %s", e.AppendJSON(nil))
		}
	}
	require.Len(t, errs, 2)
	assert.Equal(t, engine.EvError, evs[0].Type)
	assert.Equal(t, [2]int{28, 44}, [2]int{evs[0].Line, evs[0].Col})
	assert.Contains(t, errs[0], "'o' undeclared")
	assert.Equal(t, engine.EvExit, evs[len(evs)-1].Type)
}

// The same request gives the same events, byte for byte.
func TestDeterministic(t *testing.T) {
	for _, name := range []string{"three_phases", "shared_private_cow", "msync_writeback", "fork_share", "sigbus_past_eof"} {
		t.Run(name, func(t *testing.T) {
			req := example(t, name)
			_, a, _ := collect(t, req)
			_, b, _ := collect(t, req)
			require.NotEmpty(t, a)
			assert.True(t, bytes.Equal(a, b), "two runs of %s differ", name)
		})
	}
}

// Every event of every example matches docs/events.schema.json, and the
// stream ends with exactly one exit event.
func TestEventsMatchSchema(t *testing.T) {
	f, err := os.Open("../../docs/events.schema.json")
	require.NoError(t, err)
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	require.NoError(t, c.AddResource("events.schema.json", doc))
	schema, err := c.Compile("events.schema.json")
	require.NoError(t, err)

	engines := []string{"sim"}
	if runtime.GOOS == "linux" {
		engines = append(engines, "real") // its ops and reasons are the schema's too
	}
	for _, eng := range engines {
		for _, ex := range examples.All() {
			if !ex.RunsOn(eng) || ex.Name == "bigtouch" {
				continue
			}
			t.Run(eng+"/"+ex.Name, func(t *testing.T) {
				req := example(t, ex.Name)
				req.Engine = eng
				eventsMatchSchema(t, schema, req)
			})
		}
	}
}

// eventsMatchSchema runs req and holds each of its events to schema; the
// stream ends with exactly one exit event, and seq runs 1, 2, ...
func eventsMatchSchema(t *testing.T, schema *jsonschema.Schema, req runner.Request) {
	t.Helper()
	_, lines, _ := collect(t, req)
	exits := 0
	var seq float64
	for _, line := range bytes.Split(bytes.TrimSpace(lines), []byte("\n")) {
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(line))
		require.NoError(t, err, "%s", line)
		if err := schema.Validate(v); err != nil {
			t.Fatalf("event does not match the schema: %s\n%v", line, err)
		}
		m := v.(map[string]any)
		if m["type"] == "exit" {
			exits++
		}
		var s float64
		if n, ok := m["seq"].(json.Number); ok {
			s, _ = n.Float64()
		}
		assert.Equal(t, seq+1, s, "seq runs 1, 2, ...")
		seq = s
	}
	assert.Equal(t, 1, exits)
	assert.Contains(t, string(lines[bytes.LastIndexByte(lines[:len(lines)-1], '\n')+1:]), `"type":"exit"`)
}

// A sink that blocks pauses the program; the engine answers queries while
// it is paused, and the run goes on when the sink returns.
func TestQueriesWhilePaused(t *testing.T) {
	req := example(t, "three_phases")
	paused := make(chan struct{})
	resume := make(chan struct{})
	once := false
	r, err := runner.Start(context.Background(), req, func(e *engine.Event) {
		if e.Type == engine.EvFault && !once {
			once = true
			close(paused)
			<-resume
		}
	})
	require.NoError(t, err)
	defer r.Close()
	select {
	case <-paused:
	case <-time.After(10 * time.Second):
		t.Fatal("the program never faulted")
	}
	st := r.State()
	require.NotEmpty(t, st.Processes)
	assert.NotEmpty(t, st.Processes[0].VMAs)
	close(resume)
	res, err := r.Wait()
	require.NoError(t, err)
	assert.Equal(t, 0, res.Status)
}

// Limits end a runaway program with an error event and an exit event, never
// a hang.
func TestLimitsEndRunawayPrograms(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		limits runner.Limits
		want   string
	}{
		{"steps", "int main(void){ for(;;); }", runner.Limits{Steps: 100000}, "step"},
		{"wall time", "int main(void){ for(;;); }", runner.Limits{WallTime: 200 * time.Millisecond}, "time"},
		{"output", `#include <stdio.h>
int main(void){ for(;;) printf("spam spam spam\n"); }`, runner.Limits{Output: 4096}, "output"},
		{"call depth", "int f(int n){ return f(n+1)+1; } int main(void){ return f(0); }", runner.Limits{CallDepth: 100}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs, _, res := collect(t, runner.Request{Source: tt.src, Limits: tt.limits})
			require.NotEmpty(t, evs)
			last := evs[len(evs)-1]
			assert.Equal(t, engine.EvExit, last.Type)
			assert.NotEqual(t, 0, res.Status)
			var msg string
			for _, e := range evs {
				if e.Type == engine.EvError {
					msg = e.Message
				}
			}
			if tt.want != "" {
				assert.Contains(t, strings.ToLower(msg), tt.want)
			}
		})
	}
}

func TestUnknownEngineIsNotAPanic(t *testing.T) {
	_, err := runner.Start(context.Background(), runner.Request{Engine: "both?"}, nil)
	assert.True(t, errors.Is(err, runner.ErrUnknownEngine))
}

// TestCompileSlots: a compile takes one of the request's compile slots
// and gives it back; with none free, the run waits, and a run whose
// context ends while it waits says so, naming the setting.
func TestCompileSlots(t *testing.T) {
	slots := make(chan struct{}, 1)
	req := runner.Request{Source: "int main(void) { return 3; }", CompileSlots: slots}
	evs, _, res := collect(t, req)
	assert.Equal(t, 3, res.Status)
	assert.Equal(t, engine.EvExit, evs[len(evs)-1].Type)
	assert.Empty(t, slots, "the slot given back")

	slots <- struct{}{} // the one slot is another run's
	ctx, cancel := context.WithCancel(context.Background())
	var got []engine.Event
	run, err := runner.Start(ctx, req, func(e *engine.Event) { got = append(got, *e) })
	require.NoError(t, err)
	cancel()
	res, err = run.Wait()
	require.NoError(t, err)
	run.Close()
	require.Len(t, got, 2)
	assert.Equal(t, "run cancelled while waiting its turn to compile (--max-compiles: 1 at once)", got[0].Message)
	assert.Equal(t, engine.EvExit, got[1].Type)
	assert.Len(t, slots, 1, "a run that never compiled gives back no slot")
}
