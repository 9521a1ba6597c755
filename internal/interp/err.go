package interp

import "github.com/mmapplayground/playground/internal/engine"

// <err.h>: err, errx, warn, warnx and their va_list forms, as glibc's
// misc/err.c writes them: "NAME: message: strerror(errno)\n" on stderr,
// where NAME is the program's short name (__progname), stdout left
// unflushed (exit flushes it after). errc and warnc (libbsd's, which the
// man pages' examples use) take the error number as an argument.

// errKind says what one function of the family does.
type errKind struct {
	proto   string
	exits   bool // err*: exit(eval) after the message (eval is the first argument)
	code    int  // the error number: -1 errno, -2 none (the x forms), else the argument index
	fmtArg  int  // the format's argument index
	va      bool // the arguments are a va_list after the format
	hasEval bool
}

var errFamily = []errKind{
	{proto: "void err(int eval, const char *fmt, ...)", exits: true, code: -1, fmtArg: 1, hasEval: true},
	{proto: "void errx(int eval, const char *fmt, ...)", exits: true, code: -2, fmtArg: 1, hasEval: true},
	{proto: "void errc(int eval, int code, const char *fmt, ...)", exits: true, code: 1, fmtArg: 2, hasEval: true},
	{proto: "void verr(int eval, const char *fmt, va_list ap)", exits: true, code: -1, fmtArg: 1, va: true, hasEval: true},
	{proto: "void verrx(int eval, const char *fmt, va_list ap)", exits: true, code: -2, fmtArg: 1, va: true, hasEval: true},
	{proto: "void verrc(int eval, int code, const char *fmt, va_list ap)", exits: true, code: 1, fmtArg: 2, va: true, hasEval: true},
	{proto: "void warn(const char *fmt, ...)", code: -1, fmtArg: 0},
	{proto: "void warnx(const char *fmt, ...)", code: -2, fmtArg: 0},
	{proto: "void warnc(int code, const char *fmt, ...)", code: 0, fmtArg: 1},
	{proto: "void vwarn(const char *fmt, va_list ap)", code: -1, fmtArg: 0, va: true},
	{proto: "void vwarnx(const char *fmt, va_list ap)", code: -2, fmtArg: 0, va: true},
	{proto: "void vwarnc(int code, const char *fmt, va_list ap)", code: 0, fmtArg: 1, va: true},
}

func init() {
	for _, k := range errFamily {
		k := k
		def(k.proto, func(m *machine, p *proc, a []int64) (int64, bres) {
			e := p.errno(m) // before anything can change it
			switch {
			case k.code >= 0:
				e = engine.Errno(int32(a[k.code]))
			case k.code == -2:
				e = 0
			}
			if !m.stderrWrite(p, []byte(trimC(m.prog.name)+": ")) {
				return 0, bExit
			}
			if f := a[k.fmtArg]; f != 0 {
				var s []byte
				var ok bool
				if k.va {
					s, ok = m.vformat(p, f, a[k.fmtArg+1])
				} else {
					s, ok = m.format(p, f, a[k.fmtArg+1:])
				}
				if !ok || !m.stderrWrite(p, s) {
					return 0, bExit
				}
				if k.code != -2 && !m.stderrWrite(p, []byte(": ")) {
					return 0, bExit
				}
			}
			tail := "\n"
			if k.code != -2 {
				tail = e.Error() + "\n"
			}
			if !m.stderrWrite(p, []byte(tail)) {
				return 0, bExit
			}
			if k.exits {
				if m.exitProc(p, int(int32(a[0]))) {
					return 0, bExit
				}
				return 0, bAbort
			}
			return 0, bOK
		})
	}
}
