package interp

import (
	"strconv"
	"strings"
)

// format is glibc's printf: flags, width, precision (with *), length
// modifiers, and the integer, character, string and pointer conversions.
func (m *machine) format(p *proc, fmtAddr int64, args []int64) ([]byte, bool) {
	f, ok := m.str(p, fmtAddr)
	if !ok {
		return nil, false
	}
	var out []byte
	ai := 0
	next := func() int64 {
		if ai < len(args) {
			ai++
			return args[ai-1]
		}
		return 0
	}
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
			next()
			body = "?"
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
