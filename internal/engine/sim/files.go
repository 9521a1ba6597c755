package sim

import (
	"encoding/binary"
	"sort"
	"strconv"
	"strings"

	"github.com/mmapplayground/playground/internal/engine"
)

// The session's file system: one working directory of regular files, a few
// directories (to open and get ENODEV from mmap), and the devices of
// devices.go. Each regular file is an inode whose on-disk content (disk) is
// kept apart from its page cache (pagecache.go): read and write go through
// the cache, and only writeback changes the disk.

// cwd is the working directory's absolute path.
const cwd = "/home/student"

// Inode kinds.
const (
	kindReg uint8 = iota
	kindDir
	kindTTY
	kindZero // /dev/zero
	kindNull // /dev/null
	kindDemo // /dev/demo_dev (devices.go)
	kindShmem
	kindImage
	kindRandom      // /dev/random, /dev/urandom (devices.go)
	kindProc        // a /proc or /sys file (procfs.go)
	kindPipe        // a pipe (pipe.go)
	kindEventfd     // an eventfd (eventfd.go)
	kindUserfaultfd // a userfaultfd (userfaultfd.go)
	kindPidfd       // a pidfd (pidfd.go)
	kindEpoll       // an epoll instance (eventpoll.go)
	kindSocket      // a unix socket (af_unix.go)
	kindNsfs        // a namespace's nsfs file (nsfs.go)
	kindSymlink     // a symbolic link (namei.go)
	kindFifo        // a FIFO or a socket's name (mknod): its mode says which
)

// inode is a file, analogous to struct inode with its address_space.
type inode struct {
	id   int32
	ino  uint64
	name string
	kind uint8
	// disk is the content on disk; size is i_size, which a write past the
	// end moves before writeback reaches the disk.
	disk  diskFile
	size  uint64
	cache map[uint64]int32 // address_space->i_pages: index -> frame
	// nlink is 0 once unlinked; the inode lives while open or mapped.
	nlink  int
	mtime  uint64
	ctime  uint64
	nDirty int
	// swapped holds shmem's pages that reclaim sent to swap: index -> slot.
	swapped map[uint64]int32
	// opens counts the open file descriptions of the inode.
	opens int
	// dirtiedWhen is when the inode last became dirty (inode->dirtied_when),
	// which the flusher compares with the expiry.
	dirtiedWhen uint64
	// memfdHugetlb marks a memfd made with MFD_HUGETLB (memfd.go), which
	// no mmap can map: the model has no huge page pool.
	memfdHugetlb bool
	// seals are a shmem file's F_SEAL_* (memfd.go): F_SEAL_SEAL from the
	// start (shmem_get_inode), none for a memfd made MFD_ALLOW_SEALING.
	seals uint32
	// noexec marks a memfd made MFD_NOEXEC_SEAL: mode 0666, not 0777.
	// secret marks memfd_secret's file (secretmem.go).
	secret bool
	noexec bool
	// pipe and eventfd are a pipe's and an eventfd's state (pipe.go,
	// eventfd.go); nil for other inodes.
	pipe    *pipeState
	eventfd *eventfdState
	// uffd is a userfaultfd's state (userfaultfd.go); nil for other inodes.
	uffd  *uffdCtx
	epoll *epollState
	// sock is a socket's state (af_unix.go); nil for other inodes.
	sock *unixSock
	// pid is the process a pidfd's inode refers to (pidfs: one inode a
	// process); 0 for other inodes.
	pid int
	// locks are the inode's POSIX and OFD record locks (locks.go).
	locks []fileLock
	// ns is the namespace an nsfs inode is (nsfs.go).
	ns *namespace
	// mode is i_mode, its type and permission bits; 0 for an inode whose
	// kind's mode has not been changed (fmode).
	mode uint32
	// root marks a file of the system's (/bin), root's and not the user's.
	root bool
	// target is a symbolic link's body.
	target string
	// parent is the directory the inode's name is in; entries counts a
	// directory's names (namei.go).
	parent  *inode
	entries int
}

func (i *inode) isReg() bool { return i.kind == kindReg || i.kind == kindImage || i.kind == kindShmem }

// sortedIndices is the cached page indices in order.
func (i *inode) sortedIndices() []uint64 {
	out := make([]uint64, 0, len(i.cache))
	for k := range i.cache {
		out = append(out, k)
	}
	sort.Slice(out, func(a, b int) bool { return out[a] < out[b] })
	return out
}

// file is an open file description, analogous to struct file.
type file struct {
	ino   *inode
	flags int // open flags; O_ACCMODE gives FMODE_READ/FMODE_WRITE
	pos   uint64
	refs  int       // descriptors sharing it (fork)
	proc  *procOpen // a /proc or /sys file's reading state
	// created is FMODE_CREATED: this open made the file.
	created bool
	// rootOwned marks a global /proc or /sys directory, root's and not
	// the session user's (its descriptor stands on the working
	// directory's inode).
	rootOwned bool
	// id names the open file description as an OFD lock's owner.
	id uint64
	// procDir is the /proc or /sys directory a descriptor has open
	// ("/proc/12/fd", the pid resolved), "" for others (readdir.go).
	procDir string
}

// canRead and canWrite are FMODE_READ and FMODE_WRITE: an O_PATH
// descriptor has neither.
func (f *file) canRead() bool {
	return f.flags&engine.O_ACCMODE != engine.O_WRONLY && f.flags&engine.O_PATH == 0
}
func (f *file) canWrite() bool {
	return f.flags&engine.O_ACCMODE != engine.O_RDONLY && f.flags&engine.O_PATH == 0
}

