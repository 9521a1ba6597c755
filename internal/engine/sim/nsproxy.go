package sim

import (
	"strings"

	"github.com/mmapplayground/playground/internal/engine"
)

// Namespaces, analogous to kernel/nsproxy.c (struct nsproxy, unshare,
// setns), with the kinds' own files: user_namespace.go
// (kernel/user_namespace.c), pid_namespace.go (kernel/pid_namespace.c),
// nsfs.go (fs/nsfs.c, /proc/PID/ns) and mount.go (fs/namespace.c).
//
// Each process holds one namespace of each kind (a nil pointer: the
// initial one) and, for pid and time, the one its children will be made
// in (pid_for_children, time_for_children). Its credentials' user
// namespace is nsUser's slot; the process has every capability there
// (CAP_FULL_SET: it made it or entered it) or none (the initial
// namespace, where the playground's user is unprivileged):
//
//	initial user ns (level 0, 4026531837)   the user: no capability
//	  └ user ns made by unshare/clone (level 1), owner uid 1000: its
//	    maker has every capability in it and in what it owns:
//	      uts, ipc, mnt, net, cgroup, time, pid (level 1) namespaces
//
// The uts, ipc, net and cgroup namespaces are counted objects (their
// inode numbers, owners and counts), with nothing of their own modelled
// inside them: one host name, no System V IPC, no network.

// Namespace kinds, as the slots of taskNS.ns.
const (
	nsUser = iota
	nsMnt
	nsPid
	nsUts
	nsIpc
	nsNet
	nsCgroup
	nsTime
	nsKinds
)

// nsKindInfo is each kind's CLONE_NEW* flag (ops->type), its name in
// /proc/PID/ns, the initial namespace's inode number as this machine's
// are numbered (readlink /proc/self/ns/*), and its
// /proc/sys/user/max_*_namespaces file.
var nsKindInfo = [nsKinds]struct {
	flag  uint64
	name  string
	inum  uint64
	limit string
}{
	nsUser:   {engine.CLONE_NEWUSER, "user", 4026531837, "max_user_namespaces"},
	nsMnt:    {engine.CLONE_NEWNS, "mnt", 4026531832, "max_mnt_namespaces"},
	nsPid:    {engine.CLONE_NEWPID, "pid", 4026531836, "max_pid_namespaces"},
	nsUts:    {engine.CLONE_NEWUTS, "uts", 4026531838, "max_uts_namespaces"},
	nsIpc:    {engine.CLONE_NEWIPC, "ipc", 4026531839, "max_ipc_namespaces"},
	nsNet:    {engine.CLONE_NEWNET, "net", 4026531833, "max_net_namespaces"},
	nsCgroup: {engine.CLONE_NEWCGROUP, "cgroup", 4026531835, "max_cgroup_namespaces"},
	nsTime:   {engine.CLONE_NEWTIME, "time", 4026531834, "max_time_namespaces"},
}

// nsFirstInum is where this machine's kernel numbers the namespaces made
// after boot (proc_alloc_inum from PROC_DYNAMIC_FIRST; the first few
// hundred went to the machine's own services).
const nsFirstInum = 4026532248

// maxNamespaces bounds the namespaces of each kind a run makes (the
// model does not free one: it counts what was made, not what lives), so
// that a loop of unshare costs the host a bounded amount. The kernel's
// bound is the ucount (/proc/sys/user/max_*_namespaces, maxNsUcount),
// far above it, and counts live namespaces: the model answers ENOSPC
// where the kernel would go on.
const maxNamespaces = 4096

// maxUserNSLevel is create_user_ns's bound: 32 levels below the initial.
const maxUserNSLevel = 32

// namespace is struct ns_common with what each kind keeps.
type namespace struct {
	kind  int
	inum  uint64
	level int        // user and pid: the depth below the initial
	owner *namespace // the owning user namespace (user: its parent); nil: none (the initial user ns)
	// parent is a pid namespace's parent (user: owner).
	parent *namespace
	// nsfs is the inode its nsfs files share (nsfs.go), once one is open.
	nsfs *inode

	user *userNS // a user namespace's maps
	pid  *pidNS  // a pid namespace's allocation
	mnt  *mntNS  // a mount namespace's mounts
	uts  *utsNS  // a uts namespace's names; nil: utsname's (sys.go)
}

