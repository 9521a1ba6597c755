package sim

import (
	"encoding/binary"
	"strconv"

	"github.com/mmapplayground/playground/internal/engine"
)

// Userfaultfd, analogous to fs/userfaultfd.c and mm/userfaultfd.c: a file
// (an anonymous inode, "anon_inode:[userfaultfd]") whose context a
// process registers ranges of its address space with. A fault the
// registration asks for (a missing page, a write to a write-protected
// one, a minor fault) is not resolved by the kernel: the faulting thread
// sleeps, and a message on the file tells the handler, who resolves it
// with the ioctls (UFFDIO_COPY, UFFDIO_ZEROPAGE, UFFDIO_WRITEPROTECT...)
// and wakes it.
//
//	VMA:  [0x7f0000000000, +4 pages) rw-p anon  flags ... VM_UFFD_MISSING|VM_UFFD_WP
//	      vm_userfaultfd_ctx -> inode "anon_inode:[userfaultfd]" -> uffdCtx
//	PTE:  VA -> PA | _PAGE_UFFD_WP (write-protected for the handler: no RW)
//	PTE:  none -> PTE_MARKER_UFFD_WP (no page yet, but a write is caught)
//
// The model's processes are the playground's unprivileged user's, and the
// system's vm.unprivileged_userfaultfd is 0: only UFFD_USER_MODE_ONLY
// files exist, so a fault of the kernel's own access (copy_to_user) in a
// registered range is never handed to a handler (VM_FAULT_SIGBUS: the
// call's EFAULT), and UFFD_FEATURE_EVENT_FORK (CAP_SYS_PTRACE) is EPERM.
//
// A sleeping fault: the engine cannot hold the thread itself, so the
// access ends with errFaultWait, and the interpreter makes the access
// again once others have run (as a thread blocked in a system call); the
// fault finds its wait and sleeps on until UFFDIO_WAKE (or an ioctl that
// wakes) has woken it. The engine does not know the threads of a process,
// so a wait is the page's: a second fault at the same page while the
// first sleeps sleeps with it.

// The uffd-wp bit. Linux's _PAGE_UFFD_WP is bit 10 (_PAGE_BIT_SOFTW2) of
// a present PTE, _PAGE_SWP_UFFD_WP bit 2 of a swap entry, and a marker
// (PTE_MARKER_UFFD_WP) a swap entry of its own type; the model's swap
// mark already holds bit 10 (pagetable.go), so the model keeps uffd-wp
// in software bit 58, ignored by the MMU, alike in a present PTE, a swap
// entry, and a marker, which is a non-present entry of that bit alone.
const (
	pteUffdWP       uint64 = 1 << 58
	pteMarkerUffdWP        = pteUffdWP
)

// <linux/userfaultfd.h>: the API, its features and ioctls.
const (
	uffdAPI = 0xaa

	uffdFeaturePagefaultFlagWP   = 1 << 0
	uffdFeatureEventFork         = 1 << 1
	uffdFeatureEventRemap        = 1 << 2
	uffdFeatureEventRemove       = 1 << 3
	uffdFeatureMissingHugetlbfs  = 1 << 4
	uffdFeatureMissingShmem      = 1 << 5
	uffdFeatureEventUnmap        = 1 << 6
	uffdFeatureSigbus            = 1 << 7
	uffdFeatureThreadID          = 1 << 8
	uffdFeatureMinorHugetlbfs    = 1 << 9
	uffdFeatureMinorShmem        = 1 << 10
	uffdFeatureExactAddress      = 1 << 11
	uffdFeatureWPHugetlbfsShmem  = 1 << 12
	uffdFeatureWPUnpopulated     = 1 << 13
	uffdFeaturePoison            = 1 << 14
	uffdFeatureWPAsync           = 1 << 15
	uffdFeatureMove              = 1 << 16
	uffdAPIFeatures              = 1<<17 - 1 // UFFD_API_FEATURES, all of them on x86-64
	uffdFeatureInitialized       = 1 << 31   // the kernel's private UFFD_FEATURE_INITIALIZED
	uffdRegisterModeMissing      = 1
	uffdRegisterModeWP           = 2
	uffdRegisterModeMinor        = 4
	uffdioWriteprotectModeWP     = 1
	uffdioWriteprotectModeDontwk = 2

	uffdioRegisterNr     = 0x00
	uffdioUnregisterNr   = 0x01
	uffdioWakeNr         = 0x02
	uffdioCopyNr         = 0x03
	uffdioZeropageNr     = 0x04
	uffdioMoveNr         = 0x05
	uffdioWriteprotectNr = 0x06
	uffdioContinueNr     = 0x07
	uffdioPoisonNr       = 0x08
	uffdioAPINr          = 0x3f

	uffdAPIIoctls        = 1<<uffdioRegisterNr | 1<<uffdioUnregisterNr | 1<<uffdioAPINr
	uffdAPIRangeIoctls   = 1<<uffdioWakeNr | 1<<uffdioCopyNr | 1<<uffdioZeropageNr | 1<<uffdioMoveNr | 1<<uffdioWriteprotectNr | 1<<uffdioContinueNr | 1<<uffdioPoisonNr
	uffdioAPI            = 0xc018aa3f
	uffdioRegister       = 0xc020aa00
	uffdioUnregister     = 0x8010aa01
	uffdioWake           = 0x8010aa02
	uffdioWriteprotect   = 0xc018aa06
	uffdioCopy           = 0xc028aa03
	uffdioZeropage       = 0xc020aa04
	uffdioMove           = 0xc028aa05
	uffdioContinue       = 0xc020aa07
	uffdEventPagefault   = 0x12
	uffdPagefaultFlagWr  = 1
	uffdPagefaultFlagWP  = 2
	uffdPagefaultFlagMin = 4
	uffdMsgSize          = 32
)

