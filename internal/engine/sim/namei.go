package sim

import (
	"strings"

	"github.com/mmapplayground/playground/internal/engine"
)

// The path walk, analogous to fs/namei.c's link_path_walk and walk_component:
// a path is taken a component at a time from where it starts (the root, the
// working directory, or a directory descriptor), each directory searched
// (MAY_EXEC), "." and ".." handled as names of the directory itself and its
// parent, and each symbolic link met followed (pick_link), the last one
// only when the lookup says so (LOOKUP_FOLLOW).
//
// The model's names are a map from a key to an inode (the dcache): "." is
// the working directory /home/student, a key without a leading '/' is a
// path below it ("data.bin", "d/regfile"), and a key with one is a name
// outside it ("/dev/zero", "/bin/true"). /tmp, /, /home and /dev are the
// working directory too, as the session has one directory of its own: so
// "/tmp/data.bin", "./data.bin" and "/home/student/data.bin" are one file.
//
//	check (per component)                          where              errno
//	the path empty                                 getname_flags      ENOENT
//	the path PATH_MAX bytes or more                getname_flags      ENAMETOOLONG
//	the directory walked from not a directory      link_path_walk     ENOTDIR
//	no search (exec) permission on it              may_lookup         EACCES
//	a component longer than NAME_MAX               ext4_lookup        ENAMETOOLONG
//	no such name (not the last component's, or     walk_component     ENOENT
//	  the last's where nothing may be made)
//	the 41st symbolic link of the walk, or any     pick_link          ELOOP
//	  with LOOKUP_NO_SYMLINKS
//	a trailing '/' on what is not a directory      handle_lookup_down ENOTDIR

// The model's limits on names (the host's memory is bounded by them).
const (
	// pathMax is PATH_MAX: a path of that many bytes or more (with its
	// NUL) is ENAMETOOLONG.
	pathMax = 4096
	// nameMax is NAME_MAX (ext4's EXT4_NAME_LEN): a longer component
	// is ENAMETOOLONG.
	nameMax = 255
	// maxSymlinks is MAXSYMLINKS: the links one lookup follows.
	maxSymlinks = 40
	// maxDirEntries is the most names one directory of the model holds:
	// one more is ENOSPC, as a full file system's inode table would be,
	// so a loop making files costs the host a bounded amount.
	maxDirEntries = 4096
)

// Lookup flags (LOOKUP_*).
const (
	lookupFollow     = 1 << iota // LOOKUP_FOLLOW: follow a last component that is a link
	lookupNoSymlinks             // LOOKUP_NO_SYMLINKS (openat2's RESOLVE_NO_SYMLINKS): a link met is ELOOP
)

// nameidata is where a walk ended: what the path names and the directory
// it is in, or, when its last component names nothing, where it would be
// made.
type nameidata struct {
	ino *inode // what the path names; nil when the last component does not exist
	key string // its key (where a create puts it); "" when nothing may be made
	dir *inode // the directory holding the last component
	// last is the last component: "." and ".." when it is one of them
	// (LAST_DOT, LAST_DOTDOT), "/" for the root.
	last string
	// slash says the path ended in '/' (LOOKUP_DIRECTORY).
	slash bool
}

// absOf is the absolute path of a key.
func absOf(key string) string {
	switch {
	case key == ".":
		return cwd
	case strings.HasPrefix(key, "/"):
		return key
	}
	return cwd + "/" + key
}

// keyOf is the key of a clean absolute path.
func keyOf(abs string) string {
	switch abs {
	case "/", "/home", "/dev", "/tmp", cwd:
		return "."
	}
	if rest, ok := strings.CutPrefix(abs, cwd+"/"); ok {
		return rest
	}
	if rest, ok := strings.CutPrefix(abs, "/tmp/"); ok {
		return rest
	}
	return abs
}

// parentOf is the directory an absolute path is in ("/" for "/").
func parentOf(abs string) string {
	i := strings.LastIndexByte(abs, '/')
	if i <= 0 {
		return "/"
	}
	return abs[:i]
}

