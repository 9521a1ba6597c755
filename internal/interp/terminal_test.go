package interp

import (
	"context"
	"testing"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/stretchr/testify/assert"
)

// TestTerminalStdout: on a terminal (Config.Terminal) stdout is
// line-buffered and isatty(1) is 1; on a pipe (the default) it is fully
// buffered until exit and isatty(1) is 0, as glibc has them.
func TestTerminalStdout(t *testing.T) {
	src := `#include <stdio.h>
#include <unistd.h>
int main(void)
{
	printf("tty %d\n", isatty(1));
	getpid();
	printf("partial");
	getpid();
	printf(" line\n");
	return 0;
}
`
	tests := []struct {
		name     string
		terminal bool
		want     []string // the order of stdout and getpid events
	}{
		{"terminal", true, []string{"stdout tty 1\n", "getpid", "getpid", "stdout partial line\n"}},
		{"pipe", false, []string{"getpid", "getpid", "stdout tty 0\npartial line\n"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, evs := runWith(t, context.Background(), src, Config{Terminal: tc.terminal})
			var got []string
			for _, e := range evs {
				switch {
				case e.Type == engine.EvStdout:
					got = append(got, "stdout "+e.Text)
				case e.Type == engine.EvSyscall && e.Name == "getpid":
					got = append(got, "getpid")
				}
			}
			assert.Equal(t, tc.want, got)
		})
	}
}