type filesystem struct {
	// noSymfollow, when set, says a path is on a mount made
	// MS_NOSYMFOLLOW in the calling process's mount namespace (mount.go:
	// pick_link's ELOOP); nil for a process in the initial one.
	noSymfollow func(path string) bool
	inodes      []*inode // by id; 0 is unused
	names       map[string]int32
	nextIno     uint64
	// pageBuf is scratch for a page on its way between disk and cache.
	pageBuf [engine.PageSize]byte
	// diskPages counts pages writeback has stored on disk (noteGrowth).
	diskPages uint64
	// proc is the inode every /proc and /sys file shares (what each is is
	// its file's procOpen).
	proc *inode
	// libs are the C library's files, by path (layout.go).
	libs map[string]*inode
}

func (fs *filesystem) init(e *Engine) {
	fs.inodes = []*inode{nil}
	fs.names = map[string]int32{}
	fs.nextIno = 131073
	for _, d := range []struct {
		name string
		kind uint8
	}{{".", kindDir}, {devShm, kindDir}, {"/dev/tty", kindTTY}, {"/dev/zero", kindZero}, {"/dev/null", kindNull}, {"/dev/demo_dev", kindDemo}} {
		ino := fs.newInode(d.name, d.kind)
		fs.names[d.name] = ino.id
	}
	fs.proc = fs.newInode("/proc", kindProc)
	fs.addRandomDevices()
	// The system's one program, root's: /bin/true (binTrue).
	bin := fs.newInode("/bin", kindDir)
	bin.root = true
	fs.names[bin.name] = bin.id
	tru := fs.newInode(binTrue, kindImage)
	tru.root, tru.mode = true, engine.S_IFREG|0o755
	fs.link(bin, binTrue, tru)
	// root's home, /root, which only root may enter (drwx------): a path
	// below it is EACCES for the session's user.
	home := fs.newInode("/root", kindDir)
	home.root, home.mode = true, engine.S_IFDIR|0o700
	fs.names[home.name] = home.id
	// Numbered apart from the session's files (another file system's),
	// whose numbers stay what they were.
	bin.ino, tru.ino, home.ino = 2, 12, 13
	fs.nextIno -= 3
}

// binTrue is the one program of the system's the model has: true(1),
// which exits 0 (exec.go).
const binTrue = "/bin/true"

func (fs *filesystem) newInode(name string, kind uint8) *inode {
	ino := &inode{id: int32(len(fs.inodes)), ino: fs.nextIno, name: name, kind: kind, nlink: 1, cache: map[uint64]int32{}}
	fs.nextIno++
	fs.inodes = append(fs.inodes, ino)
	if kind == kindShmem {
		ino.seals = engine.F_SEAL_SEAL
	}
	return ino
}

func (fs *filesystem) imageInode(name string, content []byte, size uint64) *inode {
	ino := fs.newInode(name, kindImage)
	ino.disk.set(content)
	ino.size = size
	return ino
}

func (fs *filesystem) tty(flags int) *file {
	return &file{ino: fs.inodes[fs.names["/dev/tty"]], flags: flags, refs: 1}
}

// WriteFile places a file in the working directory, on disk.
func (e *Engine) WriteFile(name string, data []byte) error {
	nd, err := e.fs.walk(cwd, name, lookupFollow)
	ino := nd.ino
	if err != 0 && (err != engine.ENOENT || nd.key == "") {
		return err
	}
	if ino == nil {
		if err := e.fs.mayCreate(nd, err); err != 0 {
			return err
		}
		ino = e.fs.newInode(nd.key, kindReg)
		e.fs.link(nd.dir, nd.key, ino)
	}
	if !ino.isReg() {
		return engine.EISDIR
	}
	e.truncatePages(ino, 0)
	ino.disk.set(data)
	ino.size = uint64(len(data))
	return nil
}

// maxReadFile bounds ReadFile: a sparse file may be far larger than
// anything the host should hold at once.
const maxReadFile = 256 << 20

// ReadFile reads a file back as it stands on disk (EFBIG past maxReadFile).
func (e *Engine) ReadFile(name string) ([]byte, error) {
	ino, _, err := e.fs.lookup(name)
	if err != 0 {
		return nil, err
	}
	if !ino.isReg() {
		return nil, engine.EISDIR
	}
	if ino.size > maxReadFile {
		return nil, engine.EFBIG
	}
	out := make([]byte, ino.size)
	copy(out, ino.disk.bytes())
	return out, nil
}

func (fs *filesystem) state(e *Engine) []engine.FileState {
	var out []engine.FileState
	for _, ino := range fs.inodes[1:] {
		if ino.kind != kindReg && ino.kind != kindShmem {
			continue
		}
		if ino.nlink == 0 && len(ino.cache) == 0 {
			continue
		}
		fsx := engine.FileState{Name: ino.name, Size: ino.size}
		for _, idx := range ino.sortedIndices() {
			if len(fsx.Pages) == maxStateFrames {
				break // as MemoryState.Frames, bounded
			}
			fi := ino.cache[idx]
			f := e.mem.f(fi)
			st := "clean"
			if f.flags&pgWriteback != 0 {
				st = "writeback"
			} else if f.flags&pgDirty != 0 {
				st = "dirty"
			}
			fsx.Pages = append(fsx.Pages, engine.CachePage{Index: idx, PFN: pfnOf(fi), State: st, MapCount: int(f.mapcnt)})
		}
		out = append(out, fsx)
	}
	return out
}

// installFD puts f at the lowest free descriptor.
func (p *process) installFD(f *file) int {
	n := p.files.unusedFd(0)
	p.files.installAt(n, f, f.flags&engine.O_CLOEXEC != 0)
	return n
}

func (p *process) fd(n int64) *file {
	if p.files == nil || n < 0 || n >= int64(len(p.files.fd)) {
		return nil
	}
	return p.files.fd[n]
}