func joinAbs(dir, name string) string {
	if dir == "/" {
		return "/" + name
	}
	return dir + "/" + name
}

// components are a path's names, the empty ones (of "//") left out.
func components(path string) []string {
	out := make([]string, 0, 4)
	for _, c := range strings.Split(path, "/") {
		if c != "" {
			out = append(out, c)
		}
	}
	return out
}

func (fs *filesystem) byKey(key string) *inode {
	if id, ok := fs.names[key]; ok {
		return fs.inodes[id]
	}
	return nil
}

// walk is path_lookupat: path resolved from the directory start (an
// absolute path), the last component's link followed with lookupFollow.
func (fs *filesystem) walk(start, path string, flags int) (nameidata, engine.Errno) {
	switch {
	case path == "":
		return nameidata{}, engine.ENOENT
	case len(path) >= pathMax:
		return nameidata{}, engine.ENAMETOOLONG
	}
	cur := start
	if path[0] == '/' {
		cur = "/"
	}
	comps := components(path)
	slash := strings.HasSuffix(path, "/")
	links := 0
	for len(comps) > 0 {
		c := comps[0]
		comps = comps[1:]
		last := len(comps) == 0
		dir := fs.byKey(keyOf(cur))
		switch {
		case dir == nil && c == "..":
			// A directory removed still has its parent (d_parent).
			cur = parentOf(cur)
			if last {
				ino := fs.byKey(keyOf(cur))
				return nameidata{ino: ino, key: keyOf(cur), dir: ino, last: c, slash: slash}, 0
			}
			continue
		case dir == nil:
			return nameidata{}, engine.ENOENT // a directory removed
		case dir.kind != kindDir:
			return nameidata{}, engine.ENOTDIR
		case dir.permission(mayExec) != 0:
			return nameidata{}, engine.EACCES
		case len(c) > nameMax:
			return nameidata{}, engine.ENAMETOOLONG
		}
		switch c {
		case ".", "..":
			if c == ".." {
				cur = parentOf(cur)
			}
			if last {
				ino := fs.byKey(keyOf(cur))
				return nameidata{ino: ino, key: keyOf(cur), dir: dir, last: c, slash: slash}, 0
			}
			continue
		}
		next := joinAbs(cur, c)
		key := keyOf(next)
		ino := fs.byKey(key)
		if ino == nil {
			if last {
				return nameidata{key: key, dir: dir, last: c, slash: slash}, engine.ENOENT
			}
			return nameidata{}, engine.ENOENT
		}
		if ino.kind == kindSymlink && (!last || slash || flags&lookupFollow != 0) {
			// pick_link: the link's body walked from the directory
			// holding it, then what followed it.
			if links++; links > maxSymlinks || flags&lookupNoSymlinks != 0 || fs.noSymfollow != nil && fs.noSymfollow(next) {
				return nameidata{}, engine.ELOOP
			}
			if strings.HasPrefix(ino.target, "/") {
				cur = "/"
			}
			if last && strings.HasSuffix(ino.target, "/") {
				slash = true
			}
			comps = append(components(ino.target), comps...)
			if len(comps) == 0 {
				// A link to "/": the root it names.
				return nameidata{ino: fs.byKey(keyOf(cur)), key: keyOf(cur), dir: dir, last: "/", slash: slash}, 0
			}
			continue
		}
		if last {
			nd := nameidata{ino: ino, key: key, dir: dir, last: c, slash: slash}
			if slash && ino.kind != kindDir {
				return nd, engine.ENOTDIR
			}
			return nd, 0
		}
		cur = next
	}
	// The path was "/" (or slashes): the root, which is the session's
	// directory here.
	ino := fs.byKey(keyOf(cur))
	return nameidata{ino: ino, key: keyOf(cur), dir: ino, last: "/", slash: slash}, 0
}

