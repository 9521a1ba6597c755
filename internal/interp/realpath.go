package interp

import (
	"strings"

	"github.com/mmapplayground/playground/internal/engine"
)

// realpath(3) as glibc 2.36's (stdlib/canonicalize.c): the path made
// absolute (from /proc/self/cwd), each component read with readlink(2)
// (EINVAL: not a link; a link's body walked in its place, at most 40),
// "." and ".." removed; into resolved (PATH_MAX bytes) or a malloc'd
// buffer. readlink follows no link itself, so a mount that refuses to
// follow links (MS_NOSYMFOLLOW) still resolves.
func (m *machine) realpath(p *proc, pathAddr, resolved int64) (int64, bres) {
	if pathAddr == 0 {
		p.setErrno(m, engine.EINVAL)
		return 0, bOK
	}
	path, ok := m.str(p, pathAddr)
	if !ok {
		return 0, bExit
	}
	if path == "" {
		p.setErrno(m, engine.ENOENT)
		return 0, bOK
	}
	const pathMax = 4096
	buf, ok := m.malloc(p, pathMax)
	if !ok {
		return 0, bExit
	}
	readlink := func(name string) (string, engine.Errno) {
		res := m.eng.Syscall(p.pid, engine.Call{Name: "readlink", Path: name, Args: []int64{0, int64(buf), pathMax}})
		if res.Errno != 0 {
			return "", res.Errno
		}
		b := make([]byte, res.Ret)
		if m.eng.Load(p.pid, buf, b) != nil {
			return "", engine.EFAULT
		}
		return string(b), 0
	}
	fail := func(err engine.Errno) (int64, bres) {
		if !m.free(p, buf) {
			return 0, bExit
		}
		p.setErrno(m, err)
		return 0, bOK
	}
	out := ""
	if !strings.HasPrefix(path, "/") {
		cwd, err := readlink("/proc/self/cwd")
		if err != 0 {
			return fail(err)
		}
		out = strings.TrimSuffix(cwd, "/")
	}
	rest := strings.Split(path, "/")
	links := 0
	for len(rest) > 0 {
		c := rest[0]
		rest = rest[1:]
		switch c {
		case "", ".":
			continue
		case "..":
			if i := strings.LastIndexByte(out, '/'); i >= 0 {
				out = out[:i]
			}
			continue
		}
		next := out + "/" + c
		target, err := readlink(next)
		switch {
		case err == engine.EINVAL:
			out = next // not a link
		case err != 0:
			return fail(err)
		default:
			if links++; links > 40 {
				return fail(engine.ELOOP)
			}
			if strings.HasPrefix(target, "/") {
				out = ""
			}
			rest = append(strings.Split(target, "/"), rest...)
		}
	}
	if out == "" {
		out = "/"
	}
	if !m.free(p, buf) {
		return 0, bExit
	}
	b := append([]byte(out), 0)
	if len(b) > pathMax {
		p.setErrno(m, engine.ENAMETOOLONG)
		return 0, bOK
	}
	dst := uint64(resolved)
	if dst == 0 {
		if dst, ok = m.malloc(p, uint64(len(b))); !ok {
			return 0, bExit
		}
	}
	if !m.storeBytes(p, dst, b) {
		return 0, bExit
	}
	return int64(dst), bOK
}

func init() {
	def("char *realpath(const char *path, char *resolved)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return m.realpath(p, a[0], a[1])
	})
}
