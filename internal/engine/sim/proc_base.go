package sim

import (
	"strconv"
	"strings"

	"github.com/mmapplayground/playground/internal/engine"
)

// The per-process files of fs/proc/base.c that are not about memory:
// /proc/PID/comm (comm_show), wchan (proc_pid_wchan), syscall
// (proc_pid_syscall), and the directories /proc/PID/task/TID, the same
// files seen through the thread (the engine's process has one thread: its
// tid is its pid).

// taskCall is what of a task's registers at system call entry the model
// keeps: the call it is in (or last blocked in) and its six arguments, as
// task_current_syscall reads them from pt_regs.
type taskCall struct {
	nr   engine.Sysno
	args [6]int64
	// wchan is where the task sleeps (get_wchan's symbol): set when a call
	// blocks, cleared when the task next returns from one.
	wchan string
}

// noteCall records c as the call p is in.
func (p *process) noteCall(nr engine.Sysno, c engine.Call) {
	p.sys.call.nr = nr
	p.sys.call.args = [6]int64{}
	copy(p.sys.call.args[:], c.Args)
	p.sys.call.wchan = ""
}

// wchanOf is the symbol a blocked call sleeps in, as get_wchan names it on
// this kernel.
func wchanOf(nr engine.Sysno) string {
	switch nr {
	case engine.SYS_wait4, engine.SYS_waitid:
		return "do_wait"
	case engine.SYS_read:
		return "pipe_read"
	case engine.SYS_write:
		return "pipe_write"
	case engine.SYS_nanosleep, engine.SYS_clock_nanosleep:
		return "hrtimer_nanosleep"
	case engine.SYS_poll, engine.SYS_ppoll:
		return "do_sys_poll"
	}
	return "0"
}

// showComm is comm_show: the task's name and a newline.
func showComm(_ *Engine, _, t *process) string { return t.comm + "\n" }

// showWchan is proc_pid_wchan: "0" (no newline) for a task that is running
// (the reader itself) or not asleep, else the function it sleeps in (a
// tracee in a ptrace stop: ptrace_stop).
func showWchan(_ *Engine, reader, t *process) string {
	if t != reader && !t.exited && t.pt.stopped {
		return "ptrace_stop"
	}
	if t == reader || t.exited || t.sys.call.wchan == "" {
		return "0"
	}
	return t.sys.call.wchan
}

// showSyscall is proc_pid_syscall: "running" for a task that is neither
// the reader nor blocked in a call; else the call's number, its six
// arguments, and the user stack pointer and program counter. The
// interpreter's program has no machine registers: those two print as 0x0
// (the kernel prints the task's).
func showSyscall(_ *Engine, reader, t *process) string {
	if t != reader && (t.exited || t.sys.call.wchan == "") {
		return "running\n"
	}
	var b strings.Builder
	b.WriteString(strconv.Itoa(int(t.sys.call.nr)))
	for _, a := range t.sys.call.args {
		b.WriteString(" 0x")
		b.WriteString(strconv.FormatUint(uint64(a), 16))
	}
	b.WriteString(" 0x0 0x0\n")
	return b.String()
}

// procTaskPath turns /proc/PID/task/TID/NAME into /proc/PID/NAME when TID
// is PID's one thread; ok is false for a TID that is not.
func procTaskPath(name string, pid int) (string, bool) {
	rest, ok := strings.CutPrefix(name, "task/")
	if !ok {
		if name == "task" {
			return "", true
		}
		return name, true
	}
	tid, sub, _ := strings.Cut(rest, "/")
	if tid != strconv.Itoa(pid) {
		return "", false
	}
	return sub, true
}

// procFDPath parses /proc/PID/fd/N and /proc/PID/fdinfo/N (also under
// task/TID): the process, "fd" or "fdinfo", and N; dir is "" when path is
// neither; ENOENT when N is not open.
func (e *Engine) procFDPath(reader *process, path string) (t *process, dir string, n int, err engine.Errno) {
	rest, ok := strings.CutPrefix(path, "/proc/")
	if !ok {
		return nil, "", 0, 0
	}
	who, name, _ := strings.Cut(rest, "/")
	t = reader
	if who != "self" && who != "thread-self" {
		pid, err := strconv.Atoi(who)
		if err != nil || strconv.Itoa(pid) != who {
			return nil, "", 0, 0
		}
		t = e.task(pid)
	}
	if t == nil || t.reaped {
		return nil, "", 0, 0
	}
	name, ok = procTaskPath(name, t.pid)
	dir, num, found := strings.Cut(name, "/")
	if !ok || !found || dir != "fd" && dir != "fdinfo" {
		return nil, "", 0, 0
	}
	n, aerr := strconv.Atoi(num)
	if aerr != nil || strconv.Itoa(n) != num || t.fd(int64(n)) == nil {
		return nil, "", 0, engine.ENOENT
	}
	return t, dir, n, 0
}

