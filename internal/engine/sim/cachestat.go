package sim

import (
	"encoding/binary"

	"github.com/mmapplayground/playground/internal/engine"
)

// sysCachestat is cachestat(fd, cstat_range, cstat, flags) (Linux 6.5,
// mm/filemap.c): the page cache of a byte range of a file, counted a page
// at a time, into struct cachestat (five __u64: nr_cache, nr_dirty,
// nr_writeback, nr_evicted, nr_recently_evicted). The range is struct
// cachestat_range {off, len}; len 0 runs to the end of the file.
//
//	check                                      where               errno
//	fd not open (an unsigned int: -1 too)      fdget               EBADF
//	cstat_range unreadable                     copy_from_user      EFAULT
//	a hugetlbfs file (MFD_HUGETLB)             is_file_hugepages   EOPNOTSUPP
//	not open for writing, not the user's,      can_do_cachestat    EPERM
//	  not writable by him (/proc's files but
//	  a process's own, /proc's directories)
//	flags not 0                                                    EINVAL
//	cstat unwritable                           copy_to_user        EFAULT
//
// filemap_cachestat counts what i_pages holds in the range: every cached
// page; those tagged dirty (a shmem page never is: shmem's dirty_folio is
// noop_dirty_folio) or under writeback; and for shmem the pages in swap,
// which are evicted. A file page reclaim evicted leaves no shadow entry
// in the model, so nr_evicted counts shmem's swapped pages only and
// nr_recently_evicted is 0 (docs/differences.md).
func (e *Engine) sysCachestat(p *process, fd uint32, rangeAddr, cstat uint64, flags uint32, path *[]string) (int64, engine.Errno) {
	*path = append(*path, "cachestat")
	f := p.fd(int64(fd))
	if f == nil {
		return -1, engine.EBADF
	}
	var rb [16]byte
	if err := e.copyFromUser(p, rangeAddr, rb[:]); err != 0 {
		return -1, err
	}
	ino := f.ino
	if ino.memfdHugetlb {
		return -1, engine.EOPNOTSUPP
	}
	if !canDoCachestat(f) {
		return -1, engine.EPERM
	}
	if flags != 0 {
		return -1, engine.EINVAL
	}
	off, length := binary.LittleEndian.Uint64(rb[0:]), binary.LittleEndian.Uint64(rb[8:])
	first, last := off>>engine.PageShift, ^uint64(0)
	if length != 0 {
		last = (off + length - 1) >> engine.PageShift
	}
	*path = append(*path, "filemap_cachestat")
	var cs [5]uint64 // nr_cache, nr_dirty, nr_writeback, nr_evicted, nr_recently_evicted
	for idx, fi := range ino.cache {
		if idx < first || idx > last {
			continue
		}
		cs[0]++
		fr := e.mem.f(fi)
		if fr.flags&pgDirty != 0 && ino.kind != kindShmem {
			cs[1]++
		}
		if fr.flags&pgWriteback != 0 {
			cs[2]++
		}
	}
	for idx := range ino.swapped {
		if idx >= first && idx <= last {
			cs[3]++
		}
	}
	out := make([]byte, 40)
	for i, n := range cs {
		binary.LittleEndian.PutUint64(out[8*i:], n)
	}
	if err := e.copyToUser(p, cstat, out, nil); err != 0 {
		return -1, err
	}
	return 0, 0
}

// canDoCachestat is can_do_cachestat (mincore's rule): the file is open
// for writing, or the user owns it, or he may write it. The session's
// files, its directory and /dev's devices (0666) are his or writable;
// /proc's global files and directories are root's and read-only, a
// process's own /proc files its user's.
func canDoCachestat(f *file) bool {
	switch {
	case f.canWrite():
		return true
	case f.rootOwned:
		return false
	case f.ino.kind == kindProc:
		return f.proc != nil && f.proc.pid != 0
	}
	return true
}
