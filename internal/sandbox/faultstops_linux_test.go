package sandbox

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
)

// faultStopsSource touches the eight pages of its area one by one, then
// prints: a program not stopped at its faults runs on to that write.
const faultStopsSource = `#include <stdio.h>
#include <sys/mman.h>
int main(void) {
	char *p = mmap(NULL, 8 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (int i = 0; i < 8; i++)
		p[i * 4096] = 1;
	printf("touched\n");
	return 0;
}
`

// TestFaultStopsOnlyWhenAsked: a paced run of gcc's build stops at its
// faults only while the parent has turned the stops on (SetFaultStops, the
// page's step by fault): held at a fault event with the stops on, the
// program stands at that fault (one page of its area present); with them
// off it runs on to its next system call (all eight present), and the
// stops turn on and off within one run, and may be asked for before the
// program has started.
func TestFaultStopsOnlyWhenAsked(t *testing.T) {
	tests := []struct {
		name string
		// at is when the stops are turned on: "" never, "start" at the
		// run's first event (while it builds), "mmap" at the area's mmap.
		at string
		// present is how many of the area's pages are present when the
		// sink holds the first and the second of the area's fault events.
		present [2]int
	}{
		{"never on", "", [2]int{8, 8}},
		{"on from the start", "start", [2]int{1, 2}},
		{"on at the mmap, off at the first fault", "mmap", [2]int{1, 8}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			type held struct {
				e    engine.Event
				back chan struct{}
			}
			holds := make(chan held)
			w, err := testConfig(t).Start(context.Background(), Job{Source: faultStopsSource, Paced: true}, func(e *engine.Event) {
				// The run's first event (its note on the build), the area's
				// mmap, each fault, and the note that says the kernel has no
				// stops at faults.
				hold := e.Seq == 1 || e.Type == engine.EvSyscall && e.Name == "mmap" && len(e.Args) > 1 && e.Args[1].Int == 8*4096 ||
					e.Type == engine.EvFault || e.Type == engine.EvNote && strings.Contains(e.Message, "does not stop a program at its faults")
				if !hold {
					return
				}
				back := make(chan struct{})
				holds <- held{*e, back}
				<-back
			})
			require.NoError(t, err)
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			var area uint64
			faults := 0
			for h := range holds {
				e := h.e
				switch {
				case e.Type == engine.EvNote && e.Seq != 1:
					close(h.back)
					go func() {
						for h := range holds {
							close(h.back)
						}
					}()
					w.Wait()
					t.Skip(e.Message)
				case e.Type == engine.EvNote:
					if tt.at == "start" {
						require.NoError(t, w.SetFaultStops(ctx, true))
					}
				case e.Type == engine.EvSyscall:
					area = uint64(e.Ret)
					if tt.at == "mmap" {
						require.NoError(t, w.SetFaultStops(ctx, true))
					}
				case area != 0 && e.Addr >= area && e.Addr < area+8*4096:
					want := tt.present[faults]
					present := func() int {
						pages, err := w.Pages(ctx, e.Pid, area, area+8*4096)
						require.NoError(t, err)
						n := 0
						for _, p := range pages {
							if p.State != engine.PageNone {
								n++
							}
						}
						return n
					}
					if want == 8 {
						// Not stopped: the program runs on to its write.
						require.Eventually(t, func() bool { return present() == 8 }, 30*time.Second, 10*time.Millisecond, "fault %d: the program runs on past its faults", faults+1)
					} else {
						assert.Equal(t, want, present(), "fault %d: the program stands at it", faults+1)
					}
					if tt.at == "mmap" && faults == 0 {
						require.NoError(t, w.SetFaultStops(ctx, false))
					}
					faults++
				}
				close(h.back)
				if faults == 2 {
					break
				}
			}
			go func() {
				for h := range holds {
					close(h.back)
				}
			}()
			res, err := w.Wait()
			close(holds)
			require.NoError(t, err)
			assert.Equal(t, 0, res.Status)
			assert.Equal(t, 2, faults)
		})
	}
}
