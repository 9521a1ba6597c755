package interp

import (
	"math"
	"strings"
)

// Declaration specifiers (C11 6.7.1-6.7.7) in any order, as gcc -std=gnu11
// takes them: storage classes, function specifiers, qualifiers and type
// specifiers mixed ("inline static size_t", "long unsigned", "const off_t"),
// and GNU's __attribute__, __extension__, __typeof__ and _Alignas among them.

var typeKeywords = map[string]bool{
	"void": true, "char": true, "short": true, "int": true, "long": true, "signed": true, "unsigned": true,
	"_Bool": true, "struct": true, "union": true, "enum": true,
	"float": true, "double": true, "__signed__": true, "__signed": true, "_Complex": true, "__int128": true,
	"typeof": true, "__typeof__": true, "__typeof": true, "_Alignas": true, "__auto_type": true,
}

// specWords are the words that may stand among a declaration's
// specifiers without naming a type.
var specWords = map[string]bool{
	"const": true, "__const": true, "__const__": true, "volatile": true, "__volatile": true, "__volatile__": true,
	"restrict": true, "__restrict": true, "__restrict__": true, "_Atomic": true,
	"static": true, "extern": true, "register": true, "auto": true, "typedef": true, "_Thread_local": true, "__thread": true,
	"inline": true, "__inline": true, "__inline__": true, "_Noreturn": true,
	"__attribute__": true, "__attribute": true, "_Static_assert": true,
}

// qualifierWords qualify a pointer in a declarator ("char *const p").
var qualifierWords = map[string]bool{
	"const": true, "__const": true, "__const__": true, "volatile": true, "__volatile": true, "__volatile__": true,
	"restrict": true, "__restrict": true, "__restrict__": true, "_Atomic": true, "_Nonnull": true, "_Nullable": true,
}

var stmtKeywords = map[string]bool{"return": true, "if": true, "else": true, "while": true, "for": true,
	"do": true, "switch": true, "case": true, "default": true, "break": true, "continue": true, "goto": true}

// unknownTypeName says whether identifier t, where a declaration may
// start, is a type name the program never declared, as gcc's parser sees
// it: t names nothing and a declarator follows (an identifier that is not
// a keyword, or '*').
func (p *parser) unknownTypeName(t, next token) bool {
	// A keyword after it ("unsinged int x") makes it an expression's
	// undeclared name to gcc, not a type.
	name := next.kind == tIdent && !typeKeywords[next.text] && !specWords[next.text] && !nonDeclWords[next.text]
	if t.kind != tIdent || p.isTypeStart(t) || nonDeclWords[t.text] || !(name || next.is("*")) {
		return false
	}
	if _, ok := p.vars[t.text]; ok {
		return false
	}
	if _, ok := p.enums[t.text]; ok {
		return false
	}
	_, lib := builtins[t.text]
	return !lib && !strings.HasPrefix(t.text, "__builtin_")
}

// nonDeclWords are the keywords that start what is not a declaration.
var nonDeclWords = map[string]bool{
	"return": true, "if": true, "else": true, "while": true, "for": true, "do": true, "switch": true, "case": true,
	"default": true, "break": true, "continue": true, "goto": true, "sizeof": true, "_Alignof": true, "__alignof__": true,
	"_Generic": true, "asm": true, "__asm__": true, "__asm": true, "_Static_assert": true, "__extension__": true,
	"__attribute__": true, "__attribute": true,
}

func (p *parser) isTypeStart(t token) bool {
	if t.kind != tIdent {
		return false
	}
	if typeKeywords[t.text] || specWords[t.text] && t.text != "_Static_assert" {
		return true
	}
	_, ok := p.typedefs[t.text]
	return ok
}

// attrs are the GNU attributes that change what the program does; the
// others (unused, noreturn, format, noinline...) change nothing here.
type attrs struct {
	packed      bool
	aligned     int64  // 0: none
	constructor bool   // runs before main
	ctorPrio    int64  // constructor(priority)
	destructor  bool   // runs at exit
	dtorPrio    int64  // destructor(priority)
	register    bool   // the register storage class (among the specifiers)
	asmLabel    string // a declarator's asm("name")
}

// attributes skips any run of __attribute__((...)), __asm__("name") and
// __extension__, keeping the attributes that matter.
func (p *parser) attributes(a *attrs) {
	for {
		t := p.tok()
		switch {
		case t.is("__attribute__") || t.is("__attribute"):
			p.advance()
			p.attributeList(a)
		case t.is("__asm__") || t.is("asm") || t.is("__asm"):
			// A declarator's asm label: int x asm("name"); with
			// register, the register the variable is.
			p.advance()
			if p.is("(") && p.peekAt(1).kind == tString && p.peekAt(2).is(")") {
				a.asmLabel = strings.Trim(p.peekAt(1).text, "\"")
			}
			p.skipParens()
		case t.is("__extension__"):
			p.advance()
		default:
			return
		}
	}
}

