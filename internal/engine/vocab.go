package engine

// The event vocabulary: every event type and fault kind, once. The JSON
// Schema's enums (docs/events.schema.json) and the page's tables
// (web/static/linux.js) are checked against or made from these lists.

// EventTypes lists every event type, in the order docs/events.md gives them.
func EventTypes() []string {
	return []string{EvExec, EvSyscall, EvVDSO, EvVMA, EvPTE, EvPgtable, EvFault, EvPageCache, EvFrame,
		EvCopy, EvDisk, EvReclaim, EvSignal, EvProcess, EvStdout, EvStderr, EvCheckpoint,
		EvError, EvNote, EvDiff, EvDropped, EvMove, EvExit}
}

// FaultKind is how a page fault was handled (Event.Kind), named for the
// kernel path that handled it.
type FaultKind string

// Fault kinds.
const (
	FaultAnonZero    FaultKind = "anon-zero-page" // a read of untouched anonymous memory: the shared zero page
	FaultAnon        FaultKind = "anon"           // do_anonymous_page allocated a zeroed frame
	FaultFileMinor   FaultKind = "file-minor"     // the file page was in the page cache
	FaultFileMajor   FaultKind = "file-major"     // the file page was read from disk
	FaultCOW         FaultKind = "cow"            // a private copy was made (do_cow_fault, wp_page_copy)
	FaultSharedWrite FaultKind = "shared-write"   // a write to a shared file page (do_shared_fault, page_mkwrite)
	FaultSwap        FaultKind = "swap"           // the page was read back from swap
	FaultWPReuse     FaultKind = "wp-reuse"       // a write-protected page its only user may keep (wp_page_reuse)
	FaultStack       FaultKind = "stack"          // an anonymous fault below [stack] that grew it
	FaultMapErr      FaultKind = "segv-maperr"    // no area: SIGSEGV, SEGV_MAPERR
	FaultAccErr      FaultKind = "segv-accerr"    // the area forbids the access: SIGSEGV, SEGV_ACCERR
	FaultSigbus      FaultKind = "sigbus"         // past the end of the file: SIGBUS
)

// FaultKinds lists every fault kind.
func FaultKinds() []FaultKind {
	return []FaultKind{FaultAnonZero, FaultAnon, FaultFileMinor, FaultFileMajor, FaultCOW,
		FaultSharedWrite, FaultSwap, FaultWPReuse, FaultStack, FaultMapErr, FaultAccErr, FaultSigbus}
}

// EventOps lists, for each event type that has an op (Event.Op), every op
// the engines and the interpreter write for it. docs/events.schema.json's
// per-type enums and docs/events.md's rows are held to it
// (TestSchemaOpsAndReasonsAreTheTables), and every example's events to the
// schema, so a new op fails a test until it is here and documented.
func EventOps() map[string][]string {
	return map[string][]string{
		EvVMA:       {"add", "remove", "change"},
		EvPTE:       {"set", "change", "clear"},
		EvPgtable:   {"alloc", "free"},
		EvFrame:     {"free"},
		EvPageCache: {"add", "dirty", "writeback", "clean", "evict"},
		EvDisk:      {"read", "write"},
		EvProcess:   {"fork", "exit"},
		EvSignal:    {"handler", "ptrace-stop"},
	}
}

// EventReasons lists, for each event type that has a reason (Event.Why),
// every reason written for it: the call or kernel mechanism that caused
// the change, as Linux names it (a system call, an madvise advice, a
// kernel function). Held to the schema and the docs as EventOps is.
func EventReasons() map[string][]string {
	unmap := []string{"munmap", "mremap", "MAP_FIXED", "brk", "exit"} // unmapRange's callers
	return map[string][]string{
		EvVMA: append([]string{"exec", "fork", "mmap", "mprotect", "madvise", "mlock", "munlock",
			"split", "merge", "stack", "remap_pfn_range", "userfaultfd"}, unmap...),
		EvPTE: append([]string{"fault-around", "fork", "mmap", "mlock", "madvise", "mprotect", "mkclean",
			"remap_pfn_range", "MADV_DONTNEED", "MADV_FREE", "MADV_REMOVE", "truncate", "swap-out", "reclaim",
			"split_huge_pmd", "process_mrelease", "userfaultfd"}, unmap...),
		EvFrame:     append([]string{"MADV_DONTNEED", "truncate", "process_mrelease"}, unmap...),
		EvPageCache: {"readahead", "msync", "fsync", "fadvise", "writeback", "reclaim", "evict", "truncate", "MADV_REMOVE"},
		EvDisk:      {"fault", "readahead", "swap", "msync", "fsync", "fadvise", "writeback", "reclaim"},
		EvReclaim:   {"alloc", "MADV_PAGEOUT"},
	}
}
