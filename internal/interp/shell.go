package interp

import (
	"encoding/binary"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/mmapplayground/playground/internal/engine"
)

// system(3) and popen(3) run their command in a small shell built into the
// library: a child process (fork(2) on the engine) whose system calls are
// the shell's, so its reads of /proc and of the session's files, and the
// faults on its copy of the parent's memory, show as any process's do. It
// knows cat, head, grep, wc, od and ls -l, pipelines (|), lists (; && ||)
// and the redirections to /dev/null; any other command fails as dash's
// does: "sh: 1: CMD: not found", status 127.
//
// glibc's system() does not flush stdout first, and neither does this:
// a program's buffered printf output comes after the command's.

// shell is one command's run in the child process pid.
type shell struct {
	m     *machine
	p     *proc // the parent (its stack pointer places the child's buffers)
	pid   int   // the child's pid
	out   []byte
	toFD1 bool // the command's stdout is fd 1 (system); else it is collected (popen "r")
	gone  bool // the child was killed (a fault)
	signo int  // the signal that killed it
}

// runShell forks a child, runs cmd in it with input as its stdin, and reaps
// it. It returns the wait status and, for popen, the output; ok is false
// when the parent is gone.
func (m *machine) runShell(p *proc, cmd string, input []byte, toFD1 bool) (status int64, out []byte, ok bool) {
	res := m.syscall(p.pid, engine.Call{Name: "fork"})
	if res.Errno != 0 {
		if res.Errno == engine.ENOSYS {
			m.noteENOSYS(p, "fork")
		}
		p.setErrno(m, res.Errno)
		return -1, nil, true
	}
	sh := &shell{m: m, p: p, pid: int(res.Ret), toFD1: toFD1}
	code := sh.list(cmd, input)
	if !sh.gone {
		m.syscall(sh.pid, engine.Call{Name: "exit_group", Args: []int64{int64(code)}})
	}
	w := m.syscall(p.pid, engine.Call{Name: "wait4", Args: []int64{int64(sh.pid), 0, 0, 0}})
	if w.Signal != nil {
		m.kill(p, w.Signal)
		return 0, nil, false
	}
	if sh.gone {
		return int64(sh.signo & 0x7f), sh.out, true
	}
	return int64(code&0xff) << 8, sh.out, true
}

// list runs "a; b && c || d" and returns the last status.
func (sh *shell) list(cmd string, input []byte) int {
	status := 0
	op := ";"
	for _, part := range splitList(cmd) {
		if part.op != "" {
			op = part.op
			continue
		}
		if (op == "&&" && status != 0) || (op == "||" && status == 0) {
			continue
		}
		status = sh.pipeline(part.text, input)
		if sh.gone {
			return status
		}
	}
	return status
}

type listPart struct{ text, op string }

func splitList(cmd string) []listPart {
	var parts []listPart
	start := 0
	quote := byte(0)
	for i := 0; i < len(cmd); i++ {
		c := cmd[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == ';' || c == '\n':
			parts = append(parts, listPart{text: cmd[start:i]}, listPart{op: ";"})
			start = i + 1
		case (c == '&' || c == '|') && i+1 < len(cmd) && cmd[i+1] == c:
			parts = append(parts, listPart{text: cmd[start:i]}, listPart{op: cmd[i : i+2]})
			i++
			start = i + 1
		}
	}
	return append(parts, listPart{text: cmd[start:]})
}

// pipeline runs "a | b | c": each command's output is the next one's input
// (within the one child: the commands are the shell's own).
func (sh *shell) pipeline(text string, input []byte) int {
	stages := splitPipe(text)
	status := 0
	data := input
	for i, st := range stages {
		words, redir := parseWords(st)
		if len(words) == 0 {
			continue
		}
		last := i == len(stages)-1
		var stdout, stderr []byte
		status, stdout, stderr = sh.command(words, data)
		if sh.gone {
			return status
		}
		if redir.errNull {
			stderr = nil
		}
		if len(stderr) > 0 && !sh.write(2, stderr) {
			return status
		}
		if redir.outNull {
			stdout = nil
		}
		if last {
			if sh.toFD1 {
				if len(stdout) > 0 && !sh.write(1, stdout) {
					return status
				}
			} else {
				sh.out = append(sh.out, stdout...)
			}
		}
		data = stdout
	}
	return status
}

func splitPipe(text string) []string {
	var out []string
	start, quote := 0, byte(0)
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '|':
			out = append(out, text[start:i])
			start = i + 1
		}
	}
	return append(out, text[start:])
}

