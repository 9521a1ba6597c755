package sim

import (
	"encoding/binary"
	"strconv"
	"strings"

	"github.com/mmapplayground/playground/internal/engine"
)

// nsfs, analogous to fs/nsfs.c and fs/proc/namespaces.c: /proc/PID/ns/NAME
// are magic links to a namespace's nsfs file (readlink: "user:[4026531837]",
// the namespace's inode number); opening one opens the namespace (one inode
// each, shared by every open), which setns (nsproxy.go) enters and the NS_
// ioctls ask about. A pidfd's PIDFD_GET_*_NAMESPACE ioctls open the same
// files.
//
//	ioctl              check                                        errno
//	NS_GET_USERNS      the owner is not the caller's user namespace EPERM
//	                   or below it (ns_get_owner)
//	NS_GET_PARENT      a kind without a parent (not user, pid)      EINVAL
//	                   the parent is not the caller's namespace or  EPERM
//	                   below it (pidns_get_parent, ns_get_owner)
//	NS_GET_NSTYPE      -                                            (its CLONE_NEW* flag)
//	NS_GET_OWNER_UID   not a user namespace                         EINVAL
//	                   the uid not writable                         EFAULT
//	other              -                                            ENOTTY

// nsfsDevice is nsfs's st_dev on this machine (0:4).
const nsfsDevice = 4

// The nsfs ioctls (<linux/nsfs.h>: _IO(NSIO, n), NSIO 0xb7) and pidfs'
// namespace ioctls (<linux/pidfd.h>: _IO(PIDFS_IOCTL_MAGIC, n), 0xFF).
const (
	nsGetUserns   = 0xb701
	nsGetParent   = 0xb702
	nsGetNstype   = 0xb703
	nsGetOwnerUID = 0xb704
	pidfdGetNS    = 0xff00 // | 1..10: cgroup, ipc, mnt, net, pid, pid_for_children, time, time_for_children, user, uts
)

// nsEntry is one of /proc/PID/ns's links: its name, its kind, and whether
// it is the namespace for the process's children.
type nsEntry struct {
	name     string
	kind     int
	children bool
}

// nsEntries are /proc/PID/ns's links in the order readdir lists them
// (fs/proc/namespaces.c's ns_entries).
var nsEntries = []nsEntry{
	{"net", nsNet, false}, {"uts", nsUts, false}, {"ipc", nsIpc, false}, {"pid", nsPid, false},
	{"pid_for_children", nsPid, true}, {"cgroup", nsCgroup, false}, {"mnt", nsMnt, false},
	{"time", nsTime, false}, {"time_for_children", nsTime, true}, {"user", nsUser, false},
}

// pidfdNSEntries are PIDFD_GET_*_NAMESPACE's, by the ioctl's number.
var pidfdNSEntries = [...]nsEntry{
	1: {"cgroup", nsCgroup, false}, 2: {"ipc", nsIpc, false}, 3: {"mnt", nsMnt, false}, 4: {"net", nsNet, false},
	5: {"pid", nsPid, false}, 6: {"pid_for_children", nsPid, true}, 7: {"time", nsTime, false},
	8: {"time_for_children", nsTime, true}, 9: {"user", nsUser, false}, 10: {"uts", nsUts, false},
}

// procNSPath parses /proc/PID/ns and /proc/PID/ns/NAME (also under
// task/TID): the process and the link's entry (nil for the directory);
// ok is false when path is neither.
func (e *Engine) procNSPath(reader *process, path string) (t *process, ent *nsEntry, ok bool) {
	rest, found := strings.CutPrefix(strings.TrimSuffix(path, "/"), "/proc/")
	if !found {
		return nil, nil, false
	}
	who, name, _ := strings.Cut(rest, "/")
	t = reader
	if who != "self" && who != "thread-self" {
		pid, err := strconv.Atoi(who)
		if err != nil || strconv.Itoa(pid) != who {
			return nil, nil, false
		}
		t = e.task(pid)
	}
	if t == nil || t.reaped || t.kthread {
		return nil, nil, false
	}
	name, found = procTaskPath(name, t.pid)
	if !found {
		return nil, nil, false
	}
	if name == "ns" {
		return t, nil, true
	}
	link, found := strings.CutPrefix(name, "ns/")
	if !found {
		return nil, nil, false
	}
	for i := range nsEntries {
		if nsEntries[i].name == link {
			return t, &nsEntries[i], true
		}
	}
	return nil, nil, false
}