// uffdCtx is a userfaultfd's struct userfaultfd_ctx.
type uffdCtx struct {
	// pid is the process whose address space the file was made in
	// (ctx->mm).
	pid int
	// features are the UFFDIO_API's, with uffdFeatureInitialized once it
	// succeeded (ctx->features).
	features uint64
	released bool
	// waits are the sleeping faults in the order they slept: those not
	// yet read are fault_pending_wqh's, the others fault_wqh's.
	waits []uffdWait
	// events are the messages of non-cooperative events not yet read
	// (event_wqh).
	events []uffdMsg
}

// uffdWait is one sleeping fault (struct userfaultfd_wait_queue).
type uffdWait struct {
	msg   uffdMsg
	page  uint64
	read  bool // its message was read: on fault_wqh
	woken bool // woken: its next fault goes on
}

// uffdMsg is a struct uffd_msg: the event and up to three arguments.
type uffdMsg struct {
	event uint8
	arg   [3]uint64
}

func (c *uffdCtx) clone() *uffdCtx {
	n := *c
	n.waits = append([]uffdWait(nil), c.waits...)
	n.events = append([]uffdMsg(nil), c.events...)
	return &n
}

// sysUserfaultfd is userfaultfd(2):
//
//	check                                           where                            errno
//	no UFFD_USER_MODE_ONLY, vm.unprivileged_        userfaultfd_syscall_allowed      EPERM
//	userfaultfd 0 and no CAP_SYS_PTRACE (the
//	session's user, as this machine answers him)
//	flags other than O_CLOEXEC, O_NONBLOCK and      new_userfaultfd                  EINVAL
//	UFFD_USER_MODE_ONLY
//	the file: an anonymous inode with the context,  new_userfaultfd
//	opened O_RDONLY (with O_NONBLOCK, O_CLOEXEC)
func (e *Engine) sysUserfaultfd(p *process, flags int64, path *[]string) (int64, engine.Errno) {
	*path = append(*path, "userfaultfd")
	if flags&engine.UFFD_USER_MODE_ONLY == 0 {
		*path = append(*path, "userfaultfd_syscall_allowed")
		return -1, engine.EPERM
	}
	*path = append(*path, "new_userfaultfd")
	if flags&^(engine.O_CLOEXEC|engine.O_NONBLOCK|engine.UFFD_USER_MODE_ONLY) != 0 {
		return -1, engine.EINVAL
	}
	ino := e.fs.newInode("anon_inode:[userfaultfd]", kindUserfaultfd)
	ino.nlink = 0
	ino.uffd = &uffdCtx{pid: p.pid}
	ino.opens = 1
	return int64(p.installFD(&file{ino: ino, flags: engine.O_RDONLY | int(flags&(engine.O_NONBLOCK|engine.O_CLOEXEC)), refs: 1})), 0
}

func (c *uffdCtx) initialized() bool { return c.features&uffdFeatureInitialized != 0 }

// userfaultfdIoctl is userfaultfd_ioctl: any call but UFFDIO_API before
// UFFDIO_API has succeeded is EINVAL, and so is an unknown one.
func (e *Engine) userfaultfdIoctl(p *process, f *file, cmd uint32, arg uint64) (int64, engine.Errno) {
	ctx := f.ino.uffd
	if cmd != uffdioAPI && !ctx.initialized() {
		return -1, engine.EINVAL
	}
	switch cmd {
	case uffdioAPI:
		return e.userfaultfdAPI(p, ctx, arg)
	case uffdioRegister:
		return e.userfaultfdRegister(p, f.ino, arg)
	case uffdioUnregister:
		return e.userfaultfdUnregister(p, f.ino, arg)
	case uffdioWake:
		return e.userfaultfdWake(p, ctx, arg)
	case uffdioWriteprotect:
		return e.userfaultfdWriteprotect(p, f.ino, arg)
	case uffdioCopy:
		return e.userfaultfdCopy(p, ctx, arg)
	case uffdioZeropage:
		return e.userfaultfdZeropage(p, ctx, arg)
	case uffdioContinue:
		return e.userfaultfdContinue(p, ctx, arg)
	case uffdioMove:
		return e.userfaultfdMove(p, f.ino, arg)
	}
	return -1, engine.EINVAL
}