// utsNS is struct uts_namespace's names that a process may set.
type utsNS struct{ nodename, domainname string }

// nsState is the engine's namespaces: the initial one of each kind and
// the count made of each.
type nsState struct {
	init     [nsKinds]*namespace
	made     [nsKinds]int
	nextInum uint64
	// dirs are the inodes of the /proc/PID/ns directories opened, by pid
	// (nsfs.go).
	dirs map[int]int32
}

// taskNS is a process's struct nsproxy, with its credentials' user
// namespace (cred->user_ns) in ns[nsUser], its pid namespace
// (task_active_pid_ns) in ns[nsPid], and the numbers of its pid in the
// namespaces below the initial one (struct pid's numbers[1:]).
type taskNS struct {
	ns [nsKinds]*namespace
	// pidForChildren and timeForChildren are nsproxy's
	// pid_ns_for_children and time_ns_for_children; nil: the same as the
	// process's own.
	pidForChildren, timeForChildren *namespace
	// capFull is cap_effective = CAP_FULL_SET in ns[nsUser] (it made or
	// entered it); false: no capability.
	capFull bool
	// nr are the pid's numbers at levels 1..ns[nsPid].level.
	nr []int
}

// initNS makes the initial namespaces.
func (e *Engine) initNS() {
	st := &e.ns
	st.nextInum = nsFirstInum
	for k := range st.init {
		n := &namespace{kind: k, inum: nsKindInfo[k].inum}
		switch k {
		case nsUser:
			n.user = &userNS{ownerUID: 0, uidMap: initIDMap, gidMap: initIDMap}
		case nsPid:
			n.pid = &pidNS{adding: true}
		case nsMnt:
			n.mnt = initMntNS()
		}
		st.init[k] = n
	}
	for k := range st.init {
		if k != nsUser {
			st.init[k].owner = st.init[nsUser]
		}
	}
}

// nsOf is p's namespace of kind k.
func (e *Engine) nsOf(p *process, k int) *namespace { return e.nsIn(&p.sys.ns, k) }

// nsIn is t's namespace of kind k.
func (e *Engine) nsIn(t *taskNS, k int) *namespace {
	if n := t.ns[k]; n != nil {
		return n
	}
	if e.ns.init[k] == nil {
		e.initNS()
	}
	return e.ns.init[k]
}

// pidNSForChildren is nsproxy->pid_ns_for_children.
func (e *Engine) pidNSForChildren(p *process) *namespace { return e.forChildren(&p.sys.ns, nsPid) }

// timeNSForChildren is nsproxy->time_ns_for_children.
func (e *Engine) timeNSForChildren(p *process) *namespace { return e.forChildren(&p.sys.ns, nsTime) }

// forChildren is t's pid or time namespace for its children.
func (e *Engine) forChildren(t *taskNS, k int) *namespace {
	n := t.pidForChildren
	if k == nsTime {
		n = t.timeForChildren
	}
	if n != nil {
		return n
	}
	return e.nsIn(t, k)
}

// normalize puts nil for the initial namespaces, as a process that never
// left them holds them.
func (e *Engine) normalize(t *taskNS) {
	for k, n := range t.ns {
		if n == e.ns.init[k] {
			t.ns[k] = nil
		}
	}
	if t.pidForChildren == e.nsIn(t, nsPid) {
		t.pidForChildren = nil
	}
	if t.timeForChildren == e.nsIn(t, nsTime) {
		t.timeForChildren = nil
	}
}

// newNS is the common part of making a namespace of kind k owned by
// owner: its count (inc_ucount: ENOSPC past the limit) and its inode
// number (ns_alloc_inum).
func (e *Engine) newNS(k int, owner *namespace) (*namespace, engine.Errno) {
	if e.ns.init[k] == nil {
		e.initNS()
	}
	if e.ns.made[k] >= min(maxNamespaces, e.maxNsUcount()) {
		return nil, engine.ENOSPC
	}
	e.ns.made[k]++
	n := &namespace{kind: k, inum: e.ns.nextInum, owner: owner}
	e.ns.nextInum++
	return n, 0
}

// maxNsUcount is each /proc/sys/user/max_*_namespaces, as the kernel sets
// them (user_namespace_sysctl_init: max_threads/2, the same as
// RLIMIT_NPROC's, initRlimits).
func (e *Engine) maxNsUcount() int { return int(e.mem.total / 32 / 2) }