// lookup resolves a path from the working directory, following links: the
// inode, its key (where to make it when the last component names nothing
// and its directory exists; "" when it does not) and the errno.
func (fs *filesystem) lookup(path string) (*inode, string, engine.Errno) {
	nd, err := fs.walk(cwd, path, lookupFollow)
	return nd.ino, nd.key, err
}

// MAY_EXEC, MAY_WRITE, MAY_READ.
const (
	mayExec  = 1
	mayWrite = 2
	mayRead  = 4
)

// rootOwned says the inode is root's, not the session user's: the devices
// of /dev but the terminal, and the system's files (/bin).
func (i *inode) rootOwned() bool {
	return i.root || i.kind == kindZero || i.kind == kindNull || i.kind == kindDemo || i.kind == kindRandom
}

// permission is generic_permission for the session's user (uid 1000 in
// group 1000, no capabilities): the owner's bits of the user's files, the
// others' of root's.
func (i *inode) permission(mask uint32) engine.Errno {
	mode := i.fmode()
	bits := mode >> 6 & 7
	if i.rootOwned() {
		bits = mode & 7
	}
	if mask&^bits != 0 {
		return engine.EACCES
	}
	return 0
}

// fmode is the inode's i_mode: its type and permission bits.
func (i *inode) fmode() uint32 {
	if i.mode != 0 {
		return i.mode
	}
	switch i.kind {
	case kindDir:
		return engine.S_IFDIR | 0o755
	case kindTTY:
		return engine.S_IFCHR | 0o620
	case kindZero, kindNull, kindDemo, kindRandom:
		return engine.S_IFCHR | 0o666
	case kindProc:
		return engine.S_IFREG | 0o444
	case kindPipe:
		return engine.S_IFIFO | 0o600
	case kindEventfd, kindEpoll, kindUserfaultfd:
		return 0o600 // an anonymous inode has no file type
	case kindPidfd:
		return 0o700 // pidfs's inode: S_IRWXU, no file type
	case kindShmem:
		if i.noexec {
			return engine.S_IFREG | 0o666 // MFD_NOEXEC_SEAL
		}
		return engine.S_IFREG | 0o777 // memfd_create's S_IRWXUGO
	case kindSymlink:
		return engine.S_IFLNK | 0o777
	case kindSocket:
		return engine.S_IFSOCK | 0o777 // sock_alloc's S_IFSOCK | S_IRWXUGO
	}
	return engine.S_IFREG | 0o644
}

// umask is the process's fs->umask, 022 until umask(2) changes it.
func (p *process) umask() uint32 { return p.sys.umask }

// defaultUmask is the umask a session's program starts with (a login
// shell's, and the test's that runs the corpus natively).
const defaultUmask = 0o022

// mayCreate is filename_create's and may_create's checks of where a new
// name goes: the name must not exist (EEXIST), its directory must (ENOENT)
// and be writable and searchable (EACCES), and have room (ENOSPC).
func (fs *filesystem) mayCreate(nd nameidata, err engine.Errno) engine.Errno {
	switch {
	case err == 0 && nd.last != "." && nd.last != ".." && nd.last != "/":
		return engine.EEXIST
	case err == 0:
		return engine.EEXIST // mkdir(".") and the root: LAST_DOT's EEXIST
	case err != engine.ENOENT || nd.key == "":
		return err
	case nd.dir.nlink == 0:
		return engine.ENOENT // IS_DEADDIR
	case nd.dir.permission(mayWrite|mayExec) != 0 || strings.HasPrefix(nd.key, "/") && !strings.HasPrefix(nd.key, devShm+"/"):
		return engine.EACCES // the system's directories are root's
	case nd.dir.entries >= maxDirEntries:
		return engine.ENOSPC
	}
	return 0
}

// link puts ino in the names at key, in directory dir (d_instantiate).
func (fs *filesystem) link(dir *inode, key string, ino *inode) {
	fs.names[key] = ino.id
	ino.parent = dir
	dir.entries++
	if ino.kind == kindDir {
		dir.nlink++
	}
}

