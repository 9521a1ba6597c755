package sim

import (
	"github.com/mmapplayground/playground/internal/engine"
)

// /proc/PID/mem, analogous to fs/proc/base.c's mem_rw: the process's
// memory read and written at the file position (the address) through
// access_remote_vm with FOLL_FORCE, as a debugger writes a breakpoint
// into read-only text. What FOLL_FORCE may do (check_vma_flags):
//
//	access                          area                                  result
//	read                            VM_READ, or VM_MAYREAD (PROT_NONE)    the bytes
//	write                           VM_WRITE                              written, as by the process
//	write                           private, VM_MAYWRITE, not VM_WRITE    a private copy (CoW: the zero
//	                                                                      page or the file's page), its
//	                                                                      PTE dirty but still read-only
//	                                                                      (maybe_mkwrite), so the
//	                                                                      process's own write faults
//	either                          unmapped, VM_IO/VM_PFNMAP, shared     stops there
//	                                without VM_WRITE
//
// A read or write that moves nothing is EIO; one that stops part way is
// short. mem_open's ptrace check passes: every process of the session is
// the same user's.

// memChunk bounds one access_remote_vm call (mem_rw's page-sized buffer).
const memChunk = engine.PageSize

// memReadMax bounds one read (the host holds what it returns): a longer
// one is short, where mem_rw would go on a page at a time.
const memReadMax = 16 * memChunk

func memRead(e *Engine, t *process, pos uint64, count int64) ([]byte, engine.Errno) {
	if t.mm == nil {
		return nil, 0 // mm gone: mem_rw reads nothing
	}
	out := make([]byte, min(count, memReadMax))
	n := e.accessRemoteVM(t, pos, out, false)
	if n == 0 && len(out) > 0 {
		return nil, engine.EIO
	}
	return out[:n], 0
}

func memWrite(e *Engine, t *process, pos uint64, data []byte) (int, engine.Errno) {
	if t.mm == nil {
		return 0, 0
	}
	n := e.accessRemoteVM(t, pos, data, true)
	if n == 0 && len(data) > 0 {
		return 0, engine.EIO
	}
	return n, 0
}

// accessRemoteVM is access_remote_vm(mm, addr, buf, len, FOLL_FORCE): it
// moves bytes page by page until one cannot be reached, and says how many
// it moved.
func (e *Engine) accessRemoteVM(t *process, addr uint64, buf []byte, write bool) int {
	done := 0
	for done < len(buf) {
		a := addr + uint64(done)
		if a >= engine.TaskSize || a < addr {
			break
		}
		v := t.mm.findVMA(a)
		if v == nil || v.start > a || v.flags&(vmIO|vmPFNMap) != 0 {
			break
		}
		n := min(len(buf)-done, engine.PageSize-int(a&engine.PageMask))
		grant := uint64(0) // what FOLL_FORCE lets the access do for once
		switch {
		case write && v.flags&vmWrite == 0:
			if v.flags&vmShared != 0 || v.flags&vmMayWrite == 0 {
				return done // not a CoW mapping: check_vma_flags' EFAULT
			}
			grant = vmWrite
		case !write && v.flags&vmRead == 0:
			if v.flags&vmMayRead == 0 {
				return done
			}
			grant = vmRead
		}
		v.flags |= grant
		k, err := e.accessN(t, a, buf[done:done+n], write, true)
		v.flags &^= grant
		if grant != 0 {
			e.forceFixup(t, v, a)
		}
		done += k
		if err != nil {
			break
		}
	}
	return done
}

// forceFixup gives the page at addr the permissions its area really has
// after an access FOLL_FORCE allowed: a forced write leaves the new copy's
// entry (a PTE, or a huge PMD) dirty but not writable; a forced read of a
// PROT_NONE area leaves it inaccessible to the process.
func (e *Engine) forceFixup(t *process, v *vma, addr uint64) {
	fix := func(pp *uint64) {
		if v.flags&vmWrite == 0 {
			*pp &^= pteRW
		}
		if v.flags&(vmRead|vmWrite|vmExec) == 0 {
			*pp &^= pteUser
		}
	}
	if pp := e.pteOf(t, addr); pp != nil && *pp&ptePresent != 0 {
		fix(pp)
	} else if pm := e.pmdEntry(t, addr); pm != nil && isHugePMD(*pm) {
		fix(pm)
	}
	e.tlbGen++
}

// procWrite is a write to an open /proc file that takes writes (mem_write):
// the user's bytes a chunk at a time, at the file position or off.
func (e *Engine) procWrite(p *process, f *file, buf uint64, count, off int64, positional bool, path *[]string) (int64, engine.Errno) {
	o := f.proc
	if o != nil && o.file.write != nil {
		return e.procWriteWhole(p, f, buf, count, off, positional)
	}
	if o == nil || o.file.pwrite == nil {
		return -1, engine.EINVAL
	}
	t := e.task(o.pid)
	if t == nil {
		return -1, engine.ESRCH
	}
	*path = append(*path, "mem_rw", "access_remote_vm")
	pos := f.pos
	if positional {
		pos = uint64(off)
	}
	var done int64
	for done < count {
		chunk := e.ioBuf(int(min(count-done, memChunk)))
		if k := e.userCopy(p, buf+uint64(done), chunk, false); k < len(chunk) {
			if k == 0 {
				if done == 0 {
					return -1, engine.EFAULT
				}
				break
			}
			chunk = chunk[:k]
		}
		n, err := o.file.pwrite(e, t, pos+uint64(done), chunk)
		if err != 0 {
			if done == 0 {
				return -1, err
			}
			break
		}
		done += int64(n)
		if n < len(chunk) {
			break
		}
	}
	if !positional {
		f.pos = pos + uint64(done)
	}
	return done, 0
}
