package interp

import "math/bits"

// <sched.h>'s CPU sets as glibc 2.36 has them: cpu_set_t is 1024 bits in
// longs, the CPU_* macros are glibc's (bits/cpu-set.h) over them, and
// sched_getaffinity is the system call with the rest of the caller's set
// cleared (the kernel writes only nr_cpu_ids bits' worth).

// tCpuSet is cpu_set_t: __bits, CPU_SETSIZE bits.
var tCpuSet = mkStruct("", []field{{name: "__bits", t: arrayOf(tULong, 1024/64)}})

// schedMacros are bits/cpu-set.h's macros, as glibc writes them (its
// statement expressions) with its helper functions below.
var schedMacros = []string{
	"CPU_SETSIZE 1024", "__CPU_SETSIZE 1024", "__NCPUBITS (8 * sizeof (__cpu_mask))",
	"__CPUELT(cpu) ((cpu) / __NCPUBITS)", "__CPUMASK(cpu) ((__cpu_mask) 1 << ((cpu) % __NCPUBITS))",
	"CPU_ZERO_S(setsize, cpusetp) ((void) memset ((cpusetp), 0, (setsize)))",
	"CPU_SET_S(cpu, setsize, cpusetp) (__extension__ ({ size_t __cpu = (cpu); __cpu / 8 < (setsize) ? (((__cpu_mask *) ((cpusetp)->__bits))[__CPUELT (__cpu)] |= __CPUMASK (__cpu)) : 0; }))",
	"CPU_CLR_S(cpu, setsize, cpusetp) (__extension__ ({ size_t __cpu = (cpu); __cpu / 8 < (setsize) ? (((__cpu_mask *) ((cpusetp)->__bits))[__CPUELT (__cpu)] &= ~__CPUMASK (__cpu)) : 0; }))",
	"CPU_ISSET_S(cpu, setsize, cpusetp) (__extension__ ({ size_t __cpu = (cpu); __cpu / 8 < (setsize) ? ((((const __cpu_mask *) ((cpusetp)->__bits))[__CPUELT (__cpu)] & __CPUMASK (__cpu))) != 0 : 0; }))",
	"CPU_COUNT_S(setsize, cpusetp) __sched_cpucount (setsize, cpusetp)",
	"CPU_EQUAL_S(setsize, cpusetp1, cpusetp2) (memcmp (cpusetp1, cpusetp2, setsize) == 0)",
	"__CPU_OP_S(setsize, destset, srcset1, srcset2, op) (__extension__ ({ cpu_set_t *__dest = (destset); const __cpu_mask *__arr1 = (srcset1)->__bits; const __cpu_mask *__arr2 = (srcset2)->__bits; size_t __imax = (setsize) / sizeof (__cpu_mask); size_t __i; for (__i = 0; __i < __imax; ++__i) ((__cpu_mask *) __dest->__bits)[__i] = __arr1[__i] op __arr2[__i]; __dest; }))",
	"CPU_AND_S(setsize, destset, srcset1, srcset2) __CPU_OP_S (setsize, destset, srcset1, srcset2, &)",
	"CPU_OR_S(setsize, destset, srcset1, srcset2) __CPU_OP_S (setsize, destset, srcset1, srcset2, |)",
	"CPU_XOR_S(setsize, destset, srcset1, srcset2) __CPU_OP_S (setsize, destset, srcset1, srcset2, ^)",
	"CPU_SET(cpu, cpusetp) CPU_SET_S (cpu, sizeof (cpu_set_t), cpusetp)",
	"CPU_CLR(cpu, cpusetp) CPU_CLR_S (cpu, sizeof (cpu_set_t), cpusetp)",
	"CPU_ISSET(cpu, cpusetp) CPU_ISSET_S (cpu, sizeof (cpu_set_t), cpusetp)",
	"CPU_ZERO(cpusetp) CPU_ZERO_S (sizeof (cpu_set_t), cpusetp)",
	"CPU_COUNT(cpusetp) CPU_COUNT_S (sizeof (cpu_set_t), cpusetp)",
	"CPU_EQUAL(cpusetp1, cpusetp2) CPU_EQUAL_S (sizeof (cpu_set_t), cpusetp1, cpusetp2)",
	"CPU_AND(destset, srcset1, srcset2) CPU_AND_S (sizeof (cpu_set_t), destset, srcset1, srcset2)",
	"CPU_OR(destset, srcset1, srcset2) CPU_OR_S (sizeof (cpu_set_t), destset, srcset1, srcset2)",
	"CPU_XOR(destset, srcset1, srcset2) CPU_XOR_S (sizeof (cpu_set_t), destset, srcset1, srcset2)",
	"CPU_ALLOC_SIZE(count) ((((count) + __NCPUBITS - 1) / __NCPUBITS) * sizeof (__cpu_mask))",
	"CPU_ALLOC(count) __sched_cpualloc (count)", "CPU_FREE(cpuset) __sched_cpufree (cpuset)",
	// The scheduling policies (<linux/sched.h>'s, as <bits/sched.h> has them).
	"SCHED_OTHER 0", "SCHED_FIFO 1", "SCHED_RR 2", "SCHED_BATCH 3", "SCHED_IDLE 5", "SCHED_DEADLINE 6",
	"SCHED_RESET_ON_FORK 0x40000000",
}

