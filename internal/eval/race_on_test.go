//go:build race

package eval

// raceEnabled tells tests the race detector is on.
const raceEnabled = true
