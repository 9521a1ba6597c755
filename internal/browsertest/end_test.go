package browsertest

import (
	"testing"
	"time"

	"github.com/mmapplayground/playground/examples"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRunEndsAtTheMoment: after Run the views rest where the program's own
// mapping last existed (before the munmap that removed it, or before the
// exit teardown), and the status says so in words.
func TestRunEndsAtTheMoment(t *testing.T) {
	base := startReal(t)
	b := newBrowser(t, 1440, 900)
	tests := []struct {
		example, rest, area, status string
	}{
		// three_phases munmaps data.bin before it returns: the views rest
		// at the moment before munmap's events (its last output, written
		// at the newline as on a terminal).
		{"three_phases", `e.type === "syscall" && e.name === "munmap"`, "data.bin", "munmap"},
		// lazy_vs_populate unmaps its two areas one after the other: the
		// views rest before the first munmap, both areas there.
		{"lazy_vs_populate", `e.type === "syscall" && e.name === "munmap"`, "", "munmap"},
		// fork_share's process A munmaps shared.txt last: the page map
		// shows shared.txt, not the larger heap.
		{"fork_share", `e.type === "syscall" && e.name === "munmap" && e.pid === 1000`, "shared.txt", "munmap"},
		// segv_readonly is killed by SIGSEGV: the views rest at the signal,
		// before the teardown.
		{"segv_readonly", `e.type === "signal"`, "", "signal"},
	}
	for _, tc := range tests {
		t.Run(tc.example, func(t *testing.T) {
			b.open(base + "/?example=" + tc.example + "&run=1&lang=en")
			b.waitRun(60 * time.Second)
			var got, want int
			eval(b, `__pg.ui.viewIndex`, &got)
			// The moment itself, or, for a call that removes the mapping,
			// the moment before the call's first event.
			eval(b, `(() => { const ev = __pg.run().events; let j = ev.findIndex(e => `+tc.rest+`);
				if (ev[j].name !== "munmap") return j;
				while (j > 0 && !["syscall","fault","checkpoint","stdout","stderr","signal","exec","process","exit"].includes(ev[j-1].type)) j--;
				return j - 1; })()`, &want)
			require.GreaterOrEqual(t, want, 0)
			assert.Equal(t, want, got, "the views rest at the moment")
			var status string
			eval(b, `document.querySelector('[data-testid="status"]').textContent`, &status)
			assert.Contains(t, status, tc.status, "the status says where the views are")
			var title string
			eval(b, `document.getElementById("pm-title").textContent`, &title)
			assert.Contains(t, title, tc.area, "the page map shows the program's mapping")
			var areas []string
			eval(b, `[...document.querySelectorAll('[data-testid="vma-list"] li[data-start]')].map(li => li.textContent)`, &areas)
			if tc.area != "" {
				assert.True(t, anyContains(areas, tc.area), "the mapping is listed: %q", areas)
			}
			var present int
			eval(b, `(() => { const pm = __pg.pagemap; return pm.proc.countPresent(pm.vma); })()`, &present)
			assert.Greater(t, present, 0, "the mapping's pages are drawn present")
		})
	}
}

// TestRestShowsTheMapping: for every example whose program maps memory of
// its own, the page map after Run shows that mapping at the moment the
// views rest, never the heap or the C library's areas instead.
func TestRestShowsTheMapping(t *testing.T) {
	base := startReal(t)
	b := newBrowser(t, 1440, 900)
	for _, ex := range examples.All() {
		if !ex.RunsOn("sim") || ex.Expect.CompileError || ex.Name == "bigtouch" {
			continue
		}
		t.Run(ex.Name, func(t *testing.T) {
			b.open(base + "/?example=" + ex.Name + "&run=1&lang=en")
			b.waitRun(60 * time.Second)
			var r struct {
				HasArea        bool
				Start, End     float64
				PmStart, PmEnd float64
				PmFile, Why    string
			}
			eval(b, `(() => { const u = __pg.ui.rest || {}, pm = __pg.pagemap;
				return {HasArea: !!u.vma, Start: u.vma ? u.vma.start : 0, End: u.vma ? u.vma.end : 0, Why: u.why || "",
					PmStart: pm.vma ? pm.vma.start : 0, PmEnd: pm.vma ? pm.vma.end : 0, PmFile: pm.vma ? pm.vma.file || "" : ""}; })()`, &r)
			if !r.HasArea {
				t.Skipf("the views rest at %q, with no mapping of the program's own", r.Why)
			}
			assert.True(t, r.PmStart < r.End && r.PmEnd > r.Start, "the page map shows the mapping the moment is about (%x-%x), not %q %x-%x", int64(r.Start), int64(r.End), r.PmFile, int64(r.PmStart), int64(r.PmEnd))
			assert.NotEqual(t, "[heap]", r.PmFile)
		})
	}
}
