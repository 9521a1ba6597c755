package interp

import (
	"strconv"
	"strings"
)

// macro is a #define.
type macro struct {
	name   string
	fn     bool // function-like
	params []string
	vararg bool
	body   []token
}

// preprocessor runs directives and expands macros (translation phase 4).
type preprocessor struct {
	file     string
	macros   map[string]*macro
	diags    *[]Diagnostic
	included map[string]bool
	out      []token
	expanded int // tokens produced by expansions, against blow-ups
	// overLimit is set once expanded has passed maxExpansion (and said so).
	overLimit bool
	counter   int // __COUNTER__
	stop      *compileStop
	// #line: what __LINE__ adds to a token's line, and the file name
	// __FILE__ says ("" until a #line names one). Diagnostics keep the
	// text's own lines, which the editor shows.
	lineDelta int
	lineFile  string
}

// knownHeaders are the headers built in; all but playground.h bring the
// C library's constants, generated from package engine (headers.go).
var knownHeaders = map[string]bool{
	"sys/mman.h": true, "sys/stat.h": true, "sys/types.h": true, "fcntl.h": true,
	"unistd.h": true, "stdio.h": true, "stdlib.h": true, "string.h": true, "errno.h": true,
	"error.h": true, "stdint.h": true, "stddef.h": true, "signal.h": true, "sys/wait.h": true,
	"stdbool.h": true, "inttypes.h": true, "limits.h": true, "assert.h": true, "playground.h": true,
	"strings.h": true, "sys/time.h": true, "time.h": true, "stdarg.h": true, "ctype.h": true,
	"sys/file.h": true, "linux/mman.h": true, "sys/syscall.h": true, "asm/unistd.h": true, "stdalign.h": true, "math.h": true, "float.h": true, "sys/resource.h": true,
}