func init() {
	procDirs["/proc/sys/user"] = true
	for k := range nsKindInfo {
		procGlobalFiles["/proc/sys/user/"+nsKindInfo[k].limit] = &procFile{record: whole(func(e *Engine, _, _ *process) string {
			return itoa(e.maxNsUcount()) + "\n"
		})}
	}
}

// nsCapable is ns_capable(ns, cap) for p, as cap_capable walks the user
// namespaces: p has a capability in its own user namespace when it has
// any (capFull), and every capability in a namespace its user made
// below its own; none in a namespace above or beside its own.
func (e *Engine) nsCapable(p *process, ns *namespace) bool { return e.credCapable(&p.sys.ns, ns) }

// credCapable is cap_capable for the credentials t holds.
func (e *Engine) credCapable(t *taskNS, ns *namespace) bool {
	cred := e.nsIn(t, nsUser)
	for {
		if ns == cred {
			return t.capFull
		}
		if ns.level <= cred.level {
			return false
		}
		if ns.owner == cred && ns.user.ownerUID == studentUID {
			return true
		}
		ns = ns.owner
	}
}

// inUserNS is in_userns(ancestor, child): child is ancestor or below it.
func inUserNS(ancestor, child *namespace) bool {
	for ; child != nil && child.level > ancestor.level; child = child.owner {
	}
	return child == ancestor
}

// newNamespaces is create_new_namespaces: copies of p's namespaces of the
// kinds flags name, owned by user, in the kernel's order (mnt, uts, ipc,
// pid, cgroup, net, time). into holds p's (or the new credentials')
// namespaces and is changed in place.
func (e *Engine) newNamespaces(p *process, flags uint64, user *namespace, into *taskNS) engine.Errno {
	for _, k := range []int{nsMnt, nsUts, nsIpc, nsPid, nsCgroup, nsNet, nsTime} {
		if flags&nsKindInfo[k].flag == 0 {
			continue
		}
		switch k {
		case nsPid:
			// copy_pid_ns: only from the namespace the caller is in.
			old := e.pidNSForChildren(p)
			if old != e.nsOf(p, nsPid) {
				return engine.EINVAL
			}
			n, err := e.createPidNS(user, old)
			if err != 0 {
				return err
			}
			into.pidForChildren = n
		case nsTime:
			n, err := e.newNS(k, user)
			if err != 0 {
				return err
			}
			into.timeForChildren = n // copy_time_ns: for the children
		case nsMnt:
			n, err := e.copyMntNS(p, user)
			if err != 0 {
				return err
			}
			into.ns[k] = n
		case nsUts:
			n, err := e.newNS(k, user)
			if err != 0 {
				return err
			}
			// copy_utsname: the names as they were.
			u := utsNS{nodename: utsname[1], domainname: utsname[5]}
			if old := e.nsOf(p, nsUts).uts; old != nil {
				u = *old
			}
			n.uts = &u
			into.ns[k] = n
		default:
			n, err := e.newNS(k, user)
			if err != 0 {
				return err
			}
			into.ns[k] = n
		}
	}
	return 0
}

// cloneNewFlags are the CLONE_NEW* flags but CLONE_NEWUSER.
const cloneNewFlags = engine.CLONE_NEWNS | engine.CLONE_NEWUTS | engine.CLONE_NEWIPC | engine.CLONE_NEWNET |
	engine.CLONE_NEWPID | engine.CLONE_NEWCGROUP | engine.CLONE_NEWTIME

