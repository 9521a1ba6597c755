package runner

import (
	"fmt"
	"sync"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/engine/sim"
	"github.com/mmapplayground/playground/internal/hostmem"
)

// Direct is an engine with one process and no program: system calls and
// memory accesses are made on it one at a time, from JSON, for scripted
// experiments without C (the API's POST /sessions/{id}/syscall).
//
// Its methods may be called from any goroutine; they are serialised, as
// engine.Engine requires. Events go to the sink given to NewDirect, numbered
// from 1 across the Direct's life, on the calling goroutine.
type Direct struct {
	mu   sync.Mutex
	eng  engine.Engine
	proc engine.Process
	seq  uint64
	sink engine.Sink
	// budget and over: SetBudget's, and the error once it was passed.
	budget *hostmem.Budget
	over   error
}

// SetBudget holds the engine to limit bytes of host memory within parent
// (the server's budget). A call that passes it stops part way (as a run
// being ended does), and so do all later ones: Over says why.
func (d *Direct) SetBudget(limit int64, parent *hostmem.Budget) {
	d.mu.Lock()
	defer d.mu.Unlock()
	se, ok := d.eng.(*sim.Engine)
	if !ok {
		return
	}
	d.budget = hostmem.New("run-memory", MemoryRaise, limit, parent)
	se.SetStop(func() bool { return d.over != nil })
	se.SetGrow(func() {
		if err := d.budget.Set(int64(se.HostBytes())); err != nil && d.over == nil {
			d.over = err
		}
	})
}

// Over is the budget error once a call has passed it (the session must be
// deleted to start afresh), or nil.
func (d *Direct) Over() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.over
}

// NewDirect creates engineName's kernel ("sim"; the real engine runs only
// in its sandboxed worker and is refused with engine.ErrUnsupported) with
// opts and execs an empty program image in it, as execve of a program with
// no data would: its first process has a [heap] and a [stack] and nothing
// mapped by hand.
func NewDirect(engineName string, opts engine.Options, sink engine.Sink) (*Direct, error) {
	if sink == nil {
		sink = func(*engine.Event) {}
	}
	d := &Direct{sink: sink}
	switch engineName {
	case "", EngineSim:
		d.eng = sim.New(opts)
	case EngineReal, EngineBoth:
		return nil, fmt.Errorf("direct system calls run only on the simulated engine; the %s engine takes C programs (POST .../run): %w", engineName, engine.ErrUnsupported)
	default:
		return nil, fmt.Errorf("%w %q: want sim", ErrUnknownEngine, engineName)
	}
	d.eng.SetSink(d.emit)
	d.mu.Lock()
	defer d.mu.Unlock()
	p, err := d.eng.Exec(engine.Image{Name: "/direct"})
	if err != nil {
		d.eng.Close()
		return nil, err
	}
	d.proc = p
	return d, nil
}

// emit numbers an event and passes it on; called with d.mu held.
func (d *Direct) emit(e *engine.Event) {
	d.seq++
	e.Seq = d.seq
	d.sink(e)
}

// Pid is the process the calls are made for.
func (d *Direct) Pid() int { return d.proc.Pid }

// Syscall makes one system call for the process.
func (d *Direct) Syscall(c engine.Call) engine.Result {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.eng == nil {
		return engine.Result{Ret: -1, Errno: engine.ESRCH}
	}
	if d.over != nil {
		return engine.Result{Ret: -1, Errno: engine.ENOMEM}
	}
	return d.eng.Syscall(d.proc.Pid, c)
}

// Load reads n bytes at addr as the process's loads would, faulting pages in.
func (d *Direct) Load(addr uint64, n int) ([]byte, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.eng == nil {
		return nil, fmt.Errorf("closed")
	}
	buf := make([]byte, n)
	err := d.eng.Load(d.proc.Pid, addr, buf)
	return buf, err
}

// Store writes data at addr as the process's stores would.
func (d *Direct) Store(addr uint64, data []byte) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.eng == nil {
		return fmt.Errorf("closed")
	}
	if d.over != nil {
		return d.over
	}
	return d.eng.Store(d.proc.Pid, addr, data)
}

// State is the engine's state.
func (d *Direct) State() engine.State {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.eng == nil {
		return engine.State{}
	}
	return d.eng.State()
}

// Walk is the page-table walk of addr (pid 0: the process).
func (d *Direct) Walk(pid int, addr uint64) engine.Walk {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.eng == nil {
		return engine.Walk{Addr: addr}
	}
	if pid == 0 {
		pid = d.proc.Pid
	}
	return d.eng.Walk(pid, addr)
}

// Pages describes the pages of [start, end) (pid 0: the process).
func (d *Direct) Pages(pid int, start, end uint64) []engine.PageInfo {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.eng == nil {
		return nil
	}
	if pid == 0 {
		pid = d.proc.Pid
	}
	return d.eng.Pages(pid, start, end)
}

// Close releases the engine.
func (d *Direct) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.eng == nil {
		return nil
	}
	d.budget.Release()
	err := d.eng.Close()
	d.eng = nil
	return err
}
