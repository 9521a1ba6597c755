package interp

import (
	"fmt"
	"strings"
)

// kind is a C type's class.
type kind uint8

const (
	kVoid kind = iota
	kBool
	kChar
	kShort
	kInt
	kLong
	kLLong
	kPtr
	kArray
	kStruct
	kFunc
	kFloat  // float and double: the register holds a float64's bits
	kTypeof // typeof(expression) as parsed: the compiler puts the expression's type in its place
)

// ctype is a C type with its x86-64 (LP64) size and alignment.
type ctype struct {
	k        kind
	unsigned bool
	size     int64
	align    int64
	elem     *ctype // pointer target, array element
	n        int64  // array length; -1 when not given
	st       *structInfo
	ret      *ctype
	params   []*ctype
	variadic bool
	noProto  bool // f() declared without a prototype
	cnst     bool // const-qualified
	name     string
	texpr    *expr // kTypeof: the expression; nil for __auto_type (the initializer's type)
	vla      *expr // kArray: the length, when it is not a constant the parser could fold
}

// qualified is t made const.
func qualified(t *ctype) *ctype {
	if t.cnst {
		return t
	}
	c := *t
	c.cnst = true
	return &c
}

type field struct {
	name string
	t    *ctype
	off  int64
	// A bit-field is width bits at bit shift of the t-sized unit at off.
	bitfield     bool
	width, shift int
	align        int64 // __attribute__((aligned(n))) on the member
	packed       bool
}

type structInfo struct {
	tag      string
	union    bool
	fields   []field
	complete bool
	packed   bool  // __attribute__((packed))
	aligned  int64 // __attribute__((aligned(n)))
}

var (
	tVoid   = &ctype{k: kVoid, size: 1, align: 1, name: "void"}
	tBool   = &ctype{k: kBool, size: 1, align: 1, unsigned: true, name: "_Bool"}
	tChar   = &ctype{k: kChar, size: 1, align: 1, name: "char"}
	tSChar  = &ctype{k: kChar, size: 1, align: 1, name: "signed char"}
	tUChar  = &ctype{k: kChar, size: 1, align: 1, unsigned: true, name: "unsigned char"}
	tShort  = &ctype{k: kShort, size: 2, align: 2, name: "short int"}
	tUShort = &ctype{k: kShort, size: 2, align: 2, unsigned: true, name: "short unsigned int"}
	tInt    = &ctype{k: kInt, size: 4, align: 4, name: "int"}
	tUInt   = &ctype{k: kInt, size: 4, align: 4, unsigned: true, name: "unsigned int"}
	tLong   = &ctype{k: kLong, size: 8, align: 8, name: "long int"}
	tULong  = &ctype{k: kLong, size: 8, align: 8, unsigned: true, name: "long unsigned int"}
	tLLong  = &ctype{k: kLLong, size: 8, align: 8, name: "long long int"}
	tULLong = &ctype{k: kLLong, size: 8, align: 8, unsigned: true, name: "long long unsigned int"}
	tFloatT = &ctype{k: kFloat, size: 4, align: 4, name: "float"}
	tDouble = &ctype{k: kFloat, size: 8, align: 8, name: "double"}
	// tLDouble is x86-64's long double: 16 bytes in memory, as gcc lays it
	// out; the interpreter computes it as a double (its first 8 bytes).
	tLDouble = &ctype{k: kFloat, size: 16, align: 16, name: "long double"}

	tVoidP = ptrTo(tVoid)
)

func ptrTo(t *ctype) *ctype { return &ctype{k: kPtr, size: 8, align: 8, elem: t, unsigned: true} }

func arrayOf(t *ctype, n int64) *ctype {
	sz := t.size * n
	if n < 0 || (n > 0 && sz/n != t.size) || sz > 1<<46 {
		sz = 1 << 46 // too large: reported where declared
	}
	return &ctype{k: kArray, size: sz, align: t.align, elem: t, n: n}
}

func (t *ctype) isInteger() bool { return t.k >= kBool && t.k <= kLLong }
func (t *ctype) isScalar() bool  { return t.isInteger() || t.k == kPtr || t.k == kFloat }

// typedefName keeps the name a typedef gave a type, for messages.
func named(t *ctype, name string) *ctype {
	c := *t
	c.name = name
	return &c
}

