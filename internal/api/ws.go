package api

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// The websocket's timing, after gorilla/websocket's chat example.
const (
	// writeWait is how long one write may take. A client that cannot take
	// a batch in this long is gone (or hopelessly slow) and is closed; it
	// never holds the engine, which only publishes into the ring.
	writeWait = 10 * time.Second
	// pongWait is how long the server waits for the next pong (or any
	// message) before it decides the client is gone: a laptop lid closed,
	// a network dropped.
	pongWait = 60 * time.Second
	// pingPeriod sends pings often enough that a live client's pong always
	// arrives within pongWait.
	pingPeriod = pongWait * 9 / 10
	// batchEvery is the shortest time between two batches to one client:
	// events that come faster are gathered into one message, so a program
	// making a quarter of a million events costs the server a few hundred
	// writes, not a quarter of a million. A client with a full batch
	// waiting gets it at once: waiting would only make it fall behind.
	batchEvery = 15 * time.Millisecond
	// maxBatchEvents and maxBatchBytes bound one message: large enough
	// that a write carries a few hundred events, small enough that the
	// buffers on both ends stay small and are reused (a browser parses a
	// 64 KiB message in well under a frame).
	maxBatchEvents = 1024
	maxBatchBytes  = 64 << 10
	// maxClientMessage is the most a client may send in one message: the
	// stream is one way, so only control frames and small notes come in.
	maxClientMessage = 4 << 10
)

// newUpgrader is the server's websocket upgrader. Write buffers come from
// a pool, so an idle stream holds none.
func (s *Server) newUpgrader() *websocket.Upgrader {
	return &websocket.Upgrader{
		ReadBufferSize:  1 << 10,
		WriteBufferSize: 16 << 10,
		WriteBufferPool: &sync.Pool{},
		CheckOrigin:     s.checkOrigin,
		// Batches of JSON compress well, but compression costs the CPU a
		// classroom's worth of streams needs for the programs.
		EnableCompression: false,
	}
}

// checkOrigin lets a browser page open the stream only from the server's
// own host or a configured origin; clients that send no Origin (scripts)
// are not browsers and pass.
func (s *Server) checkOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil {
		return false
	}
	if strings.EqualFold(u.Host, r.Host) {
		return true
	}
	for _, o := range s.origins {
		if o == "*" || strings.EqualFold(strings.TrimSuffix(o, "/"), origin) {
			return true
		}
	}
	return false
}

// sessionWS is GET /sessions/{id}/ws: the session's events as text
// messages, each an array of events (a batch) or one object (a dropped
// marker, a state).
func (s *Server) sessionWS(w http.ResponseWriter, r *http.Request, sess *Session) error {
	if !websocket.IsWebSocketUpgrade(r) {
		return Errorf(CodeInvalid, "this is a websocket: connect with Upgrade: websocket")
	}
	if !s.checkOrigin(r) {
		return Errorf(CodeForbidden, "a page from %q may not open this stream (the server allows its own host and --origins)", r.Header.Get("Origin"))
	}
	// Counted before the handshake ends, so that the session is never
	// seen idle with a client connected.
	release, err := s.streamSlots.take(sess, s.clientAddr(r))
	if err != nil {
		return err
	}
	// A stream opened on a run parked while idle finds it rebuilt: the
	// page opening it will step it.
	if err := s.wake(w, r, sess, false); err != nil {
		release()
		return err
	}
	sub := sess.stream.subscribe()
	conn, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		sess.stream.unsubscribe(sub)
		release()
		return nil // the upgrader has answered the client
	}
	s.metrics.streams.Inc()

	ctx, cancel := context.WithCancel(sess.ctx)
	s.goSafe("ws reader", func() {
		defer cancel()
		s.readPump(conn)
	})
	s.goSafe("ws writer", func() {
		defer func() {
			sess.stream.unsubscribe(sub)
			release()
			sess.touch()
			s.metrics.streams.Dec()
			conn.Close()
		}()
		s.writePump(ctx, conn, sess, sub)
	})
	return nil
}

// readPump reads (and discards) what the client sends, so that pongs and
// the close handshake are seen; it returns when the connection fails.
func (s *Server) readPump(conn *websocket.Conn) {
	conn.SetReadLimit(maxClientMessage)
	conn.SetReadDeadline(time.Now().Add(pongWait))
	conn.SetPongHandler(func(string) error {
		return conn.SetReadDeadline(time.Now().Add(pongWait))
	})
	for {
		if _, _, err := conn.ReadMessage(); err != nil {
			return
		}
		conn.SetReadDeadline(time.Now().Add(pongWait))
	}
}