// attributeList reads "((name, name(args), ...))".
func (p *parser) attributeList(a *attrs) {
	p.expect("(")
	p.expect("(")
	for !p.is(")") {
		if p.eof() {
			p.fail("expected ')' before end of input")
		}
		name := p.advance().text
		for len(name) > 4 && name[:2] == "__" && name[len(name)-2:] == "__" {
			name = name[2 : len(name)-2]
		}
		var args []*expr
		if p.is("(") {
			p.advance()
			for !p.is(")") {
				if p.eof() {
					p.fail("expected ')' before end of input")
				}
				if name == "aligned" || name == "constructor" || name == "destructor" {
					args = append(args, p.assignExpr())
				} else {
					p.skipBalanced()
				}
				if !p.accept(",") {
					break
				}
			}
			p.expect(")")
		}
		if a != nil {
			switch name {
			case "packed":
				a.packed = true
			case "constructor":
				a.constructor = true
				if len(args) == 1 {
					if v, ok := p.evalConst(args[0]); ok {
						a.ctorPrio = v
					}
				}
			case "destructor":
				a.destructor = true
				if len(args) == 1 {
					if v, ok := p.evalConst(args[0]); ok {
						a.dtorPrio = v
					}
				}
			case "aligned":
				n := int64(16) // __BIGGEST_ALIGNMENT__
				if len(args) == 1 {
					if v, ok := p.evalConst(args[0]); ok {
						n = v
					} else {
						p.errorAt(args[0].tok, "requested alignment is not an integer constant")
					}
				}
				if n > a.aligned {
					a.aligned = n
				}
			}
		}
		if !p.accept(",") {
			break
		}
	}
	p.expect(")")
	p.expect(")")
}

// skipBalanced skips one token, or a whole bracketed group.
func (p *parser) skipBalanced() {
	if p.is("(") || p.is("[") || p.is("{") {
		p.skipParens()
		return
	}
	p.advance()
}

// skipParens skips a bracketed group, brackets and all.
func (p *parser) skipParens() {
	depth := 0
	for !p.eof() {
		t := p.advance()
		switch {
		case t.is("(") || t.is("[") || t.is("{"):
			depth++
		case t.is(")") || t.is("]") || t.is("}"):
			depth--
			if depth <= 0 {
				return
			}
		}
		if depth == 0 {
			return
		}
	}
}

// declSpec parses declaration specifiers.
func (p *parser) declSpec() (*ctype, storage) {
	base, st, isConst := p.declSpecs()
	if isConst && base != nil {
		base = qualified(base)
	}
	return base, st
}

// declSpecs reads the specifiers in whatever order they come. A typedef
// name is the type only where no other type specifier came before it, so
// that "unsigned size_t" is not read and "static size_t n" is.
func (p *parser) declSpecs() (*ctype, storage, bool) {
	st := stAuto
	var base *ctype
	signed, unsigned := false, false
	longs, short, char, intk, void, boolk := 0, false, false, false, false, false
	floatk := 0
	isConst := false
	seen := false   // any specifier at all
	tySeen := false // a type specifier
	var align int64
	p.specAttr = attrs{}
	p.specEnded = false
	defined := false // a struct, union or enum with its body came
	for {
		t := p.tok()
		if t.kind != tIdent {
			break
		}
		switch t.text {
		case "const", "__const", "__const__":
			isConst = true
		case "register":
			p.specAttr.register = true
		case "volatile", "__volatile", "__volatile__", "restrict", "__restrict", "__restrict__", "auto",
			"inline", "__inline", "__inline__", "_Noreturn", "__extension__", "_Thread_local", "__thread", "_Complex":
		case "_Atomic":
			if p.peekAt(1).is("(") {
				p.advance()
				p.advance()
				base = p.typeName()
				p.expect(")")
				seen, tySeen = true, true
				continue
			}
		case "__attribute__", "__attribute":
			p.attributes(&p.specAttr)
			if p.specAttr.aligned > align {
				align = p.specAttr.aligned
			}
			seen = true
			continue
		case "_Alignas":
			p.advance()
			p.expect("(")
			if p.isTypeStart(p.tok()) {
				if ty := p.typeName(); ty.align > align {
					align = ty.align
				}
			} else if v, ok := p.evalConst(p.condExpr()); ok && v > align {
				align = v
			}
			p.expect(")")
			seen = true
			continue
		case "static":
			st = stStatic
		case "extern":
			st = stExtern
		case "typedef":
			st = stTypedef
		case "signed", "__signed__", "__signed":
			signed, tySeen = true, true
		case "unsigned":
			unsigned, tySeen = true, true
		case "long":
			longs++
			tySeen = true
		case "short":
			short, tySeen = true, true
		case "char":
			char, tySeen = true, true
		case "int":
			intk, tySeen = true, true
		case "__int128":
			longs, tySeen = 2, true
		case "void":
			void, tySeen = true, true
		case "_Bool":
			boolk, tySeen = true, true
		case "float":
			floatk, tySeen = 4, true
		case "double":
			floatk, tySeen = 8, true
		case "struct", "union":
			p.pos++
			body := p.definesTag()
			base = p.structSpec(t.text == "union")
			seen, tySeen, defined = true, true, body
			if p.forgotSemicolon(defined) {
				return base, st, isConst
			}
			continue
		case "enum":
			p.pos++
			body := p.definesTag()
			p.enumSpec()
			intk = true
			seen, tySeen, defined = true, true, body
			if p.forgotSemicolon(defined) {
				return tInt, st, isConst
			}
			continue
		case "typeof", "__typeof__", "__typeof":
			p.pos++
			base = p.typeofSpec(t)
			seen, tySeen = true, true
			continue
		case "__auto_type":
			p.pos++
			base = &ctype{k: kTypeof, size: 1, align: 1}
			seen, tySeen = true, true
			continue
		default:
			if td, ok := p.typedefs[t.text]; ok && !tySeen {
				base = td
				seen, tySeen = true, true
				p.pos++
				continue
			}
			if !tySeen && base == nil && p.unknownTypeName(t, p.peekAt(1)) {
				// gcc takes it for a type it does not know and goes on
				// with the declaration as an int's.
				p.errorAt(t, "unknown type name '%s'", t.text)
				base = tInt
				seen, tySeen = true, true
				p.pos++
				continue
			}
			return p.specType(base, st, isConst, seen, align, signed, unsigned, longs, short, char, intk, void, boolk, floatk)
		}
		seen = true
		p.pos++
	}
	return p.specType(base, st, isConst, seen, align, signed, unsigned, longs, short, char, intk, void, boolk, floatk)
}