func (e *Engine) closeFile(f *file) {
	f.refs--
	if f.refs == 0 {
		locksRemoveFile(f)
		f.pipeClose()
		e.unixRelease(f.ino)
		e.userfaultfdRelease(f.ino)
		f.ino.opens--
		e.maybeEvictInode(f.ino)
	}
}

// maybeEvictInode frees an inode's pages once nothing can reach it: no
// name (unlinked, or shmem's object), no open file and no mapping, as
// iput and evict do.
func (e *Engine) maybeEvictInode(ino *inode) {
	if ino.nlink > 0 || ino.opens > 0 || (len(ino.cache) == 0 && len(ino.swapped) == 0) {
		return
	}
	for _, p := range e.procs {
		if p.mm == nil {
			continue
		}
		for _, v := range p.mm.vmas {
			if v.file == ino {
				return
			}
		}
	}
	for _, idx := range ino.sortedIndices() {
		fi := ino.cache[idx]
		if e.mem.f(fi).flags&pgDirty != 0 {
			e.mem.f(fi).flags &^= pgDirty
			ino.nDirty--
		}
		e.dropCachePage(ino, fi, "evict")
	}
	for _, idx := range sortedKeys(ino.swapped) {
		e.swapPut(ino.swapped[idx])
		delete(ino.swapped, idx)
	}
}

func sortedKeys(m map[uint64]int32) []uint64 {
	out := make([]uint64, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(a, b int) bool { return out[a] < out[b] })
	return out
}

// sysOpen is do_sys_open, analogous to fs/namei.c's path_openat and
// do_open, after the walk:
//
//	check                                          where              errno
//	the walk's (the last link not followed with    path_openat        ENOENT, ENOTDIR, EACCES, ELOOP
//	  O_NOFOLLOW, nor with O_CREAT|O_EXCL)
//	O_CREAT|O_EXCL and the name exists             open_last_lookups  EEXIST
//	O_CREAT: a trailing '/'                        open_last_lookups  EISDIR
//	  the new name's checks (mayCreate)            may_o_create       EACCES, ENOSPC
//	a link not followed (O_NOFOLLOW), but O_PATH   do_open            ELOOP
//	a directory: O_CREAT, or opened for writing    do_open            EISDIR
//	not a directory with O_DIRECTORY               do_open            ENOTDIR
//	the mode refuses the access (not O_PATH, not   may_open           EACCES
//	  a file this open made)
//	a FIFO (not modelled: no reader and writer
//	  to meet)                                                        ENXIO
func (e *Engine) sysOpen(p *process, path string, flags int, mode uint32, path2 *[]string) (int64, engine.Errno) {
	return e.doOpen(p, path, flags, mode, 0, path2)
}

// doOpen is sysOpen with the walk's further flags (openat2's resolve).
func (e *Engine) doOpen(p *process, path string, flags int, mode uint32, lookup int, path2 *[]string) (int64, engine.Errno) {
	*path2 = append(*path2, "do_sys_openat2", "do_filp_open")
	if isProcPath(path) {
		return e.procOpenFile(p, path, flags)
	}
	if flags&oTmpfileBit != 0 {
		return e.openTmpfile(p, path, flags, path2)
	}
	follow := lookupFollow
	if flags&engine.O_NOFOLLOW != 0 || flags&(engine.O_CREAT|engine.O_EXCL) == engine.O_CREAT|engine.O_EXCL {
		follow = 0
	}
	nd, err := e.fs.walk(cwd, path, follow|lookup)
	ino := nd.ino
	created := false
	switch {
	case err == 0 && flags&(engine.O_CREAT|engine.O_EXCL) == engine.O_CREAT|engine.O_EXCL:
		return -1, engine.EEXIST
	case err == engine.ENOENT && flags&engine.O_CREAT != 0 && nd.key != "":
		if nd.slash {
			return -1, engine.EISDIR
		}
		if err := e.fs.mayCreate(nd, err); err != 0 {
			return -1, err
		}
		kind := uint8(kindReg)
		if strings.HasPrefix(nd.key, devShm+"/") {
			kind = kindShmem // a file of the tmpfs at /dev/shm (shm_open's)
		}
		ino = e.newNode(p, nd, kind, engine.S_IFREG|mode&0o7777)
		created = true
	case err != 0:
		return -1, err
	}
	acc := flags & engine.O_ACCMODE
	opath := flags&engine.O_PATH != 0
	switch {
	case ino.kind == kindSymlink && !opath:
		return -1, engine.ELOOP
	case ino.kind == kindDir && !opath && (acc != engine.O_RDONLY || flags&engine.O_CREAT != 0):
		return -1, engine.EISDIR
	case ino.kind != kindDir && flags&engine.O_DIRECTORY != 0:
		return -1, engine.ENOTDIR
	}
	if !created && !opath {
		if err := e.inodePermission(p, ino, accMask(flags)); err != 0 {
			return -1, err
		}
		if ino.kind == kindFifo {
			return -1, engine.ENXIO
		}
	}
	if flags&engine.O_TRUNC != 0 && acc != engine.O_RDONLY && !opath {
		*path2 = append(*path2, "do_truncate")
		if err := e.openTruncate(p, ino); err != 0 {
			return -1, err
		}
	}
	fd := p.installFD(&file{ino: ino, flags: flags, refs: 1, created: created})
	ino.opens++
	return int64(fd), 0
}

// openTruncate is handle_truncate: O_TRUNC's truncation of a regular
// file to 0, which a memfd sealed against shrinking refuses
// (shmem_setattr's F_SEAL_SHRINK, EPERM).
func (e *Engine) openTruncate(p *process, ino *inode) engine.Errno {
	switch {
	case ino.kind != kindReg && ino.kind != kindShmem:
		return 0
	case ino.kind == kindShmem && ino.size > 0 && ino.seals&engine.F_SEAL_SHRINK != 0:
		return engine.EPERM
	}
	e.truncate(p, ino, 0)
	return 0
}

