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
// running. Parallelism is judged by two figures that must agree: how many
// Ps goroutines held on average (the trace) and how many CPUs the process
// kept busy (its CPU time); holding a P does not put a thread on a CPU
// when the machine is busy.
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
	b.WriteString("Cell ran for " + Dur(t.Wall()) + " with GOMAXPROCS " + strconv.Itoa(t.GOMAXPROCS) + ": at most " + strconv.Itoa(peak) + " running at once (holding a P)")
	heldMany := peak > 1 && avg >= 1.1
	switch {
	case heldMany:
		b.WriteString(", " + num(avg) + " on average.\n")
	case peak > 1:
		b.WriteString(", but only " + num(avg) + " on average over the whole cell.\n")
	case peak == 1 && mine+earlier > 0 && t.GOMAXPROCS == 1:
		b.WriteString(": with one P, goroutines can only take turns.\n")
	case peak == 1 && mine+earlier > 0:
		b.WriteString(": no two goroutines ran at the same instant.\n")
	default:
		b.WriteString(".\n")
	}
	// Holding a P means the goroutine's thread may run, not that the OS
	// gave it a CPU: only the process's CPU time says whether it did.
	cpus, known := t.CPUs()
	switch {
	case known:
		b.WriteString("The process used " + Dur(t.CPU) + " of CPU time in " + Dur(t.CPUWall) + ": " + num(cpus) + " CPUs busy on average")
		switch {
		case heldMany && cpus > parallelCPUs && cpus < avg-0.5:
			b.WriteString(", so goroutines ran in parallel, but on fewer CPUs than the Ps they held: the machine was busy, and the threads holding the Ps took turns on the CPUs part of the time.\n")
		case heldMany && cpus > parallelCPUs:
			b.WriteString(", so goroutines ran in parallel.\n")
		case heldMany && cpus > 1.05:
			b.WriteString(". So they ran in parallel only a little of the time: the machine was busy (other processes had the cores, or this one may use fewer CPUs), and the threads holding the Ps mostly took turns on the CPUs.\n")
		case heldMany:
			b.WriteString(". So they did not really run in parallel: the machine was busy (other processes had the cores, or this one may use fewer CPUs), and the threads holding the Ps took turns on the CPUs.\n")
		default:
			b.WriteString(".\n")
		}
	case heldMany:
		b.WriteString("Goroutines held several Ps at once; whether the CPUs ran them at the same time is not known (no CPU time was measured).\n")
	}
	b.WriteString("It started " + plural(mine, "goroutine", "goroutines"))
	if earlier > 0 {
		b.WriteString("; " + plural(earlier, "goroutine", "goroutines") + " from earlier cells also took part")
	}
	b.WriteString(" (" + plural(t.Hidden, "goroutine", "goroutines") + " of the Go runtime and of Juggler itself not shown).\n")

	b.WriteString("Time summed over goroutines: running (holding a P) " + Dur(tot.Running) + ", runnable (waiting for a P) " + Dur(tot.Runnable) + ", blocked " + Dur(tot.BlockedTotal()))
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
	// Only when system calls took a real share of the cell: printing
	// alone makes a few short ones.
	if sc := tot.Blocked[tracer.ReasonSyscall]; sc > 0 && sc >= t.Wall()/10 {
		b.WriteString("A goroutine in a system call keeps its thread (M) blocked but lets go of its P, which the runtime hands to another thread; goroutines here ran on " + plural(threadsUsed(t), "thread", "threads") + ".\n")
	}

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

// parallelCPUs is how many CPUs busy on average, at least, make "ran in
// parallel" true: one is a single CPU; above it, some of the time two
// threads were on CPUs at once. The margin covers the runtime's and the
// kernel's own work (GC, the tracer) that a single CPU-bound goroutine
// brings along.
const parallelCPUs = 1.2

// threadsUsed counts the threads (Ms) on which visible goroutines ran.
func threadsUsed(t *tracer.Trace) int {
	ms := map[int64]bool{}
	for _, g := range t.Goroutines {
		for _, s := range g.Spans {
			if s.State == tracer.Running && s.M >= 0 {
				ms[s.M] = true
			}
		}
	}
	return len(ms)
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

// aliveSentences groups goroutines still alive by where they were started
// and what they do, in the order they were created.
func aliveSentences(alive []*tracer.Goroutine) []string {
	sites := make([]leaks.Site, len(alive))
	for i, g := range alive {
		sites[i] = leaks.Site{Where: "line " + strconv.Itoa(g.Line), What: waitsOn(g.Last())}
		switch {
		case g.Compiled && g.Line == 0 && g.Group == tracer.GroupEarlier:
			sites[i].Where = "cell " + strconv.FormatInt(g.Cell, 10)
		case g.Compiled && g.Line == 0:
			sites[i].Where = "the cell"
		case g.Group == tracer.GroupEarlier:
			sites[i].Where += " of cell " + strconv.FormatInt(g.Cell, 10)
		}
		if g.Compiled {
			sites[i].Where += " (" + g.Fn + ")"
		}
	}
	out := leaks.Sentences(sites, "still ")
	for i := range out {
		out[i] += "."
	}
	return out
}
