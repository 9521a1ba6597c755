package sim

import (
	"strconv"
	"strings"

	"github.com/mmapplayground/playground/internal/engine"
)

// /proc and /sys, analogous to fs/proc and the sysfs files of mm: each file
// is generated from the model's state at the moment it is read, in the
// kernel's format, one generator per file (proc_pid_maps.go,
// proc_pid_pagemap.go, proc_pid_status.go, proc_meminfo.go, proc_sys.go).
//
// A read goes as seq_file's seq_read_iter does: a file of records (maps,
// smaps: one record per area) is shown a record at a time from where the
// last read stopped, so reading a long maps file page by page costs a pass,
// not a pass per page; a read at another position starts again from the
// top. pagemap is read at any 8-byte-aligned offset (pagemap_read).

// procDevice is what stat and maps show as procfs's device (0:22 here).
const procDevice = 0x16

// procFile is one kind of /proc or /sys file.
type procFile struct {
	// record shows the file's part from next on: the text, where the next
	// part starts, and whether this was the last. Files that are not
	// lists of areas show everything in their first record.
	record func(e *Engine, reader, target *process, next uint64) (text []byte, after uint64, last bool)
	// pread is for binary files read at an offset (pagemap); nil for text.
	pread func(e *Engine, target *process, pos uint64, count int64) ([]byte, engine.Errno)
	// pwrite writes data at an offset of a file that takes writes (mem);
	// nil for the read-only ones.
	pwrite func(e *Engine, target *process, pos uint64, data []byte) (int, engine.Errno)
	// fd shows a file about one of the target's descriptors
	// (fdinfo/N), all of it in one record.
	fd func(e *Engine, reader, target *process, fd int) string
	// write takes one write of a file written whole (uid_map,
	// setgroups), by writer at pos; nil for the others.
	write func(e *Engine, writer, target *process, pos uint64, data []byte) (int, engine.Errno)
	// ioctl answers the file's ioctls, made by caller (pagemap's
	// PAGEMAP_SCAN); nil for the files without (ENOTTY).
	ioctl func(e *Engine, caller, target *process, cmd uint32, arg uint64) (int64, engine.Errno)
}

// procPidFiles are the files of /proc/PID (and /proc/self).
var procPidFiles = map[string]*procFile{
	"maps":         {record: showMaps},
	"smaps":        {record: showSmaps},
	"smaps_rollup": {record: whole(showSmapsRollup)},
	"pagemap":      {pread: pagemapRead, ioctl: pagemapIoctl},
	"mem":          {pread: memRead, pwrite: memWrite},
	"status":       {record: whole(showStatus)},
	"statm":        {record: whole(showStatm)},
	"comm":         {record: whole(showComm)},
	"wchan":        {record: whole(showWchan)},
	"syscall":      {record: whole(showSyscall)},
}

// procGlobalFiles are the other files, by path.
var procGlobalFiles = map[string]*procFile{
	"/proc/meminfo": {record: whole(showMeminfo)},
	"/sys/kernel/mm/transparent_hugepage/enabled":        {record: whole(showTHPEnabled)},
	"/sys/kernel/mm/transparent_hugepage/defrag":         {record: whole(showTHPDefrag)},
	"/sys/kernel/mm/transparent_hugepage/hpage_pmd_size": {record: whole(func(*Engine, *process, *process) string { return "2097152\n" })},
}

func init() {
	for name, show := range sysctlVM {
		show := show
		procGlobalFiles["/proc/sys/vm/"+name] = &procFile{record: whole(func(e *Engine, _, _ *process) string { return show(e) + "\n" })}
	}
}

// whole makes a one-record file of a function that shows all of it.
func whole(show func(e *Engine, reader, target *process) string) func(*Engine, *process, *process, uint64) ([]byte, uint64, bool) {
	return func(e *Engine, reader, target *process, _ uint64) ([]byte, uint64, bool) {
		return []byte(show(e, reader, target)), 0, true
	}
}

// procDirs are the directories under /proc and /sys that open as one.
var procDirs = map[string]bool{
	"/proc": true, "/proc/sys": true, "/proc/sys/vm": true, "/sys": true, "/sys/kernel": true,
	"/sys/kernel/mm": true, "/sys/kernel/mm/transparent_hugepage": true,
}

// procOpen is an open /proc or /sys file: which file of which process, and
// the seq_file state of the reading in progress.
type procOpen struct {
	file *procFile
	pid  int // the process the file is about; 0 for the global files
	// buf holds what was generated and not yet read; it starts at file
	// position bufPos. next is where the next record starts; last says
	// there is none.
	fd     int // the descriptor an fdinfo/N file is about
	buf    []byte
	bufPos uint64
	next   uint64
	last   bool
}

// procLookup resolves a path under /proc or /sys for reader: the file, the
// pid it is about, whether it names a directory, and ENOENT when neither.
func (e *Engine) procLookup(reader *process, path string) (*procFile, int, bool, engine.Errno) {
	path = strings.TrimSuffix(path, "/")
	if procDirs[path] {
		return nil, 0, true, 0
	}
	if f, ok := procGlobalFiles[path]; ok {
		return f, 0, false, 0
	}
	rest, ok := strings.CutPrefix(path, "/proc/")
	if !ok {
		return nil, 0, false, engine.ENOENT
	}
	who, name, _ := strings.Cut(rest, "/")
	pid := reader.pid
	if who != "self" && who != "thread-self" {
		n, err := strconv.Atoi(who)
		if err != nil || n <= 0 || strconv.Itoa(n) != who {
			return nil, 0, false, engine.ENOENT
		}
		pid = n
	}
	if t := e.task(pid); t == nil || t.reaped {
		return nil, 0, false, engine.ENOENT
	}
	name, ok = procTaskPath(name, pid)
	if !ok {
		return nil, 0, false, engine.ENOENT
	}
	if name == "" || name == "fd" || name == "fdinfo" {
		return nil, pid, true, 0
	}
	f, ok := procPidFiles[name]
	if !ok {
		return nil, 0, false, engine.ENOENT
	}
	return f, pid, false, 0
}

