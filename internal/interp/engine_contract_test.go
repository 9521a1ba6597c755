package interp

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/engine/sim"
)

// TestSimImageContents holds the simulated engine to what the interpreter
// relies on from Exec: the image's rodata and data are readable at
// RodataAddr and DataAddr.
func TestSimImageContents(t *testing.T) {
	eng := sim.New(engine.Options{})
	pr, err := eng.Exec(engine.Image{Name: "prog", Rodata: []byte("hello\x00"), Data: []byte{1, 2, 3, 4}})
	require.NoError(t, err)
	b := make([]byte, 6)
	require.NoError(t, eng.Load(pr.Pid, pr.RodataAddr, b))
	assert.Equal(t, "hello\x00", string(b))
	d := make([]byte, 4)
	require.NoError(t, eng.Load(pr.Pid, pr.DataAddr, d))
	assert.Equal(t, []byte{1, 2, 3, 4}, d)
}
