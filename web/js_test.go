package web

import (
	"os/exec"
	"testing"
)

// TestJSUnits runs the page's JavaScript unit tests (web/jstest, node's own
// test runner: node --test) when node is installed; .ci/run installs it.
func TestJSUnits(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed (apt-get install nodejs)")
	}
	out, err := exec.Command(node, "--test", "jstest/").CombinedOutput()
	if err != nil {
		t.Fatalf("node --test jstest/: %v\n%s", err, out)
	}
}
