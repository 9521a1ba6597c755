package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/mmapplayground/playground/internal/engine"
)

// DecodeEvent parses one line written by engine.Event.AppendJSON.
// AppendJSON(DecodeEvent(line)) gives the line back. Flat fields are scanned
// by hand (a 1 GiB run sends a quarter of a million fault events); nested
// ones (areas, counters, arguments) go through encoding/json.
func DecodeEvent(line []byte) (engine.Event, error) {
	var e engine.Event
	err := decodeInto(line, &e)
	return e, err
}

// decodeInto decodes line into *e, which it clears first.
func decodeInto(line []byte, e *engine.Event) error {
	*e = engine.Event{}
	d := scanner{b: line}
	d.ws()
	if !d.eat('{') {
		return fmt.Errorf("sandbox: bad event line: %.80s", line)
	}
	sawCounters := false
	for first := true; ; first = false {
		d.ws()
		if d.eat('}') {
			break
		}
		if !first && !d.eat(',') {
			return fmt.Errorf("sandbox: bad event line at %d: %.80s", d.i, line)
		}
		d.ws()
		key, ok := d.key()
		d.ws()
		if !ok || !d.eat(':') {
			return fmt.Errorf("sandbox: bad event line at %d: %.80s", d.i, line)
		}
		d.ws()
		var err error
		switch string(key) {
		case "type":
			e.Type, err = d.internVal()
		case "seq":
			e.Seq, err = d.uintVal()
		case "t":
			e.Time, err = d.uintVal()
		case "pid":
			e.Pid, err = d.intVal()
		case "engine":
			e.Engine, err = d.internVal()
		case "line":
			e.Line, err = d.intVal()
		case "col":
			e.Col, err = d.intVal()
		case "name":
			e.Name, err = d.strVal()
		case "ret":
			var v int64
			v, err = d.int64Val()
			e.Ret = v
		case "errno":
			e.Errno, err = d.internVal()
		case "op":
			e.Op, err = d.internVal()
		case "why":
			e.Why, err = d.internVal()
		case "addr":
			e.Addr, err = d.uintVal()
		case "pages":
			e.Pages, err = d.intVal()
		case "pfn":
			e.PFN, err = d.uintVal()
		case "bits":
			e.Bits, err = d.internVal()
		case "page_state":
			e.PageState, err = d.internVal()
		case "page_states":
			e.PageStates, err = d.strVal()
		case "level":
			e.Level, err = d.internVal()
		case "access":
			e.Access, err = d.internVal()
		case "kind":
			var k string
			k, err = d.internVal()
			e.Kind = engine.FaultKind(k)
		case "major":
			e.Major, err = d.boolVal()
		case "result":
			e.Result, err = d.internVal()
		case "file":
			e.File, err = d.strVal()
		case "index":
			e.Index, err = d.uintVal()
		case "state":
			e.State, err = d.internVal()
		case "dir":
			e.Dir, err = d.internVal()
		case "bytes":
			e.Bytes, err = d.uintVal()
		case "signal":
			e.Signal, err = d.internVal()
		case "code":
			e.Code, err = d.internVal()
		case "status":
			e.Status, err = d.intVal()
		case "child":
			e.Child, err = d.intVal()
		case "text":
			e.Text, err = d.strVal()
		case "label":
			e.Label, err = d.strVal()
		case "message":
			e.Message, err = d.strVal()
		case "count":
			e.Count, err = d.uintVal()
		case "field":
			e.Field, err = d.strVal()
		case "sim":
			e.Sim, err = d.strVal()
		case "real":
			e.Real, err = d.strVal()
		case "explained":
			e.Explained, err = d.strVal()
		case "path":
			e.Path, err = d.pathVal()
		case "vma":
			err = json.Unmarshal(d.raw(), &e.VMA)
		case "old":
			err = json.Unmarshal(d.raw(), &e.Old)
		case "vmas":
			err = json.Unmarshal(d.raw(), &e.VMAs)
		case "counters":
			sawCounters = true
			raw := d.raw()
			if !bytes.Equal(raw, []byte("{}")) || e.Type != engine.EvExit {
				err = json.Unmarshal(raw, &e.Counters)
			}
		case "args":
			err = decodeArgs(d.raw(), e)
		default:
			// A field this decoder does not know: skipped, but it must be
			// JSON (raw only finds where a value ends).
			if v := d.raw(); d.err == nil && !json.Valid(v) {
				err = fmt.Errorf("not a JSON value: %.40s", v)
			}
		}
		if err != nil {
			return fmt.Errorf("sandbox: bad %q in event line: %w", key, err)
		}
		if d.err != nil {
			return fmt.Errorf("sandbox: bad event line: %w", d.err)
		}
	}
	_ = sawCounters
	if d.ws(); d.i != len(d.b) {
		return fmt.Errorf("sandbox: bad event line: text after the object at %d: %.80s", d.i, line)
	}
	if e.Type == "" {
		return fmt.Errorf("sandbox: event line without a type: %.80s", line)
	}
	return nil
}

