package interp

import (
	"math"
	"sort"
	"strings"
)

// ctorRank orders constructors: those with a priority first, lowest first.
func ctorRank(prio int64) int64 {
	if prio == 0 {
		return 1 << 62
	}
	return prio
}

// parser builds the AST by recursive descent. A syntax error is recorded
// and unwinds (bailout) to the enclosing statement or declaration, which
// skips to a point where parsing can go on, so all errors come out at once.
type parser struct {
	toks        []token
	pos         int
	diags       *[]Diagnostic
	typedefs    map[string]*ctype
	tags        map[string]*ctype
	enums       map[string]int64
	enumTypes   map[string]*ctype // enumerators wider than int (typeWideEnumerators)
	u           *unit
	last        token
	lastParams  []*decl
	lastAttrs   attrs // the attributes after the last declarator
	depth       int   // nesting of expressions and statements
	eofReported bool
	stop        *compileStop
	// vars are the types of the variables declared so far, for sizeof in
	// constant expressions; varLog undoes a block's declarations at its end.
	vars map[string]*ctype
	// regVars are the local register variables' registers, by name
	// (register long r10 asm("r10")), for asm statements' operands.
	regVars map[string]string
	varLog  []varUndo
	blocks  []int // the varLog marks of the blocks being parsed
	// ctors are the functions __attribute__((constructor)) names, with
	// their priorities (0: none given).
	ctors    map[string]int64
	ctorList []string
	// dtors are the __attribute__((destructor)) functions, likewise.
	dtors    map[string]int64
	dtorList []string
	specAttr attrs // the attributes among the last declaration's specifiers
	knr      bool  // the last declarator's parameters were an identifier list
	// specEnded: a struct, union or enum definition was followed by a type
	// keyword (its ';' forgotten); the declaration ends there.
	specEnded bool
}

// knrTypes reads the declarations of an old-style definition's parameters
// (before its body) into params; a parameter not declared is an int.
func (p *parser) knrTypes(params []*decl) {
	for p.isTypeStart(p.tok()) {
		base, _ := p.declSpec()
		for {
			name, tok, build := p.declarator(false)
			t := build(base)
			switch t.k {
			case kArray:
				t = ptrTo(t.elem)
			case kFunc:
				t = ptrTo(t)
			}
			found := false
			for _, d := range params {
				if d.name == name {
					d.t, found = t, true
				}
			}
			if !found {
				p.errorAt(tok, "declaration for parameter '%s' but no such parameter", name)
			}
			if !p.accept(",") {
				break
			}
		}
		p.expect(";")
	}
}

type varUndo struct {
	name    string
	old     *ctype
	typedef *ctype // a typedef the name hid
}

// declare records a variable's type for exprType; a variable named as a
// typedef hides the typedef until its block ends (typedef struct s s;
// then s s = {0};).
func (p *parser) declare(name string, t *ctype) {
	if name == "" {
		return
	}
	u := varUndo{name: name, old: p.vars[name]}
	if td, ok := p.typedefs[name]; ok && len(p.blocks) > 0 {
		u.typedef = td
		delete(p.typedefs, name)
	}
	p.varLog = append(p.varLog, u)
	p.vars[name] = t
}

// exprType is e's type where the parser can tell it without the compiler
// (sizeof in an enum value or a bit-field width): literals, the variables
// declared so far, their elements and members. nil: it cannot.
func (p *parser) exprType(e *expr) *ctype {
	var t *ctype
	switch e.op {
	case eStr:
		return arrayOf(tChar, int64(len(e.sval))+1)
	case eNum:
		return e.t
	case eIdent:
		t = p.vars[e.name]
	case eCast, eCompound:
		t = e.t
	case eSizeofExpr, eSizeofType:
		return tULong
	case eIndex:
		if x := p.exprType(e.x); x != nil && (x.k == kArray || x.k == kPtr) {
			t = x.elem
		}
	case eUnary:
		x := p.exprType(e.x)
		switch {
		case x == nil:
		case e.opText == "*" && (x.k == kArray || x.k == kPtr):
			t = x.elem
		case e.opText == "&":
			t = ptrTo(x)
		}
	case eMember:
		x := p.exprType(e.x)
		if x != nil && e.opText == "->" && (x.k == kPtr || x.k == kArray) {
			x = x.elem
		}
		if x != nil && x.k == kStruct {
			if f, ok := x.field(e.name); ok && !f.bitfield {
				t = f.t
			}
		}
	}
	if t == nil || t.k == kTypeof || t.vla != nil || t.k == kArray && t.n < 0 {
		return nil
	}
	return t
}

type bailout struct{}

func parse(toks []token, diags *[]Diagnostic) *unit { return parseStop(toks, diags, nil) }

