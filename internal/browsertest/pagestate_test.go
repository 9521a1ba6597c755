package browsertest

import (
	"testing"
	"time"

	"github.com/mmapplayground/playground/examples"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// enginePages compares the page's drawing of the area on view with the
// engine's own answer at the same event: a session given the same program
// is taken back to that event (POST .../back) and asked for the area's
// pages (GET .../pages). It answers {same, n, diff} (diff: first pages
// that differ, as "index: page's/engine's").
const enginePages = `(async () => {
	const r = __pg.run(), i = __pg.ui.viewIndex >= 0 ? __pg.ui.viewIndex : r.events.length - 1;
	const pm = __pg.pagemap, v = pm.vma, p = pm.proc;
	if (!v || !p) return {same: false, n: 0, diff: ["no area on view"]};
	const api = (m, path, body) => fetch("/api/v1" + path, {method: m, headers: {"Content-Type": "application/json"}, body: body && JSON.stringify(body)}).then(x => x.json());
	const s = await api("POST", "/sessions", {engine: "sim", options: {ram: r.model.ram, fault_around: +document.getElementById("fault-around").value}});
	const ex = __pg.ui.example;
	await api("POST", "/sessions/" + s.id + "/run", {name: ex.name + ".c", source: __pg.editor.value, args: ex.args || [], files: ex.files || {}, paused: true, terminal: true});
	await api("POST", "/sessions/" + s.id + "/back", {seq: r.events[i].seq});
	const a = await api("GET", "/sessions/" + s.id + "/pages?pid=" + p.pid + "&start=" + v.start + "&end=" + v.end);
	await fetch("/api/v1/sessions/" + s.id, {method: "DELETE"});
	const bin = atob(a.states), n = (v.end - v.start) / 4096;
	const mine = p.states(v.start / 4096, n, new Uint8Array(n));
	const diff = [];
	for (let k = 0; k < n; k++) if (mine[k] !== bin.charCodeAt(k)) { if (diff.length < 5) diff.push(k + ": " + a.legend[mine[k]] + "/" + a.legend[bin.charCodeAt(k)]); }
	// What the run was, for a failure's message.
	const ex2 = r.events[r.events.length - 1] || {};
	const at = r.events[i] || {};
	const run = "event " + i + " of " + r.events.length + " (seq " + at.seq + ", " + at.type + "), exit seq " + ex2.seq + " status " + ex2.status + " " + (ex2.signal || "") + ", dropped " + (r.dropped || 0) + ", rest " + JSON.stringify(__pg.ui.rest && __pg.ui.rest.why);
	return {same: diff.length === 0 && bin.length === n, n, diff, run};
})()`

// TestPageStatesAreTheEngines: for every example, at the moment the views
// rest after Run, the page map shows each page of the area on view in the
// state the engine gives it at that event.
func TestPageStatesAreTheEngines(t *testing.T) {
	base := startReal(t)
	b := newBrowser(t, 1440, 900)
	for _, ex := range examples.All() {
		if len(ex.Engines) > 0 && !contains(ex.Engines, "sim") {
			continue
		}
		t.Run(ex.Name, func(t *testing.T) {
			b.open(base + "/?example=" + ex.Name + "&run=1&lang=en")
			b.waitRun(60 * time.Second)
			var areas int
			eval(b, `__pg.run().model.procList().length`, &areas)
			if areas == 0 {
				t.Skip("the example does not compile (it is printed as the tutorial has it)")
			}
			// The page takes the engine's pages for the area at the event
			// (the events alone, for a run too long to replay).
			b.waitJS(20*time.Second, `(() => { const r = __pg.run(), e = r.events[__pg.ui.viewIndex]; return !__pg.pagemap.vma || r.events.length > 50000 || (__pg.ui.enginePages && __pg.ui.enginePages.seq === e.seq); })()`)
			var res struct {
				Same bool
				N    int
				Diff []string
				Run  string
			}
			eval(b, enginePages, &res)
			require.Greater(t, res.N, 0)
			assert.True(t, res.Same, "%d pages; page's/engine's: %v; %s", res.N, res.Diff, res.Run)
		})
	}
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}