// nsOfEntry is the namespace an entry of t's names (proc_ns_get_link's
// ns_get_path): ENOENT once t has exited (no nsproxy), and for
// pid_for_children before the namespace has its pid 1
// (pidns_for_children_get).
func (e *Engine) nsOfEntry(t *process, ent *nsEntry) (*namespace, engine.Errno) {
	if t.exited {
		return nil, engine.ENOENT
	}
	if !ent.children {
		return e.nsOf(t, ent.kind), 0
	}
	if ent.kind == nsTime {
		return e.timeNSForChildren(t), 0
	}
	n := e.pidNSForChildren(t)
	if n.level > 0 && n.pid.reaper == 0 {
		return nil, engine.ENOENT
	}
	return n, 0
}

// nsDirInode is the directory /proc/PID/ns of t, one inode a process
// (made the first time), named by its path so that openat from it finds
// its links.
func (e *Engine) nsDirInode(t *process) *inode {
	if id, ok := e.ns.dirs[t.pid]; ok {
		return e.fs.inodes[id]
	}
	if e.ns.dirs == nil {
		e.ns.dirs = map[int]int32{}
	}
	ino := e.fs.newInode("/proc/"+strconv.Itoa(t.pid)+"/ns", kindDir)
	e.ns.dirs[t.pid] = ino.id
	return ino
}

// nsfsInode is n's nsfs inode, made the first time.
func (e *Engine) nsfsInode(n *namespace) *inode {
	if n.nsfs == nil {
		n.nsfs = e.fs.newInode(nsLinkText(n), kindNsfs)
		n.nsfs.ino = n.inum
		n.nsfs.nlink = 1
		n.nsfs.ns = n
	}
	return n.nsfs
}

// nsLinkText is what readlink says of a link to n (ns_get_name).
func nsLinkText(n *namespace) string {
	return nsKindInfo[n.kind].name + ":[" + strconv.FormatUint(n.inum, 10) + "]"
}

// openNS installs a descriptor for n's nsfs file in p (O_RDONLY; cloexec
// for the ioctls' open_related_ns and open_namespace).
func (e *Engine) openNS(p *process, n *namespace, flags int, cloexec bool) (int64, engine.Errno) {
	if n := p.files.unusedFd(0); uint64(n) >= p.nofile() {
		return -1, engine.EMFILE
	}
	ino := e.nsfsInode(n)
	ino.opens++
	fd := p.installFD(&file{ino: ino, flags: flags, refs: 1})
	if cloexec {
		p.files.cloexec[fd] = true
	}
	return int64(fd), 0
}

// procNSOpen is an open of /proc/PID/ns/NAME (the link followed to the
// namespace's file) or of /proc/PID/ns (a directory): nsfs files are
// root's, mode 0444.
func (e *Engine) procNSOpen(p *process, t *process, ent *nsEntry, flags int) (int64, engine.Errno) {
	if ent == nil {
		if flags&engine.O_ACCMODE != engine.O_RDONLY {
			return -1, engine.EISDIR
		}
		ino := e.nsDirInode(t)
		ino.opens++
		return int64(p.installFD(&file{ino: ino, flags: flags, refs: 1, rootOwned: true})), 0
	}
	n, err := e.nsOfEntry(t, ent)
	if err != 0 {
		return -1, err
	}
	switch {
	case flags&engine.O_DIRECTORY != 0:
		return -1, engine.ENOTDIR
	case flags&engine.O_ACCMODE != engine.O_RDONLY || flags&engine.O_TRUNC != 0:
		return -1, engine.EACCES
	}
	fd, err := e.openNS(p, n, flags, false)
	if err == 0 && flags&engine.O_CLOEXEC != 0 {
		p.files.cloexec[fd] = true
	}
	return fd, err
}

// nsStatBuf is an nsfs file's struct stat (nsfs_init_inode: S_IFREG|0444,
// root's, one link); lstat of a /proc/PID/ns link is the link's (a
// symlink of procfs, 0777).
func (e *Engine) nsStatBuf(n *namespace, link bool) []byte {
	b := e.statBuf(e.nsfsInode(n))
	le := binary.LittleEndian
	if link {
		le.PutUint64(b[0:], procDevice)
		le.PutUint32(b[24:], engine.S_IFLNK|0o777)
		le.PutUint64(b[48:], 0)
		return b
	}
	le.PutUint64(b[0:], nsfsDevice)
	le.PutUint32(b[24:], engine.S_IFREG|0o444)
	le.PutUint32(b[28:], 0)
	le.PutUint32(b[32:], 0)
	le.PutUint64(b[48:], 0)
	le.PutUint64(b[56:], engine.PageSize)
	le.PutUint64(b[64:], 0)
	return b
}

