//go:build linux && (amd64 || arm64)

package sandbox

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The Docker profile must allow everything the worker's own filter allows,
// or the worker would fail inside the container for a reason no note tells.
func TestDockerProfileAllowsTheWorkersCalls(t *testing.T) {
	data, err := os.ReadFile("../../deploy/seccomp.json")
	require.NoError(t, err)
	var prof struct {
		DefaultAction string `json:"defaultAction"`
		Syscalls      []struct {
			Names  []string `json:"names"`
			Action string   `json:"action"`
		} `json:"syscalls"`
	}
	require.NoError(t, json.Unmarshal(data, &prof))
	assert.Equal(t, "SCMP_ACT_ERRNO", prof.DefaultAction)
	allowed := map[string]bool{}
	for _, s := range prof.Syscalls {
		if s.Action == "SCMP_ACT_ALLOW" {
			for _, n := range s.Names {
				allowed[n] = true
			}
		}
	}
	for _, sc := range workerSyscalls {
		assert.True(t, allowed[sc.name], "deploy/seccomp.json does not allow %s", sc.name)
	}
	for _, n := range []string{"perf_event_open", "userfaultfd", "clone", "seccomp", "openat2", "mincore"} {
		assert.True(t, allowed[n], "deploy/seccomp.json does not allow %s", n)
	}
	// The tracer of gcc's build: its calls, and ioctl for its stops at faults.
	for _, sc := range tracerSyscalls {
		assert.True(t, allowed[sc.name], "deploy/seccomp.json does not allow the tracer's %s", sc.name)
	}
	for _, r := range tracerRules {
		assert.True(t, allowed[r.name], "deploy/seccomp.json does not allow the tracer's %s", r.name)
	}
	// The real engine's launcher, between its start under ptrace and the
	// program's exec (realkernel's LaunchIfLauncher): without capset it
	// cannot run any program in the container.
	for _, n := range []string{"prlimit64", "setrlimit", "personality", "prctl", "landlock_create_ruleset", "landlock_add_rule", "landlock_restrict_self", "capset", "seccomp", "execve"} {
		assert.True(t, allowed[n], "deploy/seccomp.json does not allow the launcher's %s", n)
	}
}

func TestSeccompFilterFitsEightBitJumps(t *testing.T) {
	assert.Less(t, len(seccompFilter(tracerSyscalls, tracerRules)), 256, "jumps are 8 bits")
}

// runFilter runs the classic BPF program f on d as the kernel's seccomp
// does (linux/filter.h semantics, for the instructions the filter uses) and
// returns its verdict. An instruction it does not know fails the test, so a
// filter that grows a new kind of instruction grows a case here too.
func runFilter(t *testing.T, f []unix.SockFilter, d seccompData) uint32 {
	t.Helper()
	mem := unsafe.Slice((*byte)(unsafe.Pointer(&d)), unsafe.Sizeof(d))
	var a uint32
	for pc := 0; pc < len(f); pc++ {
		in := f[pc]
		switch in.Code {
		case ldAbs:
			require.LessOrEqual(t, int(in.K)+4, len(mem), "load past seccomp_data at %d", pc)
			a = binary.NativeEndian.Uint32(mem[in.K:])
			continue
		case retK:
			return in.K
		}
		var taken bool
		switch in.Code {
		case jeqK:
			taken = a == in.K
		case jgeK:
			taken = a >= in.K
		case jsetK:
			taken = a&in.K != 0
		default:
			t.Fatalf("instruction %d: opcode %#x is not one the filter is meant to use", pc, in.Code)
		}
		if taken {
			pc += int(in.Jt)
		} else {
			pc += int(in.Jf)
		}
	}
	t.Fatal("the filter ran off its end")
	return 0
}

// filterCall is the seccomp data of system call nr with args on this
// architecture.
func filterCall(nr uintptr, args ...uint64) seccompData {
	d := seccompData{Nr: int32(nr), Arch: auditArch}
	copy(d.Args[:], args)
	return d
}

