package deploy

import (
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"

	"github.com/mmapplayground/playground/internal/api"
)

// TestComposeStopGrace: docker compose's SIGKILL comes after the server's
// own drain and shutdown, with the settings the compose file gives it.
func TestComposeStopGrace(t *testing.T) {
	data, err := os.ReadFile("../docker-compose.yml")
	require.NoError(t, err)
	var c compose
	require.NoError(t, yaml.Unmarshal(data, &c))
	svc, ok := c.Services["playground"]
	require.True(t, ok)
	grace, err := time.ParseDuration(svc.StopGracePeriod)
	require.NoError(t, err, "stop_grace_period %q", svc.StopGracePeriod)
	lim, err := api.LimitsFromEnv(func(k string) string {
		return interpolation.ReplaceAllString(svc.Environment[k], "$1")
	})
	require.NoError(t, err)
	assert.Greater(t, grace, lim.StopTime(), "stop_grace_period against the drain's grace (PLAYGROUND_DRAIN_GRACE) and the shutdown's")
}
