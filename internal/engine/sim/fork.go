package sim

import (
	"sort"

	"github.com/mmapplayground/playground/internal/engine"
)

// fork, analogous to kernel/fork.c's dup_mm and mm/memory.c's
// copy_page_range: the child gets a copy of every area; a private page is
// shared copy-on-write, both PTEs write-protected, until one side writes
// (do_wp_page copies it, or reuses it when the other side has gone); a
// shared page is simply mapped by both. As vma_needs_copy decides, areas
// with no anonymous pages (shared file mappings, private ones only read)
// copy no PTEs at all: the child faults them in from the page cache.

// maxProcs is the most processes (zombies too) the model holds, as
// RLIMIT_NPROC or a container's pids limit bounds them: one more fork is
// EAGAIN, so a fork loop costs the host a bounded amount.
const maxProcs = 512

// fork is copy_process for a child of p with the clone flags' namespaces
// (nsproxy.go: the caller's, or new ones).
func (e *Engine) fork(p *process, flags uint64, path *[]string) (*process, engine.Errno) {
	*path = append(*path, "kernel_clone", "copy_process")
	if len(e.procs) >= maxProcs {
		return nil, engine.EAGAIN
	}
	ns, err := e.copyNamespaces(p, flags)
	if err != 0 {
		return nil, err
	}
	nr, err := e.allocPid(e.nsIn(&ns, nsPid))
	if err != 0 {
		return nil, err
	}
	ns.nr = nr
	*path = append(*path, "dup_mm", "copy_page_range")
	child := &process{pid: e.nextPid, ppid: p.pid, comm: p.comm, exe: p.exe, sys: p.sys}
	child.sys.ns = ns
	if len(nr) > 0 && nr[len(nr)-1] == 1 {
		ns.ns[nsPid].pid.reaper = child.pid // is_child_reaper
	}
	child.sys.jobctl = jobCtl{}
	child.sys.killed = false
	child.sys.itimer = [3]itimer{} // copy_process: the child's timers are disarmed
	child.sys.started = e.clock
	e.nextPid++
	cm := e.newMM()
	if cm == nil {
		e.nextPid--
		return nil, engine.ENOMEM
	}
	pm := p.mm
	cm.startBrk, cm.brk, cm.mmapBase, cm.stackTop, cm.stackLimit = pm.startBrk, pm.brk, pm.mmapBase, pm.stackTop, pm.stackLimit
	cm.defFlags = pm.defFlags
	cm.sysinfoEhdr = pm.sysinfoEhdr
	cm.libcBase, cm.ldsoBase = pm.libcBase, pm.ldsoBase
	cm.startCode, cm.endCode = pm.startCode, pm.endCode
	cm.membarrier = pm.membarrier
	cm.dumpable = pm.dumpable // MMF_INIT_MASK's dumpable bits
	// mmf_init_flags: MDWE is inherited unless PR_MDWE_NO_INHERIT.
	if pm.mdwe&engine.PR_MDWE_NO_INHERIT == 0 {
		cm.mdwe = pm.mdwe
	}
	cm.loaderRanges = pm.loaderRanges
	child.mm = cm
	e.procs = append(e.procs, child)
	sort.Slice(e.procs, func(i, j int) bool { return e.procs[i].pid < e.procs[j].pid })
	child.files = p.files.dupFd()
	if e.sink != nil {
		ev := e.newEvent(engine.EvProcess, p.pid)
		ev.Op, ev.Child = "fork", child.pid
		e.emit(ev)
	}
	m := &e.mem
	for _, v := range pm.vmas {
		if v.flags&vmDontCopy != 0 {
			continue
		}
		nv := *v
		// Locks are not inherited (VM_LOCKED_MASK cleared in the child).
		nv.flags &^= vmLocked | vmLockOnFault
		// dup_userfaultfd: without UFFD_FEATURE_EVENT_FORK (which the
		// model's user may not have) the child's area is not registered,
		// and its PTEs lose uffd-wp (copy_present_pte, copy_nonpresent_pte).
		nv.flags &^= vmUffdFlags
		nv.uffd = nil
		if v.flags&vmWipeOnFork != 0 {
			nv.anon = 0 // a clean slate: no anon_vma, no pages copied
		}
		cm.insert(&nv)
		e.emitVMA(child, "add", "fork", &nv, nil)
		if v.flags&vmWipeOnFork != 0 || (v.flags&(vmPFNMap|vmMixedMap) == 0 && v.anon == 0) {
			continue // vma_needs_copy: nothing to copy
		}
		cow := v.flags&(vmShared|vmMayWrite) == vmMayWrite
		wp, copied := e.copyHugePMDs(p, child, v, cow)
		e.forEachSmallPTE(p, v.start, v.end, func(addr uint64, pp *uint64, _ *ptable) {
			// The child's table first: making it may reclaim, which may
			// swap out the very page this PTE maps, so read it after.
			if e.pteTable(child, addr, true) == nil {
				return
			}
			pte := *pp
			if pte&pteSwap != 0 {
				e.swap.slots[swapSlotOf(pte)].refs++
				e.setPTE(child, addr, pte&^pteUffdWP)
				copied++
				return
			}
			if pte&ptePresent == 0 {
				return
			}
			if v.flags&vmPFNMap == 0 {
				fi := idxOf(ptePFN(pte))
				f := m.f(fi)
				if f.use != useZero {
					f.ref++
					f.mapcnt++
				}
				if cow && pte&pteRW != 0 {
					pte &^= pteRW
					*pp = pte
					wp++
				}
			}
			cpte := pte &^ (pteAccessed | pteUffdWP) // pte_mkold
			if v.flags&vmShared != 0 {
				cpte &^= pteDirty // pte_mkclean in a shared child
			}
			e.setPTE(child, addr, cpte)
			copied++
		})
		if e.sink != nil && wp > 0 {
			ev := e.newEvent(engine.EvPTE, p.pid)
			ev.Op, ev.Why, ev.Addr, ev.Pages = "change", "fork", v.start, spanPages(v.start, v.end) // wp of them write-protected
			e.emit(ev)
		}
		if e.sink != nil && copied > 0 {
			ev := e.newEvent(engine.EvPTE, child.pid)
			ev.Op, ev.Why, ev.Addr, ev.Pages = "set", "fork", v.start, spanPages(v.start, v.end) // copied of them have entries
			e.emit(ev)
		}
	}
	e.tlbGen++
	return child, 0
}

