package nativec

import (
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// terminalSignals are the signals a shell started with nohup or in the
// background leaves ignored. A process inherits an ignored signal across
// exec, so a native run started from such a shell would ignore SIGHUP where
// the same program run from a terminal (and on the model) dies of it.
var terminalSignals = []os.Signal{syscall.SIGHUP, syscall.SIGINT, syscall.SIGQUIT}

var defaultSignalsOnce sync.Once

// defaultSignalsInChildren makes the programs Run starts begin with each
// terminal signal at its default action, as a terminal's shell starts them.
// Go passes an ignored signal on to its children unless it handles the
// signal itself (a handled signal is reset to SIG_DFL by exec), so for each
// signal ignored at startup it installs a handler that drops the signal:
// this process still ignores it, its children do not.
func defaultSignalsInChildren() {
	defaultSignalsOnce.Do(func() {
		var ignored []os.Signal
		for _, s := range terminalSignals {
			if signal.Ignored(s) {
				ignored = append(ignored, s)
			}
		}
		if len(ignored) == 0 {
			return
		}
		drop := make(chan os.Signal, 1)
		signal.Notify(drop, ignored...)
		go func() {
			for range drop {
			}
		}()
	})
}
