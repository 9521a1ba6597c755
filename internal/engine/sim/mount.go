package sim

import (
	"encoding/binary"
	"strings"

	"github.com/mmapplayground/playground/internal/engine"
)

// Mounts and mount namespaces, analogous to fs/namespace.c: each mount
// namespace has its list of mounts (struct mount: where, what file
// system, its per-mount flags MNT_*); copy_mnt_ns copies them, and a copy
// made for a less privileged user namespace locks the flags a user there
// may not change (lock_mnt_tree).

// Per-mount flags (<linux/mount.h>'s MNT_*, the kernel's, not MS_*).
const (
	mntNosuid      = 0x01
	mntNodev       = 0x02
	mntNoexec      = 0x04
	mntNoatime     = 0x08
	mntNodiratime  = 0x10
	mntRelatime    = 0x20
	mntReadonly    = 0x40
	mntNosymfollow = 0x80
	mntShrinkable  = 0x100
	mntLockAtime   = 0x040000
	mntLockNoexec  = 0x080000
	mntLockNosuid  = 0x100000
	mntLockNodev   = 0x200000
	mntLockRdonly  = 0x400000
	mntLocked      = 0x800000
)

// mount is struct mount: a file system mounted at path.
type mount struct {
	path   string // the mount point, absolute
	fstype string
	source string
	flags  uint32 // MNT_*
	// sbUser is its superblock's user namespace (s_user_ns): the one
	// its maker was in; nil: the initial.
	sbUser *namespace
	// sbRdonly is its superblock's SB_RDONLY: made with MS_RDONLY (a
	// bind remount changes the mount's flags, not this).
	sbRdonly bool
	// pidNS is a proc mount's pid namespace (proc_pid_ns); nil: the
	// initial.
	pidNS *namespace
}

// mntNS is struct mnt_namespace's part beyond ns_common: its mounts, in
// the order they were made (a later one on the same path hides the
// earlier).
type mntNS struct {
	mounts []*mount
}

// initMntNS is the initial namespace's mounts, as this machine's
// /proc/self/mountinfo lists them (the paths the model has): each
// rw,relatime.
func initMntNS() *mntNS {
	return &mntNS{mounts: []*mount{
		{path: "/", fstype: "ext4", source: "/dev/vda", flags: mntRelatime},
		{path: "/proc", fstype: "proc", source: "proc", flags: mntRelatime},
		{path: "/sys", fstype: "sysfs", source: "sysfs", flags: mntRelatime},
		{path: "/dev", fstype: "devtmpfs", source: "devtmpfs", flags: mntRelatime},
		{path: "/dev/shm", fstype: "tmpfs", source: "tmpfs", flags: mntRelatime},
		{path: "/dev/pts", fstype: "devpts", source: "devpts", flags: mntRelatime},
	}}
}

// copyMntNS is copy_mnt_ns: a namespace with a copy of each of p's
// mounts, owned by user; when user is not the owner of p's namespace
// (a less privileged one), each copy's flags are locked (lock_mnt_tree:
// CL_UNPRIVILEGED).
func (e *Engine) copyMntNS(p *process, user *namespace) (*namespace, engine.Errno) {
	old := e.nsOf(p, nsMnt)
	n, err := e.newNS(nsMnt, user)
	if err != 0 {
		return nil, err
	}
	n.mnt = &mntNS{}
	lock := user != old.owner
	for _, m := range old.mnt.mounts {
		c := *m
		if lock {
			c.flags |= lockedFlags(c.flags)
		}
		n.mnt.mounts = append(n.mnt.mounts, &c)
	}
	return n, 0
}

// lockedFlags is lock_mnt_tree's: the locks for the flags a mount has.
func lockedFlags(f uint32) uint32 {
	l := uint32(mntLockAtime | mntLocked)
	if f&mntReadonly != 0 {
		l |= mntLockRdonly
	}
	if f&mntNodev != 0 {
		l |= mntLockNodev
	}
	if f&mntNosuid != 0 {
		l |= mntLockNosuid
	}
	if f&mntNoexec != 0 {
		l |= mntLockNoexec
	}
	return l
}

