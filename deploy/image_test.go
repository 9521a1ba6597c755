package deploy

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"
)

// compose is the part of docker-compose.yml the classroom image is run with.
type compose struct {
	Services map[string]struct {
		Environment     map[string]string `json:"environment"`
		StopGracePeriod string            `json:"stop_grace_period"`
		ReadOnly        bool              `json:"read_only"`
		Tmpfs           []string          `json:"tmpfs"`
		CapDrop         []string          `json:"cap_drop"`
		SecurityOpt     []string          `json:"security_opt"`
		PidsLimit       int               `json:"pids_limit"`
		Deploy          struct {
			Resources struct {
				Limits struct {
					Memory string `json:"memory"`
				} `json:"limits"`
			} `json:"resources"`
		} `json:"deploy"`
	} `json:"services"`
}

// interpolation is compose's ${VAR:-default}: the test takes the default.
var interpolation = regexp.MustCompile(`\$\{[A-Z_]+:-([^}]*)\}`)

// composeFlags are podman's flags for docker-compose.yml's playground
// service, by hand (podman compose is not there everywhere podman is), plus
// the shipped seccomp profile and the flags this host needs (runc; explicit
// ulimits, since raising them needs a capability the host may lack).
func composeFlags(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile("../docker-compose.yml")
	require.NoError(t, err)
	var c compose
	require.NoError(t, yaml.Unmarshal(data, &c))
	svc, ok := c.Services["playground"]
	require.True(t, ok, "docker-compose.yml has a playground service")

	flags := []string{"--runtime", "runc", "--ulimit", "nofile=4096:4096", "--ulimit", "nproc=4096:4096"}
	names := make([]string, 0, len(svc.Environment))
	for k := range svc.Environment {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		flags = append(flags, "-e", k+"="+interpolation.ReplaceAllString(svc.Environment[k], "$1"))
	}
	require.True(t, svc.ReadOnly, "compose runs the server on a read-only root")
	flags = append(flags, "--read-only")
	for _, m := range svc.Tmpfs {
		flags = append(flags, "--tmpfs", m)
	}
	for _, c := range svc.CapDrop {
		flags = append(flags, "--cap-drop", c)
	}
	for _, o := range svc.SecurityOpt {
		flags = append(flags, "--security-opt", strings.TrimSuffix(o, ":true"))
	}
	seccomp, err := filepath.Abs("seccomp.json")
	require.NoError(t, err)
	flags = append(flags, "--security-opt", "seccomp="+seccomp)
	if svc.PidsLimit > 0 {
		flags = append(flags, "--pids-limit", fmt.Sprint(svc.PidsLimit))
	}
	if m := svc.Deploy.Resources.Limits.Memory; m != "" {
		flags = append(flags, "--memory", m)
	}
	return flags
}

func podman(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command("podman", args...).CombinedOutput()
	require.NoError(t, err, "podman %s: %s", strings.Join(args, " "), out)
	return strings.TrimSpace(string(out))
}

// TestImage runs the classroom image that deploy/image-offline builds, with
// docker-compose.yml's settings and deploy/seccomp.json, and checks it as a
// classroom would use it: the page, /healthz and the HEALTHCHECK, a run on
// each engine, a non-root user on a read-only root. It needs podman and the
// image, so it runs only when asked (PLAYGROUND_IMAGE_TEST=1, as .ci/run
// does after building the image).
func TestImage(t *testing.T) {
	if os.Getenv("PLAYGROUND_IMAGE_TEST") == "" {
		t.Skip("set PLAYGROUND_IMAGE_TEST=1 after deploy/image-offline to check the image (.ci/run does)")
	}
	image := os.Getenv("PLAYGROUND_IMAGE")
	if image == "" {
		image = "mmap-playground:offline"
	}
	if _, err := exec.LookPath("podman"); err != nil {
		t.Skip("podman not found")
	}
	require.NoError(t, exec.Command("podman", "image", "exists", image).Run(), "%s: run deploy/image-offline first", image)

	name := fmt.Sprintf("mmap-playground-test-%d", os.Getpid())
	args := append([]string{"run", "-d", "--name", name, "-p", "127.0.0.1::8080"}, composeFlags(t)...)
	podman(t, append(args, image)...)
	t.Cleanup(func() {
		if t.Failed() {
			out, _ := exec.Command("podman", "logs", name).CombinedOutput()
			t.Logf("container log:\n%s", out)
		}
		_ = exec.Command("podman", "rm", "-f", "-t", "2", name).Run()
	})
	port := podman(t, "port", name, "8080/tcp")
	base := "http://" + strings.TrimSpace(strings.Split(port, "\n")[0])

	client := &http.Client{Timeout: 10 * time.Second}
	require.Eventually(t, func() bool {
		resp, err := client.Get(base + "/healthz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}, 60*time.Second, 200*time.Millisecond, "/healthz answers")

	t.Run("the page", func(t *testing.T) {
		resp, err := client.Get(base + "/")
		require.NoError(t, err)
		defer resp.Body.Close()
		var b bytes.Buffer
		_, _ = b.ReadFrom(resp.Body)
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Contains(t, b.String(), "<title>")
		assert.Contains(t, b.String(), "/static/app.js")
	})

	t.Run("HEALTHCHECK", func(t *testing.T) {
		inspect := podman(t, "image", "inspect", "--format", "{{json .Config.Healthcheck}} {{.Config.User}}", image)
		assert.Contains(t, inspect, "healthcheck")
		assert.True(t, strings.HasSuffix(inspect, " 65532:65532"), inspect)
		assert.Eventually(t, func() bool {
			return exec.Command("podman", "healthcheck", "run", name).Run() == nil
		}, 30*time.Second, time.Second, "podman healthcheck run passes")
	})

	t.Run("non-root on a read-only root", func(t *testing.T) {
		assert.Equal(t, "65532", podman(t, "exec", name, "/usr/bin/id", "-u"))
		out, err := exec.Command("podman", "exec", name, "/usr/bin/touch", "/usr/local/bin/x").CombinedOutput()
		assert.Error(t, err, "the root file system is read-only: %s", out)
		assert.Contains(t, string(out), "Read-only file system")
		podman(t, "exec", name, "/usr/bin/touch", "/tmp/x")
	})

	for _, eng := range []string{"sim", "real"} {
		t.Run("a run on "+eng, func(t *testing.T) {
			src, err := os.ReadFile("../examples/c/file_vs_anon.c")
			require.NoError(t, err)
			body, _ := json.Marshal(map[string]any{
				"engine": eng, "source": string(src),
				"files": map[string]string{"data.bin": "ABCDEFGHIJKLMNOPQRSTUVWXYZ"},
			})
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			req, _ := http.NewRequestWithContext(ctx, "POST", base+"/api/v1/run", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			require.Equal(t, http.StatusOK, resp.StatusCode)
			var stdout strings.Builder
			var exit map[string]any
			dec := json.NewDecoder(resp.Body)
			for dec.More() {
				var ev map[string]any
				require.NoError(t, dec.Decode(&ev))
				switch ev["type"] {
				case "stdout":
					stdout.WriteString(fmt.Sprint(ev["text"]))
				case "exit":
					exit = ev
				case "error":
					t.Errorf("error event: %v", ev)
				}
			}
			require.NotNil(t, exit, "the run ends with an exit event")
			assert.EqualValues(t, 0, exit["status"], "exit status")
			assert.Contains(t, stdout.String(), "ABC", "the program printed the file's bytes through its mapping")
		})
	}
}
