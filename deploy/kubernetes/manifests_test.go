package kubernetes

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"sigs.k8s.io/yaml"

	"github.com/mmapplayground/playground/internal/api"
)

// kustomization is the part of kustomize's Kustomization this base uses;
// decoded strictly, so a misspelt field fails here and not at apply time.
type kustomization struct {
	APIVersion string            `json:"apiVersion"`
	Kind       string            `json:"kind"`
	Namespace  string            `json:"namespace"`
	Resources  []string          `json:"resources"`
	Labels     []kustomizeLabels `json:"labels"`
	Images     []struct {
		Name    string `json:"name"`
		NewName string `json:"newName,omitempty"`
		NewTag  string `json:"newTag,omitempty"`
	} `json:"images"`
}

type kustomizeLabels struct {
	Pairs            map[string]string `json:"pairs"`
	IncludeSelectors bool              `json:"includeSelectors"`
}

// decode reads a manifest strictly into v: unknown or duplicate fields fail.
func decode(t *testing.T, name string, v any) {
	t.Helper()
	data, err := os.ReadFile(name)
	require.NoError(t, err)
	require.NoError(t, yaml.UnmarshalStrict(data, v), "%s", name)
}

// manifests are the base's resources, each with the typed object its kind
// decodes into.
func manifests(t *testing.T) map[string]any {
	t.Helper()
	var k kustomization
	decode(t, "kustomization.yaml", &k)
	assert.Equal(t, "kustomize.config.k8s.io/v1beta1", k.APIVersion)
	assert.Equal(t, "Kustomization", k.Kind)

	typed := map[string]any{}
	for _, r := range k.Resources {
		var meta struct {
			Kind string `json:"kind"`
		}
		data, err := os.ReadFile(r)
		require.NoError(t, err, "kustomization.yaml lists %s", r)
		require.NoError(t, yaml.Unmarshal(data, &meta), r)
		var obj any
		switch meta.Kind {
		case "Namespace":
			obj = &corev1.Namespace{}
		case "Deployment":
			obj = &appsv1.Deployment{}
		case "Service":
			obj = &corev1.Service{}
		case "Ingress":
			obj = &networkingv1.Ingress{}
		case "HorizontalPodAutoscaler":
			obj = &autoscalingv2.HorizontalPodAutoscaler{}
		case "PodDisruptionBudget":
			obj = &policyv1.PodDisruptionBudget{}
		case "NetworkPolicy":
			obj = &networkingv1.NetworkPolicy{}
		default:
			t.Fatalf("%s: kind %q has no typed object in this test", r, meta.Kind)
		}
		decode(t, r, obj)
		typed[meta.Kind] = obj
	}

	// Every manifest in the folder is in the base, and nothing else is.
	files, err := filepath.Glob("*.yaml")
	require.NoError(t, err)
	files = slices.DeleteFunc(files, func(f string) bool { return f == "kustomization.yaml" })
	slices.Sort(files)
	listed := slices.Sorted(slices.Values(k.Resources))
	assert.Equal(t, files, listed, "the folder's manifests and kustomization.yaml's resources")
	return typed
}

func TestManifestsDecodeStrictly(t *testing.T) {
	m := manifests(t)
	for _, kind := range []string{"Deployment", "Service", "Ingress", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy"} {
		assert.Contains(t, m, kind)
	}
}

// TestStrictDecodeRefusesUnknownFields shows the decoder the other tests rely
// on fails a manifest with a misspelt field.
func TestStrictDecodeRefusesUnknownFields(t *testing.T) {
	bad := []byte("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  replica: 3\n")
	assert.Error(t, yaml.UnmarshalStrict(bad, &appsv1.Deployment{}))
}

