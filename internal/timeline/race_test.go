//go:build race

package timeline

// raceEnabled relaxes timing checks: the race detector slows rendering ~10x.
const raceEnabled = true
