package browsertest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEditorTyping types in the editor as a student does: Enter indents
// (and opens a {} pair), "}" goes out a level, Ctrl+Z undoes each of them,
// the bracket at the cursor and its partner are marked (an unmatched one as
// an error), and long lines wrap at a button or Alt+Z with the line numbers
// beside their lines.
func TestEditorTyping(t *testing.T) {
	base := startReal(t)
	b := newBrowser(t, 1440, 900)
	b.open(base + "/?lang=en")
	value := func() string {
		var v string
		eval(b, `document.getElementById("source").value`, &v)
		return v
	}
	set := func(src string, cursor int) {
		b.evalVoid(`(() => { __pg.editor.value = ` + jsString(src) + `; const ta = document.getElementById("source"); ta.focus(); ta.setSelectionRange(` + itoa(cursor) + `, ` + itoa(cursor) + `); ta.dispatchEvent(new Event("keyup")); })()`)
	}
	key := func(k string, opts ...chromedp.KeyOption) {
		t.Helper()
		if len(opts) == 0 {
			for _, r := range k {
				b.typeKey(r)
			}
			return
		}
		b.must(5*time.Second, chromedp.KeyEvent(k, opts...))
	}

	// Enter between { and }: the } on its own line, the cursor indented.
	start := "int main(void) {}"
	set(start, len("int main(void) {"))
	key(kb.Enter)
	assert.Equal(t, "int main(void) {\n\t\n}", value())
	key("x;")
	assert.Equal(t, "int main(void) {\n\tx;\n}", value())
	key(kb.Enter)
	assert.Equal(t, "int main(void) {\n\tx;\n\t\n}", value(), "Enter keeps the indentation")
	key("}")
	assert.Equal(t, "int main(void) {\n\tx;\n}\n}", value(), "} goes one level out")
	// Undo takes back each change, to the start.
	for i := 0; i < 8 && value() != start; i++ {
		key("z", chromedp.KeyModifiers(chromedp.ModifierCtrl))
	}
	assert.Equal(t, start, value(), "Ctrl+Z undoes the editor's own changes as it undoes typing")

	// Brackets: after ")" both marked; an unmatched "(" marked alone, as an error.
	set("f(a[1]);", len("f(a[1])"))
	var marks []string
	b.frames()
	eval(b, `[...document.querySelectorAll('[data-testid="brackets"] .bm')].map(e => e.textContent + (e.classList.contains("bm-bad") ? "!" : ""))`, &marks)
	assert.Equal(t, []string{"(", ")"}, marks)
	set("f(a[1];", len("f("))
	b.frames()
	eval(b, `[...document.querySelectorAll('[data-testid="brackets"] .bm')].map(e => e.textContent + (e.classList.contains("bm-bad") ? "!" : ""))`, &marks)
	assert.Equal(t, []string{"(!"}, marks, "an unmatched bracket is marked as one")

	// Wrap: a long line scrolls sideways, then wraps, its number as tall as it.
	long := "int x = 1; /* " + strings.Repeat("a long comment ", 30) + "*/\nint y;\n"
	set(long, 0)
	var geo struct {
		Wide, Wrapped          bool
		Line1, Line2, TaH, PrH float64
	}
	measure := `(() => { const ta = document.getElementById("source"), g = document.getElementById("gutter").children, pre = document.getElementById("highlight");
		return {Wide: ta.scrollWidth > ta.clientWidth + 4, Wrapped: ta.getAttribute("wrap") === "soft", Line1: g[0].getBoundingClientRect().height, Line2: g[1].getBoundingClientRect().height,
			TaH: ta.scrollHeight, PrH: pre.scrollHeight}; })()`
	eval(b, measure, &geo)
	assert.True(t, geo.Wide, "without wrap the long line scrolls sideways")
	b.click("wrap")
	b.frames()
	eval(b, measure, &geo)
	assert.True(t, geo.Wrapped)
	assert.False(t, geo.Wide, "wrapped, nothing scrolls sideways")
	assert.Greater(t, geo.Line1, 2*geo.Line2, "the wrapped line's number is as tall as its rows")
	assert.InDelta(t, geo.TaH, geo.PrH, 3, "the highlighted text wraps as the textarea does")
	var pressed string
	eval(b, `document.querySelector('[data-testid="wrap"]').getAttribute("aria-pressed")`, &pressed)
	assert.Equal(t, "true", pressed)
	// Alt+Z turns it off again, from the editor.
	b.evalVoid(`document.getElementById("source").focus()`)
	key("z", chromedp.KeyModifiers(chromedp.ModifierAlt))
	eval(b, measure, &geo)
	require.False(t, geo.Wrapped, "Alt+Z toggles wrapping")
}

// typeKey presses the key of r as a keyboard does: a raw key-down, the
// character it types, a key-up. (chromedp's KeyEvent sends a key-down that
// types by itself and then the character again, so a key-down handler that
// prevents the default still sees the character typed.)
func (b *browser) typeKey(r rune) {
	b.t.Helper()
	evs := kb.Encode(r)
	b.must(5*time.Second, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for _, e := range evs {
			e := *e
			if e.Type == kb.KeyDown {
				e.Type = input.DispatchKeyEventTypeRawKeyDown
			}
			if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, e); err != nil {
				return err
			}
		}
		return nil
	}))
}

// jsString quotes s for JavaScript.
func jsString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\t", `\t`)
	return `"` + r.Replace(s) + `"`
}
