package interp

// eop is an expression node's kind.
type eop uint8

const (
	eIdent eop = iota
	eNum
	eStr
	eBinary  // op: + - * / % << >> < > <= >= == != & | ^ && ||
	eAssign  // op: = += -= ...
	eUnary   // op: - + ! ~ * &
	ePreInc  // op: ++ or --
	ePostInc // op: ++ or --
	eCall
	eIndex
	eMember // op: "." or "->"
	eCast
	eSizeofType
	eSizeofExpr
	eCond
	eComma
	eInitList
	eFuncName        // __func__
	eVaStart         // __builtin_va_start()
	eVaArg           // __builtin_va_arg(x, t)
	eCompound        // (t){ ... }: x is the initializer list
	eStmtExpr        // GNU's ({ ... }): body; its value is its last expression statement's
	eTypesCompatible // __builtin_types_compatible_p(t, t2)
	eConstantP       // __builtin_constant_p(x)
	eAlignofExpr     // __alignof__(x)
	eTrap            // __builtin_trap(), __builtin_unreachable(): ud2, SIGILL
	eGeneric         // _Generic(x, types[i]: args[i], ...)
)

// expr is an expression as parsed.
type expr struct {
	op      eop
	tok     token // position (the operator, or the operand's first token)
	opText  string
	x, y, z *expr
	args    []*expr
	name    string
	ival    int64
	sval    string
	t       *ctype       // literal type; cast or sizeof type
	t2      *ctype       // eTypesCompatible's second type
	types   []*ctype     // eGeneric's association types (nil: default)
	nameTok token        // the member's name (eMember)
	desigs  []designator // an initializer's designators: .a.b[3] =
	body    *stmt        // eStmtExpr: the block
	unused  bool         // eAssign, ePreInc: its value is not used (a statement of its own)
}

// designator is one step of an initializer's designation: .field, [index]
// or GNU's [lo ... hi].
type designator struct {
	field  string
	index  bool
	lo, hi int64
	tok    token
}

type skind uint8

const (
	sExpr skind = iota
	sDecl
	sBlock
	sIf
	sWhile
	sDo
	sFor
	sReturn
	sBreak
	sContinue
	sSwitch
	sCase
	sDefault
	sEmpty
	sGoto
	sLabel
)

type stmt struct {
	k     skind
	tok   token
	e     *expr
	init  *stmt
	post  *expr
	body  *stmt
	els   *stmt
	list  []*stmt
	decls []*decl
	label string
	end   token // closing brace of a block
}

type storage uint8

const (
	stAuto storage = iota
	stStatic
	stExtern
	stTypedef
)

type decl struct {
	name string
	tok  token
	t    *ctype
	init *expr
	st   storage
	reg  string // a global register variable's register: register T x asm("rsp")
}

type funcDecl struct {
	name   string
	tok    token
	t      *ctype
	params []*decl
	body   *stmt
	static bool
}

type unit struct {
	globals []*decl // in order, including function prototypes as decls of kFunc type
	funcs   []*funcDecl
	order   []any    // *decl or *funcDecl, in source order
	ctors   []string // __attribute__((constructor)) functions, in the order they run
	dtors   []string // __attribute__((destructor)) functions, in the order they run
}
