// Package realkernel is the real engine: the host's own Linux kernel behind
// the engine.Engine interface.
//
// It runs inside the sandboxed worker (package sandbox), one program per
// process. A system call the program makes is the kernel's own, made through
// golang.org/x/sys/unix with the program's addresses passed through; a load
// or store touches the real mapped memory, and a SIGSEGV or SIGBUS it takes
// is turned by debug.SetPanicOnFault into an *engine.Signal, as the kernel
// would have delivered it to a C program.
//
// What the engine watches, and how:
//
//	areas        /proc/self/maps and smaps, limited to the ranges the program
//	             mapped (the engine's own record of which call made which
//	             range; the kernel merges adjacent areas, the record does not)
//	page state   /proc/self/pagemap (present, swapped, file or shared-anon,
//	             exclusive, soft-dirty; frame numbers only as root) and, as
//	             root, /proc/kpageflags and /proc/kpagecount
//	page cache   mincore over a private view of each file, cachestat counts
//	faults       tiers chosen at New by trying each mechanism once:
//	               perf_event_open page-fault samples (exact addresses),
//	               getrusage(RUSAGE_THREAD) counts around an access,
//	               a pagemap comparison of the pages an access touched;
//	             userfaultfd is probed and reported
//
// A page the program has already touched (and that none of its own calls
// has since unmapped, advised away or write-protected) cannot fault again,
// so an access to it is a plain copy: the engine remembers such pages and
// observes only the first touch. docs/real-engine.md says what each tier
// shows and what it misses; docs/differences.md says where the kernel and
// the model differ.
//
// The program's memory lives in the worker's own address space, beside the
// Go runtime's. The engine keeps the two apart: an access, a buffer passed
// to a system call, or a MAP_FIXED, munmap, mprotect or mremap that would
// touch memory the program did not map is answered as if that memory were
// not there (SIGSEGV, EFAULT, ENOMEM).
//
// fork cannot be made safely by a Go process; it answers ENOSYS with a
// note. Programs that fork run on the simulated engine.
package realkernel