// accMask is build_open_flags' acc_mode: the access an open asks of the
// file's mode (O_TRUNC asks to write).
func accMask(flags int) uint32 {
	var m uint32
	switch flags & engine.O_ACCMODE {
	case engine.O_RDONLY:
		m = mayRead
	case engine.O_WRONLY:
		m = mayWrite
	default:
		m = mayRead | mayWrite
	}
	if flags&engine.O_TRUNC != 0 {
		m |= mayWrite
	}
	return m
}

// devShm is the tmpfs directory the model has besides the working
// directory: O_TMPFILE there makes a shmem file.
const devShm = "/dev/shm"

// oTmpfileBit is __O_TMPFILE, O_TMPFILE without its O_DIRECTORY.
const oTmpfileBit = engine.O_TMPFILE &^ engine.O_DIRECTORY

// openTmpfile is do_tmpfile: an unnamed file in the directory path names,
// as vfs_tmpfile makes it (nlink 0, so maps and /proc/PID/fd call it
// "DIR/#INO (deleted)"): a regular file of the working directory's file
// system, or a shmem one in /dev/shm.
//
//	check                                         where              errno
//	O_CREAT with it, or not O_TMPFILE's           build_open_flags   EINVAL
//	  O_DIRECTORY
//	opened read-only                              build_open_flags   EINVAL
//	no such directory                             path_openat        ENOENT
//	not a directory                               path_openat        ENOTDIR
//	the directory not writable                    may_open           EACCES
func (e *Engine) openTmpfile(p *process, path string, flags int, path2 *[]string) (int64, engine.Errno) {
	if flags&(engine.O_TMPFILE|engine.O_CREAT) != engine.O_TMPFILE || flags&engine.O_ACCMODE == engine.O_RDONLY {
		return -1, engine.EINVAL
	}
	dir, name, err := e.fs.lookup(path)
	if dir == nil {
		return -1, err
	}
	if dir.kind != kindDir {
		return -1, engine.ENOTDIR
	}
	if dir.permission(mayWrite|mayExec) != 0 {
		return -1, engine.EACCES
	}
	*path2 = append(*path2, "do_tmpfile", "vfs_tmpfile")
	kind, prefix := uint8(kindReg), ""
	if name == devShm {
		kind, prefix = kindShmem, devShm+"/"
	}
	ino := e.fs.newInode("", kind)
	ino.name = prefix + "#" + strconv.FormatUint(ino.ino, 10)
	if kind == kindShmem {
		ino.name += memfdDeletedMark
	}
	ino.nlink = 0
	ino.mtime, ino.ctime = e.clock, e.clock
	fd := p.installFD(&file{ino: ino, flags: flags, refs: 1}) // O_DIRECTORY kept: F_GETFL shows O_TMPFILE whole
	ino.opens++
	return int64(fd), 0
}

// procOpenFile opens a /proc or /sys file: read-only (the model's user may
// write none of them), each descriptor with its own reading state.
func (e *Engine) procOpenFile(p *process, path string, flags int) (int64, engine.Errno) {
	if t, dir, n, err := e.procFDPath(p, path); t != nil || err != 0 {
		switch {
		case err != 0:
			return -1, err
		case dir == "fd":
			return e.reopen(p, t.fd(int64(n)), flags)
		case flags&engine.O_ACCMODE != engine.O_RDONLY:
			return -1, engine.EACCES
		}
		e.fs.proc.opens++
		return int64(p.installFD(&file{ino: e.fs.proc, flags: flags, refs: 1, proc: &procOpen{file: fdinfoFile, pid: t.pid, fd: n}})), 0
	}
	if t, ent, ok := e.procNSPath(p, path); ok {
		return e.procNSOpen(p, t, ent, flags) // nsfs.go
	}
	pf, pid, dir, err := e.procLookup(p, path)
	if err != 0 {
		if flags&engine.O_CREAT != 0 {
			return -1, engine.EACCES
		}
		return -1, err
	}
	if (flags&engine.O_ACCMODE != engine.O_RDONLY && (pf == nil || pf.pwrite == nil && pf.write == nil)) || flags&engine.O_TRUNC != 0 {
		if dir {
			return -1, engine.EISDIR
		}
		return -1, engine.EACCES
	}
	if dir {
		ino := e.fs.inodes[e.fs.names["."]]
		ino.opens++
		return int64(p.installFD(&file{ino: ino, flags: flags, refs: 1, rootOwned: pid == 0, procDir: procDirPath(path, pid)})), 0
	}
	if flags&engine.O_DIRECTORY != 0 {
		return -1, engine.ENOTDIR
	}
	e.fs.proc.opens++
	return int64(p.installFD(&file{ino: e.fs.proc, flags: flags, refs: 1, proc: &procOpen{file: pf, pid: pid}})), 0
}

func (e *Engine) sysClose(p *process, fd int64) (int64, engine.Errno) {
	f := p.fd(fd)
	if f == nil {
		return -1, engine.EBADF
	}
	p.files.fd[fd], p.files.cloexec[fd] = nil, false
	if len(f.ino.locks) > 0 {
		locksRemovePosix(f.ino, p.pid)
	}
	e.closeFile(f)
	return 0, 0
}

// ioChunk bounds the host buffer one read or write works through at a
// time: the count a program passes is its own business, the host's memory
// is not. A read or write of up to ioChunk bytes is one copy, as before;
// a larger one is a copy per chunk, as Linux copies page by page.
const ioChunk = 1 << 20

// ttyWriteMax is the most the model's terminal takes in one write: more
// is a short write, as a pipe's would be (stdio's fwrite loops on it).
const ttyWriteMax = 1 << 20

