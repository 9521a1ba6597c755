package sim

import (
	"strconv"
	"strings"

	"github.com/mmapplayground/playground/internal/engine"
)

// The symbolic links of /proc, analogous to fs/proc/self.c,
// thread_self.c and base.c: /proc/self (the reader's pid), /proc/thread-self
// (PID/task/TID, one thread a process in the engine), and in /proc/PID exe, cwd,
// fd/N, and map_files/START-END, one for each area that maps a file, named
// by its exact bounds (dname_to_vma_addr: lowercase or uppercase hex
// without leading zeros or blanks). readlink is the only call that follows
// them here; the model's session has no other symbolic links.

// sysReadlink is readlinkat(dirfd, path, buf, bufsiz): EINVAL for a size
// <= 0 or a path that is not a link, ENOENT for one that does not exist;
// the target is copied without a terminating NUL, cut at bufsiz.
func (e *Engine) sysReadlink(p *process, dirfd int64, path string, buf uint64, bufsiz int64, trace *[]string) (int64, engine.Errno) {
	*trace = append(*trace, "do_readlinkat")
	if bufsiz <= 0 {
		return -1, engine.EINVAL
	}
	path, err := e.atPath(p, dirfd, path)
	if err != 0 {
		return -1, err
	}
	target, err := e.procLink(p, path)
	if err != 0 {
		return -1, err
	}
	b := []byte(target)
	if int64(len(b)) > bufsiz {
		b = b[:bufsiz]
	}
	if err := e.copyToUser(p, buf, b, nil); err != 0 {
		return -1, err
	}
	return int64(len(b)), 0
}

// procLink is the target of a /proc link, or why there is none.
func (e *Engine) procLink(p *process, path string) (string, engine.Errno) {
	if strings.HasSuffix(path, "/") && path != "/" {
		// Followed to the directory it names: not a link.
		if _, err := e.procLink(p, strings.TrimRight(path, "/")); err != 0 && err != engine.EINVAL {
			return "", err
		}
		return "", engine.EINVAL
	}
	if text, err, ok := e.nsReadlink(p, path); ok {
		return text, err // nsfs.go
	}
	rest, ok := strings.CutPrefix(path, "/proc/")
	if !ok {
		nd, err := e.fs.walk(cwd, path, 0)
		switch {
		case err != 0:
			return "", err
		case nd.ino.kind == kindSymlink:
			return nd.ino.target, 0
		}
		return "", engine.EINVAL // a file, not a link
	}
	who, name, _ := strings.Cut(rest, "/")
	switch {
	case name == "" && who == "self":
		return strconv.Itoa(p.pid), 0
	case name == "" && who == "thread-self":
		return strconv.Itoa(p.pid) + "/task/" + strconv.Itoa(p.pid), 0
	}
	t := p
	if who != "self" && who != "thread-self" {
		n, err := strconv.Atoi(who)
		if err != nil || strconv.Itoa(n) != who {
			return "", engine.ENOENT
		}
		t = e.task(n)
	}
	if t != nil && t.kthread && name != "" {
		// Root's: the model's user may not look (ptrace_may_access).
		return "", engine.EACCES
	}
	if t == nil || t.reaped || t.mm == nil {
		return "", engine.ENOENT
	}
	switch {
	case name == "exe":
		if strings.HasPrefix(t.exe, "/") {
			return t.exe, 0 // Options.ProgramPath
		}
		return cwd + "/" + t.exe, 0
	case name == "cwd":
		return cwd, 0
	case strings.HasPrefix(name, "fd/"):
		n, err := strconv.Atoi(name[3:])
		if err != nil || strconv.Itoa(n) != name[3:] {
			return "", engine.ENOENT
		}
		f := t.fd(int64(n))
		if f == nil {
			return "", engine.ENOENT
		}
		return e.fileName(f.ino), 0
	case strings.HasPrefix(name, "map_files/"):
		start, end, ok := mapFilesName(name[len("map_files/"):])
		if !ok {
			return "", engine.ENOENT
		}
		for _, v := range t.mm.vmas {
			if v.start == start && v.end == end && (v.file != nil || v.zeroFile != nil) {
				return e.mapsName(t, v), 0
			}
		}
		return "", engine.ENOENT
	}
	if _, _, _, err := e.procLookup(p, path); err != 0 {
		return "", err
	}
	return "", engine.EINVAL
}

// fileName is d_path of an open file's inode.
func (e *Engine) fileName(ino *inode) string {
	switch ino.kind {
	case kindReg, kindImage:
		name := ino.name
		if name[0] != '/' {
			name = cwd + "/" + name
		}
		if ino.nlink == 0 {
			name += " (deleted)"
		}
		return name
	case kindDir:
		return cwd
	}
	return ino.name // "/dev/null", "pipe:[N]", "anon_inode:[eventfd]", "/memfd:x (deleted)"
}

// mapFilesName parses a map_files entry's name as dname_to_vma_addr does.
func mapFilesName(s string) (start, end uint64, ok bool) {
	a, b, found := strings.Cut(s, "-")
	if !found {
		return 0, 0, false
	}
	hex := func(x string) (uint64, bool) {
		if x == "" || (x[0] == '0' && len(x) > 1) {
			return 0, false
		}
		v, err := strconv.ParseUint(x, 16, 64)
		return v, err == nil
	}
	start, ok1 := hex(a)
	end, ok2 := hex(b)
	return start, end, ok1 && ok2
}
