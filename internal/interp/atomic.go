package interp

import "encoding/binary"

// gcc's __sync and __atomic builtins and <stdatomic.h>, for the processes
// of the playground: a builtin runs to its end before any other process
// runs, so each is atomic as the hardware's instruction is. The generic
// forms are macros (libheaders.go) over three sized builtins here.

// atomicOps are __pg_atomic_fetch's operations.
const (
	atomicAdd = iota
	atomicSub
	atomicOr
	atomicAnd
	atomicXor
	atomicXchg
)

// loadSized reads a size-byte integer, zero-extended.
func (m *machine) loadSized(p *proc, addr, size int64) (uint64, bool) {
	if size != 1 && size != 2 && size != 4 && size != 8 {
		size = 8
	}
	var b [8]byte
	if err := m.eng.Load(p.pid, uint64(addr), b[:size]); err != nil {
		m.fault(p, err)
		return 0, false
	}
	return binary.LittleEndian.Uint64(b[:]), true
}

func (m *machine) storeSized(p *proc, addr, size int64, v uint64) bool {
	if size != 1 && size != 2 && size != 4 && size != 8 {
		size = 8
	}
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], v)
	if err := m.eng.Store(p.pid, uint64(addr), b[:size]); err != nil {
		m.fault(p, err)
		return false
	}
	return true
}

func sizeMask(size int64) uint64 {
	if size >= 8 {
		return ^uint64(0)
	}
	return 1<<(8*uint(size)) - 1
}

func init() {
	def("long __pg_atomic_cas_val(void *p, long old, long new, unsigned long size)", func(m *machine, p *proc, a []int64) (int64, bres) {
		cur, ok := m.loadSized(p, a[0], a[3])
		if !ok {
			return 0, bExit
		}
		mask := sizeMask(a[3])
		if cur == uint64(a[1])&mask && !m.storeSized(p, a[0], a[3], uint64(a[2])) {
			return 0, bExit
		}
		return int64(cur), bOK
	})
	def("int __pg_atomic_cas_bool(void *p, long old, long new, unsigned long size)", func(m *machine, p *proc, a []int64) (int64, bres) {
		cur, ok := m.loadSized(p, a[0], a[3])
		if !ok {
			return 0, bExit
		}
		if cur != uint64(a[1])&sizeMask(a[3]) {
			return 0, bOK
		}
		return 1, okRes(m.storeSized(p, a[0], a[3], uint64(a[2])))
	})
	// The C11 form: on a mismatch the current value goes to *expected.
	def("_Bool __pg_atomic_cas(void *p, void *expected, long desired, unsigned long size)", func(m *machine, p *proc, a []int64) (int64, bres) {
		cur, ok := m.loadSized(p, a[0], a[3])
		if !ok {
			return 0, bExit
		}
		exp, ok := m.loadSized(p, a[1], a[3])
		if !ok {
			return 0, bExit
		}
		if cur == exp {
			return 1, okRes(m.storeSized(p, a[0], a[3], uint64(a[2])))
		}
		return 0, okRes(m.storeSized(p, a[1], a[3], cur))
	})
	def("long __pg_atomic_fetch(void *p, long v, int op, unsigned long size)", func(m *machine, p *proc, a []int64) (int64, bres) {
		cur, ok := m.loadSized(p, a[0], a[3])
		if !ok {
			return 0, bExit
		}
		v := uint64(a[1])
		var n uint64
		switch a[2] {
		case atomicAdd:
			n = cur + v
		case atomicSub:
			n = cur - v
		case atomicOr:
			n = cur | v
		case atomicAnd:
			n = cur & v
		case atomicXor:
			n = cur ^ v
		default:
			n = v
		}
		return int64(cur), okRes(m.storeSized(p, a[0], a[3], n))
	})
}

