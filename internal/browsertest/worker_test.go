package browsertest

import (
	"os"
	"testing"

	"github.com/mmapplayground/playground/internal/sandbox"
)

// TestMain lets this test binary be the real engine's worker, as the
// playground binary is (real runs re-execute the running binary).
func TestMain(m *testing.M) {
	sandbox.ServeIfWorker()
	os.Exit(m.Run())
}
