package realkernel

import (
	"bytes"
	"encoding/binary"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// mapsLine is one line of /proc/self/maps, with the VmFlags of smaps when
// they were read.
type mapsLine struct {
	start, end uint64
	perms      string
	offset     uint64
	inode      uint64
	path       string
	vmflags    []string
}

// readMaps reads /proc/self/maps (or smaps, for the VmFlags lines).
func readMaps(smaps bool) ([]mapsLine, error) {
	if smaps {
		return readMapsOf("/proc/self/smaps", true)
	}
	return readMapsOf("/proc/self/maps", false)
}

// readMapsOf reads one process's maps or smaps file (/proc/PID/maps).
func readMapsOf(name string, smaps bool) ([]mapsLine, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var out []mapsLine
	for len(data) > 0 {
		var line []byte
		line, data, _ = bytes.Cut(data, []byte{'\n'})
		if len(line) == 0 {
			continue
		}
		if smaps && !isMapsHeader(line) {
			if rest, ok := bytes.CutPrefix(line, []byte("VmFlags:")); ok && len(out) > 0 {
				out[len(out)-1].vmflags = strings.Fields(string(rest))
			}
			continue
		}
		if l, ok := parseMapsLine(string(line)); ok {
			out = append(out, l)
		}
	}
	return out, nil
}

// isMapsHeader tells an area's first smaps line ("7f..-7f.. rw-p ...") from
// its "Rss:   4 kB" lines: only the header starts with a hex range.
func isMapsHeader(line []byte) bool {
	i := bytes.IndexByte(line, '-')
	if i <= 0 {
		return false
	}
	for _, c := range line[:i] {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

func parseMapsLine(s string) (mapsLine, bool) {
	f := strings.Fields(s)
	if len(f) < 5 {
		return mapsLine{}, false
	}
	lo, hi, ok := strings.Cut(f[0], "-")
	if !ok {
		return mapsLine{}, false
	}
	var l mapsLine
	var err error
	if l.start, err = strconv.ParseUint(lo, 16, 64); err != nil {
		return l, false
	}
	if l.end, err = strconv.ParseUint(hi, 16, 64); err != nil {
		return l, false
	}
	l.perms = f[1]
	l.offset, _ = strconv.ParseUint(f[2], 16, 64)
	l.inode, _ = strconv.ParseUint(f[4], 10, 64)
	if len(f) > 5 {
		// The path is the rest of the line after five fields, spaces and all.
		rest := s
		for j := 0; j < 5; j++ {
			rest = strings.TrimLeft(rest, " ")
			k := strings.IndexByte(rest, ' ')
			if k < 0 {
				rest = ""
				break
			}
			rest = rest[k:]
		}
		l.path = strings.TrimLeft(rest, " ")
	}
	return l, true
}

// Pagemap entry bits (Documentation/admin-guide/mm/pagemap.rst).
const (
	pmPresent    = 1 << 63
	pmSwapped    = 1 << 62
	pmFileShared = 1 << 61 // file page or shared anonymous
	pmExclusive  = 1 << 56
	pmSoftDirty  = 1 << 55
	pmPFNMask    = 1<<55 - 1
)

// pagemap reads the entries of [start, end) from fd (/proc/self/pagemap)
// into buf, which it grows as needed.
func pagemap(fd int, start, end uint64, buf []uint64) ([]uint64, error) {
	n := int((end - start) >> 12)
	if cap(buf) < n {
		buf = make([]uint64, n)
	}
	buf = buf[:n]
	raw := unsafeBytes(buf)
	off := int64(start>>12) * 8
	for done := 0; done < len(raw); {
		m, err := unix.Pread(fd, raw[done:], off+int64(done))
		if err != nil {
			return buf[:done/8], err
		}
		if m == 0 {
			break
		}
		done += m
	}
	return buf, nil
}

// readUint64At reads one little-endian word (kpageflags, kpagecount).
func readUint64At(fd int, index uint64) (uint64, bool) {
	if fd < 0 {
		return 0, false
	}
	var b [8]byte
	if n, err := unix.Pread(fd, b[:], int64(index*8)); err != nil || n != 8 {
		return 0, false
	}
	return binary.LittleEndian.Uint64(b[:]), true
}

// Bits of /proc/kpageflags (include/uapi/linux/kernel-page-flags.h).
const (
	kpfDirty    = 1 << 4
	kpfLRU      = 1 << 5
	kpfMmap     = 1 << 11
	kpfAnon     = 1 << 12
	kpfTHP      = 1 << 22
	kpfZeroPage = 1 << 24
)

// meminfo reads /proc/meminfo in kB.
func meminfo() map[string]uint64 {
	data, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return nil
	}
	m := map[string]uint64{}
	for _, line := range strings.Split(string(data), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		f := strings.Fields(v)
		if len(f) == 0 {
			continue
		}
		n, _ := strconv.ParseUint(f[0], 10, 64)
		m[k] = n
	}
	return m
}
