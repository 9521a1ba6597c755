package compare

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestExplanationsPointAtSections: every docs/differences.md#anchor an
// explanation (or a comment) of this package names is a section heading
// there, as GitHub makes anchors of headings.
func TestExplanationsPointAtSections(t *testing.T) {
	doc, err := os.ReadFile("../../docs/differences.md")
	require.NoError(t, err)
	anchors := map[string]bool{}
	drop := regexp.MustCompile(`[^a-z0-9 _-]`)
	for _, line := range strings.Split(string(doc), "\n") {
		if h, ok := strings.CutPrefix(line, "## "); ok {
			anchors[strings.ReplaceAll(drop.ReplaceAllString(strings.ToLower(h), ""), " ", "-")] = true
		}
	}
	src, err := os.ReadFile("compare.go")
	require.NoError(t, err)
	refs := regexp.MustCompile(`differences\.md#([a-z0-9_-]+)`).FindAllStringSubmatch(string(src), -1)
	require.NotEmpty(t, refs)
	for _, m := range refs {
		assert.True(t, anchors[m[1]], "docs/differences.md has no section #%s", m[1])
	}
}
