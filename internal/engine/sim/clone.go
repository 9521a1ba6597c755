package sim

import (
	"encoding/binary"

	"github.com/mmapplayground/playground/internal/engine"
)

// clone and clone3, analogous to kernel/fork.c: a new process as fork
// makes it, with what the flags ask of it. The model's processes each have
// one address space and one thread (the interpreter's threads are
// pthreads), so the flags that would share an address space, signal
// handlers or a thread group are not modelled and answer ENOSYS. The
// namespace flags make namespaces as nsproxy.go's copyNamespaces does
// (an unprivileged user may make a user namespace, and the others in it).
//
//	check (clone3: copy_clone_args_from_user, clone3_args_valid)     errno
//	size > PAGE_SIZE                                                 E2BIG
//	size < CLONE_ARGS_SIZE_VER0                                      EINVAL
//	bytes past struct clone_args not zero                            E2BIG
//	struct not readable                                              EFAULT
//	set_tid_size > 32, set_tid and set_tid_size not both set/unset   EINVAL
//	exit_signal past CSIGNAL or not a signal                         EINVAL
//	CLONE_INTO_CGROUP with a size before VER2 or cgroup > INT_MAX    EINVAL
//	flags beyond the known ones, CLONE_DETACHED, a signal in flags   EINVAL
//	CLONE_SIGHAND with CLONE_CLEAR_SIGHAND                           EINVAL
//	CLONE_THREAD or CLONE_PARENT with an exit signal                 EINVAL
//	stack without stack_size or the other way round                  EINVAL
//	(copy_process) CLONE_NEWNS|CLONE_FS, CLONE_NEWUSER|CLONE_FS,     EINVAL
//	CLONE_THREAD without CLONE_SIGHAND, CLONE_SIGHAND without CLONE_VM
//	CLONE_PIDFD with CLONE_DETACHED or CLONE_THREAD                  EINVAL
//	namespace flags: copy_creds, copy_namespaces (nsproxy.go)        EPERM, EINVAL, ENOSPC, EUSERS
//	alloc_pid: a pid namespace whose pid 1 has exited                ENOMEM
//	(alloc_pid) set_tid_size past the namespace's level + 1          EINVAL
//	set_tid not readable                                             EFAULT
//	a tid < 1 or >= pid_max                                          EINVAL
//	set_tid: only root in the pid namespace may choose a pid         EPERM
//	CLONE_VM, CLONE_SIGHAND, CLONE_THREAD, CLONE_SETTLS,             ENOSYS
//	CLONE_PARENT, CLONE_CHILD_CLEARTID, CLONE_INTO_CGROUP, CLONE_PTRACE
//
// What is modelled: CLONE_FILES (one descriptor table, fdtable.go),
// CLONE_PIDFD (a pidfd at args.pidfd, pidfd.go), CLONE_PARENT_SETTID and
// CLONE_CHILD_SETTID (the child's pid stored), the exit signal,
// CLONE_CLEAR_SIGHAND (the interpreter resets the child's handlers), and
// as no-ops CLONE_VFORK (the interpreter runs one process at a time),
// CLONE_FS (one working directory), CLONE_SYSVSEM (no System V semaphores),
// CLONE_IO and CLONE_UNTRACED.

// cloneArgs is struct kernel_clone_args, as clone3's struct clone_args
// gives it.
type cloneArgs struct {
	flags                      uint64
	pidfd, childTid, parentTid uint64
	exitSignal                 uint64
	stack, stackSize, tls      uint64
	setTid, setTidSize, cgroup uint64
}

// cloneArgsSize is sizeof(struct clone_args) (CLONE_ARGS_SIZE_VER2).
const cloneArgsSize = engine.CLONE_ARGS_SIZE_VER2

// maxPidNSLevel is MAX_PID_NS_LEVEL, the most set_tid entries.
const maxPidNSLevel = 32

// cloneNamespaces are the flags that make namespaces.
const cloneNamespaces = engine.CLONE_NEWNS | engine.CLONE_NEWCGROUP | engine.CLONE_NEWUTS | engine.CLONE_NEWIPC |
	engine.CLONE_NEWUSER | engine.CLONE_NEWPID | engine.CLONE_NEWNET | engine.CLONE_NEWTIME