func init() {
	builtinTypedefs["cpu_set_t"] = named(tCpuSet, "cpu_set_t")
	builtinTypedefs["__cpu_mask"] = named(tULong, "__cpu_mask")
	libMacros = append(libMacros, schedMacros...)
	def("int __sched_cpucount(unsigned long setsize, const cpu_set_t *set)", func(m *machine, p *proc, a []int64) (int64, bres) {
		n := int64(0)
		for off := uint64(0); off+8 <= uint64(a[0]); off += 8 {
			v, ok := m.loadU64(p, uint64(a[1])+off)
			if !ok {
				return 0, bExit
			}
			n += int64(bits.OnesCount64(v))
		}
		return n, bOK
	})
	def("cpu_set_t *__sched_cpualloc(unsigned long count)", func(m *machine, p *proc, a []int64) (int64, bres) {
		v, ok := m.malloc(p, (uint64(a[0])+63)/64*8)
		return ret(int64(v), ok)
	})
	def("void __sched_cpufree(cpu_set_t *set)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return ret(0, m.free(p, uint64(a[0])))
	})
	// sched_getaffinity: the kernel answers the bytes it wrote; glibc
	// clears the rest of the set and returns 0.
	def("int sched_getaffinity(int pid, unsigned long size, cpu_set_t *set)", func(m *machine, p *proc, a []int64) (int64, bres) {
		r, st := m.sysCall(p, "sched_getaffinity", "", a[0], min(a[1], 0x7fffffff), a[2])
		if st != bOK || r < 0 {
			return r, st
		}
		if uint64(a[1]) > uint64(r) {
			if err := m.memset(p.pid, uint64(a[2])+uint64(r), 0, uint64(a[1])-uint64(r)); err != nil {
				m.fault(p, err)
				return 0, bExit
			}
		}
		return 0, bOK
	})
	def("int sched_setaffinity(int pid, unsigned long size, const cpu_set_t *set)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return m.sysCall(p, "sched_setaffinity", "", a[0], a[1], a[2])
	})
	// sched_getcpu is getcpu(&cpu, NULL, NULL) (glibc's vDSO call, or
	// rseq's cpu_id, both the kernel's answer).
	def("int sched_getcpu(void)", func(m *machine, p *proc, a []int64) (int64, bres) {
		sp := p.sp - 64 // below the caller's frame, as the vDSO call's stack slot is
		r, st := m.sysCall(p, "getcpu", "", int64(sp), 0, 0)
		if st != bOK || r < 0 {
			return r, st
		}
		v, ok := m.loadU64(p, sp)
		return int64(uint32(v)), okRes(ok)
	})
}
