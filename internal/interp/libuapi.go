package interp

// <linux/userfaultfd.h> and <linux/fs.h>'s PAGEMAP_SCAN: the structures
// and numbers of Linux 6.12's user-space API that the kernel's mm
// selftests (vm_util.c) use, laid out as on x86-64 and measured with gcc
// against the kernel's installed headers. The engines answer the calls
// (userfaultfd, ioctl) as far as they model them; ENOSYS where not.

func u64Fields(names ...string) []field {
	var fs []field
	for _, n := range names {
		fs = append(fs, field{name: n, t: tULLong})
	}
	return fs
}

var (
	tUffdioRange = mkStruct("uffdio_range", u64Fields("start", "len"))
	uapiTags     = map[string]*ctype{
		"uffdio_range":        tUffdioRange,
		"uffdio_register":     mkStruct("uffdio_register", append([]field{{name: "range", t: tUffdioRange}}, u64Fields("mode", "ioctls")...)),
		"uffdio_api":          mkStruct("uffdio_api", u64Fields("api", "features", "ioctls")),
		"uffdio_copy":         mkStruct("uffdio_copy", append(u64Fields("dst", "src", "len", "mode"), field{name: "copy", t: tLLong})),
		"uffdio_zeropage":     mkStruct("uffdio_zeropage", []field{{name: "range", t: tUffdioRange}, {name: "mode", t: tULLong}, {name: "zeropage", t: tLLong}}),
		"uffdio_writeprotect": mkStruct("uffdio_writeprotect", []field{{name: "range", t: tUffdioRange}, {name: "mode", t: tULLong}}),
		"uffdio_continue":     mkStruct("uffdio_continue", []field{{name: "range", t: tUffdioRange}, {name: "mode", t: tULLong}, {name: "mapped", t: tLLong}}),
		"uffdio_poison":       mkStruct("uffdio_poison", []field{{name: "range", t: tUffdioRange}, {name: "mode", t: tULLong}, {name: "updated", t: tLLong}}),
		"uffdio_move":         mkStruct("uffdio_move", append(u64Fields("dst", "src", "len", "mode"), field{name: "move", t: tLLong})),
		"uffd_msg": mkStruct("uffd_msg", []field{
			{name: "event", t: tUChar}, {name: "reserved1", t: tUChar}, {name: "reserved2", t: tUShort}, {name: "reserved3", t: tUInt},
			{name: "arg", t: mkUnion([]field{
				{name: "pagefault", t: mkStruct("", []field{{name: "flags", t: tULLong}, {name: "address", t: tULLong},
					{name: "feat", t: mkUnion([]field{{name: "ptid", t: tUInt}})}})},
				{name: "fork", t: mkStruct("", []field{{name: "ufd", t: tUInt}})},
				{name: "remap", t: mkStruct("", u64Fields("from", "to", "len"))},
				{name: "remove", t: mkStruct("", u64Fields("start", "end"))},
				{name: "reserved", t: mkStruct("", u64Fields("reserved1", "reserved2", "reserved3"))},
			})},
		}),
		"pm_scan_arg": mkStruct("pm_scan_arg", u64Fields("size", "flags", "start", "end", "walk_end", "vec", "vec_len",
			"max_pages", "category_inverted", "category_mask", "category_anyof_mask", "return_mask")),
		"page_region": mkStruct("page_region", u64Fields("start", "end", "categories")),
	}
)