// parseStop is parse that stop can end (CompileContext).
func parseStop(toks []token, diags *[]Diagnostic, stop *compileStop) *unit {
	p := newParser(diags, stop)
	p.parseUnit(toks)
	// Constructors run by priority, then in the order they were declared.
	names := append([]string(nil), p.ctorList...)
	sort.SliceStable(names, func(i, j int) bool { return ctorRank(p.ctors[names[i]]) < ctorRank(p.ctors[names[j]]) })
	p.u.ctors = names
	// Destructors run in the reverse of that order (.fini_array's).
	names = append([]string(nil), p.dtorList...)
	sort.SliceStable(names, func(i, j int) bool { return ctorRank(p.dtors[names[i]]) < ctorRank(p.dtors[names[j]]) })
	for i, j := 0, len(names)-1; i < j; i, j = i+1, j-1 {
		names[i], names[j] = names[j], names[i]
	}
	p.u.dtors = names
	return p.u
}

// newParser is a parser that knows the library's typedefs and tags, in
// maps of its own (a unit's typedefs and tags are its own).
func newParser(diags *[]Diagnostic, stop *compileStop) *parser {
	p := &parser{stop: stop, diags: diags, typedefs: make(map[string]*ctype, len(builtinTypedefs)), vars: map[string]*ctype{}, ctors: map[string]int64{}, dtors: map[string]int64{}, tags: map[string]*ctype{"stat": tStat, "timespec": tTimespec, "_IO_FILE": tFILE, "sigaction": tSigact, "timeval": tTimeval, "rusage": tRusage, "union sigval": tSigval}, enums: map[string]int64{}, enumTypes: map[string]*ctype{}}
	for k, v := range builtinTypedefs {
		p.typedefs[k] = v
	}
	for k, v := range libTags {
		p.tags[k] = v
	}
	return p
}

// parseUnit parses toks as a unit of their own (p.u), with what p has
// declared so far.
func (p *parser) parseUnit(toks []token) {
	p.toks, p.pos, p.u = toks, 0, &unit{}
	if len(toks) > 0 {
		p.last = toks[len(toks)-1]
	}
	for !p.eof() {
		p.topLevel()
	}
}

func (p *parser) eof() bool { return p.pos >= len(p.toks) }

// isTypedefName reports whether t names a typedef (not a keyword).
func (p *parser) isTypedefName(t token) bool {
	if t.kind != tIdent || typeKeywords[t.text] || specWords[t.text] {
		return false
	}
	_, ok := p.typedefs[t.text]
	return ok
}

func (p *parser) tok() token {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return token{kind: tEOF, line: p.last.line, col: p.last.col}
}

func (p *parser) peekAt(n int) token {
	if p.pos+n < len(p.toks) {
		return p.toks[p.pos+n]
	}
	return token{kind: tEOF}
}

func (p *parser) is(s string) bool {
	t := p.tok()
	return t.kind == tPunct && t.text == s || t.kind == tIdent && t.text == s
}

func (p *parser) accept(s string) bool {
	if p.is(s) {
		p.pos++
		return true
	}
	return false
}

func (p *parser) advance() token {
	p.stop.poll()
	t := p.tok()
	if !p.eof() {
		p.pos++
	}
	return t
}

func (p *parser) errorAt(t token, format string, args ...any) {
	*p.diags = append(*p.diags, Diagnostic{Line: t.line, Col: t.col, Token: t.text, Message: sprintf(format, args...)})
}

// fail records a syntax error at the current token and unwinds.
func (p *parser) fail(format string, args ...any) {
	t := p.tok()
	if t.kind == tEOF {
		if !p.eofReported {
			p.eofReported = true
			p.errorAt(p.last, "expected declaration or statement at end of input")
		}
		panic(bailout{})
	}
	p.errorAt(t, format, args...)
	panic(bailout{})
}

func (p *parser) before() string {
	t := p.tok()
	if t.kind == tEOF {
		return "end of input"
	}
	if t.kind == tIdent || t.kind == tNumber {
		return "'" + t.text + "'"
	}
	if t.kind == tString {
		return "string constant"
	}
	return "'" + t.text + "' token"
}

func (p *parser) expect(s string) token {
	if p.is(s) {
		return p.advance()
	}
	if s == ";" || s == ")" || s == "]" {
		// gcc places a missing terminator just after the previous token.
		if p.pos > 0 && p.tok().kind != tEOF {
			t := p.toks[p.pos-1]
			t.col += tokenWidth(t.text)
			p.errorAt(t, "expected '%s' before %s", s, p.before())
			panic(bailout{})
		}
	}
	p.fail("expected '%s' before %s", s, p.before())
	return token{}
}

// expectDeclEnd is the ';' after a declarator, which gcc words as
// "expected ',' or ';'".
//
// A missing one is reported and the rest of the statement skipped, as gcc
// does, but the names declared stand: they are not "undeclared" after.
func (p *parser) expectDeclEnd() {
	if p.is(";") {
		p.advance()
		return
	}
	if p.eof() {
		p.fail("expected ',' or ';' before %s", p.before())
	}
	p.errorAt(p.tok(), "expected ',' or ';' before %s", p.before())
	p.sync()
}

