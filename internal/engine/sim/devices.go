package sim

import (
	"encoding/binary"

	"github.com/mmapplayground/playground/internal/engine"
)

// Devices: /dev/zero (mmap_zero: anonymous memory, or shmem when shared),
// /dev/null, and seed 000's /dev/demo_dev, a character device with a 4 KiB
// buffer (kmalloc'd at open in the seed) whose mmap handler is:
//
//	vma->vm_flags |= VM_IO;
//	remap_pfn_range(vma, vma->vm_start, virt_to_phys(buf)>>PAGE_SHIFT,
//	                vma->vm_end - vma->vm_start, vma->vm_page_prot);
//
// remap_pfn_range sets VM_IO|VM_PFNMAP|VM_DONTEXPAND|VM_DONTDUMP and fills
// every PTE at once, so an access never faults; a mapping larger than the
// buffer is refused with EINVAL by the driver.

// demoBufSize is demo_dev's buffer.
const demoBufSize = engine.PageSize

// demoMmapCheck is the driver's size check, made before anything is linked.
func (e *Engine) demoMmapCheck(v *vma) engine.Errno {
	if v.pgoff<<engine.PageShift+(v.end-v.start) > demoBufSize {
		return engine.EINVAL
	}
	return 0
}

// demoMmap is demo_dev_mmap: remap_pfn_range over the whole area.
func (e *Engine) demoMmap(p *process, v *vma) {
	v.flags |= vmIO | vmPFNMap | vmDontExpand | vmDontDump
	bits := basePTE(v) | pteSpecial
	if v.flags&vmWrite != 0 {
		bits |= pteRW
	}
	pfn := pfnOf(e.mem.demo) + v.pgoff
	n := 0
	for a := v.start; a < v.end; a += engine.PageSize {
		e.setPTE(p, a, pfn<<engine.PageShift|bits)
		n++
		pfn++
	}
	if e.sink != nil {
		ev := e.newEvent(engine.EvPTE, p.pid)
		ev.Op, ev.Why, ev.Addr, ev.Pages, ev.PFN = "set", "remap_pfn_range", v.start, n, pfnOf(e.mem.demo)+v.pgoff
		ev.Bits = bitString(bits)
		e.emit(ev)
		ev = e.newEvent(engine.EvVMA, p.pid)
		ev.Op, ev.Why, ev.VMA = "change", "remap_pfn_range", e.vmaPtr(p, v)
		e.emit(ev)
	}
}

// /dev/random and /dev/urandom, analogous to drivers/char/random.c's
// random_fops and urandom_fops, and getrandom(2): every read is
// get_random_bytes_user, the crng's bytes. The model's generator is
// deterministic, so that a run reads the same bytes every time: a
// counter-based generator (SplitMix64 of the byte count's word, under a
// fixed key), whose whole state is the count of bytes given (randPos),
// shared by the devices and getrandom as the kernel's crng is. The bytes
// are as uniform as a program can tell; they are not secret. The crng is
// ready from boot (no blocking read, no GRND_NONBLOCK EAGAIN).

// maxRWCount is MAX_RW_COUNT, the most one read or getrandom gives.
const maxRWCount = 0x7ffff000

// randomKey is the generator's key.
const randomKey = 0x2545f4914f6cdd1d

// random's device numbers (1:8, 1:9) and devtmpfs's inode numbers for
// them, as on this machine.
var randomDevices = []struct {
	name string
	rdev uint64
	ino  uint64
}{{"/dev/random", 0x108, 6}, {"/dev/urandom", 0x109, 7}}

// addRandomDevices makes /dev/random and /dev/urandom, devtmpfs's inodes
// (which do not take the working directory's file system's numbers).
func (fs *filesystem) addRandomDevices() {
	for _, d := range randomDevices {
		ino := &inode{id: int32(len(fs.inodes)), ino: d.ino, name: d.name, kind: kindRandom, nlink: 1, cache: map[uint64]int32{}}
		fs.inodes = append(fs.inodes, ino)
		fs.names[d.name] = ino.id
	}
}

// randomRdev is the device number of a kindRandom inode.
func randomRdev(ino *inode) uint64 {
	for _, d := range randomDevices {
		if d.name == ino.name {
			return d.rdev
		}
	}
	return 0
}

// splitmix64 is SplitMix64's output function.
func splitmix64(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// getRandomBytes fills b with the generator's next bytes.
func (e *Engine) getRandomBytes(b []byte) {
	var w [8]byte
	for i := 0; i < len(b); {
		k, off := e.randPos/8, e.randPos%8
		binary.LittleEndian.PutUint64(w[:], splitmix64(randomKey^k*0xd1342543de82ef95))
		n := copy(b[i:], w[off:])
		i += n
		e.randPos += uint64(n)
	}
}

// sysGetrandom is getrandom(buf, count, flags), as drivers/char/random.c's:
//
//	check                                          where              errno
//	flags past GRND_NONBLOCK|GRND_RANDOM|          getrandom          EINVAL
//	  GRND_INSECURE
//	GRND_INSECURE with GRND_RANDOM                 getrandom          EINVAL
//	buf not writable (at its first byte)           get_random_bytes_user EFAULT
//
// count is cut to MAX_RW_COUNT; a fault part way returns the bytes copied
// before it.
func (e *Engine) sysGetrandom(p *process, buf, count uint64, flags int64, path *[]string) (int64, engine.Errno) {
	const all = engine.GRND_NONBLOCK | engine.GRND_RANDOM | engine.GRND_INSECURE
	if flags&^all != 0 || flags&(engine.GRND_INSECURE|engine.GRND_RANDOM) == engine.GRND_INSECURE|engine.GRND_RANDOM {
		return -1, engine.EINVAL
	}
	count = min(count, maxRWCount) // MAX_RW_COUNT: INT_MAX & PAGE_MASK
	*path = append(*path, "get_random_bytes_user")
	var done uint64
	for done < count && !(done > 0 && e.stopped()) {
		b := e.ioBuf(int(min(count-done, ioChunk)))
		e.getRandomBytes(b)
		k := e.userCopy(p, buf+done, b, true)
		done += uint64(k)
		if k < len(b) {
			break
		}
	}
	if done == 0 && count > 0 {
		return -1, engine.EFAULT
	}
	return int64(done), 0
}
