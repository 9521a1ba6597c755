// The vDSO as programs find it: getauxval(AT_SYSINFO_EHDR) is [vdso]'s
// start; its ELF image's dynamic section, SysV hash table and versions
// give each function's address (as parse_vdso.c walks them); calls through
// those pointers answer as the system calls do (raw: -errno on failure);
// dlopen("linux-vdso.so.1") and dlsym find the same addresses.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static unsigned long base;
static Elf64_Sym *symtab;
static const char *strtab;
static Elf64_Word *hash;
static Elf64_Versym *versym;
static Elf64_Verdef *verdef;

static unsigned long elf_hash(const char *s) {
	unsigned long h = 0, g;
	while (*s) {
		h = (h << 4) + (unsigned char)*s++;
		if ((g = h & 0xf0000000))
			h ^= g >> 24;
		h &= ~g;
	}
	return h;
}

static const char *version_of(int i) {
	Elf64_Verdef *d = verdef;
	for (;;) {
		if (d->vd_ndx == (versym[i] & 0x7fff)) {
			Elf64_Verdaux *a = (Elf64_Verdaux *)((char *)d + d->vd_aux);
			return strtab + a->vda_name;
		}
		if (!d->vd_next)
			return "?";
		d = (Elf64_Verdef *)((char *)d + d->vd_next);
	}
}

static void *lookup(const char *name) {
	Elf64_Word nbucket = hash[0], *bucket = &hash[2], *chain = &hash[2 + nbucket];
	for (Elf64_Word i = bucket[elf_hash(name) % nbucket]; i; i = chain[i]) {
		Elf64_Sym *s = &symtab[i];
		if (!strcmp(strtab + s->st_name, name) && ELF64_ST_TYPE(s->st_info) == STT_FUNC)
			return strcmp(version_of(i), "LINUX_2.6") ? 0 : (void *)(base + s->st_value);
	}
	return 0;
}

