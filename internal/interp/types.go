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
	kFloat // float and double: the register holds a float64's bits
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
}

type structInfo struct {
	tag      string
	union    bool
	fields   []field
	complete bool
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
	tVoidP  = ptrTo(tVoid)
	tCharP  = ptrTo(tChar)
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
func (t *ctype) isPtr() bool     { return t.k == kPtr }
func (t *ctype) isScalar() bool  { return t.isInteger() || t.k == kPtr || t.k == kFloat }
func (t *ctype) isFloat() bool   { return t.k == kFloat }
func (t *ctype) isArith() bool   { return t.isInteger() || t.k == kFloat }
func (t *ctype) isVoid() bool    { return t.k == kVoid }

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
		if a.k == kFloat && a.size == 8 || b.k == kFloat && b.size == 8 {
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

// layout computes a struct's field offsets, size and alignment.
func layout(t *ctype) {
	var off, align int64 = 0, 1
	for i := range t.st.fields {
		f := &t.st.fields[i]
		if f.t.align > align {
			align = f.t.align
		}
		if t.st.union {
			f.off = 0
			if f.t.size > off {
				off = f.t.size
			}
			continue
		}
		off = (off + f.t.align - 1) / f.t.align * f.t.align
		f.off = off
		off += f.t.size
	}
	t.size = (off + align - 1) / align * align
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
	tTimespec = mkStruct("timespec", []field{{"tv_sec", tLong, 0}, {"tv_nsec", tLong, 0}})
	tTimeval  = mkStruct("timeval", []field{{"tv_sec", tLong, 0}, {"tv_usec", tLong, 0}})
	// struct rusage as x86-64 lays it out: two timevals, then 14 longs.
	tRusage = mkStruct("rusage", []field{{"ru_utime", tTimeval, 0}, {"ru_stime", tTimeval, 0},
		{"ru_maxrss", tLong, 0}, {"ru_ixrss", tLong, 0}, {"ru_idrss", tLong, 0}, {"ru_isrss", tLong, 0},
		{"ru_minflt", tLong, 0}, {"ru_majflt", tLong, 0}, {"ru_nswap", tLong, 0}, {"ru_inblock", tLong, 0},
		{"ru_oublock", tLong, 0}, {"ru_msgsnd", tLong, 0}, {"ru_msgrcv", tLong, 0}, {"ru_nsignals", tLong, 0},
		{"ru_nvcsw", tLong, 0}, {"ru_nivcsw", tLong, 0}})
	// struct stat as x86-64's kernel and glibc lay it out: 144 bytes.
	tStat = mkStruct("stat", []field{
		{"st_dev", tULong, 0}, {"st_ino", tULong, 0}, {"st_nlink", tULong, 0},
		{"st_mode", tUInt, 0}, {"st_uid", tUInt, 0}, {"st_gid", tUInt, 0}, {"__pad0", tInt, 0},
		{"st_rdev", tULong, 0}, {"st_size", tLong, 0}, {"st_blksize", tLong, 0}, {"st_blocks", tLong, 0},
		{"st_atim", tTimespec, 0}, {"st_mtim", tTimespec, 0}, {"st_ctim", tTimespec, 0},
		{"__glibc_reserved", arrayOf(tLong, 3), 0},
	})
	tFILE = mkStruct("_IO_FILE", []field{{"_flags", tInt, 0}})
	// sigset_t, siginfo_t and struct sigaction as glibc lays them out on
	// x86-64 (the parts programs use).
	tSigset  = mkStruct("__sigset_t", []field{{"__val", arrayOf(tULong, 16), 0}})
	tSiginfo = mkStruct("__siginfo", []field{{"si_signo", tInt, 0}, {"si_errno", tInt, 0}, {"si_code", tInt, 0}, {"__pad0", tInt, 0}, {"si_addr", tVoidP, 0}, {"__rest", arrayOf(tLong, 13), 0}})
	tHandler = ptrTo(&ctype{k: kFunc, size: 1, align: 1, ret: tVoid, params: []*ctype{tInt}})
	tSigact  = mkStruct("sigaction", []field{
		{"", mkUnion([]field{{"sa_handler", tHandler, 0}, {"sa_sigaction", ptrTo(&ctype{k: kFunc, size: 1, align: 1, ret: tVoid, params: []*ctype{tInt, ptrTo(tSiginfo), tVoidP}}), 0}}), 0},
		{"sa_mask", tSigset, 0}, {"sa_flags", tInt, 0}, {"sa_restorer", tVoidP, 0},
	})
)

func mkUnion(fields []field) *ctype {
	t := &ctype{k: kStruct, st: &structInfo{union: true, fields: fields}}
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
	"sigset_t": named(tSigset, "sigset_t"), "siginfo_t": named(tSiginfo, "siginfo_t"),
	"sighandler_t": named(tHandler, "sighandler_t"), "__sighandler_t": named(tHandler, "__sighandler_t"),
	"sig_atomic_t": named(tInt, "sig_atomic_t"), "useconds_t": named(tUInt, "useconds_t"),
}