// uapiMacros are those headers' numbers (the ioctl requests as _IOWR
// computes them).
var uapiMacros = []string{
	"UFFD_API 0xaa",
	"UFFDIO_REGISTER_MODE_MISSING 0x1",
	"UFFDIO_REGISTER_MODE_WP 0x2",
	"UFFDIO_REGISTER_MODE_MINOR 0x4",
	"UFFDIO_COPY_MODE_DONTWAKE 0x1",
	"UFFDIO_COPY_MODE_WP 0x2",
	"UFFDIO_ZEROPAGE_MODE_DONTWAKE 0x1",
	"UFFDIO_WRITEPROTECT_MODE_WP 0x1",
	"UFFDIO_WRITEPROTECT_MODE_DONTWAKE 0x2",
	"UFFDIO_CONTINUE_MODE_DONTWAKE 0x1",
	"UFFDIO_CONTINUE_MODE_WP 0x2",
	"UFFD_EVENT_PAGEFAULT 0x12",
	"UFFD_EVENT_FORK 0x13",
	"UFFD_EVENT_REMAP 0x14",
	"UFFD_EVENT_REMOVE 0x15",
	"UFFD_EVENT_UNMAP 0x16",
	"UFFD_PAGEFAULT_FLAG_WRITE 0x1",
	"UFFD_PAGEFAULT_FLAG_WP 0x2",
	"UFFD_PAGEFAULT_FLAG_MINOR 0x4",
	"UFFD_FEATURE_PAGEFAULT_FLAG_WP 0x1",
	"UFFD_FEATURE_EVENT_FORK 0x2",
	"UFFD_FEATURE_EVENT_REMAP 0x4",
	"UFFD_FEATURE_EVENT_REMOVE 0x8",
	"UFFD_FEATURE_MISSING_HUGETLBFS 0x10",
	"UFFD_FEATURE_MISSING_SHMEM 0x20",
	"UFFD_FEATURE_EVENT_UNMAP 0x40",
	"UFFD_FEATURE_SIGBUS 0x80",
	"UFFD_FEATURE_THREAD_ID 0x100",
	"UFFD_FEATURE_MINOR_HUGETLBFS 0x200",
	"UFFD_FEATURE_MINOR_SHMEM 0x400",
	"UFFD_FEATURE_EXACT_ADDRESS 0x800",
	"UFFD_FEATURE_WP_HUGETLBFS_SHMEM 0x1000",
	"UFFD_FEATURE_WP_UNPOPULATED 0x2000",
	"UFFD_FEATURE_POISON 0x4000",
	"UFFD_FEATURE_WP_ASYNC 0x8000",
	"UFFD_FEATURE_MOVE 0x10000",
	"_UFFDIO_REGISTER 0",
	"_UFFDIO_UNREGISTER 0x1",
	"_UFFDIO_WAKE 0x2",
	"_UFFDIO_COPY 0x3",
	"_UFFDIO_ZEROPAGE 0x4",
	"_UFFDIO_MOVE 0x5",
	"_UFFDIO_WRITEPROTECT 0x6",
	"_UFFDIO_CONTINUE 0x7",
	"_UFFDIO_POISON 0x8",
	"_UFFDIO_API 0x3f",
	"UFFDIO_API 0xc018aa3f",
	"UFFDIO_REGISTER 0xc020aa00",
	"UFFDIO_UNREGISTER 0x8010aa01",
	"UFFDIO_WAKE 0x8010aa02",
	"UFFDIO_COPY 0xc028aa03",
	"UFFDIO_ZEROPAGE 0xc020aa04",
	"UFFDIO_MOVE 0xc028aa05",
	"UFFDIO_WRITEPROTECT 0xc018aa06",
	"UFFDIO_CONTINUE 0xc020aa07",
	"UFFDIO_POISON 0xc020aa08",
	"USERFAULTFD_IOC_NEW 0xaa00",
	"UFFDIO_POISON_MODE_DONTWAKE 0x1",
	"UFFDIO_MOVE_MODE_DONTWAKE 0x1",
	"UFFDIO_MOVE_MODE_ALLOW_SRC_HOLES 0x2",
	"PAGEMAP_SCAN 0xc0606610",
	"PAGE_IS_WPALLOWED 0x1",
	"PAGE_IS_WRITTEN 0x2",
	"PAGE_IS_FILE 0x4",
	"PAGE_IS_PRESENT 0x8",
	"PAGE_IS_SWAPPED 0x10",
	"PAGE_IS_PFNZERO 0x20",
	"PAGE_IS_HUGE 0x40",
	"PAGE_IS_SOFT_DIRTY 0x80",
	"PAGE_IS_GUARD 0x100",
	"PM_SCAN_WP_MATCHING 0x1",
	"PM_SCAN_CHECK_WPASYNC 0x2",
	"FS_IOC_GETFLAGS 0x80086601",
	"BLKGETSIZE64 0x80081272",
	"FICLONE 0x40049409",
}

