package interp

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/engine/sim"
)

// TestSimImageContents holds the simulated engine to what Exec promises:
// the image's rodata and data are readable at RodataAddr and DataAddr.
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

// imageShim works around the simulated engine not yet loading the image's
// contents (TestSimImageContents): it writes data after Exec and answers
// loads from rodata out of the image. Remove it when that test passes.
type imageShim struct {
	engine.Engine
	ro     []byte
	roAddr uint64
}

func (s *imageShim) Exec(img engine.Image) (engine.Process, error) {
	pr, err := s.Engine.Exec(img)
	if err != nil {
		return pr, err
	}
	s.ro, s.roAddr = img.Rodata, pr.RodataAddr
	chk := make([]byte, len(img.Rodata))
	if len(chk) > 0 && s.Engine.Load(pr.Pid, pr.RodataAddr, chk) == nil && string(chk) == string(img.Rodata) {
		s.ro = nil // the engine loads images now
		return pr, nil
	}
	if len(img.Data) > 0 {
		if err := s.Engine.Store(pr.Pid, pr.DataAddr, img.Data); err != nil {
			return pr, err
		}
	}
	return pr, nil
}

func (s *imageShim) Load(pid int, addr uint64, buf []byte) error {
	if err := s.Engine.Load(pid, addr, buf); err != nil {
		return err
	}
	if s.ro != nil && addr >= s.roAddr && addr < s.roAddr+uint64(len(s.ro)) {
		copy(buf, s.ro[addr-s.roAddr:])
	}
	return nil
}