func decodeArgs(raw []byte, e *engine.Event) error {
	var args []json.RawMessage
	if err := json.Unmarshal(raw, &args); err != nil {
		return err
	}
	e.Args = make([]engine.Arg, len(args))
	for i, a := range args {
		if len(a) > 0 && a[0] == '"' {
			if err := json.Unmarshal(a, &e.Args[i].Str); err != nil {
				return err
			}
			e.Args[i].IsStr = true
		} else if err := json.Unmarshal(a, &e.Args[i].Int); err != nil {
			return err
		}
	}
	return nil
}

// scanner reads the flat parts of one JSON object.
type scanner struct {
	b   []byte
	i   int
	err error
}

func (d *scanner) ws() {
	for d.i < len(d.b) && (d.b[d.i] == ' ' || d.b[d.i] == '\t' || d.b[d.i] == '\n' || d.b[d.i] == '\r') {
		d.i++
	}
}

func (d *scanner) eat(c byte) bool {
	if d.i < len(d.b) && d.b[d.i] == c {
		d.i++
		return true
	}
	return false
}

// str reads a JSON string; the fast path has no escapes.
func (d *scanner) str() (string, bool) {
	if !d.eat('"') {
		return "", false
	}
	start := d.i
	for d.i < len(d.b) {
		switch c := d.b[d.i]; {
		case c == '"':
			s := string(d.b[start:d.i])
			d.i++
			return s, true
		case c == '\\':
			// Escapes: let encoding/json unquote the whole string.
			end := d.skipString(start)
			if end < 0 {
				return "", false
			}
			var s string
			if err := json.Unmarshal(d.b[start-1:end], &s); err != nil {
				d.err = err
				return "", false
			}
			d.i = end
			return s, true
		case c < 0x20:
			return "", false
		}
		d.i++
	}
	return "", false
}

