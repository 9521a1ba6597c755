package interp

import "encoding/binary"

// <sys/statvfs.h>: statvfs and fstatvfs as glibc 2.36 makes them
// (sysdeps/unix/sysv/linux/internal_statvfs.c): the statfs system call
// into a buffer of the library's own, copied field by field into the
// caller's struct statvfs, with f_flag the kernel's f_flags less ST_VALID.

// tStatvfs is struct statvfs on x86-64: 112 bytes.
var tStatvfs = mkStruct("statvfs", []field{
	{name: "f_bsize", t: tULong}, {name: "f_frsize", t: tULong}, {name: "f_blocks", t: tULong}, {name: "f_bfree", t: tULong},
	{name: "f_bavail", t: tULong}, {name: "f_files", t: tULong}, {name: "f_ffree", t: tULong}, {name: "f_favail", t: tULong},
	{name: "f_fsid", t: tULong}, {name: "f_flag", t: tULong}, {name: "f_namemax", t: tULong}, {name: "__f_spare", t: arrayOf(tInt, 6)},
})

// statvfsMacros are its flags (ST_*, glibc's <bits/statvfs.h>).
var statvfsMacros = []string{
	"ST_RDONLY 1", "ST_NOSUID 2", "ST_NODEV 4", "ST_NOEXEC 8", "ST_SYNCHRONOUS 16", "ST_MANDLOCK 64",
	"ST_WRITE 128", "ST_APPEND 256", "ST_IMMUTABLE 512", "ST_NOATIME 1024", "ST_NODIRATIME 2048", "ST_RELATIME 4096",
}

// stValid is the kernel's ST_VALID: f_flags is filled in (always, since 2.6.36).
const stValid = 0x20

func init() {
	libTags["statvfs"] = tStatvfs
	knownHeaders["sys/statvfs.h"] = true
	libMacros = append(libMacros, statvfsMacros...)
	def("int statvfs(const char *path, struct statvfs *buf)", func(m *machine, p *proc, a []int64) (int64, bres) {
		path, ok := m.str(p, a[0])
		if !ok {
			return 0, bExit
		}
		return m.statvfs(p, "statfs", path, a[0], a[1])
	})
	def("int fstatvfs(int fd, struct statvfs *buf)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return m.statvfs(p, "fstatfs", "", a[0], a[1])
	})
}

func (m *machine) statvfs(p *proc, call, path string, arg, buf int64) (int64, bres) {
	tmp, ok := m.malloc(p, uint64(tStatfs.size))
	if !ok {
		return 0, bExit
	}
	if tmp == 0 {
		return -1, bOK
	}
	r, st := m.sysCall(p, call, path, arg, int64(tmp))
	if st != bOK || r < 0 {
		if !m.free(p, tmp) {
			return 0, bExit
		}
		return r, st
	}
	fs := make([]byte, tStatfs.size)
	if err := m.eng.Load(p.pid, tmp, fs); err != nil {
		m.fault(p, err)
		return 0, bExit
	}
	if !m.free(p, tmp) {
		return 0, bExit
	}
	get := func(name string) uint64 {
		f, _ := tStatfs.field(name)
		return binary.LittleEndian.Uint64(fs[f.off:])
	}
	fsid, _ := tStatfs.field("f_fsid")
	frsize := get("f_frsize")
	if frsize == 0 {
		frsize = get("f_bsize")
	}
	out := make([]byte, tStatvfs.size)
	for _, v := range []struct {
		name string
		val  uint64
	}{
		{"f_bsize", get("f_bsize")}, {"f_frsize", frsize}, {"f_blocks", get("f_blocks")}, {"f_bfree", get("f_bfree")},
		{"f_bavail", get("f_bavail")}, {"f_files", get("f_files")}, {"f_ffree", get("f_ffree")}, {"f_favail", get("f_ffree")},
		{"f_fsid", uint64(binary.LittleEndian.Uint32(fs[fsid.off:])) | uint64(binary.LittleEndian.Uint32(fs[fsid.off+4:]))<<32},
		{"f_flag", get("f_flags") ^ stValid}, {"f_namemax", get("f_namelen")},
	} {
		f, _ := tStatvfs.field(v.name)
		binary.LittleEndian.PutUint64(out[f.off:], v.val)
	}
	return m.storeRet(p, buf, out, 0)
}
