package sim

import (
	"testing"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestExecImage: the image's rodata and data are where Exec says, the data
// is private (a store copies it), and the break and stack are placed as
// the contract says.
func TestExecImage(t *testing.T) {
	e := New(engine.Options{})
	rec := &recorder{}
	e.SetSink(rec.sink)
	pr, err := e.Exec(engine.Image{Name: "prog", Rodata: []byte("hello\x00"), Data: []byte{1, 2, 3, 4}, Bss: 10000})
	require.NoError(t, err)
	assert.Equal(t, firstPid, pr.Pid)
	assert.Equal(t, uint64(imageBase+2*pg), pr.RodataAddr, "after the ELF headers and .text")
	assert.Equal(t, uint64(imageBase+4*pg), pr.DataAddr, "after .rodata and the RELRO page")
	assert.Equal(t, uint64(imageBase+7*pg), pr.Brk, "data and bss take three pages")
	assert.Equal(t, uint64(stackTop), pr.StackTop)
	assert.Equal(t, uint64(stackTop-engine.DefaultStackLimit), pr.StackLimit)
	b := make([]byte, 6)
	require.NoError(t, e.Load(pr.Pid, pr.RodataAddr, b))
	assert.Equal(t, "hello\x00", string(b))
	d := make([]byte, 4)
	require.NoError(t, e.Load(pr.Pid, pr.DataAddr, d))
	assert.Equal(t, []byte{1, 2, 3, 4}, d)
	require.NoError(t, e.Load(pr.Pid, pr.DataAddr+2*pg, d), "bss reads as zeros")
	assert.Equal(t, []byte{0, 0, 0, 0}, d)
	require.NoError(t, e.Store(pr.Pid, pr.DataAddr, []byte{9}))
	assert.Error(t, e.Store(pr.Pid, pr.RodataAddr, []byte{9}), "rodata is read-only")
	var lines []string
	for _, v := range e.Maps(pr.Pid) {
		lines = append(lines, v.MapsLine())
	}
	golden(t, "exec.maps", []byte(joinLines(lines)))
	// At main the loader has read .rodata's first page and relocated
	// .data's (a private copy already, as natively): only the bss past
	// .data's page faults, and the store to .rodata.
	assert.Equal(t, []engine.FaultKind{kindAnonZero, kindAccErr}, rec.faults(),
		"bss past .data's page is anonymous")
}

func joinLines(l []string) string {
	s := ""
	for _, x := range l {
		s += x + "\n"
	}
	return s
}