func (t *ctype) String() string {
	switch t.k {
	case kPtr:
		s := t.elem.String()
		if strings.HasSuffix(s, "*") {
			return s + "*"
		}
		return s + " *"
	case kArray:
		if t.n < 0 {
			return t.elem.String() + "[]"
		}
		return fmt.Sprintf("%s[%d]", t.elem.String(), t.n)
	case kStruct:
		if t.name != "" {
			return t.name
		}
		if t.st.union {
			return "union " + t.st.tag
		}
		return "struct " + t.st.tag
	case kFunc:
		var ps []string
		for _, p := range t.params {
			ps = append(ps, p.String())
		}
		if t.variadic {
			ps = append(ps, "...")
		}
		return fmt.Sprintf("%s (*)(%s)", t.ret.String(), strings.Join(ps, ", "))
	}
	return t.name
}

// rank orders integer types for the usual arithmetic conversions.
func rank(t *ctype) int {
	switch t.k {
	case kBool:
		return 0
	case kChar:
		return 1
	case kShort:
		return 2
	case kInt:
		return 3
	case kLong:
		return 4
	case kLLong:
		return 4
	}
	return 5
}

// promote is the integer promotion.
func promote(t *ctype) *ctype {
	if t.isInteger() && rank(t) < 3 {
		return tInt
	}
	return t
}

// usual is the usual arithmetic conversion of two integer types.
func usual(a, b *ctype) *ctype {
	if a.k == kFloat || b.k == kFloat {
		switch {
		case a.k == kFloat && a.size == 16 || b.k == kFloat && b.size == 16:
			return tLDouble
		case a.k == kFloat && a.size == 8 || b.k == kFloat && b.size == 8:
			return tDouble
		}
		return tFloatT
	}
	a, b = promote(a), promote(b)
	if a.size != b.size {
		if a.size > b.size {
			return a
		}
		return b
	}
	if a.unsigned {
		return a
	}
	if b.unsigned {
		return b
	}
	if a.k == kLLong || b.k == kLLong {
		return a
	}
	return a
}

func sameType(a, b *ctype) bool {
	if a == b {
		return true
	}
	if a.k != b.k {
		return false
	}
	switch a.k {
	case kPtr, kArray:
		return sameType(a.elem, b.elem)
	case kStruct:
		return a.st == b.st
	case kFunc:
		return true
	}
	return a.unsigned == b.unsigned && a.size == b.size
}

// layout computes a struct's field offsets, size and alignment as gcc
// does on x86-64 (the SysV ABI): each member at its alignment; a bit-field
// in the next bits free unless it would cross a boundary of its type's
// alignment, where it starts at that boundary (a zero width bit-field only
// moves to it); named bit-fields align the struct as their type does,
// unnamed ones do not; packed drops every member's alignment.
func layout(t *ctype) {
	var bit, align int64 = 0, 1 // the next free bit; the struct's alignment
	var size int64
	for i := range t.st.fields {
		f := &t.st.fields[i]
		fa := f.t.align
		if t.st.packed || f.packed {
			fa = 1
		}
		if f.align > fa {
			fa = f.align
		}
		if f.bitfield {
			unit := f.t.size * 8
			if t.st.union {
				bit = 0
			}
			w := int64(f.width)
			switch {
			case w == 0:
				bit = (bit + f.t.align*8 - 1) / (f.t.align * 8) * (f.t.align * 8)
			case fa > 1 && bit/(fa*8) != (bit+w-1)/(fa*8):
				bit = (bit + fa*8 - 1) / (fa * 8) * (fa * 8)
			}
			start := bit / unit * unit
			if bit+w > start+unit { // packed: the field crosses its unit
				start = bit / 8 * 8
			}
			f.off, f.shift = start/8, int(bit-start)
			if f.name != "" && fa > align {
				align = fa
			}
			bit += w
			if t.st.union && (bit+7)/8 > size {
				size = (bit + 7) / 8
			}
			continue
		}
		if fa > align {
			align = fa
		}
		if t.st.union {
			f.off = 0
			if f.t.size > size {
				size = f.t.size
			}
			continue
		}
		off := ((bit+7)/8 + fa - 1) / fa * fa
		f.off = off
		size := f.t.size
		if f.t.k == kArray && f.t.n < 0 && f.t.vla == nil {
			size = 0 // a flexible array member: char data[];
		}
		bit = (off + size) * 8
	}
	if !t.st.union {
		size = (bit + 7) / 8
	}
	if t.st.aligned > align {
		align = t.st.aligned
	}
	t.size = (size + align - 1) / align * align
	t.align = align
	t.st.complete = true
}