func (p *parser) expectIdent() token {
	if p.tok().kind == tIdent {
		return p.advance()
	}
	p.fail("expected identifier before %s", p.before())
	return token{}
}

// sync skips to just after the next ';' or to the next '}' at this depth.
func (p *parser) sync() {
	depth := 0
	for !p.eof() {
		t := p.tok()
		switch {
		case t.is("(") || t.is("[") || t.is("{"):
			depth++
		case t.is(")") || t.is("]"):
			if depth > 0 {
				depth--
			}
		case t.is("}"):
			if depth == 0 {
				return
			}
			depth--
			if depth == 0 {
				p.pos++
				if p.is(";") {
					p.pos++
				}
				return
			}
		case t.is(";"):
			if depth == 0 {
				p.pos++
				return
			}
		}
		p.pos++
	}
}

func (p *parser) constExpr() int64 {
	e := p.condExpr()
	v, ok := p.evalConst(e)
	if !ok {
		p.errorAt(e.tok, "expression is not a constant")
	}
	return v
}

// declarator parses pointers, the name (optional when abstract) and array
// and function suffixes; build applies them to a base type.
func (p *parser) declarator(abstract bool) (name string, tok token, build func(*ctype) *ctype) {
	nptr := 0
	var constPtr []bool // which pointer levels are themselves const
	for {
		if p.accept("*") {
			nptr++
			constPtr = append(constPtr, false)
			continue
		}
		if t := p.tok(); t.kind == tIdent && qualifierWords[t.text] {
			p.advance()
			if nptr > 0 && (t.text == "const" || t.text == "__const" || t.text == "__const__") {
				constPtr[nptr-1] = true
			}
			continue
		}
		if p.is("__attribute__") || p.is("__attribute") {
			p.attributes(nil)
			continue
		}
		break
	}
	inner := func(t *ctype) *ctype { return t }
	var params, innerParams []*decl
	tok = p.tok()
	if p.is("(") && (p.peekAt(1).is("*") || p.peekAt(1).is("^") || p.peekAt(1).is("__attribute__") ||
		(p.peekAt(1).kind == tIdent && !p.isTypeStart(p.peekAt(1)) && !abstract)) {
		p.advance()
		p.attributes(nil)
		name, tok, inner = p.declarator(abstract)
		innerParams = p.lastParams
		p.expect(")")
	} else if t := p.tok(); t.kind == tIdent && (!p.isTypeStart(t) || !abstract && p.isTypedefName(t)) {
		// A typedef's name may be declared again after a type (pin_args
		// pin_args;): declSpecs has taken the type already.
		tok = p.advance()
		name = tok.text
	} else if !abstract {
		p.fail("expected identifier or '(' before %s", p.before())
	}
	var suffixes []func(*ctype) *ctype
	for {
		if p.accept("[") {
			// Parameters may say [static 10], [const], [restrict n].
			for t := p.tok(); t.kind == tIdent && (qualifierWords[t.text] || t.text == "static"); t = p.tok() {
				p.advance()
			}
			n := int64(-1)
			var vla *expr
			if !p.is("]") {
				if p.is("*") && p.peekAt(1).is("]") {
					p.advance() // [*]: a VLA of unspecified size, in a prototype
				} else {
					e := p.assignExpr()
					if v, ok := p.evalConst(e); ok {
						n = v
						if n < 0 {
							p.errorAt(tok, "size of array '%s' is negative", name)
							n = 0
						}
					} else {
						vla = e // a variable length, or a constant only the compiler folds
					}
				}
			}
			p.expect("]")
			if n > 1<<40 {
				p.errorAt(tok, "size of array '%s' is too large", name)
				n = 1
			}
			nn := n
			suffixes = append(suffixes, func(t *ctype) *ctype {
				a := arrayOf(t, nn)
				if vla != nil {
					a.vla = vla
					a.n = -1
				}
				return a
			})
			continue
		}
		if p.is("(") {
			p.advance()
			ft := &ctype{k: kFunc, size: 1, align: 1}
			ps := p.paramList(ft)
			if params == nil {
				params = ps
			}
			suffixes = append(suffixes, func(t *ctype) *ctype {
				f := *ft
				f.ret = t
				return &f
			})
			continue
		}
		break
	}
	p.lastAttrs = attrs{}
	p.attributes(&p.lastAttrs)
	// A function's parameters are those of the declarator around its name
	// (int (*pick(int k))(int, int): k).
	p.lastParams = params
	if innerParams != nil {
		p.lastParams = innerParams
	}
	build = func(t *ctype) *ctype {
		for i := 0; i < nptr; i++ {
			t = ptrTo(t)
			if constPtr[i] {
				t = qualified(t)
			}
		}
		for i := len(suffixes) - 1; i >= 0; i-- {
			t = suffixes[i](t)
		}
		return inner(t)
	}
	return name, tok, build
}

