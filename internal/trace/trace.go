// Package trace writes a run's events as a person reads them: system calls
// as strace prints them, with their flags by name, and between them the
// page faults, area changes and page-cache work the kernel did.
//
//	mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0) = 0x7ffff7ffe000
//	  vma  + 7ffff7ffe000-7ffff7fff000 rw-s 00000000 data.bin
//	  fault write 0x7ffff7ffe000 file-minor: handle_mm_fault > do_shared_fault (pfn 0x2a)
//
// The program's own output is not part of the trace; the CLI writes it to
// standard output as it comes.
package trace

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/mmapplayground/playground/internal/engine"
)

// Writer formats events to an io.Writer.
type Writer struct {
	w io.Writer
	// Verbose adds page-table entries, table pages and frames, which a 1 GiB
	// program makes by the hundred thousand.
	Verbose bool

	// firstPid is the first process seen; once another appears, every line
	// names its process, as strace -f does.
	firstPid int
	multi    bool
}

// New returns a Writer to w.
func New(w io.Writer) *Writer { return &Writer{w: w} }

// Event writes one event's line, if it has one.
func (t *Writer) Event(e *engine.Event) {
	line := t.Format(e)
	if line == "" {
		return
	}
	io.WriteString(t.w, line+"\n")
}

// Format is an event's trace line, or "" for events the trace leaves out
// (the program's output, and the fine-grained ones unless Verbose).
func (t *Writer) Format(e *engine.Event) string {
	prefix := ""
	if e.Engine != "" {
		prefix = "[" + e.Engine + "] "
	}
	if e.Pid != 0 {
		if t.firstPid == 0 {
			t.firstPid = e.Pid
		} else if e.Pid != t.firstPid || e.Child != 0 {
			t.multi = true
		}
	}
	if t.multi && e.Pid != 0 && e.Type != engine.EvExit {
		prefix += "[pid " + strconv.Itoa(e.Pid) + "] "
	}
	switch e.Type {
	case engine.EvSyscall:
		return prefix + FormatSyscall(e)
	case engine.EvVDSO:
		args := make([]string, len(e.Args))
		for i, a := range e.Args {
			args[i] = strconv.FormatInt(a.Int, 10)
		}
		return prefix + fmt.Sprintf("%s(%s) = %d (vDSO)", e.Name, strings.Join(args, ", "), e.Ret)
	case engine.EvFault:
		s := fmt.Sprintf("  fault %s 0x%x %s", e.Access, e.Addr, e.Kind)
		if e.Major {
			s += " (major)"
		}
		if len(e.Path) > 0 {
			s += ": " + strings.Join(e.Path, " > ")
		}
		if e.PFN != 0 {
			s += fmt.Sprintf(" (pfn 0x%x)", e.PFN)
		}
		if e.Pages > 1 {
			s += fmt.Sprintf(" [%d pages]", e.Pages)
		}
		if e.Result != "" && e.Result != "ok" {
			s += " -> " + e.Result
		}
		return prefix + s + lineSuffix(e)
	case engine.EvVMA:
		mark := map[string]string{"add": "+", "remove": "-", "change": "~"}[e.Op]
		s := "  vma  " + mark + " "
		if e.VMA != nil {
			s += vmaText(e.VMA)
		}
		if e.Why != "" {
			s += " (" + e.Why + ")"
		}
		return prefix + s
	case engine.EvPageCache:
		return prefix + fmt.Sprintf("  page cache %s[%d] %s%s", e.File, e.Index, orOp(e.State, e.Op), pathSuffix(e))
	case engine.EvDisk:
		n := e.Pages
		if n == 0 {
			n = 1
		}
		return prefix + fmt.Sprintf("  disk %s %s[%d] %d page(s)%s", e.Op, e.File, e.Index, n, whySuffix(e))
	case engine.EvCopy:
		return prefix + fmt.Sprintf("  %s %d bytes%s", e.Dir, e.Bytes, fileSuffix(e))
	case engine.EvReclaim:
		return prefix + fmt.Sprintf("  reclaim: %d pages%s", e.Pages, whySuffix(e))
	case engine.EvSignal:
		s := "--- " + e.Signal + " {si_code=" + e.Code
		if e.Addr != 0 {
			s += fmt.Sprintf(", si_addr=0x%x", e.Addr)
		}
		return prefix + s + "} ---" + lineSuffix(e)
	case engine.EvProcess:
		return prefix + fmt.Sprintf("  process %s%s", e.Op, childSuffix(e))
	case engine.EvCheckpoint:
		return prefix + "=== checkpoint: " + e.Label + " ==="
	case engine.EvError:
		if e.Line != 0 {
			return fmt.Sprintf("%d:%d: error: %s", e.Line, e.Col, e.Message)
		}
		return "error: " + e.Message
	case engine.EvNote:
		return prefix + "note: " + orOp(e.Message, e.Text)
	case engine.EvDiff:
		s := "difference in " + e.Field + ": sim " + quoteLines(e.Sim) + ", real " + quoteLines(e.Real)
		if e.Explained != "" {
			s += " (explained: " + e.Explained + ")"
		}
		return s
	case engine.EvExit:
		if e.Signal != "" {
			return prefix + "+++ killed by " + e.Signal + " +++"
		}
		return prefix + "+++ exited with " + strconv.Itoa(e.Status) + " +++"
	case engine.EvPTE, engine.EvPgtable, engine.EvFrame, engine.EvExec:
		if !t.Verbose {
			return ""
		}
		return prefix + "  " + e.Type + " " + orOp(e.Op, "") + fmt.Sprintf(" 0x%x", e.Addr) + levelSuffix(e)
	}
	return ""
}

// quoteLines quotes a value that spans lines (a program's output), so that
// a difference stays on one line.
func quoteLines(s string) string {
	if strings.ContainsAny(s, "\n\r") || s == "" {
		return strconv.Quote(s)
	}
	return s
}

func vmaText(v *engine.VMA) string {
	s := fmt.Sprintf("%x-%x %s %08x", v.Start, v.End, v.Perms, v.Offset)
	if v.File != "" {
		s += " " + v.File
	}
	return s
}

func orOp(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func lineSuffix(e *engine.Event) string {
	if e.Line == 0 {
		return ""
	}
	return fmt.Sprintf("  @%d:%d", e.Line, e.Col)
}

func pathSuffix(e *engine.Event) string {
	if len(e.Path) == 0 {
		return ""
	}
	return ": " + strings.Join(e.Path, " > ")
}

func whySuffix(e *engine.Event) string {
	if e.Why == "" {
		return ""
	}
	return " (" + e.Why + ")"
}

func fileSuffix(e *engine.Event) string {
	if e.File == "" {
		return ""
	}
	return " (" + e.File + ")"
}

func childSuffix(e *engine.Event) string {
	var parts []string
	if e.Child != 0 {
		parts = append(parts, "child "+strconv.Itoa(e.Child))
	}
	if e.Op == "exit" {
		if e.Signal != "" {
			parts = append(parts, "killed by "+e.Signal)
		} else {
			parts = append(parts, "status "+strconv.Itoa(e.Status))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

func levelSuffix(e *engine.Event) string {
	var s string
	if e.Level != "" {
		s += " " + e.Level
	}
	if e.Pages > 1 {
		s += fmt.Sprintf(" [%d pages]", e.Pages)
	}
	if e.Bits != "" {
		s += " " + e.Bits
	}
	return s
}
