package sim

import "github.com/mmapplayground/playground/internal/engine"

// memfd_create's flags (include/uapi/linux/memfd.h).
const (
	mfdCloexec       = 0x1
	mfdAllowSealing  = 0x2
	mfdHugetlb       = 0x4
	mfdNoexecSeal    = 0x8
	mfdExec          = 0x10
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
	ino.mtime, ino.ctime = e.clock, e.clock
	of := engine.O_RDWR | engine.O_LARGEFILE
	if flags&mfdCloexec != 0 {
		of |= engine.O_CLOEXEC
	}
	fd := p.installFD(&file{ino: ino, flags: of, refs: 1})
	ino.opens++
	return int64(fd), 0
}
