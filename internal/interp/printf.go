package interp

import (
	"encoding/binary"
	"math"
	"strconv"
	"strings"
)

// format is glibc's printf: flags, width, precision (with *), length
// modifiers, and the integer, character, string and pointer conversions.
func (m *machine) format(p *proc, fmtAddr int64, args []int64) ([]byte, bool) {
	ai := 0
	return m.formatFrom(p, fmtAddr, func() int64 {
		if ai < len(args) {
			ai++
			return args[ai-1]
		}
		return 0
	})
}

// vformat is format with the arguments in a va_list (vprintf and friends).
func (m *machine) vformat(p *proc, fmtAddr int64, ap int64) ([]byte, bool) {
	var fault error
	var b [8]byte
	out, ok := m.formatFrom(p, fmtAddr, func() int64 {
		if fault != nil {
			return 0
		}
		if err := m.eng.Load(p.pid, uint64(ap), b[:]); err != nil {
			fault = err
			return 0
		}
		ap += 8
		return int64(binary.LittleEndian.Uint64(b[:]))
	})
	if fault != nil {
		m.fault(p, fault)
		return nil, false
	}
	return out, ok
}

func (m *machine) formatFrom(p *proc, fmtAddr int64, next func() int64) ([]byte, bool) {
	f, ok := m.str(p, fmtAddr)
	if !ok {
		return nil, false
	}
	var out []byte
	for i := 0; i < len(f); i++ {
		c := f[i]
		if c != '%' {
			out = append(out, c)
			continue
		}
		i++
		if i >= len(f) {
			break
		}
		var minus, plus, space, hash, zero bool
	flags:
		for ; i < len(f); i++ {
			switch f[i] {
			case '-':
				minus = true
			case '+':
				plus = true
			case ' ':
				space = true
			case '#':
				hash = true
			case '0':
				zero = true
			default:
				break flags
			}
		}
		width, prec := -1, -1
		if i < len(f) && f[i] == '*' {
			width = int(int32(next()))
			if width < 0 {
				minus = true
				width = -width
			}
			i++
		} else {
			for ; i < len(f) && f[i] >= '0' && f[i] <= '9'; i++ {
				if width < 0 {
					width = 0
				}
				width = width*10 + int(f[i]-'0')
			}
		}
		if i < len(f) && f[i] == '.' {
			i++
			prec = 0
			if i < len(f) && f[i] == '*' {
				prec = int(int32(next()))
				i++
			} else {
				for ; i < len(f) && f[i] >= '0' && f[i] <= '9'; i++ {
					prec = prec*10 + int(f[i]-'0')
				}
			}
		}
		size := 4
		for ; i < len(f); i++ {
			switch f[i] {
			case 'h':
				if size == 2 {
					size = 1
				} else {
					size = 2
				}
				continue
			case 'l', 'z', 'j', 't', 'L', 'q':
				size = 8
				continue
			}
			break
		}
		if i >= len(f) {
			break
		}
		conv := f[i]
		var body, prefix string
		numeric := false
		switch conv {
		case '%':
			out = append(out, '%')
			continue
		case 'd', 'i':
			v := next()
			switch size {
			case 1:
				v = int64(int8(v))
			case 2:
				v = int64(int16(v))
			case 4:
				v = int64(int32(v))
			}
			neg := v < 0
			u := uint64(v)
			if neg {
				u = uint64(-v)
			}
			body = strconv.FormatUint(u, 10)
			switch {
			case neg:
				prefix = "-"
			case plus:
				prefix = "+"
			case space:
				prefix = " "
			}
			numeric = true
		case 'u', 'x', 'X', 'o':
			u := uint64(next())
			switch size {
			case 1:
				u = uint64(uint8(u))
			case 2:
				u = uint64(uint16(u))
			case 4:
				u = uint64(uint32(u))
			}
			base := 10
			if conv == 'x' || conv == 'X' {
				base = 16
			} else if conv == 'o' {
				base = 8
			}
			body = strconv.FormatUint(u, base)
			if conv == 'X' {
				body = strings.ToUpper(body)
			}
			if hash && u != 0 {
				switch conv {
				case 'x':
					prefix = "0x"
				case 'X':
					prefix = "0X"
				}
			}
			if hash && conv == 'o' && body[0] != '0' {
				body = "0" + body
			}
			numeric = true
		case 'p':
			u := uint64(next())
			if u == 0 {
				body = "(nil)"
				prec = -1
			} else {
				body = strconv.FormatUint(u, 16)
				prefix = "0x"
				numeric = true
			}
		case 'c':
			body = string([]byte{byte(next())})
		case 'm': // glibc: strerror(errno), taking no argument
			body = p.errno(m).Error()
			if prec >= 0 && prec < len(body) {
				body = body[:prec]
			}
		case 's':
			a := next()
			if a == 0 {
				body = "(null)"
				if prec >= 0 && prec < 6 {
					body = ""
				}
			} else {
				max := 1 << 20
				if prec >= 0 {
					max = prec
				}
				s, err := m.cstring(p.pid, uint64(a), max)
				if err != nil {
					m.fault(p, err)
					return nil, false
				}
				body = s
			}
			if prec >= 0 && prec < len(body) {
				body = body[:prec]
			}
		case 'n':
			next()
			continue
		case 'f', 'e', 'g', 'F', 'E', 'G', 'a', 'A':
			body, prefix = formatFloat(b2f(next()), conv, prec, hash, plus, space)
			numeric = false
			if zero && !minus && width > len(prefix)+len(body) && !strings.ContainsAny(body, "in") {
				if width > m.maxOut {
					width = m.maxOut + 1
				}
				body = strings.Repeat("0", width-len(prefix)-len(body)) + body
			}
			body = prefix + body
		default:
			out = append(out, '%', conv)
			continue
		}
		if numeric {
			if prec >= 0 {
				if prec == 0 && body == "0" {
					body = ""
				}
				if prec > m.maxOut {
					prec = m.maxOut + 1
				}
				if len(body) < prec {
					body = strings.Repeat("0", prec-len(body)) + body
				}
				zero = false
			}
			if zero && !minus && width > m.maxOut {
				width = m.maxOut + 1
			}
			if zero && !minus && width > len(prefix)+len(body) {
				body = strings.Repeat("0", width-len(prefix)-len(body)) + body
			}
			body = prefix + body
		}
		if width > m.maxOut {
			width = m.maxOut + 1 // the output limit ends the run
		}
		pad := width - len(body)
		if pad > 0 && !minus {
			out = append(out, strings.Repeat(" ", pad)...)
		}
		out = append(out, body...)
		if pad > 0 && minus {
			out = append(out, strings.Repeat(" ", pad)...)
		}
		if len(out) > m.maxOut+1 {
			break
		}
	}
	return out, true
}