// userfaultfdAPI is UFFDIO_API:
//
//	check                                            errno
//	struct uffdio_api unreadable                     EFAULT
//	api is not UFFD_API                              EINVAL (the struct zeroed)
//	UFFD_FEATURE_EVENT_FORK without CAP_SYS_PTRACE   EPERM (zeroed)
//	(WP_ASYNC brings WP_UNPOPULATED)
//	a feature the kernel lacks                       EINVAL (zeroed)
//	the features and ioctls written back
//	the context's API already made                   EINVAL (zeroed)
func (e *Engine) userfaultfdAPI(p *process, ctx *uffdCtx, arg uint64) (int64, engine.Errno) {
	var b [24]byte
	if err := e.copyFromUser(p, arg, b[:]); err != 0 {
		return -1, err
	}
	api, features := binary.LittleEndian.Uint64(b[0:]), binary.LittleEndian.Uint64(b[8:])
	fail := func(errno engine.Errno) (int64, engine.Errno) {
		if err := e.copyToUser(p, arg, make([]byte, 24), nil); err != 0 {
			return -1, err
		}
		return -1, errno
	}
	if api != uffdAPI {
		return fail(engine.EINVAL)
	}
	if features&uffdFeatureEventFork != 0 {
		// capable(CAP_SYS_PTRACE), in the initial user namespace: never
		// the model's user's.
		return fail(engine.EPERM)
	}
	if features&uffdFeatureWPAsync != 0 {
		features |= uffdFeatureWPUnpopulated
	}
	if features&^uffdAPIFeatures != 0 {
		return fail(engine.EINVAL)
	}
	binary.LittleEndian.PutUint64(b[8:], uffdAPIFeatures)
	binary.LittleEndian.PutUint64(b[16:], uffdAPIIoctls)
	if err := e.copyToUser(p, arg, b[:], nil); err != 0 {
		return -1, err
	}
	if ctx.features != 0 {
		return fail(engine.EINVAL)
	}
	ctx.features = features | uffdFeatureInitialized
	return 0, 0
}

// validateRange is validate_range: start page-aligned, len a non-zero
// multiple of the page size, the range within the task's space.
func validateRange(start, length uint64, aligned bool) engine.Errno {
	switch {
	case aligned && start&engine.PageMask != 0,
		length&engine.PageMask != 0, length == 0,
		start >= engine.TaskSize, length > engine.TaskSize-start:
		return engine.EINVAL
	}
	return 0
}

// vmaCanUserfault is vma_can_userfault: MINOR only on shmem (the model
// has no hugetlbfs); WP alone with WP_ASYNC on any memory; else anonymous
// memory or shmem.
func vmaCanUserfault(v *vma, flags uint64, wpAsync bool) bool {
	flags &= vmUffdFlags
	if flags&vmUffdMinor != 0 && !v.isShmem() {
		return false
	}
	if wpAsync && flags == vmUffdWP {
		return true
	}
	return v.vmaIsAnonymous() || v.isShmem()
}

// vmaIsAnonymous is vma_is_anonymous: no vm_ops (a private /dev/zero
// area is anonymous; the vDSO and vvar are special mappings).
func (v *vma) vmaIsAnonymous() bool { return v.file == nil && !v.isVDSO() && !v.isVVar() }

func (v *vma) isShmem() bool { return v.file != nil && v.file.kind == kindShmem }

// userfaultfdRegister is UFFDIO_REGISTER:
//
//	check                                              errno
//	struct uffdio_register (but ioctls) unreadable     EFAULT
//	no mode, or an unknown one                         EINVAL
//	the range (validate_range)                         EINVAL
//	no area in it                                      EINVAL
//	an area in it the modes cannot have                EINVAL
//	  (vma_can_userfault)
//	an area without VM_MAYWRITE                        EPERM
//	an area registered with another userfaultfd        EBUSY
//	each area's part in the range gets the modes and the context,
//	split and merged as mprotect does (vma_modify_flags_uffd); the
//	ioctls the range allows written back.
func (e *Engine) userfaultfdRegister(p *process, ino *inode, arg uint64) (int64, engine.Errno) {
	ctx := ino.uffd
	var b [24]byte
	if err := e.copyFromUser(p, arg, b[:]); err != 0 {
		return -1, err
	}
	start, length, mode := binary.LittleEndian.Uint64(b[0:]), binary.LittleEndian.Uint64(b[8:]), binary.LittleEndian.Uint64(b[16:])
	if mode == 0 || mode&^(uffdRegisterModeMissing|uffdRegisterModeWP|uffdRegisterModeMinor) != 0 {
		return -1, engine.EINVAL
	}
	var flags uint64
	if mode&uffdRegisterModeMissing != 0 {
		flags |= vmUffdMissing
	}
	if mode&uffdRegisterModeWP != 0 {
		flags |= vmUffdWP
	}
	if mode&uffdRegisterModeMinor != 0 {
		flags |= vmUffdMinor
	}
	if err := validateRange(start, length, true); err != 0 {
		return -1, err
	}
	if ctx.pid != p.pid || p.mm == nil {
		return -1, engine.ENOMEM // another mm's: mmget_not_zero of an mm that is gone
	}
	end := start + length
	mm := p.mm
	if mm.findIntersection(start, end) == nil {
		return -1, engine.EINVAL
	}
	wpAsync := ctx.features&uffdFeatureWPAsync != 0
	for _, v := range e.vmasIn(p, start, end) {
		if !vmaCanUserfault(v, flags, wpAsync) {
			return -1, engine.EINVAL
		}
		if v.flags&vmMayWrite == 0 {
			return -1, engine.EPERM
		}
		if v.uffd != nil && v.uffd != ino {
			return -1, engine.EBUSY
		}
	}
	var path []string
	for _, v := range e.vmasIn(p, start, end) {
		if v.uffd == ino && v.flags&flags == flags {
			continue
		}
		e.modifyUffd(p, v, max(start, v.start), min(end, v.end), v.flags&^vmUffdFlags|flags, ino, &path)
	}
	ioctls := uint64(uffdAPIRangeIoctls)
	if mode&uffdRegisterModeWP == 0 {
		ioctls &^= 1 << uffdioWriteprotectNr
	}
	if mode&uffdRegisterModeMinor == 0 {
		ioctls &^= 1 << uffdioContinueNr
	}
	var out [8]byte
	binary.LittleEndian.PutUint64(out[:], ioctls)
	if err := e.copyToUser(p, arg+24, out[:], nil); err != 0 {
		return -1, err
	}
	return 0, 0
}

