package runner_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/hostmem"
	"github.com/mmapplayground/playground/internal/runner"
)

// scatter writes a different byte to every 64-byte line of 64 MiB: the
// host holds all of it (no page is uniform).
const scatter = `#include <sys/mman.h>
int main(void) {
	unsigned long n = 64UL << 20;
	char *p = mmap(0, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (unsigned long i = 0; i < n; i += 64)
		p[i] = (char)(i >> 6);
	return 0;
}`

// uniform memsets 512 MiB: a page of one byte costs the host nothing.
const uniform = `#include <string.h>
#include <sys/mman.h>
int main(void) {
	unsigned long n = 512UL << 20;
	char *p = mmap(0, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(p, 7, n);
	return p[n - 1] == 7 ? 0 : 3;
}`

// TestMemoryBudget: a run past its host-memory budget, or past the
// server's, ends with an error event that names the limit; the budget is
// given back when the run is closed; a memset gigabyte fits in a small one.
func TestMemoryBudget(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		run     int64 // the run's budget
		server  int64 // the server's (0: none)
		wantErr string
	}{
		{"past the run's budget", scatter, 16 << 20, 0, "host memory limit exceeded: this run would hold"},
		{"past the server's budget", scatter, 1 << 30, 16 << 20, "the server's host memory budget (memory, 16M) is spent"},
		{"uniform pages are free", uniform, 16 << 20, 16 << 20, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var server *hostmem.Budget
			if tt.server > 0 {
				server = hostmem.New("memory", "--memory", tt.server, nil)
			}
			// The wall time is not what is tested: a 512 MiB memset under
			// -race on a loaded machine ran past the default 10 s.
			req := runner.Request{Source: tt.src, Budget: server, Limits: runner.Limits{Memory: tt.run, WallTime: 5 * time.Minute}}
			var errs []string
			r, err := runner.Start(context.Background(), req, func(e *engine.Event) {
				if e.Type == engine.EvError {
					errs = append(errs, e.Message)
				}
			})
			require.NoError(t, err)
			res, err := r.Wait()
			require.NoError(t, err)
			if tt.wantErr == "" {
				assert.Empty(t, errs)
				assert.Equal(t, 0, res.Status)
			} else {
				require.Len(t, errs, 1)
				assert.Contains(t, errs[0], tt.wantErr)
				assert.Equal(t, 137, res.Status)
			}
			require.NoError(t, r.Close())
			assert.Zero(t, server.Used(), "the budget is given back at Close")
		})
	}
}