// cloneUnmodelled are the flags the model cannot honour.
const cloneUnmodelled = engine.CLONE_VM | engine.CLONE_SIGHAND | engine.CLONE_THREAD | engine.CLONE_SETTLS |
	engine.CLONE_PARENT | engine.CLONE_CHILD_CLEARTID | engine.CLONE_INTO_CGROUP | engine.CLONE_PTRACE

// sysClone3 is clone3(uargs, size).
func (e *Engine) sysClone3(p *process, uargs, size uint64, path *[]string) (int64, engine.Errno) {
	*path = append(*path, "copy_clone_args_from_user")
	if size > engine.PageSize {
		return -1, engine.E2BIG
	}
	if size < engine.CLONE_ARGS_SIZE_VER0 {
		return -1, engine.EINVAL
	}
	b := make([]byte, size)
	if err := e.copyFromUser(p, uargs, b); err != 0 {
		return -1, err
	}
	for _, x := range b[min(size, cloneArgsSize):] {
		if x != 0 { // copy_struct_from_user
			return -1, engine.E2BIG
		}
	}
	var w [cloneArgsSize / 8]uint64
	for i := range w {
		if uint64(i*8) < size {
			w[i] = binary.LittleEndian.Uint64(b[i*8:])
		}
	}
	a := cloneArgs{flags: w[0], pidfd: w[1], childTid: w[2], parentTid: w[3], exitSignal: w[4],
		stack: w[5], stackSize: w[6], tls: w[7], setTid: w[8], setTidSize: w[9], cgroup: w[10]}
	switch {
	case a.setTidSize > maxPidNSLevel, a.setTid == 0 && a.setTidSize > 0, a.setTid != 0 && a.setTidSize == 0:
		return -1, engine.EINVAL
	case a.exitSignal&^engine.CSIGNAL != 0 || a.exitSignal > 64:
		return -1, engine.EINVAL
	case a.flags&engine.CLONE_INTO_CGROUP != 0 && (a.cgroup > 0x7fffffff || size < engine.CLONE_ARGS_SIZE_VER2):
		return -1, engine.EINVAL
	}
	// clone3_args_valid
	switch {
	case a.flags&^(0xffffffff|engine.CLONE_CLEAR_SIGHAND|engine.CLONE_INTO_CGROUP) != 0,
		a.flags&(engine.CLONE_DETACHED|(engine.CSIGNAL&^engine.CLONE_NEWTIME)) != 0,
		a.flags&(engine.CLONE_SIGHAND|engine.CLONE_CLEAR_SIGHAND) == engine.CLONE_SIGHAND|engine.CLONE_CLEAR_SIGHAND,
		a.flags&(engine.CLONE_THREAD|engine.CLONE_PARENT) != 0 && a.exitSignal != 0,
		a.stack == 0 && a.stackSize != 0, a.stack != 0 && a.stackSize == 0:
		return -1, engine.EINVAL
	}
	return e.kernelClone(p, a, path)
}

// sysClone is the legacy clone(flags, stack, parent_tid, child_tid, tls):
// the exit signal in the flags' low byte.
func (e *Engine) sysClone(p *process, flags, stack, ptid, ctid, tls uint64, path *[]string) (int64, engine.Errno) {
	a := cloneArgs{flags: flags &^ engine.CSIGNAL, exitSignal: flags & engine.CSIGNAL, stack: stack,
		parentTid: ptid, childTid: ctid, tls: tls}
	if a.flags&engine.CLONE_PIDFD != 0 {
		a.pidfd = ptid // clone's pidfd goes where parent_tid points
		if a.flags&engine.CLONE_PARENT_SETTID != 0 {
			return -1, engine.EINVAL
		}
	}
	return e.kernelClone(p, a, path)
}