func (p *parser) paramList(ft *ctype) []*decl {
	var ps []*decl
	if p.accept(")") {
		ft.noProto = true
		return nil
	}
	if p.is("void") && p.peekAt(1).is(")") {
		p.pos += 2
		return nil
	}
	if t := p.tok(); t.kind == tIdent && !p.isTypeStart(t) && (p.peekAt(1).is(",") || p.peekAt(1).is(")")) {
		// An old-style (K&R) definition's identifier list: f(a, b) int a;
		// char *b; { ... }. Its types come after it (knrTypes); calls to it
		// are unprototyped.
		ft.noProto = true
		for {
			n := p.expectIdent()
			ps = append(ps, &decl{name: n.text, tok: n, t: tInt})
			if !p.accept(",") {
				break
			}
		}
		p.expect(")")
		p.knr = true
		return ps
	}
	for {
		if p.accept("...") {
			ft.variadic = true
			break
		}
		base, _ := p.declSpec()
		if base == nil {
			p.fail("expected declaration specifiers or '...' before %s", p.before())
		}
		name, tok, build := p.declarator(true)
		t := build(base)
		switch t.k {
		case kArray:
			t = ptrTo(t.elem)
		case kFunc:
			t = ptrTo(t)
		}
		ft.params = append(ft.params, t)
		ps = append(ps, &decl{name: name, tok: tok, t: t})
		if !p.accept(",") {
			break
		}
	}
	p.expect(")")
	return ps
}

func (p *parser) topLevel() {
	startPos := p.pos
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(bailout); !ok {
				panic(r)
			}
			p.sync()
			if p.pos == startPos || p.is("}") {
				p.pos++
			}
		}
	}()
	if p.accept(";") {
		return
	}
	for p.accept("__extension__") {
	}
	if p.is("_Static_assert") {
		p.staticAssert()
		return
	}
	if p.is("asm") || p.is("__asm__") || p.is("__asm") {
		p.asmStatement()
		return
	}
	start := p.tok()
	base, st := p.declSpec()
	if p.specEnded {
		return // struct s { ... } with its ';' missing, reported
	}
	if base == nil {
		if start.kind == tIdent && p.peekAt(1).is("(") {
			base = tInt // implicit int, old style
		} else {
			p.fail("expected identifier or '(' before %s", p.before())
		}
	}
	if p.accept(";") {
		return
	}
	spec := p.specAttr
	for {
		p.knr = false
		name, tok, build := p.declarator(false)
		params := p.lastParams
		t := build(base)
		if t.k == kFunc && (spec.constructor || p.lastAttrs.constructor) {
			prio := max(spec.ctorPrio, p.lastAttrs.ctorPrio)
			if _, ok := p.ctors[name]; !ok {
				p.ctorList = append(p.ctorList, name)
			}
			p.ctors[name] = prio
		}
		if t.k == kFunc && (spec.destructor || p.lastAttrs.destructor) {
			prio := max(spec.dtorPrio, p.lastAttrs.dtorPrio)
			if _, ok := p.dtors[name]; !ok {
				p.dtorList = append(p.dtorList, name)
			}
			p.dtors[name] = prio
		}
		if st == stTypedef {
			p.typedefs[name] = named(t, name)
		} else if t.k == kFunc && (p.is("{") || p.knr && p.isTypeStart(p.tok())) {
			if p.knr {
				p.knrTypes(params)
			}
			fd := &funcDecl{name: name, tok: tok, t: t, params: params, static: st == stStatic}
			fd.body = p.block()
			p.u.funcs = append(p.u.funcs, fd)
			p.u.order = append(p.u.order, fd)
			return
		} else {
			d := &decl{name: name, tok: tok, t: t, st: st}
			if spec.register {
				d.reg = p.lastAttrs.asmLabel
			}
			p.declare(name, t)
			if p.accept("=") {
				d.init = p.initializer()
				p.completeArray(name, t, d.init)
			}
			p.u.globals = append(p.u.globals, d)
			p.u.order = append(p.u.order, d)
		}
		if !p.accept(",") {
			break
		}
	}
	p.expectDeclEnd()
}

// initRecover parses d's initializer; after a syntax error in it, it skips
// the rest of the declaration and reports false.
func (p *parser) initRecover(d *decl) (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			if _, isB := r.(bailout); !isB {
				panic(r)
			}
			if p.eof() {
				panic(bailout{})
			}
			p.sync()
			ok = false
		}
	}()
	d.init = p.initializer()
	return true
}

