package sim

import (
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
