package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStateAfterExit: once a session's run has ended, GET .../state answers
// the address space as the program left it (its main process's areas when
// it called exit_group, before teardown), and every list is [] rather than
// null, at the end and at any event after teardown.
func TestStateAfterExit(t *testing.T) {
	_, ts := testServer(t, Config{})
	sid := createSession(t, ts.URL, `{"engine":"sim"}`)
	resp, b := do(t, "POST", ts.URL+"/api/v1/sessions/"+sid+"/run", jsonBody(map[string]any{"source": faultsC}))
	require.Equal(t, http.StatusAccepted, resp.StatusCode, string(b))
	end := waitState(t, ts.URL, sid, "exited")

	state := func(query string) map[string]any {
		t.Helper()
		resp, b := do(t, "GET", ts.URL+"/api/v1/sessions/"+sid+"/state"+query, "")
		require.Equal(t, http.StatusOK, resp.StatusCode, string(b))
		var ans map[string]any
		require.NoError(t, json.Unmarshal(b, &ans))
		return ans["state"].(map[string]any)
	}

	st := state("")
	procs, ok := st["processes"].([]any)
	require.True(t, ok, "processes is a list: %v", st["processes"])
	require.Len(t, procs, 1)
	p := procs[0].(map[string]any)
	vmas, ok := p["vmas"].([]any)
	require.True(t, ok, "vmas is a list: %v", p["vmas"])
	// The program's 64-page mapping is there, every page present (in an
	// area of its own, or merged as the kernel merges it with the anonymous
	// area the C library's loader left beside it, whose pages the loader
	// made present count too).
	var found bool
	for _, v := range vmas {
		v := v.(map[string]any)
		pages := (v["end"].(float64) - v["start"].(float64)) / 4096
		if pages >= 64 && v["file"] == "" && v["present_pages"].(float64) >= 64 && v["present_pages"].(float64) <= pages {
			found = true
		}
	}
	assert.True(t, found, "the 64-page mapping in %v", vmas)
	_, ok = st["files"].([]any)
	assert.True(t, ok, "files is a list: %v", st["files"])

	// At the last event (after teardown) the lists are empty, not null.
	last := state("?seq=" + strconv.FormatUint(end.Seq, 10))
	lp, ok := last["processes"].([]any)
	require.True(t, ok, "processes at the last event: %v", last["processes"])
	for _, p := range lp {
		_, ok := p.(map[string]any)["vmas"].([]any)
		assert.True(t, ok, "vmas at the last event is a list: %v", p)
	}
}
