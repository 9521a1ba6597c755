package api

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"
)

// TestComposeLimitsDocumented holds docker-compose.yml's settings to the
// limits table: each PLAYGROUND_* variable it sets is a setting, its value
// reads, and a limit it sets to other than the default is a row of
// docs/limits.md's "The compose file" table with that value and the
// reason; that table lists nothing else.
func TestComposeLimitsDocumented(t *testing.T) {
	data, err := os.ReadFile("../../docker-compose.yml")
	require.NoError(t, err)
	var c struct {
		Services map[string]struct {
			Environment map[string]string `json:"environment"`
		} `json:"services"`
	}
	require.NoError(t, yaml.Unmarshal(data, &c))
	env := c.Services["playground"].Environment
	require.NotEmpty(t, env, "docker-compose.yml's playground service sets its settings")

	doc, err := os.ReadFile("../../docs/limits.md")
	require.NoError(t, err)
	_, section, ok := strings.Cut(string(doc), "\n## The compose file\n")
	require.True(t, ok, `docs/limits.md has a "## The compose file" section`)
	section, _, _ = strings.Cut(section, "\n## ")
	rows := map[string]string{} // variable -> the compose value the doc gives
	for _, line := range strings.Split(section, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 5 || !strings.HasPrefix(strings.TrimSpace(cells[1]), "`PLAYGROUND_") {
			continue
		}
		rows[strings.Trim(strings.TrimSpace(cells[1]), "`")] = strings.Trim(strings.TrimSpace(cells[2]), "`")
	}

	settings := map[string]bool{"PLAYGROUND_ADDR": true, "PLAYGROUND_TOKEN": true, "PLAYGROUND_ORIGINS": true,
		"PLAYGROUND_HOSTS": true, "PLAYGROUND_TRUST_PROXY": true, "PLAYGROUND_LOG": true}
	limitByEnv := map[string]limitVar{}
	for _, v := range limitVars {
		limitByEnv[v.env] = v
	}
	composed, err := LimitsFromEnv(func(k string) string { return env[k] })
	require.NoError(t, err, "docker-compose.yml's limits read")
	for name, value := range env {
		if !strings.HasPrefix(name, "PLAYGROUND_") {
			continue
		}
		v, isLimit := limitByEnv[name]
		if !isLimit {
			assert.True(t, settings[name], "docker-compose.yml sets %s, which is no setting of the server", name)
			continue
		}
		d := DefaultLimits
		same := reflect.DeepEqual(reflect.ValueOf(v.ptr(&composed)).Elem().Interface(), reflect.ValueOf(v.ptr(&d)).Elem().Interface())
		if same {
			assert.NotContains(t, rows, name, "docs/limits.md says the compose file's %s differs from the default; it is the default", name)
			continue
		}
		if assert.Contains(t, rows, name, "docker-compose.yml sets %s=%s, not the default %s: docs/limits.md's compose table must say why", name, value, v.defaultText()) {
			assert.Equal(t, value, rows[name], "the compose value docs/limits.md gives for %s", name)
		}
		delete(rows, name)
	}
	for name := range rows {
		if _, set := env[name]; !set {
			t.Errorf("docs/limits.md's compose table lists %s, which docker-compose.yml does not set", name)
		}
	}
}