func (t *ctype) field(name string) (field, bool) {
	if t.st == nil {
		return field{}, false
	}
	for _, f := range t.st.fields {
		if f.name == name {
			return f, true
		}
		if f.name == "" && f.t.k == kStruct { // anonymous member
			if g, ok := f.t.field(name); ok {
				g.off += f.off
				return g, true
			}
		}
	}
	return field{}, false
}

// The built-in struct types of the library headers.
var (
	tTimespec = mkStruct("timespec", []field{{name: "tv_sec", t: tLong}, {name: "tv_nsec", t: tLong}})
	tTimeval  = mkStruct("timeval", []field{{name: "tv_sec", t: tLong}, {name: "tv_usec", t: tLong}})
	// struct rusage as x86-64 lays it out: two timevals, then 14 longs.
	tRusage = mkStruct("rusage", []field{{name: "ru_utime", t: tTimeval}, {name: "ru_stime", t: tTimeval},
		{name: "ru_maxrss", t: tLong}, {name: "ru_ixrss", t: tLong}, {name: "ru_idrss", t: tLong}, {name: "ru_isrss", t: tLong},
		{name: "ru_minflt", t: tLong}, {name: "ru_majflt", t: tLong}, {name: "ru_nswap", t: tLong}, {name: "ru_inblock", t: tLong},
		{name: "ru_oublock", t: tLong}, {name: "ru_msgsnd", t: tLong}, {name: "ru_msgrcv", t: tLong}, {name: "ru_nsignals", t: tLong},
		{name: "ru_nvcsw", t: tLong}, {name: "ru_nivcsw", t: tLong}})
	// struct stat as x86-64's kernel and glibc lay it out: 144 bytes.
	tStat = mkStruct("stat", []field{
		{name: "st_dev", t: tULong}, {name: "st_ino", t: tULong}, {name: "st_nlink", t: tULong},
		{name: "st_mode", t: tUInt}, {name: "st_uid", t: tUInt}, {name: "st_gid", t: tUInt}, {name: "__pad0", t: tInt},
		{name: "st_rdev", t: tULong}, {name: "st_size", t: tLong}, {name: "st_blksize", t: tLong}, {name: "st_blocks", t: tLong},
		{name: "st_atim", t: tTimespec}, {name: "st_mtim", t: tTimespec}, {name: "st_ctim", t: tTimespec},
		{name: "__glibc_reserved", t: arrayOf(tLong, 3)},
	})
	tFILE = mkStruct("_IO_FILE", []field{{name: "_flags", t: tInt}})
	// sigset_t, siginfo_t and struct sigaction as glibc lays them out on
	// x86-64 (the parts programs use).
	tSigset  = mkStruct("__sigset_t", []field{{name: "__val", t: arrayOf(tULong, 16)}})
	tSigval  = mkTaggedUnion("sigval", []field{{name: "sival_int", t: tInt}, {name: "sival_ptr", t: tVoidP}})
	tSiginfo = mkStruct("__siginfo", siginfoFields())
	tHandler = ptrTo(&ctype{k: kFunc, size: 1, align: 1, ret: tVoid, params: []*ctype{tInt}})
	tSigact  = mkStruct("sigaction", []field{
		{t: mkUnion([]field{{name: "sa_handler", t: tHandler}, {name: "sa_sigaction", t: ptrTo(&ctype{k: kFunc, size: 1, align: 1, ret: tVoid, params: []*ctype{tInt, ptrTo(tSiginfo), tVoidP}})}})},
		{name: "sa_mask", t: tSigset}, {name: "sa_flags", t: tInt}, {name: "sa_restorer", t: tVoidP},
	})
)

