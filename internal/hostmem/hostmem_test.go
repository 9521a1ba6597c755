package hostmem

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBudget(t *testing.T) {
	server := New("memory", "--memory", 100, nil)
	a := New("run-memory", "--run-memory", 60, server)
	b := New("run-memory", "--run-memory", 60, server)

	require.NoError(t, a.Set(50))
	require.NoError(t, b.Set(40))
	assert.Equal(t, int64(90), server.Used())

	// Past its own limit: the run's fault, named.
	err := a.Set(61)
	var ex *ExceededError
	require.True(t, errors.As(err, &ex))
	assert.Equal(t, "run-memory", ex.Name)
	assert.False(t, ex.Server)
	assert.Contains(t, err.Error(), "--run-memory")
	assert.Equal(t, int64(50), a.Used(), "a refused use leaves it as it was")

	// Within its own, past the server's: the server is busy.
	err = b.Set(55)
	require.True(t, errors.As(err, &ex))
	assert.True(t, ex.Server)
	assert.False(t, server.Room(20))

	// Held memory counts past the limit, and leaves no room.
	c := New("stream", "", 0, server)
	c.Hold(200)
	assert.Equal(t, int64(290), server.Used())
	assert.False(t, server.Room(1))
	c.Release()

	// Shrinking always works; releasing gives it all back.
	require.NoError(t, a.Set(10))
	a.Release()
	b.Release()
	assert.Equal(t, int64(0), server.Used())
	assert.True(t, server.Room(100))
}

func TestSize(t *testing.T) {
	for n, want := range map[int64]string{4096: "4K", 256 << 20: "256M", 3 << 29: "1.5G", 2 << 30: "2G", 100: "100"} {
		assert.Equal(t, want, Size(n))
	}
}
