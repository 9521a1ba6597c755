package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
)

// eventsBySeq reads a stream to its exit event and returns the events by
// Seq, re-encoded (map keys sorted), and the state messages seen.
func eventsBySeq(t *testing.T, c *websocket.Conn) (map[uint64]string, []map[string]any) {
	t.Helper()
	bySeq := map[uint64]string{}
	var states []map[string]any
	for _, e := range readMessages(t, c, isExit) {
		if e["type"] == "state" {
			states = append(states, e)
			continue
		}
		b, err := json.Marshal(e)
		require.NoError(t, err)
		bySeq[uint64(e["seq"].(float64))] = string(b)
	}
	return bySeq, states
}

// TestResumeAtSeq rebuilds a session's run at an event from its recipe
// (engine, options, the run's body and the Seq), as a page does whose
// server went away: the new session's stream begins with the state at that
// event and then carries exactly the events the first run had after it.
func TestResumeAtSeq(t *testing.T) {
	_, ts := testServer(t, Config{})
	body := map[string]any{"source": faultsC, "terminal": true}
	first := createSession(t, ts.URL, `{"engine":"sim","options":{"fault_around":1}}`)
	c, _, err := websocket.DefaultDialer.Dial(wsURL(ts.URL, first), nil)
	require.NoError(t, err)
	defer c.Close()
	resp, b := do(t, "POST", ts.URL+"/api/v1/sessions/"+first+"/run", jsonBody(body))
	require.Equal(t, http.StatusAccepted, resp.StatusCode, string(b))
	want, _ := eventsBySeq(t, c)
	require.Greater(t, len(want), 64, "the program's faults and more")
	last := uint64(len(want))
	cases := []struct {
		name   string
		seq    uint64
		paused bool
	}{
		{"paused at an event", 40, true},
		{"going on from an event", 40, false},
		{"at the first event", 1, true},
		{"at the exit", last, false},
	}
	defer func() {
		_, b := do(t, "GET", ts.URL+"/metrics", "")
		assert.Contains(t, string(b), "playground_sessions_resumed_total "+strconv.Itoa(len(cases)), "every run rebuilt at an event is counted")
	}()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id := createSession(t, ts.URL, `{"engine":"sim","options":{"fault_around":1}}`)
			resume := map[string]any{"source": faultsC, "terminal": true, "at_seq": tc.seq, "paused": tc.paused}
			resp, b := do(t, "POST", ts.URL+"/api/v1/sessions/"+id+"/run", jsonBody(resume))
			require.Equal(t, http.StatusAccepted, resp.StatusCode, string(b))
			var st runStatus
			require.NoError(t, json.Unmarshal(b, &st))
			if tc.paused || tc.seq == last {
				assert.Equal(t, tc.seq, st.Seq)
			} else {
				// Going on, the run may be past the event by the time it
				// answers (CI's -race run saw 169 for 40); the stream's state
				// message below is the one that must say the event.
				assert.GreaterOrEqual(t, st.Seq, tc.seq)
			}
			switch {
			case tc.seq == last:
				assert.Equal(t, "exited", st.State, "the exit is the run's end: nothing to pause at")
			case tc.paused:
				assert.Equal(t, "paused", st.State)
				var at map[string]any
				require.NoError(t, json.Unmarshal(st.Event, &at))
				wantAt := map[string]any{}
				require.NoError(t, json.Unmarshal([]byte(want[tc.seq]), &wantAt))
				assert.Equal(t, wantAt, at, "paused at the first run's event of that Seq")
			}
			if tc.seq == last {
				return
			}
			rc, _, err := websocket.DefaultDialer.Dial(wsURL(ts.URL, id), nil)
			require.NoError(t, err)
			defer rc.Close()
			if tc.paused {
				resp, b := do(t, "POST", ts.URL+"/api/v1/sessions/"+id+"/continue", `{}`)
				require.Equal(t, http.StatusOK, resp.StatusCode, string(b))
			}
			got, states := eventsBySeq(t, rc)
			require.Len(t, states, 1, "one state message, for the event resumed at")
			assert.Equal(t, float64(tc.seq), states[0]["seq"])
			for seq := uint64(1); seq <= last; seq++ {
				if seq <= tc.seq {
					assert.NotContains(t, got, seq, "the events up to the one resumed at are the page's already")
				} else {
					assert.Equal(t, want[seq], got[seq], "event %d", seq)
				}
			}
		})
	}
}

// TestResumeRefused: at_seq is for sessions on the simulated engine.
func TestResumeRefused(t *testing.T) {
	_, ts := testServer(t, Config{Runner: &fakeRunner{script: func(context.Context, func(engine.Event)) {}}})
	for _, tc := range []struct {
		name, engine, path string
		status             int
	}{
		{"a one-shot run", "", "/api/v1/run", http.StatusBadRequest},
		{"a real-engine session", "real", "session", http.StatusBadRequest},
		{"a run on both engines", "both", "session", http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.path
			if path == "session" {
				id := createSession(t, ts.URL, jsonBody(map[string]any{"engine": tc.engine}))
				path = "/api/v1/sessions/" + id + "/run"
			}
			resp, b := do(t, "POST", ts.URL+path, jsonBody(map[string]any{"source": helloC, "at_seq": 3}))
			assert.Equal(t, tc.status, resp.StatusCode, string(b))
			assert.Contains(t, string(b), "at_seq")
		})
	}
}
