package browsertest

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// visibleAll reports, for each panel, whether it is fully inside the
// window and at least minH pixels tall.
const visibleAll = `((names, minH) => {
	const out = {};
	for (const n of names) {
		const e = document.querySelector('[data-testid="' + n + '"]');
		if (!e) { out[n] = "missing"; continue; }
		const r = e.getBoundingClientRect();
		const ok = r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight + 1 && r.right <= innerWidth + 1 && r.height >= minH && r.width >= 40;
		out[n] = ok ? "ok" : "top " + Math.round(r.top) + " bottom " + Math.round(r.bottom) + " h " + Math.round(r.height) + " w " + Math.round(r.width);
	}
	return out;
})`

// TestOneScreen: at laptop sizes the code, the controls, the address
// space, the page map, the event log and the output are all in the window
// at once, with a lesson open too; the page does not scroll.
func TestOneScreen(t *testing.T) {
	base := startReal(t)
	for _, size := range [][2]int{{1366, 768}, {1440, 900}, {1920, 1080}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			b := newBrowser(t, size[0], size[1])
			b.open(base + "/?lesson=three-phases&lang=en")
			b.waitJS(10*time.Second, `document.getElementById("source").value.length > 0`)
			b.click("run")
			b.waitRun(30 * time.Second)
			var vis map[string]string
			eval(b, visibleAll+`(["source","run","step-fault","scrubber","where","vma-list","pm-wrap","event-log","stdout","notice-0"], 16)`, &vis)
			for k, v := range vis {
				assert.Equal(t, "ok", v, "%s is in the window", k)
			}
			var scroll int
			eval(b, `document.documentElement.scrollHeight - innerHeight`, &scroll)
			assert.LessOrEqual(t, scroll, 0, "the page does not scroll")
			b.screenshot(shotDir(t), fmt.Sprintf("onescreen-%dx%d", size[0], size[1]))
		})
	}
}

// TestPhoneStacks: at 390x844 the panes stack and nothing is wider than
// the screen.
func TestPhoneStacks(t *testing.T) {
	base := startReal(t)
	b := newBrowser(t, 390, 844)
	b.open(base + "/?example=three_phases&run=1&lang=zh")
	b.waitRun(30 * time.Second)
	var wide []string
	eval(b, `[...document.querySelectorAll("body *")].filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.right > innerWidth + 1 && !e.closest(".event-log,.pm-wrap,.code-wrap,.gutter,.stdout"); }).slice(0, 8).map(e => e.tagName + "#" + e.id + "." + e.className + " " + Math.round(e.getBoundingClientRect().right))`, &wide)
	assert.Empty(t, wide, "elements wider than the phone")
	var overflow int
	eval(b, `document.documentElement.scrollWidth - innerWidth`, &overflow)
	assert.LessOrEqual(t, overflow, 0, "no sideways scroll")
	b.screenshot(shotDir(t), "phone-zh")
}

// TestChineseGlossary: in Chinese the page uses the tutorials' words, one
// for each thing, and its labels are Chinese.
func TestChineseGlossary(t *testing.T) {
	base := startReal(t)
	b := newBrowser(t, 1440, 900)
	b.open(base + "/?example=shared_private_cow&run=1&lang=zh")
	b.waitRun(30 * time.Second)
	b.evalVoid(`document.querySelector('[data-testid="tab-frames"]').click()`)
	b.frames()
	var text string
	eval(b, `document.body.innerText`, &text)
	for _, w := range []string{"虚拟内存区域", "缺页异常", "页缓存", "写时复制", "页帧"} {
		assert.Contains(t, text, w, "the glossary's %s", w)
	}
	for _, w := range []string{"页框", "预读映射", "种子", "Seed 0"} {
		assert.NotContains(t, text, w, "not %s", w)
	}
	var labels []string
	eval(b, `[...document.querySelectorAll("button:not([data-lang]), h2, .tabs button, .ev-filters span, .ev-row .ty")].map(e => e.textContent.trim()).filter(s => /^[A-Za-z][a-z]+( [a-z]+)*$/.test(s))`, &labels)
	assert.Empty(t, labels, "English labels in the Chinese page")
}