// ioctlMacros are <asm-generic/ioctl.h>'s: how a request number encodes
// its direction, type, number and argument size (x86-64's widths).
var ioctlMacros = []string{
	"_IOC_NRBITS 8", "_IOC_TYPEBITS 8", "_IOC_SIZEBITS 14", "_IOC_DIRBITS 2",
	"_IOC_NRMASK ((1 << _IOC_NRBITS)-1)", "_IOC_TYPEMASK ((1 << _IOC_TYPEBITS)-1)",
	"_IOC_SIZEMASK ((1 << _IOC_SIZEBITS)-1)", "_IOC_DIRMASK ((1 << _IOC_DIRBITS)-1)",
	"_IOC_NRSHIFT 0", "_IOC_TYPESHIFT (_IOC_NRSHIFT+_IOC_NRBITS)",
	"_IOC_SIZESHIFT (_IOC_TYPESHIFT+_IOC_TYPEBITS)", "_IOC_DIRSHIFT (_IOC_SIZESHIFT+_IOC_SIZEBITS)",
	"_IOC_NONE 0U", "_IOC_WRITE 1U", "_IOC_READ 2U",
	"_IOC(dir,type,nr,size) (((dir) << _IOC_DIRSHIFT) | ((type) << _IOC_TYPESHIFT) | ((nr) << _IOC_NRSHIFT) | ((size) << _IOC_SIZESHIFT))",
	"_IOC_TYPECHECK(t) (sizeof(t))",
	"_IO(type,nr) _IOC(_IOC_NONE,(type),(nr),0)",
	"_IOR(type,nr,size) _IOC(_IOC_READ,(type),(nr),(_IOC_TYPECHECK(size)))",
	"_IOW(type,nr,size) _IOC(_IOC_WRITE,(type),(nr),(_IOC_TYPECHECK(size)))",
	"_IOWR(type,nr,size) _IOC(_IOC_READ|_IOC_WRITE,(type),(nr),(_IOC_TYPECHECK(size)))",
	"_IOR_BAD(type,nr,size) _IOC(_IOC_READ,(type),(nr),sizeof(size))",
	"_IOW_BAD(type,nr,size) _IOC(_IOC_WRITE,(type),(nr),sizeof(size))",
	"_IOWR_BAD(type,nr,size) _IOC(_IOC_READ|_IOC_WRITE,(type),(nr),sizeof(size))",
	"_IOC_DIR(nr) (((nr) >> _IOC_DIRSHIFT) & _IOC_DIRMASK)",
	"_IOC_TYPE(nr) (((nr) >> _IOC_TYPESHIFT) & _IOC_TYPEMASK)",
	"_IOC_NR(nr) (((nr) >> _IOC_NRSHIFT) & _IOC_NRMASK)",
	"_IOC_SIZE(nr) (((nr) >> _IOC_SIZESHIFT) & _IOC_SIZEMASK)",
	"IOC_IN (_IOC_WRITE << _IOC_DIRSHIFT)", "IOC_OUT (_IOC_READ << _IOC_DIRSHIFT)",
	"IOC_INOUT ((_IOC_WRITE|_IOC_READ) << _IOC_DIRSHIFT)",
	"IOCSIZE_MASK (_IOC_SIZEMASK << _IOC_SIZESHIFT)", "IOCSIZE_SHIFT (_IOC_SIZESHIFT)",
}

func init() {
	for k, v := range uapiTags {
		libTags[k] = v
	}
	libMacros = append(libMacros, uapiMacros...)
	libMacros = append(libMacros, ioctlMacros...)
	// <linux/types.h>'s 8-aligned 64-bit types (for 32-bit user space's sake).
	libMacros = append(libMacros, "__aligned_u64 __u64 __attribute__((aligned(8)))",
		"__aligned_be64 __be64 __attribute__((aligned(8)))", "__aligned_le64 __le64 __attribute__((aligned(8)))")
	for _, h := range []string{"linux/userfaultfd.h", "linux/fs.h", "linux/magic.h", "linux/ioctl.h", "asm/ioctl.h", "asm-generic/ioctl.h"} {
		knownHeaders[h] = true
	}
}