// ioBuf is the engine's scratch buffer of n <= ioChunk bytes.
func (e *Engine) ioBuf(n int) []byte {
	if cap(e.iobuf) < n {
		e.iobuf = make([]byte, n)
	}
	return e.iobuf[:n]
}

// userCopy copies b to (toUser) or from user memory at addr as far as it
// can: all of it, or the bytes before the first page that faults, as
// copy_to_user and copy_from_user report what they could not copy.
func (e *Engine) userCopy(p *process, addr uint64, b []byte, toUser bool) int {
	n, _ := e.accessN(p, addr, b, toUser, true)
	return n
}

// copyEvent counts and tells one copy of n bytes at addr.
func (e *Engine) copyEvent(p *process, dir string, addr uint64, n int, ino *inode) {
	if dir == "copy_to_user" {
		e.cnt.CopyToUser += uint64(n)
	} else {
		e.cnt.CopyFromUser += uint64(n)
	}
	e.cnt.Copies++
	if e.sink != nil {
		ev := e.newEvent(engine.EvCopy, p.pid)
		ev.Dir = dir
		ev.Addr = addr
		ev.Bytes = uint64(n)
		if ino != nil {
			ev.File = ino.name
		}
		e.emit(ev)
	}
}

// sysRead is read and pread64: through the page cache, one copy_to_user a
// chunk. A fault part way returns the bytes read before it (EFAULT when
// there are none), as filemap_read does; so does a run being stopped.
func (e *Engine) sysRead(p *process, fd int64, buf uint64, count int64, off int64, positional bool, path *[]string) (int64, engine.Errno) {
	f := p.fd(fd)
	if f == nil || !f.canRead() {
		return -1, engine.EBADF
	}
	if count < 0 || f.ino.secret { // secretmem_fops: no read (FMODE_CAN_READ)
		return -1, engine.EINVAL
	}
	ino := f.ino
	pos := f.pos
	if positional {
		if ino.kind == kindTTY {
			return -1, engine.ESPIPE
		}
		if off < 0 {
			return -1, engine.EINVAL
		}
		pos = uint64(off)
	}
	// n is how much there is to read; fill puts the bytes at pos+done in b.
	var n uint64
	var fill func(done uint64, b []byte) engine.Errno
	switch ino.kind {
	case kindDir:
		return -1, engine.EISDIR
	case kindTTY, kindNull:
		return 0, 0
	case kindZero:
		n = uint64(count)
		fill = func(_ uint64, b []byte) engine.Errno { clear(b); return 0 }
	case kindRandom:
		*path = append(*path, "urandom_read_iter", "get_random_bytes_user")
		n = uint64(count)
		fill = func(_ uint64, b []byte) engine.Errno { e.getRandomBytes(b); return 0 }
	case kindProc:
		*path = append(*path, "seq_read")
		data, err := e.procRead(p, f.proc, pos, count)
		if err != 0 {
			return -1, err
		}
		n = uint64(len(data))
		fill = func(done uint64, b []byte) engine.Errno { copy(b, data[done:]); return 0 }
	case kindDemo:
		*path = append(*path, "demo_dev_read")
		if pos < engine.PageSize {
			n = min(uint64(count), engine.PageSize-pos)
			fill = func(done uint64, b []byte) engine.Errno {
				e.mem.read(e.mem.f(e.mem.demo), int(pos+done), b)
				return 0
			}
		}
	default:
		*path = append(*path, "vfs_read", "filemap_read")
		if pos < ino.size {
			n = min(uint64(count), ino.size-pos)
			fill = func(base uint64, b []byte) engine.Errno {
				for done := uint64(0); done < uint64(len(b)); {
					at := pos + base + done
					idx := at >> engine.PageShift
					in := at & engine.PageMask
					// page_cache_sync_ra: a miss reads the window ahead.
					fi, _, err := e.readPages(p, ino, idx, idx, idx+uint64(max(e.opts.ReadAround, 1))-1)
					if err != 0 {
						return err
					}
					e.mem.markAccessed(fi)
					c := min(uint64(engine.PageSize)-in, uint64(len(b))-done)
					e.mem.read(e.mem.f(fi), int(in), b[done:done+c])
					done += c
				}
				return 0
			}
		}
	}
	var done uint64
	for done < n {
		if done > 0 && e.stopped() {
			break
		}
		b := e.ioBuf(int(min(n-done, ioChunk)))
		if err := fill(done, b); err != 0 {
			if done == 0 {
				return -1, err
			}
			break
		}
		if done == 0 {
			*path = append(*path, "copy_to_user")
		}
		k := e.userCopy(p, buf+done, b, true)
		if k > 0 {
			e.copyEvent(p, "copy_to_user", buf+done, k, ino)
		}
		done += uint64(k)
		if k < len(b) {
			if done == 0 {
				return -1, engine.EFAULT
			}
			break
		}
	}
	if !positional {
		f.pos = pos + done
	}
	return int64(done), 0
}

