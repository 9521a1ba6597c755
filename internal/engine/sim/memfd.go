package sim

import "github.com/mmapplayground/playground/internal/engine"

// memfd_create's flags (include/uapi/linux/memfd.h).
const (
	mfdCloexec       = engine.MFD_CLOEXEC
	mfdAllowSealing  = engine.MFD_ALLOW_SEALING
	mfdHugetlb       = engine.MFD_HUGETLB
	mfdNoexecSeal    = engine.MFD_NOEXEC_SEAL
	mfdExec          = engine.MFD_EXEC
	mfdAllFlags      = mfdCloexec | mfdAllowSealing | mfdHugetlb | mfdNoexecSeal | mfdExec
	mfdHugeShift     = 26 // MFD_HUGE_SHIFT: a hugetlb page size's log2 above it
	mfdNameMax       = 255 - len("memfd:")
	memfdNamePrefix  = "/memfd:"
	memfdDeletedMark = " (deleted)"
)

// sysMemfdCreate is memfd_create (mm/memfd.c): an anonymous file in the
// kernel's internal shmem mount, opened read-write, never linked into a
// directory, so maps names it "/memfd:NAME (deleted)". It is the same
// object as a MAP_SHARED|MAP_ANONYMOUS area's (shmem_file_setup), but
// starts at size 0 and grows with ftruncate or write.
//
//	check                                        where              errno
//	flags other than MFD_ALL_FLAGS (hugetlb's
//	  size bits only with MFD_HUGETLB)            memfd_create       EINVAL
//	MFD_EXEC with MFD_NOEXEC_SEAL                 check_sysctl...    EINVAL
//	the name longer than 249 bytes                memfd_create       EINVAL
//	seals: F_SEAL_SEAL (none can be added) unless MFD_ALLOW_SEALING or
//	  MFD_NOEXEC_SEAL (which adds F_SEAL_EXEC and makes the mode 0666)
//	MFD_HUGETLB: a hugetlbfs file; the model has no huge page pool, so
//	  its mmap fails as hugetlb_reserve_pages does (ENOMEM, as here)
func (e *Engine) sysMemfdCreate(p *process, name string, flags int64, path *[]string) (int64, engine.Errno) {
	*path = append(*path, "memfd_create")
	if flags&mfdHugetlb == 0 {
		if flags&^mfdAllFlags != 0 {
			return -1, engine.EINVAL
		}
	} else if flags&^(mfdAllFlags|0x3f<<mfdHugeShift) != 0 {
		return -1, engine.EINVAL
	}
	if flags&mfdExec != 0 && flags&mfdNoexecSeal != 0 {
		return -1, engine.EINVAL
	}
	if len(name) > mfdNameMax {
		return -1, engine.EINVAL
	}
	*path = append(*path, "shmem_file_setup")
	ino := e.fs.newInode(memfdNamePrefix+name+memfdDeletedMark, kindShmem)
	ino.nlink = 0
	ino.memfdHugetlb = flags&mfdHugetlb != 0
	// vm.memfd_noexec is 0: without MFD_NOEXEC_SEAL the file is MFD_EXEC
	// (check_sysctl_memfd_noexec). MFD_NOEXEC_SEAL clears the exec bits
	// and seals them; it and MFD_ALLOW_SEALING let seals be added.
	switch {
	case flags&mfdNoexecSeal != 0:
		ino.noexec = true
		ino.seals = ino.seals&^engine.F_SEAL_SEAL | engine.F_SEAL_EXEC
	case flags&mfdAllowSealing != 0:
		ino.seals &^= engine.F_SEAL_SEAL
	}
	ino.mtime, ino.ctime = e.clock, e.clock
	of := engine.O_RDWR | engine.O_LARGEFILE
	if flags&mfdCloexec != 0 {
		of |= engine.O_CLOEXEC
	}
	fd := p.installFD(&file{ino: ino, flags: of, refs: 1})
	ino.opens++
	return int64(fd), 0
}

