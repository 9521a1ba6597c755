package api

import (
	"strconv"
	"sync"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/hostmem"
)

// stream is a session's event stream: a bounded ring of encoded events that
// each connected client reads at its own pace. Publishing never waits for a
// client (the engine's goroutine publishes, and a program must not slow down
// because a browser tab is in the background): a client that falls further
// behind than the ring holds skips to the oldest event still held and is
// told how many it missed.
//
// Positions count every message ever published, across runs; the ring
// holds positions [next-len(ring), next).
type stream struct {
	mu       sync.Mutex
	size     uint64   // how many messages the ring holds when full
	ring     [][]byte // ring[pos%size] is the encoded message at pos; grows to size
	next     uint64   // position of the next message
	runStart uint64   // position of the current run's first message
	subs     map[*subscriber]struct{}
	scratch  []byte // where publish encodes, before copying to a chunk
	chunk    []byte // where messages are stored, back to back
	// bytes is what the ring's messages hold, about (the chunks they are
	// in); memory counts it against the server's budget, so that new runs
	// wait while sessions' streams hold the memory.
	bytes  int64
	memory *hostmem.Budget
}

// subscriber is one client's cursor into a stream.
type subscriber struct {
	pos    uint64        // next position to send; guarded by stream.mu
	notify chan struct{} // a token when there is something to read (capacity 1)
}

// chunkBytes is the size of the chunks messages are stored in: one
// allocation for a few hundred events rather than one each. A chunk is
// freed when the ring has moved past all its messages.
const chunkBytes = 64 << 10

// maxScratchBytes is the most publish's encoding buffer keeps between
// events: an occasional large one (a long stdout write, an exit with many
// areas) does not stay allocated.
const maxScratchBytes = 16 << 10

func newStream(size int) *stream {
	if size < 1 {
		size = 1
	}
	return &stream{size: uint64(size), subs: make(map[*subscriber]struct{})}
}

// slot returns the ring's slot for the next message, growing the ring
// until it is full: a session that runs small programs never pays for
// the whole ring.
func (s *stream) slot() *[]byte {
	i := s.next % s.size
	if i == uint64(len(s.ring)) {
		s.ring = append(s.ring, nil)
	}
	return &s.ring[i]
}

// publish encodes e into the ring. It never blocks on a client.
func (s *stream) publish(e *engine.Event) {
	s.mu.Lock()
	s.scratch = e.AppendJSON(s.scratch[:0])
	s.store(s.scratch)
	if cap(s.scratch) > maxScratchBytes {
		s.scratch = nil
	}
	s.mu.Unlock()
}

// store copies msg into the current chunk (a new one when it is full) and
// puts it in the next slot.
func (s *stream) store(msg []byte) {
	if len(s.chunk)+len(msg) > cap(s.chunk) {
		s.chunk = make([]byte, 0, max(chunkBytes, len(msg)))
		// Counted a chunk at a time: the budget's lock once in a few
		// hundred events.
		s.memory.Hold(s.bytes + int64(cap(s.chunk)))
	}
	start := len(s.chunk)
	s.chunk = append(s.chunk, msg...)
	slot := s.slot()
	s.bytes += int64(len(msg)) - int64(len(*slot))
	*slot = s.chunk[start:len(s.chunk):len(s.chunk)]
	s.next++
	s.wakeLocked()
}

// publishRaw adds one already encoded JSON object (a state message).
func (s *stream) publishRaw(msg []byte) {
	s.mu.Lock()
	s.store(msg)
	s.mu.Unlock()
}

func (s *stream) wakeLocked() {
	for sub := range s.subs {
		select {
		case sub.notify <- struct{}{}:
		default:
		}
	}
}

// startRun marks where a new run's events begin: a client that connects
// later starts there.
func (s *stream) startRun() {
	s.mu.Lock()
	s.runStart = s.next
	s.mu.Unlock()
}

// subscribe adds a client starting at the current run's first event (or
// the oldest still held).
func (s *stream) subscribe() *subscriber {
	sub := &subscriber{notify: make(chan struct{}, 1)}
	s.mu.Lock()
	sub.pos = s.runStart
	s.subs[sub] = struct{}{}
	if s.next > sub.pos {
		sub.notify <- struct{}{}
	}
	s.mu.Unlock()
	return sub
}

func (s *stream) unsubscribe(sub *subscriber) {
	s.mu.Lock()
	delete(s.subs, sub)
	s.mu.Unlock()
}

// read appends to b, as one JSON array, the messages sub has not yet read,
// up to maxEvents of them or about maxBytes. It returns the new b, how many
// messages it appended, and how many sub missed because the ring overwrote
// them since its last read (0 when it kept up). When more remain, it leaves
// a token in sub.notify so the writer comes back.
func (s *stream) read(sub *subscriber, b []byte, maxEvents, maxBytes int) (_ []byte, n int, dropped uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	size := s.size
	oldest := uint64(0)
	if s.next > size {
		oldest = s.next - size
	}
	if sub.pos < oldest {
		dropped = oldest - sub.pos
		sub.pos = oldest
	}
	start := len(b)
	for sub.pos < s.next && n < maxEvents && len(b)-start < maxBytes {
		if n == 0 {
			b = append(b, '[')
		} else {
			b = append(b, ',')
		}
		b = append(b, s.ring[sub.pos%size]...)
		sub.pos++
		n++
	}
	if n > 0 {
		b = append(b, ']')
	}
	if sub.pos < s.next {
		select {
		case sub.notify <- struct{}{}:
		default:
		}
	}
	return b, n, dropped
}

// appendDropped appends the marker a lagging client is sent.
func appendDropped(b []byte, count uint64) []byte {
	b = append(b, `{"type":"dropped","count":`...)
	b = strconv.AppendUint(b, count, 10)
	return append(b, '}')
}