// The filter's verdicts on this architecture's numbers (x/sys/unix's SYS_
// names are per GOARCH, so the arm64 build checks the arm64 filter; CI
// cross-builds it and runs it under qemu-user where the host has it).
func TestSeccompFilterVerdicts(t *testing.T) {
	f := seccompFilter(nil, nil)
	eperm := uint32(unix.SECCOMP_RET_ERRNO) | uint32(unix.EPERM)
	enosys := uint32(unix.SECCOMP_RET_ERRNO) | uint32(unix.ENOSYS)
	tests := []struct {
		name string
		data seccompData
		want uint32
	}{
		{"i386 call", seccompData{Nr: unix.SYS_READ, Arch: unix.AUDIT_ARCH_I386}, unix.SECCOMP_RET_KILL_PROCESS},
		{"arm (compat) call", seccompData{Nr: unix.SYS_READ, Arch: unix.AUDIT_ARCH_ARM}, unix.SECCOMP_RET_KILL_PROCESS},
		{"socket", filterCall(unix.SYS_SOCKET, unix.AF_INET, unix.SOCK_STREAM), eperm},
		{"execve", filterCall(unix.SYS_EXECVE), eperm},
		{"execveat", filterCall(unix.SYS_EXECVEAT), eperm},
		{"ptrace", filterCall(unix.SYS_PTRACE), eperm},
		{"perf_event_open after start-up", filterCall(unix.SYS_PERF_EVENT_OPEN), eperm},
		{"userfaultfd after start-up", filterCall(unix.SYS_USERFAULTFD), eperm},
		{"unshare", filterCall(unix.SYS_UNSHARE, unix.CLONE_NEWNET), eperm},
		{"seccomp (no widening)", filterCall(unix.SYS_SECCOMP), eperm},
		{"io_uring_setup", filterCall(unix.SYS_IO_URING_SETUP), eperm},
		{"a number no kernel has", filterCall(1000), eperm},
		{"clone3: fall back to clone", filterCall(unix.SYS_CLONE3), enosys},
		{"clone of a process", filterCall(unix.SYS_CLONE, uint64(unix.SIGCHLD)), eperm},
		{"clone of a thread", filterCall(unix.SYS_CLONE, unix.CLONE_VM|unix.CLONE_FS|unix.CLONE_FILES|unix.CLONE_SIGHAND|unix.CLONE_SYSVSEM|unix.CLONE_THREAD), unix.SECCOMP_RET_ALLOW},
	}
	if x32Bit != 0 {
		tests = append(tests, struct {
			name string
			data seccompData
			want uint32
		}{"x32 read", filterCall(x32Bit | unix.SYS_READ), eperm})
	}
	for _, sc := range workerSyscalls {
		tests = append(tests, struct {
			name string
			data seccompData
			want uint32
		}{sc.name, filterCall(uintptr(sc.nr)), unix.SECCOMP_RET_ALLOW})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, fmt.Sprintf("%#x", tt.want), fmt.Sprintf("%#x", runFilter(t, f, tt.data)))
		})
	}
}

