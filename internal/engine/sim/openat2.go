package sim

import (
	"encoding/binary"

	"github.com/mmapplayground/playground/internal/engine"
)

// openat2(dirfd, path, how, size), analogous to fs/open.c's sys_openat2
// and build_open_flags: struct open_how {u64 flags, mode, resolve} read
// as copy_struct_from_user reads an extensible struct, every argument
// checked (where openat drops what it does not know), then the open.
//
//	check                                                  where                  errno
//	size below OPEN_HOW_SIZE_VER0 (24)                     sys_openat2            EINVAL
//	size past a page                                       sys_openat2            E2BIG
//	how not readable                                       copy_struct_from_user  EFAULT
//	a nonzero byte past the struct the kernel knows        copy_struct_from_user  E2BIG
//	flags past VALID_OPEN_FLAGS (the upper 32 bits too)    build_open_flags       EINVAL
//	resolve past the RESOLVE_* flags                       build_open_flags       EINVAL
//	RESOLVE_BENEATH with RESOLVE_IN_ROOT                   build_open_flags       EINVAL
//	O_CREAT or O_TMPFILE: mode past 07777                  build_open_flags       EINVAL
//	  neither: a mode at all                               build_open_flags       EINVAL
//	O_CREAT with O_DIRECTORY                               build_open_flags       EINVAL
//	O_TMPFILE's checks (openTmpfile)                       build_open_flags       EINVAL
//	O_PATH with flags past O_DIRECTORY, O_NOFOLLOW,        build_open_flags       EINVAL
//	  O_CLOEXEC (O_LARGEFILE too: openat2 adds it to the
//	  others only)
//	the open's own (openat's dirfd, then sysOpen)
//
// RESOLVE_NO_SYMLINKS makes any symbolic link the walk meets ELOOP. The
// model's file system has no mounts, and its walk does not yet refuse what
// RESOLVE_NO_MAGICLINKS, _BENEATH and _IN_ROOT refuse: those change
// nothing.
func (e *Engine) sysOpenat2(p *process, dirfd int64, path string, how, size uint64, trace *[]string) (int64, engine.Errno) {
	const (
		openHowSizeVer0 = 24
		// VALID_OPEN_FLAGS: the access modes, O_CREAT ... O_PATH,
		// __O_TMPFILE, FASYNC and O_NDELAY's O_NONBLOCK.
		validOpenFlags = engine.O_ACCMODE | engine.O_CREAT | engine.O_EXCL | engine.O_NOCTTY | engine.O_TRUNC |
			engine.O_APPEND | engine.O_NONBLOCK | engine.O_SYNC | engine.O_DSYNC | fasync | engine.O_DIRECT |
			engine.O_LARGEFILE | engine.O_DIRECTORY | engine.O_NOFOLLOW | engine.O_NOATIME | engine.O_CLOEXEC |
			engine.O_PATH | engine.O_TMPFILE
		// RESOLVE_NO_XDEV, _NO_MAGICLINKS, _NO_SYMLINKS, _BENEATH,
		// _IN_ROOT, _CACHED (<linux/openat2.h>).
		resolveNoSymlinks             = 0x04
		resolveBeneath, resolveInRoot = 0x08, 0x10
		validResolve                  = 0x3f
		oPathFlags                    = engine.O_DIRECTORY | engine.O_NOFOLLOW | engine.O_PATH | engine.O_CLOEXEC
		sIALLUGO                      = 0o7777
	)
	*trace = append(*trace, "do_sys_openat2")
	switch {
	case size < openHowSizeVer0:
		return -1, engine.EINVAL
	case size > engine.PageSize:
		return -1, engine.E2BIG
	}
	b := make([]byte, size)
	if err := e.access(p, how, b, false, true); err != nil {
		return -1, engine.EFAULT
	}
	for _, c := range b[openHowSizeVer0:] {
		if c != 0 {
			return -1, engine.E2BIG
		}
	}
	le := binary.LittleEndian
	flags, mode, resolve := le.Uint64(b), le.Uint64(b[8:]), le.Uint64(b[16:])
	if flags&engine.O_PATH == 0 {
		flags |= engine.O_LARGEFILE // force_o_largefile, for the others only
	}
	switch {
	case flags&^validOpenFlags != 0, resolve&^validResolve != 0,
		resolve&resolveBeneath != 0 && resolve&resolveInRoot != 0:
		return -1, engine.EINVAL
	case flags&(engine.O_CREAT|oTmpfileBit) != 0 && mode&^sIALLUGO != 0,
		flags&(engine.O_CREAT|oTmpfileBit) == 0 && mode != 0:
		return -1, engine.EINVAL
	case flags&(engine.O_DIRECTORY|engine.O_CREAT) == engine.O_DIRECTORY|engine.O_CREAT:
		return -1, engine.EINVAL
	case flags&oTmpfileBit != 0 && (flags&(engine.O_TMPFILE|engine.O_CREAT) != engine.O_TMPFILE ||
		flags&engine.O_ACCMODE == engine.O_RDONLY):
		return -1, engine.EINVAL
	case flags&engine.O_PATH != 0 && flags&^oPathFlags != 0:
		return -1, engine.EINVAL
	}
	name, err := e.atPath(p, dirfd, path)
	if err != 0 {
		return -1, err
	}
	lookup := 0
	if resolve&resolveNoSymlinks != 0 {
		lookup = lookupNoSymlinks
	}
	return e.doOpen(p, name, int(flags), uint32(mode), lookup, trace)
}
