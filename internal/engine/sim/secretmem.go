package sim

import "github.com/mmapplayground/playground/internal/engine"

// memfd_secret, analogous to mm/secretmem.c: a file whose pages only its
// mappings reach. Its inode is shmem's kind with secret set; the file has
// no read or write (secretmem_fops has only mmap and release: read, write,
// pread and pwrite are EINVAL), its size may be set once (secretmem_setattr),
// its mmap must be shared (EINVAL otherwise) and is VM_DONTDUMP, and its
// pages are gone from the kernel's direct map, so get_user_pages refuses
// them: vmsplice and process_vm_readv are EFAULT on them, and ptrace's
// PTRACE_PEEKDATA EIO. Not modelled: the kernel charges each page the file
// gains to the user's locked memory (secretmem_account_folio) against
// RLIMIT_MEMLOCK, a fault past it SIGBUS; and a second size change's EINVAL.
//
//	check                                                  errno
//	flags other than O_CLOEXEC (SECRETMEM_FLAGS_MASK is 0)  EINVAL
//	no free descriptor                                     EMFILE

// secretmemName is the file's name: alloc_file_pseudo's "secretmem" on
// the secretmem mount, as /proc/PID/maps shows it.
const secretmemName = "/secretmem (deleted)"

func (e *Engine) sysMemfdSecret(p *process, flags int64, path *[]string) (int64, engine.Errno) {
	*path = append(*path, "secretmem_file_create")
	if flags&^engine.O_CLOEXEC != 0 {
		return -1, engine.EINVAL
	}
	if n := p.files.unusedFd(0); uint64(n) >= p.nofile() {
		return -1, engine.EMFILE
	}
	ino := e.fs.newInode(secretmemName, kindShmem)
	ino.nlink = 0
	ino.secret = true
	ino.mtime, ino.ctime = e.clock, e.clock
	fd := p.installFD(&file{ino: ino, flags: engine.O_RDWR | engine.O_LARGEFILE | int(flags), refs: 1})
	ino.opens++
	return int64(fd), 0
}

// secretIn says whether [addr, addr+n) of p touches a secretmem mapping
// (vma_is_secretmem), which get_user_pages refuses.
func (p *process) secretIn(addr, n uint64) bool {
	if p.mm == nil || n == 0 {
		return false
	}
	for i := p.mm.vmaIndex(addr); i < len(p.mm.vmas); i++ {
		v := p.mm.vmas[i]
		if v.start >= addr+n {
			break
		}
		if v.end > addr && v.file != nil && v.file.secret {
			return true
		}
	}
	return false
}