type redirs struct{ outNull, errNull bool }

// parseWords splits a command into words, with quotes, and takes off the
// redirections to /dev/null it knows.
func parseWords(s string) ([]string, redirs) {
	var words []string
	var r redirs
	var cur strings.Builder
	in, quote := false, byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else {
				cur.WriteByte(c)
			}
		case c == '\'' || c == '"':
			quote, in = c, true
		case c == ' ' || c == '\t':
			if in {
				words = append(words, cur.String())
				cur.Reset()
				in = false
			}
		case c == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
			in = true
		default:
			cur.WriteByte(c)
			in = true
		}
	}
	if in {
		words = append(words, cur.String())
	}
	var kept []string
	for i := 0; i < len(words); i++ {
		w := words[i]
		switch {
		case w == ">/dev/null" || w == "1>/dev/null":
			r.outNull = true
		case w == "2>/dev/null":
			r.errNull = true
		case (w == ">" || w == "1>") && i+1 < len(words) && words[i+1] == "/dev/null":
			r.outNull = true
			i++
		case w == "2>" && i+1 < len(words) && words[i+1] == "/dev/null":
			r.errNull = true
			i++
		case w == "2>&1":
		default:
			kept = append(kept, w)
		}
	}
	return kept, r
}

// command runs one of the shell's commands.
func (sh *shell) command(words []string, input []byte) (int, []byte, []byte) {
	name := words[0]
	if i := strings.LastIndexByte(name, '/'); i >= 0 && (strings.HasPrefix(name, "/bin/") || strings.HasPrefix(name, "/usr/bin/")) {
		name = name[i+1:]
	}
	args := words[1:]
	switch name {
	case "cat":
		return sh.cat(args, input)
	case "head":
		return sh.head(args, input)
	case "grep":
		return sh.grep(args, input)
	case "wc":
		return sh.wc(args, input)
	case "od":
		return sh.od(args, input)
	case "ls":
		return sh.ls(args)
	case "true", ":":
		return 0, nil, nil
	case "false":
		return 1, nil, nil
	case "echo":
		return 0, []byte(strings.Join(args, " ") + "\n"), nil
	}
	return 127, nil, []byte("sh: 1: " + words[0] + ": not found\n")
}

// buf is where the child's system calls read and write: below the
// parent's stack pointer (the child's copy of that stack).
func (sh *shell) buf(n int) uint64 {
	return (sh.p.sp - 8192 - uint64(n)) &^ 15
}

// sys makes one of the child's system calls; a signal ends the child.
func (sh *shell) sys(name, path string, args ...int64) (int64, engine.Errno) {
	res := sh.m.syscall(sh.pid, engine.Call{Name: name, Args: args, Path: path})
	if res.Signal != nil {
		sh.gone, sh.signo = true, res.Signal.Signo
		return -1, 0
	}
	if res.Errno == engine.ENOSYS {
		sh.m.noteENOSYS(sh.p, name)
	}
	return res.Ret, res.Errno
}

func (sh *shell) store(addr uint64, b []byte) bool {
	if err := sh.m.eng.Store(sh.pid, addr, b); err != nil {
		sh.gone, sh.signo = true, engine.SIGSEGV
		return false
	}
	return true
}

// write writes b to the child's fd 1 or 2, in pieces of a pipe's size.
func (sh *shell) write(fd int64, b []byte) bool {
	for len(b) > 0 {
		n := min(len(b), 4096)
		addr := sh.buf(n)
		if !sh.store(addr, b[:n]) {
			return false
		}
		r, _ := sh.sys("write", "", fd, int64(addr), int64(n))
		if sh.gone {
			return false
		}
		if r > 0 && (fd == 1 || fd == 2) {
			sh.m.output += int(r)
			if sh.m.output > sh.m.maxOut {
				sh.m.abort("output limit exceeded (%d bytes)", sh.m.maxOut)
				sh.gone = true
				return false
			}
		}
		if r <= 0 {
			return true
		}
		b = b[r:]
	}
	return true
}

// maxFileRead bounds what one command reads of one file.
const maxFileRead = 1 << 20

