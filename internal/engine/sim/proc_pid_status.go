package sim

import (
	"strconv"
	"strings"

	"github.com/mmapplayground/playground/internal/engine"
)

// /proc/PID/status and statm, analogous to fs/proc/array.c's
// proc_pid_status (task_mem from fs/proc/task_mmu.c for the Vm lines) and
// proc_pid_statm. The lines that are not about memory are those of a
// process of the model's user (uid 1000, no capabilities) on this
// machine's two CPUs.

// mmCounters are an address space's sizes in pages, as the mm_struct
// keeps them (total_vm, data_vm, ... and the rss_stat counters).
type mmCounters struct {
	total, data, stack, exec, locked uint64
	anon, file, shmem, swap          uint64
	text                             uint64 // the program's code: end_code - start_code, at most exec
	ptes                             uint64 // page-table bytes
}

// counters sums t's areas and page tables.
func (e *Engine) counters(t *process) mmCounters {
	var c mmCounters
	mm := t.mm
	if mm == nil {
		return c
	}
	m := &e.mem
	for _, v := range mm.vmas {
		n := v.pages()
		c.total += n
		switch {
		case v.flags&vmGrowsDown != 0:
			c.stack += n // VM_STACK
		case v.flags&(vmWrite|vmShared) == vmWrite:
			c.data += n
		case v.flags&(vmExec|vmWrite) == vmExec:
			c.exec += n
		}
		if v.flags&vmLocked != 0 {
			c.locked += n
		}
		e.forEachMapped(t, v.start, v.end, func(_ uint64, pte uint64, _ bool) {
			if pte&pteSwap != 0 {
				c.swap++
				return
			}
			if pte&ptePresent == 0 || v.flags&vmPFNMap != 0 {
				return
			}
			f := m.f(idxOf(ptePFN(pte)))
			switch {
			case f.use == useAnon:
				c.anon++
			case f.use == useFile && e.fs.inodes[f.ino].kind == kindShmem:
				c.shmem++
			case f.use == useFile:
				c.file++
			}
		})
	}
	c.text = min(mm.codePages(), c.exec) // task_mem's split of exec_vm
	// mm_pgtables_bytes: the PTE, PMD and PUD tables; not the PGD, which
	// pgd_alloc does not count (an mm with no area shows VmPTE 0 kB).
	for lvl := 1; lvl < 4; lvl++ {
		c.ptes += uint64(mm.tables[lvl]) * engine.PageSize
	}
	return c
}

// showStatus is proc_pid_status.
func showStatus(e *Engine, reader, t *process) string {
	var b strings.Builder
	line := func(label, value string) {
		b.WriteString(label)
		b.WriteString(":\t")
		b.WriteString(value)
		b.WriteByte('\n')
	}
	pid := strconv.Itoa(t.pid)
	state := "S (sleeping)"
	switch {
	case t.exited:
		state = "Z (zombie)"
	case t.pt.stopped:
		state = "t (tracing stop)" // TASK_TRACED (ptrace.go)
	case t.sys.jobctl.stopped:
		state = "T (stopped)"
	case t == reader:
		state = "R (running)"
	}
	line("Name", t.comm)
	line("Umask", "0022")
	line("State", state)
	line("Tgid", pid)
	line("Ngid", "0")
	line("Pid", pid)
	line("PPid", strconv.Itoa(t.ppid))
	line("TracerPid", strconv.Itoa(t.pt.tracer))
	// A kernel thread (kthreadd) is root's, in no session, ignores every
	// signal and has every capability.
	ids, groups, pgid, sigIgn, caps := "1000\t1000\t1000\t1000", "1000 ", strconv.Itoa(firstPid), "0000000000000000", "0000000000000000"
	if t.kthread {
		ids, groups, pgid, sigIgn, caps = "0\t0\t0\t0", " ", "0", "ffffffffffffffff", "000001ffffffffff"
	}
	line("Uid", ids)
	line("Gid", ids)
	line("FDSize", "64")
	line("Groups", groups)
	line("NStgid", e.nsPidLine(t))
	line("NSpid", e.nsPidLine(t))
	line("NSpgid", pgid)
	line("NSsid", pgid)
	line("Kthread", strconv.Itoa(boolInt(t.kthread)))
	if t.mm != nil {
		c := e.counters(t)
		mm := t.mm
		rss := c.anon + c.file + c.shmem
		const pg = engine.PageSize
		vm := func(label string, bytes uint64) { kB(&b, label+":\t", 0, bytes) }
		vm("VmPeak", max(c.total, mm.hiwaterVM)*pg)
		vm("VmSize", c.total*pg)
		vm("VmLck", mm.lockedVM*pg)
		vm("VmPin", 0)
		vm("VmHWM", max(rss, mm.hiwaterRSS)*pg)
		vm("VmRSS", rss*pg)
		vm("RssAnon", c.anon*pg)
		vm("RssFile", c.file*pg)
		vm("RssShmem", c.shmem*pg)
		vm("VmData", c.data*pg)
		vm("VmStk", c.stack*pg)
		vm("VmExe", c.text*pg)
		vm("VmLib", (c.exec-c.text)*pg)
		vm("VmPTE", c.ptes)
		vm("VmSwap", c.swap*pg)
		kB(&b, "HugetlbPages:\t", 0, 0)
	}
	if t.mm != nil { // task_core_dumping, task_thp_status, task_untag_mask
		line("CoreDumping", "0")
		line("THP_enabled", "1")
		line("untag_mask", "0xffffffffffffffff")
	}
	line("Threads", "1")
	line("SigQ", "0/7823")
	for _, s := range []string{"SigPnd", "ShdPnd", "SigBlk", "SigIgn", "SigCgt"} {
		if s == "SigIgn" {
			line(s, sigIgn)
			continue
		}
		line(s, "0000000000000000")
	}
	line("CapInh", "0000000000000000")
	line("CapPrm", caps)
	line("CapEff", caps)
	line("CapBnd", "000001ffffffffff")
	line("CapAmb", "0000000000000000")
	line("NoNewPrivs", "0")
	line("Seccomp", "0")
	line("Seccomp_filters", "0")
	line("Speculation_Store_Bypass", "vulnerable")
	line("SpeculationIndirectBranch", "always enabled")
	line("Cpus_allowed", strconv.FormatUint(t.affinity(), 16))
	line("Cpus_allowed_list", cpuList(t.affinity()))
	line("Mems_allowed", strings.Repeat("00000000,", 31)+"00000001")
	line("Mems_allowed_list", "0")
	line("voluntary_ctxt_switches", "0")
	line("nonvoluntary_ctxt_switches", "0")
	return b.String()
}

// showStatm is proc_pid_statm: size resident shared text lib data dt, in
// pages.
func showStatm(e *Engine, _, t *process) string {
	c := e.counters(t)
	f := []uint64{c.total, c.anon + c.file + c.shmem, c.file + c.shmem, t.mm.codePages(), 0, c.data + c.stack, 0}
	var b []byte
	for i, n := range f {
		if i > 0 {
			b = append(b, ' ')
		}
		b = strconv.AppendUint(b, n, 10)
	}
	return string(append(b, '\n'))
}

// codePages is task_statm's text: the pages of mm->start_code to
// end_code, as exec set them (0 for no mm).
func (m *mm) codePages() uint64 {
	if m == nil {
		return 0
	}
	return (pageAlign(m.endCode) - m.startCode&^uint64(engine.PageMask)) >> engine.PageShift
}
