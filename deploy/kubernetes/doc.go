// Package kubernetes holds the manifests that run the playground on more
// than one machine (a kustomize base, README.md) and the test that keeps
// them honest: every manifest decodes strictly into its typed k8s.io/api
// object, unknown fields being errors, and carries what a classroom
// deployment needs (probes, resources, a locked-down security context,
// cookie affinity, autoscaling, a disruption budget, no egress).
package kubernetes
