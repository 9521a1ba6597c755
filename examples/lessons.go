package examples

import (
	"encoding/json"
	"fmt"
)

// Views a lesson's notice can point at: the page's data-testid values.
var Views = []string{"vma-list", "page-map", "event-log", "page-walk", "page-cache", "counters", "stdout"}

// Lesson is one guided lesson: a text to read, a program to run, and what
// to notice in the views while it runs.
type Lesson struct {
	// ID is the lesson's stable name: "three-phases".
	ID string `json:"id"`
	// Example is the name of the example the lesson runs.
	Example string `json:"example"`
	// En and Zh are the lesson's title and text in English and Chinese.
	En Text `json:"en"`
	Zh Text `json:"zh"`
	// Notices are what to notice, in order, each pointed at one view.
	Notices []Notice `json:"notices"`
	// Moment, if set, is where the views rest after Run (else the last
	// moment the program's own mappings existed).
	Moment *Moment `json:"moment,omitempty"`
}

// Text is a lesson's words in one language. Body is Markdown-light:
// paragraphs separated by blank lines, lines starting "- " make a list,
// `code` in backquotes, **bold** in double stars.
type Text struct {
	Title string `json:"title"`
	Body  string `json:"body"`
}

// Notice is one thing to notice: its words, the view that shows it, and
// what to highlight there.
type Notice struct {
	// View is one of Views.
	View string `json:"view"`
	En   string `json:"en"`
	Zh   string `json:"zh"`
	// Events are event types to highlight ("fault", "syscall", "vma").
	Events []string `json:"events,omitempty"`
	// Syscalls narrows syscall events to these calls ("mmap", "msync").
	Syscalls []string `json:"syscalls,omitempty"`
	// Kinds narrows fault events to these kinds ("file-minor", "cow").
	Kinds []string `json:"kinds,omitempty"`
	// Path are kernel functions whose events to highlight ("do_cow_fault").
	Path []string `json:"path,omitempty"`
	// Counters are counters to highlight ("minor_faults", "cow_faults").
	Counters []string `json:"counters,omitempty"`
	// Checkpoint is a checkpoint label the notice refers to, if any.
	Checkpoint string `json:"checkpoint,omitempty"`
	// At names the event the notice is about: the views go to it when the
	// notice is clicked. A browser test runs every lesson and checks that
	// such an event happens.
	At *Moment `json:"at,omitempty"`
	// Absent names events the notice says do not happen; the test checks
	// that none does.
	Absent *Moment `json:"absent,omitempty"`
	// Output is text the notice quotes from the program's output; the
	// test checks that the output holds each.
	Output []string `json:"output,omitempty"`
}

// Moment picks events by what they are: every field given must hold.
type Moment struct {
	Type  string `json:"type"`            // the event's type: "fault"
	Name  string `json:"name,omitempty"`  // a syscall's name: "mmap"
	Kind  string `json:"kind,omitempty"`  // a fault's kind: "file-major"
	Errno string `json:"errno,omitempty"` // a syscall's errno, "ok" for success
	Op    string `json:"op,omitempty"`    // a vma, pte, pagecache, disk or process event's op
	Why   string `json:"why,omitempty"`   // a vma or pte event's why
	Label string `json:"label,omitempty"` // a checkpoint's label
	File  string `json:"file,omitempty"`  // a pagecache, disk or copy event's file
	Text  string `json:"text,omitempty"`  // text a stdout event holds
	Line  int    `json:"line,omitempty"`  // the program's source line
	// In is the area the event's address (or its area) lies in, by its
	// file ("data.bin", "[heap]"), or "anon" for an anonymous mapping.
	In string `json:"in,omitempty"`
	// After is a checkpoint label: only events after it count.
	After string `json:"after,omitempty"`
	// Nth picks the Nth match (from 1; 0 means the first).
	Nth int `json:"nth,omitempty"`
	// Show names the area the page map shows at the moment, as In does,
	// when it is not the event's own.
	Show string `json:"show,omitempty"`
}

var lessons []Lesson

func loadLessons() {
	b, err := content.ReadFile("lessons.json")
	if err != nil {
		panic(err)
	}
	if err := json.Unmarshal(b, &lessons); err != nil {
		panic(fmt.Errorf("examples/lessons.json: %w", err))
	}
}

// Lessons returns the guided lessons in teaching order.
func Lessons() []Lesson { return append([]Lesson(nil), lessons...) }
