package sim

import (
	"strconv"
	"strings"

	"github.com/mmapplayground/playground/internal/engine"
)

// User namespaces, analogous to kernel/user_namespace.c: a namespace of
// ids, made by an unprivileged user, in which its maker has every
// capability; its uid_map and gid_map (written once, by its maker or from
// its parent) say which of the parent's ids its ids are. The model's
// processes all have the kernel uid and gid 1000 (studentUID): a map can
// only give them another name (0, say), so what a process sees as its uid
// is from_kuid(its user namespace, 1000), the overflow uid 65534 where
// the namespace maps none.

// overflowID is /proc/sys/kernel/overflowuid and overflowgid: what an
// unmapped id reads as.
const overflowID = 65534

// idExtent is struct uid_gid_extent: first..first+count-1 of the
// namespace are lowerFirst.. of the kernel's ids (map_write turns the
// parent's ids into kernel ids as it stores them).
type idExtent struct{ first, lowerFirst, count uint32 }

// initIDMap is the initial namespace's: every id is itself.
var initIDMap = []idExtent{{0, 0, 4294967295}}

// userNS is struct user_namespace's part beyond ns_common.
type userNS struct {
	ownerUID, ownerGID uint32 // the maker's euid and egid (kernel ids)
	uidMap, gidMap     []idExtent
	// uidSet and gidSet say the map was written (it may be written once).
	uidSet, gidSet bool
	// setgroupsDeny is /proc/PID/setgroups' "deny" (USERNS_SETGROUPS_ALLOWED
	// cleared).
	setgroupsDeny bool
}

// createUserNS is create_user_ns for p: a user namespace below p's, owned
// by p's user.
//
//	check                                               errno
//	32 levels below the initial one already              EUSERS
//	past max_user_namespaces                             ENOSPC
//	p's uid or gid has no name in p's namespace          EPERM
//	  (kuid_has_mapping)
func (e *Engine) createUserNS(p *process) (*namespace, engine.Errno) {
	parent := e.nsOf(p, nsUser)
	if parent.level >= maxUserNSLevel {
		return nil, engine.EUSERS
	}
	if e.ns.made[nsUser] >= min(maxNamespaces, e.maxNsUcount()) {
		return nil, engine.ENOSPC
	}
	if _, ok := fromKernelID(parent.user.uidMap, studentUID); !ok {
		return nil, engine.EPERM
	}
	if _, ok := fromKernelID(parent.user.gidMap, studentGID); !ok {
		return nil, engine.EPERM
	}
	n, err := e.newNS(nsUser, parent)
	if err != 0 {
		return nil, err
	}
	n.parent, n.level = parent, parent.level+1
	n.user = &userNS{ownerUID: studentUID, ownerGID: studentGID, setgroupsDeny: parent.user.setgroupsDeny}
	return n, 0
}

// fromKernelID is map_id_up: the name id has in a namespace's map.
func fromKernelID(m []idExtent, id uint32) (uint32, bool) {
	for _, x := range m {
		if id >= x.lowerFirst && id-x.lowerFirst < x.count {
			return x.first + (id - x.lowerFirst), true
		}
	}
	return 0, false
}

// toKernelID is map_id_down: the kernel id a namespace's id names.
func toKernelID(m []idExtent, id uint32) (uint32, bool) {
	for _, x := range m {
		if id >= x.first && id-x.first < x.count {
			return x.lowerFirst + (id - x.first), true
		}
	}
	return 0, false
}

// uidOf is from_kuid_munged(p's user namespace, 1000): p's uid as it sees
// it; gidOf its gid.
func (e *Engine) uidOf(p *process) int64 { return mungedID(e.nsOf(p, nsUser).user.uidMap, studentUID) }
func (e *Engine) gidOf(p *process) int64 { return mungedID(e.nsOf(p, nsUser).user.gidMap, studentGID) }

func mungedID(m []idExtent, id uint32) int64 {
	if v, ok := fromKernelID(m, id); ok {
		return int64(v)
	}
	return overflowID
}

// setID is setuid and setgid (and each id of setresuid, setresgid) as the
// model's processes may make them: an id that names nothing in the
// caller's namespace is EINVAL (make_kuid); another user's id is EPERM
// (no CAP_SETUID over it: the caller's kernel ids are 1000's); its own is
// nothing to change.
func (e *Engine) setID(p *process, id int64, gid bool) engine.Errno {
	m, own := e.nsOf(p, nsUser).user.uidMap, uint32(studentUID)
	if gid {
		m, own = e.nsOf(p, nsUser).user.gidMap, studentGID
	}
	k, ok := toKernelID(m, uint32(id))
	switch {
	case !ok:
		return engine.EINVAL
	case k != own:
		return engine.EPERM
	}
	return 0
}

// The /proc/PID files of a user namespace: uid_map, gid_map (proc_id_map_*
// and map_write) and setgroups (proc_setgroups_*).
func init() {
	procPidFiles["uid_map"] = &procFile{record: whole(showUIDMap), write: writeUIDMap}
	procPidFiles["gid_map"] = &procFile{record: whole(showGIDMap), write: writeGIDMap}
	procPidFiles["setgroups"] = &procFile{record: whole(showSetgroups), write: writeSetgroups}
}

// showIDMap is uid_m_show: each extent as the reader's namespace names
// the lower ids ("%10u %10u %10u"), the parent's where the reader is in
// the namespace itself.
func (e *Engine) showIDMap(reader, t *process, gid bool) string {
	ns := e.nsOf(t, nsUser)
	m := ns.user.uidMap
	if gid {
		m = ns.user.gidMap
	}
	lowerNS := e.nsOf(reader, nsUser)
	if lowerNS == ns && ns.parent != nil {
		lowerNS = ns.parent
	}
	lm := lowerNS.user.uidMap
	if gid {
		lm = lowerNS.user.gidMap
	}
	var b strings.Builder
	for _, x := range m {
		lower := mungedID(lm, x.lowerFirst)
		b.WriteString(pad10(int64(x.first)) + " " + pad10(lower) + " " + pad10(int64(x.count)) + "\n")
	}
	return b.String()
}

