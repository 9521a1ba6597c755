package engine

import (
	"strconv"
	"unicode/utf8"
)

// Event types. docs/events.md describes each with its fields, and
// docs/events.schema.json is their JSON Schema.
const (
	EvExec       = "exec"       // a process was created from the program image
	EvSyscall    = "syscall"    // a system call returned
	EvVDSO       = "vdso"       // a vDSO function called through a pointer returned (no system call)
	EvVMA        = "vma"        // an area was added, removed or changed
	EvPTE        = "pte"        // page-table entries were set, changed or cleared
	EvPgtable    = "pgtable"    // a page-table page was allocated or freed
	EvFault      = "fault"      // a page fault was handled
	EvPageCache  = "pagecache"  // a file page entered, changed in or left the page cache
	EvFrame      = "frame"      // physical frames were allocated or freed (not per anonymous fault)
	EvCopy       = "copy"       // the kernel copied between user memory and the page cache
	EvDisk       = "disk"       // pages were read from or written to disk or swap
	EvReclaim    = "reclaim"    // memory ran short and pages were reclaimed
	EvSignal     = "signal"     // a signal was delivered
	EvProcess    = "process"    // a process forked or exited
	EvStdout     = "stdout"     // the program wrote to standard output
	EvStderr     = "stderr"     // the program wrote to standard error
	EvCheckpoint = "checkpoint" // the program called checkpoint(label)
	EvError      = "error"      // a compile or run-time error
	EvExit       = "exit"       // the program ended; always the last event
	EvDropped    = "dropped"    // a lagging client missed events (API only)
	EvMove       = "move"       // the server is draining: rebuild the session elsewhere (API only)
	EvNote       = "note"       // something the engine wants the user to know
	EvDiff       = "difference" // --engine both: where the model and the kernel differ
)

// Arg is one system-call argument: an integer, or a string (a path).
type Arg struct {
	Int   int64
	Str   string
	IsStr bool
}

// IntArgs makes Args from integers.
func IntArgs(v ...int64) []Arg {
	a := make([]Arg, len(v))
	for i, x := range v {
		a[i] = Arg{Int: x}
	}
	return a
}

// Event is one thing a kernel or the program did. It is one flat struct so
// that it can be encoded without reflection (a 1 GiB program makes a quarter
// of a million of them); which fields are meaningful depends on Type, and
// AppendJSON writes only those.
type Event struct {
	Seq  uint64 // position in the run's stream, from 1
	Time uint64 // the engine's logical clock, in nanoseconds
	Type string
	Pid  int
	// Engine names the engine that made the event when a run uses both
	// ("sim" or "real"); empty otherwise.
	Engine string

	// Source position of the statement that caused the event, when known.
	Line, Col int

	// syscall
	Name  string
	Args  []Arg
	Ret   int64
	Errno string
	// Path is the kernel functions the call or fault went through, in order:
	// ["do_mmap", "get_unmapped_area", "mmap_region", "vma_merge"].
	Path []string

	// vma, pte, pgtable, pagecache, frame, disk, process
	Op  string // "add", "remove", "change"; "set", "clear"; "alloc", "free"...
	Why string // why: "split", "merge", "mprotect", "fork", "reclaim"...
	VMA *VMA   // the area after the change (or the removed area)
	Old *VMA   // the area before a change

	// addresses and pages: fault, pte, signal, copy, pagecache, disk
	Addr  uint64
	Pages int // how many pages a range event covers (0 means 1)
	PFN   uint64
	Bits  string // PTE bits: "present|write|user"
	// PageState is what every page of a fault or pte event's range is after
	// it (a PageState's name: "dirty"), when they are all alike; else
	// PageStates has one digit per page, the PageState values in order
	// ("3302"). The page map draws these: the engine's word, not a reading
	// of the fault's kind.
	PageState  string
	PageStates string
	Level      string // page-table level for pgtable: "PUD", "PMD", "PTE"

	// fault
	Access string    // "read", "write", "exec"
	Kind   FaultKind // how it was handled: one of FaultKinds()
	Major  bool
	Result string // "ok", "SIGSEGV", "SIGBUS", or "EFAULT" for a fault of the kernel's own copy

	// pagecache, disk, copy
	File  string
	Index uint64
	State string // page-cache state after: "clean", "dirty", "writeback", "evicted"
	Dir   string // copy: "copy_to_user", "copy_from_user"
	Bytes uint64

	// signal, exit, process
	Signal string // "SIGSEGV"
	Code   string // "SEGV_MAPERR"
	Status int
	Child  int

	// stdout, stderr, checkpoint, error, note
	Text    string
	Label   string
	Message string

	// exit
	VMAs     []VMA
	Counters *Counters

	// dropped
	Count uint64

	// difference: what differs (Field: "stdout", "errno", "vmas",
	// "present_pages", "faults", "exit"), each engine's value, and, for a
	// known difference, the explanation (Explained, with a docs pointer).
	Field     string
	Sim       string
	Real      string
	Explained string
}

