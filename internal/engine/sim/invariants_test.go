package sim

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/stretchr/testify/require"
)

// checkInvariants verifies the bookkeeping the model relies on: RSS and
// the tables' counts (entries, present pages) match the tables, each
// area's present pages counted from them match a walk of its pages, every
// frame's map count and reference count match the PTEs and the page cache
// that hold it, swap slots are referenced by exactly their swap entries,
// and the LRU lists and free counts add up.
func checkInvariants(t *testing.T, e *Engine, ctx ...string) {
	t.Helper()
	if len(ctx) > 0 {
		defer func() {
			if t.Failed() {
				t.Log("after", ctx[0])
			}
		}()
	}
	m := &e.mem
	mapcnt := map[int32]int32{}
	swapRefs := map[int32]int32{}
	for _, p := range e.procs {
		if p.mm == nil {
			continue
		}
		var rss uint64
		// check returns the present pages under tb, held to its count.
		var check func(tb *ptable, level int) int64
		check = func(tb *ptable, level int) int64 {
			used, present := int32(0), int64(0)
			for i := 0; i < 512; i++ {
				ent := tb.get(i)
				if ent == 0 {
					continue
				}
				used++
				if level == lvlPMD && isHugePMD(ent) {
					// A PMD leaf maps 512 pages (the huge zero page's
					// count in no map count).
					rss += hugePages
					present += hugePages
					fi := idxOf(ptePFN(ent))
					for i := fi; i < fi+hugePages; i++ {
						if m.f(i).use == useAnon {
							mapcnt[i]++
						}
					}
					continue
				}
				if level < lvlPTE {
					present += check(e.tableAt(ent), level+1)
					continue
				}
				if ent&pteSwap != 0 {
					swapRefs[swapSlotOf(ent)]++
					continue
				}
				if ent&ptePresent != 0 {
					rss++
					present++
					fi := idxOf(ptePFN(ent))
					if u := m.f(fi).use; u == useAnon || u == useFile {
						mapcnt[fi]++
					}
				}
			}
			require.Equal(t, used, tb.used, "pid %d: table used count", p.pid)
			require.Equal(t, present, tb.present, "pid %d: %s table's present pages", p.pid, levelNames[level])
			return present
		}
		check(p.mm.pgd, lvlPGD)
		require.Equal(t, rss, p.mm.rss, "pid %d: rss", p.pid)
		for i := 1; i < len(p.mm.vmas); i++ {
			require.LessOrEqual(t, p.mm.vmas[i-1].end, p.mm.vmas[i].start, "areas overlap")
		}
		for _, v := range p.mm.vmas {
			// The area and a page-aligned piece of it that starts and
			// ends inside tables.
			for _, r := range [][2]uint64{{v.start, v.end}, {v.start + engine.PageSize, v.end - engine.PageSize}} {
				walked := 0
				e.forEachMapped(p, r[0], r[1], func(_, pte uint64, _ bool) {
					if pte&ptePresent != 0 {
						walked++
					}
				})
				require.Equal(t, walked, e.presentPages(p, r[0], r[1]), "pid %d: present pages of %#x-%#x", p.pid, r[0], r[1])
			}
		}
	}
	var used uint64
	var onLRU [nrLRU]uint64
	for i := int32(0); i < m.n; i++ {
		f := m.f(i)
		if f.use == useFree {
			continue
		}
		used++
		if f.flags&pgOnLRU != 0 {
			onLRU[lruFor(f)]++
		}
		switch f.use {
		case useAnon:
			require.Equal(t, mapcnt[i], f.mapcnt, "anon frame %d map count", i)
			require.Equal(t, f.mapcnt, f.ref, "anon frame %d refs", i)
			require.NotZero(t, f.ref, "anon frame %d leaked", i)
		case useFile:
			require.Equal(t, mapcnt[i], f.mapcnt, "file frame %d map count", i)
			require.Equal(t, f.mapcnt+1, f.ref, "file frame %d refs", i)
			ino := e.fs.inodes[f.ino]
			require.Equal(t, i, ino.cache[f.index], "file frame %d in its cache", i)
		}
	}
	require.Equal(t, used, m.used, "frames in use")
	for l := range onLRU {
		require.Equal(t, onLRU[l], m.lru[l].n, "LRU list %d", l)
	}
	for _, ino := range e.fs.inodes[1:] {
		for _, slot := range ino.swapped {
			swapRefs[slot]++
		}
	}
	for s := range e.swap.slots {
		sl := &e.swap.slots[s]
		require.Equal(t, swapRefs[int32(s)], max(sl.refs, 0), "swap slot %d refs", s)
	}
	for _, ino := range e.fs.inodes[1:] {
		dirty := 0
		for _, fi := range ino.cache {
			if m.f(fi).flags&pgDirty != 0 {
				dirty++
			}
		}
		if ino.kind != kindShmem {
			require.Equal(t, dirty, ino.nDirty, "%s dirty pages", ino.name)
		}
	}
}