// predefined are the macros gcc 12 -std=gnu11 defines on x86-64 Linux
// (gcc -std=gnu11 -dM -E - </dev/null) that programs test, with glibc's
// <stdc-predef.h>; -O0 defines __NO_INLINE__ and not __OPTIMIZE__.
var predefined = []string{
	"__GNUC__ 12", "__GNUC_MINOR__ 2", "__GNUC_PATCHLEVEL__ 0", "__VERSION__ \"12.2.0\"",
	"__STDC__ 1", "__STDC_VERSION__ 201112L", "__STDC_HOSTED__ 1", "__STDC_UTF_16__ 1", "__STDC_UTF_32__ 1",
	"__STDC_IEC_559__ 1", "__STDC_IEC_559_COMPLEX__ 1", "__STDC_ISO_10646__ 201706L",
	"__GNUC_STDC_INLINE__ 1", "__NO_INLINE__ 1",
	"__x86_64__ 1", "__x86_64 1", "__amd64__ 1", "__amd64 1", "__k8 1", "__k8__ 1", "__code_model_small__ 1",
	"__MMX__ 1", "__SSE__ 1", "__SSE2__ 1", "__SSE_MATH__ 1", "__SSE2_MATH__ 1", "__FXSR__ 1", "__SEG_FS 1", "__SEG_GS 1",
	"__linux__ 1", "__linux 1", "linux 1", "__gnu_linux__ 1", "__unix__ 1", "__unix 1", "unix 1", "__ELF__ 1",
	"__LP64__ 1", "_LP64 1", "__CHAR_BIT__ 8", "__BIGGEST_ALIGNMENT__ 16",
	"__SIZEOF_INT__ 4", "__SIZEOF_LONG__ 8", "__SIZEOF_LONG_LONG__ 8", "__SIZEOF_SHORT__ 2", "__SIZEOF_POINTER__ 8",
	"__SIZEOF_FLOAT__ 4", "__SIZEOF_DOUBLE__ 8", "__SIZEOF_LONG_DOUBLE__ 16", "__SIZEOF_SIZE_T__ 8",
	"__SIZEOF_WCHAR_T__ 4", "__SIZEOF_WINT_T__ 4", "__SIZEOF_PTRDIFF_T__ 8", "__SIZEOF_INT128__ 16",
	"__ORDER_LITTLE_ENDIAN__ 1234", "__ORDER_BIG_ENDIAN__ 4321", "__ORDER_PDP_ENDIAN__ 3412",
	"__BYTE_ORDER__ __ORDER_LITTLE_ENDIAN__", "__FLOAT_WORD_ORDER__ __ORDER_LITTLE_ENDIAN__",
	"__SCHAR_MAX__ 0x7f", "__SHRT_MAX__ 0x7fff", "__INT_MAX__ 0x7fffffff", "__LONG_MAX__ 0x7fffffffffffffffL",
	"__LONG_LONG_MAX__ 0x7fffffffffffffffLL", "__WCHAR_MAX__ 0x7fffffff", "__WCHAR_MIN__ (-__WCHAR_MAX__ - 1)",
	"__SIZE_MAX__ 0xffffffffffffffffUL", "__PTRDIFF_MAX__ 0x7fffffffffffffffL",
	"__INTMAX_MAX__ 0x7fffffffffffffffL", "__UINTMAX_MAX__ 0xffffffffffffffffUL", "__INTPTR_MAX__ 0x7fffffffffffffffL",
	"__UINTPTR_MAX__ 0xffffffffffffffffUL",
	"__SIZE_TYPE__ long unsigned int", "__PTRDIFF_TYPE__ long int", "__WCHAR_TYPE__ int", "__WINT_TYPE__ unsigned int",
	"__INTMAX_TYPE__ long int", "__UINTMAX_TYPE__ long unsigned int", "__INTPTR_TYPE__ long int",
	"__UINTPTR_TYPE__ long unsigned int", "__INT8_TYPE__ signed char", "__INT16_TYPE__ short int",
	"__INT32_TYPE__ int", "__INT64_TYPE__ long int", "__UINT8_TYPE__ unsigned char",
	"__UINT16_TYPE__ short unsigned int", "__UINT32_TYPE__ unsigned int", "__UINT64_TYPE__ long unsigned int",
	"__CHAR16_TYPE__ short unsigned int", "__CHAR32_TYPE__ unsigned int",
	"__USER_LABEL_PREFIX__", "__REGISTER_PREFIX__",
	"__ATOMIC_RELAXED 0", "__ATOMIC_CONSUME 1", "__ATOMIC_ACQUIRE 2", "__ATOMIC_RELEASE 3", "__ATOMIC_ACQ_REL 4", "__ATOMIC_SEQ_CST 5",
	"__GCC_ATOMIC_INT_LOCK_FREE 2", "__GCC_ATOMIC_LONG_LOCK_FREE 2", "__GCC_ATOMIC_POINTER_LOCK_FREE 2",
	"__GCC_HAVE_SYNC_COMPARE_AND_SWAP_4 1", "__GCC_HAVE_SYNC_COMPARE_AND_SWAP_8 1",
	"__FLT_MAX__ 3.40282346638528859811704183484516925e+38F", "__FLT_MIN__ 1.17549435082228750796873653722224568e-38F",
	"__FLT_EPSILON__ 1.19209289550781250000000000000000000e-7F", "__FLT_DIG__ 6", "__FLT_MANT_DIG__ 24",
	"__DBL_MAX__ ((double)1.79769313486231570814527423731704357e+308L)",
	"__DBL_MIN__ ((double)2.22507385850720138309023271733240406e-308L)",
	"__DBL_EPSILON__ ((double)2.22044604925031308084726333618164062e-16L)", "__DBL_DIG__ 15", "__DBL_MANT_DIG__ 53",
	// Operators of #if, defined so that #ifdef finds them as gcc's does.
	"__has_include(x) 0", "__has_include_next(x) 0", "__has_attribute(x) 0", "__has_builtin(x) 0",
	"__has_c_attribute(x) 0", "__has_feature(x) 0", "__has_extension(x) 0",
}

// knownAttributes are the attributes __has_attribute finds: those the
// parser takes (packed and aligned change the layout; the others change
// nothing a program can see here).
var knownAttributes = map[string]bool{
	"packed": true, "aligned": true, "unused": true, "used": true, "noreturn": true, "noinline": true,
	"always_inline": true, "fallthrough": true, "format": true, "deprecated": true, "const": true, "pure": true,
	"cold": true, "hot": true, "nonnull": true, "warn_unused_result": true, "maybe_unused": true, "may_alias": true,
	"malloc": true, "unavailable": true, "visibility": true, "sentinel": true, "returns_nonnull": true,
	"constructor": true, "destructor": true,
}