// The mount(2) flags (<linux/mount.h>'s MS_*).
const (
	msRdonly       = 1
	msNosuid       = 2
	msNodev        = 4
	msNoexec       = 8
	msRemount      = 32
	msNosymfollow  = 256
	msNoatime      = 1024
	msNodiratime   = 2048
	msBind         = 4096
	msMove         = 8192
	msRec          = 16384
	msSilent       = 32768
	msUnbindable   = 1 << 17
	msPrivate      = 1 << 18
	msSlave        = 1 << 19
	msShared       = 1 << 20
	msRelatime     = 1 << 21
	msStrictatime  = 1 << 24
	msMgcMsk       = 0xffff0000 // MS_MGC_MSK: the old magic in the top half
	msMgcVal       = 0xc0ed0000
	mntDetach      = 2
	mntForce       = 1
	mntExpire      = 4
	umountNofollow = 8
)

const (
	mntAtimeMask        = mntNoatime | mntNodiratime | mntRelatime
	mntUserSettableMask = mntNosuid | mntNodev | mntNoexec | mntNoatime | mntNodiratime | mntRelatime | mntReadonly | mntNosymfollow
)

// fsTypes are the file systems mount(2) knows, with their magic (statfs'
// f_type) and whether a user namespace's root may mount one
// (FS_USERNS_MOUNT).
var fsTypes = map[string]struct {
	magic  int64
	userns bool
}{
	"ext4": {0xef53, false}, "proc": {0x9fa0, true}, "sysfs": {0x62656572, true}, "devtmpfs": {0x01021994, false},
	"tmpfs": {0x01021994, true}, "ramfs": {0x858458f6, true}, "devpts": {0x1cd1, true},
}

// pathOf is path as p names it: absolute, from p's working directory.
func pathOf(p *process, path string) string {
	if !strings.HasPrefix(path, "/") {
		base := p.sys.cwd
		if base == "" {
			base = cwd
		}
		path = base + "/" + path
	}
	return cleanPath(path)
}

// cleanPath is path made absolute (from the session's directory) and
// without "." or ".." parts or repeated slashes.
func cleanPath(path string) string {
	if !strings.HasPrefix(path, "/") {
		path = cwd + "/" + path
	}
	var parts []string
	for _, s := range strings.Split(path, "/") {
		switch s {
		case "", ".":
		case "..":
			if len(parts) > 0 {
				parts = parts[:len(parts)-1]
			}
		default:
			parts = append(parts, s)
		}
	}
	return "/" + strings.Join(parts, "/")
}

// under reports whether path is at or below the mount point at.
func under(path, at string) bool {
	return at == "/" || path == at || strings.HasPrefix(path, at+"/")
}

// lookupMnt is the mount path is on in ns: the last made of those whose
// mount point is the longest prefix of path.
func lookupMnt(ns *mntNS, path string) *mount {
	var best *mount
	for _, m := range ns.mounts {
		if under(path, m.path) && (best == nil || len(m.path) >= len(best.path)) {
			best = m
		}
	}
	return best
}

// mountPointExists says whether the model has a directory at path (the
// kernel's user_path_at of the mount point).
func (e *Engine) mountPointExists(p *process, path string) bool {
	if lookupMnt(e.nsOf(p, nsMnt).mnt, path).path == path {
		return true
	}
	if procDirs[path] {
		return true
	}
	ino, _, err := e.fs.lookup(path)
	return err == 0 && ino.kind == kindDir
}

// msToMnt is path_mount's per-mount flags of MS_* flags: relatime unless
// told otherwise; a remount without atime flags keeps the mount's.
func msToMnt(flags uint64, old uint32) uint32 {
	var f uint32
	if flags&msNoatime == 0 {
		f |= mntRelatime
	}
	for _, x := range [...]struct {
		ms  uint64
		mnt uint32
	}{{msNosuid, mntNosuid}, {msNodev, mntNodev}, {msNoexec, mntNoexec}, {msNoatime, mntNoatime},
		{msNodiratime, mntNodiratime}, {msRdonly, mntReadonly}, {msNosymfollow, mntNosymfollow}} {
		if flags&x.ms != 0 {
			f |= x.mnt
		}
	}
	if flags&msStrictatime != 0 {
		f &^= mntRelatime | mntNoatime
	}
	if flags&msRemount != 0 && flags&(msNoatime|msNodiratime|msRelatime|msStrictatime) == 0 {
		f = f&^mntAtimeMask | old&mntAtimeMask
	}
	return f
}