// TestRandomPrograms runs seeded random sequences of calls and accesses on
// a small machine (so that reclaim and swap happen) and checks the
// invariants after every step, and that the same seed gives the same
// events.
func TestRandomPrograms(t *testing.T) {
	for seed := uint64(1); seed <= 8; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			a := randomProgram(t, seed, true)
			b := randomProgram(t, seed, false)
			require.Equal(t, a, b, "deterministic")
		})
	}
}

func randomProgram(t *testing.T, seed uint64, check bool) string {
	steps := 1000
	if testing.Short() || raceEnabled {
		steps = 250
	}
	e, pid := newProc(t, engine.Options{RAM: 320 << 10, Swap: 8 << 20, FaultAround: 4, ReadAround: 8,
		DirtyExpire: 2e6, WritebackInterval: 1e6})
	var out bytes.Buffer
	e.SetSink(func(ev *engine.Event) { out.Write(ev.AppendJSON(nil)); out.WriteByte('\n') })
	rng := seed*0x9e3779b97f4a7c15 | 1
	next := func(n uint64) uint64 {
		rng ^= rng << 13
		rng ^= rng >> 7
		rng ^= rng << 17
		return rng % n
	}
	require.NoError(t, e.WriteFile("f", bytes.Repeat([]byte("0123456789abcdef"), 6*pg/16)))
	pids := []int{pid}
	call := func(p int, name string, args ...int64) engine.Result {
		return e.Syscall(p, engine.Call{Name: name, Args: args})
	}
	open := func(p int) int64 {
		return e.Syscall(p, engine.Call{Name: "open", Path: "f", Args: []int64{0, engine.O_RDWR, 0}}).Ret
	}
	var areas []uint64
	for step := 0; step < steps; step++ {
		p := pids[next(uint64(len(pids)))]
		op := next(14)
		before := e.clock
		switch op {
		case 0, 1:
			n := 1 + next(16)
			flags := []int64{ap, engine.MAP_SHARED | engine.MAP_ANONYMOUS, engine.MAP_PRIVATE, engine.MAP_SHARED}[next(4)]
			fd := int64(-1)
			if flags&engine.MAP_ANONYMOUS == 0 {
				fd = open(p)
			}
			r := call(p, "mmap", 0, int64(n*pg), rw, flags, fd, 0)
			if r.Errno == 0 {
				areas = append(areas, uint64(r.Ret))
			}
		case 2, 3, 4, 5:
			if len(areas) > 0 {
				a := areas[next(uint64(len(areas)))] + next(8)*pg + next(pg)
				_ = e.Store(p, a, []byte{byte(step), byte(step >> 8)})
			}
		case 6, 7:
			if len(areas) > 0 {
				a := areas[next(uint64(len(areas)))] + next(8)*pg
				_ = e.Load(p, a, make([]byte, 3))
			}
		case 8:
			if len(areas) > 0 {
				a := areas[next(uint64(len(areas)))] + next(4)*pg
				call(p, "mprotect", int64(a), int64((1+next(3))*pg), int64(next(4)))
			}
		case 9:
			if len(areas) > 0 {
				a := areas[next(uint64(len(areas)))] + next(4)*pg
				call(p, "munmap", int64(a), int64((1+next(4))*pg))
			}
		case 10:
			if len(areas) > 0 {
				a := areas[next(uint64(len(areas)))]
				adv := []int64{engine.MADV_DONTNEED, engine.MADV_PAGEOUT, engine.MADV_WILLNEED, engine.MADV_POPULATE_WRITE, engine.MADV_FREE}[next(5)]
				call(p, "madvise", int64(a), int64((1+next(4))*pg), adv)
			}
		case 11:
			if len(pids) < 4 && next(2) == 0 {
				if r := call(p, "fork"); r.Errno == 0 {
					pids = append(pids, int(r.Ret))
				}
			} else if len(pids) > 1 {
				c := pids[len(pids)-1]
				call(c, "exit_group", 0)
				pids = pids[:len(pids)-1]
			}
		case 12:
			if len(areas) > 0 {
				a := areas[next(uint64(len(areas)))]
				switch next(3) {
				case 0:
					call(p, "msync", int64(a), 4*pg, engine.MS_SYNC)
				case 1:
					call(p, "mremap", int64(a), pg, int64((1+next(4))*pg), engine.MREMAP_MAYMOVE, 0)
				case 2:
					call(p, "ftruncate", open(p), int64(next(8)*pg+next(100)))
				}
			}
		case 13:
			call(p, "nanosleep", int64(next(3e6)))
		}
		if check {
			checkInvariants(t, e, fmt.Sprintf("step %d op %d pid %d t=%d", step, op, p, before))
		}
	}
	for _, p := range pids[1:] {
		call(p, "exit_group", 0)
	}
	if check {
		c := e.State().Counters
		t.Logf("seed %d: %d faults, %d swap-outs, %d reclaimed, %d disk writes, %d COW", seed,
			c.MinorFaults+c.MajorFaults, c.SwapOuts, c.PagesReclaimed, c.DiskWrites, c.COWFaults)
	}
	e.Terminate(pid, 0, 0)
	if check {
		checkInvariants(t, e)
	}
	return out.String()
}