func TestDeployment(t *testing.T) {
	d := manifests(t)["Deployment"].(*appsv1.Deployment)
	pod := d.Spec.Template.Spec
	require.Len(t, pod.Containers, 1)
	c := pod.Containers[0]

	t.Run("selector matches the pods", func(t *testing.T) {
		for k, v := range d.Spec.Selector.MatchLabels {
			assert.Equal(t, v, d.Spec.Template.Labels[k], k)
		}
	})
	t.Run("probes: liveness on /healthz, readiness on /readyz", func(t *testing.T) {
		// A draining replica (SIGTERM) is alive but not ready: it must
		// leave the Service's endpoints without being restarted.
		for name, p := range map[string]*corev1.Probe{"startup": c.StartupProbe, "readiness": c.ReadinessProbe, "liveness": c.LivenessProbe} {
			require.NotNil(t, p, name)
			require.NotNil(t, p.HTTPGet, name)
			path := "/healthz"
			if name == "readiness" {
				path = "/readyz"
			}
			assert.Equal(t, path, p.HTTPGet.Path, name)
			assert.Equal(t, "http", p.HTTPGet.Port.String(), name)
		}
	})
	t.Run("resources", func(t *testing.T) {
		for _, r := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
			assert.Contains(t, c.Resources.Requests, r)
			assert.Contains(t, c.Resources.Limits, r)
		}
		// The server's host-memory budget (it sets GOMEMLIMIT) stays
		// below the container's limit, or the kernel kills it first.
		limit := c.Resources.Limits[corev1.ResourceMemory]
		budget := env(c, "PLAYGROUND_MEMORY")
		require.NotEmpty(t, budget, "PLAYGROUND_MEMORY")
		b, err := resource.ParseQuantity(strings.TrimSuffix(budget, "M") + "Mi")
		require.NoError(t, err)
		assert.Less(t, b.Value(), limit.Value(), "PLAYGROUND_MEMORY %s against the limit %s", budget, limit.String())
	})
	t.Run("security context", func(t *testing.T) {
		ps := pod.SecurityContext
		require.NotNil(t, ps)
		require.NotNil(t, ps.RunAsNonRoot)
		assert.True(t, *ps.RunAsNonRoot)
		require.NotNil(t, ps.SeccompProfile)
		assert.Equal(t, corev1.SeccompProfileTypeLocalhost, ps.SeccompProfile.Type)
		require.NotNil(t, ps.SeccompProfile.LocalhostProfile)
		assert.Equal(t, "profiles/mmap-playground.json", *ps.SeccompProfile.LocalhostProfile)
		_, err := os.Stat("../seccomp.json")
		assert.NoError(t, err, "the profile the pods name is shipped as deploy/seccomp.json")

		cs := c.SecurityContext
		require.NotNil(t, cs)
		require.NotNil(t, cs.AllowPrivilegeEscalation)
		assert.False(t, *cs.AllowPrivilegeEscalation)
		require.NotNil(t, cs.ReadOnlyRootFilesystem)
		assert.True(t, *cs.ReadOnlyRootFilesystem)
		require.NotNil(t, cs.Capabilities)
		assert.Equal(t, []corev1.Capability{"ALL"}, cs.Capabilities.Drop)
		assert.Empty(t, cs.Capabilities.Add)
	})
	t.Run("writable /tmp only", func(t *testing.T) {
		require.Len(t, c.VolumeMounts, 1)
		assert.Equal(t, "/tmp", c.VolumeMounts[0].MountPath)
		require.Len(t, pod.Volumes, 1)
		ed := pod.Volumes[0].EmptyDir
		require.NotNil(t, ed, "/tmp is an emptyDir")
		require.NotNil(t, ed.SizeLimit, "/tmp has a size limit")
	})
	t.Run("drain", func(t *testing.T) {
		require.NotNil(t, pod.TerminationGracePeriodSeconds)
		// The kubelet's SIGKILL comes after the server's own drain and
		// shutdown, with the settings the pod's environment gives.
		lim, err := api.LimitsFromEnv(func(k string) string { return env(c, k) })
		require.NoError(t, err)
		assert.Greater(t, time.Duration(*pod.TerminationGracePeriodSeconds)*time.Second, lim.StopTime(),
			"terminationGracePeriodSeconds against the drain's grace (PLAYGROUND_DRAIN_GRACE) and the shutdown's")
		assert.Equal(t, "0", d.Spec.Strategy.RollingUpdate.MaxUnavailable.String())
	})
}

func env(c corev1.Container, name string) string {
	for _, e := range c.Env {
		if e.Name == name {
			return e.Value
		}
	}
	return ""
}

func TestServiceIngressAffinity(t *testing.T) {
	m := manifests(t)
	d := m["Deployment"].(*appsv1.Deployment)
	svc := m["Service"].(*corev1.Service)
	ing := m["Ingress"].(*networkingv1.Ingress)

	for k, v := range svc.Spec.Selector {
		assert.Equal(t, v, d.Spec.Template.Labels[k], "the Service selects the pods: %s", k)
	}
	require.Len(t, svc.Spec.Ports, 1)
	assert.Equal(t, "http", svc.Spec.Ports[0].TargetPort.String())

	assert.Equal(t, "cookie", ing.Annotations["nginx.ingress.kubernetes.io/affinity"], "real-engine sessions stay on their replica")
	require.Len(t, ing.Spec.Rules, 1)
	paths := ing.Spec.Rules[0].HTTP.Paths
	require.Len(t, paths, 1)
	assert.Equal(t, svc.Name, paths[0].Backend.Service.Name)
	assert.Equal(t, ing.Spec.Rules[0].Host, env(d.Spec.Template.Spec.Containers[0], "PLAYGROUND_HOSTS"),
		"the server accepts the Host name the Ingress routes")
}

func TestScalingAndDisruption(t *testing.T) {
	m := manifests(t)
	d := m["Deployment"].(*appsv1.Deployment)
	hpa := m["HorizontalPodAutoscaler"].(*autoscalingv2.HorizontalPodAutoscaler)
	pdb := m["PodDisruptionBudget"].(*policyv1.PodDisruptionBudget)

	assert.Equal(t, "Deployment", hpa.Spec.ScaleTargetRef.Kind)
	assert.Equal(t, d.Name, hpa.Spec.ScaleTargetRef.Name)
	require.NotNil(t, hpa.Spec.MinReplicas)
	assert.GreaterOrEqual(t, *hpa.Spec.MinReplicas, int32(2), "more than one machine")
	assert.Greater(t, hpa.Spec.MaxReplicas, *hpa.Spec.MinReplicas)
	require.NotEmpty(t, hpa.Spec.Metrics)

	require.NotNil(t, pdb.Spec.MaxUnavailable)
	assert.Equal(t, "1", pdb.Spec.MaxUnavailable.String())
	for k, v := range pdb.Spec.Selector.MatchLabels {
		assert.Equal(t, v, d.Spec.Template.Labels[k], k)
	}
}

func TestNetworkPolicyDeniesEgress(t *testing.T) {
	m := manifests(t)
	d := m["Deployment"].(*appsv1.Deployment)
	np := m["NetworkPolicy"].(*networkingv1.NetworkPolicy)
	assert.Contains(t, np.Spec.PolicyTypes, networkingv1.PolicyTypeEgress)
	assert.Empty(t, np.Spec.Egress, "no egress rule: all egress denied")
	for k, v := range np.Spec.PodSelector.MatchLabels {
		assert.Equal(t, v, d.Spec.Template.Labels[k], k)
	}
}
