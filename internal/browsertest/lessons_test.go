package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/mmapplayground/playground/examples"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pev is an event as this test reads it from the page.
type pev struct {
	Type, Name, Kind, Errno, Op, Why, Label, File, Text string
	Line, Pid, Child                                    int
	Addr                                                float64
	HasAddr                                             bool
	VMA, Old                                            *parea
}

type parea struct {
	Start, End float64
	File       string
	made       string // the call that made it: "mmap", "exec"...
}

// pageEvents is the run's events, with the fields moments use.
const pageEvents = `__pg.run().events.map(e => ({Type: e.type, Name: e.name || "", Kind: e.kind || "", Errno: e.errno || "", Op: e.op || "",
	Why: e.why || "", Label: e.label || "", File: e.file || "", Text: e.type === "stdout" ? e.text : "", Line: e.line || 0, Pid: e.pid || 0,
	Child: e.child || 0, Addr: e.addr || 0, HasAddr: e.addr != null,
	VMA: e.vma ? {Start: e.vma.start, End: e.vma.end, File: e.vma.file} : null, Old: e.old ? {Start: e.old.start, End: e.old.end, File: e.old.file} : null}))`

// matches lists the events m names, following the areas through the run
// as the kernel made them: this test's own reading of examples.Moment.
func matches(evs []pev, m *examples.Moment) []int {
	var out []int
	areas := map[int]map[float64]parea{}
	of := func(pid int) map[float64]parea {
		if areas[pid] == nil {
			areas[pid] = map[float64]parea{}
		}
		return areas[pid]
	}
	after := m.After == ""
	for i, e := range evs {
		if e.Type == "vma" && e.VMA != nil && e.Why != "exit" {
			a := of(e.Pid)
			if e.Op == "remove" {
				delete(a, e.VMA.Start)
			} else {
				// A fork's copy or a split keeps the area's maker.
				made := e.Why
				from := e.VMA.Start
				if e.Old != nil {
					from = e.Old.Start
				}
				if was, ok := a[from]; ok && (e.Why == "fork" || e.Why == "split" || e.Why == "merge" || e.Why == "mprotect") {
					made = was.made
				}
				if e.Old != nil {
					delete(a, e.Old.Start)
				}
				v := *e.VMA
				v.made = made
				a[e.VMA.Start] = v
			}
		}
		if e.Type == "process" && e.Op == "fork" && e.Child != 0 {
			c := of(e.Child)
			for k, v := range of(e.Pid) {
				c[k] = v
			}
		}
		if !after {
			after = e.Type == "checkpoint" && e.Label == m.After
			continue
		}
		ok := e.Type == m.Type &&
			(m.Name == "" || e.Name == m.Name) && (m.Kind == "" || e.Kind == m.Kind) &&
			(m.Errno == "" || (m.Errno == "ok" && e.Errno == "") || e.Errno == m.Errno) &&
			(m.Op == "" || e.Op == m.Op) && (m.Why == "" || e.Why == m.Why) && (m.Label == "" || e.Label == m.Label) &&
			(m.File == "" || e.File == m.File) && (m.Text == "" || strings.Contains(e.Text, m.Text)) && (m.Line == 0 || e.Line == m.Line)
		if ok && m.In != "" {
			var in *parea
			if e.VMA != nil {
				v := *e.VMA
				v.made = e.Why
				if known, ok := of(e.Pid)[e.VMA.Start]; ok {
					v.made = known.made
				}
				in = &v
			} else if e.HasAddr {
				for _, v := range of(e.Pid) {
					if e.Addr >= v.Start && e.Addr < v.End {
						v := v
						in = &v
					}
				}
			}
			// "anon" is an anonymous mapping the program made.
			name := ""
			if in != nil {
				name = in.File
				if name == "" && (in.made == "mmap" || in.made == "mremap") {
					name = "anon"
				}
			}
			ok = name == m.In
		}
		if ok {
			out = append(out, i)
		}
	}
	return out
}

