//go:build !linux || !amd64

package realkernel

import (
	"context"
	"fmt"
	"runtime"

	"github.com/mmapplayground/playground/internal/engine"
)

// ProgramOptions describe one program gcc built (see the linux/amd64 build).
type ProgramOptions struct {
	Dir, Binary, Source            string
	Args, Launcher                 []string
	MapBytes, FileBytes, OpenFiles uint64
	MaxProcs, Output               int
	ASLR, Terminal, StopAtFaults   bool
	User                           *UserID
}

// UserID is a user and its group, as numbers.
type UserID struct{ UID, GID int }

// Program is a traced program; on this host there is none.
type Program struct{}

// Exit is how the program's first process ended.
type Exit struct {
	Status int
	Signal string
}

// LaunchIfLauncher does nothing here.
func LaunchIfLauncher() {}

// StartProgram reports that the tracer needs Linux on x86-64.
func StartProgram(ProgramOptions) (*Program, error) {
	return nil, fmt.Errorf("the real engine traces programs with ptrace on Linux x86-64, and this host is %s/%s: %w", runtime.GOOS, runtime.GOARCH, engine.ErrUnsupported)
}

// Run is never reached.
func (p *Program) Run(context.Context, engine.Sink, func()) Exit { return Exit{} }

// Kill does nothing.
func (p *Program) Kill(string) {}

// State is empty.
func (p *Program) State() engine.State { return engine.State{Engine: "real"} }

// Walk is empty.
func (p *Program) Walk(pid int, addr uint64) engine.Walk { return engine.Walk{Addr: addr} }

// Pages is empty.
func (p *Program) Pages(int, uint64, uint64) []engine.PageInfo { return nil }

// Maps is empty.
func (p *Program) Maps(int) []engine.VMA { return nil }

// LandlockABI is 0: the launcher that uses Landlock is linux/amd64's.
func LandlockABI() int { return 0 }

// LandlockScopesSignals is false: there is no launcher here.
func LandlockScopesSignals(abi int) bool { return false }

// PrivateDirs is false: there is no program here.
func (p *Program) PrivateDirs() bool { return false }

// SetFaultStops reports that there is no program to stop here.
func (p *Program) SetFaultStops(bool) error { return engine.ErrUnsupported }