// writePump is the connection's only writer: batches of events, the
// dropped marker and state for a client that fell behind, pings, and the
// close message when the session or the server ends.
func (s *Server) writePump(ctx context.Context, conn *websocket.Conn, sess *Session, sub *subscriber) {
	ping := time.NewTicker(pingPeriod)
	defer ping.Stop()
	var last time.Time
	full := false // the last batch was as large as a batch may be
	write := func(msg []byte) bool {
		conn.SetWriteDeadline(time.Now().Add(writeWait))
		return conn.WriteMessage(websocket.TextMessage, msg) == nil
	}
	for {
		select {
		case <-ctx.Done():
			code, text := websocket.CloseNormalClosure, "session ended"
			if s.ctx.Err() != nil {
				code, text = websocket.CloseGoingAway, "server shutting down"
			}
			conn.SetWriteDeadline(time.Now().Add(time.Second))
			conn.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(code, text))
			return
		case <-ping.C:
			conn.SetWriteDeadline(time.Now().Add(writeWait))
			if err := conn.WriteMessage(websocket.PingMessage, nil); err != nil {
				return
			}
		case <-sub.notify:
			if wait := batchEvery - time.Since(last); wait > 0 && !full {
				t := time.NewTimer(wait)
				select {
				case <-t.C:
				case <-ctx.Done():
					t.Stop()
					continue // the ctx case above closes
				}
			}
			bp := batchBuffers.Get().(*[]byte)
			buf, n, dropped := sess.stream.read(sub, (*bp)[:0], maxBatchEvents, maxBatchBytes)
			*bp = buf
			full = n == maxBatchEvents || len(buf) >= maxBatchBytes
			ok := s.writeBatch(sess, write, buf, n, dropped)
			batchBuffers.Put(bp)
			if !ok {
				return
			}
			last = time.Now()
		}
	}
}

// batchBuffers are the writers' batch buffers: a few hundred streams share
// the few that are being written at any moment, rather than each holding
// its largest batch for good.
var batchBuffers = sync.Pool{New: func() any { return new([]byte) }}

// writeBatch writes a batch read from the stream, after the dropped marker
// and the state if the client missed events; false if the connection failed.
func (s *Server) writeBatch(sess *Session, write func([]byte) bool, buf []byte, n int, dropped uint64) bool {
	if dropped > 0 {
		s.metrics.eventsDropped.Add(float64(dropped))
		if !write(appendDropped(nil, dropped)) {
			return false
		}
		st := []byte(`{"type":"state","seq":0,"state":null}`)
		if t := sess.currentTarget(); t != nil {
			st = stateMessage(0, t.State())
		}
		if !write(st) {
			return false
		}
	}
	if n > 0 {
		if !write(buf) {
			return false
		}
		s.metrics.eventsSent.Add(float64(n))
	}
	return true
}

// fdReserve is how many file descriptors streams leave to everything
// else: requests, /healthz, real-engine workers, the server's own files.
const fdReserve = 256

// streamSlots counts the open streams, per session (Session.streams), per
// client and in all, and refuses one past a limit with 429 before the
// handshake: twenty thousand from one host cannot take the descriptors
// /healthz needs.
type streamSlots struct {
	perSession, perClient, max int
	mu                         sync.Mutex
	total                      int
	byClient                   map[string]int
}

func newStreamSlots(l Limits) *streamSlots {
	return &streamSlots{perSession: l.StreamsPerSession, perClient: l.StreamsPerClient,
		max: min(l.MaxStreams, fdStreamCap()), byClient: map[string]int{}}
}

// take claims a slot for a stream of sess from client; release gives it
// back (once).
func (ss *streamSlots) take(sess *Session, client string) (release func(), err error) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	switch {
	case ss.total >= ss.max:
		return nil, Errorf(CodeTooMany, "the server holds its limit of %d streams; try again later", ss.max)
	case ss.perClient > 0 && ss.byClient[client] >= ss.perClient:
		return nil, Errorf(CodeTooMany, "this address has its limit of %d streams open; close one", ss.perClient)
	case ss.perSession > 0 && int(sess.streams.Load()) >= ss.perSession:
		return nil, Errorf(CodeTooMany, "this session has its limit of %d streams open; close one", ss.perSession)
	}
	ss.total++
	ss.byClient[client]++
	sess.streams.Add(1)
	var once sync.Once
	return func() {
		once.Do(func() {
			ss.mu.Lock()
			defer ss.mu.Unlock()
			ss.total--
			if ss.byClient[client]--; ss.byClient[client] <= 0 {
				delete(ss.byClient, client)
			}
			sess.streams.Add(-1)
		})
	}, nil
}
