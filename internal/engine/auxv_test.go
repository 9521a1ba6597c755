package engine

import (
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestAuxvValue(t *testing.T) {
	vec := func(words ...uint64) []byte {
		b := make([]byte, 0, 8*len(words))
		for _, w := range words {
			b = binary.LittleEndian.AppendUint64(b, w)
		}
		return b
	}
	for _, c := range []struct {
		name string
		auxv []byte
		want uint64
		ok   bool
	}{
		{"present", vec(6, 4096, AT_MINSIGSTKSZ, 11952, 0, 0), 11952, true},
		{"absent", vec(6, 4096, 0, 0), 0, false},
		{"after AT_NULL", vec(0, 0, AT_MINSIGSTKSZ, 11952), 0, false},
		{"a torn pair", vec(6, 4096, AT_MINSIGSTKSZ)[:20], 0, false},
		{"empty", nil, 0, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			v, ok := auxvValue(c.auxv, AT_MINSIGSTKSZ)
			assert.Equal(t, c.ok, ok)
			assert.Equal(t, c.want, v)
		})
	}
}
