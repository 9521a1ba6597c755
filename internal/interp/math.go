package interp

import (
	"encoding/binary"
	"math"
)

// <math.h>: glibc's libm for double and float (the f-suffixed functions
// compute in float: the double result rounded to float, which for these
// is float's correctly rounded answer or within an ulp of it).
func init() {
	f1 := func(name string, fn func(float64) float64) {
		def("double "+name+"(double x)", func(m *machine, p *proc, a []int64) (int64, bres) { return f2b(fn(b2f(a[0]))), bOK })
		def("float "+name+"f(float x)", func(m *machine, p *proc, a []int64) (int64, bres) {
			return f2b(float64(float32(fn(b2f(a[0]))))), bOK
		})
	}
	f2 := func(name string, fn func(x, y float64) float64) {
		def("double "+name+"(double x, double y)", func(m *machine, p *proc, a []int64) (int64, bres) {
			return f2b(fn(b2f(a[0]), b2f(a[1]))), bOK
		})
		def("float "+name+"f(float x, float y)", func(m *machine, p *proc, a []int64) (int64, bres) {
			return f2b(float64(float32(fn(b2f(a[0]), b2f(a[1]))))), bOK
		})
	}
	toLong := func(name string, fn func(float64) float64) {
		for _, suffix := range []string{"", "f"} {
			arg := "double"
			if suffix != "" {
				arg = "float"
			}
			for _, r := range []string{"l", "ll"} {
				def("long "+r+name+suffix+"("+arg+" x)", func(m *machine, p *proc, a []int64) (int64, bres) {
					return cLong(fn(b2f(a[0]))), bOK
				})
			}
		}
	}
	for _, f := range []struct {
		name string
		fn   func(float64) float64
	}{
		{"sqrt", math.Sqrt}, {"fabs", math.Abs}, {"floor", math.Floor}, {"ceil", math.Ceil},
		{"round", math.Round}, {"trunc", math.Trunc}, {"rint", math.RoundToEven}, {"nearbyint", math.RoundToEven},
		{"log", math.Log}, {"log2", math.Log2}, {"log10", math.Log10}, {"log1p", math.Log1p},
		{"exp", math.Exp}, {"exp2", math.Exp2}, {"expm1", math.Expm1},
		{"sin", math.Sin}, {"cos", math.Cos}, {"tan", math.Tan}, {"asin", math.Asin}, {"acos", math.Acos},
		{"atan", math.Atan}, {"sinh", math.Sinh}, {"cosh", math.Cosh}, {"tanh", math.Tanh},
		{"asinh", math.Asinh}, {"acosh", math.Acosh}, {"atanh", math.Atanh}, {"cbrt", math.Cbrt},
		{"erf", math.Erf}, {"erfc", math.Erfc}, {"tgamma", math.Gamma},
	} {
		f1(f.name, f.fn)
	}
	for _, f := range []struct {
		name string
		fn   func(x, y float64) float64
	}{
		{"pow", math.Pow}, {"fmod", math.Mod}, {"atan2", math.Atan2}, {"hypot", math.Hypot},
		{"fmin", fmin}, {"fmax", fmax}, {"fdim", math.Dim}, {"copysign", math.Copysign},
		{"remainder", math.Remainder}, {"nextafter", math.Nextafter},
	} {
		f2(f.name, f.fn)
	}
	toLong("round", math.Round)
	toLong("rint", math.RoundToEven)
	def("double ldexp(double x, int e)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return f2b(math.Ldexp(b2f(a[0]), int(int32(a[1])))), bOK
	})
	def("double scalbn(double x, int e)", builtins["ldexp"].fn)
	def("double frexp(double x, int *e)", func(m *machine, p *proc, a []int64) (int64, bres) {
		f, e := math.Frexp(b2f(a[0]))
		var b [4]byte
		binary.LittleEndian.PutUint32(b[:], uint32(int32(e)))
		return m.storeRet(p, a[1], b[:], f2b(f))
	})
	def("double modf(double x, double *ip)", func(m *machine, p *proc, a []int64) (int64, bres) {
		ip, frac := math.Modf(b2f(a[0]))
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(ip))
		return m.storeRet(p, a[1], b[:], f2b(frac))
	})
	// The classification macros (isnan, isinf, isfinite, signbit,
	// fpclassify; libheaders.go) call glibc's own functions of a double:
	// a float argument widens to double without changing its class.
	cls := func(name string, fn func(float64) int64) {
		def("int "+name+"(double x)", func(m *machine, p *proc, a []int64) (int64, bres) { return fn(b2f(a[0])), bOK })
	}
	cls("__isnan", func(x float64) int64 { return b2i(math.IsNaN(x)) })
	cls("__isinf", func(x float64) int64 {
		switch {
		case math.IsInf(x, 1):
			return 1
		case math.IsInf(x, -1):
			return -1
		}
		return 0
	})
	cls("__finite", func(x float64) int64 { return b2i(!math.IsNaN(x) && !math.IsInf(x, 0)) })
	cls("__signbit", func(x float64) int64 { return b2i(math.Signbit(x)) })
	cls("__fpclassify", func(x float64) int64 {
		switch {
		case math.IsNaN(x):
			return fpNaN
		case math.IsInf(x, 0):
			return fpInfinite
		case x == 0:
			return fpZero
		case math.Abs(x) < 0x1p-1022:
			return fpSubnormal
		}
		return fpNormal
	})
	def("double atof(const char *s)", func(m *machine, p *proc, a []int64) (int64, bres) {
		s, ok := m.str(p, a[0])
		if !ok {
			return 0, bExit
		}
		return f2b(parseCFloat(s)), bOK
	})
}