// canChangeLockedFlags is can_change_locked_flags: a remount may not
// clear a locked flag nor change a locked atime.
func canChangeLockedFlags(m *mount, f uint32) bool {
	fl := m.flags
	switch {
	case fl&mntLockRdonly != 0 && f&mntReadonly == 0,
		fl&mntLockNodev != 0 && f&mntNodev == 0,
		fl&mntLockNosuid != 0 && f&mntNosuid == 0,
		fl&mntLockNoexec != 0 && f&mntNoexec == 0,
		fl&mntLockAtime != 0 && fl&mntAtimeMask != f&mntAtimeMask:
		return false
	}
	return true
}

// sysMount is mount(source, target, fstype, flags, data), analogous to
// fs/namespace.c's path_mount and the do_* it calls. The model's mounts
// hold flags and a file system's name: what is mounted shows through
// statfs and /proc's pid namespace (a proc mounted in a pid namespace
// shows its pids), and the files under a mount are the model's one file
// system whatever is mounted there.
//
//	check                                                    errno
//	a path not readable                                      EFAULT (the interpreter's)
//	the mount point does not exist                           ENOENT
//	no CAP_SYS_ADMIN over the caller's mount namespace       EPERM
//	  (may_mount)
//	MS_REMOUNT|MS_BIND (do_reconfigure_mnt):
//	  the target not a mount's root                          EINVAL
//	  a locked flag cleared, a locked atime changed          EPERM
//	MS_REMOUNT (do_remount): not a mount's root              EINVAL
//	  without CAP_SYS_ADMIN over its superblock (the model's
//	  mounts made before the namespace are the initial's)    EPERM
//	MS_BIND (do_loopback): no such source                    ENOENT
//	MS_SHARED|PRIVATE|SLAVE|UNBINDABLE (do_change_type):
//	  not a mount's root                                     EINVAL
//	  more than one of them                                  EINVAL
//	MS_MOVE                                                  EINVAL (not modelled)
//	a new mount (do_new_mount): no such file system type     ENODEV
//	  one a user namespace may not mount                     EPERM
func (e *Engine) sysMount(p *process, source, target, fstype string, flags uint64) (int64, engine.Errno) {
	if flags&msMgcMsk == msMgcVal {
		flags &^= msMgcMsk
	}
	target = pathOf(p, target)
	if !e.mountPointExists(p, target) {
		return -1, engine.ENOENT
	}
	ns := e.nsOf(p, nsMnt)
	if !e.nsCapable(p, ns.owner) {
		return -1, engine.EPERM
	}
	m := lookupMnt(ns.mnt, target)
	switch {
	case flags&(msRemount|msBind) == msRemount|msBind:
		f := msToMnt(flags, m.flags)
		if m.path != target {
			return -1, engine.EINVAL
		}
		if !canChangeLockedFlags(m, f) {
			return -1, engine.EPERM
		}
		m.flags = f | m.flags&^mntUserSettableMask
		return 0, 0
	case flags&msRemount != 0:
		if m.path != target {
			return -1, engine.EINVAL
		}
		if sb := m.sbUser; sb == nil && !e.nsCapable(p, e.ns.init[nsUser]) || sb != nil && !e.nsCapable(p, sb) {
			return -1, engine.EPERM
		}
		f := msToMnt(flags, m.flags)
		if !canChangeLockedFlags(m, f) {
			return -1, engine.EPERM
		}
		m.flags = f | m.flags&^mntUserSettableMask
		m.sbRdonly = flags&msRdonly != 0
		return 0, 0
	case flags&msBind != 0:
		src := pathOf(p, source)
		if !e.mountPointExists(p, src) {
			if _, _, err := e.fs.lookup(src); err != 0 {
				return -1, engine.ENOENT
			}
		}
		return e.doLoopback(ns.mnt, src, target, flags&msRec != 0)
	case flags&(msShared|msPrivate|msSlave|msUnbindable) != 0:
		if m.path != target {
			return -1, engine.EINVAL
		}
		t := flags & (msShared | msPrivate | msSlave | msUnbindable)
		if t&(t-1) != 0 || flags&^(t|msRec|msSilent) != 0 {
			return -1, engine.EINVAL
		}
		return 0, 0 // the model has no propagation to change
	case flags&msMove != 0:
		return -1, engine.EINVAL
	}
	ft, ok := fsTypes[fstype]
	if !ok {
		return -1, engine.ENODEV
	}
	if ns.owner.level > 0 && !ft.userns {
		return -1, engine.EPERM
	}
	if len(ns.mnt.mounts) >= maxMounts {
		return -1, engine.ENOSPC // mount_max
	}
	nm := &mount{path: target, fstype: fstype, source: source, flags: msToMnt(flags, 0), sbUser: e.nsOf(p, nsUser),
		sbRdonly: flags&msRdonly != 0}
	if fstype == "proc" {
		nm.pidNS = e.nsOf(p, nsPid)
	}
	ns.mnt.mounts = append(ns.mnt.mounts, nm)
	return 0, 0
}

