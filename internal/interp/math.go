package interp

import "math"

// <math.h>: the functions programs use to print rates and sizes.
func init() {
	f1 := func(proto string, fn func(float64) float64) {
		def(proto, func(m *machine, p *proc, a []int64) (int64, bres) { return f2b(fn(b2f(a[0]))), bOK })
	}
	f1("double sqrt(double x)", math.Sqrt)
	f1("double fabs(double x)", math.Abs)
	f1("double floor(double x)", math.Floor)
	f1("double ceil(double x)", math.Ceil)
	f1("double round(double x)", math.Round)
	f1("double trunc(double x)", math.Trunc)
	f1("double log(double x)", math.Log)
	f1("double log2(double x)", math.Log2)
	f1("double log10(double x)", math.Log10)
	f1("double exp(double x)", math.Exp)
	def("double pow(double x, double y)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return f2b(math.Pow(b2f(a[0]), b2f(a[1]))), bOK
	})
	def("double fmod(double x, double y)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return f2b(math.Mod(b2f(a[0]), b2f(a[1]))), bOK
	})
	def("double atof(const char *s)", func(m *machine, p *proc, a []int64) (int64, bres) {
		s, ok := m.str(p, a[0])
		if !ok {
			return 0, bExit
		}
		return f2b(parseCFloat(s)), bOK
	})
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