// tokenWidth is a token's width in display columns.
func tokenWidth(s string) int {
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

// completeArray gives "T a[] = {...}" its length where the parser can
// count it (one element an item, or designated indexes), so that sizeof a
// is a constant expression while parsing goes on (BUILD_BUG_ON's bit-field
// width); the compiler lays the array out from the initializer itself.
func (p *parser) completeArray(name string, t *ctype, init *expr) {
	if t.k != kArray || t.n >= 0 || t.vla != nil || init == nil {
		return
	}
	var n int64
	switch {
	case init.op == eStr && t.elem.size == 1:
		n = int64(len(init.sval)) + 1
	case init.op == eInitList:
		var next int64
		for _, a := range init.args {
			if len(a.desigs) > 0 && a.desigs[0].index {
				next = a.desigs[0].hi
			} else if len(a.desigs) > 0 {
				return // .field at the top of an array's list: gcc's error
			}
			if a.op != eInitList && !t.elem.isScalar() && !(a.op == eStr && t.elem.k == kArray) {
				return // braces elided: the compiler counts
			}
			next++
			n = max(n, next)
		}
	default:
		return
	}
	p.vars[name] = arrayOf(t.elem, n)
}

func (p *parser) initializer() *expr {
	if p.is("{") {
		p.nest()
		defer func() { p.depth-- }()
		t := p.advance()
		e := &expr{op: eInitList, tok: t}
		for !p.is("}") {
			var ds []designator
			for {
				if p.accept(".") { // .field
					n := p.expectIdent()
					ds = append(ds, designator{field: n.text, tok: n})
					continue
				}
				if p.is("[") { // [index] or GNU's [first ... last]
					at := p.advance()
					lo := p.constExpr()
					hi := lo
					if p.accept("...") {
						hi = p.constExpr()
					}
					p.expect("]")
					ds = append(ds, designator{index: true, lo: lo, hi: hi, tok: at})
					continue
				}
				break
			}
			if len(ds) == 0 && p.tok().kind == tIdent && p.peekAt(1).is(":") {
				// GNU's obsolete "field: value".
				n := p.advance()
				p.advance()
				ds = append(ds, designator{field: n.text, tok: n})
			} else if len(ds) > 0 {
				p.expect("=")
			}
			v := p.initializer()
			v.desigs = ds
			e.args = append(e.args, v)
			if !p.accept(",") {
				break
			}
		}
		p.expect("}")
		return e
	}
	return p.assignExpr()
}

// block parses { ... }; reaching the end of input inside it is gcc's
// "expected declaration or statement at end of input".
func (p *parser) block() *stmt {
	s := &stmt{k: sBlock, tok: p.expect("{")}
	mark := len(p.varLog)
	p.blocks = append(p.blocks, mark)
	defer func() {
		for i := len(p.varLog) - 1; i >= mark; i-- {
			p.vars[p.varLog[i].name] = p.varLog[i].old
			if td := p.varLog[i].typedef; td != nil {
				p.typedefs[p.varLog[i].name] = td
			}
		}
		p.varLog = p.varLog[:mark]
		p.blocks = p.blocks[:len(p.blocks)-1]
	}()
	for {
		if p.eof() {
			// gcc reports the unbalanced brace once and still checks
			// what it read.
			if !p.eofReported {
				p.eofReported = true
				p.errorAt(p.last, "expected declaration or statement at end of input")
			}
			s.end = p.last
			return s
		}
		if p.is("}") {
			s.end = p.advance()
			return s
		}
		if st := p.stmtRecover(); st != nil {
			s.list = append(s.list, st)
		}
	}
}

func (p *parser) stmtRecover() (s *stmt) {
	start := p.pos
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(bailout); !ok {
				panic(r)
			}
			if p.eof() {
				panic(bailout{})
			}
			p.sync()
			if p.pos == start {
				p.pos++
			}
			s = nil
		}
	}()
	return p.statement()
}

