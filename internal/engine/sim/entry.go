package sim

import "github.com/mmapplayground/playground/internal/engine"

// The return to user space from a system call (arch/x86/entry's
// syscall_exit_to_user_mode, then sysret): the process resumes at the
// instruction after its C library wrapper's syscall instruction, which the
// CPU fetches from the process's own address space. A call that took
// libc's code away (munmap of everything, mprotect of libc's text without
// PROT_EXEC, a MAP_FIXED mapping over it) faults there on the fetch: the
// SIGSEGV of do_user_addr_fault for an instruction fetch, SEGV_MAPERR where
// no area is left, SEGV_ACCERR where the area is not executable.
//
// The interpreter's library is not libc's code, so only the wrappers of
// the calls that can take code away are placed: at their offsets in this
// machine's libc.so.6 (objdump -d), the instruction after the syscall.
// The program's own text, and the stack the wrapper's ret reads, are not
// fetched: the interpreter runs no machine code.
var libcSyscallReturns = map[string]map[string]uint64{
	"glibc-2.36": {
		"mmap":     0x1019b3,
		"munmap":   0x101a07,
		"mprotect": 0x101a37,
		"madvise":  0x101b07,
		"mremap":   0x109a00,
	},
}

// ReturnFault is the fault process pid takes fetching the instruction its
// wrapper of call returns to (nil: none, or a call whose wrapper the model
// does not place). Its fault event is told, as any fault's.
func (e *Engine) ReturnFault(pid int, call string) *engine.Signal {
	p := e.proc(pid)
	off, ok := libcSyscallReturns[e.opts.Libc][call]
	if !ok || p == nil || p.exited || p.mm == nil || p.mm.libcBase == 0 {
		return nil
	}
	addr := p.mm.libcBase + off
	if v := p.mm.findVMA(addr); v != nil && v.start <= addr && v.flags&vmExec != 0 {
		return nil
	}
	return e.fetch(p, addr)
}