// vmasIn is the areas that meet [start, end), in order (a copy: the
// caller may split and merge them).
func (e *Engine) vmasIn(p *process, start, end uint64) []*vma {
	var out []*vma
	for _, v := range p.mm.vmas {
		if v.end > start && v.start < end {
			out = append(out, v)
		}
	}
	return out
}

// modifyUffd gives [start, end) of v the flags and the userfaultfd,
// splitting and merging as modifyFlags does (vma_modify_flags_uffd).
func (e *Engine) modifyUffd(p *process, v *vma, start, end, newFlags uint64, ino *inode, path *[]string) *vma {
	if v.start < start {
		*path = append(*path, "split_vma")
		v = e.splitVMA(p, v, start)
	}
	if v.end > end {
		*path = append(*path, "split_vma")
		e.splitVMA(p, v, end)
	}
	old := e.snapVMA(p, v)
	v.flags = newFlags
	v.uffd = ino
	e.emitVMA(p, "change", "userfaultfd", v, old)
	return e.mergeAround(p, v, path)
}

// userfaultfdUnregister is UFFDIO_UNREGISTER:
//
//	check                                              errno
//	struct uffdio_range unreadable                     EFAULT
//	the range (validate_range)                         EINVAL
//	no area in it                                      EINVAL
//	an area in it no userfaultfd could have            EINVAL
//	an area in it registered with another userfaultfd  EINVAL
//	each registered area's part loses its modes and context (its
//	uffd-wp bits cleared first, its sleeping missing faults woken).
func (e *Engine) userfaultfdUnregister(p *process, ino *inode, arg uint64) (int64, engine.Errno) {
	ctx := ino.uffd
	var b [16]byte
	if err := e.copyFromUser(p, arg, b[:]); err != 0 {
		return -1, err
	}
	start, length := binary.LittleEndian.Uint64(b[0:]), binary.LittleEndian.Uint64(b[8:])
	if err := validateRange(start, length, true); err != 0 {
		return -1, err
	}
	if ctx.pid != p.pid || p.mm == nil {
		return -1, engine.ENOMEM
	}
	end := start + length
	if p.mm.findIntersection(start, end) == nil {
		return -1, engine.EINVAL
	}
	wpAsync := ctx.features&uffdFeatureWPAsync != 0
	for _, v := range e.vmasIn(p, start, end) {
		if !vmaCanUserfault(v, v.flags, wpAsync) {
			return -1, engine.EINVAL
		}
		if v.uffd != nil && v.uffd != ino {
			return -1, engine.EINVAL // Linux 6.15's: not through another userfaultfd
		}
	}
	var path []string
	for _, v := range e.vmasIn(p, start, end) {
		if v.uffd == nil {
			continue
		}
		s, t := max(start, v.start), min(end, v.end)
		if v.flags&vmUffdMissing != 0 {
			v.uffd.uffd.wake(s, t)
		}
		e.userfaultfdClearVMA(p, v, s, t, &path)
	}
	return 0, 0
}

// userfaultfdClearVMA is userfaultfd_clear_vma: the range's uffd-wp bits
// cleared, then its modes and context.
func (e *Engine) userfaultfdClearVMA(p *process, v *vma, start, end uint64, path *[]string) *vma {
	if v.flags&vmUffdWP != 0 {
		e.uffdWPRange(p, v, start, end, false)
	}
	return e.modifyUffd(p, v, start, end, v.flags&^vmUffdFlags, nil, path)
}