// wait4 reaps an exited child: Block while the children it may wait for
// are all alive.
func (e *Engine) wait4(p *process, pid int64, statusPtr uint64, options int64) engine.Result {
	const known = engine.WNOHANG | engine.WUNTRACED | engine.WCONTINUED | wNothread | wAll | wClone
	if options&^known != 0 {
		return engine.Result{Ret: -1, Errno: engine.EINVAL}
	}
	found := false
	for _, c := range e.procs {
		if c.ppid != p.pid && c.pt.tracer != p.pid || c.reaped || (pid > 0 && int64(e.pidVnr(p, c)) != pid) {
			continue
		}
		found = true
		if sig := ptraceReport(p, c, options); sig != 0 && !c.exited {
			st := uint32(sig)<<8 | 0x7f
			if statusPtr != 0 {
				b := []byte{byte(st), byte(st >> 8), byte(st >> 16), byte(st >> 24)}
				if err := e.access(p, statusPtr, b, true, true); err != nil {
					return engine.Result{Ret: -1, Errno: engine.EFAULT}
				}
			}
			return engine.Result{Ret: int64(c.pid)}
		}
		if c.ppid != p.pid {
			continue // a tracee's exit is its parent's to reap
		}
		if !c.exited {
			// A stopped child's status is its signal<<8 | 0x7f, a
			// continued one's 0xffff (wait_task_stopped, _continued).
			code, sig := childReport(c, options)
			if code == 0 {
				continue
			}
			st := uint32(0xffff)
			if code == engine.CLD_STOPPED {
				st = uint32(sig)<<8 | 0x7f
			}
			if statusPtr != 0 {
				b := []byte{byte(st), byte(st >> 8), byte(st >> 16), byte(st >> 24)}
				if err := e.access(p, statusPtr, b, true, true); err != nil {
					return engine.Result{Ret: -1, Errno: engine.EFAULT}
				}
			}
			return engine.Result{Ret: int64(e.pidVnr(p, c))}
		}
		if statusPtr != 0 {
			st := uint32(c.status)
			b := []byte{byte(st), byte(st >> 8), byte(st >> 16), byte(st >> 24)}
			if err := e.access(p, statusPtr, b, true, true); err != nil {
				return engine.Result{Ret: -1, Errno: engine.EFAULT}
			}
		}
		c.reaped = true
		cpid := e.pidVnr(p, c)
		e.dropReaped()
		return engine.Result{Ret: int64(cpid)}
	}
	if !found {
		return engine.Result{Ret: -1, Errno: engine.ECHILD}
	}
	if options&engine.WNOHANG != 0 {
		return engine.Result{Ret: 0}
	}
	return engine.Result{Block: true}
}

// copyHugePMDs is copy_huge_pmd for each huge PMD of v: the child maps the
// same 2 MiB folio (or the huge zero page) with one PMD entry, and in a
// private writable area both entries are write-protected, so the first
// write on either side splits that side's PMD and copies one 4 KiB page
// (do_huge_pmd_wp_page), or, once the folio is the writer's alone, takes
// it back whole. It reports how many pages it write-protected and copied.
func (e *Engine) copyHugePMDs(p, child *process, v *vma, cow bool) (wp, copied int) {
	for haddr := (v.start + hpageSize - 1) &^ (hpageSize - 1); haddr+hpageSize <= v.end && haddr >= v.start; haddr += hpageSize {
		pt := e.pmdTable(p, haddr)
		if pt == nil {
			continue
		}
		pm := pt.at(ptIndex(haddr, lvlPMD))
		if pm == nil || !isHugePMD(*pm) {
			continue
		}
		ct := e.pmdTables(child, haddr)
		if ct == nil {
			continue // no room: forEachPTE's split copies it page by page
		}
		if fi := idxOf(ptePFN(*pm)); fi != e.mem.hugeZero {
			for i := fi; i < fi+hugePages; i++ {
				f := e.mem.f(i)
				f.ref++
				f.mapcnt++
			}
			child.mm.rss += hugePages
			if cow && *pm&pteRW != 0 {
				*pm &^= pteRW
				wp += hugePages
			}
		}
		*e.mem.slot(ct, ptIndex(haddr, lvlPMD)) = *pm &^ (pteAccessed | pteUffdWP) // the child's area is not registered
		ct.used++
		e.countPresent(child, haddr, lvlPMD, hugePages)
		copied += hugePages
	}
	if wp > 0 {
		p.mm.lastPT = nil
	}
	child.mm.lastPT = nil
	return wp, copied
}