// AppendJSON appends e as one JSON object, with the fields its type uses.
// The fixed fields of the stream (docs/events.md) are always present for
// their type: a syscall's ret and errno, a fault's addr, access, kind and
// major, an exit's status, signal, vmas and counters.
func (e *Event) AppendJSON(b []byte) []byte {
	b = append(b, `{"type":`...)
	b = appendString(b, e.Type)
	if e.Seq != 0 {
		b = append(b, `,"seq":`...)
		b = strconv.AppendUint(b, e.Seq, 10)
	}
	b = append(b, `,"t":`...)
	b = strconv.AppendUint(b, e.Time, 10)
	if e.Pid != 0 {
		b = append(b, `,"pid":`...)
		b = strconv.AppendInt(b, int64(e.Pid), 10)
	}
	b = optString(b, `,"engine":`, e.Engine)
	switch e.Type {
	case EvSyscall:
		b = append(b, `,"name":`...)
		b = appendString(b, e.Name)
		b = appendArgs(b, e.Args)
		b = append(b, `,"ret":`...)
		b = strconv.AppendInt(b, e.Ret, 10)
		b = append(b, `,"errno":`...)
		b = appendString(b, e.Errno)
	case EvVDSO:
		b = append(b, `,"name":`...)
		b = appendString(b, e.Name)
		b = appendArgs(b, e.Args)
		b = append(b, `,"ret":`...)
		b = strconv.AppendInt(b, e.Ret, 10)
	case EvFault:
		b = append(b, `,"addr":`...)
		b = strconv.AppendUint(b, e.Addr, 10)
		// The real engine's fault samples do not always say the access:
		// then it is left out (docs/events.md).
		b = optString(b, `,"access":`, e.Access)
		b = append(b, `,"kind":`...)
		b = appendString(b, string(e.Kind))
		b = append(b, `,"major":`...)
		b = strconv.AppendBool(b, e.Major)
	case EvStdout, EvStderr:
		b = append(b, `,"text":`...)
		b = appendString(b, e.Text)
	case EvError:
		b = append(b, `,"message":`...)
		b = appendString(b, e.Message)
	case EvExit:
		b = append(b, `,"status":`...)
		b = strconv.AppendInt(b, int64(e.Status), 10)
		b = append(b, `,"signal":`...)
		b = appendString(b, e.Signal)
		b = append(b, `,"vmas":[`...)
		for i := range e.VMAs {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendVMA(b, &e.VMAs[i])
		}
		b = append(b, ']')
		if e.Counters != nil {
			b = append(b, `,"counters":`...)
			b = appendCounters(b, e.Counters)
		} else {
			b = append(b, `,"counters":{}`...)
		}
	}
	// Optional fields, written when set.
	if e.Line != 0 && e.Type != EvError {
		b = append(b, `,"line":`...)
		b = strconv.AppendInt(b, int64(e.Line), 10)
		b = append(b, `,"col":`...)
		b = strconv.AppendInt(b, int64(e.Col), 10)
	}
	if e.Type == EvError {
		b = append(b, `,"line":`...)
		b = strconv.AppendInt(b, int64(e.Line), 10)
		b = append(b, `,"col":`...)
		b = strconv.AppendInt(b, int64(e.Col), 10)
	}
	if e.Type != EvSyscall && e.Name != "" {
		b = append(b, `,"name":`...)
		b = appendString(b, e.Name)
	}
	if len(e.Path) > 0 {
		b = append(b, `,"path":[`...)
		for i, p := range e.Path {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, p)
		}
		b = append(b, ']')
	}
	b = optString(b, `,"op":`, e.Op)
	b = optString(b, `,"why":`, e.Why)
	if e.VMA != nil {
		b = append(b, `,"vma":`...)
		b = appendVMA(b, e.VMA)
	}
	if e.Old != nil {
		b = append(b, `,"old":`...)
		b = appendVMA(b, e.Old)
	}
	if e.Type != EvFault && e.Addr != 0 {
		b = append(b, `,"addr":`...)
		b = strconv.AppendUint(b, e.Addr, 10)
	}
	if e.Pages != 0 {
		b = append(b, `,"pages":`...)
		b = strconv.AppendInt(b, int64(e.Pages), 10)
	}
	if e.PFN != 0 {
		b = append(b, `,"pfn":`...)
		b = strconv.AppendUint(b, e.PFN, 10)
	}
	b = optString(b, `,"bits":`, e.Bits)
	b = optString(b, `,"page_state":`, e.PageState)
	b = optString(b, `,"page_states":`, e.PageStates)
	b = optString(b, `,"level":`, e.Level)
	if e.Type != EvFault {
		b = optString(b, `,"access":`, e.Access)
		b = optString(b, `,"kind":`, string(e.Kind))
	}
	b = optString(b, `,"result":`, e.Result)
	b = optString(b, `,"file":`, e.File)
	if e.Index != 0 || e.Type == EvPageCache {
		b = append(b, `,"index":`...)
		b = strconv.AppendUint(b, e.Index, 10)
	}
	b = optString(b, `,"state":`, e.State)
	b = optString(b, `,"dir":`, e.Dir)
	if e.Bytes != 0 {
		b = append(b, `,"bytes":`...)
		b = strconv.AppendUint(b, e.Bytes, 10)
	}
	if e.Type != EvExit {
		b = optString(b, `,"signal":`, e.Signal)
		if e.Status != 0 {
			b = append(b, `,"status":`...)
			b = strconv.AppendInt(b, int64(e.Status), 10)
		}
	}
	b = optString(b, `,"code":`, e.Code)
	if e.Child != 0 {
		b = append(b, `,"child":`...)
		b = strconv.AppendInt(b, int64(e.Child), 10)
	}
	if e.Type != EvStdout && e.Type != EvStderr {
		b = optString(b, `,"text":`, e.Text)
	}
	b = optString(b, `,"label":`, e.Label)
	if e.Type != EvError {
		b = optString(b, `,"message":`, e.Message)
	}
	if e.Type != EvExit && e.Counters != nil {
		b = append(b, `,"counters":`...)
		b = appendCounters(b, e.Counters)
	}
	if e.Count != 0 {
		b = append(b, `,"count":`...)
		b = strconv.AppendUint(b, e.Count, 10)
	}
	if e.Type == EvDiff {
		b = append(b, `,"field":`...)
		b = appendString(b, e.Field)
		b = append(b, `,"sim":`...)
		b = appendString(b, e.Sim)
		b = append(b, `,"real":`...)
		b = appendString(b, e.Real)
		b = optString(b, `,"explained":`, e.Explained)
	}
	return append(b, '}')
}

