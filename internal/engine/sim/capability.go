package sim

import (
	"encoding/binary"

	"github.com/mmapplayground/playground/internal/engine"
)

// capget and capset, analogous to kernel/capability.c. The model's
// processes are the playground's unprivileged user's, with no capability
// in any set (effective, permitted, inheritable), so capget reads zeros
// and capset may only set them to zeros again (cap_capset: a new
// permitted set must be a subset of the old one, the effective of the new
// permitted, the inheritable of the old inheritable and permitted).
//
//	check (the kernel's order)                           function                errno
//	the header's version is v1, v2 or v3; else the       cap_validate_magic      EINVAL
//	  kernel's (v3) is written to it (capget with a
//	  NULL data pointer then succeeds)
//	capget: a NULL data pointer reads nothing            sys_capget              (0)
//	capget: pid < 0                                      sys_capget              EINVAL
//	capget: pid names no process                         cap_get_target_pid      ESRCH
//	capset: pid is not 0 or the caller's                 sys_capset              EPERM
//	capset: a set gains a capability                     cap_capset              EPERM

// capValidateMagic is cap_validate_magic: the 32-bit words of each set
// the header's version carries.
func (e *Engine) capValidateMagic(p *process, header uint64) (int, engine.Errno) {
	var b [4]byte
	if err := e.copyFromUser(p, header, b[:]); err != 0 {
		return 0, err
	}
	switch binary.LittleEndian.Uint32(b[:]) {
	case engine.LINUX_CAPABILITY_VERSION_1:
		return 1, 0
	case engine.LINUX_CAPABILITY_VERSION_2, engine.LINUX_CAPABILITY_VERSION_3:
		return 2, 0
	}
	binary.LittleEndian.PutUint32(b[:], engine.LINUX_CAPABILITY_VERSION_3) // the kernel's
	if err := e.copyToUser(p, header, b[:], nil); err != 0 {
		return 0, err
	}
	return 0, engine.EINVAL
}

func (e *Engine) sysCapget(p *process, header, data uint64) (int64, engine.Errno) {
	words, err := e.capValidateMagic(p, header)
	if data == 0 || err != 0 {
		if data == 0 && err == engine.EINVAL {
			return 0, 0
		}
		return -1, err
	}
	var b [4]byte
	if err := e.copyFromUser(p, header+4, b[:]); err != 0 {
		return -1, err
	}
	pid := int32(binary.LittleEndian.Uint32(b[:]))
	if pid < 0 {
		return -1, engine.EINVAL
	}
	if pid != 0 {
		if t := e.task(int(pid)); t == nil || t.reaped {
			return -1, engine.ESRCH
		}
	}
	// Every set of every process is empty, but in a user namespace it
	// made or entered, where effective and permitted are CAP_FULL_SET
	// (nsproxy.go).
	sets := make([]byte, 12*words)
	t := p
	if pid != 0 {
		t = e.task(int(pid))
	}
	if t.sys.ns.capFull {
		full := [2]uint32{0xffffffff, 0x1ff} // CAP_LAST_CAP 40
		for w := 0; w < words; w++ {
			binary.LittleEndian.PutUint32(sets[12*w:], full[w])
			binary.LittleEndian.PutUint32(sets[12*w+4:], full[w])
		}
	}
	if err := e.copyToUser(p, data, sets, nil); err != 0 {
		return -1, err
	}
	return 0, 0
}

func (e *Engine) sysCapset(p *process, header, data uint64) (int64, engine.Errno) {
	words, err := e.capValidateMagic(p, header)
	if err != 0 {
		return -1, err
	}
	var b [4]byte
	if err := e.copyFromUser(p, header+4, b[:]); err != 0 {
		return -1, err
	}
	if pid := int32(binary.LittleEndian.Uint32(b[:])); pid != 0 && int(pid) != p.pid {
		return -1, engine.EPERM
	}
	sets := make([]byte, 12*words)
	if err := e.copyFromUser(p, data, sets); err != 0 {
		return -1, err
	}
	for _, c := range sets {
		if c != 0 && !p.sys.ns.capFull {
			return -1, engine.EPERM // a capability the process does not have
		}
	}
	return 0, 0
}