// knownBuiltins are the __builtin_ functions __has_builtin finds.
var knownBuiltins = map[string]bool{
	"__builtin_expect": true, "__builtin_offsetof": true, "__builtin_types_compatible_p": true,
	"__builtin_constant_p": true, "__builtin_choose_expr": true, "__builtin_trap": true,
	"__builtin_unreachable": true, "__builtin_va_arg": true, "__builtin_va_start": true,
	"__builtin_expect_with_probability": true, "__builtin_assume_aligned": true, "__builtin_alloca": true,
}

// maxExpansion bounds what macro expansion may produce: tokens, each
// counted with its hide set (the macros it came through), which is what
// the host holds for it. A few tens of MiB at most.
const maxExpansion = 1 << 20

func preprocess(file, src string, diags *[]Diagnostic) []token {
	return preprocessStop(file, src, diags, nil)
}

// preprocessStop is preprocess that stop can end (CompileContext).
func preprocessStop(file, src string, diags *[]Diagnostic, stop *compileStop) []token {
	pp := &preprocessor{file: file, macros: map[string]*macro{}, diags: diags, included: map[string]bool{}, stop: stop}
	pp.defineAll(predefinedTable())
	toks := lexStop(src, diags, stop)
	pp.run(toks)
	return pp.out
}

func (pp *preprocessor) errorf(t token, format string, args ...any) {
	*pp.diags = append(*pp.diags, Diagnostic{Line: t.line, Col: t.col, Token: t.text, Message: sprintf(format, args...)})
}

// defineText defines a macro from "NAME body" or "NAME(a,b) body".
func (pp *preprocessor) defineText(def string) {
	var d []Diagnostic
	toks := lex(def, &d)
	for i := range toks {
		toks[i].line, toks[i].col = 0, 0
	}
	pp.define(toks)
}

// condState is one level of #if nesting.
type condState struct {
	active   bool // this branch's lines are kept
	taken    bool // some branch was already kept
	parentOn bool
	tok      token
}

func (pp *preprocessor) run(toks []token) {
	var conds []condState
	on := func() bool { return len(conds) == 0 || conds[len(conds)-1].active }
	var text []token
	flush := func() {
		if len(text) > 0 {
			pp.out = append(pp.out, pp.expand(text)...)
			text = nil
		}
	}
	for i := 0; i < len(toks); {
		pp.stop.poll()
		t := toks[i]
		if !(t.bol && t.is("#")) {
			if on() {
				text = append(text, t)
			}
			i++
			continue
		}
		// A directive runs to the end of its line.
		j := i + 1
		for j < len(toks) && !toks[j].bol {
			j++
		}
		line := toks[i+1 : j]
		i = j
		if len(line) == 0 {
			continue
		}
		d := line[0]
		args := line[1:]
		switch d.text {
		case "if", "ifdef", "ifndef":
			parent := on()
			v := false
			if parent {
				switch d.text {
				case "ifdef", "ifndef":
					if len(args) == 0 || args[0].kind != tIdent {
						pp.errorf(d, "no macro name given in #%s directive", d.text)
					} else {
						_, v = pp.macros[args[0].text]
						if d.text == "ifndef" {
							v = !v
						}
					}
				default:
					v = pp.evalIf(d, args) != 0
				}
			}
			conds = append(conds, condState{active: parent && v, taken: v, parentOn: parent, tok: d})
			continue
		case "elif":
			if len(conds) == 0 {
				pp.errorf(d, "#elif without #if")
				continue
			}
			c := &conds[len(conds)-1]
			if c.parentOn && !c.taken {
				v := pp.evalIf(d, args) != 0
				c.active, c.taken = v, v
			} else {
				c.active = false
			}
			continue
		case "else":
			if len(conds) == 0 {
				pp.errorf(d, "#else without #if")
				continue
			}
			c := &conds[len(conds)-1]
			c.active = c.parentOn && !c.taken
			c.taken = true
			continue
		case "endif":
			if len(conds) == 0 {
				pp.errorf(d, "#endif without #if")
				continue
			}
			conds = conds[:len(conds)-1]
			continue
		}
		if !on() {
			continue
		}
		flush()
		switch d.text {
		case "include":
			pp.include(d, args)
		case "define":
			if len(args) == 0 || args[0].kind != tIdent {
				pp.errorf(d, "macro names must be identifiers")
				continue
			}
			pp.define(args)
		case "undef":
			if len(args) > 0 {
				delete(pp.macros, args[0].text)
			}
		case "error":
			pp.errorf(d, "#error %s", joinTokens(args))
		case "line":
			pp.line(d, args)
		case "pragma", "warning", "ident":
		default:
			if d.kind == tNumber { // a line marker, as cpp writes them: # 12 "file.c" 2
				pp.line(d, line)
				continue
			}
			pp.errorf(d, "invalid preprocessing directive #%s", d.text)
		}
	}
	flush()
	if len(conds) > 0 {
		pp.errorf(conds[len(conds)-1].tok, "unterminated #%s", conds[len(conds)-1].tok.text)
	}
}