// atomicMacros are the generic forms, typed by their object.
var atomicMacros = func() []string {
	out := []string{
		"__sync_val_compare_and_swap(p, o, n) ((__typeof__(*(p)))__pg_atomic_cas_val((p), (long)(o), (long)(n), sizeof(*(p))))",
		"__sync_bool_compare_and_swap(p, o, n) __pg_atomic_cas_bool((p), (long)(o), (long)(n), sizeof(*(p)))",
		"__sync_lock_test_and_set(p, v) ((__typeof__(*(p)))__pg_atomic_fetch((p), (long)(v), 5, sizeof(*(p))))",
		"__sync_lock_release(p) ((void)(*(p) = 0))",
		"__sync_synchronize() ((void)0)",
		"__atomic_load_n(p, mo) (*(p))",
		"__atomic_store_n(p, v, mo) ((void)(*(p) = (v)))",
		"__atomic_exchange_n(p, v, mo) ((__typeof__(*(p)))__pg_atomic_fetch((p), (long)(v), 5, sizeof(*(p))))",
		"__atomic_compare_exchange_n(p, e, d, weak, s, f) __pg_atomic_cas((p), (e), (long)(d), sizeof(*(p)))",
		"__atomic_thread_fence(mo) ((void)0)", "__atomic_signal_fence(mo) ((void)0)",
		"__ATOMIC_RELAXED 0", "__ATOMIC_CONSUME 1", "__ATOMIC_ACQUIRE 2", "__ATOMIC_RELEASE 3", "__ATOMIC_ACQ_REL 4", "__ATOMIC_SEQ_CST 5",
		"memory_order_relaxed 0", "memory_order_consume 1", "memory_order_acquire 2", "memory_order_release 3",
		"memory_order_acq_rel 4", "memory_order_seq_cst 5",
		"atomic_load(p) (*(p))", "atomic_load_explicit(p, mo) (*(p))",
		"atomic_store(p, v) ((void)(*(p) = (v)))", "atomic_store_explicit(p, v, mo) ((void)(*(p) = (v)))",
		"atomic_init(p, v) ((void)(*(p) = (v)))", "ATOMIC_VAR_INIT(v) (v)",
		"atomic_exchange(p, v) __atomic_exchange_n((p), (v), 5)", "atomic_exchange_explicit(p, v, mo) __atomic_exchange_n((p), (v), 5)",
		"atomic_compare_exchange_strong(p, e, d) __pg_atomic_cas((p), (e), (long)(d), sizeof(*(p)))",
		"atomic_compare_exchange_weak(p, e, d) __pg_atomic_cas((p), (e), (long)(d), sizeof(*(p)))",
		"atomic_compare_exchange_strong_explicit(p, e, d, s, f) __pg_atomic_cas((p), (e), (long)(d), sizeof(*(p)))",
		"atomic_compare_exchange_weak_explicit(p, e, d, s, f) __pg_atomic_cas((p), (e), (long)(d), sizeof(*(p)))",
		"atomic_thread_fence(mo) ((void)0)", "atomic_signal_fence(mo) ((void)0)",
	}
	for i, op := range []string{"add", "sub", "or", "and", "xor"} {
		fetch := sprintf("((__typeof__(*(p)))__pg_atomic_fetch((p), (long)(v), %d, sizeof(*(p))))", i)
		sym := map[string]string{"add": "+", "sub": "-", "or": "|", "and": "&", "xor": "^"}[op]
		out = append(out,
			sprintf("__sync_fetch_and_%s(p, v) %s", op, fetch),
			sprintf("__sync_%s_and_fetch(p, v) ((__typeof__(*(p)))(%s %s (v)))", op, fetch, sym),
			sprintf("__atomic_fetch_%s(p, v, mo) %s", op, fetch),
			sprintf("__atomic_%s_fetch(p, v, mo) ((__typeof__(*(p)))(%s %s (v)))", op, fetch, sym),
			sprintf("atomic_fetch_%s(p, v) %s", op, fetch),
			sprintf("atomic_fetch_%s_explicit(p, v, mo) %s", op, fetch),
		)
	}
	return out
}()

func init() {
	libMacros = append(libMacros, atomicMacros...)
	knownHeaders["stdatomic.h"] = true
	for name, t := range map[string]*ctype{
		"atomic_bool": tBool, "atomic_char": tChar, "atomic_schar": tSChar, "atomic_uchar": tUChar, "atomic_short": tShort,
		"atomic_ushort": tUShort, "atomic_int": tInt, "atomic_uint": tUInt, "atomic_long": tLong, "atomic_ulong": tULong,
		"atomic_llong": tLLong, "atomic_ullong": tULLong, "atomic_size_t": tULong, "atomic_intptr_t": tLong,
		"atomic_uintptr_t": tULong, "memory_order": tInt, "atomic_flag": tBool,
	} {
		builtinTypedefs[name] = named(t, name)
	}
}