// unlinkKey takes key's name away (d_delete): the inode lives on while
// open or mapped.
func (fs *filesystem) unlinkKey(key string, ino *inode) {
	delete(fs.names, key)
	if d := ino.parent; d != nil {
		d.entries--
		if ino.kind == kindDir {
			d.nlink--
		}
	}
	ino.nlink = 0
}

// newNode makes an inode at nd's name with the mode given (less the
// umask), owned by the session's user.
func (e *Engine) newNode(p *process, nd nameidata, kind uint8, mode uint32) *inode {
	ino := e.fs.newInode(nd.key, kind)
	ino.mode = mode &^ p.umask()
	ino.mtime, ino.ctime = e.clock, e.clock
	nd.dir.mtime, nd.dir.ctime = e.clock, e.clock
	if kind == kindDir {
		ino.nlink = 2
	}
	e.fs.link(nd.dir, nd.key, ino)
	return ino
}

// sysMkdirat is mkdirat(dirfd, path, mode), analogous to do_mkdirat:
//
//	check                                          where              errno
//	dirfd, the walk's                              path_init, walk    EBADF, ENOTDIR, ENOENT, EACCES, ELOOP
//	the name exists (a link too: not followed)     filename_create    EEXIST
//	its directory not writable                     may_create         EACCES
//	the directory full (the model's limit)                            ENOSPC
func (e *Engine) sysMkdirat(p *process, dirfd int64, path string, mode uint32) (int64, engine.Errno) {
	nd, err := e.walkAt(p, dirfd, path, 0)
	if err == engine.ENOTDIR && nd.ino == nil {
		return -1, err
	}
	if err := e.fs.mayCreate(nd, err); err != 0 {
		return -1, err
	}
	e.newNode(p, nd, kindDir, engine.S_IFDIR|mode&0o1777)
	return 0, 0
}

// dirEmpty says no name is in the directory (ext4's empty_dir).
func (fs *filesystem) dirEmpty(dir *inode) bool { return dir.entries == 0 }

// sysRmdir is do_rmdir (rmdir, unlinkat with AT_REMOVEDIR):
//
//	check                                          where              errno
//	the walk's                                     filename_parentat  ENOENT, ENOTDIR, EACCES, ELOOP
//	the last component "."                         do_rmdir           EINVAL
//	  ".."                                                            ENOTEMPTY
//	  the root                                                        EBUSY
//	its directory not writable                     may_delete         EACCES
//	not a directory                                may_delete         ENOTDIR
//	the working directory (a mount point here)     vfs_rmdir          EBUSY
//	not empty                                      ext4_rmdir         ENOTEMPTY
func (e *Engine) sysRmdir(p *process, dirfd int64, path string) (int64, engine.Errno) {
	nd, err := e.walkAt(p, dirfd, path, 0)
	switch {
	case err == engine.ENOTDIR && nd.ino != nil:
		err = 0 // "f/": may_delete's ENOTDIR below
	case err != 0:
		return -1, err
	}
	switch nd.last {
	case ".":
		return -1, engine.EINVAL
	case "..":
		return -1, engine.ENOTEMPTY
	case "/":
		return -1, engine.EBUSY
	}
	ino := nd.ino
	switch {
	case nd.dir.permission(mayWrite|mayExec) != 0 || ino.rootOwned():
		return -1, engine.EACCES
	case ino.kind != kindDir:
		return -1, engine.ENOTDIR
	case nd.key == "." || strings.HasPrefix(nd.key, "/"):
		return -1, engine.EBUSY // a mount point: the session's directory, /dev/shm
	case !e.fs.dirEmpty(ino):
		return -1, engine.ENOTEMPTY
	}
	e.fs.unlinkKey(nd.key, ino)
	nd.dir.mtime, nd.dir.ctime = e.clock, e.clock
	return 0, 0
}