// formatFloat is glibc's %f, %e, %g and %a: the digits, and the sign as a
// prefix (so zero padding goes between them).
func formatFloat(v float64, conv byte, prec int, hash, plus, space bool) (string, string) {
	prefix := ""
	switch {
	case math.Signbit(v):
		prefix = "-"
		v = -v
	case plus:
		prefix = "+"
	case space:
		prefix = " "
	}
	upper := conv >= 'A' && conv <= 'Z'
	var s string
	switch {
	case math.IsInf(v, 0):
		s = "inf"
	case math.IsNaN(v):
		s = "nan"
	default:
		if prec < 0 {
			prec = 6
		}
		switch conv | 0x20 {
		case 'f':
			s = strconv.FormatFloat(v, 'f', prec, 64)
			if hash && prec == 0 {
				s += "."
			}
		case 'e':
			s = strconv.FormatFloat(v, 'e', prec, 64)
		case 'g':
			if prec == 0 {
				prec = 1
			}
			if hash {
				// %#g keeps trailing zeros.
				exp := 0
				if v != 0 {
					e := strconv.FormatFloat(v, 'e', prec-1, 64)
					exp, _ = strconv.Atoi(e[strings.IndexByte(e, 'e')+1:])
				}
				if exp < -4 || exp >= prec {
					s = strconv.FormatFloat(v, 'e', prec-1, 64)
				} else {
					s = strconv.FormatFloat(v, 'f', prec-1-exp, 64)
				}
			} else {
				s = strconv.FormatFloat(v, 'g', prec, 64)
			}
		case 'a':
			s = strconv.FormatFloat(v, 'x', -1, 64)
			// glibc writes the exponent without Go's leading zero.
			if i := strings.IndexByte(s, 'p'); i >= 0 && i+3 < len(s) && s[i+2] == '0' {
				s = s[:i+2] + s[i+3:]
			}
		}
	}
	if upper {
		s = strings.ToUpper(s)
	}
	return s, prefix
}
