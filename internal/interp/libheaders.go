package interp

// The library's further headers: the names a program may #include beyond
// the core ones (preprocess.go's knownHeaders), the constants they define
// that are the C library's own or not yet in package engine's table, and
// the functions they declare that the playground does not provide. A call
// of one of those compiles (as gcc's does) and is refused only when it
// runs: "'semget' is not provided by the playground's C library".

// libHeaders are accepted as known headers; what they declare is either
// here, in package engine's table, or refused when used.
var libHeaders = []string{
	"err.h", "malloc.h", "memory.h", "syscall.h", "sys/utsname.h", "sys/vfs.h", "sys/statfs.h",
	"sys/ioctl.h", "sys/prctl.h", "sys/sysinfo.h", "sys/uio.h", "sys/socket.h", "sys/un.h", "poll.h",
	"sys/poll.h", "sys/select.h", "mcheck.h", "sys/param.h", "dirent.h", "sched.h", "sys/sysmacros.h",
	"pthread.h", "setjmp.h", "semaphore.h", "sys/shm.h", "sys/ipc.h", "sys/sem.h", "sys/eventfd.h",
	"sys/user.h", "sys/personality.h", "sys/auxv.h", "linux/types.h", "linux/falloc.h", "linux/prctl.h",
	"asm/types.h", "linux/unistd.h", "asm-generic/unistd.h", "linux/memfd.h", "locale.h", "libgen.h",
	"getopt.h", "stdnoreturn.h", "sys/times.h", "utime.h", "pwd.h", "grp.h", "termios.h", "sys/signal.h",
	"linux/limits.h", "sys/fcntl.h", "sys/errno.h", "features.h", "endian.h", "byteswap.h", "sys/cdefs.h",
	"stdio_ext.h", "wchar.h", "wctype.h", "iso646.h", "values.h", "sys/random.h",
	"sys/ptrace.h", "ucontext.h", "sys/mount.h", "sys/epoll.h", "linux/kcmp.h", "linux/ptrace.h", "linux/futex.h",
	"linux/kernel.h", "linux/fcntl.h", "alloca.h", "sys/capability.h", "linux/sched.h", "sys/xattr.h",
	"sys/timerfd.h", "sys/signalfd.h", "spawn.h", "dlfcn.h", "execinfo.h", "fnmatch.h", "glob.h", "ftw.h", "search.h",
	"linux/close_range.h", "linux/membarrier.h", "sys/ucontext.h", "linux/mempolicy.h", "linux/capability.h",
}

// syscallHeaders bring the system call numbers (__NR_*, SYS_*).
var syscallHeaders = map[string]bool{
	"sys/syscall.h": true, "asm/unistd.h": true, "syscall.h": true, "linux/unistd.h": true,
	"asm-generic/unistd.h": true, "asm/unistd_64.h": true,
}

func init() {
	for h := range syscallHeaders {
		knownHeaders[h] = true
	}
	for _, h := range libHeaders {
		knownHeaders[h] = true
	}
	for _, proto := range notProvided {
		name := protoName(proto)
		def(proto, func(m *machine, p *proc, a []int64) (int64, bres) { return 0, m.notProvided(name) })
	}
}

