package sim

import (
	"github.com/mmapplayground/playground/internal/engine"
)

// mbind(2), analogous to mm/mempolicy.c's kernel_mbind and do_mbind, on a
// machine of one NUMA node (this one's, and the model's): every policy
// places every page on node 0, where it already is, so a policy is checked
// as the kernel checks it and changes nothing, and MPOL_MF_MOVE has nothing
// to move. The checks, in the kernel's order:
//
//	check                                          where                errno
//	mode past MPOL_WEIGHTED_INTERLEAVE; STATIC     sanitize_mpol_flags  EINVAL
//	  and RELATIVE_NODES; NUMA_BALANCING but for
//	  BIND and PREFERRED_MANY
//	maxnode past a page of bits                    get_nodes            EINVAL
//	the node mask unreadable                       get_nodes            EFAULT
//	flags past MPOL_MF_VALID                       do_mbind             EINVAL
//	MPOL_MF_MOVE_ALL (no CAP_SYS_NICE)             do_mbind             EPERM
//	start not page-aligned, or start+len wraps     do_mbind             EINVAL
//	len 0                                          do_mbind             0
//	nodes for DEFAULT or LOCAL; none of them       mpol_new,            EINVAL
//	  online (node 0) for the others                 mpol_set_nodemask
//	a hole in the range                            queue_pages_range    EFAULT
//
// mpolMax is MPOL_MAX, past the last mode; mpolMFValid is MPOL_MF_VALID.
const (
	mpolMax     = engine.MPOL_WEIGHTED_INTERLEAVE + 1
	mpolMFValid = engine.MPOL_MF_STRICT | engine.MPOL_MF_MOVE | engine.MPOL_MF_MOVE_ALL
)

func (e *Engine) sysMbind(p *process, start, length uint64, mode int64, nmask, maxnode, flags uint64, path *[]string) (int64, engine.Errno) {
	*path = append(*path, "kernel_mbind")
	modeFlags := mode & (engine.MPOL_F_STATIC_NODES | engine.MPOL_F_RELATIVE_NODES | engine.MPOL_F_NUMA_BALANCING)
	mode &^= modeFlags
	switch {
	case uint32(mode) >= mpolMax,
		modeFlags&(engine.MPOL_F_STATIC_NODES|engine.MPOL_F_RELATIVE_NODES) == engine.MPOL_F_STATIC_NODES|engine.MPOL_F_RELATIVE_NODES,
		modeFlags&engine.MPOL_F_NUMA_BALANCING != 0 && mode != engine.MPOL_BIND && mode != engine.MPOL_PREFERRED_MANY:
		return -1, engine.EINVAL
	}
	// get_nodes: maxnode-1 bits at nmask; the model reads the first word
	// (nodes 0-63) and needs the rest, up to a page of bits, to be zero.
	var node0, others bool
	if maxnode > 1 && nmask != 0 {
		bits := maxnode - 1
		if bits > engine.PageSize*8 {
			return -1, engine.EINVAL
		}
		buf := make([]byte, (bits+63)/64*8)
		if err := e.copyFromUser(p, nmask, buf); err != 0 {
			return -1, err
		}
		for i := uint64(0); i < bits; i++ {
			if buf[i/8]&(1<<(i%8)) != 0 {
				if i == 0 {
					node0 = true
				} else {
					others = true
				}
			}
		}
	}
	*path = append(*path, "do_mbind")
	if flags&^mpolMFValid != 0 {
		return -1, engine.EINVAL
	}
	if flags&engine.MPOL_MF_MOVE_ALL != 0 {
		return -1, engine.EPERM
	}
	if start&engine.PageMask != 0 {
		return -1, engine.EINVAL
	}
	end := start + pageAlign(length)
	if end < start {
		return -1, engine.EINVAL
	}
	if end == start {
		return 0, 0
	}
	empty := !node0 && !others
	switch mode {
	case engine.MPOL_DEFAULT, engine.MPOL_LOCAL:
		if !empty {
			return -1, engine.EINVAL
		}
	case engine.MPOL_PREFERRED:
		if !empty && !node0 {
			return -1, engine.EINVAL
		}
	default:
		if !node0 {
			return -1, engine.EINVAL // no online node in the mask
		}
	}
	for a := start; a < end; {
		v := p.mm.findVMA(a)
		if v == nil || v.start > a {
			return -1, engine.EFAULT
		}
		a = v.end
	}
	return 0, 0
}
