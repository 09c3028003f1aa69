// Package tracer runs a notebook cell under the Go execution tracer and turns
// the trace into a model of the cell's goroutines: one lane of state spans
// per goroutine the user started, one lane per P, and the edges of who
// created and who woke whom.
//
// Under the interpreter every goroutine has the same creation stack, so
// stacks cannot say which go statement started a goroutine. Instead the
// kernel labels goroutines as they start (LabelGoroutine, LabelCellFlow);
// the labels travel inside the trace as runtime/trace.Log events and Parse
// maps trace goroutine IDs back to cell lines. Unlabelled goroutines (the
// runtime's, the kernel's, the tracer's own) are hidden but counted.
package tracer

import (
	"slices"
	"strconv"
	"time"
)

// State is what a goroutine is doing during a span.
type State uint8

// Goroutine states, coarser than the runtime's: a goroutine in a system call
// counts as Blocked with reason "syscall".
const (
	Running  State = iota + 1 // holds a P (its thread may still wait for a CPU)
	Runnable                  // ready, waiting for a P
	Blocked                   // waiting for something; Span.Reason says what
)

func (s State) String() string {
	switch s {
	case Running:
		return "running"
	case Runnable:
		return "runnable"
	case Blocked:
		return "blocked"
	}
	return "state(" + strconv.Itoa(int(s)) + ")"
}

// Reasons a goroutine is blocked, as Span.Reason reports them. Reasons the
// runtime gives that are not listed here are passed on as given.
const (
	ReasonChanSend = "chan send"
	ReasonChanRecv = "chan receive"
	ReasonSelect   = "select"
	ReasonSync     = "sync"    // sync.Mutex, RWMutex, WaitGroup, Cond, ...
	ReasonSleep    = "sleep"   // time.Sleep
	ReasonSyscall  = "syscall" // in a system call
	ReasonIO       = "IO"      // network or file poller
	ReasonForever  = "forever" // select {} or a nil channel: never wakes
	ReasonGC       = "GC"      // waiting on the garbage collector
	ReasonOther    = "other"   // the runtime gave no reason
)

// Group says where a goroutine comes from.
type Group uint8

// Goroutine groups, in the order the timeline shows them.
const (
	GroupCellFlow Group = iota // the traced cell's own main flow
	GroupThisCell              // started by a go statement of the traced cell
	GroupEarlier               // started by an earlier cell, and still around
)

func (g Group) String() string {
	switch g {
	case GroupCellFlow:
		return "cell"
	case GroupThisCell:
		return "this cell"
	case GroupEarlier:
		return "earlier cells"
	}
	return "group(" + strconv.Itoa(int(g)) + ")"
}

// Span is a stretch of time a goroutine spent in one state. Times are
// nanoseconds since the trace's first event, like every time in a Trace.
type Span struct {
	Start, End int64
	State      State
	// Reason says why a Blocked span is blocked (Reason* constants), or why
	// a Runnable span left the P ("preempted", "runtime.Gosched").
	Reason string
	// RawReason is the reason as the trace gave it, when Reason was worked
	// out differently: the interpreter implements `for v := range ch` and
	// channel operations it can cancel with reflect.Select, so the trace
	// says "select" where the user wrote a receive; the stack tells which.
	RawReason string
	P         int   // the P of a Running span; -1 otherwise
	M         int64 // the thread of a Running span; -1 otherwise
	// WokenBy is the goroutine whose action made the goroutine runnable
	// again (a channel send, an unlock), set on the Blocked span it ended and
	// on the Runnable span that followed; 0 when unknown or woken by the
	// runtime itself (a timer, the network poller).
	WokenBy int64
}

// Duration is the span's length.
func (s Span) Duration() time.Duration { return time.Duration(s.End - s.Start) }

// Goroutine is one visible goroutine and its lane of spans.
type Goroutine struct {
	ID   int64 // the runtime's goroutine ID, as in the trace
	Cell int64 // the cell whose go statement (or main flow) it runs
	Line int   // cell line of the go statement, counting the magic line; 0 for a cell flow
	Fn   string
	// Compiled marks a goroutine started on behalf of the cell by code
	// whose go statements carry no label (a %%native cell, a package in a
	// plugin or in the kernel, an imported package's interpreted source):
	// Line is that of the goroutine that called it (0 for the cell's flow),
	// and Fn the function the new goroutine runs.
	Compiled bool
	Group    Group
	// Created is when it was created; goroutines that existed before the
	// traced window have Created == Trace.Start and Existed set.
	Created int64
	Existed bool
	Ended   int64 // when it exited; -1 if it was still alive at Trace.End
	Parent  int64 // the goroutine that created it; 0 if unknown
	Spans   []Span
}

// Label is how the timeline names the goroutine: "cell" for the traced cell's
// flow, otherwise "line 5: worker" (and "cell 3 line 5: worker" for earlier
// cells, whose line numbers refer to another cell).
func (g *Goroutine) Label() string {
	if g.Compiled {
		by := "line " + strconv.Itoa(g.Line)
		if g.Line == 0 {
			by = "the cell"
		}
		if g.Group == GroupEarlier {
			by = "cell " + strconv.FormatInt(g.Cell, 10)
			if g.Line != 0 {
				by += " line " + strconv.Itoa(g.Line)
			}
		}
		return g.Fn + " (started by " + by + ")"
	}
	switch {
	case g.Group == GroupCellFlow:
		return "cell"
	case g.Line == 0:
		return "cell " + strconv.FormatInt(g.Cell, 10)
	case g.Group == GroupEarlier:
		return "cell " + strconv.FormatInt(g.Cell, 10) + " line " + strconv.Itoa(g.Line) + ": " + g.Fn
	}
	return "line " + strconv.Itoa(g.Line) + ": " + g.Fn
}

