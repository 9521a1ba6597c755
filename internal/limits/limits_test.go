package limits

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSizes(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int64
	}{{"64K", 64 << 10}, {"16M", 16 << 20}, {"16MiB", 16 << 20}, {"2g", 2 << 30}, {"500_000_000", 5e8}, {"-1", -1}, {"1536M", 1536 << 20}} {
		n, err := ParseSize(tt.in)
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, n, tt.in)
		back, err := ParseSize(FormatSize(n))
		require.NoError(t, err)
		assert.Equal(t, n, back, "FormatSize(%d) = %s", n, FormatSize(n))
	}
	for _, bad := range []string{"", "x", "1T", "9999999999999G"} {
		_, err := ParseSize(bad)
		assert.Error(t, err, bad)
	}
	assert.Equal(t, "256K", FormatSize(256<<10))
	assert.Equal(t, "500000000", FormatSize(500_000_000))
}