// sysWrite is write and pwrite64: copy_from_user into the page cache a
// chunk at a time, marking pages dirty for writeback. A fault part way
// returns the bytes written before it (EFAULT when there are none), as
// generic_perform_write does; so does a run being stopped.
func (e *Engine) sysWrite(p *process, fd int64, buf uint64, count int64, off int64, positional bool, path *[]string) (int64, engine.Errno) {
	f := p.fd(fd)
	if f == nil || !f.canWrite() {
		return -1, engine.EBADF
	}
	if count < 0 || f.ino.secret { // secretmem_fops: no write (FMODE_CAN_WRITE)
		return -1, engine.EINVAL
	}
	ino := f.ino
	switch ino.kind {
	case kindDir:
		return -1, engine.EISDIR
	case kindProc:
		return e.procWrite(p, f, buf, count, off, positional, path)
	case kindTTY:
		if positional {
			return -1, engine.ESPIPE
		}
		if count == 0 {
			return 0, 0
		}
		*path = append(*path, "copy_from_user")
		data := e.ioBuf(int(min(count, ttyWriteMax)))
		k := e.userCopy(p, buf, data, false)
		if k == 0 {
			return -1, engine.EFAULT
		}
		if e.sink != nil {
			t := engine.EvStdout
			if fd == 2 {
				t = engine.EvStderr
			}
			ev := e.newEvent(t, p.pid)
			ev.Text = string(data[:k])
			e.emit(ev)
		}
		return int64(k), 0
	case kindZero, kindNull, kindRandom:
		// The data is read all the same (copy_from_user faults), and
		// thrown away (/dev/urandom's mixed into the pool, which changes
		// no byte the model's generator gives).
		if count > 0 {
			*path = append(*path, "copy_from_user")
		}
		var done uint64
		for done < uint64(count) && !(done > 0 && e.stopped()) {
			b := e.ioBuf(int(min(uint64(count)-done, ioChunk)))
			k := e.userCopy(p, buf+done, b, false)
			if k > 0 {
				e.copyEvent(p, "copy_from_user", buf+done, k, ino)
			}
			done += uint64(k)
			if k < len(b) {
				break
			}
		}
		if done == 0 && count > 0 {
			return -1, engine.EFAULT
		}
		return int64(done), 0
	case kindDemo:
		pos := f.pos
		if positional {
			pos = uint64(off)
		}
		if pos >= engine.PageSize {
			return -1, engine.ENOSPC
		}
		n := min(uint64(count), engine.PageSize-pos)
		data := e.ioBuf(int(n))
		if n > 0 {
			*path = append(*path, "copy_from_user")
			if k := e.userCopy(p, buf, data, false); k < len(data) {
				return -1, engine.EFAULT
			}
			e.copyEvent(p, "copy_from_user", buf, len(data), ino)
		}
		e.mem.write(e.mem.f(e.mem.demo), int(pos), data)
		if !positional {
			f.pos = pos + n
		}
		return int64(n), 0
	}
	pos := f.pos
	if positional {
		if off < 0 {
			return -1, engine.EINVAL
		}
		pos = uint64(off)
	} else if f.flags&engine.O_APPEND != 0 {
		pos = ino.size
	}
	n := uint64(count)
	if pos+n < pos || pos+n > maxFileSize {
		if pos >= maxFileSize {
			return -1, engine.EFBIG
		}
		n = maxFileSize - pos
	}
	if ino.kind == kindShmem && n > 0 {
		var err engine.Errno
		if n, err = shmemWriteSeals(ino, pos, n); err != 0 {
			*path = append(*path, "shmem_write_begin")
			return -1, err
		}
	}
	if n > 0 {
		*path = append(*path, "copy_from_user")
	}
	*path = append(*path, "vfs_write", "generic_perform_write")
	var done uint64
	for done < n {
		if done > 0 && e.stopped() {
			break
		}
		data := e.ioBuf(int(min(n-done, ioChunk)))
		k := e.userCopy(p, buf+done, data, false)
		if k == 0 {
			break
		}
		e.copyEvent(p, "copy_from_user", buf+done, k, ino)
		for w := uint64(0); w < uint64(k); {
			at := pos + done + w
			idx := at >> engine.PageShift
			in := at & engine.PageMask
			c := min(uint64(engine.PageSize)-in, uint64(k)-w)
			// write_begin: a page not cached yet comes in the folio this
			// part of the write makes (folio.go).
			var err engine.Errno
			if _, cached := ino.cache[idx]; !cached {
				if order := e.writeFolioOrder(ino, idx, e.writeChunk(at, n-done-w)); order > 0 {
					err = e.addWriteFolio(p, ino, idx, order, in)
				}
			}
			// A write of a whole page needs no read of the old contents.
			var fi int32
			if err == 0 {
				fi, err = e.pageCacheGet(p, ino, idx, in == 0 && c == engine.PageSize)
			}
			if err != 0 {
				if done+w == 0 {
					return -1, err
				}
				n = done + w
				k = int(w)
				break
			}
			e.mem.write(e.mem.f(fi), int(in), data[w:w+c])
			e.mem.markAccessed(fi)
			if at+c > ino.size {
				ino.size = at + c
			}
			e.setPageDirty(p, ino, fi)
			w += c
		}
		done += uint64(k)
		if k < len(data) {
			break
		}
	}
	if done == 0 && n > 0 {
		return -1, engine.EFAULT
	}
	ino.mtime = e.clock
	if !positional {
		f.pos = pos + done
	}
	if f.flags&engine.O_SYNC == engine.O_SYNC && done > 0 {
		e.writebackRange(p, ino, pos>>engine.PageShift, (pos+done-1)>>engine.PageShift, "writeback")
	}
	return int64(done), 0
}

// maxFileSize is ext4's largest file with 4 KiB blocks (16 TiB): a write
// that would pass it is short, one starting past it EFBIG.
const maxFileSize = 16 << 40

// whenceBase is the offset a whence counts from (lseek's, and a record
// lock's l_whence): 0, the file position or the file's size; ok is false
// for another whence.
func (f *file) whenceBase(whence int64) (base int64, ok bool) {
	switch whence {
	case engine.SEEK_SET:
		return 0, true
	case engine.SEEK_CUR:
		return int64(f.pos), true
	case engine.SEEK_END:
		return int64(f.ino.size), true
	}
	return 0, false
}