// kernelClone is kernel_clone and copy_process's checks, then fork.
func (e *Engine) kernelClone(p *process, a cloneArgs, path *[]string) (int64, engine.Errno) {
	f := a.flags
	switch {
	case f&(engine.CLONE_NEWNS|engine.CLONE_FS) == engine.CLONE_NEWNS|engine.CLONE_FS,
		f&(engine.CLONE_NEWUSER|engine.CLONE_FS) == engine.CLONE_NEWUSER|engine.CLONE_FS,
		f&engine.CLONE_THREAD != 0 && f&engine.CLONE_SIGHAND == 0,
		f&engine.CLONE_SIGHAND != 0 && f&engine.CLONE_VM == 0,
		f&engine.CLONE_PIDFD != 0 && f&(engine.CLONE_DETACHED|engine.CLONE_THREAD) != 0:
		return -1, engine.EINVAL
	case f&cloneUnmodelled != 0:
		return -1, engine.ENOSYS
	}
	if a.setTid != 0 {
		// alloc_pid in the caller's pid namespace, of level 0.
		if a.setTidSize > 1 {
			return -1, engine.EINVAL
		}
		var b [4]byte
		if err := e.copyFromUser(p, a.setTid, b[:]); err != 0 {
			return -1, err
		}
		if tid := int32(binary.LittleEndian.Uint32(b[:])); tid < 1 || tid >= pidMax {
			return -1, engine.EINVAL
		}
		return -1, engine.EPERM // checkpoint_restore_ns_capable
	}
	pidfdSlot := -1
	if f&engine.CLONE_PIDFD != 0 {
		// pidfd_prepare: the descriptor is reserved before the child is
		// made, installed once it is.
		pidfdSlot = p.files.unusedFd(0)
		if uint64(pidfdSlot) >= p.nofile() {
			return -1, engine.EMFILE
		}
	}
	child, err := e.fork(p, f, path)
	if err != 0 {
		return -1, err
	}
	e.forked = child
	pid := int64(e.pidVnr(p, child))
	child.sys.exitSignal = int(a.exitSignal)
	if f&engine.CLONE_FILES != 0 {
		for _, x := range child.files.fd {
			if x != nil {
				x.refs--
			}
		}
		child.files = p.files
		p.files.count++
	}
	var tid [4]byte
	binary.LittleEndian.PutUint32(tid[:], uint32(pid))
	if f&engine.CLONE_PIDFD != 0 {
		fd := e.installPidfd(p, child, pidfdSlot, engine.O_CLOEXEC)
		var b [4]byte
		binary.LittleEndian.PutUint32(b[:], uint32(fd))
		if err := e.copyToUser(p, a.pidfd, b[:], nil); err != 0 {
			return -1, err
		}
	}
	if f&engine.CLONE_PARENT_SETTID != 0 {
		if err := e.copyToUser(p, a.parentTid, tid[:], nil); err != 0 {
			return -1, err
		}
	}
	if f&engine.CLONE_CHILD_SETTID != 0 {
		if err := e.copyToUser(child, a.childTid, tid[:], nil); err != 0 {
			return -1, err
		}
	}
	return pid, 0
}

// sysUnshare is ksys_unshare(flags): EINVAL for flags unshare does not
// take; the namespaces as nsproxy.go makes them (unshare_userns, then
// unshare_nsproxy_namespaces); CLONE_FILES gives the caller a table of its own; the rest (CLONE_FS,
// CLONE_SYSVSEM, and CLONE_THREAD, CLONE_SIGHAND, CLONE_VM of a process
// whose one thread the engine sees) have nothing shared to undo.
func (e *Engine) sysUnshare(p *process, flags uint64, path *[]string) (int64, engine.Errno) {
	*path = append(*path, "ksys_unshare")
	const known = engine.CLONE_THREAD | engine.CLONE_FS | engine.CLONE_NEWNS | engine.CLONE_SIGHAND | engine.CLONE_VM |
		engine.CLONE_FILES | engine.CLONE_SYSVSEM | engine.CLONE_NEWUTS | engine.CLONE_NEWIPC | engine.CLONE_NEWNET |
		engine.CLONE_NEWUSER | engine.CLONE_NEWPID | engine.CLONE_NEWCGROUP | engine.CLONE_NEWTIME
	if flags&^known != 0 {
		return -1, engine.EINVAL
	}
	if flags&cloneNamespaces != 0 {
		*path = append(*path, "unshare_nsproxy_namespaces")
		if err := e.unshareNamespaces(p, flags); err != 0 {
			return -1, err
		}
	}
	if flags&engine.CLONE_FILES != 0 && p.files.count > 1 {
		nf := p.files.dupFd()
		p.files.count--
		p.files = nf
	}
	return 0, 0
}