// notProvided are C library functions programs call that the playground
// does not have (more of threads than threads.go's, System V and POSIX IPC objects, directories,
// malloc's introspection, exec).
var notProvided = []string{
	"int pthread_cancel(unsigned long thread)",
	"int pthread_kill(unsigned long thread, int sig)",
	"int pthread_once(int *once, void (*fn)(void))",
	"int ftok(const char *path, int id)",
	"int shmget(int key, unsigned long size, int flags)",
	"void *shmat(int id, const void *addr, int flags)",
	"int shmdt(const void *addr)",
	"int shmctl(int id, int cmd, void *buf)",
	"int semget(int key, int n, int flags)",
	"int semop(int id, void *ops, unsigned long n)",
	"int semctl(int id, int n, int cmd, ...)",
	"void *sem_open(const char *name, int flags, ...)",
	"int sem_close(void *s)",
	"int sem_unlink(const char *name)",
	"char *tmpnam(char *s)",
	"int execl(const char *path, const char *arg, ...)",
	"int execlp(const char *file, const char *arg, ...)",
	"int execle(const char *path, const char *arg, ...)",
	"int execvp(const char *file, char *const argv[])",
	"int posix_spawn(int *pid, const char *path, const void *fa, const void *attr, char *const argv[], char *const envp[])",
	"int scandir(const char *dir, void *list, void *filter, void *cmp)",
	"int on_exit(void (*fn)(int, void *), void *arg)",
	"int setenv(const char *name, const char *value, int overwrite)",
	"int unsetenv(const char *name)",
	"int putenv(char *s)",
	"int sigwait(const sigset_t *set, int *sig)",
	"int siginterrupt(int sig, int flag)",
	"int mallopt(int param, int value)",
	"int malloc_trim(unsigned long pad)",
	"unsigned long malloc_usable_size(void *p)",
	"int backtrace(void **buf, int n)",
	"FILE *fmemopen(void *buf, unsigned long size, const char *mode)",
	"FILE *open_memstream(char **buf, unsigned long *size)",
	"int getopt_long(int argc, char *const argv[], const char *opts, const void *longopts, int *idx)",
	"char *setlocale(int cat, const char *locale)",
	"int strerror_r(int e, char *buf, unsigned long n)",
	"double strtod(const char *s, char **end)",
	"float strtof(const char *s, char **end)",
	"int getpriority(int which, unsigned int who)",
	"int setpriority(int which, unsigned int who, int prio)",
	"int nice(int inc)",
	"int timer_create(int clock, void *ev, void *id)",
	"int getdtablesize(void)",
}

