package engine

import "strings"

// VMA is one area of an address space, analogous to Linux's
// struct vm_area_struct as /proc/pid/maps shows it.
type VMA struct {
	Start uint64 `json:"start"`
	End   uint64 `json:"end"`
	// Perms is the maps column: "rw-s", "r-xp".
	Perms string `json:"perms"`
	// Flags are the vm_flags beyond the perms, by their kernel names without
	// the VM_ prefix: "MAYREAD", "MAYWRITE", "MAYEXEC", "MAYSHARE", "IO",
	// "PFNMAP", "LOCKED", "DONTEXPAND", "GROWSDOWN", "NORESERVE", "ACCOUNT",
	// "SOFTDIRTY"...
	Flags  []string `json:"flags,omitempty"`
	Offset uint64   `json:"offset"`
	// File is the mapped file's name, "[heap]", "[stack]", "/dev/zero
	// (deleted)" for shared anonymous memory as Linux shows it, or "".
	File         string `json:"file"`
	PresentPages int    `json:"present_pages"`
	// Loader marks an area that execve and the dynamic loader made (the
	// image, the C library and its neighbours, the vDSO, the stack), not
	// the program.
	Loader bool `json:"loader,omitempty"`
}

// Pages is the area's length in pages.
func (v VMA) Pages() uint64 { return (v.End - v.Start) >> PageShift }

// HasFlag reports whether the area has vm flag f ("IO", "PFNMAP").
func (v VMA) HasFlag(f string) bool {
	for _, g := range v.Flags {
		if g == f {
			return true
		}
	}
	return false
}

// MapsLine formats the area as one line of /proc/pid/maps:
// "7f0000000000-7f0000001000 rw-s 00000000 00:00 0    data.bin".
func (v VMA) MapsLine() string {
	var b strings.Builder
	b.WriteString(pad(hex(v.Start), 8))
	b.WriteByte('-')
	b.WriteString(pad(hex(v.End), 8))
	b.WriteByte(' ')
	b.WriteString(v.Perms)
	b.WriteByte(' ')
	b.WriteString(pad(hex(v.Offset), 8))
	b.WriteString(" 00:00 0")
	if v.File != "" {
		b.WriteString(strings.Repeat(" ", 19))
		b.WriteString(v.File)
	}
	return b.String()
}

func pad(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return strings.Repeat("0", n-len(s)) + s
}

// PageState is what one virtual page is, for the page map.
type PageState uint8

// Page states, in the order the page map's legend lists them.
const (
	PageNone    PageState = iota // no present PTE
	PageZero                     // mapped to the shared zero page
	PageClean                    // present, not dirty
	PageDirty                    // present and dirty
	PageCOW                      // present, write-protected, shared copy-on-write
	PageSwapped                  // a swap entry in the PTE
	PageLocked                   // present and mlocked
	PageDevice                   // a PFN mapping of device memory (VM_PFNMAP)
)

var pageStateNames = [...]string{"none", "zero", "clean", "dirty", "cow", "swapped", "locked", "device"}

func (s PageState) String() string {
	if int(s) < len(pageStateNames) {
		return pageStateNames[s]
	}
	return "unknown"
}

// MarshalText writes the state's name.
func (s PageState) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// PageStateNames lists the states by value, for legends and schemas.
func PageStateNames() []string { return append([]string(nil), pageStateNames[:]...) }

// PTE bits, as x86-64 defines them (_PAGE_PRESENT...), plus soft-dirty.
type PTEBits uint16

const (
	PTEPresent   PTEBits = 1 << iota // _PAGE_PRESENT
	PTEWrite                         // _PAGE_RW
	PTEUser                          // _PAGE_USER
	PTEAccessed                      // _PAGE_ACCESSED
	PTEDirty                         // _PAGE_DIRTY
	PTENoExec                        // _PAGE_NX
	PTESoftDirty                     // _PAGE_SOFT_DIRTY
	PTESpecial                       // _PAGE_SPECIAL (pfn mappings, zero page)
)

var pteBitNames = [...]string{"present", "write", "user", "accessed", "dirty", "nx", "soft-dirty", "special"}

// String is the set bits joined by "|": "present|write|user|accessed|dirty".
func (b PTEBits) String() string {
	var parts []string
	for i, n := range pteBitNames {
		if b&(1<<i) != 0 {
			parts = append(parts, n)
		}
	}
	return strings.Join(parts, "|")
}

// PTEBitNames lists the bits' names by bit number, for the page.
func PTEBitNames() []string { return append([]string(nil), pteBitNames[:]...) }

// PageInfo is one virtual page as the page map and show_pages see it.
type PageInfo struct {
	Addr  uint64    `json:"addr"`
	State PageState `json:"state"`
	Bits  PTEBits   `json:"-"`
	Flags string    `json:"bits"`
	PFN   uint64    `json:"pfn,omitempty"`
	// MapCount is how many PTEs map the frame (page_mapcount); Mappers are
	// the pids of the processes that map it, when known.
	MapCount int   `json:"map_count,omitempty"`
	Mappers  []int `json:"mappers,omitempty"`
	// InPageCache reports the frame belongs to a file's page cache.
	InPageCache bool `json:"page_cache,omitempty"`
}