// userfaultfdRelease is userfaultfd_release, at the file's last close:
// every area registered with it loses its modes (merging again) and
// every sleeping fault is woken to go on without it.
func (e *Engine) userfaultfdRelease(ino *inode) {
	ctx := ino.uffd
	if ctx == nil || ctx.released {
		return
	}
	ctx.released = true
	ctx.waits, ctx.events = nil, nil
	p := e.proc(ctx.pid)
	if p == nil || p.mm == nil {
		return
	}
	var path []string
	for i := 0; i < len(p.mm.vmas); i++ {
		v := p.mm.vmas[i]
		if v.uffd != ino {
			continue
		}
		old := e.snapVMA(p, v)
		v.flags &^= vmUffdFlags
		v.uffd = nil
		e.emitVMA(p, "change", "userfaultfd", v, old)
		v = e.mergeAround(p, v, &path)
		i = p.mm.vmaIndex(v.start)
	}
}

// wake is wake_userfault: the faults sleeping at a page of [start, end)
// are woken, read or not (a woken fault's message is no longer read).
func (c *uffdCtx) wake(start, end uint64) {
	for i := range c.waits {
		if w := &c.waits[i]; w.page >= start && w.page < end {
			w.woken = true
		}
	}
}

// userfaultfdWake is UFFDIO_WAKE: the range (validate_range, EINVAL),
// then its sleeping faults woken.
func (e *Engine) userfaultfdWake(p *process, ctx *uffdCtx, arg uint64) (int64, engine.Errno) {
	var b [16]byte
	if err := e.copyFromUser(p, arg, b[:]); err != 0 {
		return -1, err
	}
	start, length := binary.LittleEndian.Uint64(b[0:]), binary.LittleEndian.Uint64(b[8:])
	if err := validateRange(start, length, true); err != 0 {
		return -1, err
	}
	ctx.wake(start, start+length)
	return 0, 0
}

// userfaultfdWriteprotect is UFFDIO_WRITEPROTECT:
//
//	check                                              errno
//	struct uffdio_writeprotect unreadable              EFAULT
//	the range (validate_range)                         EINVAL
//	a mode other than WP and DONTWAKE, or both         EINVAL
//	an area of the range not registered for WP         ENOENT
//	  (mwriteprotect_range; areas before it are done)
//	the range's pages write-protected (uffd-wp set) or not; an
//	unprotect without DONTWAKE wakes the range's faults.
func (e *Engine) userfaultfdWriteprotect(p *process, ino *inode, arg uint64) (int64, engine.Errno) {
	var b [24]byte
	if err := e.copyFromUser(p, arg, b[:]); err != 0 {
		return -1, err
	}
	start, length, mode := binary.LittleEndian.Uint64(b[0:]), binary.LittleEndian.Uint64(b[8:]), binary.LittleEndian.Uint64(b[16:])
	if err := validateRange(start, length, true); err != 0 {
		return -1, err
	}
	if mode&^(uffdioWriteprotectModeWP|uffdioWriteprotectModeDontwk) != 0 {
		return -1, engine.EINVAL
	}
	wp, dontwake := mode&uffdioWriteprotectModeWP != 0, mode&uffdioWriteprotectModeDontwk != 0
	if wp && dontwake {
		return -1, engine.EINVAL
	}
	if ino.uffd.pid != p.pid || p.mm == nil {
		return -1, engine.ESRCH
	}
	end := start + length
	err := engine.ENOENT
	for _, v := range e.vmasIn(p, start, end) {
		if v.flags&vmUffdWP == 0 {
			err = engine.ENOENT
			break
		}
		e.uffdWPRange(p, v, max(start, v.start), min(end, v.end), wp)
		err = 0
	}
	if err != 0 {
		return -1, err
	}
	if !wp && !dontwake {
		ino.uffd.wake(start, end)
	}
	return 0, 0
}

// userfaultfdCopy is UFFDIO_COPY (struct uffdio_copy: dst, src, len,
// mode, copy):
//
//	check                                              errno
//	the struct (but copy) unreadable                   EFAULT
//	src, len (validate_unaligned_range)                EINVAL
//	dst, len (validate_range)                          EINVAL
//	a mode other than DONTWAKE and WP                  EINVAL
//	the context's process gone (mmget_not_zero)        ESRCH
//	mfill_atomic_copy's own (mfillAtomic), its result (the bytes copied
//	or the negative errno) written to copy (EFAULT if it cannot be); the
//	copied range's faults woken unless DONTWAKE; a short copy EAGAIN.
func (e *Engine) userfaultfdCopy(p *process, ctx *uffdCtx, arg uint64) (int64, engine.Errno) {
	var b [32]byte
	if err := e.copyFromUser(p, arg, b[:]); err != 0 {
		return -1, err
	}
	dst, src, length, mode := binary.LittleEndian.Uint64(b[0:]), binary.LittleEndian.Uint64(b[8:]), binary.LittleEndian.Uint64(b[16:]), binary.LittleEndian.Uint64(b[24:])
	if err := validateRange(src, length, false); err != 0 { // validate_unaligned_range
		return -1, err
	}
	if err := validateRange(dst, length, true); err != 0 {
		return -1, err
	}
	if mode&^(uffdioCopyModeDontwake|uffdioCopyModeWP) != 0 {
		return -1, engine.EINVAL
	}
	t := e.proc(ctx.pid)
	if t == nil || t.mm == nil {
		return -1, engine.ESRCH
	}
	n, err := e.mfillAtomic(p, t, dst, src, length, mfillCopy, mode&uffdioCopyModeWP != 0)
	return e.mfillDone(p, ctx, arg+32, dst, length, n, err, mode&uffdioCopyModeDontwake != 0)
}