// nsStat is stat, lstat and newfstatat of a /proc/PID/ns path; handled is
// false when path is not one.
func (e *Engine) nsStat(p *process, path string, buf uint64, link bool) (ret int64, err engine.Errno, handled bool) {
	t, ent, ok := e.procNSPath(p, path)
	if !ok {
		return 0, 0, false
	}
	var b []byte
	if ent == nil {
		b = e.statBuf(e.fs.inodes[e.fs.names["."]])
		binary.LittleEndian.PutUint64(b[0:], procDevice)
		binary.LittleEndian.PutUint32(b[24:], engine.S_IFDIR|0o511)
	} else {
		n, err := e.nsOfEntry(t, ent)
		if err != 0 {
			return -1, err, true
		}
		b = e.nsStatBuf(n, link)
	}
	if err := e.copyToUser(p, buf, b, nil); err != 0 {
		return -1, err, true
	}
	return 0, 0, true
}

// nsReadlink is readlink of a /proc/PID/ns link: its text; handled is
// false when path is not one.
func (e *Engine) nsReadlink(p *process, path string) (text string, err engine.Errno, handled bool) {
	t, ent, ok := e.procNSPath(p, path)
	if !ok {
		return "", 0, false
	}
	if ent == nil {
		return "", engine.EINVAL, true
	}
	n, err := e.nsOfEntry(t, ent)
	if err != 0 {
		return "", err, true
	}
	return nsLinkText(n), 0, true
}

// nsIoctl is ns_ioctl: the NS_ ioctls of an nsfs file.
func (e *Engine) nsIoctl(p *process, n *namespace, cmd uint32, arg uint64) (int64, engine.Errno) {
	switch cmd {
	case nsGetUserns:
		return e.openRelatedNS(p, e.nsGetOwner(p, n))
	case nsGetParent:
		switch n.kind {
		case nsUser:
			return e.openRelatedNS(p, e.nsGetOwner(p, n))
		case nsPid:
			return e.openRelatedNS(p, e.pidnsGetParent(p, n))
		}
		return -1, engine.EINVAL
	case nsGetNstype:
		return int64(nsKindInfo[n.kind].flag), 0
	case nsGetOwnerUID:
		if n.kind != nsUser {
			return -1, engine.EINVAL
		}
		var b [4]byte
		binary.LittleEndian.PutUint32(b[:], uint32(mungedID(e.nsOf(p, nsUser).user.uidMap, n.user.ownerUID)))
		if err := e.copyToUser(p, arg, b[:], nil); err != 0 {
			return -1, err
		}
		return 0, 0
	}
	return -1, engine.ENOTTY
}

// openRelatedNS is open_related_ns: a new descriptor (close-on-exec) for
// n, or EPERM when the walk found none.
func (e *Engine) openRelatedNS(p *process, n *namespace) (int64, engine.Errno) {
	if n == nil {
		return -1, engine.EPERM
	}
	return e.openNS(p, n, engine.O_RDONLY, true)
}

// nsGetOwner is ns_get_owner: n's owning user namespace when the caller's
// user namespace is it or above it; nil otherwise.
func (e *Engine) nsGetOwner(p *process, n *namespace) *namespace {
	mine := e.nsOf(p, nsUser)
	for u := n.owner; u != nil; u = u.owner {
		if u == mine {
			return n.owner
		}
	}
	return nil
}

// pidnsGetParent is pidns_get_parent: n's parent when the caller's pid
// namespace is it or above it; nil otherwise.
func (e *Engine) pidnsGetParent(p *process, n *namespace) *namespace {
	active := e.nsOf(p, nsPid)
	for a := n.parent; a != nil; a = a.parent {
		if a == active {
			return n.parent
		}
	}
	return nil
}

// pidfdNSIoctl is pidfd_ioctl's PIDFD_GET_*_NAMESPACE: the namespace of
// the process the pidfd names, opened.
//
//	check                                  errno
//	the process has been reaped            ESRCH
//	arg not 0                              EINVAL
//	the process has exited (no nsproxy)    ESRCH
func (e *Engine) pidfdNSIoctl(p *process, pid int, nr uint32, arg uint64) (int64, engine.Errno) {
	t := e.proc(pid)
	if t == nil || t.reaped {
		return -1, engine.ESRCH
	}
	if arg != 0 {
		return -1, engine.EINVAL
	}
	if t.exited {
		return -1, engine.ESRCH
	}
	ent := pidfdNSEntries[nr]
	var n *namespace
	switch {
	case ent.children && ent.kind == nsPid:
		n = e.pidNSForChildren(t)
	case ent.children:
		n = e.timeNSForChildren(t)
	default:
		n = e.nsOf(t, ent.kind)
	}
	return e.openNS(p, n, engine.O_RDONLY, true)
}
