package browsertest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// realFaultSource touches its area's pages one by one on line 8.
const realFaultSource = `#include <stdio.h>
#include <sys/mman.h>
#define PAGES 6
int main(void)
{
	char *p = mmap(NULL, PAGES * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (int i = 0; i < PAGES; i++)
		p[i * 4096] = 1;
	printf("touched %d pages\n", PAGES);
	return 0;
}
`

// TestRealStepsByFault: a student picks the real engine and presses "Next
// fault" again and again. The program (gcc's build, under the kernel)
// stops at each of its faults: the page says paused at a fault event, the
// event log's current row is that fault at its address, the editor marks
// the line that touched the page, the kernel has the pages touched so far
// and not the next (the session's pages, as the page asks them), and the
// faults of the program's area come one page at a time, in order.
// "Continue" then runs it to its end.
func TestRealStepsByFault(t *testing.T) {
	base := startReal(t)
	b := newBrowser(t, 1440, 900)
	b.open(base + "/?src=" + b64url(realFaultSource) + "&engine=real&lang=en")
	var real string
	eval(b, `document.body.dataset.real`, &real)
	if real != "1" {
		t.Skip("this host offers no real engine")
	}
	b.evalVoid(watchRequests)

	type shown struct {
		Type   string  `json:"type"`
		Addr   float64 `json:"addr"`
		Line   int     `json:"line"`
		Row    string  `json:"row"`
		Gutter string  `json:"gutter"`
		Area   float64 `json:"area"`
		Notes  string  `json:"notes"`
	}
	// What the page shows at the event it is paused at.
	const at = `(() => {
		const r = __pg.run(), ev = r.events[r.events.length - 1];
		const mm = r.events.find(e => e.type === "syscall" && e.name === "mmap" && e.args && e.args[1] === 6 * 4096 && !e.errno);
		const row = document.querySelector('[data-testid="event-log"] .ev-row.cur');
		const cur = document.querySelector('#gutter .cur');
		return {type: ev.type, addr: ev.addr || 0, line: ev.line || 0, row: row ? row.textContent : "",
			gutter: cur ? cur.textContent : "", area: mm ? mm.ret : 0,
			notes: r.events.filter(e => e.type === "note").map(e => e.message).join("\n")};
	})()`
	var addrs, want []uint64
	for i := 0; i < 300 && len(addrs) < 6; i++ {
		var prev float64
		eval(b, `(__pg.run() && __pg.run().pausedSeq) || 0`, &prev)
		b.click("step-fault")
		// The step has answered (the program is paused at a later event)
		// and its event has come and is the log's current row.
		b.waitJS(60*time.Second, `(() => { const r = __pg.run(); if (!r) return false;
			if (r.done) return true;
			if (!(r.pausedSeq > `+fmt.Sprint(prev)+`)) return false;
			const ev = r.events, row = document.querySelector('[data-testid="event-log"] .ev-row.cur');
			return r.status === "paused" && ev.length > 0 && ev[ev.length - 1].seq === r.pausedSeq && ev[ev.length - 1].type === "fault" &&
				row !== null && +row.dataset.i === ev.length - 1; })()`)
		var s shown
		eval(b, at, &s)
		if strings.Contains(s.Notes, "perf_event_open refused") || strings.Contains(s.Notes, "does not stop a program at its faults") {
			t.Skip("this host gives no stops at faults: " + s.Notes)
		}
		var done bool
		eval(b, `__pg.run().done`, &done)
		require.False(t, done, "the run ended before its area's faults were stepped to (%d of 6)", len(addrs))
		require.Equal(t, "fault", s.Type)
		assert.Contains(t, s.Row, fmt.Sprintf("0x%x", uint64(s.Addr)), "the event log's current row is the fault, at its address")
		assert.NotContains(t, s.Row, "undefined", "a fault whose access the sample cannot tell is shown without one")
		area := uint64(s.Area)
		if area == 0 || uint64(s.Addr) < area || uint64(s.Addr) >= area+6*4096 {
			continue // the C library's, the stack's
		}
		// The program stands at that fault: the server's pages of the
		// area (the kernel's pagemap) are those touched so far, no more.
		var present int
		eval(b, fmt.Sprintf(`(async () => { const r = __pg.run(), ev = r.events[r.events.length - 1];
			const a = await __pg.client.pages(r.session.id, ev.pid, %d, %d);
			return [...atob(a.states)].filter(c => c.charCodeAt(0) !== 0).length; })()`, area, area+6*4096), &present)
		assert.Equal(t, len(addrs)+1, present, "fault %d: the program stands at it (the area's present pages)", len(addrs)+1)
		addrs = append(addrs, uint64(s.Addr))
		want = append(want, area+uint64(len(want))*4096)
		assert.Equal(t, 8, s.Line, "the fault's line: the store that touched the page")
		assert.Equal(t, "8", s.Gutter, "the editor marks that line")
	}
	assert.Equal(t, want, addrs, "each page of the area faults once, in order, one step each")
	require.Len(t, addrs, 6)

	b.click("continue")
	b.waitRun(60 * time.Second)
	var out string
	eval(b, `document.querySelector('[data-testid="stdout"]').textContent`, &out)
	assert.Equal(t, "touched 6 pages\n", out)
	var bad []string
	eval(b, `window.__bad`, &bad)
	assert.Empty(t, bad, "no request refused")
}