// userfaultfdZeropage is UFFDIO_ZEROPAGE (struct uffdio_zeropage: range,
// mode, zeropage): the range (validate_range, EINVAL), a mode other than
// DONTWAKE (EINVAL), then as UFFDIO_COPY with mfill_atomic_zeropage.
func (e *Engine) userfaultfdZeropage(p *process, ctx *uffdCtx, arg uint64) (int64, engine.Errno) {
	var b [24]byte
	if err := e.copyFromUser(p, arg, b[:]); err != 0 {
		return -1, err
	}
	start, length, mode := binary.LittleEndian.Uint64(b[0:]), binary.LittleEndian.Uint64(b[8:]), binary.LittleEndian.Uint64(b[16:])
	if err := validateRange(start, length, true); err != 0 {
		return -1, err
	}
	if mode&^uffdioZeropageModeDontwake != 0 {
		return -1, engine.EINVAL
	}
	t := e.proc(ctx.pid)
	if t == nil || t.mm == nil {
		return -1, engine.ESRCH
	}
	n, err := e.mfillAtomic(p, t, start, 0, length, mfillZeropage, false)
	return e.mfillDone(p, ctx, arg+24, start, length, n, err, mode&uffdioZeropageModeDontwake != 0)
}

// userfaultfdContinue is UFFDIO_CONTINUE (struct uffdio_continue: range,
// mode, mapped): the range (validate_range, EINVAL), a mode other than
// DONTWAKE and WP (EINVAL), then as UFFDIO_COPY with
// mfill_atomic_continue.
func (e *Engine) userfaultfdContinue(p *process, ctx *uffdCtx, arg uint64) (int64, engine.Errno) {
	var b [24]byte
	if err := e.copyFromUser(p, arg, b[:]); err != 0 {
		return -1, err
	}
	start, length, mode := binary.LittleEndian.Uint64(b[0:]), binary.LittleEndian.Uint64(b[8:]), binary.LittleEndian.Uint64(b[16:])
	if err := validateRange(start, length, true); err != 0 {
		return -1, err
	}
	if mode&^(uffdioContinueModeDontwake|uffdioContinueModeWP) != 0 {
		return -1, engine.EINVAL
	}
	t := e.proc(ctx.pid)
	if t == nil || t.mm == nil {
		return -1, engine.ESRCH
	}
	n, err := e.mfillAtomic(p, t, start, 0, length, mfillContinue, mode&uffdioContinueModeWP != 0)
	return e.mfillDone(p, ctx, arg+24, start, length, n, err, mode&uffdioContinueModeDontwake != 0)
}

// mfillDone ends UFFDIO_COPY, ZEROPAGE, CONTINUE and MOVE alike: the
// result (n bytes, or -err when none) written at out; then the n bytes'
// faults woken unless dontwake, and EAGAIN for fewer than length.
func (e *Engine) mfillDone(p *process, ctx *uffdCtx, out, start, length, n uint64, err engine.Errno, dontwake bool) (int64, engine.Errno) {
	ret := int64(n)
	if n == 0 {
		ret = -int64(err)
	}
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(ret))
	if werr := e.copyToUser(p, out, b[:], nil); werr != 0 {
		return -1, werr
	}
	if n == 0 {
		return -1, err
	}
	if !dontwake {
		ctx.wake(start, start+n)
	}
	if n != length {
		return -1, engine.EAGAIN
	}
	return 0, 0
}

// userfaultfdMove is UFFDIO_MOVE (struct uffdio_move: dst, src, len,
// mode, move):
//
//	check                                              errno
//	the struct (but move) unreadable                   EFAULT
//	another process's userfaultfd                      EINVAL
//	dst, len and src, len (validate_range)             EINVAL
//	a mode other than ALLOW_SRC_HOLES and DONTWAKE     EINVAL
//	move_pages' own (movePages), then as UFFDIO_COPY.
func (e *Engine) userfaultfdMove(p *process, ino *inode, arg uint64) (int64, engine.Errno) {
	var b [32]byte
	if err := e.copyFromUser(p, arg, b[:]); err != 0 {
		return -1, err
	}
	dst, src, length, mode := binary.LittleEndian.Uint64(b[0:]), binary.LittleEndian.Uint64(b[8:]), binary.LittleEndian.Uint64(b[16:]), binary.LittleEndian.Uint64(b[24:])
	if ino.uffd.pid != p.pid || p.mm == nil {
		return -1, engine.EINVAL
	}
	if err := validateRange(dst, length, true); err != 0 {
		return -1, err
	}
	if err := validateRange(src, length, true); err != 0 {
		return -1, err
	}
	if mode&^(uffdioMoveModeAllowSrcHoles|uffdioMoveModeDontwake) != 0 {
		return -1, engine.EINVAL
	}
	n, err := e.movePages(p, ino, dst, src, length, mode)
	return e.mfillDone(p, ino.uffd, arg+32, dst, length, n, err, mode&uffdioMoveModeDontwake != 0)
}