func (p *parser) statement() *stmt {
	p.nest()
	defer func() { p.depth-- }()
	t := p.tok()
	if t.kind == tIdent {
		switch t.text {
		case "if":
			p.advance()
			p.expect("(")
			s := &stmt{k: sIf, tok: t, e: p.expr()}
			p.expect(")")
			s.body = p.subStatement()
			if p.accept("else") {
				s.els = p.subStatement()
			}
			return s
		case "while":
			p.advance()
			p.expect("(")
			s := &stmt{k: sWhile, tok: t, e: p.expr()}
			p.expect(")")
			s.body = p.subStatement()
			return s
		case "do":
			p.advance()
			s := &stmt{k: sDo, tok: t}
			s.body = p.subStatement()
			if !p.is("while") {
				p.fail("expected 'while' before %s", p.before())
			}
			p.advance()
			p.expect("(")
			s.e = p.expr()
			p.expect(")")
			p.expect(";")
			return s
		case "for":
			p.advance()
			p.expect("(")
			s := &stmt{k: sFor, tok: t}
			if p.isTypeStart(p.tok()) || p.unknownTypeName(p.tok(), p.peekAt(1)) {
				s.init = p.declaration()
			} else if !p.accept(";") {
				s.init = &stmt{k: sExpr, tok: p.tok(), e: p.expr()}
				p.expect(";")
			}
			if !p.is(";") {
				s.e = p.expr()
			}
			p.expect(";")
			if !p.is(")") {
				s.post = p.expr()
			}
			p.expect(")")
			s.body = p.subStatement()
			return s
		case "switch":
			p.advance()
			p.expect("(")
			s := &stmt{k: sSwitch, tok: t, e: p.expr()}
			p.expect(")")
			s.body = p.subStatement()
			return s
		case "case":
			p.advance()
			s := &stmt{k: sCase, tok: t, e: p.condExpr()}
			if p.accept("...") { // GNU's case ranges: case 'a' ... 'z':
				s.post = p.condExpr()
			}
			p.expect(":")
			return s
		case "asm", "__asm__", "__asm":
			return p.asmStatement()
		case "_Static_assert":
			p.staticAssert()
			return &stmt{k: sEmpty, tok: t}
		case "__extension__":
			p.advance()
			return p.statement()
		case "default":
			p.advance()
			p.expect(":")
			return &stmt{k: sDefault, tok: t}
		case "return":
			p.advance()
			s := &stmt{k: sReturn, tok: t}
			if !p.is(";") {
				s.e = p.expr()
			}
			p.expect(";")
			return s
		case "break":
			p.advance()
			p.expect(";")
			return &stmt{k: sBreak, tok: t}
		case "continue":
			p.advance()
			p.expect(";")
			return &stmt{k: sContinue, tok: t}
		case "goto":
			p.advance()
			l := p.expectIdent()
			p.expect(";")
			return &stmt{k: sGoto, tok: t, label: l.text}
		}
		if p.peekAt(1).is(":") && !p.isTypeStart(t) {
			p.advance()
			p.advance()
			return &stmt{k: sLabel, tok: t, label: t.text}
		}
		if p.isTypeStart(t) || p.unknownTypeName(t, p.peekAt(1)) {
			return p.declaration()
		}
	}
	if t.is("{") {
		return p.block()
	}
	if p.accept(";") {
		return &stmt{k: sEmpty, tok: t}
	}
	s := &stmt{k: sExpr, tok: t, e: p.expr()}
	if !p.is(";") && !p.eof() && p.pos > 0 {
		// The expression stands (gcc has checked it: an undeclared name in
		// it is reported), and the rest of the statement is skipped.
		at := p.toks[p.pos-1]
		at.col += tokenWidth(at.text)
		p.errorAt(at, "expected ';' before %s", p.before())
		p.sync()
		return s
	}
	p.expect(";")
	return s
}

// subStatement is the body of if/for/while: errors inside recover there.
func (p *parser) subStatement() *stmt {
	if p.eof() {
		p.fail("expected statement")
	}
	if s := p.stmtRecover(); s != nil {
		return s
	}
	return &stmt{k: sEmpty, tok: p.tok()}
}

func (p *parser) declaration() *stmt {
	t := p.tok()
	base, st := p.declSpec()
	s := &stmt{k: sDecl, tok: t}
	if p.accept(";") {
		return s
	}
	for {
		name, tok, build := p.declarator(false)
		dt := build(base)
		if st == stTypedef {
			p.typedefs[name] = named(dt, name)
		} else {
			d := &decl{name: name, tok: tok, t: dt, st: st}
			p.declare(name, dt)
			p.regVar(name, p.lastAttrs.asmLabel)
			s.decls = append(s.decls, d)
			if p.accept("=") {
				// A broken initializer still declares the name, so its
				// uses are not reported as undeclared too.
				if !p.initRecover(d) {
					return s
				}
				p.completeArray(name, dt, d.init)
			}
		}
		if !p.accept(",") {
			break
		}
	}
	p.expectDeclEnd()
	return s
}

// Expressions, by C precedence.

func (p *parser) expr() *expr {
	e := p.assignExpr()
	for n := 1; p.is(","); n++ {
		if p.depth+n > maxNesting {
			p.depth = 0
			p.fail("expression or statement nested too deeply (more than %d levels)", maxNesting)
		}
		t := p.advance()
		e = &expr{op: eComma, tok: t, x: e, y: p.assignExpr()}
	}
	return e
}

var assignOps = map[string]bool{"=": true, "+=": true, "-=": true, "*=": true, "/=": true, "%=": true,
	"<<=": true, ">>=": true, "&=": true, "^=": true, "|=": true}

// maxNesting bounds how deeply expressions and statements nest, so that a
// pathological program cannot exhaust the host's stack.
const maxNesting = 1000

func (p *parser) nest() {
	p.depth++
	if p.depth > maxNesting {
		p.depth = 0
		p.fail("expression or statement nested too deeply (more than %d levels)", maxNesting)
	}
}

func (p *parser) assignExpr() *expr {
	p.nest()
	defer func() { p.depth-- }()
	e := p.condExpr()
	if t := p.tok(); t.kind == tPunct && assignOps[t.text] {
		p.advance()
		return &expr{op: eAssign, tok: t, opText: t.text, x: e, y: p.assignExpr()}
	}
	return e
}