// copyNamespaces is copy_creds' user namespace (CLONE_NEWUSER) and
// copy_namespaces for a child made with flags: the namespaces it gets
// (the caller's, or new ones), made before the child is.
//
//	check                                                errno
//	CLONE_NEWUSER: create_user_ns's (userns.go)          EUSERS, ENOSPC, EPERM
//	a CLONE_NEW* flag without CAP_SYS_ADMIN in the       EPERM
//	  (new) user namespace
//	CLONE_NEWIPC with CLONE_SYSVSEM                      EINVAL
//	CLONE_NEWPID from a process that unshared one        EINVAL
//	past a kind's count                                  ENOSPC
func (e *Engine) copyNamespaces(p *process, flags uint64) (taskNS, engine.Errno) {
	ns := p.sys.ns
	ns.nr = nil
	if flags&engine.CLONE_NEWUSER != 0 {
		u, err := e.createUserNS(p)
		if err != 0 {
			return ns, err
		}
		ns.ns[nsUser], ns.capFull = u, true
	}
	if flags&cloneNewFlags != 0 {
		user := ns.ns[nsUser]
		if user == nil {
			user = e.nsOf(p, nsUser)
		}
		if !e.credCapable(&ns, user) {
			return ns, engine.EPERM
		}
		if flags&(engine.CLONE_NEWIPC|engine.CLONE_SYSVSEM) == engine.CLONE_NEWIPC|engine.CLONE_SYSVSEM {
			return ns, engine.EINVAL
		}
		if err := e.newNamespaces(p, flags, user, &ns); err != 0 {
			return ns, err
		}
	}
	// The child lives in the pid and time namespaces for children
	// (alloc_pid, timens_on_fork), and its children go there too.
	ns.ns[nsPid], ns.pidForChildren = e.forChildren(&ns, nsPid), nil
	ns.ns[nsTime], ns.timeForChildren = e.forChildren(&ns, nsTime), nil
	e.normalize(&ns)
	return ns, 0
}

// unshareNamespaces is unshare_userns and unshare_nsproxy_namespaces for
// ksys_unshare: p's new namespaces, in place once all are made.
func (e *Engine) unshareNamespaces(p *process, flags uint64) engine.Errno {
	ns := p.sys.ns
	if flags&engine.CLONE_NEWUSER != 0 {
		u, err := e.createUserNS(p)
		if err != 0 {
			return err
		}
		ns.ns[nsUser], ns.capFull = u, true
	}
	if flags&cloneNewFlags != 0 {
		user := ns.ns[nsUser]
		if user == nil {
			user = e.nsOf(p, nsUser)
		}
		if !e.credCapable(&ns, user) {
			return engine.EPERM
		}
		if err := e.newNamespaces(p, flags, user, &ns); err != 0 {
			return err
		}
	}
	e.normalize(&ns)
	p.sys.ns = ns
	return 0
}

// setns(fd, nstype), analogous to kernel/nsproxy.c's: join the namespaces
// of the process a pidfd names, or the one namespace an nsfs file is.
//
//	check                                                 errno
//	fd not open                                           EBADF
//	an nsfs file: nstype neither 0 nor its kind           EINVAL
//	a pidfd: nstype 0, or bits past the CLONE_NEW* flags  EINVAL
//	  (check_setns_flags)
//	neither                                               EINVAL
//	a pidfd: the process exited (no nsproxy)              ESRCH
//	then for each namespace, in the kernel's order (user first,
//	validate_nsset; each kind's install):
//	  user: the caller's own                              EINVAL
//	        a multi-threaded caller, or one sharing its   EINVAL
//	        fs (not modelled: the engine sees one thread)
//	        no CAP_SYS_ADMIN in it                        EPERM
//	  pid: not the caller's or below it                   EINVAL
//	  any: no CAP_SYS_ADMIN in its owner, or in the       EPERM
//	    caller's own user namespace
func (e *Engine) sysSetns(p *process, fd int64, nstype int64) (int64, engine.Errno) {
	const newNS = engine.CLONE_NEWNS | engine.CLONE_NEWUTS | engine.CLONE_NEWIPC | engine.CLONE_NEWNET |
		engine.CLONE_NEWUSER | engine.CLONE_NEWPID | engine.CLONE_NEWCGROUP | engine.CLONE_NEWTIME
	f := p.fd(fd)
	if f == nil {
		return -1, engine.EBADF
	}
	var want [nsKinds]*namespace
	switch {
	case f.ino.kind == kindNsfs:
		n := f.ino.ns
		if nstype != 0 && uint64(nstype) != nsKindInfo[n.kind].flag {
			return -1, engine.EINVAL
		}
		want[n.kind] = n
	case f.ino.kind == kindPidfd:
		if nstype == 0 || uint64(nstype)&^newNS != 0 || nstype < 0 {
			return -1, engine.EINVAL
		}
		t := e.proc(f.ino.pid)
		if t == nil || t.reaped || t.exited {
			return -1, engine.ESRCH
		}
		for k := range want {
			if uint64(nstype)&nsKindInfo[k].flag != 0 {
				want[k] = e.nsOf(t, k)
			}
		}
	default:
		return -1, engine.EINVAL
	}
	ns := p.sys.ns
	if u := want[nsUser]; u != nil {
		// userns_install
		if u == e.nsOf(p, nsUser) {
			return -1, engine.EINVAL
		}
		if !e.nsCapable(p, u) {
			return -1, engine.EPERM
		}
		ns.ns[nsUser], ns.capFull = u, true
	}
	for _, k := range []int{nsMnt, nsUts, nsIpc, nsPid, nsCgroup, nsNet, nsTime} {
		n := want[k]
		if n == nil {
			continue
		}
		// Each kind's install: CAP_SYS_ADMIN over the namespace (its
		// owner) and in the caller's (new) user namespace.
		if !e.credCapable(&ns, n.owner) || !e.credCapable(&ns, e.nsIn(&ns, nsUser)) {
			return -1, engine.EPERM
		}
		switch k {
		case nsPid:
			// pidns_install: the caller's pid namespace or below it.
			active := e.nsOf(p, nsPid)
			a := n
			for a != nil && a.level > active.level {
				a = a.parent
			}
			if a != active {
				return -1, engine.EINVAL
			}
			ns.pidForChildren = n
		case nsTime:
			ns.timeForChildren = n
			ns.ns[nsTime] = n // timens_install: now, and for the children
		default:
			ns.ns[k] = n
		}
	}
	e.normalize(&ns)
	p.sys.ns = ns
	return 0, 0
}

