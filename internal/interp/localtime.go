package interp

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"

	"github.com/mmapplayground/playground/internal/engine"
)

// Broken-down time, as glibc 2.36's time/ does it: gmtime and localtime
// (offtime.c), mktime and timegm (mktime.c), asctime and ctime
// (asctime.c), strftime in the C locale (strftime_l.c), each with its _r
// form. The model's time zone is UTC: the program's environment is empty
// (getenv answers NULL, so no TZ) and the model has no /etc/localtime,
// where glibc's tzset then takes UTC, as it does on this machine (whose
// /etc/localtime is Etc/UTC). localtime's zone is "UTC" and gmtime's
// "GMT", as glibc names them.
//
// gmtime and localtime share one static struct tm, asctime and ctime one
// static buffer, as glibc's do (a second call overwrites the first's
// answer); they are the process's, made at the first call.

// struct tm's layout (x86-64): nine ints, then long tm_gmtoff and const
// char *tm_zone.
const (
	tmSize   = 56
	tmGmtoff = 40
	tmZone   = 48
)

var tTm = mkStruct("tm", []field{
	{name: "tm_sec", t: tInt}, {name: "tm_min", t: tInt}, {name: "tm_hour", t: tInt}, {name: "tm_mday", t: tInt},
	{name: "tm_mon", t: tInt}, {name: "tm_year", t: tInt}, {name: "tm_wday", t: tInt}, {name: "tm_yday", t: tInt},
	{name: "tm_isdst", t: tInt}, {name: "tm_gmtoff", t: tLong}, {name: "tm_zone", t: ptrTo(tChar)},
})

// brokenTime is a struct tm's fields (tm_year as years since 1900).
type brokenTime struct {
	sec, min, hour, mday, mon, year, wday, yday, isdst int64
	gmtoff                                             int64
	zone                                               uint64 // tm_zone: an address in the program's memory
}

func (t *brokenTime) bytes() []byte {
	b := make([]byte, tmSize)
	for i, v := range []int64{t.sec, t.min, t.hour, t.mday, t.mon, t.year, t.wday, t.yday, t.isdst} {
		binary.LittleEndian.PutUint32(b[4*i:], uint32(int32(v)))
	}
	binary.LittleEndian.PutUint64(b[tmGmtoff:], uint64(t.gmtoff))
	binary.LittleEndian.PutUint64(b[tmZone:], t.zone)
	return b
}

func brokenFrom(b []byte) brokenTime {
	f := func(i int) int64 { return int64(int32(binary.LittleEndian.Uint32(b[4*i:]))) }
	return brokenTime{sec: f(0), min: f(1), hour: f(2), mday: f(3), mon: f(4), year: f(5), wday: f(6), yday: f(7), isdst: f(8),
		gmtoff: int64(binary.LittleEndian.Uint64(b[tmGmtoff:])), zone: binary.LittleEndian.Uint64(b[tmZone:])}
}

// daysFromCivil is the days from 1970-01-01 to y-m-d of the proleptic
// Gregorian calendar (m 1..12).
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civilFromDays is daysFromCivil's inverse.
func civilFromDays(z int64) (y, m, d int64) {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	m = mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// leapDays is 1 in a leap year, else 0.
func leapDays(y int64) int64 {
	if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		return 1
	}
	return 0
}

// Seconds whose year does not fit tm_year (an int): gmtime's EOVERFLOW.
const (
	maxTimeT = 67768036191676799  // 2147485547-12-31 23:59:59
	minTimeT = -67768040609740800 // -2147481748-01-01 00:00:00
)

// offtime is __offtime(t, 0): t's UTC fields, false when the year does
// not fit.
func offtime(t int64) (brokenTime, bool) {
	if t > maxTimeT || t < minTimeT {
		return brokenTime{}, false
	}
	days, rem := floorDiv(t, 86400), t-floorDiv(t, 86400)*86400
	y, m, d := civilFromDays(days)
	bt := brokenTime{sec: rem % 60, min: rem / 60 % 60, hour: rem / 3600, mday: d, mon: m - 1, year: y - 1900,
		wday: ((days % 7) + 7 + 4) % 7, yday: days - daysFromCivil(y, 1, 1)}
	return bt, true
}