// line is #line N ["file"]: the next line is line N (of file). Its
// operands are macro-expanded first, as C says.
func (pp *preprocessor) line(d token, args []token) {
	marker := d.kind == tNumber
	args = pp.expand(args)
	if len(args) == 0 || args[0].kind != tNumber {
		at := d
		if len(args) > 0 {
			at = args[0]
		}
		pp.errorf(at, "\"%s\" after #line is not a positive integer", joinTokens(args))
		return
	}
	if marker && len(args) > 2 && args[2].text == "2" {
		// A marker for a return to an including file: with no file
		// entered before it, gcc ignores it ("incorrect nesting").
		return
	}
	n, err := strconv.ParseUint(args[0].text, 10, 31)
	if err != nil {
		pp.errorf(args[0], "line number out of range")
		return
	}
	pp.lineDelta = int(n) - (d.line + 1)
	if len(args) > 1 {
		if args[1].kind != tString {
			pp.errorf(args[1], "\"%s\" is not a valid filename", args[1].text)
			return
		}
		pp.lineFile = string(unescape(args[1].text[1 : len(args[1].text)-1]))
	}
}

func joinTokens(ts []token) string {
	var sb strings.Builder
	for i, t := range ts {
		if i > 0 && t.space {
			sb.WriteByte(' ')
		}
		sb.WriteString(t.text)
	}
	return sb.String()
}

func (pp *preprocessor) include(d token, args []token) {
	if len(args) == 0 {
		pp.errorf(d, "#include expects \"FILENAME\" or <FILENAME>")
		return
	}
	var name string
	switch {
	case args[0].kind == tString:
		name = strings.Trim(args[0].text, "\"")
	case args[0].is("<"):
		for _, t := range args[1:] {
			if t.is(">") {
				break
			}
			name += t.text
		}
	default:
		pp.errorf(d, "#include expects \"FILENAME\" or <FILENAME>")
		return
	}
	if !knownHeaders[name] {
		pp.errorf(args[0], "%s: No such file or directory", name)
		return
	}
	if !pp.included["libc"] {
		// glibc's features.h, read once with the first header, decides
		// what the headers declare from the feature macros defined then.
		pp.included["libc"] = true
		dynamicStack := pp.macros["_GNU_SOURCE"] != nil || pp.macros["_DYNAMIC_STACK_SIZE_SOURCE"] != nil
		pp.defineAll(libcTable())
		if dynamicStack {
			pp.defineAll(dynamicStackTable())
		}
	}
	if ms := headerTables()[name]; ms != nil && !pp.included[name] {
		pp.included[name] = true
		pp.defineAll(ms)
	}
	if syscallHeaders[name] && !pp.included["syscall numbers"] {
		pp.included["syscall numbers"] = true
		pp.defineAll(syscallTable())
	}
}

func (pp *preprocessor) define(args []token) {
	m := &macro{name: args[0].text}
	rest := args[1:]
	if len(rest) > 0 && rest[0].is("(") && !rest[0].space {
		m.fn = true
		k := 1
		for ; k < len(rest) && !rest[k].is(")"); k++ {
			switch {
			case rest[k].kind == tIdent:
				m.params = append(m.params, rest[k].text)
			case rest[k].is("...") && k > 1 && rest[k-1].kind == tIdent:
				m.vararg = true // GNU's named variadic parameter: args...
			case rest[k].is("..."):
				m.vararg = true
				m.params = append(m.params, "__VA_ARGS__")
			}
		}
		if k < len(rest) {
			k++
		}
		rest = rest[k:]
	}
	m.body = append([]token(nil), rest...)
	pp.macros[m.name] = m
}