// The tracer's filter (the worker of gcc's build) allows the worker's calls,
// the tracer's three, and ioctl for turning perf events on and off only:
// any other request, a terminal's, a file system's, is EPERM.
func TestTracerFilterVerdicts(t *testing.T) {
	f := seccompFilter(tracerSyscalls, tracerRules)
	eperm := uint32(unix.SECCOMP_RET_ERRNO) | uint32(unix.EPERM)
	tests := []struct {
		name string
		data seccompData
		want uint32
	}{
		{"ptrace", filterCall(unix.SYS_PTRACE), unix.SECCOMP_RET_ALLOW},
		{"process_vm_readv", filterCall(unix.SYS_PROCESS_VM_READV), unix.SECCOMP_RET_ALLOW},
		{"perf_event_open", filterCall(unix.SYS_PERF_EVENT_OPEN), unix.SECCOMP_RET_ALLOW},
		{"fstatfs", filterCall(unix.SYS_FSTATFS), unix.SECCOMP_RET_ALLOW},
		{"ioctl PERF_EVENT_IOC_ENABLE", filterCall(unix.SYS_IOCTL, 7, unix.PERF_EVENT_IOC_ENABLE, 0), unix.SECCOMP_RET_ALLOW},
		{"ioctl PERF_EVENT_IOC_DISABLE", filterCall(unix.SYS_IOCTL, 7, unix.PERF_EVENT_IOC_DISABLE, 0), unix.SECCOMP_RET_ALLOW},
		{"ioctl PERF_EVENT_IOC_RESET", filterCall(unix.SYS_IOCTL, 7, unix.PERF_EVENT_IOC_RESET, 0), eperm},
		{"ioctl PERF_EVENT_IOC_SET_FILTER", filterCall(unix.SYS_IOCTL, 7, unix.PERF_EVENT_IOC_SET_FILTER, 0), eperm},
		{"ioctl TIOCSTI", filterCall(unix.SYS_IOCTL, 0, unix.TIOCSTI, 0), eperm},
		{"ioctl TCGETS", filterCall(unix.SYS_IOCTL, 0, unix.TCGETS, 0), eperm},
		{"execve", filterCall(unix.SYS_EXECVE), eperm},
		{"socket", filterCall(unix.SYS_SOCKET, unix.AF_UNIX, unix.SOCK_STREAM), eperm},
		{"clone of a process", filterCall(unix.SYS_CLONE, uint64(unix.SIGCHLD)), eperm},
		{"a number no kernel has", filterCall(1000), eperm},
	}
	for _, sc := range workerSyscalls {
		tests = append(tests, struct {
			name string
			data seccompData
			want uint32
		}{sc.name, filterCall(uintptr(sc.nr)), unix.SECCOMP_RET_ALLOW})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, fmt.Sprintf("%#x", tt.want), fmt.Sprintf("%#x", runFilter(t, f, tt.data)))
		})
	}
	// The worker's own filter (the interpreter's) has no ioctl at all.
	assert.Equal(t, fmt.Sprintf("%#x", eperm), fmt.Sprintf("%#x", runFilter(t, seccompFilter(nil, nil), filterCall(unix.SYS_IOCTL, 7, unix.PERF_EVENT_IOC_ENABLE, 0))))
}

const seccompEnv = "PLAYGROUND_SECCOMP_TEST_CHILD"

// seccompChild installs the worker's filter and tries what it must refuse
// and what it must allow; its exit status says which failed.
func seccompChild() int {
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		return 10
	}
	if err := installSeccomp(nil, nil); err != nil {
		os.Stderr.WriteString("installSeccomp: " + err.Error() + "\n")
		return 11
	}
	if _, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM, 0); err != unix.EPERM {
		return 12
	}
	if err := unix.Exec("/bin/true", []string{"true"}, nil); err != unix.EPERM {
		return 13
	}
	if _, _, e := unix.Syscall(unix.SYS_CLONE, uintptr(unix.SIGCHLD), 0, 0); e != unix.EPERM {
		return 14 // a process, not a thread
	}
	// Threads still start, and memory still maps.
	done := make(chan bool)
	go func() { done <- true }()
	<-done
	if _, err := unix.Mmap(-1, 0, 4096, unix.PROT_READ, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS); err != nil {
		return 15
	}
	return 0
}

// TestSeccompFilterRefusesAndAllows installs the filter in a child (this
// test binary re-executed) and makes real calls under it. It needs a kernel
// that runs this binary and has seccomp: qemu-user has neither re-execution
// without binfmt_misc nor seccomp (it answers ENOSYS), and there it skips
// and says why; TestSeccompFilterVerdicts still holds the filter's logic.
func TestSeccompFilterRefusesAndAllows(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=XXX")
	cmd.Env = append(os.Environ(), seccompEnv+"=1")
	out, err := cmd.CombinedOutput()
	if errors.Is(err, unix.ENOEXEC) {
		t.Skipf("cannot re-execute the test binary here (an emulator without binfmt_misc?): %v", err)
	}
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if code == 11 && strings.Contains(string(out), unix.ENOSYS.Error()) {
		t.Skipf("this kernel (or emulator) has no seccomp: %s", out)
	}
	assert.Equal(t, 0, code, "child: %s", out)
}