// allSeals is F_ALL_SEALS.
const allSeals = engine.F_SEAL_SEAL | engine.F_SEAL_SHRINK | engine.F_SEAL_GROW | engine.F_SEAL_WRITE |
	engine.F_SEAL_FUTURE_WRITE | engine.F_SEAL_EXEC

// writeSealed is is_write_sealed: F_SEAL_WRITE or F_SEAL_FUTURE_WRITE.
func (i *inode) writeSealed() bool {
	return i.kind == kindShmem && i.seals&(engine.F_SEAL_WRITE|engine.F_SEAL_FUTURE_WRITE) != 0
}

// memfdFcntl is memfd_fcntl: F_ADD_SEALS and F_GET_SEALS on a shmem file
// (a memfd, a /dev/shm file); any other file has no seals (EINVAL).
//
//	F_ADD_SEALS check                          where                  errno
//	the file not open for writing              memfd_add_seals        EPERM
//	seals other than F_ALL_SEALS                                      EINVAL
//	not a shmem file                           memfd_file_seals_ptr   EINVAL
//	F_SEAL_SEAL already set                                           EPERM
//	F_SEAL_EXEC on a file with exec bits (its mode now: fchmod may have
//	  taken them) adds F_SEAL_SHRINK, GROW, WRITE and FUTURE_WRITE
//	F_SEAL_WRITE while a shared mapping may    mapping_deny_writable  EBUSY
//	  write (VM_SHARED with VM_MAYWRITE)
func (e *Engine) memfdFcntl(f *file, cmd int64, arg uint32) (int64, engine.Errno) {
	ino := f.ino
	if cmd == engine.F_GET_SEALS {
		if ino.kind != kindShmem {
			return -1, engine.EINVAL
		}
		return int64(ino.seals), 0
	}
	if !f.canWrite() {
		return -1, engine.EPERM
	}
	if arg&^allSeals != 0 || ino.kind != kindShmem {
		return -1, engine.EINVAL
	}
	if ino.seals&engine.F_SEAL_SEAL != 0 {
		return -1, engine.EPERM
	}
	if arg&engine.F_SEAL_EXEC != 0 && ino.fmode()&0o111 != 0 {
		arg |= engine.F_SEAL_SHRINK | engine.F_SEAL_GROW | engine.F_SEAL_WRITE | engine.F_SEAL_FUTURE_WRITE
	}
	if arg&engine.F_SEAL_WRITE != 0 && ino.seals&engine.F_SEAL_WRITE == 0 && e.mappedWritable(ino) {
		return -1, engine.EBUSY
	}
	ino.seals |= arg
	return 0, 0
}

// mappedWritable is mapping_writably_mapped: some process maps ino shared
// with VM_MAYWRITE (i_mmap_writable).
func (e *Engine) mappedWritable(ino *inode) bool {
	for _, p := range e.procs {
		if p.mm == nil {
			continue
		}
		for _, v := range p.mm.vmas {
			if v.file == ino && v.flags&vmShared != 0 && v.flags&vmMayWrite != 0 {
				return true
			}
		}
	}
	return false
}

// shmemWriteSeals is shmem_write_begin's seal check for a write of n bytes
// at pos, a page at a time as generic_perform_write asks: write-sealed,
// nothing is written (EPERM); under F_SEAL_GROW the write stops before
// the first page's piece that would end past i_size (EPERM if that is the
// first). It returns how much may be written.
func shmemWriteSeals(ino *inode, pos, n uint64) (uint64, engine.Errno) {
	if ino.writeSealed() {
		return 0, engine.EPERM
	}
	if ino.seals&engine.F_SEAL_GROW == 0 || pos+n <= ino.size {
		return n, 0
	}
	var ok uint64
	for ok < n {
		piece := min(n-ok, engine.PageSize-(pos+ok)&engine.PageMask)
		if pos+ok+piece > ino.size {
			break
		}
		ok += piece
	}
	if ok == 0 {
		return 0, engine.EPERM
	}
	return ok, 0
}
