//go:build race

package native

// raceEnabled: a plugin must be built with -race when its host is.
const raceEnabled = true