// timegmOf is mktime's arithmetic in UTC: the fields normalised into one
// count of seconds, false when it overflows.
func timegmOf(bt brokenTime) (int64, bool) {
	mon := bt.mon
	year := bt.year + 1900 + floorDiv(mon, 12)
	mon -= floorDiv(mon, 12) * 12
	days := daysFromCivil(year, mon+1, 1) + bt.mday - 1
	t := days*86400 + bt.hour*3600 + bt.min*60 + bt.sec
	if t > maxTimeT || t < minTimeT {
		return 0, false
	}
	return t, true
}

// timeStatics is the process's static storage of this file's functions:
// the struct tm of gmtime and localtime, asctime's buffer, and the zone
// names tm_zone points to.
const (
	tsTm       = 0
	tsAsctime  = tmSize
	asctimeLen = 114 // glibc's static buffer: room for any int's year
	tsGMT      = tsAsctime + asctimeLen + 2
	tsUTC      = tsGMT + 4
	tsSize     = tsUTC + 4
)

func (m *machine) timeStatics(p *proc) (uint64, bool) {
	if p.heap.timeBuf == 0 {
		v, ok := m.malloc(p, tsSize)
		if !ok || v == 0 {
			return 0, false
		}
		if !m.storeBytes(p, v+tsGMT, []byte("GMT\x00UTC\x00")) {
			return 0, false
		}
		p.heap.timeBuf = v
	}
	return p.heap.timeBuf, true
}

func (m *machine) storeBytes(p *proc, addr uint64, b []byte) bool {
	if err := m.eng.Store(p.pid, addr, b); err != nil {
		m.fault(p, err)
		return false
	}
	return true
}

// brokenDown is gmtime_r (local false) or localtime_r of *tp into dst
// (0: the static struct tm): dst, or 0 with errno EOVERFLOW.
func (m *machine) brokenDown(p *proc, tp, dst int64, local bool) (int64, bres) {
	b, ok := m.load(p, uint64(tp), 8)
	if !ok {
		return 0, bExit
	}
	statics, ok := m.timeStatics(p)
	if !ok {
		return 0, bExit
	}
	if dst == 0 {
		dst = int64(statics + tsTm)
	}
	bt, fits := offtime(int64(binary.LittleEndian.Uint64(b)))
	if !fits {
		p.setErrno(m, engine.EOVERFLOW)
		return 0, bOK
	}
	bt.zone = statics + tsGMT
	if local {
		bt.zone = statics + tsUTC
	}
	return m.storeRet(p, dst, bt.bytes(), dst)
}

var (
	abDays     = []string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	dayNames   = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	abMonths   = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	monthNames = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September",
		"October", "November", "December"}
)

// nameOr is names[i], or unknown when i is out of their range.
func nameOr(names []string, i int64, unknown string) string {
	if i < 0 || i >= int64(len(names)) {
		return unknown
	}
	return names[i]
}

// asctimeText is asctime_internal's "%.3s %.3s%3d %.2d:%.2d:%.2d %d\n".
func asctimeText(bt brokenTime) string {
	return fmt.Sprintf("%.3s %.3s%3d %.2d:%.2d:%.2d %d\n", nameOr(abDays, bt.wday, "???"), nameOr(abMonths, bt.mon, "???"),
		bt.mday, bt.hour, bt.min, bt.sec, bt.year+1900)
}

// asctimeTo is asctime_r of the struct tm at tp into buf (buflen bytes):
// EOVERFLOW when it does not fit, EINVAL for a NULL tp.
func (m *machine) asctimeTo(p *proc, tp, buf int64, buflen int) (int64, bres) {
	if tp == 0 {
		p.setErrno(m, engine.EINVAL)
		return 0, bOK
	}
	b, ok := m.load(p, uint64(tp), tmSize)
	if !ok {
		return 0, bExit
	}
	bt := brokenFrom(b)
	if bt.year > 1<<31-1-1900 {
		p.setErrno(m, engine.EOVERFLOW)
		return 0, bOK
	}
	s := asctimeText(bt)
	if len(s) >= buflen {
		p.setErrno(m, engine.EOVERFLOW)
		return 0, bOK
	}
	return m.storeRet(p, buf, append([]byte(s), 0), buf)
}

