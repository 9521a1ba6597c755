package engine

// The x86-64 system call numbers of the kernel this machine runs (6.18), as
// arch/x86/entry/syscalls/syscall_64.tbl assigns them: 0-450 taken once
// from linux-libc-dev 6.1's asm/unistd_64.h, uretprobe (335, Linux 6.11)
// and 451-462 from linux-source-6.12's table, 463-469 from 6.13-6.17's
// (each answers this kernel with something other than ENOSYS, and 470 does
// not exist here). This file is the source now: the interpreter's
// <sys/syscall.h> (__NR_*, SYS_*), the trace and the engines' dispatch all
// read it. TestNamesAreGlibcs holds it to glibc's <sys/syscall.h>, and the
// corpus's TestSyscallTable to the kernel's table and to this kernel.

// Sysno is an x86-64 system call number, as __NR_* and SYS_* define it.
type Sysno int

// System call numbers on x86-64 (arch/x86/entry/syscalls/syscall_64.tbl).
const (
	SYS_read                    Sysno = 0
	SYS_write                   Sysno = 1
	SYS_open                    Sysno = 2
	SYS_close                   Sysno = 3
	SYS_stat                    Sysno = 4
	SYS_fstat                   Sysno = 5
	SYS_lstat                   Sysno = 6
	SYS_poll                    Sysno = 7
	SYS_lseek                   Sysno = 8
	SYS_mmap                    Sysno = 9
	SYS_mprotect                Sysno = 10
	SYS_munmap                  Sysno = 11
	SYS_brk                     Sysno = 12
	SYS_rt_sigaction            Sysno = 13
	SYS_rt_sigprocmask          Sysno = 14
	SYS_rt_sigreturn            Sysno = 15
	SYS_ioctl                   Sysno = 16
	SYS_pread64                 Sysno = 17
	SYS_pwrite64                Sysno = 18
	SYS_readv                   Sysno = 19
	SYS_writev                  Sysno = 20
	SYS_access                  Sysno = 21
	SYS_pipe                    Sysno = 22
	SYS_select                  Sysno = 23
	SYS_sched_yield             Sysno = 24
	SYS_mremap                  Sysno = 25
	SYS_msync                   Sysno = 26
	SYS_mincore                 Sysno = 27
	SYS_madvise                 Sysno = 28
	SYS_shmget                  Sysno = 29
	SYS_shmat                   Sysno = 30
	SYS_shmctl                  Sysno = 31
	SYS_dup                     Sysno = 32
	SYS_dup2                    Sysno = 33
	SYS_pause                   Sysno = 34
	SYS_nanosleep               Sysno = 35
	SYS_getitimer               Sysno = 36
	SYS_alarm                   Sysno = 37
	SYS_setitimer               Sysno = 38
	SYS_getpid                  Sysno = 39
	SYS_sendfile                Sysno = 40
	SYS_socket                  Sysno = 41
	SYS_connect                 Sysno = 42
	SYS_accept                  Sysno = 43
	SYS_sendto                  Sysno = 44
	SYS_recvfrom                Sysno = 45
	SYS_sendmsg                 Sysno = 46
	SYS_recvmsg                 Sysno = 47
	SYS_shutdown                Sysno = 48
	SYS_bind                    Sysno = 49
	SYS_listen                  Sysno = 50
	SYS_getsockname             Sysno = 51
	SYS_getpeername             Sysno = 52
	SYS_socketpair              Sysno = 53
	SYS_setsockopt              Sysno = 54
	SYS_getsockopt              Sysno = 55
	SYS_clone                   Sysno = 56
	SYS_fork                    Sysno = 57
	SYS_vfork                   Sysno = 58
	SYS_execve                  Sysno = 59
	SYS_exit                    Sysno = 60
	SYS_wait4                   Sysno = 61
	SYS_kill                    Sysno = 62
	SYS_uname                   Sysno = 63
	SYS_semget                  Sysno = 64
	SYS_semop                   Sysno = 65
	SYS_semctl                  Sysno = 66
	SYS_shmdt                   Sysno = 67
	SYS_msgget                  Sysno = 68
	SYS_msgsnd                  Sysno = 69
	SYS_msgrcv                  Sysno = 70
	SYS_msgctl                  Sysno = 71
	SYS_fcntl                   Sysno = 72
	SYS_flock                   Sysno = 73
	SYS_fsync                   Sysno = 74
	SYS_fdatasync               Sysno = 75
	SYS_truncate                Sysno = 76
	SYS_ftruncate               Sysno = 77
	SYS_getdents                Sysno = 78
	SYS_getcwd                  Sysno = 79
	SYS_chdir                   Sysno = 80
	SYS_fchdir                  Sysno = 81
	SYS_rename                  Sysno = 82
	SYS_mkdir                   Sysno = 83
	SYS_rmdir                   Sysno = 84
	SYS_creat                   Sysno = 85
	SYS_link                    Sysno = 86
	SYS_unlink                  Sysno = 87
	SYS_symlink                 Sysno = 88
	SYS_readlink                Sysno = 89
	SYS_chmod                   Sysno = 90
	SYS_fchmod                  Sysno = 91
	SYS_chown                   Sysno = 92
	SYS_fchown                  Sysno = 93
	SYS_lchown                  Sysno = 94
	SYS_umask                   Sysno = 95
	SYS_gettimeofday            Sysno = 96
	SYS_getrlimit               Sysno = 97
	SYS_getrusage               Sysno = 98
	SYS_sysinfo                 Sysno = 99
	SYS_times                   Sysno = 100
	SYS_ptrace                  Sysno = 101
	SYS_getuid                  Sysno = 102
	SYS_syslog                  Sysno = 103
	SYS_getgid                  Sysno = 104
	SYS_setuid                  Sysno = 105
	SYS_setgid                  Sysno = 106
	SYS_geteuid                 Sysno = 107
	SYS_getegid                 Sysno = 108
	SYS_setpgid                 Sysno = 109
	SYS_getppid                 Sysno = 110
	SYS_getpgrp                 Sysno = 111
	SYS_setsid                  Sysno = 112
	SYS_setreuid                Sysno = 113
	SYS_setregid                Sysno = 114
	SYS_getgroups               Sysno = 115
	SYS_setgroups               Sysno = 116
	SYS_setresuid               Sysno = 117
	SYS_getresuid               Sysno = 118
	SYS_setresgid               Sysno = 119
	SYS_getresgid               Sysno = 120
	SYS_getpgid                 Sysno = 121
	SYS_setfsuid                Sysno = 122
	SYS_setfsgid                Sysno = 123
	SYS_getsid                  Sysno = 124
	SYS_capget                  Sysno = 125
	SYS_capset                  Sysno = 126
	SYS_rt_sigpending           Sysno = 127
	SYS_rt_sigtimedwait         Sysno = 128
	SYS_rt_sigqueueinfo         Sysno = 129
	SYS_rt_sigsuspend           Sysno = 130
	SYS_sigaltstack             Sysno = 131
	SYS_utime                   Sysno = 132
	SYS_mknod                   Sysno = 133
	SYS_uselib                  Sysno = 134
	SYS_personality             Sysno = 135
	SYS_ustat                   Sysno = 136
	SYS_statfs                  Sysno = 137
	SYS_fstatfs                 Sysno = 138
	SYS_sysfs                   Sysno = 139
	SYS_getpriority             Sysno = 140
	SYS_setpriority             Sysno = 141
	SYS_sched_setparam          Sysno = 142
	SYS_sched_getparam          Sysno = 143
	SYS_sched_setscheduler      Sysno = 144
	SYS_sched_getscheduler      Sysno = 145
	SYS_sched_get_priority_max  Sysno = 146
	SYS_sched_get_priority_min  Sysno = 147
	SYS_sched_rr_get_interval   Sysno = 148
	SYS_mlock                   Sysno = 149
	SYS_munlock                 Sysno = 150
	SYS_mlockall                Sysno = 151
	SYS_munlockall              Sysno = 152
	SYS_vhangup                 Sysno = 153
	SYS_modify_ldt              Sysno = 154
	SYS_pivot_root              Sysno = 155
	SYS__sysctl                 Sysno = 156
	SYS_prctl                   Sysno = 157
	SYS_arch_prctl              Sysno = 158
	SYS_adjtimex                Sysno = 159
	SYS_setrlimit               Sysno = 160
	SYS_chroot                  Sysno = 161
	SYS_sync                    Sysno = 162
	SYS_acct                    Sysno = 163
	SYS_settimeofday            Sysno = 164
	SYS_mount                   Sysno = 165
	SYS_umount2                 Sysno = 166
	SYS_swapon                  Sysno = 167
	SYS_swapoff                 Sysno = 168
	SYS_reboot                  Sysno = 169
	SYS_sethostname             Sysno = 170
	SYS_setdomainname           Sysno = 171
	SYS_iopl                    Sysno = 172
	SYS_ioperm                  Sysno = 173
	SYS_create_module           Sysno = 174
	SYS_init_module             Sysno = 175
	SYS_delete_module           Sysno = 176
	SYS_get_kernel_syms         Sysno = 177
	SYS_query_module            Sysno = 178
	SYS_quotactl                Sysno = 179
	SYS_nfsservctl              Sysno = 180
	SYS_getpmsg                 Sysno = 181
	SYS_putpmsg                 Sysno = 182
	SYS_afs_syscall             Sysno = 183
	SYS_tuxcall                 Sysno = 184
	SYS_security                Sysno = 185
	SYS_gettid                  Sysno = 186
	SYS_readahead               Sysno = 187
	SYS_setxattr                Sysno = 188
	SYS_lsetxattr               Sysno = 189
	SYS_fsetxattr               Sysno = 190
	SYS_getxattr                Sysno = 191
	SYS_lgetxattr               Sysno = 192
	SYS_fgetxattr               Sysno = 193
	SYS_listxattr               Sysno = 194
	SYS_llistxattr              Sysno = 195
	SYS_flistxattr              Sysno = 196
	SYS_removexattr             Sysno = 197
	SYS_lremovexattr            Sysno = 198
	SYS_fremovexattr            Sysno = 199
	SYS_tkill                   Sysno = 200
	SYS_time                    Sysno = 201
	SYS_futex                   Sysno = 202
	SYS_sched_setaffinity       Sysno = 203
	SYS_sched_getaffinity       Sysno = 204
	SYS_set_thread_area         Sysno = 205
	SYS_io_setup                Sysno = 206
	SYS_io_destroy              Sysno = 207
	SYS_io_getevents            Sysno = 208
	SYS_io_submit               Sysno = 209
	SYS_io_cancel               Sysno = 210
	SYS_get_thread_area         Sysno = 211
	SYS_lookup_dcookie          Sysno = 212
	SYS_epoll_create            Sysno = 213
	SYS_epoll_ctl_old           Sysno = 214
	SYS_epoll_wait_old          Sysno = 215
	SYS_remap_file_pages        Sysno = 216
	SYS_getdents64              Sysno = 217
	SYS_set_tid_address         Sysno = 218
	SYS_restart_syscall         Sysno = 219
	SYS_semtimedop              Sysno = 220
	SYS_fadvise64               Sysno = 221
	SYS_timer_create            Sysno = 222
	SYS_timer_settime           Sysno = 223
	SYS_timer_gettime           Sysno = 224
	SYS_timer_getoverrun        Sysno = 225
	SYS_timer_delete            Sysno = 226
	SYS_clock_settime           Sysno = 227
	SYS_clock_gettime           Sysno = 228
	SYS_clock_getres            Sysno = 229
	SYS_clock_nanosleep         Sysno = 230
	SYS_exit_group              Sysno = 231
	SYS_epoll_wait              Sysno = 232
	SYS_epoll_ctl               Sysno = 233
	SYS_tgkill                  Sysno = 234
	SYS_utimes                  Sysno = 235
	SYS_vserver                 Sysno = 236
	SYS_mbind                   Sysno = 237
	SYS_set_mempolicy           Sysno = 238
	SYS_get_mempolicy           Sysno = 239
	SYS_mq_open                 Sysno = 240
	SYS_mq_unlink               Sysno = 241
	SYS_mq_timedsend            Sysno = 242
	SYS_mq_timedreceive         Sysno = 243
	SYS_mq_notify               Sysno = 244
	SYS_mq_getsetattr           Sysno = 245
	SYS_kexec_load              Sysno = 246
	SYS_waitid                  Sysno = 247
	SYS_add_key                 Sysno = 248
	SYS_request_key             Sysno = 249
	SYS_keyctl                  Sysno = 250
	SYS_ioprio_set              Sysno = 251
	SYS_ioprio_get              Sysno = 252
	SYS_inotify_init            Sysno = 253
	SYS_inotify_add_watch       Sysno = 254
	SYS_inotify_rm_watch        Sysno = 255
	SYS_migrate_pages           Sysno = 256
	SYS_openat                  Sysno = 257
	SYS_mkdirat                 Sysno = 258
	SYS_mknodat                 Sysno = 259
	SYS_fchownat                Sysno = 260
	SYS_futimesat               Sysno = 261
	SYS_newfstatat              Sysno = 262
	SYS_unlinkat                Sysno = 263
	SYS_renameat                Sysno = 264
	SYS_linkat                  Sysno = 265
	SYS_symlinkat               Sysno = 266
	SYS_readlinkat              Sysno = 267
	SYS_fchmodat                Sysno = 268
	SYS_faccessat               Sysno = 269
	SYS_pselect6                Sysno = 270
	SYS_ppoll                   Sysno = 271
	SYS_unshare                 Sysno = 272
	SYS_set_robust_list         Sysno = 273
	SYS_get_robust_list         Sysno = 274
	SYS_splice                  Sysno = 275
	SYS_tee                     Sysno = 276
	SYS_sync_file_range         Sysno = 277
	SYS_vmsplice                Sysno = 278
	SYS_move_pages              Sysno = 279
	SYS_utimensat               Sysno = 280
	SYS_epoll_pwait             Sysno = 281
	SYS_signalfd                Sysno = 282
	SYS_timerfd_create          Sysno = 283
	SYS_eventfd                 Sysno = 284
	SYS_fallocate               Sysno = 285
	SYS_timerfd_settime         Sysno = 286
	SYS_timerfd_gettime         Sysno = 287
	SYS_accept4                 Sysno = 288
	SYS_signalfd4               Sysno = 289
	SYS_eventfd2                Sysno = 290
	SYS_epoll_create1           Sysno = 291
	SYS_dup3                    Sysno = 292
	SYS_pipe2                   Sysno = 293
	SYS_inotify_init1           Sysno = 294
	SYS_preadv                  Sysno = 295
	SYS_pwritev                 Sysno = 296
	SYS_rt_tgsigqueueinfo       Sysno = 297
	SYS_perf_event_open         Sysno = 298
	SYS_recvmmsg                Sysno = 299
	SYS_fanotify_init           Sysno = 300
	SYS_fanotify_mark           Sysno = 301
	SYS_prlimit64               Sysno = 302
	SYS_name_to_handle_at       Sysno = 303
	SYS_open_by_handle_at       Sysno = 304
	SYS_clock_adjtime           Sysno = 305
	SYS_syncfs                  Sysno = 306
	SYS_sendmmsg                Sysno = 307
	SYS_setns                   Sysno = 308
	SYS_getcpu                  Sysno = 309
	SYS_process_vm_readv        Sysno = 310
	SYS_process_vm_writev       Sysno = 311
	SYS_kcmp                    Sysno = 312
	SYS_finit_module            Sysno = 313
	SYS_sched_setattr           Sysno = 314
	SYS_sched_getattr           Sysno = 315
	SYS_renameat2               Sysno = 316
	SYS_seccomp                 Sysno = 317
	SYS_getrandom               Sysno = 318
	SYS_memfd_create            Sysno = 319
	SYS_kexec_file_load         Sysno = 320
	SYS_bpf                     Sysno = 321
	SYS_execveat                Sysno = 322
	SYS_userfaultfd             Sysno = 323
	SYS_membarrier              Sysno = 324
	SYS_mlock2                  Sysno = 325
	SYS_copy_file_range         Sysno = 326
	SYS_preadv2                 Sysno = 327
	SYS_pwritev2                Sysno = 328
	SYS_pkey_mprotect           Sysno = 329
	SYS_pkey_alloc              Sysno = 330
	SYS_pkey_free               Sysno = 331
	SYS_statx                   Sysno = 332
	SYS_io_pgetevents           Sysno = 333
	SYS_rseq                    Sysno = 334
	SYS_uretprobe               Sysno = 335
	SYS_pidfd_send_signal       Sysno = 424
	SYS_io_uring_setup          Sysno = 425
	SYS_io_uring_enter          Sysno = 426
	SYS_io_uring_register       Sysno = 427
	SYS_open_tree               Sysno = 428
	SYS_move_mount              Sysno = 429
	SYS_fsopen                  Sysno = 430
	SYS_fsconfig                Sysno = 431
	SYS_fsmount                 Sysno = 432
	SYS_fspick                  Sysno = 433
	SYS_pidfd_open              Sysno = 434
	SYS_clone3                  Sysno = 435
	SYS_close_range             Sysno = 436
	SYS_openat2                 Sysno = 437
	SYS_pidfd_getfd             Sysno = 438
	SYS_faccessat2              Sysno = 439
	SYS_process_madvise         Sysno = 440
	SYS_epoll_pwait2            Sysno = 441
	SYS_mount_setattr           Sysno = 442
	SYS_quotactl_fd             Sysno = 443
	SYS_landlock_create_ruleset Sysno = 444
	SYS_landlock_add_rule       Sysno = 445
	SYS_landlock_restrict_self  Sysno = 446
	SYS_memfd_secret            Sysno = 447
	SYS_process_mrelease        Sysno = 448
	SYS_futex_waitv             Sysno = 449
	SYS_set_mempolicy_home_node Sysno = 450
	SYS_cachestat               Sysno = 451
	SYS_fchmodat2               Sysno = 452
	SYS_map_shadow_stack        Sysno = 453
	SYS_futex_wake              Sysno = 454
	SYS_futex_wait              Sysno = 455
	SYS_futex_requeue           Sysno = 456
	SYS_statmount               Sysno = 457
	SYS_listmount               Sysno = 458
	SYS_lsm_get_self_attr       Sysno = 459
	SYS_lsm_set_self_attr       Sysno = 460
	SYS_lsm_list_modules        Sysno = 461
	SYS_mseal                   Sysno = 462
	SYS_setxattrat              Sysno = 463
	SYS_getxattrat              Sysno = 464
	SYS_listxattrat             Sysno = 465
	SYS_removexattrat           Sysno = 466
	SYS_open_tree_attr          Sysno = 467
	SYS_file_getattr            Sysno = 468
	SYS_file_setattr            Sysno = 469
)