// skipString returns the index after the closing quote of the string whose
// contents start at start.
func (d *scanner) skipString(start int) int {
	for j := start; j < len(d.b); j++ {
		switch d.b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return -1
}

// key reads an object key (never escaped in AppendJSON's output) without
// copying it.
func (d *scanner) key() ([]byte, bool) {
	if !d.eat('"') {
		return nil, false
	}
	start := d.i
	for d.i < len(d.b) && d.b[d.i] != '"' && d.b[d.i] != '\\' && d.b[d.i] >= 0x20 {
		d.i++
	}
	if d.i >= len(d.b) || d.b[d.i] != '"' {
		return nil, false
	}
	d.i++
	return d.b[start : d.i-1], true
}

// interned holds the values that repeat in every event, so that decoding
// one allocates nothing for them.
var interned = map[string]string{}

func init() {
	for _, s := range []string{
		engine.EvExec, engine.EvSyscall, engine.EvVMA, engine.EvPTE, engine.EvPgtable, engine.EvFault,
		engine.EvPageCache, engine.EvFrame, engine.EvCopy, engine.EvDisk, engine.EvReclaim, engine.EvSignal,
		engine.EvProcess, engine.EvStdout, engine.EvStderr, engine.EvCheckpoint, engine.EvError, engine.EvExit,
		engine.EvDropped, engine.EvNote, engine.EvDiff,
		"read", "write", "exec", "ok", "SIGSEGV", "SIGBUS", "anon", "anon-zero-page", "file-minor", "file-major",
		"cow", "shared-write", "swap", "wp-reuse", "segv-maperr", "segv-accerr", "sigbus",
		"add", "remove", "change", "set", "clear", "alloc", "free", "merge", "split", "mmap", "munmap", "mprotect",
		"real", "sim", "clean", "dirty", "copy_to_user", "copy_from_user",
		"handle_mm_fault", "do_anonymous_page", "do_execve", "load_elf_binary",
	} {
		interned[s] = s
	}
	for _, e := range engine.Errnos() {
		interned[e.Name()] = e.Name()
	}
}

// internVal reads a string value, shared when it is a common one.
func (d *scanner) internVal() (string, error) {
	if d.i < len(d.b) && d.b[d.i] == '"' {
		j := d.i + 1
		for j < len(d.b) && d.b[j] != '"' && d.b[j] != '\\' {
			j++
		}
		if j < len(d.b) && d.b[j] == '"' {
			if s, ok := interned[string(d.b[d.i+1:j])]; ok {
				d.i = j + 1
				return s, nil
			}
		}
	}
	return d.strVal()
}

// sharedPaths are the kernel paths the engines send most (every fault has
// one), by their JSON as AppendJSON writes it: the decoded events share
// these slices, which nobody writes.
var sharedPaths = map[string][]string{}

func init() {
	for _, p := range [][]string{{"handle_mm_fault"}, {"handle_mm_fault", "do_anonymous_page"}, {"do_execve", "load_elf_binary"}, {"copy_to_user"}} {
		raw, _ := json.Marshal(p)
		sharedPaths[string(raw)] = p
	}
}

// pathVal reads an array of strings (an event's kernel path, in every
// fault event) as encoding/json would into a []string (null leaves it
// nil), without its reflection: the common names are shared.
func (d *scanner) pathVal() ([]string, error) {
	if j := bytes.IndexByte(d.b[d.i:], ']'); j >= 0 {
		if p, ok := sharedPaths[string(d.b[d.i:d.i+j+1])]; ok {
			d.i += j + 1
			return p, nil
		}
	}
	if bytes.HasPrefix(d.b[d.i:], []byte("null")) {
		d.i += len("null")
		return nil, nil
	}
	if !d.eat('[') {
		return nil, fmt.Errorf("want an array at %d", d.i)
	}
	out := make([]string, 0, 2) // the paths are one or two names
	for first := true; ; first = false {
		d.ws()
		if d.eat(']') {
			return out, nil
		}
		if !first {
			if !d.eat(',') {
				return nil, fmt.Errorf("want , or ] at %d", d.i)
			}
			d.ws()
		}
		s, err := d.internVal()
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
}

func (d *scanner) strVal() (string, error) {
	s, ok := d.str()
	if !ok {
		return "", fmt.Errorf("want a string at %d", d.i)
	}
	return s, nil
}

// number reads a JSON integer: an optional minus, then 0 or digits that do
// not start with 0 (a fraction or an exponent is left for the caller to
// refuse as what follows).
func (d *scanner) number() ([]byte, error) {
	start := d.i
	d.eat('-')
	digits := d.i
	for d.i < len(d.b) && d.b[d.i] >= '0' && d.b[d.i] <= '9' {
		d.i++
	}
	if d.i == digits || d.b[digits] == '0' && d.i > digits+1 {
		return nil, fmt.Errorf("want an integer at %d", start)
	}
	return d.b[start:d.i], nil
}

func (d *scanner) uintVal() (uint64, error) {
	n, err := d.number()
	if err != nil {
		return 0, err
	}
	var v uint64
	if len(n) > 19 || n[0] == '-' {
		return strconv.ParseUint(string(n), 10, 64)
	}
	for _, c := range n {
		v = v*10 + uint64(c-'0')
	}
	return v, nil
}

func (d *scanner) int64Val() (int64, error) {
	n, err := d.number()
	if err != nil {
		return 0, err
	}
	return strconv.ParseInt(string(n), 10, 64)
}

func (d *scanner) intVal() (int, error) {
	v, err := d.int64Val()
	return int(v), err
}

func (d *scanner) boolVal() (bool, error) {
	switch {
	case bytes.HasPrefix(d.b[d.i:], []byte("true")):
		d.i += 4
		return true, nil
	case bytes.HasPrefix(d.b[d.i:], []byte("false")):
		d.i += 5
		return false, nil
	}
	return false, fmt.Errorf("want a bool at %d", d.i)
}

// raw returns the next value whole (an object, array, string, number...).
func (d *scanner) raw() []byte {
	start := d.i
	depth := 0
	for d.i < len(d.b) {
		switch c := d.b[d.i]; c {
		case '"':
			end := d.skipString(d.i + 1)
			if end < 0 {
				d.err = fmt.Errorf("unterminated string")
				return nil
			}
			d.i = end
			if depth == 0 {
				return d.b[start:d.i]
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return d.b[start:d.i]
			}
			depth--
			if depth == 0 {
				d.i++
				return d.b[start:d.i]
			}
		case ',':
			if depth == 0 {
				return d.b[start:d.i]
			}
		}
		d.i++
	}
	return d.b[start:d.i]
}