// TestLessonsLand runs every lesson in both languages and follows each of
// its notices: the views go to the event the notice names (checked against
// this test's own reading of the run), what it says does not happen does
// not, the output it quotes is there, the counters it names are shown, and
// the panel it points at is pointed at and in the window.
func TestLessonsLand(t *testing.T) {
	base := startReal(t)
	b := newBrowser(t, 1440, 900)
	for _, lang := range []string{"en", "zh"} {
		for _, l := range examples.Lessons() {
			t.Run(lang+"/"+l.ID, func(t *testing.T) {
				b.open(base + "/?lesson=" + l.ID + "&lang=" + lang)
				b.waitJS(10*time.Second, `document.getElementById("source").value.length > 0`)
				b.click("run")
				b.waitRun(90 * time.Second)
				// A quarter of a million events take a while to cross.
				ctx, cancel := context.WithTimeout(b.ctx, 120*time.Second)
				evs, err := chromedp.Run(ctx, chromedp.Evaluate[[]pev](pageEvents))
				cancel()
				require.NoError(t, err)
				require.NotEmpty(t, evs)
				// A 1 GiB run can pass the server's time limit on a loaded
				// machine (about 3 s of it at load 14): then the page must
				// say so plainly, with the setting that changes it, and the
				// notices of a run cut short are not judged.
				var limit string
				eval(b, `(__pg.run().events.find(e => e.type === "error" && /time limit/.test(e.message)) || {}).message || ""`, &limit)
				if limit != "" {
					var said string
					eval(b, `(document.querySelector('[data-testid="limit-time"]') || {}).textContent || ""`, &said)
					require.Contains(t, said, "--run-time", "a run stopped at the time limit says which setting changes it")
					require.Contains(t, said, "PLAYGROUND_RUN_TIME")
					t.Skipf("the run hit the server's time limit (%s), and the page said so: %q; its notices are not judged", limit, said)
				}
				var out string
				eval(b, `document.querySelector('[data-testid="stdout"]').textContent`, &out)
				if l.Moment != nil {
					want := matches(evs, l.Moment)
					require.NotEmpty(t, want, "the lesson's moment happens")
					var got int
					eval(b, `__pg.ui.viewIndex`, &got)
					assert.Equal(t, want[0], got, "after Run the views rest at the lesson's moment")
				}
				for k, n := range l.Notices {
					name := fmt.Sprintf("notice %d (%s)", k, n.View)
					var text string
					eval(b, fmt.Sprintf(`document.querySelector('[data-testid="notice-%d"]').textContent`, k), &text)
					assert.NotEmpty(t, text, name)
					if lang == "zh" {
						assert.Regexp(t, `\p{Han}`, text, "%s in Chinese", name)
					}
					b.click(fmt.Sprintf("notice-%d", k))
					b.frames()
					if n.At != nil {
						want := matches(evs, n.At)
						nth := max(n.At.Nth, 1)
						if assert.GreaterOrEqual(t, len(want), nth, "%s: the event it names happens: %+v", name, *n.At) && n.View != "stdout" {
							var got int
							eval(b, `__pg.ui.viewIndex`, &got)
							assert.Equal(t, want[nth-1], got, "%s: the views go to the event it names", name)
						}
					}
					if n.Absent != nil {
						assert.Empty(t, matches(evs, n.Absent), "%s: what it says does not happen does not: %+v", name, *n.Absent)
					}
					for _, s := range n.Output {
						assert.Contains(t, out, s, "%s: the output it quotes", name)
					}
					for _, c := range n.Counters {
						var shown bool
						eval(b, `!!document.querySelector('[data-counter="`+c+`"]')`, &shown)
						assert.True(t, shown, "%s: the counter %s is on the page", name, c)
					}
					var spots map[string]string
					eval(b, visibleAll+`((() => [...document.querySelectorAll(".spot")].map(e => { if (!e.dataset.testid) e.setAttribute("data-testid", "spot-" + e.dataset.view); return e.dataset.testid; }))(), 16)`, &spots)
					assert.NotEmpty(t, spots, "%s: a panel is pointed at", name)
					for p, v := range spots {
						assert.Equal(t, "ok", v, "%s: the panel pointed at (%s) is in the window", name, p)
					}
				}
			})
		}
	}
}

// TestLessonShowsItsArea: a moment that names an area puts it on the page
// map: right after fork, the private page, copy-on-write.
func TestLessonShowsItsArea(t *testing.T) {
	base := startReal(t)
	b := newBrowser(t, 1440, 900)
	b.open(base + "/?lesson=fork-cow&lang=en")
	b.waitJS(10*time.Second, `document.getElementById("source").value.length > 0`)
	b.click("run")
	b.waitRun(60 * time.Second)
	var file string
	eval(b, `__pg.pagemap.vma.file`, &file)
	assert.Equal(t, "", file, "the private anonymous area is on the page map")
	colors, err := evalT[map[string]int](b, canvasColors)
	require.NoError(t, err)
	assert.Greater(t, colors["cow"], 0, "its page drawn copy-on-write: %v", colors)
}