func (p *parser) specType(base *ctype, st storage, isConst, seen bool, align int64, signed, unsigned bool, longs int, short, char, intk, void, boolk bool, floatk int) (*ctype, storage, bool) {
	if base == nil {
		switch {
		case floatk == 4:
			base = tFloatT
		case floatk == 8 && longs > 0:
			base = tLDouble
		case floatk == 8:
			base = tDouble
		case void:
			base = tVoid
		case boolk:
			base = tBool
		case char:
			base = tChar
			if signed {
				base = tSChar
			}
			if unsigned {
				base = tUChar
			}
		case short:
			base = tShort
			if unsigned {
				base = tUShort
			}
		case longs >= 2:
			base = tLLong
			if unsigned {
				base = tULLong
			}
		case longs == 1:
			base = tLong
			if unsigned {
				base = tULong
			}
		case intk || signed || unsigned:
			base = tInt
			if unsigned {
				base = tUInt
			}
		case seen:
			base = tInt // "static x;" is an int
		default:
			return nil, st, isConst
		}
	}
	if align > base.align {
		c := *base
		c.align = align
		base = &c
	}
	return base, st, isConst
}

// definesTag reports whether the struct, union or enum keyword just read
// begins a definition (a body in braces after the optional tag).
func (p *parser) definesTag() bool {
	k := 0
	for p.peekAt(k).is("__attribute__") || p.peekAt(k).is("__attribute") {
		return false // attributes first: rare, and not the forgotten ';'
	}
	if p.peekAt(k).kind == tIdent {
		k++
	}
	return p.peekAt(k).is("{")
}

// forgotSemicolon reports gcc's "expected ';', identifier or '(' before
// 'int'" for a definition followed by a type keyword on a new line
// (struct s { ... } then int main), and ends the declaration there.
func (p *parser) forgotSemicolon(defined bool) bool {
	t := p.tok()
	if !defined || !t.bol || t.kind != tIdent || !typeKeywords[t.text] && !specWords[t.text] && !p.isTypedefName(t) {
		return false
	}
	p.errorAt(t, "expected ';', identifier or '(' before '%s'", t.text)
	p.specEnded = true
	return true
}

// typeofSpec is typeof(expression) or typeof(type-name); an expression's
// type is the compiler's to find (kTypeof).
func (p *parser) typeofSpec(at token) *ctype {
	p.expect("(")
	defer p.expect(")")
	if p.isTypeStart(p.tok()) {
		return p.typeName()
	}
	return &ctype{k: kTypeof, size: 1, align: 1, texpr: p.expr(), name: "typeof"}
}