func hidden(t token, name string) bool {
	for _, h := range t.hide {
		if h == name {
			return true
		}
	}
	return false
}

// expand macro-expands toks, rescanning replacements as C requires; a
// replacement's tokens take the position of the macro's use.
//
// The tokens still to scan are a stack with the next one last, so that a
// replacement is pushed (reversed) at the cost of its own length: forty
// thousand uses of a macro on one line cost forty thousand pushes, not
// forty thousand copies of the rest of the line.
func (pp *preprocessor) expand(toks []token) []token {
	var out []token
	work := make([]token, len(toks))
	for i, t := range toks {
		work[len(toks)-1-i] = t
	}
	// at is the i-th token from the top (0: the next one).
	at := func(i int) *token { return &work[len(work)-1-i] }
	push := func(repl []token) {
		for i := len(repl) - 1; i >= 0; i-- {
			work = append(work, repl[i])
		}
	}
	for len(work) > 0 {
		pp.stop.poll()
		t := *at(0)
		if t.kind != tIdent {
			out = append(out, t)
			work = work[:len(work)-1]
			continue
		}
		if t.text == "__LINE__" {
			t.kind, t.text = tNumber, strconv.Itoa(t.line+pp.lineDelta)
			out = append(out, t)
			work = work[:len(work)-1]
			continue
		}
		if t.text == "__COUNTER__" {
			t.kind, t.text = tNumber, strconv.Itoa(pp.counter)
			pp.counter++
			out = append(out, t)
			work = work[:len(work)-1]
			continue
		}
		if t.text == "__FILE__" || t.text == "__BASE_FILE__" || t.text == "__FILE_NAME__" {
			f := pp.file
			if pp.lineFile != "" && t.text == "__FILE__" {
				f = pp.lineFile
			}
			t.kind, t.text = tString, strconv.Quote(f)
			out = append(out, t)
			work = work[:len(work)-1]
			continue
		}
		m := pp.macros[t.text]
		if m == nil || hidden(t, t.text) {
			out = append(out, t)
			work = work[:len(work)-1]
			continue
		}
		hide := append(append([]string(nil), t.hide...), m.name)
		pp.expanded += (len(m.body) + 1) * (len(hide) + 1)
		if pp.expanded > maxExpansion {
			pp.tooLarge(t, m.name)
			for i := len(work) - 1; i >= 0; i-- {
				out = append(out, work[i])
			}
			break
		}
		if !m.fn {
			work = work[:len(work)-1]
			push(pp.subst(m, nil, t, hide))
			continue
		}
		if len(work) < 2 || !at(1).is("(") {
			out = append(out, t)
			work = work[:len(work)-1]
			continue
		}
		// Collect the arguments.
		var args [][]token
		var cur []token
		depth := 0
		k := 2
		for ; k < len(work); k++ {
			a := *at(k)
			if a.is("(") {
				depth++
			} else if a.is(")") {
				if depth == 0 {
					break
				}
				depth--
			} else if a.is(",") && depth == 0 && !(m.vararg && len(args) >= len(m.params)-1) {
				args = append(args, cur)
				cur = nil
				continue
			}
			cur = append(cur, a)
		}
		if k >= len(work) {
			pp.errorf(t, "unterminated argument list invoking macro \"%s\"", m.name)
			work = nil
			break
		}
		if len(cur) > 0 || len(args) > 0 || len(m.params) > 0 {
			args = append(args, cur)
		}
		work = work[:len(work)-1-k]
		if len(args) != len(m.params) && !(m.vararg && len(args) == len(m.params)-1) {
			pp.errorf(t, "macro \"%s\" passed %d arguments, but takes just %d", m.name, len(args), len(m.params))
			continue
		}
		push(pp.subst(m, args, t, hide))
	}
	return out
}

// tooLarge reports, once, that expansion has passed maxExpansion.
func (pp *preprocessor) tooLarge(t token, name string) {
	if pp.overLimit {
		return
	}
	pp.overLimit = true
	pp.errorf(t, "macro expansion of \"%s\" is too large (over %d tokens)", name, maxExpansion)
}

