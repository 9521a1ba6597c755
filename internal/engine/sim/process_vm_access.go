package sim

import (
	"encoding/binary"

	"github.com/mmapplayground/playground/internal/engine"
)

// process_vm_readv and process_vm_writev, analogous to
// mm/process_vm_access.c: copies between the caller's iovecs and another
// process's, through get_user_pages on the other's side (so a secretmem
// page there is refused: EFAULT).
//
//	check (process_vm_rw, process_vm_rw_core)                  errno
//	flags not 0                                                EINVAL
//	an iovec array past UIO_MAXIOV, or unreadable              EINVAL, EFAULT
//	no such process                                            ESRCH
//	ptrace_may_access(ATTACH_REALCREDS) refuses                EPERM
//	no byte copied: the first page cannot be reached            EFAULT
//
// A copy that stops part-way returns the bytes copied.

// uioMaxIOV is UIO_MAXIOV.
const uioMaxIOV = 1024

// iovec is one struct iovec.
type iovec struct{ base, len uint64 }

// importIovec is import_iovec: n struct iovecs at addr.
func (e *Engine) importIovec(p *process, addr uint64, n uint64) ([]iovec, engine.Errno) {
	if n > uioMaxIOV {
		return nil, engine.EINVAL
	}
	b := make([]byte, 16*n)
	if n > 0 {
		if err := e.access(p, addr, b, false, true); err != nil {
			return nil, engine.EFAULT
		}
	}
	out := make([]iovec, n)
	for i := range out {
		out[i] = iovec{binary.LittleEndian.Uint64(b[16*i:]), binary.LittleEndian.Uint64(b[16*i+8:])}
		if int64(out[i].len) < 0 {
			return nil, engine.EINVAL
		}
	}
	return out, 0
}

func (e *Engine) sysProcessVMRW(p *process, pid int64, liov, liovcnt, riov, riovcnt uint64, flags int64, write bool, path *[]string) (int64, engine.Errno) {
	*path = append(*path, "process_vm_rw")
	if flags != 0 {
		return -1, engine.EINVAL
	}
	local, err := e.importIovec(p, liov, liovcnt)
	if err != 0 {
		return -1, err
	}
	remote, err := e.importIovec(p, riov, riovcnt)
	if err != 0 {
		return -1, err
	}
	t := e.proc(int(pid))
	if pid <= 0 || t == nil || t.exited || t.mm == nil {
		return -1, engine.ESRCH
	}
	if !ptraceMayAccess(p, t) {
		return -1, engine.EPERM
	}
	var total int64
	li, loff := 0, uint64(0)
	for _, r := range remote {
		for roff := uint64(0); roff < r.len; {
			for li < len(local) && loff == local[li].len {
				li, loff = li+1, 0
			}
			if li == len(local) {
				return total, 0
			}
			// One page of the remote side at a time, as process_vm_rw_pages.
			ra := r.base + roff
			n := min(r.len-roff, local[li].len-loff, engine.PageSize-ra%engine.PageSize)
			if t.secretIn(ra, n) {
				return e.vmRWDone(total)
			}
			buf := make([]byte, n)
			src, dst, sa, da := t, p, ra, local[li].base+loff
			if write {
				src, dst, sa, da = p, t, da, ra
			}
			if e.access(src, sa, buf, false, true) != nil || e.access(dst, da, buf, true, true) != nil {
				return e.vmRWDone(total)
			}
			total += int64(n)
			roff += n
			loff += n
		}
	}
	return total, 0
}

// vmRWDone is a copy that could go no further: what it copied, or EFAULT.
func (e *Engine) vmRWDone(total int64) (int64, engine.Errno) {
	if total == 0 {
		return -1, engine.EFAULT
	}
	return total, 0
}
