package browsertest

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/examples"
)

// runEvents is what the run did, event by event, without the numbers a
// second run may give differently: its type, call, fault kind, source line
// and why.
const runEvents = `__pg.run().events.map(e => [e.type, e.name || "", e.kind || "", e.line || 0, e.why || ""].join("/"))`

// TestChineseComments: in Chinese the editor shows an example with its
// comments in Chinese (the examples' source_zh), the same program line for
// line, so Run gives the same events, at the same lines, as the English
// text; switching the language switches the comments, but never a program
// the student has changed.
func TestChineseComments(t *testing.T) {
	ex, ok := examples.Get("three_phases")
	require.True(t, ok)
	require.NotEmpty(t, ex.SourceZh)

	base := startReal(t)
	b := newBrowser(t, 1440, 900)
	b.open(base + "/?example=three_phases&engine=sim&run=1&lang=zh")
	b.waitRun(60 * time.Second)
	var text string
	eval(b, `__pg.editor.value`, &text)
	assert.Equal(t, ex.SourceZh, text, "the editor shows the Chinese text")
	assert.Contains(t, text, "缺页异常", "in the glossary's words")
	eval(b, `document.getElementById("highlight").textContent`, &text)
	assert.Contains(t, text, "第三阶段", "the editor draws the Chinese comments")
	var zhEvents []string
	eval(b, runEvents, &zhEvents)
	require.NotEmpty(t, zhEvents)
	var zhOut string
	eval(b, `document.querySelector('[data-testid="stdout"]').textContent`, &zhOut)

	// English: the English comments, and Run gives the same events.
	b.evalVoid(`window.__zhRun = __pg.run(); document.querySelector('[data-lang="en"]').click()`)
	b.frames()
	eval(b, `__pg.editor.value`, &text)
	assert.Equal(t, ex.Source, text, "in English the English text")
	b.click("run")
	b.waitJS(60*time.Second, `__pg.run() !== window.__zhRun && __pg.run().exited && __pg.run().done && __pg.idle()`)
	var enEvents []string
	eval(b, runEvents, &enEvents)
	assert.Equal(t, enEvents, zhEvents, "the same events at the same lines")
	var enOut string
	eval(b, `document.querySelector('[data-testid="stdout"]').textContent`, &enOut)
	assert.Equal(t, enOut, zhOut, "the same output")
	var back string
	eval(b, `document.querySelector('[data-lang="zh"]').click(), __pg.editor.value`, &back)
	assert.Equal(t, ex.SourceZh, back, "back in Chinese")

	// A program the student changed stays as it is in either language.
	b.evalVoid(`(() => { const ta = document.querySelector('[data-testid="source"]'); ta.value = ta.value.replace("// 从此", "// 我的：从此"); ta.dispatchEvent(new Event("input")); })()`)
	eval(b, `__pg.editor.value`, &text)
	require.Contains(t, text, "我的")
	b.evalVoid(`document.querySelector('[data-lang="en"]').click()`)
	var after string
	eval(b, `__pg.editor.value`, &after)
	assert.Equal(t, text, after, "the student's program is not replaced")
	assert.True(t, strings.Contains(after, "第三阶段"))
}
