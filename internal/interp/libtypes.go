package interp

// The struct types and typedefs of the library's further headers
// (<sys/resource.h>, <sys/utsname.h>, <sys/vfs.h>, <sys/uio.h>, ...), laid
// out as glibc lays them out on x86-64.

var (
	// struct rlimit: two rlim_t (unsigned long).
	tRlimit = mkStruct("rlimit", []field{{name: "rlim_cur", t: tULong}, {name: "rlim_max", t: tULong}})
	// struct utsname: six 65-byte strings (_UTSNAME_LENGTH).
	tUtsname = mkStruct("utsname", []field{
		{name: "sysname", t: arrayOf(tChar, 65)}, {name: "nodename", t: arrayOf(tChar, 65)},
		{name: "release", t: arrayOf(tChar, 65)}, {name: "version", t: arrayOf(tChar, 65)},
		{name: "machine", t: arrayOf(tChar, 65)}, {name: "domainname", t: arrayOf(tChar, 65)},
	})
	tFsid = mkStruct("__fsid_t", []field{{name: "__val", t: arrayOf(tInt, 2)}})
	// struct statfs (x86-64's struct statfs64 layout: 120 bytes).
	tStatfs = mkStruct("statfs", []field{
		{name: "f_type", t: tLong}, {name: "f_bsize", t: tLong}, {name: "f_blocks", t: tULong}, {name: "f_bfree", t: tULong},
		{name: "f_bavail", t: tULong}, {name: "f_files", t: tULong}, {name: "f_ffree", t: tULong}, {name: "f_fsid", t: tFsid},
		{name: "f_namelen", t: tLong}, {name: "f_frsize", t: tLong}, {name: "f_flags", t: tLong}, {name: "f_spare", t: arrayOf(tLong, 4)},
	})
	tIovec = mkStruct("iovec", []field{{name: "iov_base", t: tVoidP}, {name: "iov_len", t: tULong}})
	// struct mallinfo: ten ints; struct mallinfo2: the same as size_t.
	tMallinfo  = mkStruct("mallinfo", mallinfoFields(tInt))
	tMallinfo2 = mkStruct("mallinfo2", mallinfoFields(tULong))
	// struct dirent as glibc's readdir returns it on x86-64.
	tDirent = mkStruct("dirent", []field{{name: "d_ino", t: tULong}, {name: "d_off", t: tLong}, {name: "d_reclen", t: tUShort},
		{name: "d_type", t: tUChar}, {name: "d_name", t: arrayOf(tChar, 256)}})
	// mcontext_t and ucontext_t as glibc lays them out on x86-64 (968 bytes).
	tMcontext = mkStruct("", []field{{name: "gregs", t: arrayOf(tLLong, 23)}, {name: "fpregs", t: tVoidP}, {name: "__reserved1", t: arrayOf(tULLong, 8)}})
	tUcontext = mkStruct("ucontext_t", []field{{name: "uc_flags", t: tULong}, {name: "uc_link", t: tVoidP},
		{name: "uc_stack", t: tStackT}, {name: "uc_mcontext", t: tMcontext}, {name: "uc_sigmask", t: tSigset},
		{name: "__fpregs_mem", t: arrayOf(tChar, 512)}, {name: "__ssp", t: arrayOf(tULLong, 4)}})
	// stack_t (sigaltstack's): the stack's base, its flags, its size.
	tStackT = mkStruct("", []field{{name: "ss_sp", t: tVoidP}, {name: "ss_flags", t: tInt}, {name: "ss_size", t: tULong}})
)

var (
	tCapHeader = mkStruct("__user_cap_header_struct", []field{{name: "version", t: tUInt}, {name: "pid", t: tInt}})
	tCapData   = mkStruct("__user_cap_data_struct", []field{{name: "effective", t: tUInt}, {name: "permitted", t: tUInt}, {name: "inheritable", t: tUInt}})
)

// opaque is a glibc type programs only declare and pass by address
// (pthread_mutex_t: 40 bytes, 8-aligned), as a union of its size.
func opaque(size int64) *ctype {
	return mkUnion([]field{{name: "__size", t: arrayOf(tChar, size)}, {name: "__align", t: tLong}})
}

func mallinfoFields(t *ctype) []field {
	var fs []field
	for _, n := range []string{"arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost"} {
		fs = append(fs, field{name: n, t: t})
	}
	return fs
}

// libTags are the struct tags these headers define (the parser starts
// with them, beside the core ones).
var libTags = map[string]*ctype{
	"rlimit": tRlimit, "utsname": tUtsname, "statfs": tStatfs, "iovec": tIovec,
	"mallinfo": tMallinfo, "mallinfo2": tMallinfo2,
	"pollfd": mkStruct("pollfd", []field{{name: "fd", t: tInt}, {name: "events", t: tShort}, {name: "revents", t: tShort}}),
	"dirent": tDirent,
	"sembuf": mkStruct("sembuf", []field{{name: "sem_num", t: tUShort}, {name: "sem_op", t: tShort}, {name: "sem_flg", t: tShort}}),
	// <fcntl.h>'s struct flock, <sched.h>'s struct sched_param.
	"flock": mkStruct("flock", []field{{name: "l_type", t: tShort}, {name: "l_whence", t: tShort},
		{name: "l_start", t: tLong}, {name: "l_len", t: tLong}, {name: "l_pid", t: tInt}}),
	"sched_param": mkStruct("sched_param", []field{{name: "sched_priority", t: tInt}}),
	// <sys/epoll.h>: packed on x86-64 (__EPOLL_PACKED), 12 bytes.
	"epoll_event": tEpollEvent,
	// Linux's user-space API: <linux/futex.h>, <linux/sched.h>, <linux/ptrace.h>.
	// <linux/capability.h>: capget's and capset's header and sets.
	"__user_cap_header_struct": tCapHeader,
	"__user_cap_data_struct":   tCapData,
	"futex_waitv": mkStruct("futex_waitv", []field{{name: "val", t: tULLong}, {name: "uaddr", t: tULLong},
		{name: "flags", t: tUInt}, {name: "__reserved", t: tUInt}}),
	"clone_args": mkStruct("clone_args", u64Fields("flags", "pidfd", "child_tid", "parent_tid", "exit_signal",
		"stack", "stack_size", "tls", "set_tid", "set_tid_size", "cgroup")),
	// <linux/mman.h>'s cachestat(2) structures, <linux/kcmp.h>'s epoll slot.
	"cachestat_range": mkStruct("cachestat_range", u64Fields("off", "len")),
	"cachestat":       mkStruct("cachestat", u64Fields("nr_cache", "nr_dirty", "nr_writeback", "nr_evicted", "nr_recently_evicted")),
	"kcmp_epoll_slot": mkStruct("kcmp_epoll_slot", []field{{name: "efd", t: tUInt}, {name: "tfd", t: tUInt}, {name: "toff", t: tUInt}}),
	"ptrace_peeksiginfo_args": mkStruct("ptrace_peeksiginfo_args", []field{{name: "off", t: tULLong},
		{name: "flags", t: tUInt}, {name: "nr", t: tInt}}),
}

