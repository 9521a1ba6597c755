//go:build linux && amd64

package sandbox

import (
	"encoding/json"
	"os"
	"os/exec"
	"testing"

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
}

func TestSeccompFilterShape(t *testing.T) {
	f := seccompFilter()
	assert.Less(t, len(f), 256, "jumps are 8 bits")
	// The last two instructions: EPERM for the rest, then the shared ALLOW.
	assert.Equal(t, uint16(bpfRET|bpfK), f[len(f)-1].Code)
	assert.Equal(t, uint16(bpfRET|bpfK), f[len(f)-2].Code)
}

const seccompEnv = "PLAYGROUND_SECCOMP_TEST_CHILD"

// seccompChild installs the worker's filter and tries what it must refuse
// and what it must allow; its exit status says which failed.
func seccompChild() int {
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		return 10
	}
	if err := installSeccomp(); err != nil {
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

func TestSeccompFilterRefusesAndAllows(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=XXX")
	cmd.Env = append(os.Environ(), seccompEnv+"=1")
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	assert.Equal(t, 0, code, "child: %s", out)
}