// fdinfoFile is /proc/PID/fdinfo/N.
var fdinfoFile = &procFile{fd: showFdinfo}

// Mount ids as this machine's /proc/self/mountinfo numbers them, for
// fdinfo's mnt_id: the session's directory, /dev, /proc, pipefs, the
// anonymous inodes' mount and pidfs.
const (
	mntRoot  = 27
	mntDev   = 24
	mntProc  = 22
	mntPipe  = 16
	mntAnon  = 17
	mntPidfs = 4
)

// showFdinfo is seq_show of fs/proc/fd.c: the position, the flags in
// octal (with O_CLOEXEC when the descriptor is close-on-exec), the mount
// and inode, then what the file's own show_fdinfo adds.
func showFdinfo(e *Engine, reader, t *process, fd int) string {
	f := t.fd(int64(fd))
	if f == nil {
		return ""
	}
	flags := f.flags &^ (engine.O_CREAT | engine.O_EXCL | engine.O_NOCTTY | engine.O_TRUNC | engine.O_CLOEXEC)
	ino := f.ino
	mnt := mntRoot
	switch {
	case ino.kind == kindPidfd:
		mnt = mntPidfs
	case ino.pipe != nil:
		mnt = mntPipe
	case ino.eventfd != nil || ino.epoll != nil || ino.uffd != nil:
		mnt = mntAnon
	case ino.kind == kindProc:
		mnt = mntProc
	case ino.kind == kindTTY || ino.kind == kindZero || ino.kind == kindNull || ino.kind == kindDemo || ino.kind == kindRandom:
		mnt = mntDev
	}
	if ino.opened() {
		flags |= engine.O_LARGEFILE
	}
	if t.files.cloexec[fd] {
		flags |= engine.O_CLOEXEC
	}
	var b strings.Builder
	b.WriteString("pos:\t" + strconv.FormatUint(f.pos, 10) + "\n")
	b.WriteString("flags:\t0" + strconv.FormatInt(int64(flags), 8) + "\n")
	b.WriteString("mnt_id:\t" + strconv.Itoa(mnt) + "\n")
	b.WriteString("ino:\t" + strconv.FormatUint(ino.ino, 10) + "\n")
	switch {
	case ino.kind == kindPidfd:
		b.WriteString(e.showPidfdInfo(ino, e.procPidNS(reader)))
	case ino.eventfd != nil:
		b.WriteString("eventfd-count: " + strings.Repeat(" ", max(0, 16-len(strconv.FormatUint(ino.eventfd.count, 16)))) +
			strconv.FormatUint(ino.eventfd.count, 16) + "\n")
		b.WriteString("eventfd-id: " + strconv.FormatUint(ino.ino, 10) + "\n")
		b.WriteString("eventfd-semaphore: " + strconv.Itoa(boolInt(ino.eventfd.semaphore)) + "\n")
	case ino.uffd != nil:
		b.WriteString(ino.uffd.showFdinfo())
	}
	return b.String()
}

// reopen is an open of /proc/PID/fd/N: the link followed (proc_fd_link) to
// the file it names, opened again as a new open file description, as an
// open of its path would be.
func (e *Engine) reopen(p *process, f *file, flags int) (int64, engine.Errno) {
	ino := f.ino
	switch {
	case f.proc != nil:
		po := *f.proc
		po.buf, po.bufPos, po.next, po.last = nil, 0, 0, false
		e.fs.proc.opens++
		return int64(p.installFD(&file{ino: ino, flags: flags, refs: 1, proc: &po})), 0
	case ino.kind == kindDir && flags&engine.O_ACCMODE != engine.O_RDONLY:
		return -1, engine.EISDIR
	case ino.kind != kindDir && flags&engine.O_DIRECTORY != 0:
		return -1, engine.ENOTDIR
	case ino.pipe != nil:
		// A pipe's other end: the model opens no new ends of a pipe.
		return -1, engine.ENXIO
	}
	if flags&engine.O_PATH == 0 {
		if err := ino.permission(accMask(flags)); err != 0 {
			return -1, err // may_open: the file's mode, as a reopen checks it
		}
	}
	if flags&engine.O_TRUNC != 0 && flags&engine.O_ACCMODE != engine.O_RDONLY {
		if err := e.openTruncate(p, ino); err != 0 {
			return -1, err
		}
	}
	ino.opens++
	return int64(p.installFD(&file{ino: ino, flags: flags, refs: 1})), 0
}

// pidMax is kernel.pid_max as this machine sets it (PID_MAX_DEFAULT,
// 32768, on a machine of few CPUs).
const pidMax = 32768

func init() {
	procGlobalFiles["/proc/sys/kernel/pid_max"] = &procFile{record: whole(func(*Engine, *process, *process) string { return itoa(pidMax) + "\n" })}
	procDirs["/proc/sys/kernel"] = true
}