func (e *Engine) sysLseek(p *process, fd, off, whence int64) (int64, engine.Errno) {
	f := p.fd(fd)
	if f == nil {
		return -1, engine.EBADF
	}
	if f.ino.kind == kindTTY {
		return -1, engine.ESPIPE
	}
	base, ok := f.whenceBase(int64(whence))
	if !ok {
		return -1, engine.EINVAL
	}
	n := base + off
	if n < 0 {
		return -1, engine.EINVAL
	}
	f.pos = uint64(n)
	return n, 0
}

func (e *Engine) sysFtruncate(p *process, fd, length int64) (int64, engine.Errno) {
	f := p.fd(fd)
	if f == nil {
		return -1, engine.EBADF
	}
	// A regular file, or a memfd (shmem: do_sys_ftruncate takes any
	// S_ISREG inode opened for writing).
	if length < 0 || (f.ino.kind != kindReg && f.ino.kind != kindShmem) || !f.canWrite() {
		return -1, engine.EINVAL
	}
	// shmem_setattr: the seals against shrinking and growing.
	if ino := f.ino; ino.kind == kindShmem && (uint64(length) < ino.size && ino.seals&engine.F_SEAL_SHRINK != 0 ||
		uint64(length) > ino.size && ino.seals&engine.F_SEAL_GROW != 0) {
		return -1, engine.EPERM
	}
	e.truncate(p, f.ino, uint64(length))
	return 0, 0
}

// truncate is do_truncate: i_size changes at once, pages wholly past the
// new end leave the cache and every mapping, and the rest of the last page
// is zeroed.
func (e *Engine) truncate(p *process, ino *inode, size uint64) {
	old := ino.size
	ino.size = size
	ino.disk.truncate(size)
	if size < old {
		e.truncatePages(ino, size)
	}
	ino.mtime, ino.ctime = e.clock, e.clock
}

// sysFsync is fsync: every dirty page of the file to disk.
func (e *Engine) sysFsync(p *process, fd int64, path *[]string) (int64, engine.Errno) {
	f := p.fd(fd)
	if f == nil {
		return -1, engine.EBADF
	}
	if f.ino.kind == kindReg {
		*path = append(*path, "vfs_fsync_range", "filemap_write_and_wait_range")
		e.writebackRange(p, f.ino, 0, ^uint64(0), "fsync")
	}
	return 0, 0
}

// POSIX_FADV_* advice.
const (
	fadvWillNeed = 3
	fadvDontNeed = 4
)

// sysFadvise is fadvise64: WILLNEED reads the range into the page cache;
// DONTNEED writes it back and drops the clean pages nobody maps
// (invalidate_mapping_pages). Other advice is accepted and changes
// nothing here.
func (e *Engine) sysFadvise(p *process, fd, off, length, advice int64, path *[]string) (int64, engine.Errno) {
	f := p.fd(fd)
	if f == nil {
		return -1, engine.EBADF
	}
	if f.ino.kind == kindTTY {
		return -1, engine.ESPIPE
	}
	if advice < 0 || advice > 5 || length < 0 {
		return -1, engine.EINVAL
	}
	ino := f.ino
	if ino.kind != kindReg {
		return 0, 0
	}
	first := uint64(off) >> engine.PageShift
	last := ^uint64(0)
	if length > 0 {
		last = (uint64(off) + uint64(length) - 1) >> engine.PageShift
	}
	switch advice {
	case fadvWillNeed:
		*path = append(*path, "force_page_cache_readahead")
		end := min(last, (pageAlign(ino.size)>>engine.PageShift)-1)
		if ino.size > 0 && first <= end {
			e.readPages(p, ino, first, first, end)
		}
	case fadvDontNeed:
		*path = append(*path, "__filemap_fdatawrite_range", "invalidate_mapping_pages")
		e.writebackRange(p, ino, first, last, "fadvise")
		for _, idx := range ino.sortedIndices() {
			fi := ino.cache[idx]
			if idx < first || idx > last || e.mem.f(fi).mapcnt > 0 || e.mem.f(fi).flags&pgDirty != 0 {
				continue
			}
			e.dropCachePage(ino, fi, "fadvise")
		}
	}
	return 0, 0
}

// statBuf is the Linux x86-64 struct stat of ino (144 bytes).
func (e *Engine) statBuf(ino *inode) []byte {
	b := make([]byte, 144)
	le := binary.LittleEndian
	mode := ino.fmode()
	var rdev uint64
	switch ino.kind {
	case kindTTY:
		rdev = 0x8800
	case kindZero:
		rdev = 0x105
	case kindNull:
		rdev = 0x103
	case kindDemo:
		rdev = 0xf000
	case kindRandom:
		rdev = randomRdev(ino)
	}
	dev := uint64(devDisk)
	if ino.kind == kindTTY || ino.kind == kindZero || ino.kind == kindNull || ino.kind == kindDemo || ino.kind == kindRandom {
		dev = devDev
	} else if ino.kind == kindProc {
		dev = procDevice
	} else if ino.kind == kindShmem {
		dev = devShmem
	}
	size := ino.size
	if ino.kind == kindDir {
		size = engine.PageSize
	}
	le.PutUint64(b[0:], dev)
	le.PutUint64(b[8:], ino.ino)
	le.PutUint64(b[16:], uint64(max(ino.nlink, 0)))
	le.PutUint32(b[24:], mode)
	if !ino.rootOwned() {
		le.PutUint32(b[28:], studentUID)
		le.PutUint32(b[32:], studentGID)
	}
	le.PutUint64(b[40:], rdev)
	le.PutUint64(b[48:], size)
	le.PutUint64(b[56:], engine.PageSize)
	le.PutUint64(b[64:], pageAlign(size)/512)
	for _, off := range []int{72, 88, 104} {
		t := ino.mtime
		if off == 104 {
			t = ino.ctime
		}
		t = e.realtime(t) // the inode's times are the wall clock's
		le.PutUint64(b[off:], t/1e9)
		le.PutUint64(b[off+8:], t%1e9)
	}
	return b
}

