// Package deploy holds what runs the playground for a classroom: the
// shipped seccomp profile (seccomp.json), the offline image build
// (image-offline, Containerfile.offline) and its check (TestImage, run by
// .ci/run after the build), and the Kubernetes manifests (kubernetes/).
package deploy