// tEpollEvent is struct epoll_event with its union epoll_data.
var tEpollEvent = func() *ctype {
	t := &ctype{k: kStruct, st: &structInfo{tag: "epoll_event", packed: true, fields: []field{{name: "events", t: tUInt},
		{name: "data", t: mkUnion([]field{{name: "ptr", t: tVoidP}, {name: "fd", t: tInt}, {name: "u32", t: tUInt}, {name: "u64", t: tULong}})}}}}
	layout(t)
	return t
}()

var _ = addLibTypedefs()

func addLibTypedefs() bool {
	for name, t := range map[string]*ctype{
		"DIR": mkStruct("__dirstream", []field{{name: "__fd", t: tInt}}), "nfds_t": tULong,
		"u_int8_t": tUChar, "u_int16_t": tUShort, "u_int32_t": tUInt, "u_int64_t": tULong,
		"cap_t": tVoidP, "cap_value_t": tInt, "cap_user_header_t": ptrTo(tCapHeader), "cap_user_data_t": ptrTo(tCapData), "cap_flag_t": tInt, "cap_flag_value_t": tInt,
		"ucontext_t": tUcontext, "mcontext_t": tMcontext, "greg_t": tLLong, "gregset_t": arrayOf(tLLong, 23),
		"pthread_t": tULong, "pthread_attr_t": opaque(56), "pthread_mutex_t": opaque(40), "pthread_mutexattr_t": opaque(4),
		"pthread_cond_t": opaque(48), "pthread_condattr_t": opaque(4), "pthread_barrier_t": opaque(32),
		"pthread_barrierattr_t": opaque(4), "pthread_key_t": tUInt, "pthread_once_t": tInt, "pthread_spinlock_t": tInt,
		"pthread_rwlock_t": opaque(56), "sem_t": opaque(32), "stack_t": tStackT, "jmp_buf": arrayOf(tLong, 25),
		"sigjmp_buf": arrayOf(tLong, 25),
		"rlim_t":     tULong, "fsid_t": tFsid, "__fsword_t": tLong, "fsblkcnt_t": tULong, "fsfilcnt_t": tULong,
		"__u8": tUChar, "__u16": tUShort, "__u32": tUInt, "__u64": tULLong, "__s8": tSChar, "__s16": tShort,
		"__s32": tInt, "__s64": tLLong, "__le16": tUShort, "__le32": tUInt, "__le64": tULLong,
		"__be16": tUShort, "__be32": tUInt, "__be64": tULLong, "__kernel_size_t": tULong, "__kernel_off_t": tLong,
		"__aligned_u64": tULLong, "__aligned_s64": tLLong, "__aligned_be64": tULLong, "__aligned_le64": tULLong,
		"__kernel_long_t": tLong, "__kernel_ulong_t": tULong, "__poll_t": tUInt, "epoll_data_t": tEpollEvent.st.fields[1].t,
		"__kernel_pid_t": tInt, "u8": tUChar, "u16": tUShort, "u32": tUInt, "u64": tULLong,
		"socklen_t": tUInt, "clockid_t": tInt, "key_t": tInt, "id_t": tUInt, "caddr_t": ptrTo(tChar),
		"ulong": tULong, "ushort": tUShort, "uint": tUInt, "u_short": tUShort, "quad_t": tLong, "u_quad_t": tULong,
		"__off_t": tLong, "__off64_t": tLong, "__pid_t": tInt, "__ssize_t": tLong, "__time_t": tLong,
		"__uint8_t": tUChar, "__uint16_t": tUShort, "__uint32_t": tUInt, "__uint64_t": tULong,
		"__int8_t": tSChar, "__int16_t": tShort, "__int32_t": tInt, "__int64_t": tLong,
		"int_least8_t": tSChar, "int_least16_t": tShort, "int_least32_t": tInt, "int_least64_t": tLong,
		"uint_least8_t": tUChar, "uint_least16_t": tUShort, "uint_least32_t": tUInt, "uint_least64_t": tULong,
		"int_fast8_t": tSChar, "int_fast16_t": tLong, "int_fast32_t": tLong, "int_fast64_t": tLong,
		"uint_fast8_t": tUChar, "uint_fast16_t": tULong, "uint_fast32_t": tULong, "uint_fast64_t": tULong,
	} {
		if _, ok := builtinTypedefs[name]; !ok {
			builtinTypedefs[name] = named(t, name)
		}
	}
	return true
}