// maxMounts is fs.mount-max (100000): the most mounts a namespace holds.
const maxMounts = 100000

// doLoopback is do_loopback: the mount src is on, bound at target (with
// those below it, recursive), its flags kept (clone_mnt).
func (e *Engine) doLoopback(ns *mntNS, src, target string, rec bool) (int64, engine.Errno) {
	old := lookupMnt(ns, src)
	if !rec {
		for _, m := range ns.mounts {
			if m != old && m.flags&mntLocked != 0 && under(m.path, src) && m.path != src {
				return -1, engine.EINVAL // has_locked_children
			}
		}
	}
	if len(ns.mounts) >= maxMounts {
		return -1, engine.ENOSPC
	}
	b := *old
	b.path = target
	b.flags &^= mntLocked
	added := []*mount{&b}
	if rec {
		for _, m := range ns.mounts {
			if m != old && under(m.path, src) && m.path != src {
				c := *m
				c.path = target + strings.TrimPrefix(m.path, src)
				added = append(added, &c)
			}
		}
	}
	ns.mounts = append(ns.mounts, added...)
	return 0, 0
}

// sysUmount2 is umount2(target, flags) (ksys_umount, can_umount).
//
//	check                                         errno
//	flags past MNT_FORCE|DETACH|EXPIRE|NOFOLLOW   EINVAL
//	no such path                                  ENOENT
//	not a mount's root                            EINVAL
//	locked (MNT_LOCKED: it hides what is below)   EINVAL
//	no CAP_SYS_ADMIN over the namespace           EPERM
//	the namespace's root                          EINVAL
func (e *Engine) sysUmount2(p *process, target string, flags int64) (int64, engine.Errno) {
	if flags&^(mntForce|mntDetach|mntExpire|umountNofollow) != 0 {
		return -1, engine.EINVAL
	}
	target = pathOf(p, target)
	if !e.mountPointExists(p, target) {
		return -1, engine.ENOENT
	}
	ns := e.nsOf(p, nsMnt)
	m := lookupMnt(ns.mnt, target)
	switch {
	case m.path != target:
		return -1, engine.EINVAL
	case m.flags&mntLocked != 0:
		return -1, engine.EINVAL
	case !e.nsCapable(p, ns.owner):
		return -1, engine.EPERM
	case m.path == "/":
		return -1, engine.EINVAL
	}
	// It goes, and with MNT_DETACH those mounted on it (after it, at or
	// below it); what it was mounted over stays.
	out := ns.mnt.mounts[:0]
	after := false
	for _, x := range ns.mnt.mounts {
		if x == m {
			after = true
			continue
		}
		if after && flags&mntDetach != 0 && under(x.path, target) {
			continue
		}
		out = append(out, x)
	}
	ns.mnt.mounts = out
	return 0, 0
}

// fdPath is the path statfs takes for what fd has open (fstatfs).
func fdPath(f *file) string {
	switch {
	case f.ino.kind == kindProc || f.ino.kind == kindNsfs:
		return "/proc"
	case strings.HasPrefix(f.ino.name, "/"):
		return f.ino.name
	}
	return cwd
}

