package interp

import (
	"strings"
	"unicode/utf8"
)

// tokKind is a token's class.
type tokKind uint8

const (
	tEOF tokKind = iota
	tIdent
	tNumber
	tCharLit
	tString
	tPunct
)

// token is one preprocessing token with the position gcc would report for
// it: line and display column (tabs to the next multiple of 8, wide
// characters two columns), both from 1.
type token struct {
	kind      tokKind
	text      string
	line, col int
	bol       bool     // first token of its line
	space     bool     // preceded by white space
	hide      []string // macros this token came out of (no re-expansion)
}

func (t token) is(s string) bool { return (t.kind == tPunct || t.kind == tIdent) && t.text == s }

var puncts3 = []string{"<<=", ">>=", "..."}
var puncts2 = []string{"->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||",
	"+=", "-=", "*=", "/=", "%=", "&=", "^=", "|=", "##"}

// lexer turns source text into tokens, splicing backslash-newlines and
// dropping comments as translation phases 2 and 3 do.
type lexer struct {
	src       string
	pos       int
	line, col int
	bol       bool
	diags     *[]Diagnostic
}

func lex(src string, diags *[]Diagnostic) []token { return lexStop(src, diags, nil) }

// lexStop is lex that stop can end (CompileContext).
func lexStop(src string, diags *[]Diagnostic, stop *compileStop) []token {
	lx := &lexer{src: src, line: 1, col: 1, bol: true, diags: diags}
	var out []token
	for {
		stop.poll()
		t, ok := lx.next()
		if !ok {
			break
		}
		out = append(out, t)
	}
	return out
}

// peekc returns the byte at pos+off after skipping line splices.
func (lx *lexer) skipSplices() {
	for lx.pos+1 < len(lx.src) && lx.src[lx.pos] == '\\' && (lx.src[lx.pos+1] == '\n' || (lx.src[lx.pos+1] == '\r' && lx.pos+2 < len(lx.src) && lx.src[lx.pos+2] == '\n')) {
		if lx.src[lx.pos+1] == '\r' {
			lx.pos++
		}
		lx.pos += 2
		lx.line++
		lx.col = 1
	}
}

func (lx *lexer) cur() byte {
	lx.skipSplices()
	if lx.pos >= len(lx.src) {
		return 0
	}
	return lx.src[lx.pos]
}

// peek returns the byte after the current one (splices skipped).
func (lx *lexer) peek() byte {
	save := *lx
	lx.advance()
	c := lx.cur()
	*lx = save
	return c
}

func (lx *lexer) advance() {
	lx.skipSplices()
	if lx.pos >= len(lx.src) {
		return
	}
	c := lx.src[lx.pos]
	switch {
	case c == '\n':
		lx.line++
		lx.col = 1
		lx.bol = true
		lx.pos++
	case c == '\t':
		lx.col = ((lx.col-1)/8+1)*8 + 1
		lx.pos++
	case c < utf8.RuneSelf:
		lx.col++
		lx.pos++
	default:
		r, n := utf8.DecodeRuneInString(lx.src[lx.pos:])
		lx.pos += n
		lx.col += runeWidth(r)
	}
}

func runeWidth(r rune) int {
	switch {
	case r >= 0x1100 && r <= 0x115F, r >= 0x2E80 && r <= 0xA4CF, r >= 0xAC00 && r <= 0xD7A3,
		r >= 0xF900 && r <= 0xFAFF, r >= 0xFE30 && r <= 0xFE4F, r >= 0xFF00 && r <= 0xFF60,
		r >= 0xFFE0 && r <= 0xFFE6, r >= 0x20000 && r <= 0x3FFFD:
		return 2
	}
	return 1
}

func isIdentStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '$'
}
func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func (lx *lexer) next() (token, bool) {
	space := false
	for {
		c := lx.cur()
		if c == 0 && lx.pos >= len(lx.src) {
			return token{}, false
		}
		if c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' || c == '\n' {
			lx.advance()
			space = true
			continue
		}
		if c == '/' && lx.peek() == '/' {
			for lx.cur() != '\n' && lx.pos < len(lx.src) {
				lx.advance()
			}
			space = true
			continue
		}
		if c == '/' && lx.peek() == '*' {
			line, col := lx.line, lx.col
			lx.advance()
			lx.advance()
			for {
				if lx.pos >= len(lx.src) {
					*lx.diags = append(*lx.diags, Diagnostic{Line: line, Col: col, Token: "/*", Message: "unterminated comment"})
					return token{}, false
				}
				if lx.cur() == '*' && lx.peek() == '/' {
					lx.advance()
					lx.advance()
					break
				}
				lx.advance()
			}
			space = true
			continue
		}
		if c == 0 {
			lx.advance()
			continue
		}
		break
	}
	t := token{line: lx.line, col: lx.col, bol: lx.bol, space: space}
	lx.bol = false
	var sb strings.Builder
	c := lx.cur()
	switch {
	case isIdentStart(c):
		for c = lx.cur(); isIdentStart(c) || isDigit(c); c = lx.cur() {
			sb.WriteByte(c)
			lx.advance()
		}
		t.kind = tIdent
		// String and char prefixes (L"", u8"") are read as plain literals.
		if s := sb.String(); (s == "L" || s == "u" || s == "U" || s == "u8") && (lx.cur() == '"' || lx.cur() == '\'') {
			sb.Reset()
			return lx.quoted(t, lx.cur())
		}
	case isDigit(c) || c == '.' && isDigit(lx.peek()):
		for c = lx.cur(); isIdentStart(c) || isDigit(c) || c == '.' || ((c == '+' || c == '-') && strings.ContainsAny(last(sb.String()), "eEpP")); c = lx.cur() {
			sb.WriteByte(c)
			lx.advance()
		}
		t.kind = tNumber
	case c == '"' || c == '\'':
		return lx.quoted(t, c)
	default:
		rest := lx.src[lx.pos:]
		n := 1
		for _, p := range puncts3 {
			if strings.HasPrefix(rest, p) {
				n = 3
				break
			}
		}
		if n == 1 {
			for _, p := range puncts2 {
				if strings.HasPrefix(rest, p) {
					n = 2
					break
				}
			}
		}
		if c >= utf8.RuneSelf {
			r, _ := utf8.DecodeRuneInString(lx.src[lx.pos:])
			sb.WriteRune(r)
			lx.advance()
		} else {
			for i := 0; i < n; i++ {
				sb.WriteByte(lx.cur())
				lx.advance()
			}
		}
		t.kind = tPunct
	}
	t.text = sb.String()
	return t, true
}

func last(s string) string {
	if s == "" {
		return ""
	}
	return s[len(s)-1:]
}

// quoted reads a string or character literal, keeping its escapes; the
// parser decodes them.
func (lx *lexer) quoted(t token, q byte) (token, bool) {
	var sb strings.Builder
	sb.WriteByte(q)
	lx.advance()
	for {
		c := lx.cur()
		if lx.pos >= len(lx.src) || c == '\n' {
			what := "missing terminating \" character"
			if q == '\'' {
				what = "missing terminating ' character"
			}
			*lx.diags = append(*lx.diags, Diagnostic{Line: t.line, Col: t.col, Token: sb.String(), Message: what})
			// gcc drops the broken literal and goes on with the next token.
			return lx.next()
		}
		sb.WriteByte(c)
		lx.advance()
		if c == '\\' {
			if lx.pos < len(lx.src) {
				sb.WriteByte(lx.cur())
				lx.advance()
			}
			continue
		}
		if c == q {
			break
		}
	}
	t.text = sb.String()
	if q == '"' {
		t.kind = tString
	} else {
		t.kind = tCharLit
	}
	return t, true
}