// readFile reads a whole file in the child (open, read, close), as cat
// does; the error is the errno of the open or read.
func (sh *shell) readFile(path string) ([]byte, engine.Errno) {
	pathAddr := sh.buf(len(path)+1) - 4096
	if !sh.store(pathAddr, append([]byte(path), 0)) {
		return nil, 0
	}
	fd, e := sh.sys("openat", path, engine.AT_FDCWD, int64(pathAddr), engine.O_RDONLY, 0)
	if sh.gone || fd < 0 {
		return nil, e
	}
	defer sh.sys("close", "", fd)
	var data []byte
	buf := sh.buf(4096)
	chunk := make([]byte, 4096)
	for len(data) < maxFileRead {
		n, e := sh.sys("read", "", fd, int64(buf), 4096)
		if sh.gone {
			return nil, 0
		}
		if n < 0 {
			return data, e
		}
		if n == 0 {
			break
		}
		if err := sh.m.eng.Load(sh.pid, buf, chunk[:n]); err != nil {
			sh.gone, sh.signo = true, engine.SIGSEGV
			return nil, 0
		}
		data = append(data, chunk[:n]...)
	}
	return data, 0
}

// inputs reads each file argument ("-" or none: the input), calling each
// with its name and data; errors are reported as coreutils does.
func (sh *shell) inputs(cmd string, files []string, input []byte, each func(name string, data []byte)) (status int, stderr []byte) {
	if len(files) == 0 {
		each("", input)
		return 0, nil
	}
	for _, f := range files {
		if f == "-" {
			each("-", input)
			continue
		}
		data, e := sh.readFile(f)
		if sh.gone {
			return 1, stderr
		}
		if e != 0 {
			stderr = append(stderr, fmt.Sprintf("%s: %s: %s\n", cmd, f, e.Error())...)
			status = 1
			if cmd == "grep" {
				status = 2
			}
			continue
		}
		each(f, data)
	}
	return status, stderr
}

func (sh *shell) cat(args []string, input []byte) (int, []byte, []byte) {
	var out []byte
	st, errb := sh.inputs("cat", args, input, func(_ string, d []byte) { out = append(out, d...) })
	return st, out, errb
}

func (sh *shell) head(args []string, input []byte) (int, []byte, []byte) {
	n := 10
	var files []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-n" && i+1 < len(args):
			n, _ = strconv.Atoi(args[i+1])
			i++
		case strings.HasPrefix(a, "-n"):
			n, _ = strconv.Atoi(a[2:])
		case len(a) > 1 && a[0] == '-' && a[1] >= '0' && a[1] <= '9':
			n, _ = strconv.Atoi(a[1:])
		default:
			files = append(files, a)
		}
	}
	var out []byte
	st, errb := sh.inputs("head", files, input, func(name string, d []byte) {
		if len(files) > 1 {
			if len(out) > 0 {
				out = append(out, '\n')
			}
			out = append(out, "==> "+name+" <==\n"...)
		}
		lines := 0
		for i := 0; i < len(d) && lines < n; i++ {
			out = append(out, d[i])
			if d[i] == '\n' {
				lines++
			}
		}
	})
	return st, out, errb
}

func (sh *shell) grep(args []string, input []byte) (int, []byte, []byte) {
	var invert, count, icase, fixed, quiet bool
	var pattern string
	havePattern := false
	var files []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "-e" && i+1 < len(args) {
			pattern, havePattern = args[i+1], true
			i++
			continue
		}
		if len(a) > 1 && a[0] == '-' && !havePattern {
			for _, f := range a[1:] {
				switch f {
				case 'v':
					invert = true
				case 'c':
					count = true
				case 'i':
					icase = true
				case 'F':
					fixed = true
				case 'q':
					quiet = true
				case 'E', 'w':
				default:
					return 2, nil, []byte(fmt.Sprintf("grep: invalid option -- '%c'\n", f))
				}
			}
			continue
		}
		if !havePattern {
			pattern, havePattern = a, true
			continue
		}
		files = append(files, a)
	}
	if !havePattern {
		return 2, nil, []byte("Usage: grep [OPTION]... PATTERNS [FILE]...\n")
	}
	expr := pattern
	if fixed {
		expr = regexp.QuoteMeta(pattern)
	} else {
		// A basic regular expression's \| \( \) \{ \} are ERE's | ( ) { }.
		expr = strings.NewReplacer(`\|`, `|`, `\(`, `(`, `\)`, `)`, `\{`, `{`, `\}`, `}`, `\+`, `+`, `\?`, `?`).Replace(expr)
	}
	if icase {
		expr = "(?i)" + expr
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return 2, nil, []byte("grep: Invalid regular expression\n")
	}
	var out []byte
	matched := false
	st, errb := sh.inputs("grep", files, input, func(name string, d []byte) {
		n := 0
		for _, line := range splitLines(d) {
			if re.Match(line) != invert {
				n++
				matched = true
				if !count && !quiet {
					if len(files) > 1 {
						out = append(out, name+":"...)
					}
					out = append(append(out, line...), '\n')
				}
			}
		}
		if count {
			if len(files) > 1 {
				out = append(out, name+":"...)
			}
			out = append(out, strconv.Itoa(n)+"\n"...)
		}
	})
	if st != 0 {
		return st, out, errb
	}
	if !matched {
		return 1, out, errb
	}
	return 0, out, errb
}

