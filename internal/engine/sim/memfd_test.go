package sim

import (
	"strconv"

	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
)

// sealFacts are facts.c's memfd seal answers, each one line of the
// scenario sealScenario plays as facts.c does.
var sealFacts = func() []kernelFact {
	names := []string{
		"seal_default_get", "seal_default_add", "seal_allow_get", "seal_bad", "seal_exec_mode", "seal_exec_add",
		"seal_exec_get", "seal_noexec_get", "seal_noexec_mode", "seal_regular_get", "seal_regular_add",
		"seal_write_busy", "seal_write_add", "seal_write_write", "seal_write_mmap_shared_rw",
		"seal_write_mmap_private_rw", "seal_write_mprotect_rw", "seal_write_ftruncate", "seal_write_punch",
		"seal_seal_add", "seal_sealed_add", "seal_write_get", "seal_shrink_ftruncate", "seal_grow_ftruncate",
		"seal_grow_same", "seal_grow_write", "seal_grow_write_end", "seal_grow_fallocate",
		"seal_grow_fallocate_keep", "seal_grow_fallocate_in", "seal_future_add", "seal_future_old_mapping",
		"seal_future_write", "seal_future_mmap_shared_rw",
	}
	var out []kernelFact
	for _, n := range names {
		out = append(out, kernelFact{n, func(x *factEnv) string {
			got := x.sealScenario()
			require.Contains(x.t, got, n)
			return got[n]
		}})
	}
	return out
}()

// sealScenario is facts.c's seal block on the model: each line's answer
// by its name.
func (x *factEnv) sealScenario() map[string]string {
	got := map[string]string{}
	fcntl := func(fd, cmd, arg int64) engine.Result { return x.call("fcntl", fd, cmd, arg) }
	val := func(r engine.Result) string {
		if r.Errno != 0 {
			return rc(r)
		}
		return strconv.FormatInt(r.Ret, 10)
	}
	mode := func(fd int64) string {
		_, m := x.memfdStat(fd)
		return strconv.FormatUint(uint64(m&0o777), 8)
	}
	mmap := func(prot, flags, fd int64) engine.Result { return x.call("mmap", 0, pg, prot, flags, fd, 0) }
	buf := x.anon(2, rw)

	m := x.memfd("s", 0)
	got["seal_default_get"] = val(fcntl(m, engine.F_GET_SEALS, 0))
	got["seal_default_add"] = rc(fcntl(m, engine.F_ADD_SEALS, engine.F_SEAL_WRITE))
	m = x.memfd("s", engine.MFD_ALLOW_SEALING)
	got["seal_allow_get"] = val(fcntl(m, engine.F_GET_SEALS, 0))
	got["seal_bad"] = rc(fcntl(m, engine.F_ADD_SEALS, 0x40))
	got["seal_exec_mode"] = mode(m)
	got["seal_exec_add"] = rc(fcntl(m, engine.F_ADD_SEALS, engine.F_SEAL_EXEC))
	got["seal_exec_get"] = val(fcntl(m, engine.F_GET_SEALS, 0))
	m = x.memfd("s", engine.MFD_NOEXEC_SEAL)
	got["seal_noexec_get"] = val(fcntl(m, engine.F_GET_SEALS, 0))
	got["seal_noexec_mode"] = mode(m)
	got["seal_regular_get"] = rc(fcntl(x.rw, engine.F_GET_SEALS, 0))
	got["seal_regular_add"] = rc(fcntl(x.rw, engine.F_ADD_SEALS, engine.F_SEAL_WRITE))

	m = x.memfd("s", engine.MFD_ALLOW_SEALING)
	x.call("ftruncate", m, 2*pg)
	w := mmap(rw, engine.MAP_SHARED, m)
	got["seal_write_busy"] = rc(fcntl(m, engine.F_ADD_SEALS, engine.F_SEAL_WRITE))
	x.call("munmap", w.Ret, pg)
	got["seal_write_add"] = rc(fcntl(m, engine.F_ADD_SEALS, engine.F_SEAL_WRITE))
	got["seal_write_write"] = rc(x.call("write", m, int64(buf), 1))
	got["seal_write_mmap_shared_rw"] = rc(mmap(rw, engine.MAP_SHARED, m))
	got["seal_write_mmap_private_rw"] = rc(mmap(rw, engine.MAP_PRIVATE, m))
	r := mmap(engine.PROT_READ, engine.MAP_SHARED, m)
	got["seal_write_mprotect_rw"] = rc(x.call("mprotect", r.Ret, pg, rw))
	got["seal_write_ftruncate"] = rc(x.call("ftruncate", m, 3*pg))
	got["seal_write_punch"] = rc(x.call("fallocate", m, engine.FALLOC_FL_PUNCH_HOLE|engine.FALLOC_FL_KEEP_SIZE, 0, pg))
	got["seal_seal_add"] = rc(fcntl(m, engine.F_ADD_SEALS, engine.F_SEAL_SEAL))
	got["seal_sealed_add"] = rc(fcntl(m, engine.F_ADD_SEALS, engine.F_SEAL_GROW))
	got["seal_write_get"] = val(fcntl(m, engine.F_GET_SEALS, 0))

	m = x.memfd("s", engine.MFD_ALLOW_SEALING)
	x.call("ftruncate", m, 2*pg)
	fcntl(m, engine.F_ADD_SEALS, engine.F_SEAL_SHRINK|engine.F_SEAL_GROW)
	got["seal_shrink_ftruncate"] = rc(x.call("ftruncate", m, pg))
	got["seal_grow_ftruncate"] = rc(x.call("ftruncate", m, 3*pg))
	got["seal_grow_same"] = rc(x.call("ftruncate", m, 2*pg))
	got["seal_grow_write"] = val(x.call("pwrite64", m, int64(buf), 5000, pg+100))
	got["seal_grow_write_end"] = rc(x.call("pwrite64", m, int64(buf), 1, 2*pg))
	got["seal_grow_fallocate"] = rc(x.call("fallocate", m, 0, 0, 3*pg))
	got["seal_grow_fallocate_keep"] = rc(x.call("fallocate", m, engine.FALLOC_FL_KEEP_SIZE, 0, 3*pg))
	got["seal_grow_fallocate_in"] = rc(x.call("fallocate", m, 0, 0, pg))

	m = x.memfd("s", engine.MFD_ALLOW_SEALING)
	x.call("ftruncate", m, pg)
	w = mmap(rw, engine.MAP_SHARED, m)
	got["seal_future_add"] = rc(fcntl(m, engine.F_ADD_SEALS, engine.F_SEAL_FUTURE_WRITE))
	got["seal_future_old_mapping"] = x.touch(uint64(w.Ret), true)
	if got["seal_future_old_mapping"] == "OK" {
		require.NoError(x.t, x.e.Store(x.pid, uint64(w.Ret), []byte("f")))
		got["seal_future_old_mapping"] = string(x.load(uint64(w.Ret), 1))
	}
	got["seal_future_write"] = rc(x.call("write", m, int64(buf), 1))
	got["seal_future_mmap_shared_rw"] = rc(mmap(rw, engine.MAP_SHARED, m))
	return got
}
