package loadavg

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestSlowdown(t *testing.T) {
	for _, tc := range []struct {
		loadavg string
		cpus    int
		want    float64
	}{
		{"0.48 0.52 0.61 1/612 12345\n", 2, 1},
		{"2.00 1.00 1.00 3/612 12345\n", 2, 1},
		{"20.00 18.50 12.00 22/700 12345\n", 2, 10},
		{"30.16 26.64 20.04 31/700 12345\n", 4, 7.54},
		{"", 2, 1},
		{"garbage", 2, 1},
		{"8.0 1 1", 0, 1},
	} {
		assert.InDelta(t, tc.want, slowdown(tc.loadavg, tc.cpus), 1e-9, "%q on %d CPUs", tc.loadavg, tc.cpus)
	}
}

func TestStretchIsNeverShorter(t *testing.T) {
	assert.GreaterOrEqual(t, Stretch(3*time.Second), 3*time.Second)
}
