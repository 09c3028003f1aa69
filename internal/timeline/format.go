package timeline

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/juggler-kernel/juggler/internal/tracer"
)

// Dur formats a duration for people: three significant digits at most and a
// unit that keeps the number small ("850 ns", "12.3 µs", "1.25 ms", "2.5 s").
func Dur(d time.Duration) string {
	v := float64(d)
	switch a := math.Abs(v); {
	case a < 1e3:
		return strconv.FormatInt(int64(d), 10) + " ns"
	case a < 1e6:
		return sig3(v/1e3) + " µs"
	case a < 1e9:
		return sig3(v/1e6) + " ms"
	}
	return sig3(v/1e9) + " s"
}

func sig3(v float64) string {
	dec := 0
	switch a := math.Abs(v); {
	case a < 10:
		dec = 2
	case a < 100:
		dec = 1
	}
	s := strconv.FormatFloat(v, 'f', dec, 64)
	if dec > 0 {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// niceStep returns a step of 1, 2 or 5 times a power of ten, close to span/n.
func niceStep(span float64, n int) float64 {
	raw := span / float64(n)
	if raw <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw {
			return m * p
		}
	}
	return 10 * p
}

// tickLabel formats an axis tick, in the unit that suits the whole axis.
func tickLabel(v, span float64) string {
	if v == 0 {
		return "0"
	}
	unit, name := 1.0, "ns"
	switch {
	case span >= 2e9:
		unit, name = 1e9, "s"
	case span >= 2e6:
		unit, name = 1e6, "ms"
	case span >= 2e3:
		unit, name = 1e3, "µs"
	}
	x := math.Round(v/unit*1000) / 1000
	return strconv.FormatFloat(x, 'f', -1, 64) + " " + name
}

// waitsOn describes what a goroutine is doing in span s, for sentences:
// "blocked (chan send)", "running", "runnable".
func waitsOn(s tracer.Span) string {
	switch s.State {
	case tracer.Blocked:
		return "blocked (" + s.Reason + ")"
	case tracer.Running:
		return "running"
	case tracer.Runnable:
		return "runnable"
	}
	return "alive"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