// nsCloner deep-copies namespaces for a snapshot (snapshot.go): each once,
// the copies pointing at the copies of their owners, parents and nsfs
// inodes.
type nsCloner struct {
	m    map[*namespace]*namespace
	imap map[*inode]*inode
}

func (c *nsCloner) ns(n *namespace) *namespace {
	if n == nil {
		return nil
	}
	if x, ok := c.m[n]; ok {
		return x
	}
	x := *n
	c.m[n] = &x
	x.owner, x.parent = c.ns(n.owner), c.ns(n.parent)
	if n.nsfs != nil {
		x.nsfs = c.imap[n.nsfs]
	}
	if n.user != nil {
		u := *n.user
		u.uidMap = append([]idExtent(nil), n.user.uidMap...)
		u.gidMap = append([]idExtent(nil), n.user.gidMap...)
		x.user = &u
	}
	if n.pid != nil {
		pn := *n.pid
		x.pid = &pn
	}
	if n.uts != nil {
		un := *n.uts
		x.uts = &un
	}
	if n.mnt != nil {
		mn := mntNS{mounts: make([]*mount, len(n.mnt.mounts))}
		for i, m := range n.mnt.mounts {
			mc := *m
			mc.pidNS, mc.sbUser = c.ns(m.pidNS), c.ns(m.sbUser)
			mn.mounts[i] = &mc
		}
		x.mnt = &mn
	}
	return &x
}

// task copies a process's namespaces.
func (c *nsCloner) task(t *taskNS) {
	for k := range t.ns {
		t.ns[k] = c.ns(t.ns[k])
	}
	t.pidForChildren, t.timeForChildren = c.ns(t.pidForChildren), c.ns(t.timeForChildren)
	t.nr = append([]int(nil), t.nr...)
}

// sysSethostname is sethostname(name, len) and setdomainname, analogous
// to kernel/sys.c's: the name of the caller's uts namespace.
//
//	check                                                errno
//	no CAP_SYS_ADMIN over the uts namespace              EPERM
//	len < 0 or past __NEW_UTS_LEN (64)                   EINVAL
//	name not readable                                    EFAULT
func (e *Engine) sysSethostname(p *process, name uint64, n int64, domain bool) (int64, engine.Errno) {
	ns := e.nsOf(p, nsUts)
	if !e.nsCapable(p, ns.owner) {
		return -1, engine.EPERM
	}
	if n < 0 || n > newUTSLen-1 {
		return -1, engine.EINVAL
	}
	b := make([]byte, n)
	if err := e.copyFromUser(p, name, b); err != 0 {
		return -1, err
	}
	if i := strings.IndexByte(string(b), 0); i >= 0 {
		b = b[:i]
	}
	if ns.uts == nil {
		ns.uts = &utsNS{nodename: utsname[1], domainname: utsname[5]}
	}
	if domain {
		ns.uts.domainname = string(b)
	} else {
		ns.uts.nodename = string(b)
	}
	return 0, 0
}
