package browsertest

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTimeline walks a finished run with the timeline's keys and buttons:
// the status says what the event on view is, the walk follows a fault, and
// the frames are the server's at that event, the same however it was
// reached.
func TestTimeline(t *testing.T) {
	base := startReal(t)
	b := newBrowser(t, 1440, 900)
	b.open(base + "/?example=three_phases&run=1&lang=en")
	b.waitRun(30 * time.Second)

	var n int
	eval(b, `__pg.run().events.length`, &n)
	cur := func() int {
		var i int
		eval(b, `__pg.ui.viewIndex`, &i)
		return i
	}
	key := func(k string) {
		t.Helper()
		b.evalVoid(`document.activeElement && document.activeElement.blur()`)
		b.must(5*time.Second, chromedp.KeyEvent(k))
		b.frames()
	}
	var where string
	key(kb.Home)
	assert.Equal(t, 0, cur(), "Home: the first event")
	eval(b, `document.querySelector('[data-testid="where"]').textContent`, &where)
	assert.Contains(t, where, "Event 1 of ", "the status counts the events")
	assert.Contains(t, where, "execve", "and says what the first one is")
	key(kb.ArrowRight)
	assert.Equal(t, 1, cur(), "→: the next event")
	key(kb.End)
	assert.Equal(t, n-1, cur(), "End: the last event")

	// F from the start: the first fault; its words and its walk.
	key(kb.Home)
	key("f")
	var ev map[string]any
	eval(b, `__pg.run().events[__pg.ui.viewIndex]`, &ev)
	require.Equal(t, "fault", ev["type"])
	eval(b, `document.querySelector('[data-testid="where"]').textContent`, &where)
	assert.Contains(t, where, "faulted", "a fault said in words")
	var walk string
	eval(b, `document.querySelector('[data-testid="walk-addr"]').value`, &walk)
	assert.NotEmpty(t, walk, "the walk follows the fault")
	// F again until the fault that reads data.bin from disk.
	presses := 1
	for ; presses < 10 && ev["kind"] != "file-major"; presses++ {
		key("f")
		eval(b, `__pg.run().events[__pg.ui.viewIndex]`, &ev)
	}
	require.Equal(t, "file-major", ev["kind"], "F reaches the fault that reads data.bin from disk")
	k := cur()

	// The frames at that event are the server's; the same numbers
	// reached from the end with the scrubber, and from the start by keys.
	frames := func() string {
		t.Helper()
		b.waitJS(20*time.Second, `(() => { const e = __pg.run().events[__pg.ui.viewIndex]; return __pg.ui.serverSeq === e.seq; })()`)
		b.frames()
		var s string
		eval(b, `document.querySelector('[data-testid="page-cache"]').textContent`, &s)
		return s
	}
	byKeys := frames()
	assert.Contains(t, byKeys, "data.bin", "the page cache at the fault holds data.bin")
	key(kb.End)
	b.evalVoid(`(() => { const s = document.querySelector('[data-testid="scrubber"]'); s.value = String(` + itoa(k) + `); s.dispatchEvent(new Event("input")); })()`)
	assert.Equal(t, k, cur(), "the scrubber goes to the event")
	assert.Equal(t, byKeys, frames(), "the same frames by the scrubber")
	b.click("tl-first")
	for i := 0; i < presses; i++ {
		b.click("step-fault")
	}
	assert.Equal(t, k, cur(), "Next fault as many times from the first event")
	assert.Equal(t, byKeys, frames(), "the same frames by the buttons")

	// Shift+S goes back to the previous system call.
	key(kb.End)
	b.must(5*time.Second, chromedp.KeyEvent("S", chromedp.KeyModifiers(chromedp.ModifierShift)))
	b.frames()
	eval(b, `__pg.run().events[__pg.ui.viewIndex]`, &ev)
	assert.Equal(t, "syscall", ev["type"], "Shift+S: the previous system call")
}

func itoa(i int) string {
	b := []byte{}
	if i == 0 {
		return "0"
	}
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}