int main(void) {
	base = getauxval(AT_SYSINFO_EHDR);
	char line[256], name[64];
	unsigned long lo, hi, vdso_lo = 0;
	FILE *maps = fopen("/proc/self/maps", "r");
	while (fgets(line, sizeof line, maps))
		if (sscanf(line, "%lx-%lx %*s %*s %*s %*s %63s", &lo, &hi, name) == 3 && !strcmp(name, "[vdso]"))
			vdso_lo = lo;
	fclose(maps);
	printf("AT_SYSINFO_EHDR is [vdso]'s start: %d\n", base != 0 && base == vdso_lo);

	Elf64_Ehdr *eh = (Elf64_Ehdr *)base;
	printf("ELF %.3s class %d type %d machine %d\n", (char *)eh->e_ident + 1, eh->e_ident[EI_CLASS], eh->e_type, eh->e_machine);
	Elf64_Phdr *ph = (Elf64_Phdr *)(base + eh->e_phoff);
	Elf64_Dyn *dyn = 0;
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_DYNAMIC)
			dyn = (Elf64_Dyn *)(base + ph[i].p_offset);
	unsigned long soname = 0;
	for (; dyn->d_tag != DT_NULL; dyn++) {
		switch (dyn->d_tag) {
		case DT_STRTAB: strtab = (const char *)(base + dyn->d_un.d_ptr); break;
		case DT_SYMTAB: symtab = (Elf64_Sym *)(base + dyn->d_un.d_ptr); break;
		case DT_HASH: hash = (Elf64_Word *)(base + dyn->d_un.d_ptr); break;
		case DT_VERSYM: versym = (Elf64_Versym *)(base + dyn->d_un.d_ptr); break;
		case DT_VERDEF: verdef = (Elf64_Verdef *)(base + dyn->d_un.d_ptr); break;
		case DT_SONAME: soname = dyn->d_un.d_val; break;
		}
	}
	printf("soname %s, %u symbols\n", strtab + soname, hash[1]);
	const char *names[] = {"__vdso_clock_gettime", "clock_gettime", "__vdso_gettimeofday", "__vdso_time",
		"__vdso_getcpu", "getcpu", "__vdso_clock_getres", "__vdso_getrandom", "__vdso_sgx_enter_enclave", "LINUX_2.6"};
	for (unsigned i = 0; i < sizeof names / sizeof *names; i++) {
		void *p = lookup(names[i]);
		printf("%s at %#lx\n", names[i], p ? (unsigned long)p - base : 0);
	}

	int (*cgt)(clockid_t, struct timespec *) = lookup("__vdso_clock_gettime");
	int (*cgr)(clockid_t, struct timespec *) = lookup("__vdso_clock_getres");
	long (*gtod)(struct timeval *, struct timezone *) = lookup("__vdso_gettimeofday");
	time_t (*tm)(time_t *) = lookup("__vdso_time");
	long (*gcpu)(unsigned *, unsigned *, void *) = lookup("__vdso_getcpu");
	struct timespec a, v, b;
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &a);
	int r = cgt(CLOCK_MONOTONIC, &v);
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &b);
	int inorder = (a.tv_sec < v.tv_sec || a.tv_sec == v.tv_sec && a.tv_nsec <= v.tv_nsec) &&
		(v.tv_sec < b.tv_sec || v.tv_sec == b.tv_sec && v.tv_nsec <= b.tv_nsec);
	printf("clock_gettime(MONOTONIC) %d, between two system calls: %d\n", r, inorder);
	printf("clock_gettime(PROCESS_CPUTIME_ID) %d\n", cgt(CLOCK_PROCESS_CPUTIME_ID, &v));
	printf("clock_gettime(-1) %d, (REALTIME_ALARM) %d\n", cgt(-1, &v), cgt(CLOCK_REALTIME_ALARM, &v));
	for (int c = 0; c < 12; c++) {
		struct timespec res = {-1, -1};
		r = cgr(c, &res);
		printf("clock_getres(%d) %d %ld.%09ld\n", c, r, (long)res.tv_sec, res.tv_nsec);
	}
	printf("clock_getres(MONOTONIC, NULL) %d\n", cgr(CLOCK_MONOTONIC, 0));
	struct timeval tv;
	struct timezone tz = {-1, -1};
	long gr = gtod(&tv, &tz);
	printf("gettimeofday %ld, tz %d %d\n", gr, tz.tz_minuteswest, tz.tz_dsttime);
	time_t t = -1, ret = tm(&t);
	printf("time stores what it returns: %d\n", t == ret);
	for (int cpu = 0; cpu < 2; cpu++) {
		cpu_set_t set;
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		sched_setaffinity(0, sizeof set, &set);
		unsigned c = 99, n = 99;
		gr = gcpu(&c, &n, 0);
		printf("getcpu pinned to %d: %ld cpu %u node %u\n", cpu, gr, c, n);
	}

	void *h = dlopen("linux-vdso.so.1", RTLD_LAZY | RTLD_LOCAL | RTLD_NOLOAD);
	int same = dlsym(h, "__vdso_getcpu") == (void *)gcpu && dlsym(h, "time") == (void *)tm;
	int none = dlsym(h, "nosuch") == 0 && dlsym(h, "LINUX_2.6") == 0;
	printf("dlopen %d, dlsym finds the same: %d, none: %d\n", h != 0, same, none);
	printf("dlclose %d\n", dlclose(h));

	// glibc's wrappers call the same functions: -errno is -1 and errno.
	errno = 0;
	r = clock_gettime(-1, &v);
	printf("clock_gettime(-1) %d errno %d\n", r, errno);
	errno = 0;
	r = clock_gettime(CLOCK_BOOTTIME_ALARM, &v);
	printf("clock_gettime(BOOTTIME_ALARM) %d errno %d\n", r, errno);
	r = clock_getres(CLOCK_PROCESS_CPUTIME_ID, &v);
	printf("clock_getres(PROCESS_CPUTIME_ID) %d %ld.%09ld\n", r, (long)v.tv_sec, v.tv_nsec);
	tz.tz_minuteswest = tz.tz_dsttime = -1;
	r = gettimeofday(&tv, &tz);
	printf("gettimeofday %d, tz %d %d\n", r, tz.tz_minuteswest, tz.tz_dsttime);
	t = -1;
	ret = time(&t);
	printf("time stores what it returns: %d\n", t == ret);
	return 0;
}