// asctimeStatic is asctime's buffer.
func (m *machine) asctimeStatic(p *proc) (int64, bool) {
	statics, ok := m.timeStatics(p)
	return int64(statics + tsAsctime), ok
}

// mktimeAt is mktime (zone "UTC") or timegm ("GMT") of the struct tm at
// tp: its fields normalised in place, and the seconds, or -1 with
// EOVERFLOW. mktime asked for daylight saving time (tm_isdst > 0) in a
// zone that has none takes the hour DST would have added off, as glibc's
// __mktime_internal does when no time near has the tm_isdst asked for.
func (m *machine) mktimeAt(p *proc, tp int64, local bool) (int64, bres) {
	b, ok := m.load(p, uint64(tp), tmSize)
	if !ok {
		return 0, bExit
	}
	in := brokenFrom(b)
	t, fits := timegmOf(in)
	if fits && local && in.isdst > 0 {
		t -= 3600
		fits = t >= minTimeT
	}
	var bt brokenTime
	if fits {
		bt, fits = offtime(t)
	}
	if !fits {
		p.setErrno(m, engine.EOVERFLOW)
		return -1, bOK
	}
	statics, ok := m.timeStatics(p)
	if !ok {
		return 0, bExit
	}
	bt.zone = statics + tsGMT
	if local {
		bt.zone = statics + tsUTC
	}
	return m.storeRet(p, tp, bt.bytes(), t)
}

func init() {
	libTags["tm"] = tTm
	def("struct tm *gmtime_r(const long *t, struct tm *tm)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return m.brokenDown(p, a[0], a[1], false)
	})
	def("struct tm *gmtime(const long *t)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return m.brokenDown(p, a[0], 0, false)
	})
	def("struct tm *localtime_r(const long *t, struct tm *tm)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return m.brokenDown(p, a[0], a[1], true)
	})
	def("struct tm *localtime(const long *t)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return m.brokenDown(p, a[0], 0, true)
	})
	def("long mktime(struct tm *tm)", func(m *machine, p *proc, a []int64) (int64, bres) { return m.mktimeAt(p, a[0], true) })
	def("long timelocal(struct tm *tm)", func(m *machine, p *proc, a []int64) (int64, bres) { return m.mktimeAt(p, a[0], true) })
	def("long timegm(struct tm *tm)", func(m *machine, p *proc, a []int64) (int64, bres) { return m.mktimeAt(p, a[0], false) })
	def("char *asctime_r(const struct tm *tm, char *buf)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return m.asctimeTo(p, a[0], a[1], 26)
	})
	def("char *asctime(const struct tm *tm)", func(m *machine, p *proc, a []int64) (int64, bres) {
		buf, ok := m.asctimeStatic(p)
		if !ok {
			return 0, bExit
		}
		return m.asctimeTo(p, a[0], buf, asctimeLen)
	})
	// ctime(t) is asctime(localtime(t)); ctime_r the same through the
	// caller's struct tm on its stack (glibc's) and buffer.
	def("char *ctime_r(const long *t, char *buf)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return m.ctime(p, a[0], a[1], 26)
	})
	def("char *ctime(const long *t)", func(m *machine, p *proc, a []int64) (int64, bres) {
		buf, ok := m.asctimeStatic(p)
		if !ok {
			return 0, bExit
		}
		return m.ctime(p, a[0], buf, asctimeLen)
	})
	def("double difftime(long t1, long t0)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return f2b(float64(a[0]) - float64(a[1])), bOK
	})
	def("void tzset(void)", func(m *machine, p *proc, a []int64) (int64, bres) { return 0, bOK })
	def("unsigned long strftime(char *s, unsigned long max, const char *fmt, const struct tm *tm)", func(m *machine, p *proc, a []int64) (int64, bres) {
		f, ok := m.str(p, a[2])
		if !ok {
			return 0, bExit
		}
		b, ok := m.load(p, uint64(a[3]), tmSize)
		if !ok {
			return 0, bExit
		}
		bt := brokenFrom(b)
		zone := "UTC" // tzname[0], for a tm_zone of NULL
		if bt.zone != 0 {
			if zone, ok = m.str(p, int64(bt.zone)); !ok {
				return 0, bExit
			}
		}
		out, ends := strftimePieces(f, bt, zone)
		if max := min(uint64(a[1]), 1<<30); uint64(len(out)) >= max {
			// It does not fit: 0, the pieces that fit written, with no
			// NUL after them, as glibc's.
			n := 0
			for _, e := range ends {
				if uint64(e) < max {
					n = e
				}
			}
			if n == 0 {
				return 0, bOK
			}
			return m.storeRet(p, a[0], []byte(out[:n]), 0)
		}
		return m.storeRet(p, a[0], append([]byte(out), 0), int64(len(out)))
	})
}