func (p *parser) structSpec(union bool) *ctype {
	var a attrs
	p.attributes(&a)
	tag := ""
	if p.tok().kind == tIdent {
		tag = p.advance().text
	}
	p.attributes(&a)
	key := tag
	if union {
		key = "union " + tag
	}
	if !p.is("{") {
		if tag == "" {
			p.fail("expected '{' before %s", p.before())
		}
		if t, ok := p.tags[key]; ok {
			return t
		}
		t := &ctype{k: kStruct, st: &structInfo{tag: tag, union: union}, size: 0, align: 1}
		p.tags[key] = t
		return t
	}
	p.advance()
	t := p.tags[key]
	if t == nil || t.st.complete || tag == "" {
		t = &ctype{k: kStruct, st: &structInfo{tag: tag, union: union}}
		if tag != "" {
			p.tags[key] = t
		}
	}
	for !p.is("}") {
		if p.eof() {
			p.fail("expected declaration or statement at end of input")
		}
		if p.accept(";") {
			continue
		}
		if p.is("_Static_assert") {
			p.staticAssert()
			continue
		}
		base, _ := p.declSpec()
		if base == nil {
			p.fail("expected specifier-qualifier-list before %s", p.before())
		}
		if p.accept(";") { // anonymous struct/union member
			t.st.fields = append(t.st.fields, field{t: base})
			continue
		}
		for {
			var name string
			ft := base
			var ftok token
			var fa attrs
			if !p.is(":") {
				var build func(*ctype) *ctype
				name, ftok, build = p.declarator(false)
				ft = build(base)
				fa = p.lastAttrs
			}
			p.attributes(&fa)
			f := field{name: name, t: ft, align: fa.aligned, packed: fa.packed}
			if p.accept(":") {
				at := p.tok()
				w := p.constExpr()
				f.bitfield = true
				f.width = int(w)
				switch {
				case !ft.isInteger():
					p.errorAt(ftok, "bit-field '%s' has invalid type", name)
					f.bitfield = false
				case w < 0:
					p.errorAt(at, "negative width in bit-field '%s'", name)
					f.width = 0
				case w > ft.size*8:
					p.errorAt(at, "width of '%s' exceeds its type", name)
					f.width = int(ft.size * 8)
				case w == 0 && name != "":
					p.errorAt(at, "zero width for bit-field '%s'", name)
				}
				p.attributes(&fa)
			}
			t.st.fields = append(t.st.fields, f)
			if !p.accept(",") {
				break
			}
		}
		p.expect(";")
	}
	p.advance()
	p.attributes(&a)
	t.st.packed = a.packed
	t.st.aligned = a.aligned
	layout(t)
	return t
}

func (p *parser) enumSpec() {
	var a attrs
	p.attributes(&a)
	if p.tok().kind == tIdent {
		p.advance()
	}
	p.attributes(&a)
	if !p.accept("{") {
		return
	}
	var v int64
	var names []string
	for !p.is("}") {
		name := p.expectIdent()
		p.attributes(&a)
		if p.accept("=") {
			v = p.constExpr()
		}
		p.enums[name.text] = v
		names = append(names, name.text)
		v++
		if !p.accept(",") {
			break
		}
	}
	p.expect("}")
	p.attributes(&a)
	p.typeWideEnumerators(names)
}

// typeWideEnumerators gives the enumerators whose values do not fit int the
// type gcc gives them (a GNU extension to C11's int-only enumerators): the
// enumerated type's, the first of unsigned int, long and unsigned long that
// holds every value of the enum. Enumerators that fit int stay int.
func (p *parser) typeWideEnumerators(names []string) {
	fits := func(v int64) bool { return v >= math.MinInt32 && v <= math.MaxInt32 }
	lo, hi := int64(0), int64(0)
	wide := false
	for _, n := range names {
		v := p.enums[n]
		lo, hi = min(lo, v), max(hi, v)
		wide = wide || !fits(v)
	}
	if !wide {
		return
	}
	t := tLong
	if lo >= 0 && hi <= math.MaxUint32 {
		t = tUInt
	}
	for _, n := range names {
		if !fits(p.enums[n]) {
			p.enumTypes[n] = t
		}
	}
}

// staticAssert is _Static_assert(constant-expression, "message");
// (C11 6.7.10), at file scope, in a block or in a struct.
func (p *parser) staticAssert() {
	t := p.advance()
	p.expect("(")
	e := p.condExpr()
	msg := ""
	if p.accept(",") {
		if p.tok().kind != tString {
			p.fail("expected string literal before %s", p.before())
		}
		m := p.primary()
		msg = m.sval
	}
	p.expect(")")
	p.expect(";")
	v, ok := p.evalConst(e)
	switch {
	case !ok:
		p.errorAt(e.tok, "expression in static assertion is not an integer constant expression")
	case v == 0 && msg != "":
		p.errorAt(t, "static assertion failed: \"%s\"", msg)
	case v == 0:
		p.errorAt(t, "static assertion failed")
	}
}