// Alive reports whether the goroutine had not exited when the trace ended.
func (g *Goroutine) Alive() bool { return g.Ended < 0 }

// Last returns the goroutine's last span (what it was doing at the end), or
// a zero Span if it has none.
func (g *Goroutine) Last() Span {
	if len(g.Spans) == 0 {
		return Span{}
	}
	return g.Spans[len(g.Spans)-1]
}

// Proc is one P's lane: which goroutine ran on it, and when.
type Proc struct {
	ID    int
	Spans []ProcSpan
}

// ProcSpan is a stretch of time one goroutine ran on a P.
type ProcSpan struct {
	Start, End int64
	G          int64 // goroutine ID; it may be hidden (runtime or kernel)
	M          int64 // the thread
}

// EdgeKind says what an Edge means.
type EdgeKind uint8

// Edge kinds.
const (
	Create EdgeKind = iota + 1 // From executed the go statement that created To
	Wake                       // From made the blocked To runnable
)

// Edge links two visible goroutines at one instant.
type Edge struct {
	Kind     EdgeKind
	From, To int64 // goroutine IDs
	At       int64
}

// Trace is the model of one traced cell.
type Trace struct {
	Cell int64
	// Start and End bound the window the timeline shows: from the cell's
	// LabelCellFlow to Capture.Stop (or the whole trace when those marks
	// are missing). Spans are clipped to it.
	Start, End int64
	GOMAXPROCS int
	// Goroutines are the visible goroutines: the cell flow first, then this
	// cell's goroutines by creation, then earlier cells' by creation.
	Goroutines []*Goroutine
	// Procs are the P lanes, by ID; every P below GOMAXPROCS has one, busy or not.
	Procs []*Proc
	// Edges are creation and wake-up edges between visible goroutines, by time.
	Edges []Edge
	// Hidden counts the unlabelled goroutines the trace saw: the runtime's,
	// the kernel's and the tracer's own.
	Hidden int
	// CPU is the CPU time the whole process used (every thread, user and
	// system) during CPUWall of wall time, both measured around the
	// capture. The trace says which goroutine held a P, not whether the
	// P's thread was on a CPU: on a busy machine the OS makes threads take
	// turns, and only this figure shows it. Both are zero when unknown (a
	// trace parsed from bytes).
	CPU, CPUWall time.Duration
}

// CPUs is how many CPUs the process kept busy on average while the cell
// ran (CPU time over wall time), and whether that is known.
func (t *Trace) CPUs() (float64, bool) {
	if t.CPUWall <= 0 {
		return 0, false
	}
	return float64(t.CPU) / float64(t.CPUWall), true
}

// Wall is the length of the traced window.
func (t *Trace) Wall() time.Duration { return time.Duration(t.End - t.Start) }

// Goroutine returns the visible goroutine with the given ID, or nil.
func (t *Trace) Goroutine(id int64) *Goroutine {
	for _, g := range t.Goroutines {
		if g.ID == id {
			return g
		}
	}
	return nil
}

// PeakRunning returns the largest number of visible goroutines that were
// running at the same instant, and the first instant it was reached. It is
// at most GOMAXPROCS: more than one means real parallelism.
func (t *Trace) PeakRunning() (n int, at int64) {
	// Each boundary is packed into one int64, time<<1 | 1 for a start, so a
	// plain integer sort orders by time with ends before starts at equal
	// times: a goroutine handing its P to another at the same nanosecond is
	// not two running at once. (Times are offsets from the trace's first
	// event, far below 2^62.)
	var bs []int64
	for _, g := range t.Goroutines {
		for _, s := range g.Spans {
			if s.State == Running && s.End > s.Start {
				bs = append(bs, s.Start<<1|1, s.End<<1)
			}
		}
	}
	slices.Sort(bs)
	cur := 0
	for _, b := range bs {
		if b&1 == 1 {
			cur++
		} else {
			cur--
		}
		if cur > n {
			n, at = cur, b>>1
		}
	}
	return n, at
}

// Totals is time summed over the visible goroutines' spans.
type Totals struct {
	Running, Runnable time.Duration
	Blocked           map[string]time.Duration // by Span.Reason
}

// BlockedTotal is the time blocked, whatever the reason.
func (t Totals) BlockedTotal() time.Duration {
	var d time.Duration
	for _, v := range t.Blocked {
		d += v
	}
	return d
}

// Totals sums the time the visible goroutines spent in each state.
func (t *Trace) Totals() Totals {
	tot := Totals{Blocked: map[string]time.Duration{}}
	for _, g := range t.Goroutines {
		for _, s := range g.Spans {
			switch s.State {
			case Running:
				tot.Running += s.Duration()
			case Runnable:
				tot.Runnable += s.Duration()
			case Blocked:
				tot.Blocked[s.Reason] += s.Duration()
			}
		}
	}
	return tot
}

// StillAlive returns the goroutines started by go statements (of this cell
// or earlier ones) that had not exited when the trace ended.
func (t *Trace) StillAlive() []*Goroutine {
	var out []*Goroutine
	for _, g := range t.Goroutines {
		if g.Group != GroupCellFlow && g.Alive() {
			out = append(out, g)
		}
	}
	return out
}