var sysNames = [...]string{
	SYS_read:                    "read",
	SYS_write:                   "write",
	SYS_open:                    "open",
	SYS_close:                   "close",
	SYS_stat:                    "stat",
	SYS_fstat:                   "fstat",
	SYS_lstat:                   "lstat",
	SYS_poll:                    "poll",
	SYS_lseek:                   "lseek",
	SYS_mmap:                    "mmap",
	SYS_mprotect:                "mprotect",
	SYS_munmap:                  "munmap",
	SYS_brk:                     "brk",
	SYS_rt_sigaction:            "rt_sigaction",
	SYS_rt_sigprocmask:          "rt_sigprocmask",
	SYS_rt_sigreturn:            "rt_sigreturn",
	SYS_ioctl:                   "ioctl",
	SYS_pread64:                 "pread64",
	SYS_pwrite64:                "pwrite64",
	SYS_readv:                   "readv",
	SYS_writev:                  "writev",
	SYS_access:                  "access",
	SYS_pipe:                    "pipe",
	SYS_select:                  "select",
	SYS_sched_yield:             "sched_yield",
	SYS_mremap:                  "mremap",
	SYS_msync:                   "msync",
	SYS_mincore:                 "mincore",
	SYS_madvise:                 "madvise",
	SYS_shmget:                  "shmget",
	SYS_shmat:                   "shmat",
	SYS_shmctl:                  "shmctl",
	SYS_dup:                     "dup",
	SYS_dup2:                    "dup2",
	SYS_pause:                   "pause",
	SYS_nanosleep:               "nanosleep",
	SYS_getitimer:               "getitimer",
	SYS_alarm:                   "alarm",
	SYS_setitimer:               "setitimer",
	SYS_getpid:                  "getpid",
	SYS_sendfile:                "sendfile",
	SYS_socket:                  "socket",
	SYS_connect:                 "connect",
	SYS_accept:                  "accept",
	SYS_sendto:                  "sendto",
	SYS_recvfrom:                "recvfrom",
	SYS_sendmsg:                 "sendmsg",
	SYS_recvmsg:                 "recvmsg",
	SYS_shutdown:                "shutdown",
	SYS_bind:                    "bind",
	SYS_listen:                  "listen",
	SYS_getsockname:             "getsockname",
	SYS_getpeername:             "getpeername",
	SYS_socketpair:              "socketpair",
	SYS_setsockopt:              "setsockopt",
	SYS_getsockopt:              "getsockopt",
	SYS_clone:                   "clone",
	SYS_fork:                    "fork",
	SYS_vfork:                   "vfork",
	SYS_execve:                  "execve",
	SYS_exit:                    "exit",
	SYS_wait4:                   "wait4",
	SYS_kill:                    "kill",
	SYS_uname:                   "uname",
	SYS_semget:                  "semget",
	SYS_semop:                   "semop",
	SYS_semctl:                  "semctl",
	SYS_shmdt:                   "shmdt",
	SYS_msgget:                  "msgget",
	SYS_msgsnd:                  "msgsnd",
	SYS_msgrcv:                  "msgrcv",
	SYS_msgctl:                  "msgctl",
	SYS_fcntl:                   "fcntl",
	SYS_flock:                   "flock",
	SYS_fsync:                   "fsync",
	SYS_fdatasync:               "fdatasync",
	SYS_truncate:                "truncate",
	SYS_ftruncate:               "ftruncate",
	SYS_getdents:                "getdents",
	SYS_getcwd:                  "getcwd",
	SYS_chdir:                   "chdir",
	SYS_fchdir:                  "fchdir",
	SYS_rename:                  "rename",
	SYS_mkdir:                   "mkdir",
	SYS_rmdir:                   "rmdir",
	SYS_creat:                   "creat",
	SYS_link:                    "link",
	SYS_unlink:                  "unlink",
	SYS_symlink:                 "symlink",
	SYS_readlink:                "readlink",
	SYS_chmod:                   "chmod",
	SYS_fchmod:                  "fchmod",
	SYS_chown:                   "chown",
	SYS_fchown:                  "fchown",
	SYS_lchown:                  "lchown",
	SYS_umask:                   "umask",
	SYS_gettimeofday:            "gettimeofday",
	SYS_getrlimit:               "getrlimit",
	SYS_getrusage:               "getrusage",
	SYS_sysinfo:                 "sysinfo",
	SYS_times:                   "times",
	SYS_ptrace:                  "ptrace",
	SYS_getuid:                  "getuid",
	SYS_syslog:                  "syslog",
	SYS_getgid:                  "getgid",
	SYS_setuid:                  "setuid",
	SYS_setgid:                  "setgid",
	SYS_geteuid:                 "geteuid",
	SYS_getegid:                 "getegid",
	SYS_setpgid:                 "setpgid",
	SYS_getppid:                 "getppid",
	SYS_getpgrp:                 "getpgrp",
	SYS_setsid:                  "setsid",
	SYS_setreuid:                "setreuid",
	SYS_setregid:                "setregid",
	SYS_getgroups:               "getgroups",
	SYS_setgroups:               "setgroups",
	SYS_setresuid:               "setresuid",
	SYS_getresuid:               "getresuid",
	SYS_setresgid:               "setresgid",
	SYS_getresgid:               "getresgid",
	SYS_getpgid:                 "getpgid",
	SYS_setfsuid:                "setfsuid",
	SYS_setfsgid:                "setfsgid",
	SYS_getsid:                  "getsid",
	SYS_capget:                  "capget",
	SYS_capset:                  "capset",
	SYS_rt_sigpending:           "rt_sigpending",
	SYS_rt_sigtimedwait:         "rt_sigtimedwait",
	SYS_rt_sigqueueinfo:         "rt_sigqueueinfo",
	SYS_rt_sigsuspend:           "rt_sigsuspend",
	SYS_sigaltstack:             "sigaltstack",
	SYS_utime:                   "utime",
	SYS_mknod:                   "mknod",
	SYS_uselib:                  "uselib",
	SYS_personality:             "personality",
	SYS_ustat:                   "ustat",
	SYS_statfs:                  "statfs",
	SYS_fstatfs:                 "fstatfs",
	SYS_sysfs:                   "sysfs",
	SYS_getpriority:             "getpriority",
	SYS_setpriority:             "setpriority",
	SYS_sched_setparam:          "sched_setparam",
	SYS_sched_getparam:          "sched_getparam",
	SYS_sched_setscheduler:      "sched_setscheduler",
	SYS_sched_getscheduler:      "sched_getscheduler",
	SYS_sched_get_priority_max:  "sched_get_priority_max",
	SYS_sched_get_priority_min:  "sched_get_priority_min",
	SYS_sched_rr_get_interval:   "sched_rr_get_interval",
	SYS_mlock:                   "mlock",
	SYS_munlock:                 "munlock",
	SYS_mlockall:                "mlockall",
	SYS_munlockall:              "munlockall",
	SYS_vhangup:                 "vhangup",
	SYS_modify_ldt:              "modify_ldt",
	SYS_pivot_root:              "pivot_root",
	SYS__sysctl:                 "_sysctl",
	SYS_prctl:                   "prctl",
	SYS_arch_prctl:              "arch_prctl",
	SYS_adjtimex:                "adjtimex",
	SYS_setrlimit:               "setrlimit",
	SYS_chroot:                  "chroot",
	SYS_sync:                    "sync",
	SYS_acct:                    "acct",
	SYS_settimeofday:            "settimeofday",
	SYS_mount:                   "mount",
	SYS_umount2:                 "umount2",
	SYS_swapon:                  "swapon",
	SYS_swapoff:                 "swapoff",
	SYS_reboot:                  "reboot",
	SYS_sethostname:             "sethostname",
	SYS_setdomainname:           "setdomainname",
	SYS_iopl:                    "iopl",
	SYS_ioperm:                  "ioperm",
	SYS_create_module:           "create_module",
	SYS_init_module:             "init_module",
	SYS_delete_module:           "delete_module",
	SYS_get_kernel_syms:         "get_kernel_syms",
	SYS_query_module:            "query_module",
	SYS_quotactl:                "quotactl",
	SYS_nfsservctl:              "nfsservctl",
	SYS_getpmsg:                 "getpmsg",
	SYS_putpmsg:                 "putpmsg",
	SYS_afs_syscall:             "afs_syscall",
	SYS_tuxcall:                 "tuxcall",
	SYS_security:                "security",
	SYS_gettid:                  "gettid",
	SYS_readahead:               "readahead",
	SYS_setxattr:                "setxattr",
	SYS_lsetxattr:               "lsetxattr",
	SYS_fsetxattr:               "fsetxattr",
	SYS_getxattr:                "getxattr",
	SYS_lgetxattr:               "lgetxattr",
	SYS_fgetxattr:               "fgetxattr",
	SYS_listxattr:               "listxattr",
	SYS_llistxattr:              "llistxattr",
	SYS_flistxattr:              "flistxattr",
	SYS_removexattr:             "removexattr",
	SYS_lremovexattr:            "lremovexattr",
	SYS_fremovexattr:            "fremovexattr",
	SYS_tkill:                   "tkill",
	SYS_time:                    "time",
	SYS_futex:                   "futex",
	SYS_sched_setaffinity:       "sched_setaffinity",
	SYS_sched_getaffinity:       "sched_getaffinity",
	SYS_set_thread_area:         "set_thread_area",
	SYS_io_setup:                "io_setup",
	SYS_io_destroy:              "io_destroy",
	SYS_io_getevents:            "io_getevents",
	SYS_io_submit:               "io_submit",
	SYS_io_cancel:               "io_cancel",
	SYS_get_thread_area:         "get_thread_area",
	SYS_lookup_dcookie:          "lookup_dcookie",
	SYS_epoll_create:            "epoll_create",
	SYS_epoll_ctl_old:           "epoll_ctl_old",
	SYS_epoll_wait_old:          "epoll_wait_old",
	SYS_remap_file_pages:        "remap_file_pages",
	SYS_getdents64:              "getdents64",
	SYS_set_tid_address:         "set_tid_address",
	SYS_restart_syscall:         "restart_syscall",
	SYS_semtimedop:              "semtimedop",
	SYS_fadvise64:               "fadvise64",
	SYS_timer_create:            "timer_create",
	SYS_timer_settime:           "timer_settime",
	SYS_timer_gettime:           "timer_gettime",
	SYS_timer_getoverrun:        "timer_getoverrun",
	SYS_timer_delete:            "timer_delete",
	SYS_clock_settime:           "clock_settime",
	SYS_clock_gettime:           "clock_gettime",
	SYS_clock_getres:            "clock_getres",
	SYS_clock_nanosleep:         "clock_nanosleep",
	SYS_exit_group:              "exit_group",
	SYS_epoll_wait:              "epoll_wait",
	SYS_epoll_ctl:               "epoll_ctl",
	SYS_tgkill:                  "tgkill",
	SYS_utimes:                  "utimes",
	SYS_vserver:                 "vserver",
	SYS_mbind:                   "mbind",
	SYS_set_mempolicy:           "set_mempolicy",
	SYS_get_mempolicy:           "get_mempolicy",
	SYS_mq_open:                 "mq_open",
	SYS_mq_unlink:               "mq_unlink",
	SYS_mq_timedsend:            "mq_timedsend",
	SYS_mq_timedreceive:         "mq_timedreceive",
	SYS_mq_notify:               "mq_notify",
	SYS_mq_getsetattr:           "mq_getsetattr",
	SYS_kexec_load:              "kexec_load",
	SYS_waitid:                  "waitid",
	SYS_add_key:                 "add_key",
	SYS_request_key:             "request_key",
	SYS_keyctl:                  "keyctl",
	SYS_ioprio_set:              "ioprio_set",
	SYS_ioprio_get:              "ioprio_get",
	SYS_inotify_init:            "inotify_init",
	SYS_inotify_add_watch:       "inotify_add_watch",
	SYS_inotify_rm_watch:        "inotify_rm_watch",
	SYS_migrate_pages:           "migrate_pages",
	SYS_openat:                  "openat",
	SYS_mkdirat:                 "mkdirat",
	SYS_mknodat:                 "mknodat",
	SYS_fchownat:                "fchownat",
	SYS_futimesat:               "futimesat",
	SYS_newfstatat:              "newfstatat",
	SYS_unlinkat:                "unlinkat",
	SYS_renameat:                "renameat",
	SYS_linkat:                  "linkat",
	SYS_symlinkat:               "symlinkat",
	SYS_readlinkat:              "readlinkat",
	SYS_fchmodat:                "fchmodat",
	SYS_faccessat:               "faccessat",
	SYS_pselect6:                "pselect6",
	SYS_ppoll:                   "ppoll",
	SYS_unshare:                 "unshare",
	SYS_set_robust_list:         "set_robust_list",
	SYS_get_robust_list:         "get_robust_list",
	SYS_splice:                  "splice",
	SYS_tee:                     "tee",
	SYS_sync_file_range:         "sync_file_range",
	SYS_vmsplice:                "vmsplice",
	SYS_move_pages:              "move_pages",
	SYS_utimensat:               "utimensat",
	SYS_epoll_pwait:             "epoll_pwait",
	SYS_signalfd:                "signalfd",
	SYS_timerfd_create:          "timerfd_create",
	SYS_eventfd:                 "eventfd",
	SYS_fallocate:               "fallocate",
	SYS_timerfd_settime:         "timerfd_settime",
	SYS_timerfd_gettime:         "timerfd_gettime",
	SYS_accept4:                 "accept4",
	SYS_signalfd4:               "signalfd4",
	SYS_eventfd2:                "eventfd2",
	SYS_epoll_create1:           "epoll_create1",
	SYS_dup3:                    "dup3",
	SYS_pipe2:                   "pipe2",
	SYS_inotify_init1:           "inotify_init1",
	SYS_preadv:                  "preadv",
	SYS_pwritev:                 "pwritev",
	SYS_rt_tgsigqueueinfo:       "rt_tgsigqueueinfo",
	SYS_perf_event_open:         "perf_event_open",
	SYS_recvmmsg:                "recvmmsg",
	SYS_fanotify_init:           "fanotify_init",
	SYS_fanotify_mark:           "fanotify_mark",
	SYS_prlimit64:               "prlimit64",
	SYS_name_to_handle_at:       "name_to_handle_at",
	SYS_open_by_handle_at:       "open_by_handle_at",
	SYS_clock_adjtime:           "clock_adjtime",
	SYS_syncfs:                  "syncfs",
	SYS_sendmmsg:                "sendmmsg",
	SYS_setns:                   "setns",
	SYS_getcpu:                  "getcpu",
	SYS_process_vm_readv:        "process_vm_readv",
	SYS_process_vm_writev:       "process_vm_writev",
	SYS_kcmp:                    "kcmp",
	SYS_finit_module:            "finit_module",
	SYS_sched_setattr:           "sched_setattr",
	SYS_sched_getattr:           "sched_getattr",
	SYS_renameat2:               "renameat2",
	SYS_seccomp:                 "seccomp",
	SYS_getrandom:               "getrandom",
	SYS_memfd_create:            "memfd_create",
	SYS_kexec_file_load:         "kexec_file_load",
	SYS_bpf:                     "bpf",
	SYS_execveat:                "execveat",
	SYS_userfaultfd:             "userfaultfd",
	SYS_membarrier:              "membarrier",
	SYS_mlock2:                  "mlock2",
	SYS_copy_file_range:         "copy_file_range",
	SYS_preadv2:                 "preadv2",
	SYS_pwritev2:                "pwritev2",
	SYS_pkey_mprotect:           "pkey_mprotect",
	SYS_pkey_alloc:              "pkey_alloc",
	SYS_pkey_free:               "pkey_free",
	SYS_statx:                   "statx",
	SYS_io_pgetevents:           "io_pgetevents",
	SYS_rseq:                    "rseq",
	SYS_uretprobe:               "uretprobe",
	SYS_pidfd_send_signal:       "pidfd_send_signal",
	SYS_io_uring_setup:          "io_uring_setup",
	SYS_io_uring_enter:          "io_uring_enter",
	SYS_io_uring_register:       "io_uring_register",
	SYS_open_tree:               "open_tree",
	SYS_move_mount:              "move_mount",
	SYS_fsopen:                  "fsopen",
	SYS_fsconfig:                "fsconfig",
	SYS_fsmount:                 "fsmount",
	SYS_fspick:                  "fspick",
	SYS_pidfd_open:              "pidfd_open",
	SYS_clone3:                  "clone3",
	SYS_close_range:             "close_range",
	SYS_openat2:                 "openat2",
	SYS_pidfd_getfd:             "pidfd_getfd",
	SYS_faccessat2:              "faccessat2",
	SYS_process_madvise:         "process_madvise",
	SYS_epoll_pwait2:            "epoll_pwait2",
	SYS_mount_setattr:           "mount_setattr",
	SYS_quotactl_fd:             "quotactl_fd",
	SYS_landlock_create_ruleset: "landlock_create_ruleset",
	SYS_landlock_add_rule:       "landlock_add_rule",
	SYS_landlock_restrict_self:  "landlock_restrict_self",
	SYS_memfd_secret:            "memfd_secret",
	SYS_process_mrelease:        "process_mrelease",
	SYS_futex_waitv:             "futex_waitv",
	SYS_set_mempolicy_home_node: "set_mempolicy_home_node",
	SYS_cachestat:               "cachestat",
	SYS_fchmodat2:               "fchmodat2",
	SYS_map_shadow_stack:        "map_shadow_stack",
	SYS_futex_wake:              "futex_wake",
	SYS_futex_wait:              "futex_wait",
	SYS_futex_requeue:           "futex_requeue",
	SYS_statmount:               "statmount",
	SYS_listmount:               "listmount",
	SYS_lsm_get_self_attr:       "lsm_get_self_attr",
	SYS_lsm_set_self_attr:       "lsm_set_self_attr",
	SYS_lsm_list_modules:        "lsm_list_modules",
	SYS_mseal:                   "mseal",
	SYS_setxattrat:              "setxattrat",
	SYS_getxattrat:              "getxattrat",
	SYS_listxattrat:             "listxattrat",
	SYS_removexattrat:           "removexattrat",
	SYS_open_tree_attr:          "open_tree_attr",
	SYS_file_getattr:            "file_getattr",
	SYS_file_setattr:            "file_setattr",
}