// sysUnlinkat is unlinkat(dirfd, path, flags): do_rmdir with AT_REMOVEDIR,
// do_unlinkat without.
//
//	check                                          where              errno
//	flags past AT_REMOVEDIR                        sys_unlinkat       EINVAL
//	the walk's (the last link not followed)        filename_parentat  ENOENT, ENOTDIR, EACCES, ELOOP
//	a trailing '/' on what is not a directory      do_unlinkat        ENOTDIR
//	the last component ".", "..", the root         do_unlinkat        EISDIR
//	its directory not writable, or root's          may_delete         EACCES
//	a directory                                    may_delete         EISDIR
func (e *Engine) sysUnlinkat(p *process, dirfd int64, path string, flags int64) (int64, engine.Errno) {
	if flags&^engine.AT_REMOVEDIR != 0 {
		return -1, engine.EINVAL
	}
	if flags&engine.AT_REMOVEDIR != 0 {
		return e.sysRmdir(p, dirfd, path)
	}
	nd, err := e.walkAt(p, dirfd, path, 0)
	if err != 0 {
		return -1, err
	}
	ino := nd.ino
	switch {
	case nd.last == "." || nd.last == ".." || nd.last == "/":
		return -1, engine.EISDIR
	case nd.slash:
		if ino.kind == kindDir {
			return -1, engine.EISDIR
		}
		return -1, engine.ENOTDIR
	case nd.dir.permission(mayWrite|mayExec) != 0 || ino.rootOwned() || strings.HasPrefix(nd.key, "/") && !strings.HasPrefix(nd.key, devShm+"/"):
		return -1, engine.EACCES
	case ino.kind == kindDir:
		return -1, engine.EISDIR
	}
	e.fs.unlinkKey(nd.key, ino)
	ino.name = nd.key + " (deleted)"
	nd.dir.mtime, nd.dir.ctime = e.clock, e.clock
	e.maybeEvictInode(ino)
	return 0, 0
}

// sysSymlinkat is symlinkat(target, dirfd, path), analogous to
// do_symlinkat: target is copied from the caller as getname copies it.
//
//	check                                          where              errno
//	target unreadable                              getname            EFAULT
//	target empty                                   getname            ENOENT
//	target PATH_MAX bytes or more                  getname            ENAMETOOLONG
//	the new name's (as mkdirat's)                  filename_create    EEXIST, ENOENT, ENOTDIR, EACCES, ENOSPC
func (e *Engine) sysSymlinkat(p *process, target uint64, dirfd int64, path string) (int64, engine.Errno) {
	b, err := e.strncpyFromUser(p, target, pathMax)
	switch {
	case err != 0:
		return -1, err
	case len(b) == 0:
		return -1, engine.ENOENT
	case len(b) >= pathMax:
		return -1, engine.ENAMETOOLONG
	}
	nd, err := e.walkAt(p, dirfd, path, 0)
	if err == engine.ENOTDIR && nd.ino == nil {
		return -1, err
	}
	if err := e.fs.mayCreate(nd, err); err != 0 {
		return -1, err
	}
	ino := e.newNode(p, nd, kindSymlink, engine.S_IFLNK|0o777)
	ino.mode = engine.S_IFLNK | 0o777 // a link's mode is not the umask's
	ino.target = string(b)
	ino.size = uint64(len(b))
	return 0, 0
}