func pad10(n int64) string {
	s := strconv.FormatInt(n, 10)
	return strings.Repeat(" ", max(0, 10-len(s))) + s
}

func showUIDMap(e *Engine, reader, t *process) string { return e.showIDMap(reader, t, false) }
func showGIDMap(e *Engine, reader, t *process) string { return e.showIDMap(reader, t, true) }

func writeUIDMap(e *Engine, w, t *process, pos uint64, data []byte) (int, engine.Errno) {
	return e.mapWrite(w, t, pos, data, false)
}
func writeGIDMap(e *Engine, w, t *process, pos uint64, data []byte) (int, engine.Errno) {
	return e.mapWrite(w, t, pos, data, true)
}

// mapWrite is map_write: the map of t's user namespace, from lines of
// "first lower-first count", written once. The opener is taken to be the
// writer (the model keeps no file credentials).
//
//	check                                                errno
//	not at offset 0, or a page or more                   EINVAL
//	the map written already                              EPERM
//	the writer neither in the namespace nor its parent   EPERM
//	a line not three numbers, a count of 0, an extent    EINVAL
//	  past 2^32, or overlapping another; more than 340
//	  extents
//	gid_map before setgroups was denied, without         EPERM
//	  CAP_SETGID over the parent (new_idmap_permitted)
//	more than its maker's own id, one extent of one,     EPERM
//	  without CAP_SETUID/CAP_SETGID over the parent
//	a lower id the parent does not map                   EPERM
func (e *Engine) mapWrite(w, t *process, pos uint64, data []byte, gid bool) (int, engine.Errno) {
	if pos != 0 || len(data) >= engine.PageSize {
		return -1, engine.EINVAL
	}
	ns := e.nsOf(t, nsUser)
	set := &ns.user.uidSet
	if gid {
		set = &ns.user.gidSet
	}
	if *set {
		return -1, engine.EPERM
	}
	wns := e.nsOf(w, nsUser)
	if ns.parent == nil || (wns != ns && wns != ns.parent) {
		return -1, engine.EPERM
	}
	var m []idExtent
	text := string(data)
	for len(text) > 0 {
		line, rest, _ := strings.Cut(text, "\n")
		text = rest
		f := strings.Fields(line)
		if len(f) != 3 {
			return -1, engine.EINVAL
		}
		var v [3]uint64
		for i, s := range f {
			n, err := strconv.ParseUint(s, 10, 32)
			if err != nil {
				return -1, engine.EINVAL
			}
			v[i] = n
		}
		x := idExtent{uint32(v[0]), uint32(v[1]), uint32(v[2])}
		if x.count == 0 || v[0]+v[2] > 1<<32 || v[1]+v[2] > 1<<32 {
			return -1, engine.EINVAL
		}
		for _, y := range m {
			if x.first < y.first+y.count && y.first < x.first+x.count ||
				x.lowerFirst < y.lowerFirst+y.count && y.lowerFirst < x.lowerFirst+x.count {
				return -1, engine.EINVAL
			}
		}
		m = append(m, x)
		if len(m) > 340 { // UID_GID_MAP_MAX_EXTENTS
			return -1, engine.EINVAL
		}
	}
	if len(m) == 0 {
		return -1, engine.EINVAL
	}
	// new_idmap_permitted
	privileged := e.nsCapable(w, ns.parent)
	if gid && !ns.user.setgroupsDeny && !privileged {
		return -1, engine.EPERM
	}
	own := ns.user.ownerUID
	pm := ns.parent.user.uidMap
	if gid {
		own, pm = ns.user.ownerGID, ns.parent.user.gidMap
	}
	for i, x := range m {
		// map_id_range_down in the parent: the kernel ids, all of them.
		k, ok := toKernelID(pm, x.lowerFirst)
		if end, ok2 := toKernelID(pm, x.lowerFirst+x.count-1); !ok || !ok2 || end-k != x.count-1 {
			return -1, engine.EPERM
		}
		m[i].lowerFirst = k
	}
	if !privileged && (len(m) != 1 || m[0].count != 1 || m[0].lowerFirst != own) {
		return -1, engine.EPERM
	}
	if gid {
		ns.user.gidMap = m
	} else {
		ns.user.uidMap = m
	}
	*set = true
	return len(data), 0
}

// showSetgroups is proc_setgroups_show.
func showSetgroups(e *Engine, _, t *process) string {
	if e.nsOf(t, nsUser).user.setgroupsDeny {
		return "deny\n"
	}
	return "allow\n"
}

// writeSetgroups is proc_setgroups_write: "allow" or "deny", with blanks
// around; deny only before gid_map is written, and allow not after deny;
// nothing of the initial namespace.
func writeSetgroups(e *Engine, w, t *process, pos uint64, data []byte) (int, engine.Errno) {
	if pos != 0 || len(data) >= 8 {
		return -1, engine.EINVAL
	}
	ns := e.nsOf(t, nsUser)
	var deny bool
	switch strings.TrimSpace(string(data)) {
	case "allow":
	case "deny":
		deny = true
	default:
		return -1, engine.EINVAL
	}
	switch {
	case ns.parent == nil:
		return -1, engine.EPERM
	case !deny && ns.user.setgroupsDeny:
		return -1, engine.EPERM
	case deny && ns.user.gidSet:
		return -1, engine.EPERM
	}
	ns.user.setgroupsDeny = deny
	return len(data), 0
}
