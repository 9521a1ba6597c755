package sim

import (
	"encoding/binary"

	"github.com/mmapplayground/playground/internal/engine"
)

// System V shared memory, analogous to ipc/shm.c: shmget makes or finds a
// segment by key, shmat maps it, shmdt unmaps it, shmctl asks about it.
// The model has no segments yet: one of huge pages (SHM_HUGETLB) fails as
// it does here for the model's unprivileged user (hugetlb_file_setup:
// neither CAP_IPC_LOCK nor vm.hugetlb_shm_group's group), and one of small
// pages, a shmem file, is not modelled (ENOSYS once its arguments passed
// the kernel's checks). So no key and no id names a segment, and shmat,
// shmdt and shmctl answer as the kernel does when there is none.

// <linux/ipc.h> and <linux/shm.h>.
const (
	ipcPrivate   = 0
	ipcCreat     = 0o1000
	ipcSet       = 1
	ipcInfo      = 3
	shmHugetlb   = 0o4000
	shmHugeShift = 26
	shmHugeMask  = 0x3f
	shmInfo      = 14

	shmMin = 1                  // SHMMIN
	shmMax = ^uint64(0) - 1<<24 // SHMMAX, and SHMALL (in pages)
	shmMni = 4096               // SHMMNI
	// shmid64DsSize is sizeof(struct shmid64_ds), which IPC_SET reads.
	shmid64DsSize = 112
)

// sysShmget is shmget(key, size, shmflg), ksys_shmget's ipcget:
//
//	check                                         where                errno
//	a key (not IPC_PRIVATE) no segment has,       ipcget_public        ENOENT
//	  without IPC_CREAT
//	size below SHMMIN or above SHMMAX             newseg               EINVAL
//	SHM_HUGETLB of a page size x86-64 has not     newseg               EINVAL
//	  (2 MiB and 1 GiB only)
//	SHM_HUGETLB by the model's user               hugetlb_file_setup   EPERM
//	a segment of small pages                      (not modelled)       ENOSYS
func (e *Engine) sysShmget(p *process, key int32, size uint64, shmflg int32, path *[]string) (int64, engine.Errno) {
	*path = append(*path, "ipcget")
	if key != ipcPrivate && shmflg&ipcCreat == 0 {
		return -1, engine.ENOENT // ipc_findkey finds nothing
	}
	*path = append(*path, "newseg")
	if size < shmMin || size > shmMax {
		return -1, engine.EINVAL
	}
	if shmflg&shmHugetlb != 0 {
		// hstate_sizelog: the default (0) or a size the machine has.
		if lg := shmflg >> shmHugeShift & shmHugeMask; lg != 0 && lg != 21 && lg != 30 {
			return -1, engine.EINVAL
		}
		*path = append(*path, "hugetlb_file_setup")
		return -1, engine.EPERM // !can_do_hugetlb_shm
	}
	return -1, engine.ENOSYS
}

// sysShmat is shmat(shmid, shmaddr, shmflg), do_shmat: an id below 0, or
// any other (shm_obtain_object_check finds no segment), is EINVAL, and so
// are the address checks before it.
func (e *Engine) sysShmat(path *[]string) (int64, engine.Errno) {
	*path = append(*path, "do_shmat")
	return -1, engine.EINVAL
}

// sysShmdt is shmdt(shmaddr), ksys_shmdt: an unaligned address, or one no
// segment is attached at, is EINVAL.
func (e *Engine) sysShmdt(path *[]string) (int64, engine.Errno) {
	*path = append(*path, "ksys_shmdt")
	return -1, engine.EINVAL
}

// sysShmctl is shmctl(shmid, cmd, buf), ksys_shmctl:
//
//	check                                         where                errno
//	cmd or shmid below 0                          ksys_shmctl          EINVAL
//	IPC_INFO: the limits (struct shminfo64) and   shmctl_ipc_info      EFAULT
//	  the highest id in use, 0
//	SHM_INFO: the segments' use (struct           shmctl_shm_info      EFAULT
//	  shm_info), none, and 0
//	IPC_STAT, SHM_STAT, SHM_STAT_ANY: no segment  shmctl_stat          EINVAL
//	IPC_SET: buf unreadable                       copy_shmid_from_user EFAULT
//	IPC_SET, IPC_RMID: no segment                 shmctl_down          EINVAL
//	SHM_LOCK, SHM_UNLOCK: no segment              shmctl_do_lock       EINVAL
//	another cmd                                                        EINVAL
func (e *Engine) sysShmctl(p *process, shmid, cmd int32, buf uint64, path *[]string) (int64, engine.Errno) {
	*path = append(*path, "ksys_shmctl")
	if cmd < 0 || shmid < 0 {
		return -1, engine.EINVAL
	}
	switch cmd {
	case ipcInfo:
		// struct shminfo64: shmmax, shmmin, shmmni, shmseg, shmall and
		// four unused longs.
		var b [72]byte
		for i, v := range []uint64{shmMax, shmMin, shmMni, shmMni, shmMax} {
			binary.LittleEndian.PutUint64(b[8*i:], v)
		}
		if err := e.copyToUser(p, buf, b[:], nil); err != 0 {
			return -1, err
		}
		return 0, 0
	case shmInfo:
		// struct shm_info: used_ids, then shm_tot, shm_rss, shm_swp,
		// swap_attempts and swap_successes, all 0.
		if err := e.copyToUser(p, buf, make([]byte, 48), nil); err != 0 {
			return -1, err
		}
		return 0, 0
	case ipcSet:
		var b [shmid64DsSize]byte
		if err := e.copyFromUser(p, buf, b[:]); err != 0 {
			return -1, err
		}
	}
	return -1, engine.EINVAL
}