// userfaultfdWP is userfaultfd_wp: v is registered for write-protection.
func (v *vma) userfaultfdWP() bool { return v.flags&vmUffdWP != 0 }

// userfaultfdWPAsync is userfaultfd_wp_async: v's userfaultfd resolves
// its write-protect faults itself (UFFD_FEATURE_WP_ASYNC).
func (v *vma) userfaultfdWPAsync() bool {
	return v.uffd != nil && v.uffd.uffd.features&uffdFeatureWPAsync != 0
}

// userfaultfdWPUseMarkers is userfaultfd_wp_use_markers: a write-protect
// of a page with no PTE leaves a marker, always for a file (shmem) and
// for anonymous memory with UFFD_FEATURE_WP_UNPOPULATED.
func (v *vma) userfaultfdWPUseMarkers() bool {
	if !v.userfaultfdWP() {
		return false
	}
	if !v.vmaIsAnonymous() {
		return true
	}
	return v.uffd != nil && v.uffd.uffd.features&uffdFeatureWPUnpopulated != 0
}

// pteUffdWPOf says whether pte (present, swapped or a marker) carries
// uffd-wp: pte_uffd_wp, pte_swp_uffd_wp, or pte_marker_uffd_wp.
func pteUffdWPOf(pte uint64) bool { return pte&pteUffdWP != 0 }

// isPTEMarker says whether pte is a marker (is_pte_marker): no page,
// only uffd-wp.
func isPTEMarker(pte uint64) bool { return pte == pteMarkerUffdWP }

// userfaultfdPTEWP is userfaultfd_pte_wp: a write to pte in v is the
// handler's (or WP_ASYNC's) to resolve.
func userfaultfdPTEWP(v *vma, pte uint64) bool { return v.userfaultfdWP() && pteUffdWPOf(pte) }

// uffdWPRange is uffd_wp_range: change_protection of [start, end) of v
// with MM_CP_UFFD_WP (enable) or MM_CP_UFFD_WP_RESOLVE. Protecting sets
// uffd-wp on the present PTEs and swap entries (taking write away), and
// leaves markers where there is no PTE when v uses them; resolving clears
// the bits, drops the markers, and gives write back where a write fault
// would have given it at once (can_change_pte_writable: a private page
// this process alone has, a shared page already dirty).
func (e *Engine) uffdWPRange(p *process, v *vma, start, end uint64, enable bool) {
	e.forEachPTE(p, start, end, func(addr uint64, pp *uint64, t *ptable) {
		pte := *pp
		switch {
		case enable && pte&ptePresent != 0:
			pte = (pte | pteUffdWP) &^ pteRW
		case enable:
			pte |= pteUffdWP
		case isPTEMarker(pte):
			*pp = 0
			t.used--
			return
		case pte&ptePresent != 0:
			pte &^= pteUffdWP
			if v.flags&vmWrite != 0 && pte&pteRW == 0 && pte&pteUser != 0 {
				f := e.mem.f(idxOf(ptePFN(pte)))
				if (v.flags&vmShared == 0 && f.use == useAnon && f.ref == 1) ||
					(v.flags&vmShared != 0 && pte&pteDirty != 0) {
					pte |= pteRW
				}
			}
		default:
			pte &^= pteUffdWP
		}
		*pp = pte
	})
	if enable && v.userfaultfdWPUseMarkers() {
		for a := start; a < end; a += engine.PageSize {
			if pp := e.pteOf(p, a); pp == nil || *pp == 0 {
				e.setPTE(p, a, pteMarkerUffdWP)
			}
		}
	}
	e.tlbGen++
}

// showFdinfo is userfaultfd_show_fdinfo: the sleeping faults not yet read
// and all of them, then the API, the context's features and the ioctls.
func (c *uffdCtx) showFdinfo() string {
	pending, total := 0, 0
	for _, w := range c.waits {
		if w.woken {
			continue
		}
		total++
		if !w.read {
			pending++
		}
	}
	return "pending:\t" + strconv.Itoa(pending) + "\ntotal:\t" + strconv.Itoa(total) + "\nAPI:\t" +
		strconv.FormatUint(uffdAPI, 16) + ":" + strconv.FormatUint(c.features, 16) + ":" +
		strconv.FormatUint(uffdAPIIoctls|uffdAPIRangeIoctls, 16) + "\n"
}

// sigFaultWait is what the fault handlers return for a fault that sleeps
// in handle_userfault; the MMU (accessN) turns it into ErrFaultWait.
var sigFaultWait = &engine.Signal{}

