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