func splitLines(d []byte) [][]byte {
	var lines [][]byte
	for len(d) > 0 {
		i := 0
		for i < len(d) && d[i] != '\n' {
			i++
		}
		lines = append(lines, d[:i])
		if i < len(d) {
			i++
		}
		d = d[i:]
	}
	return lines
}

// wc counts as GNU coreutils' wc prints: each count right-aligned in the
// width of the largest file's size (at least 7 for standard input), or
// unpadded when one count of one file is asked for.
func (sh *shell) wc(args []string, input []byte) (int, []byte, []byte) {
	var lflag, wflag, cflag bool
	var files []string
	for _, a := range args {
		if len(a) > 1 && a[0] == '-' {
			for _, f := range a[1:] {
				switch f {
				case 'l':
					lflag = true
				case 'w':
					wflag = true
				case 'c', 'm':
					cflag = true
				}
			}
			continue
		}
		files = append(files, a)
	}
	if !lflag && !wflag && !cflag {
		lflag, wflag, cflag = true, true, true
	}
	type counts struct {
		name    string
		l, w, c int
	}
	var rows []counts
	st, errb := sh.inputs("wc", files, input, func(name string, d []byte) {
		r := counts{name: name, c: len(d)}
		inWord := false
		for _, b := range d {
			if b == '\n' {
				r.l++
			}
			if isSpace(b) {
				inWord = false
			} else if !inWord {
				inWord = true
				r.w++
			}
		}
		rows = append(rows, r)
	})
	if len(rows) > 1 {
		t := counts{name: "total"}
		for _, r := range rows {
			t.l, t.w, t.c = t.l+r.l, t.w+r.w, t.c+r.c
		}
		rows = append(rows, t)
	}
	nflags := 0
	for _, f := range []bool{lflag, wflag, cflag} {
		if f {
			nflags++
		}
	}
	width := 1
	if !(nflags == 1 && len(rows) == 1) {
		total := 0
		for _, r := range rows {
			total += r.c
		}
		width = len(strconv.Itoa(total))
		if len(files) == 0 && width < 7 {
			width = 7
		}
	}
	var out []byte
	for _, r := range rows {
		var f []string
		if lflag {
			f = append(f, fmt.Sprintf("%*d", width, r.l))
		}
		if wflag {
			f = append(f, fmt.Sprintf("%*d", width, r.w))
		}
		if cflag {
			f = append(f, fmt.Sprintf("%*d", width, r.c))
		}
		line := strings.Join(f, " ")
		if r.name != "" {
			line += " " + r.name
		}
		out = append(out, line+"\n"...)
	}
	return st, out, errb
}

