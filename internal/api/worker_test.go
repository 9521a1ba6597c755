package api

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/mmapplayground/playground/internal/sandbox"
)

// TestMain lets this test binary be the real engine's worker, as the
// playground binary is (real runs re-execute the running binary), and
// fails the package when a goroutine (a session's run, a stream's pumps,
// the reaper) outlives its tests.
func TestMain(m *testing.M) {
	sandbox.ServeIfWorker()
	goleak.VerifyTestMain(m)
}
