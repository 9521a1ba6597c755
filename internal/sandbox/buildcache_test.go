package sandbox

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The cache is bounded in bytes: the least recently used builds go first,
// a binary too large for it is not kept, and a nil cache keeps nothing.
func TestBuildCacheKeepsTheRecentBuildsThatFit(t *testing.T) {
	bin := func(n int) []byte { return []byte(strings.Repeat("x", n)) }
	type step struct {
		op   string // put, get
		key  string
		size int
		hit  bool // get: found
	}
	for _, tc := range []struct {
		name  string
		max   int64
		steps []step
		want  BuildCacheStats
	}{
		{"a miss, then a hit", 800, []step{{"get", "a", 0, false}, {"put", "a", 100, false}, {"get", "a", 0, true}},
			BuildCacheStats{Hits: 1, Misses: 1, Entries: 1, Bytes: 100}},
		{"the least recently used goes first", 800, []step{{"put", "a", 100, false}, {"put", "b", 100, false}, {"get", "a", 0, true},
			{"put", "c", 100, false}, {"put", "d", 100, false}, {"put", "e", 100, false}, {"put", "f", 100, false}, {"put", "g", 100, false},
			{"put", "h", 100, false}, {"put", "i", 100, false}, {"get", "b", 0, false}, {"get", "a", 0, true}},
			BuildCacheStats{Hits: 2, Misses: 1, Entries: 8, Bytes: 800}},
		{"a binary over an eighth of the cache is not kept", 800, []step{{"put", "a", 101, false}, {"get", "a", 0, false}},
			BuildCacheStats{Misses: 1}},
		{"a second build of a key keeps the first", 800, []step{{"put", "a", 100, false}, {"put", "a", 50, false}, {"get", "a", 0, true}},
			BuildCacheStats{Hits: 1, Entries: 1, Bytes: 100}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := NewBuildCache(tc.max)
			for i, s := range tc.steps {
				switch s.op {
				case "put":
					c.put(s.key, bin(s.size))
				case "get":
					_, ok := c.get(s.key)
					assert.Equal(t, s.hit, ok, "step %d: get %s", i, s.key)
				}
			}
			assert.Equal(t, tc.want, c.Stats())
		})
	}
	var none *BuildCache
	assert.Nil(t, NewBuildCache(0))
	none.put("a", bin(10))
	_, ok := none.get("a")
	assert.False(t, ok)
	assert.Equal(t, BuildCacheStats{}, none.Stats())
}
