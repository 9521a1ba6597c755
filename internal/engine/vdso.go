package engine

// VDSO is implemented by an engine whose processes have a vDSO that the
// interpreter can call: the simulated kernel's. A program finds the vDSO's
// functions as glibc and the kernel's selftests do (the ELF image at
// getauxval(AT_SYSINFO_EHDR), or dlsym on "linux-vdso.so.1") and calls them
// through a function pointer; the interpreter runs no machine code, so it
// hands such a call to the engine, which does what the vDSO's code does.
type VDSO interface {
	// VDSOBase is process pid's AT_SYSINFO_EHDR: where execve mapped its
	// vDSO image, 0 when it has none.
	VDSOBase(pid int) uint64
	// VDSOLookup is where the vDSO of process pid defines name (a
	// function of its dynamic symbol table, at its default version, as
	// dlsym finds it), 0 when it defines none.
	VDSOLookup(pid int, name string) uint64
	// CallVDSO runs the function of process pid's vDSO (or of the
	// vsyscall page) that starts at addr with args, as a call through a
	// pointer would, and tells it as an EvVDSO event (or, for the
	// vsyscall page and for what the vDSO leaves to the kernel, as the
	// system call it makes). A call to an address whose instruction
	// fetch faults (nothing mapped there, or not executable) is that
	// fault's Signal; ok is false when the fetch finds code but no
	// function the engine runs starts at addr.
	// Ret is the function's own return value: the vDSO returns -errno
	// where the system call fails, not -1. A store the function makes to
	// a bad pointer is the program's own: Signal is set.
	CallVDSO(pid int, addr uint64, args []int64) (r Result, ok bool)
}

// LinkMap is one object of a process's dynamic loader's list (its struct
// link_map, as dl_iterate_phdr walks them): its name (dlpi_name: "" for
// the program) and its load address (l_addr, dlpi_addr), where its ELF
// header and program headers are mapped.
type LinkMap struct {
	Name string
	Addr uint64
}

// Loader is an engine that lays a process out as ld.so does, with the
// objects' headers in memory: the simulated kernel.
type Loader interface {
	// LinkMaps are process pid's objects in ld.so's order.
	LinkMaps(pid int) []LinkMap
}
