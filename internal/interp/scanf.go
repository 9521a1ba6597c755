package interp

import (
	"encoding/binary"
	"math"
	"strconv"
	"strings"
)

// The scanf family: sscanf from a string, fscanf and scanf from a stream,
// as glibc's vfscanf reads: whitespace in the format skips any, a
// conversion skips leading whitespace (not %c, %[ or %n), the count is of
// the assignments made, EOF when input ends before the first conversion.

// scanSource is where the characters come from: peek and take one.
type scanSource interface {
	peek() (byte, bool) // false at end of input (or on a fault: see failed)
	take()
	failed() bool // the process is gone (a fault reading the stream)
}

type strSource struct {
	s string
	i int
}

func (s *strSource) peek() (byte, bool) {
	if s.i < len(s.s) {
		return s.s[s.i], true
	}
	return 0, false
}
func (s *strSource) take()        { s.i++ }
func (s *strSource) failed() bool { return false }

// streamSource reads a FILE's buffer, refilling it with read(2) as getc
// does; what it peeked and did not take stays in the stream.
type streamSource struct {
	m    *machine
	p    *proc
	s    *stream
	gone bool
}

func (s *streamSource) peek() (byte, bool) {
	if len(s.s.rbuf) == 0 {
		if s.s.eof || s.gone {
			return 0, false
		}
		if !s.m.fill(s.p, s.s) {
			s.gone = true
			return 0, false
		}
		if len(s.s.rbuf) == 0 {
			return 0, false
		}
	}
	return s.s.rbuf[0], true
}
func (s *streamSource) take()        { s.s.rbuf = s.s.rbuf[1:] }
func (s *streamSource) failed() bool { return s.gone }

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// scan runs the format over src, storing through the pointers in args. It
// returns the count (or -1), and false when the process is gone.
func (m *machine) scan(p *proc, src scanSource, fmtAddr int64, args []int64) (int64, bool) {
	f, ok := m.str(p, fmtAddr)
	if !ok {
		return 0, false
	}
	argi := 0
	nextArg := func() int64 {
		if argi < len(args) {
			argi++
			return args[argi-1]
		}
		return 0
	}
	var count int64
	consumed := 0 // characters taken, for %n
	take := func() { src.take(); consumed++ }
	skipSpace := func() {
		for {
			c, ok := src.peek()
			if !ok || !isSpace(c) {
				return
			}
			take()
		}
	}
	inputFailure := func() (int64, bool) {
		if src.failed() {
			return 0, false
		}
		if count == 0 {
			return -1, true
		}
		return count, true
	}
	store := func(addr int64, v uint64, size int) bool {
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], v)
		if err := m.eng.Store(p.pid, uint64(addr), b[:size]); err != nil {
			m.fault(p, err)
			return false
		}
		return true
	}
	for i := 0; i < len(f); i++ {
		c := f[i]
		if isSpace(c) {
			skipSpace()
			continue
		}
		if c != '%' || (i+1 < len(f) && f[i+1] == '%') {
			if c == '%' {
				i++
				skipSpace()
			}
			got, ok := src.peek()
			if !ok {
				return inputFailure()
			}
			if got != c {
				return count, !src.failed()
			}
			take()
			continue
		}
		i++
		suppress := false
		if i < len(f) && f[i] == '*' {
			suppress = true
			i++
		}
		width := 0
		for i < len(f) && f[i] >= '0' && f[i] <= '9' {
			width = width*10 + int(f[i]-'0')
			i++
		}
		size := 4
		for i < len(f) {
			switch f[i] {
			case 'h':
				if size == 2 {
					size = 1
				} else {
					size = 2
				}
				i++
				continue
			case 'l', 'q', 'j', 'z', 't':
				size = 8
				i++
				continue
			case 'L':
				size = 16
				i++
				continue
			}
			break
		}
		if i >= len(f) {
			break
		}
		conv := f[i]
		if width == 0 {
			width = -1
		}
		switch conv {
		case 'n':
			if !suppress && !store(nextArg(), uint64(consumed), size) {
				return 0, false
			}
			continue
		case 'c':
			if width < 0 {
				width = 1
			}
			var b []byte
			for len(b) < width {
				ch, ok := src.peek()
				if !ok {
					break
				}
				b = append(b, ch)
				take()
			}
			if len(b) == 0 {
				return inputFailure()
			}
			if !suppress {
				if err := m.eng.Store(p.pid, uint64(nextArg()), b); err != nil {
					m.fault(p, err)
					return 0, false
				}
				count++
			}
			continue
		case '[':
			i++
			neg := false
			if i < len(f) && f[i] == '^' {
				neg = true
				i++
			}
			start := i
			if i < len(f) && f[i] == ']' {
				i++
			}
			for i < len(f) && f[i] != ']' {
				i++
			}
			set := f[start:min(i, len(f))]
			in := func(ch byte) bool {
				for k := 0; k < len(set); k++ {
					if k+2 < len(set) && set[k+1] == '-' {
						if ch >= set[k] && ch <= set[k+2] {
							return true
						}
						k += 2
						continue
					}
					if set[k] == ch {
						return true
					}
				}
				return false
			}
			var b []byte
			for width < 0 || len(b) < width {
				ch, ok := src.peek()
				if !ok || in(ch) == neg {
					break
				}
				b = append(b, ch)
				take()
			}
			if len(b) == 0 {
				if _, ok := src.peek(); !ok {
					return inputFailure()
				}
				return count, !src.failed()
			}
			if !suppress {
				if err := m.eng.Store(p.pid, uint64(nextArg()), append(b, 0)); err != nil {
					m.fault(p, err)
					return 0, false
				}
				count++
			}
			continue
		}
		skipSpace()
		if _, ok := src.peek(); !ok {
			return inputFailure()
		}
		// Collect the characters the conversion may use.
		var tok []byte
		accept := func(ok func(byte) bool) {
			for width < 0 || len(tok) < width {
				ch, more := src.peek()
				if !more || !ok(ch) {
					return
				}
				tok = append(tok, ch)
				take()
			}
		}
		switch conv {
		case 's':
			accept(func(ch byte) bool { return !isSpace(ch) })
			if !suppress {
				if err := m.eng.Store(p.pid, uint64(nextArg()), append(tok, 0)); err != nil {
					m.fault(p, err)
					return 0, false
				}
				count++
			}
			continue
		case 'd', 'i', 'u', 'x', 'X', 'o', 'p':
			base := map[byte]int{'d': 10, 'u': 10, 'i': 0, 'x': 16, 'X': 16, 'p': 16, 'o': 8}[conv]
			if conv == 'p' {
				size = 8
			}
			room := func() bool { return width < 0 || len(tok) < width }
			next := func(ok func(byte) bool) bool {
				ch, more := src.peek()
				if !more || !room() || !ok(ch) {
					return false
				}
				tok = append(tok, ch)
				take()
				return true
			}
			next(func(ch byte) bool { return ch == '-' || ch == '+' })
			digits := 0
			if base == 16 || base == 0 {
				if next(func(ch byte) bool { return ch == '0' }) {
					digits++
					if next(func(ch byte) bool { return ch == 'x' || ch == 'X' }) {
						base, digits = 16, 0
					} else if base == 0 {
						base = 8
					}
				}
			}
			if base == 0 {
				base = 10
			}
			for next(func(ch byte) bool { return digitVal(ch) < base }) {
				digits++
			}
			if digits == 0 {
				return count, !src.failed()
			}
			v, _ := strtol(string(tok), base)
			if !suppress {
				if !store(nextArg(), uint64(v), min(size, 8)) {
					return 0, false
				}
				count++
			}
		case 'f', 'e', 'g', 'E', 'G', 'a':
			accept(func(ch byte) bool {
				return ch >= '0' && ch <= '9' || ch == '.' || ch == 'e' || ch == 'E' || ch == '-' || ch == '+' ||
					ch == 'x' || ch == 'X' || ch >= 'a' && ch <= 'f' || ch >= 'A' && ch <= 'F' || ch == 'i' || ch == 'n' || ch == 'N' || ch == 'I'
			})
			s := string(tok)
			// Give back what a float cannot end with (a sign or an exponent
			// letter taken greedily) as glibc's one-character lookahead would
			// not: good enough for the numbers programs read.
			v, err := strconv.ParseFloat(strings.TrimRight(s, "eE+-"), 64)
			if err != nil && !strings.Contains(err.Error(), "range") {
				return count, !src.failed()
			}
			if !suppress {
				var ok bool
				if size == 8 || size == 16 {
					ok = store(nextArg(), math.Float64bits(v), 8)
				} else {
					ok = store(nextArg(), uint64(math.Float32bits(float32(v))), 4)
				}
				if !ok {
					return 0, false
				}
				count++
			}
		default:
			return count, !src.failed()
		}
	}
	return count, !src.failed()
}

func digitVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'z':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10
	}
	return 99
}

func init() {
	def("int sscanf(const char *s, const char *fmt, ...)", func(m *machine, p *proc, a []int64) (int64, bres) {
		s, ok := m.str(p, a[0])
		if !ok {
			return 0, bExit
		}
		return ret(m.scan(p, &strSource{s: s}, a[1], a[2:]))
	})
	def("int vsscanf(const char *s, const char *fmt, va_list ap)", func(m *machine, p *proc, a []int64) (int64, bres) {
		s, ok := m.str(p, a[0])
		if !ok {
			return 0, bExit
		}
		args, ok := m.vaArgs(p, a[2], 32)
		if !ok {
			return 0, bExit
		}
		return ret(m.scan(p, &strSource{s: s}, a[1], args))
	})
	fscan := func(m *machine, p *proc, f, fmtAddr int64, args []int64) (int64, bres) {
		s := p.streamOf(f)
		if s == nil {
			return 0, m.badFile(p, f)
		}
		if f == stdinFILE && !m.flush(p) {
			return 0, bExit
		}
		return ret(m.scan(p, &streamSource{m: m, p: p, s: s}, fmtAddr, args))
	}
	def("int fscanf(FILE *f, const char *fmt, ...)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return fscan(m, p, a[0], a[1], a[2:])
	})
	def("int scanf(const char *fmt, ...)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return fscan(m, p, stdinFILE, a[0], a[1:])
	})
	def("int vfscanf(FILE *f, const char *fmt, va_list ap)", func(m *machine, p *proc, a []int64) (int64, bres) {
		args, ok := m.vaArgs(p, a[2], 32)
		if !ok {
			return 0, bExit
		}
		return fscan(m, p, a[0], a[1], args)
	})
}

// vaArgs reads n words of a va_list (the pointers a v*scanf stores
// through; more than the format uses is harmless).
func (m *machine) vaArgs(p *proc, ap int64, n int) ([]int64, bool) {
	out := make([]int64, n)
	var b [8]byte
	for i := range out {
		if err := m.eng.Load(p.pid, uint64(ap)+uint64(8*i), b[:]); err != nil {
			// The list ends where the stack does: what was read is enough.
			return out[:i], true
		}
		out[i] = int64(binary.LittleEndian.Uint64(b[:]))
	}
	return out, true
}