// ctime is asctime_r(localtime_r(t)) into buf (buflen bytes): EOVERFLOW
// from localtime makes asctime's EINVAL, as glibc's ctime answers.
func (m *machine) ctime(p *proc, tp, buf int64, buflen int) (int64, bres) {
	b, ok := m.load(p, uint64(tp), 8)
	if !ok {
		return 0, bExit
	}
	bt, fits := offtime(int64(binary.LittleEndian.Uint64(b)))
	if !fits {
		p.setErrno(m, engine.EINVAL)
		return 0, bOK
	}
	s := asctimeText(bt)
	if len(s) >= buflen {
		p.setErrno(m, engine.EOVERFLOW)
		return 0, bOK
	}
	return m.storeRet(p, buf, append([]byte(s), 0), buf)
}

// isoWeekDays is strftime_l.c's iso_week_days: the days since the first
// day of yday's year's ISO week 1 (negative: the week is the last year's).
func isoWeekDays(yday, wday int64) int64 {
	const bigEnoughMultipleOf7 = (366/7 + 2) * 7
	return yday - (yday-wday+4+bigEnoughMultipleOf7)%7 + 4 - 1
}

// strftime is __strftime_internal in the C locale for the fields bt, its
// zone's name being zone. Flags: _ (pad with spaces), - (no padding), 0
// (zeros), ^ (upper case), # (swap case); then a width; E and O change
// nothing in the C locale. A conversion it does not know is copied.
func strftime(f string, bt brokenTime, zone string) string {
	s, _ := strftimePieces(f, bt, zone)
	return s
}