// sysFstatat is newfstatat(dirfd, path, buf, flags), analogous to
// fs/stat.c's vfs_fstatat and vfs_statx:
//
//	check                                          where          errno
//	flags past AT_SYMLINK_NOFOLLOW, AT_NO_AUTOMOUNT, vfs_statx     EINVAL
//	  AT_EMPTY_PATH, AT_STATX_SYNC_TYPE
//	"" with AT_EMPTY_PATH: dirfd itself (fstat)    vfs_fstatat    EBADF
//	"" without it                                  getname_flags  ENOENT
//	a relative path, dirfd neither AT_FDCWD nor    path_init      EBADF
//	  open
//	  nor a directory                              path_init      ENOTDIR
//	the walk's (a last link followed but with      path_lookupat  ENOENT, ENOTDIR, EACCES, ELOOP
//	  AT_SYMLINK_NOFOLLOW)
func (e *Engine) sysFstatat(p *process, dirfd int64, path string, buf uint64, flags int64) (int64, engine.Errno) {
	const statxSyncType = 0x6000 // AT_STATX_SYNC_TYPE
	if flags&^(engine.AT_SYMLINK_NOFOLLOW|engine.AT_NO_AUTOMOUNT|engine.AT_EMPTY_PATH|statxSyncType) != 0 {
		return -1, engine.EINVAL
	}
	if path == "" {
		if flags&engine.AT_EMPTY_PATH == 0 {
			return -1, engine.ENOENT
		}
		if dirfd == engine.AT_FDCWD {
			path = "."
		} else if f := p.fd(dirfd); f == nil {
			return -1, engine.EBADF
		} else {
			return e.sysStat(p, f.ino, buf)
		}
	}
	follow := lookupFollow
	if flags&engine.AT_SYMLINK_NOFOLLOW != 0 {
		follow = 0
	}
	return e.statPath(p, dirfd, path, follow, buf)
}

// statPath is vfs_statx's lookup and the stat of what it found; /proc's
// names are procfs.go's.
func (e *Engine) statPath(p *process, dirfd int64, path string, follow int, buf uint64) (int64, engine.Errno) {
	name, err := e.atPath(p, dirfd, path)
	if err != 0 {
		return -1, err
	}
	if ret, err, ok := e.nsStat(p, name, buf, follow == 0); ok {
		return ret, err // nsfs.go
	}
	if isProcPath(name) {
		return e.procStat(p, name, follow, buf)
	}
	nd, err := e.fs.walk(cwd, name, follow)
	if err != 0 {
		return -1, err
	}
	return e.sysStat(p, nd.ino, buf)
}

// atPath is path as the *at calls resolve it from dirfd (path_init): an
// absolute path or AT_FDCWD's as it is; a relative one from the directory
// dirfd has open, which must be one (EBADF, ENOTDIR). The empty path is
// getname's ENOENT, before dirfd is looked at.
func (e *Engine) atPath(p *process, dirfd int64, path string) (string, engine.Errno) {
	if path == "" {
		return "", engine.ENOENT
	}
	switch {
	case path[0] == '/':
		return path, 0
	case dirfd == engine.AT_FDCWD && p.sys.cwd != "":
		return joinRel(p.sys.cwd, path), 0 // after a chdir (fs->pwd)
	case dirfd == engine.AT_FDCWD:
		return path, 0
	}
	f := p.fd(dirfd)
	switch {
	case f == nil:
		return "", engine.EBADF
	case f.procDir != "":
		return f.procDir + "/" + path, 0
	case f.ino.kind != kindDir:
		return "", engine.ENOTDIR
	}
	return joinRel(absOf(f.ino.name), path), 0
}

// joinRel is path relative to the directory at base, an absolute path
// with no links in it: its leading ".." components are base's parents
// (d_parent, which a directory removed still has), the rest walked from
// there.
func joinRel(base, path string) string {
	for {
		switch {
		case path == "..":
			return parentOf(base)
		case strings.HasPrefix(path, "../"):
			base, path = parentOf(base), strings.TrimLeft(path[3:], "/")
			if path == "" {
				return base
			}
			continue
		}
		return base + "/" + path
	}
}

// walkAt is the walk of a *at call's path from dirfd.
func (e *Engine) walkAt(p *process, dirfd int64, path string, flags int) (nameidata, engine.Errno) {
	name, err := e.atPath(p, dirfd, path)
	if err != 0 {
		return nameidata{}, err
	}
	return e.fs.walk(cwd, name, flags)
}

func (e *Engine) sysStat(p *process, ino *inode, buf uint64) (int64, engine.Errno) {
	b := e.statBuf(ino)
	if ino.kind == kindNsfs {
		b = e.nsStatBuf(ino.ns, false)
	}
	if err := e.copyToUser(p, buf, b, nil); err != 0 {
		return -1, err
	}
	return 0, 0
}

// copyToUser writes data into user memory at addr (copy_to_user), faulting
// pages in; an access the user could not make is EFAULT.
func (e *Engine) copyToUser(p *process, addr uint64, data []byte, ino *inode) engine.Errno {
	if err := e.access(p, addr, data, true, true); err != nil {
		return engine.EFAULT
	}
	e.cnt.CopyToUser += uint64(len(data))
	e.cnt.Copies++
	if e.sink != nil {
		ev := e.newEvent(engine.EvCopy, p.pid)
		ev.Dir = "copy_to_user"
		ev.Addr = addr
		ev.Bytes = uint64(len(data))
		if ino != nil {
			ev.File = ino.name
		}
		e.emit(ev)
	}
	return 0
}
