package sim

import (
	"encoding/binary"
	"strconv"

	"github.com/mmapplayground/playground/internal/engine"
)

// The CPU affinity calls of kernel/sched/core.c, on the model's machine:
// nrCPUs CPUs, as this machine has (status' Cpus_allowed shows the same
// mask). A process runs on any of them (the model does not place it); the
// mask is what a program set, inherited on fork.

// nrCPUs is nr_cpu_ids: the CPUs possible and online.
const nrCPUs = 2

// allCPUs is the mask of every CPU.
const allCPUs = 1<<nrCPUs - 1

// cpumaskSize is cpumask_size(): the bytes of a mask of nr_cpu_ids bits,
// in longs.
const cpumaskSize = (nrCPUs + 63) / 64 * 8

// affinity is the task's cpus_mask (0 before any sched_setaffinity:
// every CPU).
func (t *process) affinity() uint64 {
	if t.sys.cpus == 0 {
		return allCPUs
	}
	return t.sys.cpus
}

// sysSchedGetaffinity is sched_getaffinity(pid, len, mask): EINVAL for a
// length too short for nr_cpu_ids bits or not a multiple of a long; the
// raw call returns the bytes it wrote.
func (e *Engine) sysSchedGetaffinity(p *process, pid, length int64, mask uint64) (int64, engine.Errno) {
	if length*8 < nrCPUs || length&7 != 0 {
		return -1, engine.EINVAL
	}
	t, err := e.schedTask(p, pid)
	if err != 0 {
		return -1, err
	}
	var b [cpumaskSize]byte
	binary.LittleEndian.PutUint64(b[:], t.affinity())
	if err := e.copyToUser(p, mask, b[:], nil); err != 0 {
		return -1, err
	}
	return cpumaskSize, 0
}

// sysSchedSetaffinity is sched_setaffinity(pid, len, mask): the mask read
// as get_user_cpu_mask reads it (a short one zero-extended, bits past
// nr_cpu_ids ignored); EINVAL when it holds no CPU that exists.
func (e *Engine) sysSchedSetaffinity(p *process, pid, length int64, mask uint64) (int64, engine.Errno) {
	if length < 0 {
		return -1, engine.EINVAL
	}
	b := make([]byte, min(length, cpumaskSize))
	if err := e.copyFromUser(p, mask, b); err != 0 {
		return -1, err
	}
	var buf [8]byte
	copy(buf[:], b)
	t, err := e.schedTask(p, pid)
	if err != 0 {
		return -1, err
	}
	cpus := binary.LittleEndian.Uint64(buf[:]) & allCPUs
	if cpus == 0 {
		return -1, engine.EINVAL
	}
	t.sys.cpus = cpus
	return 0, 0
}

// schedTask is find_process_by_pid: 0 is the caller.
func (e *Engine) schedTask(p *process, pid int64) (*process, engine.Errno) {
	if pid < 0 {
		return nil, engine.EINVAL
	}
	if pid == 0 {
		return p, 0
	}
	t := e.proc(int(pid))
	if t == nil || t.exited {
		return nil, engine.ESRCH
	}
	return t, 0
}

// cpuList is a mask as cpumask_print_to_pagebuf's list ("0-1", "1").
func cpuList(mask uint64) string {
	var b []byte
	for cpu := 0; cpu < 64; {
		if mask&(1<<cpu) == 0 {
			cpu++
			continue
		}
		end := cpu
		for end+1 < 64 && mask&(1<<(end+1)) != 0 {
			end++
		}
		if len(b) > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(cpu), 10)
		if end > cpu {
			b = append(b, '-')
			b = strconv.AppendInt(b, int64(end), 10)
		}
		cpu = end + 1
	}
	return string(b)
}