// sleeping says whether a fault at page sleeps still (not woken); a woken
// fault's wait is dropped, and the fault goes on.
func (c *uffdCtx) sleeping(page uint64) bool {
	for i, w := range c.waits {
		if w.page == page {
			if !w.woken {
				return true
			}
			c.waits = append(c.waits[:i], c.waits[i+1:]...)
			return false
		}
	}
	return false
}

// handleUserfault is handle_userfault(vmf, reason): with
// UFFD_FEATURE_SIGBUS the fault is SIGBUS; a fault of the kernel's own
// access is VM_FAULT_SIGBUS too (a user-mode-only file: the call's
// EFAULT); else the fault sleeps, its message queued for the handler.
// A sleeping fault is told by no event, as a blocked call is not: the
// fault that goes on once it is woken is.
func (e *Engine) handleUserfault(vmf *vmFault, reason uint64) *engine.Signal {
	ctx := vmf.v.uffd.uffd
	if ctx.features&uffdFeatureSigbus != 0 || vmf.uaccess {
		return e.faultSignal(vmf, kindSigbus, pathUserfaultSigbus,
			&engine.Signal{Signo: engine.SIGBUS, Code: engine.BUS_ADRERR, Addr: vmf.addr})
	}
	page := vmf.addr &^ engine.PageMask
	addr := page
	if ctx.features&uffdFeatureExactAddress != 0 {
		addr = vmf.addr
	}
	var flags uint64
	if vmf.write {
		flags |= uffdPagefaultFlagWr
	}
	switch reason {
	case vmUffdWP:
		flags |= uffdPagefaultFlagWP
	case vmUffdMinor:
		flags |= uffdPagefaultFlagMin
	}
	var ptid uint64
	if ctx.features&uffdFeatureThreadID != 0 {
		ptid = uint64(vmf.p.pid)
	}
	ctx.waits = append(ctx.waits, uffdWait{page: page, msg: uffdMsg{event: uffdEventPagefault, arg: [3]uint64{flags, addr, ptid}}})
	return sigFaultWait
}

var (
	pathUserfaultSigbus = []string{"handle_mm_fault", "handle_userfault", "VM_FAULT_SIGBUS"}
)

// userfaultfdRead is userfaultfd_read: EINVAL before UFFDIO_API; then as
// many whole messages as count holds (EINVAL for less than one), the
// sleeping faults' first, then the events'. Only the first may block:
// EAGAIN with O_NONBLOCK.
func (e *Engine) userfaultfdRead(p *process, f *file, buf uint64, count int64, path *[]string) engine.Result {
	ctx := f.ino.uffd
	*path = append(*path, "userfaultfd_read")
	if !ctx.initialized() {
		return engine.Result{Ret: -1, Errno: engine.EINVAL}
	}
	var ret int64
	fail := func(errno engine.Errno) engine.Result {
		if ret > 0 {
			return engine.Result{Ret: ret}
		}
		return engine.Result{Ret: -1, Errno: errno}
	}
	for {
		if count < uffdMsgSize {
			return fail(engine.EINVAL)
		}
		msg, ok := ctx.nextMsg()
		if !ok {
			if ret > 0 {
				return engine.Result{Ret: ret}
			}
			if f.flags&engine.O_NONBLOCK != 0 {
				return engine.Result{Ret: -1, Errno: engine.EAGAIN}
			}
			return engine.Result{Block: true}
		}
		var b [uffdMsgSize]byte
		b[0] = msg.event
		for i, a := range msg.arg {
			binary.LittleEndian.PutUint64(b[8+8*i:], a)
		}
		if msg.event == uffdEventPagefault {
			binary.LittleEndian.PutUint64(b[24:], msg.arg[2]&0xffffffff) // feat.ptid, a __u32
		}
		if err := e.copyToUser(p, buf, b[:], f.ino); err != 0 {
			return fail(err)
		}
		ret += uffdMsgSize
		buf += uffdMsgSize
		count -= uffdMsgSize
	}
}

// nextMsg takes the next message to read (userfaultfd_ctx_read): the
// first sleeping fault not read yet, which stays asleep; else the first
// event.
func (c *uffdCtx) nextMsg() (uffdMsg, bool) {
	for i := range c.waits {
		if w := &c.waits[i]; !w.read && !w.woken {
			w.read = true
			return w.msg, true
		}
	}
	if len(c.events) > 0 {
		m := c.events[0]
		c.events = c.events[1:]
		return m, true
	}
	return uffdMsg{}, false
}

// poll is userfaultfd_poll: EPOLLERR before UFFDIO_API and for a file
// without O_NONBLOCK (a fault may be woken before it is read); EPOLLIN
// while a fault or an event waits to be read.
func (c *uffdCtx) poll(f *file) int16 {
	if !c.initialized() || f.flags&engine.O_NONBLOCK == 0 {
		return engine.POLLERR
	}
	for _, w := range c.waits {
		if !w.read && !w.woken {
			return engine.POLLIN
		}
	}
	if len(c.events) > 0 {
		return engine.POLLIN
	}
	return 0
}
