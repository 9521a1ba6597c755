package sim

// kthreadd, analogous to kernel/kthread.c's: the kernel thread that makes
// the others, pid 2 on every Linux. The model runs no kernel threads of its
// own, but /proc/2 is there as it is on the kernel, with its status (the
// selftests find a kernel thread there): no address space, root's ids, every
// signal ignored, all capabilities.
const kthreaddPid = 2

var kthreadd = &process{pid: kthreaddPid, comm: "kthreadd", kthread: true}

// task is the process pid names for /proc: one of the model's, or
// kthreadd.
func (e *Engine) task(pid int) *process {
	if pid == kthreaddPid {
		return kthreadd
	}
	return e.proc(pid)
}
