//go:build linux

package corpus

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestManExamples(t *testing.T) {
	page := `.TH pkeys 7 2022-10-30 "Linux man-pages 6.03"
.\" SPDX-License-Identifier: Linux-man-pages-copyleft
.SH EXAMPLES
.in +4n
.EX
.RB "$" " ./a.out"
.EE
.in
.\" SRC BEGIN (t.h)
.EX
#define N 4
.EE
.\" SRC END
.\" SRC BEGIN (t.c)
.EX
#include "t.h"
.\" a comment the reader never sees
int main(void) { printf("%d\en", \-N); return 0 == 1 ? 0 : \[ti]0 & \(aqa\(aq; }
.EE
.\" SRC END
`
	got := ManExamples(page)
	assert.Equal(t, map[string]string{
		"t.h": "#define N 4\n",
		"t.c": "#include \"t.h\"\nint main(void) { printf(\"%d\\n\", -N); return 0 == 1 ? 0 : ~0 & 'a'; }\n",
	}, got)
	assert.Equal(t, "Linux-man-pages-copyleft", spdx(page))
	assert.Equal(t, "#line 1 \"t.h\"\n#define N 4\n#line 2 \"t.c\"\nint main(void);\n",
		inline("t.c", "#include \"t.h\"\nint main(void);\n", func(n string) (string, bool) { s, ok := got[n]; return s, ok }))

	unmarked := ".TH PKEYS 7\n.SS Program source\n\\&\n.EX\nint main(void) { return 0; }\n.EE\n"
	assert.Equal(t, map[string]string{"pkeys.c": "int main(void) { return 0; }\n"}, ManExamples(unmarked))
}

func TestParseManifest(t *testing.T) {
	for _, tc := range []struct {
		name, in, err string
	}{
		{"ok", "man/x\tmanpages-dev\tusr/share/man/man2/x.2.gz\tx.c\tMIT\t-\t-\ta b\t-\tyes\n", ""},
		{"columns", "man/x\tmanpages-dev\n", "2 columns"},
		{"package", "a\tdebian\tp\t-\tMIT\t-\t-\t-\t-\tyes\n", "unknown package"},
		{"run", "a\tmanpages-dev\tp\t-\tMIT\t-\t-\t-\t-\tmaybe\n", "run column"},
		{"twice", "a\tmanpages-dev\tp\t-\tMIT\t-\t-\t-\t-\tyes\na\tmanpages-dev\tp\t-\tMIT\t-\t-\t-\t-\tno: x\n", "listed twice"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ps, err := ParseManifest([]byte(tc.in))
			if tc.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, []Program{{ID: "man/x", Package: ManPages, Path: "usr/share/man/man2/x.2.gz", Block: "x.c", Licence: "MIT", Args: []string{"a", "b"}}}, ps)
		})
	}
	ps, err := ParseManifest(manifestTSV)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, len(ps), 100)
	_, err = ParseGaps(knownGapsTXT)
	require.NoError(t, err)
}

func TestMask(t *testing.T) {
	assert.Equal(t, "mremap time: Nns", mask("mremap time:        7311ns"))
	assert.Equal(t, "addr N pid N", mask("addr 0x7f12ab000 pid 4242"))
	assert.Equal(t, numbers, vary("pid 12\n", "pid 13\n"))
	assert.Equal(t, order, vary("a 1\nb 2\n", "b 3\na 4\n"))
	assert.Equal(t, unstable, vary("a\n", "b\n"))
}