// subst builds a macro's replacement list for one use at t.
func (pp *preprocessor) subst(m *macro, args [][]token, at token, hide []string) []token {
	param := func(name string) int {
		for i, p := range m.params {
			if p == name {
				return i
			}
		}
		return -1
	}
	place := func(x token) token {
		x.line, x.col, x.bol, x.hide = at.line, at.col, false, hide
		return x
	}
	body := m.body
	if m.vararg {
		body = vaOpt(body, len(args) < len(m.params) || len(args[len(m.params)-1]) == 0)
	}
	var out []token
	for i := 0; i < len(body); i++ {
		b := body[i]
		if m.fn && b.is("#") && i+1 < len(body) {
			if p := param(body[i+1].text); p >= 0 {
				var s string
				if p < len(args) {
					s = joinTokens(args[p])
				}
				out = append(out, place(token{kind: tString, text: strconv.Quote(s)}))
				i++
				continue
			}
		}
		if b.is("##") && len(out) > 0 && i+1 < len(body) {
			nx := body[i+1]
			var right []token
			if p := param(nx.text); p >= 0 {
				if p < len(args) {
					right = args[p]
				}
			} else {
				right = []token{nx}
			}
			l := out[len(out)-1]
			if l.is(",") && m.vararg && (nx.text == "__VA_ARGS__" || m.params[len(m.params)-1] == nx.text) {
				// GNU's , ## __VA_ARGS__: the comma goes when there are no
				// variable arguments, and nothing is pasted when there are.
				if len(right) == 0 {
					out = out[:len(out)-1]
				}
				for _, r := range right {
					out = append(out, place(r))
				}
				i++
				continue
			}
			if len(right) > 0 {
				var d []Diagnostic
				pasted := lex(l.text+right[0].text, &d)
				if len(pasted) == 1 {
					out[len(out)-1] = place(pasted[0])
				} else {
					out = append(out, place(right[0]))
				}
				for _, r := range right[1:] {
					out = append(out, place(r))
				}
			}
			i++
			continue
		}
		if b.kind == tIdent {
			if p := param(b.text); p >= 0 {
				var a []token
				if p < len(args) {
					a = args[p]
				}
				if i+1 < len(body) && body[i+1].is("##") {
					for _, x := range a {
						out = append(out, place(x))
					}
					continue
				}
				// Each use of a parameter is a copy of its expanded
				// argument, and counts: a macro that doubles its
				// argument thirty times is a billion tokens.
				// The argument collected and its expansion's work are
				// held while it expands, and an argument that is itself a
				// use of the macro holds its own: F(F(F(...))) forty
				// thousand deep held them all. (expand reads a, and
				// keeps no part of it.)
				pp.expanded += 2 * len(a)
				if pp.expanded > maxExpansion {
					pp.tooLarge(at, m.name)
					return out
				}
				ex := pp.expand(a)
				for _, x := range ex {
					pp.expanded += 1 + len(x.hide) + len(hide)
				}
				if pp.expanded > maxExpansion {
					pp.tooLarge(at, m.name)
					return out
				}
				for _, x := range ex {
					x.line, x.col, x.bol = at.line, at.col, false
					x.hide = append(append([]string(nil), x.hide...), hide...)
					out = append(out, x)
				}
				continue
			}
		}
		out = append(out, place(b))
	}
	return out
}

// vaOpt replaces each __VA_OPT__(tokens) of a variadic macro's body with
// its tokens, or with nothing when the variable arguments are empty.
func vaOpt(body []token, empty bool) []token {
	k := -1
	for i, t := range body {
		if t.is("__VA_OPT__") {
			k = i
			break
		}
	}
	if k < 0 || k+1 >= len(body) || !body[k+1].is("(") {
		return body
	}
	depth, j := 0, k+1
	for ; j < len(body); j++ {
		if body[j].is("(") {
			depth++
		} else if body[j].is(")") {
			depth--
			if depth == 0 {
				break
			}
		}
	}
	if j >= len(body) {
		return body
	}
	out := append([]token(nil), body[:k]...)
	if !empty {
		out = append(out, body[k+2:j]...)
	}
	return append(out, vaOpt(body[j+1:], empty)...)
}

