package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/runner"
	"github.com/mmapplayground/playground/internal/sandbox"
)

// TestRealStepsToEachFault steps a real-engine session by fault: each step
// stops at the next fault of the program's area, at that page's address,
// with the program standing at that fault (the pages query shows the pages
// touched so far and no more), and the run then ends as the program does.
func TestRealStepsToEachFault(t *testing.T) {
	if err := (packageRunner{new(runner.Runner)}).Available(runner.EngineReal); err != nil {
		t.Skipf("this host cannot run the real engine: %v", err)
	}
	const pages = 8
	src := fmt.Sprintf(`#include <stdio.h>
#include <sys/mman.h>
int main(void) {
	char *p = mmap(NULL, %d * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (int i = 0; i < %d; i++)
		p[i * 4096] = 1;
	printf("touched\n");
	return 0;
}
`, pages, pages)
	_, ts := testServer(t, Config{Limits: Limits{RunTime: 30 * time.Second}})
	id := createSession(t, ts.URL, `{"engine":"real"}`)
	base := ts.URL + "/api/v1/sessions/" + id
	resp, b := do(t, "POST", base+"/run", jsonBody(map[string]any{"source": src, "paused": true}))
	require.Equal(t, http.StatusAccepted, resp.StatusCode, string(b))
	step := func(until string) (runStatus, engine.Event) {
		t.Helper()
		resp, b := do(t, "POST", base+"/step", jsonBody(map[string]any{"until": until}))
		require.Equal(t, http.StatusOK, resp.StatusCode, string(b))
		var st runStatus
		require.NoError(t, json.Unmarshal(b, &st))
		var e engine.Event
		if len(st.Event) > 0 {
			var err error
			e, err = sandbox.DecodeEvent(st.Event)
			require.NoError(t, err, string(st.Event))
		}
		return st, e
	}

	// To the area's mmap, event by event: the engine's notes on its fault
	// tiers come before it.
	var area uint64
	for i := 0; i < 2000 && area == 0; i++ {
		st, e := step("event")
		require.Equal(t, "paused", st.State, "the run ended before its mmap")
		if e.Type == engine.EvNote && (strings.Contains(e.Message, "perf_event_open refused") ||
			strings.Contains(e.Message, "does not stop a program at its faults")) {
			t.Skip(e.Message)
		}
		if e.Type == engine.EvSyscall && e.Name == "mmap" && len(e.Args) > 1 && e.Args[1].Int == pages*4096 {
			area = uint64(e.Ret)
		}
	}
	require.NotZero(t, area, "the area's mmap")

	// Each fault on the area, one step each.
	var addrs, wantAddrs []uint64
	var present, wantPresent []int
	for i := 0; i < 200 && len(addrs) < pages; i++ {
		st, e := step("fault")
		require.Equal(t, "paused", st.State, "the run ended before its faults were stepped to")
		require.Equal(t, engine.EvFault, e.Type, string(st.Event))
		if e.Addr < area || e.Addr >= area+pages*4096 {
			continue // the C library's, the stack's
		}
		addrs = append(addrs, e.Addr)
		wantAddrs = append(wantAddrs, area+uint64(len(wantAddrs))*4096)
		resp, b := do(t, "GET", fmt.Sprintf("%s/pages?pid=%d&start=%d&end=%d", base, e.Pid, area, area+pages*4096), "")
		require.Equal(t, http.StatusOK, resp.StatusCode, string(b))
		var pa pagesAnswer
		require.NoError(t, json.Unmarshal(b, &pa))
		n := 0
		for _, s := range pa.States {
			if engine.PageState(s) != engine.PageNone {
				n++
			}
		}
		present = append(present, n)
		wantPresent = append(wantPresent, len(wantPresent)+1)
	}
	assert.Equal(t, wantAddrs, addrs, "each page's fault, at its address, in order")
	assert.Equal(t, wantPresent, present, "the program stands at each fault: the pages touched so far are present, the next ones not yet")

	resp, b = do(t, "POST", base+"/continue", "{}")
	require.Equal(t, http.StatusOK, resp.StatusCode, string(b))
	st := waitState(t, ts.URL, id, "exited")
	require.NotNil(t, st.Result, "%+v", st)
	assert.Equal(t, 0, st.Result.Status)
}