// siginfoFields are glibc's siginfo_t on x86-64 (128 bytes): si_signo,
// si_errno and si_code, then the union _sifields at 16, whose members
// glibc names by macros (si_pid is _sifields._kill.si_pid): here they are
// anonymous members with those names, at the same offsets.
func siginfoFields() []field {
	anon := func(fs ...field) field { return field{t: mkStruct("", fs)} }
	return []field{{name: "si_signo", t: tInt}, {name: "si_errno", t: tInt}, {name: "si_code", t: tInt}, {name: "__pad0", t: tInt},
		{t: mkUnion([]field{
			// _kill, _rt and _sigchld: the sender, then the value or the status.
			anon(field{name: "si_pid", t: tInt}, field{name: "si_uid", t: tUInt},
				field{t: mkUnion([]field{{name: "si_value", t: tSigval}, {name: "si_int", t: tInt}, {name: "si_ptr", t: tVoidP},
					{name: "si_status", t: tInt}})},
				field{name: "si_utime", t: tLong}, field{name: "si_stime", t: tLong}),
			// _timer (its si_sigval is si_value above).
			anon(field{name: "si_timerid", t: tInt}, field{name: "si_overrun", t: tInt}),
			// _sigfault.
			anon(field{name: "si_addr", t: tVoidP}, field{name: "si_addr_lsb", t: tShort},
				field{t: mkUnion([]field{{t: mkStruct("", []field{{name: "si_lower", t: tVoidP}, {name: "si_upper", t: tVoidP}})},
					{name: "si_pkey", t: tUInt}})}),
			// _sigpoll and _sigsys.
			anon(field{name: "si_band", t: tLong}, field{name: "si_fd", t: tInt}),
			anon(field{name: "si_call_addr", t: tVoidP}, field{name: "si_syscall", t: tInt}, field{name: "si_arch", t: tUInt}),
			{name: "_pad", t: arrayOf(tInt, 28)},
		})},
	}
}

func mkUnion(fields []field) *ctype {
	t := &ctype{k: kStruct, st: &structInfo{union: true, fields: fields}}
	layout(t)
	return t
}

func mkTaggedUnion(tag string, fields []field) *ctype {
	t := &ctype{k: kStruct, st: &structInfo{tag: tag, union: true, fields: fields}}
	layout(t)
	return t
}

func mkStruct(tag string, fields []field) *ctype {
	t := &ctype{k: kStruct, st: &structInfo{tag: tag, fields: fields}}
	layout(t)
	return t
}

// builtinTypedefs are the typedef names the headers provide.
var builtinTypedefs = map[string]*ctype{
	"size_t": named(tULong, "size_t"), "ssize_t": named(tLong, "ssize_t"), "off_t": named(tLong, "off_t"),
	"off64_t": named(tLong, "off64_t"), "loff_t": named(tLong, "loff_t"),
	"uintptr_t": named(tULong, "uintptr_t"), "intptr_t": named(tLong, "intptr_t"), "ptrdiff_t": named(tLong, "ptrdiff_t"),
	"pid_t": named(tInt, "pid_t"), "mode_t": named(tUInt, "mode_t"), "uid_t": named(tUInt, "uid_t"), "gid_t": named(tUInt, "gid_t"),
	"dev_t": named(tULong, "dev_t"), "ino_t": named(tULong, "ino_t"), "nlink_t": named(tULong, "nlink_t"),
	"blksize_t": named(tLong, "blksize_t"), "blkcnt_t": named(tLong, "blkcnt_t"), "time_t": named(tLong, "time_t"),
	"int8_t": named(tSChar, "int8_t"), "uint8_t": named(tUChar, "uint8_t"), "int16_t": named(tShort, "int16_t"),
	"uint16_t": named(tUShort, "uint16_t"), "int32_t": named(tInt, "int32_t"), "uint32_t": named(tUInt, "uint32_t"),
	"int64_t": named(tLong, "int64_t"), "uint64_t": named(tULong, "uint64_t"),
	"intmax_t": named(tLong, "intmax_t"), "uintmax_t": named(tULong, "uintmax_t"),
	"u_char": named(tUChar, "u_char"), "u_int": named(tUInt, "u_int"), "u_long": named(tULong, "u_long"),
	"FILE":    named(tFILE, "FILE"),
	"va_list": named(ptrTo(tLong), "va_list"), "__builtin_va_list": named(ptrTo(tLong), "__builtin_va_list"), "__gnuc_va_list": named(ptrTo(tLong), "__gnuc_va_list"),
	"sigset_t": named(tSigset, "sigset_t"), "siginfo_t": named(tSiginfo, "siginfo_t"), "sigval_t": named(tSigval, "sigval_t"),
	"sighandler_t": named(tHandler, "sighandler_t"), "__sighandler_t": named(tHandler, "__sighandler_t"),
	"sig_atomic_t": named(tInt, "sig_atomic_t"), "useconds_t": named(tUInt, "useconds_t"),
}
