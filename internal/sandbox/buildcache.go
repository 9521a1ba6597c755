package sandbox

import (
	"container/list"
	"sync"
)

// maxCachedBinary is the largest binary a BuildCache keeps (and the
// largest a worker sends for it): a student's program built with -g is
// some 20-60 KB.
const maxCachedBinary = 4 << 20

// BuildCache keeps the binaries of recent builds in memory, by cc.Key, up
// to a total size, the least recently used going first: a classroom's
// thirty runs of one lesson's program are one build, and a student who
// runs the same program again waits for no compiler. The LRU packages the
// field uses (hashicorp/golang-lru, groupcache's lru) bound the number of
// entries; this one is bounded in bytes, which is what a server's memory
// is spent in. A nil *BuildCache keeps nothing.
//
// A binary enters the cache only from its own build, sent by the worker
// after the compiler and before the program has run (Worker.read takes no
// binary after the program's first event), so no program can put one
// there for another run.
type BuildCache struct {
	mu    sync.Mutex
	max   int64
	size  int64
	order *list.List // of *buildEntry, the most recently used first
	byKey map[string]*list.Element
	stats BuildCacheStats
}

type buildEntry struct {
	key string
	bin []byte
}

// BuildCacheStats counts a cache's lookups and what it holds.
type BuildCacheStats struct {
	Hits, Misses uint64
	Entries      int
	Bytes        int64
}

// NewBuildCache is a cache of at most maxBytes of binaries; nil when
// maxBytes is not positive (no cache).
func NewBuildCache(maxBytes int64) *BuildCache {
	if maxBytes <= 0 {
		return nil
	}
	return &BuildCache{max: maxBytes, order: list.New(), byKey: map[string]*list.Element{}}
}

// get is the binary built for key, if the cache has it. The slice is the
// cache's: callers only read it.
func (c *BuildCache) get(key string) ([]byte, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byKey[key]
	if !ok {
		c.stats.Misses++
		return nil, false
	}
	c.stats.Hits++
	c.order.MoveToFront(el)
	return el.Value.(*buildEntry).bin, true
}

// put keeps bin as key's build, dropping the least recently used builds
// until the total fits. A binary over maxCachedBinary, or over an eighth
// of the cache, is not kept.
func (c *BuildCache) put(key string, bin []byte) {
	n := int64(len(bin))
	if c == nil || n == 0 || n > maxCachedBinary || n > c.max/8 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byKey[key]; ok {
		c.order.MoveToFront(el)
		return
	}
	c.byKey[key] = c.order.PushFront(&buildEntry{key: key, bin: bin})
	c.size += n
	for c.size > c.max {
		el := c.order.Back()
		e := el.Value.(*buildEntry)
		c.order.Remove(el)
		delete(c.byKey, e.key)
		c.size -= int64(len(e.bin))
	}
}

// Stats is what the cache holds and how its lookups went.
func (c *BuildCache) Stats() BuildCacheStats {
	if c == nil {
		return BuildCacheStats{}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.stats
	s.Entries, s.Bytes = c.order.Len(), c.size
	return s
}