// od dumps as GNU od does for its common forms: -A o|d|x|n, -t
// o2 (the default), x1, x2, x4, x8, d1..d8, u1..u8, c (also -c, -x, -b,
// -d), -N count, -j skip, -v (without it, repeated lines are "*").
func (sh *shell) od(args []string, input []byte) (int, []byte, []byte) {
	radix := byte('o')
	typ := "o2"
	limit, skip := -1, 0
	verbose := false
	var files []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		val := func() string {
			if len(a) > 2 {
				return a[2:]
			}
			if i+1 < len(args) {
				i++
				return args[i]
			}
			return ""
		}
		switch {
		case strings.HasPrefix(a, "-A"):
			if v := val(); v != "" {
				radix = v[0]
			}
		case strings.HasPrefix(a, "-t"):
			typ = val()
		case strings.HasPrefix(a, "-N"):
			limit, _ = strconv.Atoi(val())
		case strings.HasPrefix(a, "-j"):
			skip, _ = strconv.Atoi(val())
		case a == "-v":
			verbose = true
		case a == "-c":
			typ = "c"
		case a == "-x":
			typ = "x2"
		case a == "-b":
			typ = "o1"
		case a == "-d":
			typ = "u2"
		default:
			files = append(files, a)
		}
	}
	var data []byte
	st, errb := sh.inputs("od", files, input, func(_ string, d []byte) { data = append(data, d...) })
	if skip > len(data) {
		skip = len(data)
	}
	data = data[skip:]
	if limit >= 0 && limit < len(data) {
		data = data[:limit]
	}
	text := strings.HasSuffix(typ, "z") // -t x1z: the bytes as text after each line
	typ = strings.TrimSuffix(typ, "z")
	if typ == "" {
		typ = "o2"
	}
	kind, size := typ[0], 1
	if len(typ) > 1 {
		size, _ = strconv.Atoi(typ[1:])
		switch typ[1:] {
		case "C":
			size = 1
		case "S":
			size = 2
		case "I":
			size = 4
		case "L":
			size = 8
		}
	}
	if kind == 'c' || kind == 'a' {
		size = 1
	}
	if size != 1 && size != 2 && size != 4 && size != 8 {
		return 1, nil, []byte("od: invalid type string '" + typ + "'\n")
	}
	addr := func(off int) string {
		switch radix {
		case 'x':
			return fmt.Sprintf("%06x", off)
		case 'd':
			return fmt.Sprintf("%07d", off)
		case 'n':
			return ""
		}
		return fmt.Sprintf("%07o", off)
	}
	cell := func(v uint64, b byte) string {
		switch kind {
		case 'x':
			return fmt.Sprintf(" %0*x", size*2, v)
		case 'o':
			return fmt.Sprintf(" %0*o", (size*8+2)/3, v)
		case 'u':
			return fmt.Sprintf(" %*d", []int{0, 3, 5, 0, 10, 0, 0, 0, 20}[size], v)
		case 'd':
			sv := int64(v<<(64-8*size)) >> (64 - 8*size)
			return fmt.Sprintf(" %*d", []int{0, 4, 6, 0, 11, 0, 0, 0, 20}[size], sv)
		case 'c':
			switch b {
			case 0:
				return `  \0`
			case '\a':
				return `  \a`
			case '\b':
				return `  \b`
			case '\f':
				return `  \f`
			case '\n':
				return `  \n`
			case '\r':
				return `  \r`
			case '\t':
				return `  \t`
			case '\v':
				return `  \v`
			}
			if b >= 32 && b < 127 {
				return fmt.Sprintf("   %c", b)
			}
			return fmt.Sprintf(" %03o", b)
		}
		return ""
	}
	var out []byte
	var prev string
	starred := false
	for off := 0; off < len(data); off += 16 {
		end := min(off+16, len(data))
		var line strings.Builder
		for i := off; i < end; i += size {
			var word [8]byte
			copy(word[:], data[i:min(i+size, end)])
			cell := cell(binary.LittleEndian.Uint64(word[:]), data[i])
			line.WriteString(cell)
		}
		if !verbose && line.String() == prev && end-off == 16 {
			if !starred {
				out = append(out, "*\n"...)
				starred = true
			}
			continue
		}
		starred = false
		prev = line.String()
		l := line.String()
		if text {
			full := len(l) * 16 / (end - off)
			l += strings.Repeat(" ", full-len(l)) + "  >"
			for _, b := range data[off:end] {
				if b < 32 || b >= 127 {
					b = '.'
				}
				l += string(rune(b))
			}
			l += "<"
		}
		out = append(out, addr(off)+l+"\n"...)
	}
	if radix != 'n' {
		out = append(out, addr(len(data))+"\n"...)
	}
	return st, out, errb
}

// ls lists the files it is given (it reads no directories: the engine has
// no getdents), with -l as GNU ls -l writes each: mode, links, owner,
// group, size, the modification time, the name.
func (sh *shell) ls(args []string) (int, []byte, []byte) {
	long := false
	var files []string
	for _, a := range args {
		if len(a) > 1 && a[0] == '-' {
			if strings.ContainsRune(a, 'l') {
				long = true
			}
			continue
		}
		files = append(files, a)
	}
	if len(files) == 0 {
		return 2, nil, []byte("ls: cannot open directory '.': Function not implemented\n")
	}
	var out, errb []byte
	status := 0
	for _, f := range files {
		st := sh.buf(144) - 4096
		pathAddr := st - 4096
		if !sh.store(pathAddr, append([]byte(f), 0)) {
			return 2, out, errb
		}
		r, e := sh.sys("stat", f, int64(pathAddr), int64(st))
		if sh.gone {
			return 2, out, errb
		}
		if r < 0 {
			errb = append(errb, fmt.Sprintf("ls: cannot access '%s': %s\n", f, e.Error())...)
			status = 2
			continue
		}
		if !long {
			out = append(out, f+"\n"...)
			continue
		}
		var b [144]byte
		if err := sh.m.eng.Load(sh.pid, st, b[:]); err != nil {
			sh.gone, sh.signo = true, engine.SIGSEGV
			return 2, out, errb
		}
		le := binary.LittleEndian
		nlink, mode := le.Uint64(b[16:]), le.Uint32(b[24:])
		uid, gid, size := le.Uint32(b[28:]), le.Uint32(b[32:]), int64(le.Uint64(b[48:]))
		mtime := int64(le.Uint64(b[88:]))
		out = append(out, fmt.Sprintf("%s %d %s %s %d %s %s\n", modeString(mode), nlink, userName(uid), userName(gid), size, lsTime(mtime), f)...)
	}
	return status, out, errb
}