// sysMountCall reads mount(2)'s strings (the interpreter has read the
// target) and makes the call.
func (e *Engine) sysMountCall(p *process, src uint64, target string, fstype uint64, flags uint64) (int64, engine.Errno) {
	var s, t string
	if src != 0 {
		b, err := e.strncpyFromUser(p, src, engine.PageSize)
		if err != 0 {
			return -1, err
		}
		s = string(b)
	}
	if fstype != 0 {
		b, err := e.strncpyFromUser(p, fstype, engine.PageSize)
		if err != 0 {
			return -1, err
		}
		t = string(b)
	}
	return e.sysMount(p, s, target, t, flags)
}

// sysStatfs is statfs(path, buf) and fstatfs: the mount's file system
// (f_type) and its flags (flags_by_mnt, with ST_VALID), in struct statfs
// (120 bytes).
func (e *Engine) sysStatfs(p *process, path string, buf uint64) (int64, engine.Errno) {
	path = pathOf(p, path)
	if !e.mountPointExists(p, path) {
		if _, _, err := e.fs.lookup(path); err != 0 && !isProcPath(path) {
			return -1, err
		}
	}
	m := lookupMnt(e.nsOf(p, nsMnt).mnt, path)
	const stValid = 0x20
	fl := uint64(stValid)
	if m.sbRdonly {
		fl |= 1 // ST_RDONLY
	}
	for _, x := range [...]struct {
		mnt uint32
		st  uint64
	}{{mntReadonly, 1}, {mntNosuid, 2}, {mntNodev, 4}, {mntNoexec, 8}, {mntNoatime, 1024}, {mntNodiratime, 2048},
		{mntRelatime, 4096}, {mntNosymfollow, 0x2000}} {
		if m.flags&x.mnt != 0 {
			fl |= x.st
		}
	}
	b := make([]byte, 120)
	le := binary.LittleEndian
	le.PutUint64(b[0:], uint64(fsTypes[m.fstype].magic))
	le.PutUint64(b[8:], engine.PageSize)
	le.PutUint64(b[64:], 255) // f_namelen
	le.PutUint64(b[72:], engine.PageSize)
	le.PutUint64(b[80:], fl)
	if err := e.copyToUser(p, buf, b, nil); err != 0 {
		return -1, err
	}
	return 0, 0
}

// procPidNS is the pid namespace of the proc mounted at /proc in p's
// mount namespace (proc_pid_ns): the pids /proc's files show.
func (e *Engine) procPidNS(p *process) *namespace {
	if m := lookupMnt(e.nsOf(p, nsMnt).mnt, "/proc"); m != nil && m.pidNS != nil {
		return m.pidNS
	}
	return e.nsOf(&process{}, nsPid)
}

// noSymfollowIn is the test the path walk makes of a link it would follow
// for p (pick_link: a link on a mount made MS_NOSYMFOLLOW is ELOOP); nil
// when no mount of p's namespace is.
func (e *Engine) noSymfollowIn(p *process) func(string) bool {
	ns := e.nsOf(p, nsMnt).mnt
	for _, m := range ns.mounts {
		if m.flags&mntNosymfollow != 0 {
			return func(path string) bool { return lookupMnt(ns, cleanPath(path)).flags&mntNosymfollow != 0 }
		}
	}
	return nil
}

// inodePermission is inode_permission for p: generic_permission's mode
// bits (namei.go), overridden by CAP_DAC_OVERRIDE where p has it over the
// inode (capable_wrt_inode_uidgid: every capability in a user namespace
// that maps the file's owner and group, the user's own files): read and
// write always, exec when some exec bit is set or it is a directory.
func (e *Engine) inodePermission(p *process, ino *inode, mask uint32) engine.Errno {
	err := ino.permission(mask)
	if err == 0 || !p.sys.ns.capFull || ino.rootOwned() {
		return err
	}
	u := e.nsOf(p, nsUser).user
	if _, ok := fromKernelID(u.uidMap, studentUID); !ok {
		return err
	}
	if _, ok := fromKernelID(u.gidMap, studentGID); !ok {
		return err
	}
	if mask&mayExec != 0 && ino.kind != kindDir && ino.fmode()&0o111 == 0 {
		return err
	}
	return 0
}