// WalkLevel is one level of a page-table walk.
type WalkLevel struct {
	Level   string `json:"level"` // "PGD", "PUD", "PMD", "PTE"
	Index   int    `json:"index"` // 0..511
	Entry   uint64 `json:"entry"` // the raw entry
	Present bool   `json:"present"`
	// Table is the frame of the next-level table (or of the page, at PTE).
	PFN uint64 `json:"pfn,omitempty"`
}

// Walk is the walk of the four levels for one address.
type Walk struct {
	Addr   uint64      `json:"addr"`
	Levels []WalkLevel `json:"levels"`
	// Bits and PFN are the final PTE's, when the walk reached one.
	Bits  string `json:"bits"`
	PFN   uint64 `json:"pfn,omitempty"`
	State string `json:"state"`
	// VMA is the area containing Addr, if any.
	VMA *VMA `json:"vma,omitempty"`
	// Note explains what the walk could not see (the real engine without
	// root shows no frame numbers).
	Note string `json:"note,omitempty"`
}

// Counters are the engine's running totals; the exit event carries them.
type Counters struct {
	Syscalls       uint64 `json:"syscalls"`
	MinorFaults    uint64 `json:"minor_faults"`
	MajorFaults    uint64 `json:"major_faults"`
	COWFaults      uint64 `json:"cow_faults"`
	ZeroPageMaps   uint64 `json:"zero_page_maps"`
	CopyToUser     uint64 `json:"copy_to_user_bytes"`
	CopyFromUser   uint64 `json:"copy_from_user_bytes"`
	Copies         uint64 `json:"copies"`
	DiskReads      uint64 `json:"disk_reads"`
	DiskWrites     uint64 `json:"disk_writes"`
	SwapOuts       uint64 `json:"swap_outs"`
	SwapIns        uint64 `json:"swap_ins"`
	PagesReclaimed uint64 `json:"pages_reclaimed"`
	PTEsSet        uint64 `json:"ptes_set"`
	TablesAlloc    uint64 `json:"tables_alloc"`
	TablesFreed    uint64 `json:"tables_freed"`
}

// State is an engine's whole state for the views.
type State struct {
	Engine    string         `json:"engine"`
	Clock     uint64         `json:"clock"`
	Processes []ProcessState `json:"processes"`
	Memory    MemoryState    `json:"memory"`
	Files     []FileState    `json:"files"`
	Counters  Counters       `json:"counters"`
	// Notes say what this engine cannot show here, in words for the user.
	Notes []string `json:"notes,omitempty"`
}

// ProcessState is one process: its areas and page-table summary.
type ProcessState struct {
	Pid    int    `json:"pid"`
	Parent int    `json:"parent,omitempty"`
	Exited bool   `json:"exited,omitempty"`
	VMAs   []VMA  `json:"vmas"`
	RSS    uint64 `json:"rss_pages"`
	// Tables counts the page-table pages at each level (PUD, PMD, PTE).
	Tables map[string]int `json:"tables"`
}

// MemoryState is physical memory: frames by use, and the LRU lists.
type MemoryState struct {
	TotalPages     uint64 `json:"total_pages"`
	FreePages      uint64 `json:"free_pages"`
	AnonPages      uint64 `json:"anon_pages"`
	FilePages      uint64 `json:"file_pages"`
	PageTablePages uint64 `json:"page_table_pages"`
	DevicePages    uint64 `json:"device_pages"`
	SwapPages      uint64 `json:"swap_pages"`
	SwapUsed       uint64 `json:"swap_used"`
	ActiveAnon     uint64 `json:"active_anon"`
	InactiveAnon   uint64 `json:"inactive_anon"`
	ActiveFile     uint64 `json:"active_file"`
	InactiveFile   uint64 `json:"inactive_file"`
	// Frames lists the frames in use that more than one PTE or the page
	// cache share, and every file frame; anonymous frames mapped once are
	// only counted, to keep the state small for a 1 GiB program.
	Frames []FrameState `json:"frames,omitempty"`
}

// FrameState is one physical frame.
type FrameState struct {
	PFN      uint64 `json:"pfn"`
	Use      string `json:"use"` // "anon", "file", "zero", "device", "pagetable"
	RefCount int    `json:"ref_count"`
	MapCount int    `json:"map_count"`
	Mappers  []int  `json:"mappers,omitempty"`
	File     string `json:"file,omitempty"`
	Index    uint64 `json:"index,omitempty"`
	Dirty    bool   `json:"dirty,omitempty"`
}

// FileState is one file: its size on disk and its page cache
// (its struct address_space).
type FileState struct {
	Name  string      `json:"name"`
	Size  uint64      `json:"size"`
	Pages []CachePage `json:"pages"`
}

// CachePage is one page of a file's page cache.
type CachePage struct {
	Index    uint64 `json:"index"`
	PFN      uint64 `json:"pfn"`
	State    string `json:"state"` // "clean", "dirty", "writeback"
	MapCount int    `json:"map_count"`
}
