// Package hostmem is host memory as a budget: what a run's engine holds
// (page contents, page cache, files, events kept), counted against the
// run's budget and the server's. A run whose use would pass either ends
// with an error naming the limit and how to raise it; a server whose
// budget is spent refuses new runs until it has room again.
package hostmem

import (
	"fmt"
	"sync"
)

// Budget is an amount of host memory a holder may use. A run's budget has
// the server's as its parent: what the run holds counts against both.
// Methods may be called from any goroutine.
type Budget struct {
	name   string // the limit's name as the settings spell it: "run-memory"
	raise  string // how to raise it: "--run-memory or PLAYGROUND_RUN_MEMORY"
	limit  int64  // bytes; 0: no limit
	parent *Budget

	mu   sync.Mutex
	used int64
}

// New makes a budget of limit bytes (0: unlimited) within parent (nil:
// none). name and raise are for the error that says it was passed.
func New(name, raise string, limit int64, parent *Budget) *Budget {
	return &Budget{name: name, raise: raise, limit: limit, parent: parent}
}

// ExceededError says which budget a use would have passed.
type ExceededError struct {
	Name  string // "run-memory"
	Raise string
	Limit int64
	Want  int64 // the use that would have passed it
	// Server is set when it is the server's budget, shared by every run:
	// the run is not at fault, the server is busy.
	Server bool
}

func (e *ExceededError) Error() string {
	if e.Server {
		return fmt.Sprintf("the server's host memory budget (%s, %s) is spent by all runs together; try again shortly, or raise it with %s", e.Name, Size(e.Limit), e.Raise)
	}
	return fmt.Sprintf("host memory limit exceeded: this run would hold %s of host memory, past its limit (%s) of %s; raise it with %s", Size(e.Want), e.Name, Size(e.Limit), e.Raise)
}

// Set makes the holder's use n bytes, charging (or crediting) the
// difference up to the server's budget. It refuses, leaving the use as it
// was, when n would pass this budget or growth would pass a parent's.
func (b *Budget) Set(n int64) error {
	if b == nil {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.limit > 0 && n > b.limit && n > b.used {
		return &ExceededError{Name: b.name, Raise: b.raise, Limit: b.limit, Want: n}
	}
	if d := n - b.used; d != 0 {
		if err := b.parent.add(d); err != nil {
			return err
		}
	}
	b.used = n
	return nil
}

// add charges d bytes to b and its parents, refusing growth past a limit.
func (b *Budget) add(d int64) error {
	if b == nil {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if d > 0 && b.limit > 0 && b.used+d > b.limit {
		return &ExceededError{Name: b.name, Raise: b.raise, Limit: b.limit, Want: b.used + d, Server: b.parent == nil}
	}
	if err := b.parent.add(d); err != nil {
		return err
	}
	b.used += d
	return nil
}

// Hold makes the holder's use n bytes even past a limit: memory already
// taken that cannot be refused (events a session has published), counted
// so that what can be refused (a new run) is.
func (b *Budget) Hold(n int64) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.parent.force(n - b.used)
	b.used = n
}

func (b *Budget) force(d int64) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.parent.force(d)
	b.used += d
}

// Release gives back everything the holder uses (its run has ended).
func (b *Budget) Release() { b.Hold(0) }

// Used is the holder's use now.
func (b *Budget) Used() int64 {
	if b == nil {
		return 0
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.used
}

// Limit is the budget's size (0: unlimited).
func (b *Budget) Limit() int64 {
	if b == nil {
		return 0
	}
	return b.limit
}

// Room says whether n more bytes fit now (a new run's admission).
func (b *Budget) Room(n int64) bool {
	if b == nil {
		return true
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.limit == 0 || b.used+n <= b.limit
}

// Size prints n bytes as the settings write them: 256M, 1.5G, 4096.
func Size(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%dG", n>>30)
	case n >= 1<<30:
		return fmt.Sprintf("%.1fG", float64(n)/(1<<30))
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%dM", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1fM", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%dK", n>>10)
	}
	return fmt.Sprint(n)
}