// evalIf evaluates a #if expression.
func (pp *preprocessor) evalIf(d token, args []token) int64 {
	// Replace defined(X) first, then expand, then identifiers are 0.
	var pre []token
	for i := 0; i < len(args); i++ {
		a := args[i]
		if q := a.text; a.kind == tIdent && (q == "__has_include" || q == "__has_include_next" || q == "__has_attribute" ||
			q == "__has_builtin" || q == "__has_c_attribute" || q == "__has_feature" || q == "__has_extension") {
			// name ( operand ): the operand's tokens up to the closing paren.
			j := i + 1
			var name string
			if j < len(args) && args[j].is("(") {
				depth := 0
				for j++; j < len(args); j++ {
					if args[j].is("(") {
						depth++
					} else if args[j].is(")") {
						if depth == 0 {
							break
						}
						depth--
					}
					if !args[j].is("<") && !args[j].is(">") {
						name += strings.Trim(args[j].text, "\"")
					}
				}
			} else {
				pp.errorf(a, "missing '(' after \"%s\"", q)
			}
			i = j
			v := false
			switch q {
			case "__has_include", "__has_include_next":
				v = knownHeaders[name]
			case "__has_attribute", "__has_c_attribute":
				for len(name) > 4 && strings.HasPrefix(name, "__") && strings.HasSuffix(name, "__") {
					name = name[2 : len(name)-2]
				}
				v = knownAttributes[strings.TrimPrefix(name, "gnu::")]
			case "__has_builtin":
				v = knownBuiltins[name]
			}
			pre = append(pre, token{kind: tNumber, text: map[bool]string{true: "1", false: "0"}[v], line: a.line, col: a.col})
			continue
		}
		if a.is("defined") {
			name := ""
			if i+1 < len(args) && args[i+1].is("(") && i+3 < len(args) {
				name = args[i+2].text
				i += 3
			} else if i+1 < len(args) {
				name = args[i+1].text
				i++
			}
			v := "0"
			if _, ok := pp.macros[name]; ok {
				v = "1"
			}
			pre = append(pre, token{kind: tNumber, text: v, line: a.line, col: a.col})
			continue
		}
		pre = append(pre, a)
	}
	ex := pp.expand(pre)
	for i := range ex {
		if ex[i].kind == tIdent {
			ex[i] = token{kind: tNumber, text: "0", line: ex[i].line, col: ex[i].col}
		}
	}
	e := &ifEval{toks: ex, pp: pp, d: d}
	v := e.ternary()
	if e.pos < len(e.toks) && !e.failed {
		pp.errorf(e.toks[e.pos], "missing binary operator before token \"%s\"", e.toks[e.pos].text)
	}
	return v.v
}

// ppValue is a #if operand: intmax_t, or uintmax_t (a U suffix, or a
// constant too large for intmax_t), as C11 6.10.1 evaluates them; an
// operation with an unsigned operand is unsigned (the usual arithmetic
// conversions), so ULONG_MAX > 0xffffffffUL holds.
type ppValue struct {
	v   int64
	uns bool
}

type ifEval struct {
	toks   []token
	pos    int
	pp     *preprocessor
	d      token
	failed bool
	depth  int
}

func (e *ifEval) peek() string {
	if e.pos < len(e.toks) {
		return e.toks[e.pos].text
	}
	return ""
}

func (e *ifEval) ternary() ppValue {
	c := e.binary(0)
	if e.peek() == "?" {
		e.pos++
		a := e.ternary()
		if e.peek() == ":" {
			e.pos++
		}
		b := e.ternary()
		// The result has the operands' common type.
		a.uns, b.uns = a.uns || b.uns, a.uns || b.uns
		if c.v != 0 {
			return a
		}
		return b
	}
	return c
}

var ifPrec = map[string]int{"||": 1, "&&": 2, "|": 3, "^": 4, "&": 5, "==": 6, "!=": 6,
	"<": 7, ">": 7, "<=": 7, ">=": 7, "<<": 8, ">>": 8, "+": 9, "-": 9, "*": 10, "/": 10, "%": 10}

func (e *ifEval) binary(min int) ppValue {
	l := e.unary()
	for {
		op := e.peek()
		p, ok := ifPrec[op]
		if !ok || p <= min || e.pos >= len(e.toks) || e.toks[e.pos].kind != tPunct {
			return l
		}
		e.pos++
		r := e.binary(p)
		l = ppBinary(op, l, r)
	}
}