// libMacros are the constants of these headers, with glibc 2.36's and
// Linux's values on x86-64 (measured with gcc here). RLIM_INFINITY and the
// feature macros' meaning: this C library has what the name says
// (_POSIX_MAPPED_FILES, _POSIX_MEMORY_PROTECTION...), or the call is
// refused when it runs.
var libMacros = []string{
	"_IOFBF 0",
	"_IOLBF 1",
	"_IONBF 2",
	"MAP_FILE 0",
	"F_OK 0",
	"R_OK 4",
	"W_OK 2",
	"X_OK 1",
	// <linux/prctl.h>'s arguments of options the model does not answer
	// (the options are engine's PrctlSet).
	"PR_SET_VMA_ANON_NAME 0", "PR_TSC_ENABLE 1", "PR_TSC_SIGSEGV 2",
	"AF_LOCAL 1",
	"M_MXFAST 1",
	"M_TRIM_THRESHOLD -1",
	"M_TOP_PAD -2",
	"M_MMAP_THRESHOLD -3",
	"M_MMAP_MAX -4",
	"M_CHECK_ACTION -5",
	"M_PERTURB -6",
	"M_ARENA_TEST -7",
	"M_ARENA_MAX -8",
	"_POSIX_VERSION 200809",
	"_POSIX2_VERSION 200809",
	"_XOPEN_VERSION 700",
	"_POSIX_MAPPED_FILES 200809",
	"_POSIX_MEMLOCK 200809",
	"_POSIX_MEMLOCK_RANGE 200809",
	"_POSIX_MEMORY_PROTECTION 200809",
	"_POSIX_SYNCHRONIZED_IO 200809",
	"_POSIX_FSYNC 200809",
	"_POSIX_SHARED_MEMORY_OBJECTS 200809",
	"_POSIX_ADVISORY_INFO 200809",
	"_POSIX_THREADS 200809",
	"_POSIX_SEMAPHORES 200809",
	"_POSIX_TIMERS 200809",
	"_POSIX_MONOTONIC_CLOCK 0",
	"_POSIX_JOB_CONTROL 1",
	"_POSIX_SAVED_IDS 1",
	"_POSIX_REALTIME_SIGNALS 200809",
	"_POSIX_PRIORITY_SCHEDULING 200809",
	"_POSIX_ASYNCHRONOUS_IO 200809",
	"_POSIX_CPUTIME 0",
	"_POSIX_RAW_SOCKETS 200809",
	"_POSIX_SPAWN 200809",
	"_POSIX_TYPED_MEMORY_OBJECTS -1",
	"_SC_ARG_MAX 0",
	"_SC_CHILD_MAX 1",
	"_SC_CLK_TCK 2",
	"_SC_NGROUPS_MAX 3",
	"_SC_OPEN_MAX 4",
	"_SC_STREAM_MAX 5",
	"_SC_TZNAME_MAX 6",
	"_SC_JOB_CONTROL 7",
	"_SC_SAVED_IDS 8",
	"_SC_VERSION 29",
	"_SC_MAPPED_FILES 16",
	"_SC_MEMLOCK 17",
	"_SC_MEMLOCK_RANGE 18",
	"_SC_MEMORY_PROTECTION 19",
	"_SC_SYNCHRONIZED_IO 14",
	"_SC_FSYNC 15",
	"_SC_SHARED_MEMORY_OBJECTS 22",
	"_SC_AVPHYS_PAGES 86",
	"_SC_LINE_MAX 43",
	"_SC_HOST_NAME_MAX 180",
	"_SC_LEVEL1_DCACHE_LINESIZE 190",
	"_SC_THREAD_STACK_MIN 75",
	"_SC_IOV_MAX 60",
	"_SC_MQ_OPEN_MAX 27",
	"_SC_SIGQUEUE_MAX 34",
	"_SC_RTSIG_MAX 31",
	"RLIM_INFINITY (~0UL)", "RLIM_SAVED_MAX RLIM_INFINITY", "RLIM_SAVED_CUR RLIM_INFINITY",
	"__GLIBC__ 2", "__GLIBC_MINOR__ 36", "__GNU_LIBRARY__ 6",
	"__BEGIN_DECLS", "__END_DECLS", "__THROW", "__wur", "__nonnull(x)", "__attribute_pure__",
	"_UTSNAME_LENGTH 65", "HOST_NAME_MAX 64", "NAME_MAX 255", "IOV_MAX 1024",
	"major(d) ((unsigned int)((((d) >> 32) & 0xfffff000) | (((d) >> 8) & 0xfff)))",
	"minor(d) ((unsigned int)((((d) >> 12) & 0xffffff00) | ((d) & 0xff)))",
	"makedev(ma, mi) ((((unsigned long)(ma) & 0xfffff000UL) << 32) | (((unsigned long)(ma) & 0xfffUL) << 8) | (((unsigned long)(mi) & 0xffffff00UL) << 12) | ((unsigned long)(mi) & 0xffUL))",
	"MIN(a, b) (((a) < (b)) ? (a) : (b))", "MAX(a, b) (((a) > (b)) ? (a) : (b))",
	"howmany(x, y) (((x) + ((y) - 1)) / (y))", "roundup(x, y) ((((x) + ((y) - 1)) / (y)) * (y))",
	"powerof2(x) ((((x) - 1) & (x)) == 0)", "NBBY 8",
	"setbuf(f, b) setvbuf((f), (b), (b) ? _IOFBF : _IONBF, BUFSIZ)",
	"setlinebuf(f) setvbuf((f), 0, _IOLBF, 0)",
	"mmap64 mmap", "pread64 pread", "pwrite64 pwrite", "lseek64 lseek", "ftruncate64 ftruncate", "fstat64 fstat",
	"stat64 stat", "open64 open",
	"WSTOPSIG(s) WEXITSTATUS(s)", "WIFCONTINUED(s) ((s) == 0xffff)", "W_EXITCODE(ret, sig) ((ret) << 8 | (sig))",
	"AT_NULL 0", "AT_PHDR 3", "AT_PAGESZ 6", "AT_BASE 7", "AT_ENTRY 9", "AT_UID 11", "AT_EUID 12", "AT_GID 13", "AT_EGID 14",
	"AT_PLATFORM 15", "AT_HWCAP 16", "AT_CLKTCK 17", "AT_SECURE 23", "AT_RANDOM 25", "AT_HWCAP2 26", "AT_EXECFN 31",
	"AT_SYSINFO_EHDR 33", "AT_MINSIGSTKSZ 51",
	"IPC_CREAT 01000", "IPC_EXCL 02000", "IPC_NOWAIT 04000", "IPC_PRIVATE 0", "IPC_RMID 0", "IPC_SET 1", "IPC_STAT 2",
	"SHM_RDONLY 010000", "SHM_RND 020000", "SHM_REMAP 040000", "SHM_EXEC 0100000", "SETVAL 16", "GETVAL 12",
	"SHM_HUGETLB 04000", "SHM_NORESERVE 010000", "SHM_LOCK 11", "SHM_UNLOCK 12",
	"IPC_INFO 3", "SHM_STAT 13", "SHM_INFO 14", "SHM_STAT_ANY 15",
	"MS_RDONLY 1", "MS_NOSUID 2", "MS_NODEV 4", "MS_NOEXEC 8", "MS_SYNCHRONOUS 16", "MS_REMOUNT 32", "MS_MANDLOCK 64",
	"MS_DIRSYNC 128", "MS_NOSYMFOLLOW 256", "MS_NOATIME 1024", "MS_NODIRATIME 2048", "MS_SILENT 32768",
	"MS_UNBINDABLE 131072", "MS_RELATIME 2097152", "MS_STRICTATIME 16777216", "MS_LAZYTIME 33554432",
	"MS_BIND 4096", "MS_MOVE 8192",
	"MS_REC 16384", "MS_PRIVATE 262144", "MS_SLAVE 524288", "MS_SHARED 1048576", "MNT_DETACH 2", "MNT_FORCE 1",
	"PTRACE_TRACEME 0", "PTRACE_PEEKTEXT 1", "PTRACE_PEEKDATA 2", "PTRACE_POKEDATA 5", "PTRACE_CONT 7", "PTRACE_KILL 8",
	"PTRACE_ATTACH 16", "PTRACE_DETACH 17", "PTRACE_SEIZE 0x4206", "PTRACE_INTERRUPT 0x4207", "PTRACE_PEEKSIGINFO 0x4209",
	"FUTEX_BITSET_MATCH_ANY 0xffffffff", "FUTEX_WAITERS 0x80000000", "FUTEX_OWNER_DIED 0x40000000",
	"FUTEX_TID_MASK 0x3fffffff",
	"DT_UNKNOWN 0", "DT_FIFO 1", "DT_CHR 2", "DT_DIR 4", "DT_BLK 6", "DT_REG 8", "DT_LNK 10", "DT_SOCK 12",
	"EPOLL_CLOEXEC 0x80000", "EPOLL_CTL_ADD 1", "EPOLL_CTL_DEL 2", "EPOLL_CTL_MOD 3", "EPOLLIN 1", "EPOLLOUT 4",
	"EPOLLERR 8", "EPOLLHUP 16", "EPOLLET 0x80000000U",
	"P_ALL 0", "P_PID 1", "P_PGID 2", "P_PIDFD 3",
	"CLONE_IO 0x80000000UL", "CLONE_CLEAR_SIGHAND 0x100000000ULL", "CLONE_INTO_CGROUP 0x200000000ULL",
	"PF_UNSPEC 0", "PF_LOCAL 1", "PF_UNIX 1", "PF_INET 2", "AF_UNSPEC 0",
	"SS_ONSTACK 1", "SS_DISABLE 2", "MINSIGSTKSZ 2048", "SIGSTKSZ 8192",
	"CLOCK_PROCESS_CPUTIME_ID 2", "CLOCK_THREAD_CPUTIME_ID 3", "CLOCK_MONOTONIC_RAW 4", "CLOCK_REALTIME_COARSE 5",
	"CLOCK_MONOTONIC_COARSE 6", "CLOCK_BOOTTIME 7", "CLOCK_REALTIME_ALARM 8", "CLOCK_BOOTTIME_ALARM 9", "CLOCK_TAI 11",
	"__WNOTHREAD 0x20000000", "__WALL 0x40000000", "__WCLONE 0x80000000",
	"PTRACE_PEEKSIGINFO_SHARED 1",
	"SHM_R 0400", "SHM_W 0200",
	"_SC_ATEXIT_MAX 87",
	"RTLD_LAZY 1", "RTLD_NOW 2", "RTLD_NOLOAD 4", "RTLD_DEEPBIND 8", "RTLD_GLOBAL 0x100", "RTLD_LOCAL 0", "RTLD_NODELETE 0x1000",
	"FUTEX_32 2", "FUTEX_WAITV_MAX 128",
	"KCMP_FILE 0", "KCMP_VM 1", "KCMP_FILES 2", "KCMP_FS 3", "KCMP_SIGHAND 4", "KCMP_IO 5", "KCMP_SYSVSEM 6", "KCMP_EPOLL_TFD 7", "KCMP_TYPES 8",
	"MCHECK_DISABLED (-1)", "MCHECK_OK 0", "MCHECK_FREE 1", "MCHECK_HEAD 2", "MCHECK_TAIL 3",
	"PTHREAD_MUTEX_INITIALIZER { { 0 } }", "PTHREAD_COND_INITIALIZER { { 0 } }", "PTHREAD_ONCE_INIT 0",
}
