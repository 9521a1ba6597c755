package sim

import (
	"github.com/mmapplayground/playground/internal/engine"
)

// fallocate(2), analogous to fs/open.c's vfs_fallocate and the file
// systems' fallocate (ext4_fallocate, shmem_fallocate), its checks in the
// kernel's order:
//
//	check                                            where            errno
//	fd not open                                      ksys_fallocate   EBADF
//	offset < 0 or len <= 0                           vfs_fallocate    EINVAL
//	a mode bit not known                             vfs_fallocate    EOPNOTSUPP
//	PUNCH_HOLE with ZERO_RANGE, or without KEEP_SIZE vfs_fallocate    EOPNOTSUPP
//	fd not open for writing                          vfs_fallocate    EBADF
//	a pipe                                           vfs_fallocate    ESPIPE
//	a directory                                      vfs_fallocate    EISDIR
//	not a regular file                               vfs_fallocate    ENODEV
//	offset + len past s_maxbytes                     vfs_fallocate    EFBIG
//	a mode the model's files do not take             ->fallocate      EOPNOTSUPP
//	  (COLLAPSE, INSERT, ZERO, UNSHARE)
//
// Mode 0 allocates the range: the file grows to offset+len unless
// KEEP_SIZE. The model's blocks are not counted, so the range stays a
// hole that reads zeros, and its pages are not put in the page cache
// until touched (shmem_fallocate puts them there at once: docs/
// differences.md). PUNCH_HOLE drops the range's pages (punchHole).
func (e *Engine) sysFallocate(p *process, fd, mode, off, length int64, path *[]string) (int64, engine.Errno) {
	*path = append(*path, "vfs_fallocate")
	f := p.fd(fd)
	if f == nil {
		return -1, engine.EBADF
	}
	const known = engine.FALLOC_FL_KEEP_SIZE | engine.FALLOC_FL_PUNCH_HOLE | engine.FALLOC_FL_COLLAPSE_RANGE |
		engine.FALLOC_FL_ZERO_RANGE | engine.FALLOC_FL_INSERT_RANGE | engine.FALLOC_FL_UNSHARE_RANGE
	if off < 0 || length <= 0 {
		return -1, engine.EINVAL
	}
	if mode&^known != 0 {
		return -1, engine.EOPNOTSUPP
	}
	punch := mode&engine.FALLOC_FL_PUNCH_HOLE != 0
	if punch && (mode&engine.FALLOC_FL_ZERO_RANGE != 0 || mode&engine.FALLOC_FL_KEEP_SIZE == 0) {
		return -1, engine.EOPNOTSUPP
	}
	if !f.canWrite() {
		return -1, engine.EBADF
	}
	ino := f.ino
	switch {
	case ino.pipe != nil:
		return -1, engine.ESPIPE
	case ino.kind == kindDir:
		return -1, engine.EISDIR
	case ino.kind != kindReg && ino.kind != kindShmem:
		return -1, engine.ENODEV
	}
	if off+length < off || uint64(off+length) > maxFileBytes {
		return -1, engine.EFBIG
	}
	if mode&^(engine.FALLOC_FL_KEEP_SIZE|engine.FALLOC_FL_PUNCH_HOLE) != 0 {
		return -1, engine.EOPNOTSUPP
	}
	end := uint64(off + length)
	// shmem_fallocate: no hole in a write-sealed file, no growing past
	// i_size under F_SEAL_GROW (even FALLOC_FL_KEEP_SIZE).
	if ino.kind == kindShmem && (punch && ino.writeSealed() || !punch && ino.seals&engine.F_SEAL_GROW != 0 && end > ino.size) {
		return -1, engine.EPERM
	}
	if punch {
		*path = append(*path, "FALLOC_FL_PUNCH_HOLE")
		// Whole pages only: the partial pages at the ends are zeroed.
		first, last := pageAlign(uint64(off))>>engine.PageShift, end>>engine.PageShift
		if first < last {
			e.punchHole(ino, first, last-1)
		}
		e.zeroFileRange(p, ino, uint64(off), min(end, pageAlign(uint64(off))))
		if end&engine.PageMask != 0 {
			e.zeroFileRange(p, ino, max(end&^engine.PageMask, uint64(off)), end)
		}
		ino.mtime, ino.ctime = e.clock, e.clock
		return 0, 0
	}
	if mode&engine.FALLOC_FL_KEEP_SIZE == 0 && end > ino.size {
		ino.size = end
		ino.ctime = e.clock
	}
	return 0, 0
}

// zeroFileRange zeroes [from, to) within one page of ino, the partial page
// at an end of a punched hole (truncate_inode_partial_folio): in the page
// cache when the page is there, and on disk.
func (e *Engine) zeroFileRange(p *process, ino *inode, from, to uint64) {
	if from >= to {
		return
	}
	if fi, ok := ino.cache[from>>engine.PageShift]; ok {
		e.mem.write(e.mem.f(fi), int(from&engine.PageMask), make([]byte, to-from))
		e.setPageDirty(p, ino, fi)
	}
	ino.disk.clearRange(from, to)
}