func (p *parser) condExpr() *expr {
	e := p.binExpr(0)
	if p.is("?") {
		t := p.advance()
		var a *expr
		if p.is(":") { // GNU's x ?: y
			p.advance()
			return &expr{op: eCond, tok: t, x: e, z: p.condExpr()}
		}
		a = p.expr()
		p.expect(":")
		b := p.condExpr()
		return &expr{op: eCond, tok: t, x: e, y: a, z: b}
	}
	return e
}

func (p *parser) binExpr(min int) *expr {
	l := p.castExpr()
	for n := 1; ; n++ {
		t := p.tok()
		if t.kind != tPunct {
			return l
		}
		prec, ok := ifPrec[t.text]
		if !ok || prec <= min {
			return l
		}
		// x+x+...+x is a tree as deep as it is long (the compiler walks
		// its left spine recursively): it counts as nesting.
		if p.depth+n > maxNesting {
			p.depth = 0
			p.fail("expression or statement nested too deeply (more than %d levels)", maxNesting)
		}
		p.advance()
		r := p.binExpr(prec)
		l = &expr{op: eBinary, tok: t, opText: t.text, x: l, y: r}
	}
}

func (p *parser) isTypeParen() bool {
	return p.is("(") && p.isTypeStart(p.peekAt(1))
}

func (p *parser) typeName() *ctype {
	base, _ := p.declSpec()
	if base == nil {
		p.fail("expected specifier-qualifier-list before %s", p.before())
	}
	_, _, build := p.declarator(true)
	return build(base)
}

func (p *parser) unaryExpr() *expr {
	t := p.tok()
	if t.kind == tPunct {
		switch t.text {
		case "++", "--":
			p.advance()
			return &expr{op: ePreInc, tok: t, opText: t.text, x: p.unaryExpr()}
		case "-", "+", "!", "~", "*", "&":
			p.advance()
			return &expr{op: eUnary, tok: t, opText: t.text, x: p.castExpr()}
		}
	}
	if t.is("sizeof") {
		p.advance()
		if p.isTypeParen() {
			p.advance()
			ty := p.typeName()
			p.expect(")")
			return &expr{op: eSizeofType, tok: t, t: ty}
		}
		return &expr{op: eSizeofExpr, tok: t, x: p.unaryExpr()}
	}
	if t.is("_Alignof") || t.is("__alignof__") || t.is("__alignof") {
		p.advance()
		if p.isTypeParen() {
			p.expect("(")
			ty := p.typeName()
			p.expect(")")
			return &expr{op: eNum, tok: t, ival: ty.align, t: tULong}
		}
		return &expr{op: eAlignofExpr, tok: t, x: p.unaryExpr()}
	}
	if t.is("__extension__") {
		p.advance()
		return p.castExpr()
	}
	return p.postfixExpr()
}

func (p *parser) castExpr() *expr {
	p.nest()
	defer func() { p.depth-- }()
	if p.isTypeParen() {
		t := p.advance()
		ty := p.typeName()
		p.expect(")")
		if p.is("{") {
			init := p.initializer()
			return &expr{op: eCompound, tok: t, t: ty, x: init}
		}
		return &expr{op: eCast, tok: t, t: ty, x: p.castExpr()}
	}
	return p.unaryExpr()
}

func (p *parser) postfixExpr() *expr {
	e := p.primary()
	for {
		t := p.tok()
		switch {
		case t.is("["):
			p.advance()
			i := p.expr()
			p.expect("]")
			e = &expr{op: eIndex, tok: t, x: e, y: i}
		case t.is("("):
			p.advance()
			c := &expr{op: eCall, tok: e.tok, x: e}
			for !p.is(")") {
				c.args = append(c.args, p.assignExpr())
				if !p.accept(",") {
					break
				}
			}
			p.expect(")")
			e = c
		case t.is(".") || t.is("->"):
			p.advance()
			n := p.expectIdent()
			e = &expr{op: eMember, tok: t, opText: t.text, x: e, name: n.text, t: &ctype{}}
			e.nameTok = n
		case t.is("++") || t.is("--"):
			p.advance()
			e = &expr{op: ePostInc, tok: t, opText: t.text, x: e}
		default:
			return e
		}
	}
}

