/* The library's struct layouts as glibc 2.36 lays them out on x86-64:
 * TestNative holds each size and offset to gcc's build. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stddef.h>
#include <signal.h>
#include <sys/statvfs.h>
#include <sched.h>
#include <malloc.h>
#include <elf.h>
#include <link.h>
#include <sys/epoll.h>
#include <linux/mman.h>
#include <linux/kcmp.h>

#define SIZE(t) printf("sizeof(%s) %zu\n", #t, sizeof(t))
#define OFF(t, m) printf("offsetof(%s, %s) %zu\n", #t, #m, offsetof(t, m))

int main(void)
{
	SIZE(siginfo_t);
	OFF(siginfo_t, si_signo);
	OFF(siginfo_t, si_errno);
	OFF(siginfo_t, si_code);
	OFF(siginfo_t, si_pid);
	OFF(siginfo_t, si_uid);
	OFF(siginfo_t, si_status);
	OFF(siginfo_t, si_value);
	OFF(siginfo_t, si_int);
	OFF(siginfo_t, si_ptr);
	OFF(siginfo_t, si_utime);
	OFF(siginfo_t, si_stime);
	OFF(siginfo_t, si_addr);
	OFF(siginfo_t, si_addr_lsb);
	OFF(siginfo_t, si_lower);
	OFF(siginfo_t, si_upper);
	OFF(siginfo_t, si_pkey);
	OFF(siginfo_t, si_band);
	OFF(siginfo_t, si_fd);
	OFF(siginfo_t, si_timerid);
	OFF(siginfo_t, si_overrun);
	OFF(siginfo_t, si_call_addr);
	OFF(siginfo_t, si_syscall);
	OFF(siginfo_t, si_arch);
	SIZE(union sigval);
	SIZE(sigval_t);
	SIZE(struct statvfs);
	OFF(struct statvfs, f_frsize);
	OFF(struct statvfs, f_favail);
	OFF(struct statvfs, f_fsid);
	OFF(struct statvfs, f_flag);
	OFF(struct statvfs, f_namemax);
	SIZE(cpu_set_t);
	SIZE(struct mallinfo);
	SIZE(struct mallinfo2);
	OFF(struct mallinfo2, keepcost);
	SIZE(struct epoll_event);
	OFF(struct epoll_event, data);
	SIZE(struct kcmp_epoll_slot);
	SIZE(Elf32_Ehdr);
	OFF(Elf32_Ehdr, e_shstrndx);
	SIZE(Elf64_Ehdr);
	OFF(Elf64_Ehdr, e_phoff);
	OFF(Elf64_Ehdr, e_shstrndx);
	SIZE(Elf32_Phdr);
	OFF(Elf32_Phdr, p_flags);
	SIZE(Elf64_Phdr);
	OFF(Elf64_Phdr, p_flags);
	OFF(Elf64_Phdr, p_align);
	SIZE(Elf32_Shdr);
	SIZE(Elf64_Shdr);
	OFF(Elf64_Shdr, sh_entsize);
	SIZE(Elf32_Sym);
	OFF(Elf32_Sym, st_shndx);
	SIZE(Elf64_Sym);
	OFF(Elf64_Sym, st_value);
	SIZE(Elf32_Dyn);
	SIZE(Elf64_Dyn);
	OFF(Elf64_Dyn, d_un.d_ptr);
	SIZE(Elf64_Rela);
	SIZE(Elf32_Rel);
	SIZE(Elf64_Verdef);
	OFF(Elf64_Verdef, vd_next);
	SIZE(Elf64_Verdaux);
	SIZE(Elf64_Verneed);
	SIZE(Elf64_Vernaux);
	SIZE(Elf64_Nhdr);
	SIZE(Elf64_auxv_t);
	SIZE(Elf32_auxv_t);
	SIZE(Elf64_Versym);
	SIZE(ElfW(Phdr));
	SIZE(struct dl_phdr_info);
	OFF(struct dl_phdr_info, dlpi_phnum);
	OFF(struct dl_phdr_info, dlpi_tls_data);
	SIZE(struct link_map);
	OFF(struct link_map, l_prev);
	printf("%d %d %d\n", ELF64_ST_BIND(0x12), ELF64_ST_TYPE(0x12), (int)ELF64_R_SYM(0x500000007UL));
	return 0;
}
