package sim

import (
	"github.com/mmapplayground/playground/internal/engine"
)

// Syscall makes one system call for pid, dispatching on its name as strace
// prints it, and tells it as a syscall event with the kernel path taken.
func (e *Engine) Syscall(pid int, c engine.Call) engine.Result {
	p := e.proc(pid)
	if p == nil || p.exited {
		return engine.Result{Ret: -1, Errno: engine.ESRCH}
	}
	arg := func(i int) int64 {
		if i < len(c.Args) {
			return c.Args[i]
		}
		return 0
	}
	u := func(i int) uint64 { return uint64(arg(i)) }
	e.advance(costSyscall)
	e.cnt.Syscalls++
	path := make([]string, 0, 8)
	var r engine.Result
	fail := func(ret int64, err engine.Errno) {
		r.Ret = ret
		if err != 0 {
			r.Ret, r.Errno = -1, err
		}
	}
	nr, _ := engine.SyscallByName(c.Name)
	p.noteCall(nr, c)
	e.fs.noSymfollow = nil
	if p.sys.ns.ns[nsMnt] != nil {
		e.fs.noSymfollow = e.noSymfollowIn(p) // mount.go
	}
	switch nr {
	case engine.SYS_open:
		if name, err := e.atPath(p, engine.AT_FDCWD, c.Path); err != 0 {
			fail(-1, err)
		} else {
			fail(e.sysOpen(p, name, int(arg(1)), uint32(arg(2)), &path))
		}
	case engine.SYS_chdir:
		fail(e.sysChdir(p, c.Path))
	case engine.SYS_fchdir:
		fail(e.sysFchdir(p, arg(0)))
	case engine.SYS_getcwd:
		fail(e.sysGetcwd(p, u(0), u(1)))
	case engine.SYS_openat:
		if name, err := e.atPath(p, arg(0), c.Path); err != 0 {
			fail(-1, err)
		} else {
			fail(e.sysOpen(p, name, int(arg(2)), uint32(arg(3)), &path))
		}
	case engine.SYS_openat2:
		fail(e.sysOpenat2(p, arg(0), c.Path, u(2), u(3), &path))
	case engine.SYS_epoll_create:
		if arg(0) <= 0 {
			fail(-1, engine.EINVAL)
			break
		}
		fail(e.sysEpollCreate1(p, 0, &path))
	case engine.SYS_epoll_create1:
		fail(e.sysEpollCreate1(p, int64(int32(arg(0))), &path))
	case engine.SYS_epoll_ctl:
		fail(e.sysEpollCtl(p, arg(0), int64(int32(arg(1))), arg(2), u(3)))
	case engine.SYS_epoll_wait, engine.SYS_epoll_pwait:
		r = e.sysEpollWait(p, arg(0), u(1), int64(int32(arg(2))), int64(int32(arg(3))), &path)
		if r.Block {
			e.cnt.Syscalls--
			p.sys.call.wchan = "do_epoll_wait"
			return r
		}
	case engine.SYS_close:
		fail(e.sysClose(p, arg(0)))
	case engine.SYS_read, engine.SYS_write:
		if f := p.fd(arg(0)); f != nil && f.ino.sock != nil && arg(2) >= 0 {
			if nr == engine.SYS_read {
				r = e.unixRecv(p, f, u(1), arg(2), 0, true, &path)
			} else {
				r = e.unixSend(p, f, u(1), arg(2), 0, 0, &path)
			}
			if r.Block {
				e.cnt.Syscalls--
				p.sys.call.wchan = "unix_" + c.Name
				return r
			}
			break
		}
		if f := p.fd(arg(0)); f != nil && (f.ino.pipe != nil || f.ino.eventfd != nil || f.ino.uffd != nil) && arg(2) >= 0 &&
			(nr == engine.SYS_read && f.canRead() || nr == engine.SYS_write && f.canWrite()) {
			r = e.streamIO(p, f, nr == engine.SYS_write, u(1), arg(2), &path)
			if r.Block {
				e.cnt.Syscalls--
				p.sys.call.wchan = wchanOf(nr)
				if f.ino.eventfd != nil {
					p.sys.call.wchan = "eventfd_" + c.Name
				}
				if f.ino.uffd != nil {
					p.sys.call.wchan = "userfaultfd_read"
				}
				return r
			}
			break
		}
		if nr == engine.SYS_read {
			fail(e.sysRead(p, arg(0), u(1), arg(2), 0, false, &path))
		} else {
			fail(e.sysWrite(p, arg(0), u(1), arg(2), 0, false, &path))
		}
	case engine.SYS_pread64, engine.SYS_pwrite64, engine.SYS_lseek:
		if f := p.fd(arg(0)); f != nil && (f.ino.pipe != nil || f.ino.eventfd != nil || f.ino.sock != nil || f.ino.uffd != nil) {
			fail(-1, engine.ESPIPE) // no file position (FMODE_PREAD/PWRITE/LSEEK unset)
			break
		}
		switch nr {
		case engine.SYS_pread64:
			fail(e.sysRead(p, arg(0), u(1), arg(2), arg(3), true, &path))
		case engine.SYS_pwrite64:
			fail(e.sysWrite(p, arg(0), u(1), arg(2), arg(3), true, &path))
		default:
			fail(e.sysLseek(p, arg(0), arg(1), arg(2)))
		}
	case engine.SYS_pipe2, engine.SYS_pipe:
		fail(e.sysPipe2(p, u(0), arg(1)*int64(boolInt(nr == engine.SYS_pipe2)), &path))
	case engine.SYS_socketpair:
		fail(e.sysSocketpair(p, int64(int32(arg(0))), int64(int32(arg(1))), int64(int32(arg(2))), u(3), &path))
	case engine.SYS_shutdown:
		fail(e.sysShutdown(p, arg(0), int64(int32(arg(1)))))
	case engine.SYS_sendto, engine.SYS_recvfrom:
		if nr == engine.SYS_sendto {
			r = e.sysSendto(p, arg(0), u(1), arg(2), int64(uint32(arg(3))), int64(int32(arg(5))), &path)
		} else {
			r = e.sysRecvfrom(p, arg(0), u(1), arg(2), int64(uint32(arg(3))), u(5), &path)
		}
		if r.Block {
			e.cnt.Syscalls--
			p.sys.call.wchan = "unix_" + c.Name
			return r
		}
	case engine.SYS_rt_sigqueueinfo:
		fail(e.sysRtSigqueueinfo(p, int64(int32(arg(0))), 0, int64(int32(arg(1))), u(2), false))
	case engine.SYS_rt_tgsigqueueinfo:
		fail(e.sysRtSigqueueinfo(p, int64(int32(arg(0))), int64(int32(arg(1))), int64(int32(arg(2))), u(3), true))
	case engine.SYS_memfd_secret:
		fail(e.sysMemfdSecret(p, int64(uint32(arg(0))), &path))
	case engine.SYS_ptrace:
		fail(e.sysPtrace(p, arg(0), int64(int32(arg(1))), u(2), u(3), &path))
	case engine.SYS_process_vm_readv, engine.SYS_process_vm_writev:
		fail(e.sysProcessVMRW(p, int64(int32(arg(0))), u(1), u(2), u(3), u(4), arg(5), nr == engine.SYS_process_vm_writev, &path))
	case engine.SYS_vmsplice:
		r = e.sysVmsplice(p, arg(0), u(1), u(2), int64(uint32(arg(3))), &path)
		if r.Block {
			e.cnt.Syscalls--
			p.sys.call.wchan = "pipe_wait_writable"
			return r
		}
	case engine.SYS_eventfd2, engine.SYS_eventfd:
		fail(e.sysEventfd2(p, uint32(arg(0)), arg(1)*int64(boolInt(nr == engine.SYS_eventfd2)), &path))
	case engine.SYS_ftruncate:
		fail(e.sysFtruncate(p, arg(0), arg(1)))
	case engine.SYS_fstat:
		if f := p.fd(arg(0)); f == nil {
			fail(-1, engine.EBADF)
		} else {
			fail(e.sysStat(p, f.ino, u(1)))
		}
	case engine.SYS_stat, engine.SYS_lstat:
		fail(e.statPath(p, engine.AT_FDCWD, c.Path, boolInt(nr == engine.SYS_stat)*lookupFollow, u(1)))
	case engine.SYS_newfstatat:
		fail(e.sysFstatat(p, arg(0), c.Path, u(2), arg(3)))
	case engine.SYS_alarm:
		r.Ret = e.sysAlarm(p, uint32(arg(0)))
	case engine.SYS_setitimer:
		fail(e.sysSetitimer(p, int64(int32(arg(0))), u(1), u(2)))
	case engine.SYS_getitimer:
		fail(e.sysGetitimer(p, int64(int32(arg(0))), u(1)))
	case engine.SYS_pause:
		// sys_pause sleeps until a signal; the model's only signals to a
		// process that sleeps are its timers': the clock moves to the
		// first to expire, and the call is EINTR (ERESTARTNOHAND, its
		// handler run). With none armed, nothing wakes it.
		t := p.nextExpiry()
		if t == 0 {
			e.cnt.Syscalls--
			p.sys.call.wchan = "do_sys_pause"
			return engine.Result{Block: true}
		}
		e.advanceTo(clockAdd(t, costWakeup))
		fail(-1, engine.EINTR)
	case engine.SYS_getrandom:
		fail(e.sysGetrandom(p, u(0), u(1), arg(2), &path))
	case engine.SYS_clock_getres:
		fail(e.sysClockGetres(p, int32(arg(0)), u(1)))
	case engine.SYS_unlink:
		fail(e.sysUnlinkat(p, engine.AT_FDCWD, c.Path, 0))
	case engine.SYS_unlinkat:
		fail(e.sysUnlinkat(p, arg(0), c.Path, int64(int32(arg(2)))))
	case engine.SYS_rmdir:
		fail(e.sysRmdir(p, engine.AT_FDCWD, c.Path))
	case engine.SYS_mkdir:
		fail(e.sysMkdirat(p, engine.AT_FDCWD, c.Path, uint32(arg(1))))
	case engine.SYS_mkdirat:
		fail(e.sysMkdirat(p, arg(0), c.Path, uint32(arg(2))))
	case engine.SYS_symlink:
		fail(e.sysSymlinkat(p, u(0), engine.AT_FDCWD, c.Path))
	case engine.SYS_symlinkat:
		fail(e.sysSymlinkat(p, u(0), arg(1), c.Path))
	case engine.SYS_mknod:
		fail(e.sysMknodat(p, engine.AT_FDCWD, c.Path, uint32(arg(1))))
	case engine.SYS_mknodat:
		fail(e.sysMknodat(p, arg(0), c.Path, uint32(arg(2))))
	case engine.SYS_chmod:
		fail(e.sysFchmodat(p, engine.AT_FDCWD, c.Path, uint32(arg(1)), 0))
	case engine.SYS_fchmodat:
		fail(e.sysFchmodat(p, arg(0), c.Path, uint32(arg(2)), 0))
	case engine.SYS_fchmodat2:
		fail(e.sysFchmodat(p, arg(0), c.Path, uint32(arg(2)), int64(uint32(arg(3)))))
	case engine.SYS_fchmod:
		fail(e.sysFchmod(p, arg(0), uint32(arg(1))))
	case engine.SYS_access:
		fail(e.sysFaccessat(p, engine.AT_FDCWD, c.Path, int64(int32(arg(1))), 0))
	case engine.SYS_faccessat:
		fail(e.sysFaccessat(p, arg(0), c.Path, int64(int32(arg(2))), 0))
	case engine.SYS_faccessat2:
		fail(e.sysFaccessat(p, arg(0), c.Path, int64(int32(arg(2))), int64(uint32(arg(3)))))
	case engine.SYS_umask:
		r.Ret = e.sysUmask(p, uint32(arg(0)))
	case engine.SYS_getdents64:
		fail(e.sysGetdents64(p, arg(0), u(1), uint32(arg(2))))
	case engine.SYS_fsync, engine.SYS_fdatasync:
		fail(e.sysFsync(p, arg(0), &path))
	case engine.SYS_fadvise64:
		fail(e.sysFadvise(p, arg(0), arg(1), arg(2), arg(3), &path))
	case engine.SYS_mbind:
		fail(e.sysMbind(p, u(0), u(1), arg(2), u(3), u(4), u(5), &path))
	case engine.SYS_fallocate:
		fail(e.sysFallocate(p, arg(0), int64(int32(arg(1))), arg(2), arg(3), &path))
	case engine.SYS_memfd_create:
		fail(e.sysMemfdCreate(p, c.Path, arg(1), &path))
	case engine.SYS_mmap:
		addr, err := e.sysMmap(p, u(0), u(1), arg(2), arg(3), arg(4), arg(5), &path)
		if err != 0 {
			r.Ret, r.Errno = -1, err
		} else {
			r.Ret = int64(addr)
		}
	case engine.SYS_munmap:
		fail(0, e.sysMunmap(p, u(0), u(1), &path))
	case engine.SYS_mprotect:
		fail(0, e.sysMprotect(p, u(0), u(1), arg(2), -1, &path))
	case engine.SYS_pkey_mprotect:
		fail(0, e.sysMprotect(p, u(0), u(1), arg(2), int64(int32(arg(3))), &path))
	case engine.SYS_pkey_alloc, engine.SYS_pkey_free:
		// This machine's CPU has no protection keys (no "pku" in
		// /proc/cpuinfo): pkey_alloc and pkey_free are EINVAL, as here.
		fail(-1, engine.EINVAL)
	case engine.SYS_mseal:
		fail(e.sysMseal(p, u(0), u(1), arg(2), &path))
	case engine.SYS_membarrier:
		fail(e.sysMembarrier(p, arg(0), int64(uint32(arg(1))), &path))
	case engine.SYS_userfaultfd:
		fail(e.sysUserfaultfd(p, int64(int32(arg(0))), &path))
	case engine.SYS_msync:
		fail(0, e.sysMsync(p, u(0), u(1), arg(2), &path))
	case engine.SYS_madvise:
		fail(0, e.sysMadvise(p, u(0), u(1), arg(2), &path))
	case engine.SYS_mremap:
		addr, err := e.sysMremap(p, u(0), u(1), u(2), arg(3), u(4), &path)
		if err != 0 {
			r.Ret, r.Errno = -1, err
		} else {
			r.Ret = int64(addr)
		}
	case engine.SYS_mlock:
		fail(0, e.sysMlock(p, u(0), u(1), vmLocked, &path))
	case engine.SYS_mlock2:
		// do_mlock2: MLOCK_ONFAULT is the only flag.
		switch {
		case arg(2)&^engine.MLOCK_ONFAULT != 0:
			fail(-1, engine.EINVAL)
		case arg(2)&engine.MLOCK_ONFAULT != 0:
			fail(0, e.sysMlock(p, u(0), u(1), vmLocked|vmLockOnFault, &path))
		default:
			fail(0, e.sysMlock(p, u(0), u(1), vmLocked, &path))
		}
	case engine.SYS_munlock:
		fail(0, e.sysMlock(p, u(0), u(1), 0, &path))
	case engine.SYS_mlockall:
		fail(0, e.sysMlockall(p, arg(0), &path))
	case engine.SYS_munlockall:
		fail(0, e.sysMunlockall(p, &path))
	case engine.SYS_mincore:
		fail(0, e.sysMincore(p, u(0), u(1), u(2), &path))
	case engine.SYS_cachestat:
		fail(e.sysCachestat(p, uint32(arg(0)), u(1), u(2), uint32(arg(3)), &path))
	case engine.SYS_brk:
		b, pth := e.brk(p, u(0))
		path = append(path, pth...)
		r.Ret = int64(b)
	case engine.SYS_fork, engine.SYS_vfork:
		if child, err := e.fork(p, 0, &path); err != 0 {
			fail(-1, err)
		} else {
			child.sys.exitSignal = engine.SIGCHLD
			r.Ret, r.Task = int64(e.pidVnr(p, child)), child.pid
		}
	case engine.SYS_clone, engine.SYS_clone3:
		e.forked = nil
		if nr == engine.SYS_clone {
			fail(e.sysClone(p, u(0), u(1), u(2), u(3), u(4), &path))
		} else {
			fail(e.sysClone3(p, u(0), u(1), &path))
		}
		if r.Errno == 0 && e.forked != nil {
			r.Task = e.forked.pid
		}
	case engine.SYS_kcmp:
		fail(e.sysKcmp(p, arg(0), arg(1), arg(2), u(3), u(4)))
	case engine.SYS_execve:
		fail(e.sysExecve(p, c.Path, &path))
	case engine.SYS_sethostname, engine.SYS_setdomainname:
		fail(e.sysSethostname(p, u(0), arg(1), nr == engine.SYS_setdomainname))
	case engine.SYS_mount:
		fail(e.sysMountCall(p, u(0), c.Path, u(2), u(3)))
	case engine.SYS_umount2:
		fail(e.sysUmount2(p, c.Path, arg(1)))
	case engine.SYS_statfs:
		fail(e.sysStatfs(p, c.Path, u(1)))
	case engine.SYS_fstatfs:
		if f := p.fd(arg(0)); f == nil {
			fail(-1, engine.EBADF)
		} else {
			fail(e.sysStatfs(p, fdPath(f), u(1)))
		}
	case engine.SYS_ioctl:
		fail(e.sysIoctl(p, arg(0), uint32(arg(1)), u(2)))
	case engine.SYS_shmget:
		fail(e.sysShmget(p, int32(arg(0)), u(1), int32(arg(2)), &path))
	case engine.SYS_shmat:
		fail(e.sysShmat(&path))
	case engine.SYS_shmdt:
		fail(e.sysShmdt(&path))
	case engine.SYS_shmctl:
		fail(e.sysShmctl(p, int32(arg(0)), int32(arg(1)), u(2), &path))
	case engine.SYS_socket:
		fail(e.sysSocket(p, arg(0), int64(int32(arg(1))), int64(int32(arg(2))), &path))
	case engine.SYS_execveat:
		fail(e.sysExecveat(p, arg(0), c.Path, int64(int32(arg(4))), &path))
	case engine.SYS_setns:
		fail(e.sysSetns(p, arg(0), int64(int32(arg(1)))))
	case engine.SYS_unshare:
		fail(e.sysUnshare(p, u(0), &path))
	case engine.SYS_pidfd_open:
		fail(e.sysPidfdOpen(p, arg(0), arg(1), &path))
	case engine.SYS_pidfd_send_signal:
		r = e.sysPidfdSendSignal(p, arg(0), arg(1), arg(3))
	case engine.SYS_process_mrelease:
		fail(e.sysProcessMrelease(p, arg(0), uint32(arg(1)), &path))
	case engine.SYS_pidfd_getfd:
		fail(e.sysPidfdGetfd(p, arg(0), arg(1), arg(2)))
	case engine.SYS_waitid:
		r = e.sysWaitid(p, arg(0), arg(1), u(2), arg(3))
		if r.Block {
			e.cnt.Syscalls--
			p.sys.call.wchan = wchanOf(nr)
			return r
		}
	case engine.SYS_poll:
		r = e.sysPoll(p, u(0), u(1), arg(2), &path)
		if r.Block {
			e.cnt.Syscalls--
			p.sys.call.wchan = wchanOf(nr)
			return r
		}
	case engine.SYS_wait4:
		r = e.wait4(p, arg(0), u(1), arg(2))
		if r.Block {
			e.cnt.Syscalls--
			p.sys.call.wchan = wchanOf(nr)
			return r
		}
	case engine.SYS_getpid:
		r.Ret = int64(e.pidVnr(p, p))
	case engine.SYS_getppid:
		r.Ret = e.ppidVnr(p)
	case engine.SYS_exit_group, engine.SYS_exit:
		e.emitSyscall(p, c, r, path)
		e.exit(p, int(arg(0)), 0)
		return r
	case engine.SYS_nanosleep:
		path = append(path, "hrtimer_nanosleep")
		if arg(0) < 0 {
			fail(-1, engine.EINVAL)
			break
		}
		// A timer of the process's that expires first ends the sleep
		// there: EINTR, its signal's handler to run (the interpreter
		// finds what was left on the clock).
		end := clockAdd(e.clock, u(0))
		if t := p.nextExpiry(); t != 0 && t < end {
			e.advanceTo(clockAdd(t, costWakeup))
			fail(-1, engine.EINTR)
			break
		}
		e.advanceTo(end)
	case engine.SYS_kill:
		r = e.kill(p, int(arg(0)), int(arg(1)))
	case engine.SYS_prlimit64:
		fail(e.sysPrlimit64(p, arg(0), arg(1), u(2), u(3), &path))
	case engine.SYS_getrlimit:
		fail(e.sysPrlimit64(p, 0, arg(0), 0, u(1), &path))
	case engine.SYS_setrlimit:
		fail(e.sysPrlimit64(p, 0, arg(0), u(1), 0, &path))
	case engine.SYS_uname:
		fail(e.sysUname(p, u(0)))
	case engine.SYS_capget:
		fail(e.sysCapget(p, u(0), u(1)))
	case engine.SYS_capset:
		fail(e.sysCapset(p, u(0), u(1)))
	case engine.SYS_getuid, engine.SYS_geteuid:
		r.Ret = e.uidOf(p)
	case engine.SYS_getgid, engine.SYS_getegid:
		r.Ret = e.gidOf(p)
	case engine.SYS_readlink:
		fail(e.sysReadlink(p, engine.AT_FDCWD, c.Path, u(1), arg(2), &path))
	case engine.SYS_readlinkat:
		fail(e.sysReadlink(p, arg(0), c.Path, u(2), arg(3), &path))
	case engine.SYS_setresuid, engine.SYS_setresgid:
		// Each id -1 (unchanged) or the user's own (user_namespace.go).
		for i := 0; i < 3; i++ {
			if id := int64(uint32(arg(i))); id != 0xffffffff {
				if err := e.setID(p, id, nr == engine.SYS_setresgid); err != 0 {
					fail(-1, err)
					break
				}
			}
		}
	case engine.SYS_setuid, engine.SYS_setgid:
		// An unprivileged process may set its ids only to what they are.
		if err := e.setID(p, int64(uint32(arg(0))), nr == engine.SYS_setgid); err != 0 {
			fail(-1, err)
		}
	case engine.SYS_setpgid:
		fail(e.sysSetpgid(p, arg(0), arg(1)))
	case engine.SYS_getpgid:
		fail(e.sysGetpgid(p, arg(0), false))
	case engine.SYS_getpgrp:
		fail(e.sysGetpgid(p, 0, false))
	case engine.SYS_getsid:
		fail(e.sysGetpgid(p, arg(0), true))
	case engine.SYS_setsid:
		fail(e.sysSetsid(p))
	case engine.SYS_dup:
		fail(e.sysDup(p, arg(0)))
	case engine.SYS_dup2:
		fail(e.sysDup3(p, arg(0), arg(1), -1))
	case engine.SYS_dup3:
		fail(e.sysDup3(p, arg(0), arg(1), arg(2)))
	case engine.SYS_close_range:
		fail(e.sysCloseRange(p, u(0), u(1), arg(2)))
	case engine.SYS_fcntl:
		r = e.sysFcntl(p, arg(0), arg(1), arg(2), &path)
		if r.Block {
			e.cnt.Syscalls--
			p.sys.call.wchan = "locks_lock_inode_wait"
			return r
		}
	case engine.SYS_prctl:
		fail(e.sysPrctl(p, arg(0), [4]uint64{u(1), u(2), u(3), u(4)}, &path))
	case engine.SYS_clock_gettime:
		fail(e.sysClockGettime(p, int32(arg(0)), u(1)))
	case engine.SYS_gettimeofday:
		fail(e.sysGettimeofday(p, u(0), u(1)))
	case engine.SYS_time:
		fail(e.sysTime(p, u(0)))
	case engine.SYS_getcpu:
		fail(e.sysGetcpu(p, u(0), u(1)))
	case engine.SYS_sched_getaffinity:
		fail(e.sysSchedGetaffinity(p, arg(0), arg(1), u(2)))
	case engine.SYS_sched_setaffinity:
		fail(e.sysSchedSetaffinity(p, arg(0), arg(1), u(2)))
	default:
		r.Ret, r.Errno = -1, engine.ENOSYS
	}
	e.emitSyscall(p, c, r, path)
	e.noteGrowth()
	return r
}

func (e *Engine) emitSyscall(p *process, c engine.Call, r engine.Result, path []string) {
	if e.sink == nil {
		return
	}
	ev := e.newEvent(engine.EvSyscall, p.pid)
	ev.Name = c.Name
	ev.Args = syscallArgs(c)
	ev.Ret = r.Ret
	ev.Errno = r.Errno.Name()
	if len(path) > 0 {
		ev.Path = path
	}
	e.emit(ev)
}