func (p *parser) primary() *expr {
	t := p.tok()
	switch t.kind {
	case tIdent:
		if stmtKeywords[t.text] {
			p.fail("expected expression before %s", p.before())
		}
		if p.isTypeStart(t) {
			if p.is("(") {
				break
			}
			p.fail("expected expression before %s", p.before())
		}
		p.advance()
		if v, ok := p.enums[t.text]; ok {
			if wt := p.enumTypes[t.text]; wt != nil {
				return &expr{op: eNum, tok: t, ival: v, t: wt}
			}
			return &expr{op: eNum, tok: t, ival: v, t: tInt}
		}
		if t.text == "__func__" || t.text == "__FUNCTION__" || t.text == "__PRETTY_FUNCTION__" {
			return &expr{op: eFuncName, tok: t}
		}
		if e := p.builtin(t); e != nil {
			return e
		}
		if t.text == "_Generic" && p.is("(") {
			return p.generic(t)
		}
		if t.text == "__builtin_va_start" && p.is("(") {
			p.advance()
			p.expect(")")
			return &expr{op: eVaStart, tok: t}
		}
		if t.text == "__builtin_va_arg" && p.is("(") {
			p.advance()
			x := p.assignExpr()
			p.expect(",")
			ty := p.typeName()
			p.expect(")")
			return &expr{op: eVaArg, tok: t, x: x, t: ty}
		}
		return &expr{op: eIdent, tok: t, name: t.text}
	case tNumber:
		p.advance()
		if strings.ContainsAny(t.text, ".") || (!strings.HasPrefix(strings.ToLower(t.text), "0x") && strings.ContainsAny(t.text, "eE")) ||
			strings.HasPrefix(strings.ToLower(t.text), "0x") && strings.ContainsAny(t.text, "pP") {
			v, ty, ok := parseFloatLit(t.text)
			if !ok {
				p.errorAt(t, "invalid floating constant")
			}
			return &expr{op: eNum, tok: t, ival: int64(math.Float64bits(v)), t: ty}
		}
		v, ty, ok := parseIntLit(t.text)
		if !ok {
			p.errorAt(t, "invalid suffix on integer constant")
		}
		return &expr{op: eNum, tok: t, ival: int64(v), t: ty}
	case tCharLit:
		p.advance()
		v, ok := decodeChar(t.text)
		if !ok {
			p.errorAt(t, "empty character constant")
		}
		return &expr{op: eNum, tok: t, ival: v, t: tInt}
	case tString:
		var sb []byte
		for p.tok().kind == tString {
			s := p.advance().text
			if len(s) >= 2 {
				sb = append(sb, unescape(s[1:len(s)-1])...)
			}
		}
		return &expr{op: eStr, tok: t, sval: string(sb)}
	case tPunct:
		if t.is("(") && p.peekAt(1).is("{") {
			// GNU's statement expression: ({ int _a = (x); _a * 2; })
			p.advance()
			body := p.block()
			p.expect(")")
			return &expr{op: eStmtExpr, tok: t, body: body}
		}
		if t.is("(") {
			p.advance()
			e := p.expr()
			p.expect(")")
			return e
		}
	}
	p.fail("expected expression before %s", p.before())
	return nil
}

// evalConst folds an integer constant expression (array sizes, case
// labels, enum values).
func (p *parser) evalConst(e *expr) (int64, bool) {
	switch e.op {
	case eNum:
		return e.ival, true
	case eSizeofType:
		if e.t.k == kTypeof || e.t.vla != nil {
			return 0, false
		}
		return e.t.size, true
	case eSizeofExpr:
		if t := p.exprType(e.x); t != nil {
			return t.size, true
		}
		return 0, false
	case eAlignofExpr:
		if t := p.exprType(e.x); t != nil {
			return t.align, true
		}
		return 0, false
	case eCast:
		v, ok := p.evalConst(e.x)
		return truncTo(v, e.t), ok
	case eUnary:
		v, ok := p.evalConst(e.x)
		switch e.opText {
		case "-":
			return -v, ok
		case "+":
			return v, ok
		case "~":
			return ^v, ok
		case "!":
			if v == 0 {
				return 1, ok
			}
			return 0, ok
		}
	case eBinary:
		a, ok1 := p.evalConst(e.x)
		b, ok2 := p.evalConst(e.y)
		if (e.opText == "/" || e.opText == "%") && b == 0 {
			return 0, false
		}
		return cBinary(e.opText, a, b), ok1 && ok2
	case eCond:
		c, ok := p.evalConst(e.x)
		if !ok {
			return 0, false
		}
		if c != 0 {
			return p.evalConst(e.y)
		}
		return p.evalConst(e.z)
	}
	return 0, false
}

// truncTo converts v to integer type t as C does.
func truncTo(v int64, t *ctype) int64 {
	if t.k == kFloat {
		if t.size == 4 {
			return int64(math.Float64bits(float64(float32(math.Float64frombits(uint64(v))))))
		}
		return v
	}
	if t.k == kBool {
		if v != 0 {
			return 1
		}
		return 0
	}
	if !t.isInteger() {
		return v
	}
	switch t.size {
	case 1:
		if t.unsigned {
			return int64(uint8(v))
		}
		return int64(int8(v))
	case 2:
		if t.unsigned {
			return int64(uint16(v))
		}
		return int64(int16(v))
	case 4:
		if t.unsigned {
			return int64(uint32(v))
		}
		return int64(int32(v))
	}
	return v
}

// regVar notes the register of a local declared with an asm label (a
// register variable); a later declaration of the name without one forgets it.
func (p *parser) regVar(name, label string) {
	switch {
	case label != "":
		if p.regVars == nil {
			p.regVars = map[string]string{}
		}
		p.regVars[name] = label
	case p.regVars != nil:
		delete(p.regVars, name)
	}
}
