package browsertest

import (
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/mmapplayground/playground/examples"
)

// TestExamplesAsAReaderSeesThem: the editor holds each example as a reader
// of the tutorial would see it, without the playground's header lines, and
// an example taken from a tutorial says so beside its file name, in words,
// in either language; in Chinese its comments are Chinese.
func TestExamplesAsAReaderSeesThem(t *testing.T) {
	base := startReal(t)
	b := newBrowser(t, 1440, 900)
	header := regexp.MustCompile(`(?m)^// (title|title_zh|from|from_zh|files|args|engines|native|expect): `)
	for _, ex := range examples.All() {
		t.Run(ex.Name, func(t *testing.T) {
			b.open(base + "/?example=" + ex.Name + "&lang=en")
			b.waitJS(10*time.Second, `document.getElementById("source").value.length > 0`)
			var src string
			eval(b, `document.getElementById("source").value`, &src)
			assert.Equal(t, ex.Source, src)
			assert.NotRegexp(t, header, src, "no header line reaches the editor")
			// In Chinese, its comments in Chinese: the same program.
			b.click("lang-zh")
			b.frames()
			eval(b, `document.getElementById("source").value`, &src)
			assert.Equal(t, ex.SourceZh, src, "in Chinese the example's Chinese text")
			assert.NotRegexp(t, header, src, "no header line reaches the editor")
			b.click("lang-en")
			b.frames()
			var from string
			eval(b, `(() => { const e = document.querySelector('[data-testid="ex-from"]'); return e.hidden ? "" : e.textContent; })()`, &from)
			if ex.From == "" {
				assert.Empty(t, from)
				return
			}
			assert.Equal(t, "from "+ex.From, from)
			b.click("lang-zh")
			b.frames()
			eval(b, `document.querySelector('[data-testid="ex-from"]').textContent`, &from)
			assert.Equal(t, "出自"+ex.FromZh, from)
		})
	}
}
