package sim

import (
	"encoding/binary"
	"sort"
	"strconv"
	"strings"

	"github.com/mmapplayground/playground/internal/engine"
)

// getdents64, analogous to fs/readdir.c: a directory's entries as struct
// linux_dirent64 records {u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type;
// char d_name[]}, each padded to 8 bytes, as many whole ones as fit, from
// the descriptor's position (an entry's index here, which d_off gives as
// the next one's). The model's directories list ".", "..", then their
// names in the order they were made (ext4 lists them in its hash's order);
// /proc's are fs/proc's own (proc_root_readdir, proc_pident_readdir,
// proc_readfd_common, proc_task_readdir).
//
//	check                                          where              errno
//	fd not open, or O_PATH                         fdget_pos          EBADF
//	not a directory                                iterate_dir        ENOTDIR
//	the directory removed                          iterate_dir        ENOENT
//	the next entry does not fit in count           filldir64          EINVAL
//	the buffer not writable                        filldir64          EFAULT

// dirent is one entry a directory lists.
type dirent struct {
	name  string
	ino   uint64
	dtype uint8
}

// dtOf is a mode's DT_* (S_DT: the type bits shifted down).
func dtOf(mode uint32) uint8 { return uint8(mode & engine.S_IFMT >> 12) }

const (
	dtDir = 4  // DT_DIR
	dtReg = 8  // DT_REG
	dtLnk = 10 // DT_LNK
)

func (e *Engine) sysGetdents64(p *process, fd int64, buf uint64, count uint32) (int64, engine.Errno) {
	f := p.fd(fd)
	if f == nil || f.flags&engine.O_PATH != 0 {
		return -1, engine.EBADF
	}
	ents, err := e.dirEntries(p, f)
	if err != 0 {
		return -1, err
	}
	le := binary.LittleEndian
	var out []byte
	pos := f.pos
	for pos < uint64(len(ents)) {
		ent := ents[pos]
		reclen := (19 + len(ent.name) + 1 + 7) &^ 7
		if len(out)+reclen > int(count) {
			if len(out) == 0 {
				return -1, engine.EINVAL
			}
			break
		}
		rec := make([]byte, reclen)
		le.PutUint64(rec[0:], ent.ino)
		le.PutUint64(rec[8:], pos+1)
		le.PutUint16(rec[16:], uint16(reclen))
		rec[18] = ent.dtype
		copy(rec[19:], ent.name)
		out = append(out, rec...)
		pos++
	}
	if len(out) > 0 {
		if err := e.copyToUser(p, buf, out, nil); err != 0 {
			return -1, err
		}
	}
	f.pos = pos
	return int64(len(out)), 0
}

// dirEntries are what the directory f has open lists.
func (e *Engine) dirEntries(p *process, f *file) ([]dirent, engine.Errno) {
	if f.procDir != "" {
		return e.procDirEntries(p, f.procDir)
	}
	dir := f.ino
	if strings.HasPrefix(dir.name, "/proc/") {
		return e.procDirEntries(p, dir.name) // /proc/PID/ns (nsfs.go)
	}
	if dir.kind != kindDir {
		return nil, engine.ENOTDIR
	}
	if dir.nlink == 0 {
		return nil, engine.ENOENT // IS_DEADDIR
	}
	up := dir
	if dir.parent != nil {
		up = dir.parent
	}
	ents := []dirent{{".", dir.ino, dtDir}, {"..", up.ino, dtDir}}
	var kids []*inode
	for key, id := range e.fs.names {
		if ino := e.fs.inodes[id]; ino.parent == dir && key != "." {
			kids = append(kids, ino)
		}
	}
	sort.Slice(kids, func(a, b int) bool { return kids[a].id < kids[b].id })
	for _, ino := range kids {
		name := ino.name[strings.LastIndexByte(ino.name, '/')+1:]
		ents = append(ents, dirent{name, ino.ino, dtOf(ino.fmode())})
	}
	return ents, 0
}

// procPidEntries are the names of /proc/PID in tgid_base_stuff's order;
// a directory lists those the model answers.
var procPidEntries = []string{
	"task", "fd", "map_files", "fdinfo", "ns", "net", "environ", "auxv", "status", "personality", "limits",
	"sched", "comm", "syscall", "cmdline", "stat", "statm", "maps", "numa_maps", "mem", "cwd", "root", "exe",
	"mounts", "mountinfo", "mountstats", "clear_refs", "smaps", "smaps_rollup", "pagemap", "attr", "wchan",
	"stack", "schedstat", "cpuset", "cgroup", "oom_score", "oom_adj", "oom_score_adj", "loginuid",
	"sessionid", "io", "uid_map", "gid_map", "projid_map", "setgroups", "timers", "timerslack_ns", "patch_state",
	"arch_status", "seccomp_cache", "ksm_merging_pages", "ksm_stat",
}