// strftimePieces is strftime's text and where each of its pieces (a
// character of the format, a conversion's text) ends: glibc writes a
// piece only when it fits, so a buffer too small holds the pieces before
// the first that did not.
func strftimePieces(f string, bt brokenTime, zone string) (string, []int) {
	var b strings.Builder
	var ends []int
	year := int64(int32(bt.year + 1900)) // an int, as glibc adds them
	for i := 0; i < len(f); i, ends = i+1, append(ends, b.Len()) {
		if f[i] != '%' {
			b.WriteByte(f[i])
			continue
		}
		start := i
		var pad byte
		upcase, swapcase := false, false
	flags:
		for i+1 < len(f) {
			switch f[i+1] {
			case '_', '-', '0':
				pad = f[i+1]
			case '^':
				upcase = true
			case '#':
				swapcase = true
			default:
				break flags
			}
			i++
		}
		width := -1
		for i+1 < len(f) && f[i+1] >= '0' && f[i+1] <= '9' {
			if width < 0 {
				width = 0
			}
			width = min(width*10+int(f[i+1]-'0'), 1<<20)
			i++
		}
		if i+1 < len(f) && (f[i+1] == 'E' || f[i+1] == 'O') {
			i++
		}
		if i+1 >= len(f) {
			b.WriteString(f[start:])
			break
		}
		i++
		c := f[i]
		str := func(s string, swapUpper bool) {
			switch {
			case upcase || swapcase && swapUpper:
				s = strings.ToUpper(s)
			case swapcase:
				s = strings.ToLower(s)
			}
			if width > len(s) && pad != '-' {
				fill := " "
				if pad == '0' {
					fill = "0"
				}
				b.WriteString(strings.Repeat(fill, width-len(s)))
			}
			b.WriteString(s)
		}
		num := func(digits int, v int64, spacepad bool) {
			p := pad
			if p == 0 && spacepad {
				p = '_'
			}
			s := strconv.FormatInt(max(v, -v), 10)
			sign := ""
			if v < 0 {
				sign = "-"
			}
			w := digits
			if width >= 0 {
				w = width
			}
			n := w - len(s) - len(sign)
			switch {
			case p == '-' || n <= 0:
				b.WriteString(sign + s)
			case p == '_':
				b.WriteString(strings.Repeat(" ", n) + sign + s)
			default:
				b.WriteString(sign + strings.Repeat("0", n) + s)
			}
		}
		sub := func(format string) { str(strftime(format, bt, zone), false) }
		hour12 := bt.hour % 12
		if hour12 == 0 {
			hour12 = 12
		}
		switch c {
		case '%':
			str("%", false)
		case 'a':
			str(nameOr(abDays, bt.wday, "?"), true)
		case 'A':
			str(nameOr(dayNames, bt.wday, "?"), true)
		case 'b', 'h':
			str(nameOr(abMonths, bt.mon, "?"), true)
		case 'B':
			str(nameOr(monthNames, bt.mon, "?"), true)
		case 'c':
			sub("%a %b %e %H:%M:%S %Y")
		case 'C':
			century := year / 100
			if year%100 < 0 {
				century--
			}
			num(1, century, false)
		case 'd':
			num(2, bt.mday, false)
		case 'D', 'x':
			sub("%m/%d/%y")
		case 'e':
			num(2, bt.mday, true)
		case 'F':
			sub("%Y-%m-%d")
		case 'g', 'G', 'V':
			y := year
			adjust := int64(0)
			d := isoWeekDays(bt.yday, bt.wday)
			if d < 0 {
				adjust = -1
				d = isoWeekDays(bt.yday+365+leapDays(y-1), bt.wday)
			} else if d2 := isoWeekDays(bt.yday-365-leapDays(y), bt.wday); d2 >= 0 {
				adjust, d = 1, d2
			}
			switch c {
			case 'g':
				yy := (bt.year%100 + adjust) % 100
				if yy < 0 {
					if bt.year < -1900-adjust {
						yy = -yy
					} else {
						yy += 100
					}
				}
				num(2, yy, false)
			case 'G':
				num(1, year+adjust, false)
			default:
				num(2, d/7+1, false)
			}
		case 'H':
			num(2, bt.hour, false)
		case 'I':
			num(2, hour12, false)
		case 'j':
			num(3, bt.yday+1, false)
		case 'k':
			num(2, bt.hour, true)
		case 'l':
			num(2, hour12, true)
		case 'm':
			num(2, bt.mon+1, false)
		case 'M':
			num(2, bt.min, false)
		case 'n':
			str("\n", false)
		case 'p', 'P':
			s := "AM"
			if bt.hour >= 12 {
				s = "PM"
			}
			if c == 'P' || swapcase {
				s = strings.ToLower(s)
				swapcase = false
			}
			str(s, false)
		case 'r':
			sub("%I:%M:%S %p")
		case 'R':
			sub("%H:%M")
		case 's':
			t, _ := timegmOf(bt)
			num(1, t, false)
		case 'S':
			num(2, bt.sec, false)
		case 't':
			str("\t", false)
		case 'T', 'X':
			sub("%H:%M:%S")
		case 'u':
			num(1, (bt.wday-1+7)%7+1, false)
		case 'U':
			num(2, (bt.yday-bt.wday+7)/7, false)
		case 'w':
			num(1, bt.wday, false)
		case 'W':
			num(2, (bt.yday-(bt.wday-1+7)%7+7)/7, false)
		case 'y':
			yy := bt.year % 100
			if yy < 0 {
				if bt.year < -1900 {
					yy = -yy
				} else {
					yy += 100
				}
			}
			num(2, yy, false)
		case 'Y':
			num(1, year, false)
		case 'z':
			off := bt.gmtoff
			sign := "+"
			if off < 0 {
				sign, off = "-", -off
			}
			b.WriteString(sign)
			num(4, off/3600*100+off/60%60, false)
		case 'Z':
			z := zone
			if swapcase {
				z = strings.ToLower(z)
				swapcase = false
			}
			str(z, false)
		default:
			b.WriteString(f[start : i+1])
		}
	}
	return b.String(), ends
}