// MarshalJSON lets encoding/json embed events (the API's batches).
func (e *Event) MarshalJSON() ([]byte, error) { return e.AppendJSON(nil), nil }

// appendArgs writes `,"args":[...]`: a call's arguments, each a number or,
// where the call reads one, a string (syscall and vdso events alike).
func appendArgs(b []byte, args []Arg) []byte {
	b = append(b, `,"args":[`...)
	for i, a := range args {
		if i > 0 {
			b = append(b, ',')
		}
		if a.IsStr {
			b = appendString(b, a.Str)
		} else {
			b = strconv.AppendInt(b, a.Int, 10)
		}
	}
	return append(b, ']')
}

func optString(b []byte, key, v string) []byte {
	if v == "" {
		return b
	}
	b = append(b, key...)
	return appendString(b, v)
}

func appendVMA(b []byte, v *VMA) []byte {
	b = append(b, `{"start":`...)
	b = strconv.AppendUint(b, v.Start, 10)
	b = append(b, `,"end":`...)
	b = strconv.AppendUint(b, v.End, 10)
	b = append(b, `,"perms":`...)
	b = appendString(b, v.Perms)
	if len(v.Flags) > 0 {
		b = append(b, `,"flags":[`...)
		for i, f := range v.Flags {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, f)
		}
		b = append(b, ']')
	}
	b = append(b, `,"offset":`...)
	b = strconv.AppendUint(b, v.Offset, 10)
	b = append(b, `,"file":`...)
	b = appendString(b, v.File)
	b = append(b, `,"present_pages":`...)
	b = strconv.AppendInt(b, int64(v.PresentPages), 10)
	if v.Loader {
		b = append(b, `,"loader":true`...)
	}
	return append(b, '}')
}

func appendCounters(b []byte, c *Counters) []byte {
	kv := func(b []byte, first bool, k string, v uint64) []byte {
		if !first {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, k...)
		b = append(b, `":`...)
		return strconv.AppendUint(b, v, 10)
	}
	b = append(b, '{')
	b = kv(b, true, "syscalls", c.Syscalls)
	b = kv(b, false, "minor_faults", c.MinorFaults)
	b = kv(b, false, "major_faults", c.MajorFaults)
	b = kv(b, false, "cow_faults", c.COWFaults)
	b = kv(b, false, "zero_page_maps", c.ZeroPageMaps)
	b = kv(b, false, "copy_to_user_bytes", c.CopyToUser)
	b = kv(b, false, "copy_from_user_bytes", c.CopyFromUser)
	b = kv(b, false, "copies", c.Copies)
	b = kv(b, false, "disk_reads", c.DiskReads)
	b = kv(b, false, "disk_writes", c.DiskWrites)
	b = kv(b, false, "swap_outs", c.SwapOuts)
	b = kv(b, false, "swap_ins", c.SwapIns)
	b = kv(b, false, "pages_reclaimed", c.PagesReclaimed)
	b = kv(b, false, "ptes_set", c.PTEsSet)
	b = kv(b, false, "tables_alloc", c.TablesAlloc)
	b = kv(b, false, "tables_freed", c.TablesFreed)
	return append(b, '}')
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string, escaping as encoding/json does
// (minus its HTML escaping) and replacing invalid UTF-8 with U+FFFD.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
