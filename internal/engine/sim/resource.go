package sim

import (
	"encoding/binary"

	"github.com/mmapplayground/playground/internal/engine"
)

// Resource limits, analogous to signal_struct's rlim[] and kernel/sys.c's
// do_prlimit. Each process has its own copy, inherited by fork. The limits
// are held and reported; the model enforces RLIMIT_MEMLOCK (mlock, mlock2,
// mlockall, MAP_LOCKED and areas made after mlockall(MCL_FUTURE): mmap.go)
// and none of the others yet (the stack's reach is layout.go's).

// rlimit is struct rlimit64: the soft (cur) and hard (max) limit.
type rlimit struct{ cur, max uint64 }

// nrOpen is fs.nr_open, the most RLIMIT_NOFILE's hard limit may be.
const nrOpen = 1 << 20

// initRlimits are the limits the first process starts with: this machine's
// for an unprivileged user (prlimit(1) run as nobody on the host the model
// is held to), except RLIMIT_NPROC and RLIMIT_SIGPENDING, which the kernel
// derives from the machine's memory (fork_init's set_max_threads: a
// thread's 16 KiB stack in an eighth of RAM, half of it for one user), and
// so from the model's RAM here.
func (e *Engine) initRlimits() [engine.RLIMIT_NLIMITS]rlimit {
	inf := engine.RLIM_INFINITY
	threads := e.mem.total / 32 // pages * 4 KiB / (16 KiB * 8)
	var r [engine.RLIMIT_NLIMITS]rlimit
	for i := range r {
		r[i] = rlimit{inf, inf}
	}
	r[engine.RLIMIT_STACK] = rlimit{8 << 20, inf}
	r[engine.RLIMIT_CORE] = rlimit{0, inf}
	r[engine.RLIMIT_NPROC] = rlimit{threads / 2, threads / 2}
	r[engine.RLIMIT_NOFILE] = rlimit{20000, 20000}
	r[engine.RLIMIT_MEMLOCK] = rlimit{8 << 20, 8 << 20}
	r[engine.RLIMIT_SIGPENDING] = rlimit{threads / 2, threads / 2}
	r[engine.RLIMIT_MSGQUEUE] = rlimit{819200, 819200}
	r[engine.RLIMIT_NICE] = rlimit{0, 0}
	r[engine.RLIMIT_RTPRIO] = rlimit{0, 0}
	return r
}

// sysPrlimit64 is prlimit64(pid, resource, new, old), which getrlimit and
// setrlimit are in glibc. The kernel's checks, in its order:
//
//	copy_from_user(new) faults          EFAULT   prlimit64
//	no process pid                      ESRCH    find_task_by_vpid
//	resource >= RLIM_NLIMITS            EINVAL   do_prlimit
//	new cur > new max                   EINVAL   do_prlimit
//	NOFILE max > fs.nr_open             EPERM    do_prlimit
//	new max above the old max           EPERM    do_prlimit (no CAP_SYS_RESOURCE)
//	copy_to_user(old) faults            EFAULT   prlimit64
//
// Every process of the session is the same user's, so check_prlimit_permission
// lets any of them act on any other.
func (e *Engine) sysPrlimit64(p *process, pid int64, resource int64, newp, oldp uint64, path *[]string) (int64, engine.Errno) {
	var nr rlimit
	if newp != 0 {
		var b [16]byte
		if err := e.access(p, newp, b[:], false, true); err != nil {
			return -1, engine.EFAULT
		}
		nr = rlimit{binary.LittleEndian.Uint64(b[:8]), binary.LittleEndian.Uint64(b[8:])}
	}
	t := p
	if pid != 0 {
		t = e.proc(int(pid))
		if t == nil || t.exited {
			return -1, engine.ESRCH
		}
	}
	*path = append(*path, "do_prlimit")
	if uint32(resource) >= engine.RLIMIT_NLIMITS { // resource is an unsigned int
		return -1, engine.EINVAL
	}
	old := t.sys.rlim[resource]
	if newp != 0 {
		switch {
		case nr.cur > nr.max:
			return -1, engine.EINVAL
		case resource == engine.RLIMIT_NOFILE && nr.max > nrOpen:
			return -1, engine.EPERM
		case nr.max > old.max:
			return -1, engine.EPERM
		}
		t.sys.rlim[resource] = nr
	}
	if oldp != 0 {
		var b [16]byte
		binary.LittleEndian.PutUint64(b[:8], old.cur)
		binary.LittleEndian.PutUint64(b[8:], old.max)
		if err := e.copyToUser(p, oldp, b[:], nil); err != 0 {
			return -1, err
		}
	}
	return 0, 0
}