// sysMknodat is mknodat(dirfd, path, mode, dev), analogous to do_mknodat:
//
//	check                                          where              errno
//	a directory's type                             may_mknod          EPERM
//	a type that is none                            may_mknod          EINVAL
//	the new name's (as mkdirat's)                  filename_create    EEXIST, ENOENT, ENOTDIR, EACCES, ENOSPC
//	a device, without CAP_MKNOD                    vfs_mknod          EPERM
//
// A FIFO is a name the model holds (and execve refuses); opening one is
// not modelled. No mode's type is a regular file (S_IFREG).
func (e *Engine) sysMknodat(p *process, dirfd int64, path string, mode uint32) (int64, engine.Errno) {
	switch mode & engine.S_IFMT {
	case 0, engine.S_IFREG, engine.S_IFIFO, engine.S_IFSOCK, engine.S_IFCHR, engine.S_IFBLK:
	case engine.S_IFDIR:
		return -1, engine.EPERM
	default:
		return -1, engine.EINVAL
	}
	nd, err := e.walkAt(p, dirfd, path, 0)
	if err == engine.ENOTDIR && nd.ino == nil {
		return -1, err
	}
	if err := e.fs.mayCreate(nd, err); err != 0 {
		return -1, err
	}
	kind := kindReg
	switch mode & engine.S_IFMT {
	case engine.S_IFCHR, engine.S_IFBLK:
		return -1, engine.EPERM
	case engine.S_IFIFO, engine.S_IFSOCK:
		kind = kindFifo
	case 0:
		mode |= engine.S_IFREG
	}
	e.newNode(p, nd, kind, mode&(engine.S_IFMT|0o7777))
	return 0, 0
}

// sysChdir is chdir(path), analogous to fs/open.c's chdir and
// set_fs_pwd: the walk's errors, then ENOTDIR for what is not a directory
// and EACCES without search permission on it.
func (e *Engine) sysChdir(p *process, path string) (int64, engine.Errno) {
	name, err := e.atPath(p, engine.AT_FDCWD, path)
	if err != 0 {
		return -1, err
	}
	if isProcPath(name) {
		mode, err := e.procStatMode(p, name, lookupFollow)
		switch {
		case err != 0:
			return -1, err
		case mode&engine.S_IFMT != engine.S_IFDIR:
			return -1, engine.ENOTDIR
		}
		p.sys.cwd = "/" + strings.Join(components(name), "/")
		return 0, 0
	}
	nd, err := e.fs.walk(cwd, name, lookupFollow)
	if err != 0 {
		return -1, err
	}
	return e.setPwd(p, nd.ino, absOf(nd.key))
}

// sysFchdir is fchdir(fd): EBADF for no descriptor, then chdir's checks of
// the directory it has open.
func (e *Engine) sysFchdir(p *process, fd int64) (int64, engine.Errno) {
	f := p.fd(fd)
	switch {
	case f == nil:
		return -1, engine.EBADF
	case f.procDir != "":
		p.sys.cwd = f.procDir
		return 0, 0
	}
	return e.setPwd(p, f.ino, absOf(f.ino.name))
}

// setPwd is set_fs_pwd after chdir's checks (ENOTDIR, EACCES).
func (e *Engine) setPwd(p *process, dir *inode, abs string) (int64, engine.Errno) {
	switch {
	case dir.kind != kindDir:
		return -1, engine.ENOTDIR
	case dir.permission(mayExec) != 0:
		return -1, engine.EACCES
	}
	p.sys.cwd = abs
	if abs == cwd {
		p.sys.cwd = ""
	}
	return 0, 0
}

// sysGetcwd is getcwd(buf, size), analogous to fs/d_path.c's: the
// working directory's path and its NUL, its length the return.
//
//	check                                          errno
//	the directory removed (d_unlinked)             ENOENT
//	size below the path and its NUL                ERANGE
//	buf not writable                               EFAULT
func (e *Engine) sysGetcwd(p *process, buf, size uint64) (int64, engine.Errno) {
	abs := cwd
	if p.sys.cwd != "" {
		abs = p.sys.cwd
	}
	if !isProcPath(abs) {
		if d := e.fs.byKey(keyOf(abs)); d == nil || d.nlink == 0 {
			return -1, engine.ENOENT
		}
	}
	b := append([]byte(abs), 0)
	if uint64(len(b)) > size {
		return -1, engine.ERANGE
	}
	if err := e.copyToUser(p, buf, b, nil); err != 0 {
		return -1, err
	}
	return int64(len(b)), 0
}
