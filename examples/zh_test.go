package examples

import (
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// code is C source src with its comments taken out and every newline kept
// (a comment inside a string or character literal is not one), and the
// comments' text, one entry for each line a comment is on.
func code(src string) (string, []string) {
	var out, com strings.Builder
	var comments []string
	flush := func() {
		if com.Len() > 0 {
			comments = append(comments, com.String())
			com.Reset()
		}
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			j := strings.IndexByte(src[i:], '\n')
			if j < 0 {
				j = len(src) - i
			}
			com.WriteString(src[i : i+j])
			flush()
			i += j - 1
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			j := strings.Index(src[i+2:], "*/")
			end := len(src)
			if j >= 0 {
				end = i + 2 + j + 2
			}
			for _, r := range src[i:end] {
				if r == '\n' {
					out.WriteByte('\n')
					flush()
				} else {
					com.WriteRune(r)
				}
			}
			flush()
			i = end - 1
		case c == '"' || c == '\'':
			j := i + 1
			for j < len(src) && src[j] != c && src[j] != '\n' {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(src) {
				j = len(src) - 1
			}
			out.WriteString(src[i : j+1])
			i = j
		default:
			out.WriteByte(c)
		}
	}
	return out.String(), comments
}

func TestCodeStripsComments(t *testing.T) {
	tests := []struct{ src, code string }{
		{"int x; // a note\nint y;\n", "int x; \nint y;\n"},
		{"/* one\n two */int z;\n", "\nint z;\n"},
		{`puts("// not a comment /* nor this */");` + "\n", `puts("// not a comment /* nor this */");` + "\n"},
		{`char c = '"'; // "q"` + "\n", `char c = '"'; ` + "\n"},
		{`puts("a\"//b"); /* c */ x;`, `puts("a\"//b");  x;`},
	}
	for _, tt := range tests {
		got, _ := code(tt.src)
		assert.Equal(t, tt.code, got, "%q", tt.src)
	}
}

// englishWords is three English words in a row: a sentence left untranslated.
var englishWords = regexp.MustCompile(`\b[A-Za-z][a-z]+,? [a-z]{2,},? [a-z]{2,}\b`)

// notGlossary are words the page's glossary (web/static/i18n.js) replaced:
// 页帧, not 页框; fault-around is 缺页周边映射, not 预读映射 (readahead's
// word); a page fault is 缺页异常.
var notGlossary = []string{"页框", "预读映射", "缺页中断"}

// TestChineseIsTheSameProgram: every example has its Chinese text beside it,
// and it is the same program: with the comments taken out the two are
// byte-identical (the same number of lines, every line's code the same), so
// a lesson's lines, the golden traces and an error's line:col hold in both
// languages; its header says the same; and its comments are Chinese, not
// English sentences left over.
func TestChineseIsTheSameProgram(t *testing.T) {
	for _, e := range All() {
		t.Run(e.Name, func(t *testing.T) {
			en, err := content.ReadFile("c/" + e.FileName())
			require.NoError(t, err)
			zh, err := content.ReadFile(zhPath(e.Name))
			require.NoError(t, err, "examples/c/zh/%s: the program's Chinese text", e.FileName())
			require.NotEmpty(t, e.SourceZh)

			enCode, enComments := code(string(en))
			zhCode, zhComments := code(string(zh))
			if enCode != zhCode {
				el, zl := strings.Split(enCode, "\n"), strings.Split(zhCode, "\n")
				require.Equal(t, len(el), len(zl), "the same number of lines")
				for i := range el {
					assert.Equal(t, el[i], zl[i], "line %d's code: examples/c/zh/%s must be examples/c/%[2]s with only its comments in Chinese", i+1, e.FileName())
				}
				t.FailNow()
			}
			assert.Equal(t, strings.Count(e.Source, "\n"), strings.Count(e.SourceZh, "\n"), "the editor's text has the same lines")

			z, err := Parse(e.Name, string(zh))
			require.NoError(t, err)
			z.Source, z.SourceZh = e.Source, e.SourceZh
			assert.Equal(t, e, z, "the header says the same")

			han := false
			for _, c := range zhComments {
				if _, _, header := headerLine(c); header {
					continue
				}
				if strings.ContainsFunc(c, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
					han = true
				}
				assert.NotRegexp(t, englishWords, c, "an English sentence in the Chinese text")
				for _, w := range notGlossary {
					assert.NotContains(t, c, w, "the page's glossary does not say %s", w)
				}
			}
			hasComments := false
			for _, c := range enComments {
				if _, _, header := headerLine(c); !header && strings.Trim(c, "/ ") != "" {
					hasComments = true
				}
			}
			if hasComments {
				assert.True(t, han, "the comments are in Chinese")
			}
		})
	}
}
