package tracer

import (
	"context"
	"fmt"
	"runtime"
	"runtime/trace"
	"slices"
	"strconv"
	"sync"
	"time"
)

// Log categories the labelling API writes into the trace. Parse reads them
// back; they are also visible in `go tool trace` and gotraceui ("User log").
const (
	catGo    = "juggler/go"    // "cell line fn": the calling goroutine was started by a go statement
	catFlow  = "juggler/flow"  // "cell": the calling goroutine runs the cell's main flow
	catKnown = "juggler/known" // "goid cell line fn": a goroutine labelled before the trace started
	catStop  = "juggler/stop"  // "": Capture.Stop is about to stop the trace (end of the window)
	catNext  = "juggler/next"  // "cell line fn": the next goroutine the calling goroutine creates
)

// label is what the kernel told us about one goroutine.
type label struct {
	flow bool // the cell's main flow rather than a go statement
	cell int64
	line int
	fn   string
	// compiled: started by compiled code running on a goroutine labelled
	// cell/line (no go statement of the cell's own); fn is its start function.
	compiled bool
}

// maxRemembered bounds the registry of labelled goroutines. Entries are
// removed when a trace shows the goroutine ending; goroutines that end while
// no trace runs are only dropped by this bound (oldest IDs first, since the
// runtime hands out goroutine IDs in increasing order).
const maxRemembered = 1 << 16

// registry remembers every labelled goroutine by its runtime ID, so that a
// trace started later can still name goroutines that earlier cells started:
// trace.Log only reaches the trace while one is running, and a goroutine
// blocked since before the trace never logs again.
var registry struct {
	sync.Mutex
	m map[int64]label
}

// LabelGoroutine marks the calling goroutine as started by the go statement
// at line `line` of cell `cell` (lines count the magic line, as the user sees
// them), running the function fn as written ("worker", "func literal").
//
// Call it as the first thing on the new goroutine. It costs about a
// microsecond without a trace (to read the goroutine's ID for the registry
// that lets later traces name it) and a trace event with one. It returns
// the goroutine's runtime ID, which callers need too, so it is read once.
func LabelGoroutine(cell int64, line int, fn string) int64 {
	id := GoID()
	remember(id, label{cell: cell, line: line, fn: fn})
	if trace.IsEnabled() {
		trace.Log(context.Background(), catGo, strconv.FormatInt(cell, 10)+" "+strconv.Itoa(line)+" "+fn)
	}
	return id
}

// LabelNext labels, from the goroutine about to run a go statement, the
// goroutine it creates next. The new goroutine labels itself too, but only
// once it first runs, which may be after a short traced cell has ended.
// Free without a trace.
func LabelNext(cell int64, line int, fn string) {
	if trace.IsEnabled() {
		trace.Log(context.Background(), catNext, strconv.FormatInt(cell, 10)+" "+strconv.Itoa(line)+" "+fn)
	}
}

// LabelCellFlow marks the calling goroutine as running the main flow of cell
// `cell`. Call it when the cell's code starts; when the cell is traced, the
// timeline begins here. Without a trace it does nothing: a cell's flow
// never outlives the cell, so later traces need no memory of it.
func LabelCellFlow(cell int64) {
	if trace.IsEnabled() {
		markFlow()
		trace.Log(context.Background(), catFlow, strconv.FormatInt(cell, 10))
	}
}

// flowStart is the process's CPU time and the clock when the first cell
// flow was labelled during the capture: the CPU time of a traced cell is counted from there, as its
// timeline is, and not from Start (the cell is compiled in between).
var flowStart struct {
	sync.Mutex
	cpu time.Duration
	ok  bool
	at  time.Time
}

// markFlow records the first cell flow label since Start reset flowStart:
// the timeline starts at the traced cell's first label too, and a cell's
// flow may be labelled again as each of its pieces runs.
func markFlow() {
	cpu, ok := processCPU()
	now := time.Now()
	flowStart.Lock()
	if flowStart.at.IsZero() {
		flowStart.cpu, flowStart.ok, flowStart.at = cpu, ok, now
	}
	flowStart.Unlock()
}

func remember(id int64, l label) {
	if id <= 0 {
		return
	}
	registry.Lock()
	defer registry.Unlock()
	if registry.m == nil {
		registry.m = make(map[int64]label)
	}
	registry.m[id] = l
	if len(registry.m) > maxRemembered {
		// Drop the older half at once so that the cost is amortised.
		ids := make([]int64, 0, len(registry.m))
		for id := range registry.m {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, id := range ids[:len(ids)/2] {
			delete(registry.m, id)
		}
	}
}

// Forget drops what LabelGoroutine remembered of goroutine id, once it has
// ended: a trace started later has no use for it, and a long session would
// otherwise keep a label for every goroutine up to the registry's bound.
// A trace running now already holds the label, logged at its start or by
// LabelGoroutine itself.
func Forget(id int64) { forget([]int64{id}) }

func forget(ids []int64) {
	registry.Lock()
	defer registry.Unlock()
	for _, id := range ids {
		delete(registry.m, id)
	}
}

// logRemembered writes the registry into the running trace (on the calling
// goroutine, with each goroutine's ID in the message), so that the raw bytes
// alone are enough to name every labelled goroutine.
func logRemembered() {
	registry.Lock()
	msgs := make([]string, 0, len(registry.m))
	for id, l := range registry.m {
		msgs = append(msgs, fmt.Sprintf("%d %d %d %s", id, l.cell, l.line, l.fn))
	}
	registry.Unlock()
	ctx := context.Background()
	for _, m := range msgs {
		trace.Log(ctx, catKnown, m)
	}
}

// GoID returns the runtime ID of the calling goroutine, read from the first
// line of its stack trace ("goroutine 42 [running]:"): the runtime exports
// no cheaper way, and this one is stable across Go versions.
func GoID() int64 {
	var buf [64]byte
	n := runtime.Stack(buf[:], false)
	const prefix = "goroutine "
	if n <= len(prefix) {
		return 0
	}
	var id int64
	for _, c := range buf[len(prefix):n] {
		if c < '0' || c > '9' {
			break
		}
		id = id*10 + int64(c-'0')
	}
	return id
}
