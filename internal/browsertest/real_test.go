package browsertest

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/mmapplayground/playground/internal/api"
)

// realHandler is the playground's real server (package api, with the page
// mounted at its root), shut down when the test ends.
func realHandler(t *testing.T) http.Handler {
	t.Helper()
	srv, err := api.New(api.Config{})
	if err != nil {
		t.Fatalf("api.New: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	})
	return srv.Handler()
}