// fpclassify's classes (<math.h>'s FP_NAN...FP_NORMAL, glibc's values).
const (
	fpNaN = iota
	fpInfinite
	fpZero
	fpSubnormal
	fpNormal
)

// mathMacros are <math.h>'s macros: its constants and the classification
// macros over the functions above.
var mathMacros = []string{
	"FP_NAN 0", "FP_INFINITE 1", "FP_ZERO 2", "FP_SUBNORMAL 3", "FP_NORMAL 4",
	"isnan(x) __isnan(x)", "isinf(x) __isinf(x)", "isfinite(x) __finite(x)", "signbit(x) __signbit(x)",
	"fpclassify(x) __fpclassify(x)", "isnormal(x) (__fpclassify(x) == FP_NORMAL)",
	"HUGE_VALF (1e38F * 1e38F)",
	"M_E 2.7182818284590452354", "M_LOG2E 1.4426950408889634074", "M_LOG10E 0.43429448190325182765",
	"M_LN2 0.69314718055994530942", "M_LN10 2.30258509299404568402", "M_PI_2 1.57079632679489661923",
	"M_PI_4 0.78539816339744830962", "M_1_PI 0.31830988618379067154", "M_2_PI 0.63661977236758134308",
	"M_2_SQRTPI 1.12837916709551257390", "M_SQRT2 1.41421356237309504880", "M_SQRT1_2 0.70710678118654752440",
}

// cLong is a conversion of an integral double to long as the CPU's
// cvttsd2si makes it: out of range (and NaN) give LONG_MIN.
func cLong(v float64) int64 {
	if math.IsNaN(v) || v >= 0x1p63 || v < -0x1p63 {
		return math.MinInt64
	}
	return int64(v)
}

// fmin and fmax are C's: a NaN argument is ignored when the other is a
// number (Go's math.Min returns the NaN).
func fmin(x, y float64) float64 {
	switch {
	case math.IsNaN(x):
		return y
	case math.IsNaN(y):
		return x
	}
	return math.Min(x, y)
}

func fmax(x, y float64) float64 {
	switch {
	case math.IsNaN(x):
		return y
	case math.IsNaN(y):
		return x
	}
	return math.Max(x, y)
}

// parseCFloat reads the longest prefix of s that is a decimal floating
// constant, as strtod and atof do (0 when there is none).
func parseCFloat(s string) float64 {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n') {
		i++
	}
	start := i
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && s[j] >= '0' && s[j] <= '9' {
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			i = j
		}
	}
	v, _ := parseFloatPrefix(s[start:i])
	return v
}

func parseFloatPrefix(s string) (float64, bool) {
	v, _, ok := parseFloatLit(s)
	if !ok {
		return 0, false
	}
	return v, true
}