// procDirEntries lists a /proc or /sys directory (its path as procDirPath
// makes it).
func (e *Engine) procDirEntries(p *process, dir string) ([]dirent, engine.Errno) {
	ino := e.fs.proc.ino
	if t, ent, ok := e.procNSPath(p, dir); ok && ent == nil {
		// /proc/PID/ns: its links, in proc_ns_dir_readdir's order.
		ents := []dirent{{".", ino, dtDir}, {"..", ino, dtDir}}
		for _, n := range nsEntries {
			if _, err := e.nsOfEntry(t, &n); err == 0 && n.name != "" {
				ents = append(ents, dirent{n.name, ino, dtLnk})
			}
		}
		return ents, 0
	}
	if _, _, isDir, err := e.procLookup(p, dir); err != 0 || !isDir {
		if err == 0 {
			err = engine.ENOTDIR
		}
		return nil, err
	}
	ents := []dirent{{".", ino, dtDir}, {"..", ino, dtDir}}
	rest, isProc := strings.CutPrefix(dir, "/proc/")
	who, sub, _ := strings.Cut(rest, "/")
	pid, perr := strconv.Atoi(who)
	if !isProc || perr != nil {
		// A global directory: /proc itself, /proc/sys..., /sys....
		ents = append(ents, procGlobalEntries(dir)...)
		if dir == "/proc" {
			ents = append(ents, dirent{"self", ino, dtLnk}, dirent{"thread-self", ino, dtLnk})
			for _, t := range e.procs {
				if t != nil && !t.reaped {
					ents = append(ents, dirent{strconv.Itoa(t.pid), ino, dtDir})
				}
			}
		}
		return ents, 0
	}
	t := e.task(pid)
	if rest, ok := strings.CutPrefix(sub, "task/"+who); ok && (rest == "" || rest[0] == '/') {
		sub = strings.TrimPrefix(rest, "/") // the thread's: the process's, one thread each here
	}
	switch sub {
	case "":
		base := "/proc/" + who + "/"
		for _, name := range procPidEntries {
			if _, ent, ok := e.procNSPath(p, base+name); ok && ent == nil {
				ents = append(ents, dirent{name, ino, dtDir})
			} else if _, _, _, err := e.procLookup(p, base+name); err == 0 {
				ents = append(ents, dirent{name, ino, e.procEntryType(p, base+name)})
			} else if _, err := e.procLink(p, base+name); err == 0 {
				ents = append(ents, dirent{name, ino, dtLnk})
			}
		}
	case "task":
		ents = append(ents, dirent{who, ino, dtDir}) // one thread a process in the model
	case "fd", "fdinfo":
		dt := uint8(dtLnk)
		if sub == "fdinfo" {
			dt = dtReg
		}
		for n, f := range t.filesFd() {
			if f != nil {
				ents = append(ents, dirent{strconv.Itoa(n), ino, dt})
			}
		}
	}
	return ents, 0
}

// procEntryType is DT_DIR or DT_REG for a name procLookup knows.
func (e *Engine) procEntryType(p *process, path string) uint8 {
	if _, _, dir, _ := e.procLookup(p, path); dir {
		return dtDir
	}
	return dtReg
}

// procGlobalEntries are the files and directories one level below dir,
// by name.
func procGlobalEntries(dir string) []dirent {
	seen := map[string]uint8{}
	add := func(path string, dt uint8) {
		rest, ok := strings.CutPrefix(path, dir+"/")
		if !ok || rest == "" {
			return
		}
		if name, _, deeper := strings.Cut(rest, "/"); deeper {
			seen[name] = dtDir
		} else if _, ok := seen[name]; !ok {
			seen[name] = dt
		}
	}
	for path := range procGlobalFiles {
		add(path, dtReg)
	}
	for path := range procDirs {
		add(path, dtDir)
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]dirent, 0, len(names))
	for _, n := range names {
		out = append(out, dirent{n, 0, seen[n]})
	}
	return out
}

// procStatMode is the mode stat (follow) or lstat gives a /proc or /sys
// name: a link's (proc_fd_link's S_IFLNK with the descriptor's access as
// its bits; /proc/self's 0777) or what it leads to; a directory's 0555; a
// file's 0444.
func (e *Engine) procStatMode(p *process, path string, follow int) (uint32, engine.Errno) {
	if _, err := e.procLink(p, path); err == 0 {
		f := e.procFDFile(p, path)
		switch {
		case follow != 0 && f != nil:
			return f.ino.fmode(), 0
		case follow != 0:
			return engine.S_IFDIR | 0o555, 0
		case f != nil:
			mode := uint32(engine.S_IFLNK)
			if f.canRead() || f.flags&engine.O_PATH != 0 {
				mode |= 0o500
			}
			if f.canWrite() {
				mode |= 0o300
			}
			return mode, 0
		}
		return engine.S_IFLNK | 0o777, 0
	} else if err != engine.EINVAL {
		return 0, err
	}
	_, _, dir, err := e.procLookup(p, path)
	switch {
	case err != 0:
		return 0, err
	case dir:
		return engine.S_IFDIR | 0o555, 0
	}
	return engine.S_IFREG | 0o444, 0
}

// procFDFile is the file /proc/PID/fd/N names, nil when path is not one.
func (e *Engine) procFDFile(p *process, path string) *file {
	t, dir, n, err := e.procFDPath(p, path)
	if t == nil || err != 0 || dir != "fd" {
		return nil
	}
	return t.fd(int64(n))
}

// procStat is stat or lstat of a /proc or /sys name.
func (e *Engine) procStat(p *process, path string, follow int, buf uint64) (int64, engine.Errno) {
	mode, err := e.procStatMode(p, path, follow)
	if err != 0 {
		return -1, err
	}
	if f := e.procFDFile(p, path); f != nil && follow != 0 {
		return e.sysStat(p, f.ino, buf)
	}
	b := e.statBuf(e.fs.proc)
	le := binary.LittleEndian
	le.PutUint32(b[24:], mode)
	if mode&engine.S_IFMT == engine.S_IFLNK {
		le.PutUint64(b[48:], 64) // proc_fd_link's st_size
	}
	if err := e.copyToUser(p, buf, b, nil); err != 0 {
		return -1, err
	}
	return 0, 0
}
