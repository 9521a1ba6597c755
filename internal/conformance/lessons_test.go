package conformance

import (
	"context"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/mmapplayground/playground/examples"
	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/runner"
)

// seen is what one run showed, as the lessons' notices name things.
type seen struct {
	types, kinds, paths, syscalls, checkpoints map[string]bool
	counters                                   map[string]uint64
}

func observe(t *testing.T, ex examples.Example) seen {
	t.Helper()
	s := seen{types: map[string]bool{}, kinds: map[string]bool{}, paths: map[string]bool{},
		syscalls: map[string]bool{}, checkpoints: map[string]bool{}, counters: map[string]uint64{}}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	_, err := runner.Execute(ctx, runner.Request{Engine: "sim", Name: ex.FileName(), Source: ex.Source,
		Args: ex.Args, Files: ex.Files, Limits: runner.Limits{WallTime: 150 * time.Second}}, func(e *engine.Event) {
		s.types[e.Type] = true
		if e.Kind != "" {
			s.kinds[string(e.Kind)] = true
		}
		for _, p := range e.Path {
			s.paths[p] = true
		}
		if e.Type == engine.EvSyscall {
			s.syscalls[e.Name] = true
		}
		if e.Type == engine.EvCheckpoint {
			s.checkpoints[e.Label] = true
		}
		if e.Type == engine.EvExit && e.Counters != nil {
			c := e.Counters
			s.counters = map[string]uint64{"syscalls": c.Syscalls, "minor_faults": c.MinorFaults,
				"major_faults": c.MajorFaults, "cow_faults": c.COWFaults, "zero_page_maps": c.ZeroPageMaps,
				"copy_to_user_bytes": c.CopyToUser, "copy_from_user_bytes": c.CopyFromUser, "copies": c.Copies,
				"disk_reads": c.DiskReads, "disk_writes": c.DiskWrites, "swap_outs": c.SwapOuts,
				"swap_ins": c.SwapIns, "pages_reclaimed": c.PagesReclaimed, "ptes_set": c.PTEsSet,
				"tables_alloc": c.TablesAlloc, "tables_freed": c.TablesFreed}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func keys[V any](m map[string]V) string {
	var k []string
	for s := range m {
		k = append(k, s)
	}
	sort.Strings(k)
	return strings.Join(k, " ")
}

// TestLessonsPointAtWhatHappens runs each lesson's example on the simulated
// engine and checks that what each notice tells the student to look at is
// there: its event types, at least one of its fault kinds and of its kernel
// functions, all of its system calls and checkpoints, and its counters not 0.
func TestLessonsPointAtWhatHappens(t *testing.T) {
	for _, l := range examples.Lessons() {
		ex, ok := examples.Get(l.Example)
		if !ok {
			t.Errorf("lesson %s: no example %s", l.ID, l.Example)
			continue
		}
		t.Run(l.ID, func(t *testing.T) {
			t.Parallel()
			s := observe(t, ex)
			for i, n := range l.Notices {
				for _, e := range n.Events {
					if !s.types[e] {
						t.Errorf("notice %d (%s): no %s event; events: %s", i, n.View, e, keys(s.types))
					}
				}
				if len(n.Kinds) > 0 && !slices.ContainsFunc(n.Kinds, func(k string) bool { return s.kinds[k] }) {
					t.Errorf("notice %d (%s): none of the fault kinds %v; kinds: %s", i, n.View, n.Kinds, keys(s.kinds))
				}
				if len(n.Path) > 0 && !slices.ContainsFunc(n.Path, func(k string) bool { return s.paths[k] }) {
					t.Errorf("notice %d (%s): none of the kernel functions %v; functions: %s", i, n.View, n.Path, keys(s.paths))
				}
				for _, c := range n.Syscalls {
					if !s.syscalls[c] {
						t.Errorf("notice %d (%s): no %s call; calls: %s", i, n.View, c, keys(s.syscalls))
					}
				}
				if n.Checkpoint != "" && !s.checkpoints[n.Checkpoint] {
					t.Errorf("notice %d (%s): no checkpoint %q", i, n.View, n.Checkpoint)
				}
				for _, c := range n.Counters {
					if s.counters[c] == 0 {
						t.Errorf("notice %d (%s): counter %s is 0", i, n.View, c)
					}
				}
			}
		})
	}
}