func modeString(mode uint32) string {
	t := byte('-')
	switch mode & engine.S_IFMT {
	case engine.S_IFDIR:
		t = 'd'
	case engine.S_IFCHR:
		t = 'c'
	case engine.S_IFBLK:
		t = 'b'
	case engine.S_IFLNK:
		t = 'l'
	case engine.S_IFIFO:
		t = 'p'
	case engine.S_IFSOCK:
		t = 's'
	}
	s := []byte{t}
	for i := 8; i >= 0; i-- {
		if mode&(1<<i) != 0 {
			s = append(s, "rwx"[(8-i)%3])
		} else {
			s = append(s, '-')
		}
	}
	return string(s)
}

// userName is the name ls prints for an id: root's and nobody's by name,
// others by number (the session has no /etc/passwd).
func userName(id uint32) string {
	switch id {
	case 0:
		return "root"
	case 65534:
		return "nogroup"
	}
	return strconv.Itoa(int(id))
}

// lsTime is ls -l's date of a recent file, "Jan  2 15:04", in UTC.
func lsTime(sec int64) string {
	const day = 86400
	days := sec / day
	rem := sec % day
	// Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
	z := days + 719468
	era := z / 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	mo := mp + 3
	if mo > 12 {
		mo -= 12
	}
	months := []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	return fmt.Sprintf("%s %2d %02d:%02d", months[mo-1], d, rem/3600, rem%3600/60)
}

// popenStream is a popen'd FILE: the command's output, read through the
// stream (mode "r"), or what the program writes, the command's input when
// it is closed (mode "w").
type popenStream struct {
	cmd    string
	write  bool
	status int64
}

func init() {
	def("int system(const char *cmd)", func(m *machine, p *proc, a []int64) (int64, bres) {
		if a[0] == 0 {
			return 1, bOK // a shell is available
		}
		cmd, ok := m.str(p, a[0])
		if !ok {
			return 0, bExit
		}
		status, _, ok := m.runShell(p, cmd, nil, true)
		return ret(status, ok)
	})
	def("FILE *popen(const char *cmd, const char *mode)", func(m *machine, p *proc, a []int64) (int64, bres) {
		cmd, ok := m.str(p, a[0])
		if !ok {
			return 0, bExit
		}
		mode, ok := m.str(p, a[1])
		if !ok {
			return 0, bExit
		}
		mode = strings.TrimSuffix(mode, "e")
		if mode != "r" && mode != "w" {
			p.setErrno(m, engine.EINVAL)
			return 0, bOK
		}
		ps := &popenStream{cmd: cmd, write: mode == "w"}
		s := &stream{fd: -1, popen: ps}
		if !ps.write {
			status, out, ok := m.runShell(p, cmd, nil, false)
			if !ok {
				return 0, bExit
			}
			if status < 0 {
				return 0, bOK
			}
			ps.status = status
			s.rbuf, s.eof, s.reading = out, true, true
		}
		return m.addStream(p, s)
	})
	def("int pclose(FILE *f)", func(m *machine, p *proc, a []int64) (int64, bres) {
		s := p.streamOf(a[0])
		if s == nil || s.popen == nil {
			p.setErrno(m, engine.ECHILD)
			return -1, bOK
		}
		status := s.popen.status
		if s.popen.write {
			st, _, ok := m.runShell(p, s.popen.cmd, s.wbuf, true)
			if !ok {
				return 0, bExit
			}
			status = st
		}
		s.wbuf = nil
		return status, okRes(m.removeStream(p, a[0]))
	})
}