// isProcPath reports whether path is under /proc or /sys.
func isProcPath(path string) bool {
	return path == "/proc" || path == "/sys" || strings.HasPrefix(path, "/proc/") || strings.HasPrefix(path, "/sys/")
}

// procRead is a read of count bytes at pos of an open /proc file.
func (e *Engine) procRead(reader *process, o *procOpen, pos uint64, count int64) ([]byte, engine.Errno) {
	var target *process
	if o.pid != 0 {
		target = e.task(o.pid)
		if target == nil {
			return nil, engine.ESRCH // the process has gone
		}
	}
	if o.file.pread != nil {
		return o.file.pread(e, target, pos, count)
	}
	if pos != o.bufPos || (pos == 0 && len(o.buf) == 0) {
		// Not where the last read stopped: start again from the top and
		// skip to pos (seq_read_iter's traverse).
		o.buf, o.bufPos, o.next, o.last = o.buf[:0], 0, 0, false
		for !o.last && o.bufPos+uint64(len(o.buf)) <= pos {
			o.bufPos += uint64(len(o.buf))
			o.buf = o.buf[:0]
			e.procFill(reader, target, o)
		}
		if skip := pos - o.bufPos; skip <= uint64(len(o.buf)) {
			o.buf = o.buf[skip:]
			o.bufPos = pos
		} else {
			o.buf, o.bufPos = o.buf[:0], pos
		}
	}
	for !o.last && int64(len(o.buf)) < count {
		e.procFill(reader, target, o)
	}
	n := min(int64(len(o.buf)), count)
	out := append([]byte(nil), o.buf[:n]...)
	o.buf = o.buf[n:]
	o.bufPos += uint64(n)
	return out, 0
}

// procIoctl is an ioctl of an open /proc or /sys file: its file's, or
// ENOTTY for a file without (vfs_ioctl: no unlocked_ioctl); ESRCH once
// the process it is about has gone (pagemap's mm is no longer there).
func (e *Engine) procIoctl(caller *process, o *procOpen, cmd uint32, arg uint64) (int64, engine.Errno) {
	if o.file.ioctl == nil {
		return -1, engine.ENOTTY
	}
	target := e.task(o.pid)
	if target == nil {
		return -1, engine.ESRCH
	}
	return o.file.ioctl(e, caller, target, cmd, arg)
}

// procFill appends the next record to o's buffer, in the time the
// kernel's ->show takes (costSeqShow).
func (e *Engine) procFill(reader, target *process, o *procOpen) {
	e.advance(costSeqShow)
	if o.file.fd != nil {
		o.buf = append(o.buf, o.file.fd(e, reader, target, o.fd)...)
		o.last = true
		return
	}
	text, after, last := o.file.record(e, reader, target, o.next)
	o.buf = append(o.buf, text...)
	o.next, o.last = after, last
}

// kB formats n bytes as the kernel's "%8lu kB" after a label padded to
// width (seq_put_decimal_ull_width).
func kB(b *strings.Builder, label string, width int, bytes uint64) {
	b.WriteString(label)
	for i := len(label); i < width; i++ {
		b.WriteByte(' ')
	}
	padNum(b, bytes>>10, 8)
	b.WriteString(" kB\n")
}

// padNum writes n right-aligned in width.
func padNum(b *strings.Builder, n uint64, width int) {
	s := strconv.FormatUint(n, 10)
	for i := len(s); i < width; i++ {
		b.WriteByte(' ')
	}
	b.WriteString(s)
}

// procWriteWhole is a write to a /proc file taken in one piece
// (procFile.write): the user's bytes, up to a page, handed over at once.
func (e *Engine) procWriteWhole(p *process, f *file, buf uint64, count, off int64, positional bool) (int64, engine.Errno) {
	t := e.task(f.proc.pid)
	if t == nil || t.exited {
		return -1, engine.ESRCH
	}
	pos := f.pos
	if positional {
		pos = uint64(off)
	}
	data := make([]byte, min(count, engine.PageSize))
	if e.userCopy(p, buf, data, false) < len(data) {
		return -1, engine.EFAULT
	}
	if count > int64(len(data)) {
		data = append(data, 0) // too long for any such file: its write says EINVAL
	}
	n, err := f.proc.file.write(e, p, t, pos, data)
	if err != 0 {
		return -1, err
	}
	if !positional {
		f.pos = pos + uint64(n)
	}
	return int64(n), 0
}

// procDirPath is the directory path names, clean, its process as its pid
// ("/proc/self/fd/" is "/proc/12/fd"): what a descriptor of it lists and
// where a path relative to it starts.
func procDirPath(path string, pid int) string {
	clean := "/" + strings.Join(components(path), "/")
	rest, ok := strings.CutPrefix(clean, "/proc/")
	if !ok || pid == 0 {
		return clean
	}
	_, name, _ := strings.Cut(rest, "/")
	if name == "" {
		return "/proc/" + strconv.Itoa(pid)
	}
	return "/proc/" + strconv.Itoa(pid) + "/" + name
}
