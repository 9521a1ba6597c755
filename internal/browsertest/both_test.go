package browsertest

import (
	"context"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/api"
)

// TestBothEnginesColumns: a run on both engines shows each engine's output
// and counters in its own labelled column, with what differs marked.
func TestBothEnginesColumns(t *testing.T) {
	base := startReal(t)
	b := newBrowser(t, 1440, 900)
	b.open(base + "/?example=split_areas&engine=both&run=1&lang=en")
	var real string
	eval(b, `document.body.dataset.real`, &real)
	if real != "1" {
		t.Skip("this host offers no real engine")
	}
	b.waitRun(90 * time.Second)
	var sim, rl, ha, hb string
	eval(b, `document.querySelector('[data-testid="stdout"]').textContent`, &sim)
	eval(b, `document.querySelector('[data-testid="stdout-real"]').textContent`, &rl)
	eval(b, `document.getElementById("out-engine-a").textContent`, &ha)
	eval(b, `document.getElementById("out-engine-b").textContent`, &hb)
	assert.Contains(t, ha, "Simulated kernel")
	assert.Contains(t, hb, "Real kernel")
	assert.Contains(t, sim, "area(s)")
	assert.Contains(t, rl, "area(s)")
	var simOut, realOut string
	eval(b, `__pg.run().events.filter(e => e.type === "stdout" && e.engine === "sim").map(e => e.text).join("")`, &simOut)
	eval(b, `__pg.run().events.filter(e => e.type === "stdout" && e.engine === "real").map(e => e.text).join("")`, &realOut)
	assert.Equal(t, simOut, sim, "the simulated kernel's column is its output")
	assert.Equal(t, realOut, rl, "the real kernel's column is its output")

	// The lines that differ (the maps' addresses: the real kernel's are
	// randomized) are marked, in both columns, and the lines both printed
	// are not.
	var marked struct{ Sim, Real []string }
	eval(b, `({Sim: [...document.querySelectorAll('[data-testid="stdout"] .line.differ')].map(e => e.textContent),
		Real: [...document.querySelectorAll('[data-testid="stdout-real"] .line.differ')].map(e => e.textContent)})`, &marked)
	require.NotEmpty(t, marked.Sim, "the simulated kernel's differing lines are marked")
	require.NotEmpty(t, marked.Real, "the real kernel's differing lines are marked")
	for _, l := range marked.Sim {
		assert.NotContains(t, realOut, l, "a marked line is not in the other's output")
	}
	var same []string
	eval(b, `[...document.querySelectorAll('[data-testid="stdout"] .line:not(.differ)')].map(e => e.textContent)`, &same)
	for _, l := range same {
		assert.Contains(t, realOut, l, "an unmarked line is in both")
	}

	// The counters: one column per kernel, the real kernel's its own.
	b.click("tab-counters")
	b.frames()
	var c struct {
		Head      []string
		Sim, Real map[string]string
		Differ    []string
	}
	eval(b, `(() => { const d = document.querySelector('[data-testid="counters"]');
		const row = (k, sel) => Object.fromEntries([...d.querySelectorAll('div[data-counter]')].map(r => [r.dataset.counter, r.querySelector(sel).textContent]));
		return {Head: [...d.querySelectorAll('.head dd')].map(e => e.textContent), Sim: row(0, 'dd:not(.real)'), Real: row(0, 'dd.real'),
			Differ: [...d.querySelectorAll('div.differ')].map(r => r.dataset.counter)}; })()`, &c)
	assert.Equal(t, []string{"Simulated kernel", "Real kernel (this host)"}, c.Head)
	var simC, realC map[string]float64
	eval(b, `__pg.run().events.find(e => e.type === "exit" && e.engine === "sim").counters`, &simC)
	eval(b, `__pg.run().events.find(e => e.type === "exit" && e.engine === "real").counters`, &realC)
	assert.Equal(t, fmtCount(simC["syscalls"]), c.Sim["syscalls"], "the simulated kernel's count")
	assert.Equal(t, fmtCount(realC["minor_faults"]), c.Real["minor_faults"], "the real kernel's own count")
	for k, v := range simC {
		if _, shown := c.Sim[k]; shown && v != realC[k] {
			assert.Contains(t, c.Differ, k, "the counter %s differs and is marked", k)
		}
	}
	b.screenshot(shotDir(t), "both-1440x900")
}

// fmtCount is a count as the page writes it in English (toLocaleString).
func fmtCount(v float64) string {
	s := strconv.FormatInt(int64(v), 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// startLimited is the real server with the given limits.
func startLimited(t *testing.T, l api.Limits) string {
	t.Helper()
	srv, err := api.New(api.Config{Limits: l})
	require.NoError(t, err)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	})
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return hs.URL
}

// TestLimitsSaid: a run a limit of the server stopped or refused is said in
// plain words with the setting that changes it, the server's value and,
// where the real kernel's worker cannot run it, the engine that can; the
// page's patterns are held here to the messages real runs end with.
func TestLimitsSaid(t *testing.T) {
	loop := `#include <stdio.h>
int main(void) { volatile long n = 0; for (;;) n++; return 0; }
`
	big := `#include <stdio.h>
#include <sys/mman.h>
int main(void)
{
	char *p = mmap(NULL, 3L << 30, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	return 0;
}
`
	tests := []struct {
		name, engine, src string
		limits            api.Limits
		testid            string
		want              []string
		real              bool
	}{
		{"steps", "sim", loop, api.Limits{RunSteps: 20000}, "limit-steps",
			[]string{"step limit (20000 steps)", "--run-steps", "PLAYGROUND_RUN_STEPS"}, false},
		{"time on the real kernel", "real", loop, api.Limits{RunTime: 2 * time.Second}, "limit-time",
			[]string{"time limit (2s)", "--run-time", "PLAYGROUND_RUN_TIME", "simulated"}, true},
		{"the real kernel's map cap", "real", big, api.Limits{}, "limit-map",
			[]string{"mmap failed with ENOMEM", "--real-map-bytes", "PLAYGROUND_REAL_MAP_BYTES", "simulated"}, true},
	}
	tests = append(tests, struct {
		name, engine, src string
		limits            api.Limits
		testid            string
		want              []string
		real              bool
	}{"the 1 GiB lesson past the time limit", "sim", "", api.Limits{RunTime: 200 * time.Millisecond}, "limit-time",
		[]string{"time limit (200ms)", "--run-time", "PLAYGROUND_RUN_TIME"}, false})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := startLimited(t, tt.limits)
			b := newBrowser(t, 1440, 900)
			if tt.src == "" {
				b.open(base + "/?lesson=big-touch&run=1&lang=en")
			} else {
				b.open(base + "/?engine=" + tt.engine + "&lang=en&run=1&src=" + b64url(tt.src))
			}
			if tt.real {
				var real string
				eval(b, `document.body.dataset.real`, &real)
				if real != "1" {
					t.Skip("this host offers no real engine")
				}
			}
			b.waitRun(120 * time.Second)
			var said, status string
			eval(b, `(document.querySelector('[data-testid="`+tt.testid+`"]') || {}).textContent || ""`, &said)
			eval(b, `document.querySelector('[data-testid="status"]').textContent`, &status)
			for _, w := range tt.want {
				assert.Contains(t, said, w)
			}
			assert.Equal(t, said, status, "the status says it too")
			var shown bool
			eval(b, `!document.querySelector('[data-testid="limits"]').hidden`, &shown)
			assert.True(t, shown)
		})
	}
}
