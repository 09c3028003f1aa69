package timeline

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/juggler-kernel/juggler/internal/leaks"
	"github.com/juggler-kernel/juggler/internal/tracer"
)

// Summary is the text/plain companion of the timeline: a few plain sentences
// for learners about parallelism, where the time went, and what was left
// running.
func Summary(t *tracer.Trace) string {
	var b strings.Builder
	peak, _ := t.PeakRunning()
	var mine, earlier int
	for _, g := range t.Goroutines {
		switch g.Group {
		case tracer.GroupThisCell:
			mine++
		case tracer.GroupEarlier:
			earlier++
		}
	}

	tot := t.Totals()
	// The peak can count a hand-over instant; the average is what the Ps
	// did over the whole cell, which is what parallelism means to a reader.
	avg := 0.0
	if t.Wall() > 0 {
		avg = float64(tot.Running) / float64(t.Wall())
	}
	b.WriteString("Cell ran for " + Dur(t.Wall()) + " with GOMAXPROCS " + strconv.Itoa(t.GOMAXPROCS) + ": at most " + strconv.Itoa(peak) + " running at once")
	switch {
	case peak > 1 && avg >= 1.1:
		b.WriteString(", " + strconv.FormatFloat(avg, 'f', 1, 64) + " on average, so goroutines ran in parallel.\n")
	case peak > 1:
		b.WriteString(", but only " + strconv.FormatFloat(avg, 'f', 1, 64) + " on average over the whole cell.\n")
	case peak == 1 && mine+earlier > 0 && t.GOMAXPROCS == 1:
		b.WriteString(": with one P, goroutines can only take turns.\n")
	case peak == 1 && mine+earlier > 0:
		b.WriteString(": no two goroutines ran at the same instant.\n")
	default:
		b.WriteString(".\n")
	}

	b.WriteString("It started " + plural(mine, "goroutine", "goroutines"))
	if earlier > 0 {
		b.WriteString("; " + plural(earlier, "goroutine", "goroutines") + " from earlier cells also took part")
	}
	b.WriteString(" (" + plural(t.Hidden, "runtime or kernel goroutine", "runtime and kernel goroutines") + " not shown).\n")

	b.WriteString("Time summed over goroutines: running " + Dur(tot.Running) + ", runnable (waiting for a P) " + Dur(tot.Runnable) + ", blocked " + Dur(tot.BlockedTotal()))
	if len(tot.Blocked) > 0 {
		reasons := make([]string, 0, len(tot.Blocked))
		for r := range tot.Blocked {
			reasons = append(reasons, r)
		}
		// Largest first; ties by name, so the text is stable.
		slices.SortFunc(reasons, func(a, b string) int {
			return cmp.Or(cmp.Compare(tot.Blocked[b], tot.Blocked[a]), cmp.Compare(a, b))
		})
		parts := make([]string, len(reasons))
		for i, r := range reasons {
			parts[i] = r + " " + Dur(tot.Blocked[r])
		}
		b.WriteString(" (" + strings.Join(parts, ", ") + ")")
	}
	b.WriteString(".\n")

	alive := t.StillAlive()
	if len(alive) == 0 {
		if mine > 0 {
			b.WriteString("Every goroutine it started had finished when it ended.\n")
		}
		return b.String()
	}
	for _, s := range aliveSentences(alive) {
		b.WriteString(s + "\n")
	}
	return b.String()
}

// aliveSentences groups goroutines still alive by where they were started
// and what they do, in the order they were created.
func aliveSentences(alive []*tracer.Goroutine) []string {
	sites := make([]leaks.Site, len(alive))
	for i, g := range alive {
		sites[i] = leaks.Site{Where: "line " + strconv.Itoa(g.Line), What: waitsOn(g.Last())}
		if g.Group == tracer.GroupEarlier {
			sites[i].Where += " of cell " + strconv.FormatInt(g.Cell, 10)
		}
	}
	out := leaks.Sentences(sites, "still ")
	for i := range out {
		out[i] += "."
	}
	return out
}
