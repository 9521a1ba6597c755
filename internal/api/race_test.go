//go:build race

package api

// raceEnabled: the race detector slows the engine several times over, and
// the tests' time bounds with it.
const raceEnabled = true
