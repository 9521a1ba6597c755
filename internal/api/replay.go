package api

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"sync"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/runner"
)

// replay is a run of a session's request held paused at an earlier event,
// to answer GET .../state?seq=N. The simulated engine is deterministic: the
// same request reaches the same state at the same Seq.
type replay struct {
	Run
	cancel context.CancelFunc
}

// Close ends the replay and frees its engine.
func (rp *replay) Close() error {
	rp.cancel()
	go rp.Run.Close()
	return nil
}

// replayTo runs req until its event seq (or its end, if it has fewer) and
// holds it there. It counts against the one-shot runs' limit.
func (s *Server) replayTo(ctx context.Context, req runner.Request, seq uint64) (*replay, uint64, error) {
	select {
	case s.runSlots <- struct{}{}:
	default:
		return nil, 0, Errorf(CodeTooMany, "the server is running its limit of %d programs at once; try again shortly", s.limits.MaxRuns)
	}
	rctx, cancel := context.WithCancel(s.ctx)
	release := func() { cancel(); <-s.runSlots }
	req.Limits.WallTime = s.limits.RunTime
	reached := make(chan uint64, 1)
	sink := func(e *engine.Event) {
		if e.Seq < seq && e.Type != engine.EvExit {
			return
		}
		select {
		case reached <- e.Seq:
		default:
		}
		if e.Type != engine.EvExit {
			<-rctx.Done() // hold the program here until the answer is made
		}
	}
	run, err := s.runner.Start(rctx, req, sink)
	if err != nil {
		release()
		return nil, 0, startError(err)
	}
	rp := &replay{Run: run, cancel: sync.OnceFunc(release)}
	select {
	case at := <-reached:
		return rp, at, nil
	case <-run.Done():
		res, _ := run.Wait()
		return rp, res.Events, nil
	case <-ctx.Done():
		rp.Close()
		return nil, 0, ctx.Err()
	}
}

// jsonInt is a system-call argument from JSON: a number, or a string
// holding one in decimal or 0x hex ("0x7f0000000000", "-1"), since a
// 64-bit address does not fit a JavaScript number.
type jsonInt int64

func (n *jsonInt) UnmarshalJSON(b []byte) error {
	s := string(b)
	if len(s) > 0 && s[0] == '"' {
		var err error
		if s, err = strconv.Unquote(s); err != nil {
			return err
		}
	}
	s = strings.ReplaceAll(s, "_", "")
	if v, err := strconv.ParseInt(s, 0, 64); err == nil {
		*n = jsonInt(v)
		return nil
	}
	v, err := strconv.ParseUint(s, 0, 64)
	if err != nil {
		return &json.UnsupportedValueError{Str: "argument " + string(b) + " is not an integer"}
	}
	*n = jsonInt(v)
	return nil
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }
