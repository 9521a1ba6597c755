package interp

import (
	"fmt"
	"strconv"
	"strings"
)

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

// parseIntLit parses an integer constant and gives it its C type: the first
// of int, long (and their unsigned versions for hex and octal) that holds it.
func parseIntLit(s string) (uint64, *ctype, bool) {
	low := strings.ToLower(s)
	suf := ""
	for len(low) > 0 && (low[len(low)-1] == 'u' || low[len(low)-1] == 'l') {
		suf = low[len(low)-1:] + suf
		low = low[:len(low)-1]
	}
	base := 10
	digits := low
	switch {
	case strings.HasPrefix(low, "0x"):
		base, digits = 16, low[2:]
	case strings.HasPrefix(low, "0b"):
		base, digits = 2, low[2:]
	case len(low) > 1 && low[0] == '0':
		base, digits = 8, low[1:]
	}
	v, err := strconv.ParseUint(digits, base, 64)
	if err != nil || digits == "" {
		return 0, tInt, false
	}
	uns := strings.Contains(suf, "u")
	longs := strings.Count(suf, "l")
	if suf != "" && suf != "u" && suf != "l" && suf != "ul" && suf != "lu" && suf != "ll" && suf != "ull" && suf != "llu" {
		return v, tInt, false
	}
	var t *ctype
	switch {
	case longs == 0 && !uns && v <= 0x7fffffff:
		t = tInt
	case longs == 0 && (uns || base != 10) && v <= 0xffffffff:
		t = tUInt
	case !uns && v <= 0x7fffffffffffffff:
		t = tLong
		if longs == 2 {
			t = tLLong
		}
	default:
		t = tULong
		if longs == 2 {
			t = tULLong
		}
	}
	return v, t, true
}

// unescape decodes the body of a string or character literal.
func unescape(s string) []byte {
	var out []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			out = append(out, c)
			continue
		}
		i++
		switch c = s[i]; c {
		case 'n':
			out = append(out, '\n')
		case 't':
			out = append(out, '\t')
		case 'r':
			out = append(out, '\r')
		case 'a':
			out = append(out, 7)
		case 'b':
			out = append(out, 8)
		case 'f':
			out = append(out, 12)
		case 'v':
			out = append(out, 11)
		case 'e':
			out = append(out, 27)
		case 'x':
			v := 0
			j := i + 1
			for ; j < len(s) && strings.IndexByte("0123456789abcdefABCDEF", s[j]) >= 0; j++ {
				d, _ := strconv.ParseUint(s[j:j+1], 16, 8)
				v = v*16 + int(d)
			}
			out = append(out, byte(v))
			i = j - 1
		case '0', '1', '2', '3', '4', '5', '6', '7':
			v := 0
			j := i
			for ; j < len(s) && j < i+3 && s[j] >= '0' && s[j] <= '7'; j++ {
				v = v*8 + int(s[j]-'0')
			}
			out = append(out, byte(v))
			i = j - 1
		default:
			out = append(out, c)
		}
	}
	return out
}

// decodeChar gives a character constant's int value ('\xff' is -1, as
// char is signed on x86-64).
func decodeChar(text string) (int64, bool) {
	if len(text) < 2 {
		return 0, false
	}
	b := unescape(text[1 : len(text)-1])
	if len(b) == 0 {
		return 0, false
	}
	var v int64
	for _, c := range b {
		v = v<<8 | int64(c)
	}
	if len(b) == 1 {
		return int64(int8(b[0])), true
	}
	return int64(int32(v)), true
}

// parseFloatLit parses a floating constant: double, or float with an f
// suffix (long double is read as double).
func parseFloatLit(s string) (float64, *ctype, bool) {
	t := tDouble
	low := strings.ToLower(s)
	switch {
	case strings.HasSuffix(low, "f") && !strings.HasPrefix(low, "0x"):
		t = tFloatT
		low = low[:len(low)-1]
	case strings.HasSuffix(low, "f") && strings.ContainsAny(low, "p"):
		t = tFloatT
		low = low[:len(low)-1]
	case strings.HasSuffix(low, "l"):
		low = low[:len(low)-1]
	}
	v, err := strconv.ParseFloat(low, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
			return 0, t, false
		}
	}
	if t == tFloatT {
		v = float64(float32(v))
	}
	return v, t, true
}
