package sim

import (
	"strconv"
	"strings"

	"github.com/mmapplayground/playground/internal/engine"
)

// /proc/sys/vm and /proc/meminfo, analogous to kernel/sysctl.c's vm_table
// and fs/proc/meminfo.c's meminfo_proc_show, from the model's settings and
// its physical memory.

// sysctlVM are the /proc/sys/vm files the model has, each from its setting
// or its fixed behaviour. The values without a setting are Linux's
// defaults, which this machine's kernel has too.
var sysctlVM = map[string]func(e *Engine) string{
	"max_map_count":             func(e *Engine) string { return strconv.Itoa(e.opts.MaxMapCount) },
	"overcommit_memory":         func(*Engine) string { return "0" },
	"overcommit_ratio":          func(*Engine) string { return "50" },
	"mmap_min_addr":             func(*Engine) string { return strconv.Itoa(mmapMinAddr) },
	"page-cluster":              func(*Engine) string { return "3" },
	"swappiness":                func(*Engine) string { return "60" },
	"dirty_expire_centisecs":    func(e *Engine) string { return strconv.FormatUint(e.opts.DirtyExpire/1e7, 10) },
	"dirty_writeback_centisecs": func(e *Engine) string { return strconv.FormatUint(e.opts.WritebackInterval/1e7, 10) },
	"dirty_ratio":               func(*Engine) string { return "20" },
	"dirty_background_ratio":    func(*Engine) string { return "10" },
	// userfaultfd.go: an unprivileged user's userfaultfd needs
	// UFFD_USER_MODE_ONLY.
	"unprivileged_userfaultfd": func(*Engine) string { return "0" },
}

// showMeminfo is meminfo_proc_show over the model's frames.
func showMeminfo(e *Engine, _, _ *process) string {
	m := &e.mem
	var dirty, writeback, mapped, shmem, mlocked, committed uint64
	for i := int32(0); i < m.n; i++ {
		f := m.f(i)
		switch f.use {
		case useFile:
			if e.fs.inodes[f.ino].kind == kindShmem {
				shmem++
			} else if f.flags&pgDirty != 0 {
				dirty++
			}
			if f.flags&pgWriteback != 0 {
				writeback++
			}
			if f.mapcnt > 0 {
				mapped++
			}
		}
		if f.flags&pgMlocked != 0 && (f.use == useAnon || f.use == useFile) {
			mlocked++
		}
	}
	var anonHuge uint64
	for _, p := range e.procs {
		if p.mm == nil {
			continue
		}
		for _, v := range p.mm.vmas {
			if v.flags&vmAccount != 0 {
				committed += v.pages()
			}
		}
		// PMD-mapped anonymous folios (the huge zero page is no anon page).
		e.forEachMapped(p, 0, engine.TaskSize, func(_, pte uint64, huge bool) {
			if huge && pte&ptePresent != 0 && m.f(idxOf(ptePFN(pte))).use == useAnon {
				anonHuge++
			}
		})
	}
	const pg = engine.PageSize
	free := m.total - m.used
	file := m.lru[lruActiveFile].n + m.lru[lruInactiveFile].n
	var b strings.Builder
	f := func(label string, pages uint64) { kB(&b, label, 16, pages*pg) }
	f("MemTotal:", m.total)
	f("MemFree:", free)
	f("MemAvailable:", free+file)
	f("Buffers:", 0)
	f("Cached:", m.byUse[useFile])
	f("SwapCached:", 0)
	f("Active:", m.lru[lruActiveAnon].n+m.lru[lruActiveFile].n)
	f("Inactive:", m.lru[lruInactiveAnon].n+m.lru[lruInactiveFile].n)
	f("Active(anon):", m.lru[lruActiveAnon].n)
	f("Inactive(anon):", m.lru[lruInactiveAnon].n)
	f("Active(file):", m.lru[lruActiveFile].n)
	f("Inactive(file):", m.lru[lruInactiveFile].n)
	f("Unevictable:", mlocked)
	f("Mlocked:", mlocked)
	f("SwapTotal:", e.swap.total)
	f("SwapFree:", e.swap.total-e.swap.used)
	f("Zswap:", 0)
	f("Zswapped:", 0)
	f("Dirty:", dirty)
	f("Writeback:", writeback)
	f("AnonPages:", m.byUse[useAnon])
	f("Mapped:", mapped)
	f("Shmem:", shmem)
	f("KReclaimable:", 0)
	f("Slab:", 0)
	f("SReclaimable:", 0)
	f("SUnreclaim:", 0)
	f("KernelStack:", 0)
	f("PageTables:", m.byUse[usePageTable])
	f("SecPageTables:", 0)
	f("NFS_Unstable:", 0)
	f("Bounce:", 0)
	f("WritebackTmp:", 0)
	f("CommitLimit:", m.total/2+e.swap.total) // overcommit_ratio 50
	f("Committed_AS:", committed)
	kB(&b, "VmallocTotal:", 16, 34359738367<<10)
	f("VmallocUsed:", 0)
	f("VmallocChunk:", 0)
	f("Percpu:", 0)
	f("AnonHugePages:", anonHuge)
	f("ShmemHugePages:", 0)
	f("ShmemPmdMapped:", 0)
	f("FileHugePages:", 0)
	f("FilePmdMapped:", 0)
	f("Balloon:", 0)
	b.WriteString("HugePages_Total:       0\nHugePages_Free:        0\nHugePages_Rsvd:        0\nHugePages_Surp:        0\n")
	kB(&b, "Hugepagesize:", 16, hpageSize)
	f("Hugetlb:", 0)
	f("DirectMap4k:", 0)
	f("DirectMap2M:", m.total)
	f("DirectMap1G:", 0)
	return b.String()
}