func cBinary(op string, l, r int64) int64 {
	b := func(v bool) int64 {
		if v {
			return 1
		}
		return 0
	}
	switch op {
	case "||":
		return b(l != 0 || r != 0)
	case "&&":
		return b(l != 0 && r != 0)
	case "|":
		return l | r
	case "^":
		return l ^ r
	case "&":
		return l & r
	case "==":
		return b(l == r)
	case "!=":
		return b(l != r)
	case "<":
		return b(l < r)
	case ">":
		return b(l > r)
	case "<=":
		return b(l <= r)
	case ">=":
		return b(l >= r)
	case "<<":
		return l << uint(r&63)
	case ">>":
		return l >> uint(r&63)
	case "+":
		return l + r
	case "-":
		return l - r
	case "*":
		return l * r
	case "/":
		if r == 0 {
			return 0
		}
		return l / r
	case "%":
		if r == 0 {
			return 0
		}
		return l % r
	}
	return 0
}

// ppBinary is cBinary on #if's operands, unsigned where either is.
func ppBinary(op string, lv, rv ppValue) ppValue {
	b := func(v bool) ppValue {
		if v {
			return ppValue{v: 1}
		}
		return ppValue{}
	}
	l, r := lv.v, rv.v
	uns := lv.uns || rv.uns
	ul, ur := uint64(l), uint64(r)
	res := func(v int64) ppValue { return ppValue{v: v, uns: uns} }
	switch op {
	case "||":
		return b(l != 0 || r != 0)
	case "&&":
		return b(l != 0 && r != 0)
	case "|":
		return res(l | r)
	case "^":
		return res(l ^ r)
	case "&":
		return res(l & r)
	case "==":
		return b(l == r)
	case "!=":
		return b(l != r)
	case "<":
		return b(uns && ul < ur || !uns && l < r)
	case ">":
		return b(uns && ul > ur || !uns && l > r)
	case "<=":
		return b(uns && ul <= ur || !uns && l <= r)
	case ">=":
		return b(uns && ul >= ur || !uns && l >= r)
	case "<<":
		// A shift has its left operand's type.
		return ppValue{v: l << uint(r&63), uns: lv.uns}
	case ">>":
		if lv.uns {
			return ppValue{v: int64(ul >> uint(r&63)), uns: true}
		}
		return ppValue{v: l >> uint(r&63)}
	case "+":
		return res(l + r)
	case "-":
		return res(l - r)
	case "*":
		return res(l * r)
	case "/", "%":
		if r == 0 {
			return res(0)
		}
		if uns {
			if op == "/" {
				return res(int64(ul / ur))
			}
			return res(int64(ul % ur))
		}
		if op == "/" {
			return res(l / r)
		}
		return res(l % r)
	}
	return ppValue{}
}

func (e *ifEval) unary() ppValue {
	if e.pos >= len(e.toks) {
		if !e.failed {
			e.failed = true
			e.pp.errorf(e.d, "#if with no expression")
		}
		return ppValue{}
	}
	t := e.toks[e.pos]
	e.pos++
	switch {
	case t.is("!"):
		if e.unary().v == 0 {
			return ppValue{v: 1}
		}
		return ppValue{}
	case t.is("-"):
		v := e.unary()
		return ppValue{v: -v.v, uns: v.uns}
	case t.is("+"):
		return e.unary()
	case t.is("~"):
		v := e.unary()
		return ppValue{v: ^v.v, uns: v.uns}
	case t.is("("):
		e.depth++
		if e.depth > maxNesting {
			e.pos = len(e.toks)
			return ppValue{}
		}
		v := e.ternary()
		e.depth--
		if e.peek() == ")" {
			e.pos++
		}
		return v
	case t.kind == tNumber:
		v, ty, ok := parseIntLit(t.text)
		if !ok {
			e.pp.errorf(t, "invalid integer constant in #if")
		}
		return ppValue{v: int64(v), uns: ty.unsigned && ty.size == 8 || v > 1<<63-1 || strings.ContainsAny(t.text, "uU")}
	case t.kind == tCharLit:
		v, _ := decodeChar(t.text)
		return ppValue{v: v}
	}
	if !e.failed {
		e.failed = true
		e.pp.errorf(t, "token \"%s\" is not valid in preprocessor expressions", t.text)
	}
	return ppValue{}
}
