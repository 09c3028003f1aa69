package eval

import (
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/juggler-kernel/juggler/internal/leaks"
	"github.com/juggler-kernel/juggler/internal/tracer"
	"github.com/juggler-kernel/juggler/internal/yaegi/interp"
)

// Goroutine is one goroutine a cell started with a go statement.
type Goroutine struct {
	ID   int64 // the kernel's number, in start order
	Cell int64 // the cell that was running when it started
	Line int   // cell line of the go statement
	// Written is the execution count of the cell the go statement is in,
	// when that is not the cell that ran it (a func from an earlier cell).
	Written int
	// Count is the execution count of the cell that ran it.
	Count   int
	Started time.Time
	// Wait is what it waits on ("chan send", "sleep", ...), filled in by
	// the reports that look at the runtime.
	Wait string
	// GoID is the runtime's goroutine ID, or 0 until it runs.
	GoID int64
}

// goroutines keeps the book of goroutines cells started: every go statement
// in a cell is rewritten to call start, so the kernel knows where each one
// came from and a panic in one is reported instead of killing the worker.
type goroutines struct {
	stderr io.Writer
	trace  *traceWriter
	cell   atomic.Int64 // the cell running now
	count  atomic.Int64 // its execution count

	mu   sync.Mutex
	next int64
	live map[int64]*Goroutine
	// byGoID maps the runtime ID of a live goroutine to its cell.
	byGoID map[int64]int64
	// perCell counts the live goroutines of each cell.
	perCell map[int64]int
	// cancel cancels the cell running now; nil between cells.
	cancel context.CancelCauseFunc
	// exited holds the runtime IDs of goroutines whose os.Exit ended
	// their cell, which reports it: the goroutine's end is no panic.
	exited map[int64]bool
	// idle, when set, is told of an earlier cell whose last goroutine
	// ended, so the session can drop what it kept for that cell.
	idle func(cell int64)
}

// running records the cancel func of the cell that starts running, or nil
// when it has ended.
func (g *goroutines) running(cancel context.CancelCauseFunc) {
	g.mu.Lock()
	g.cancel = cancel
	g.mu.Unlock()
}

// exitCell ends the running cell with os.Exit(code) when a goroutine of
// that cell calls it.
func (g *goroutines) exitCell(code int) {
	id := tracer.GoID()
	g.mu.Lock()
	defer g.mu.Unlock()
	if cell, ok := g.byGoID[id]; ok && cell == g.cell.Load() && g.cancel != nil {
		if g.exited == nil {
			g.exited = map[int64]bool{}
		}
		g.exited[id] = true
		// The Exit in the cause tells the interpreter to unwind the
		// cell's code without running deferred calls.
		g.cancel(errors.Join(exitError(code, nil), interp.Exit{Code: code}))
	}
}

// callerCell returns the cell the calling goroutine belongs to: the cell
// that started it, or the cell running now for the cell's own flow and
// goroutines the kernel did not start.
func (g *goroutines) callerCell() int64 {
	cur := g.cell.Load()
	g.mu.Lock()
	onlyCur := len(g.perCell) == 0 || len(g.perCell) == 1 && g.perCell[cur] > 0
	g.mu.Unlock()
	// Reading a goroutine's ID costs a stack trace: skip it when the
	// answer is the same either way.
	if onlyCur {
		return cur
	}
	id := tracer.GoID()
	g.mu.Lock()
	defer g.mu.Unlock()
	if c, ok := g.byGoID[id]; ok {
		return c
	}
	return cur
}

func (g *goroutines) start(written, line int, fn string, run func()) {
	// A goroutine started by a goroutine belongs to the parent's cell: an
	// interrupt stops it with its parent, and no sooner.
	cell := g.callerCell()
	g.mu.Lock()
	g.next++
	gr := &Goroutine{ID: g.next, Cell: cell, Line: line, Started: time.Now(), Count: int(g.count.Load())}
	if written > 0 && written != gr.Count {
		gr.Written = written
		fn += fmt.Sprintf(" (In [%d])", written)
	}
	g.live[gr.ID] = gr
	g.perCell[cell]++
	g.mu.Unlock()
	tracer.LabelNext(gr.Cell, line, fn)
	go func() {
		id := tracer.LabelGoroutine(gr.Cell, line, fn)
		g.mu.Lock()
		gr.GoID = id
		g.byGoID[id] = gr.Cell
		g.mu.Unlock()
		defer func() {
			r := recover()
			g.mu.Lock()
			delete(g.live, gr.ID)
			delete(g.byGoID, id)
			quiet := g.exited[id]
			delete(g.exited, id)
			ended := false
			if g.perCell[cell]--; g.perCell[cell] == 0 {
				delete(g.perCell, cell)
				ended = cell != g.cell.Load()
			}
			g.mu.Unlock()
			if ended && g.idle != nil {
				g.idle(cell)
			}
			tracer.Forget(id)
			if r != nil && !quiet {
				reportPanic(g.stderr, fmt.Sprintf("goroutine started at line %d", line), r, g.trace.take())
			}
		}()
		run()
	}()
}

// dropStops deletes from stops the channels of cells that can sleep no
// more: not cell, not the cell running now, and without live goroutines.
// Without it a session would keep a channel for every cell that slept.
func (g *goroutines) dropStops(stops map[int64]chan struct{}, cell int64) {
	cur := g.cell.Load()
	g.mu.Lock()
	defer g.mu.Unlock()
	for c := range stops {
		if c != cell && c != cur && g.perCell[c] == 0 {
			delete(stops, c)
		}
	}
}

// reportPanic tells on stderr of a panic that a goroutine the kernel
// started recovered, where the cell cannot report it: "panic in goroutine
// started at line 2: boom", then the interpreter's frames if any.
func reportPanic(stderr io.Writer, where string, r any, frames []string) {
	msg := fmt.Sprintf("panic in %s: %v\n", where, panicText(r))
	if len(frames) > 0 {
		msg += strings.Join(frames, "\n") + "\n"
	}
	_, _ = io.WriteString(stderr, msg) // stderr is the kernel's pipe; nothing to do if it is gone
}

// Live returns the goroutines cells started that have not ended, oldest
// first.
func (s *Session) Live() []Goroutine {
	g := s.goroutines
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make([]Goroutine, 0, len(g.live))
	for _, gr := range g.live {
		out = append(out, *gr)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Blocked returns the goroutines started by cell that are blocked on
// something only another goroutine can end, with what they wait on. A
// goroutine must look blocked in two looks a short while apart, so one
// that is about to finish is not reported.
func (s *Session) Blocked(cell int64) []Goroutine {
	mine := func() []Goroutine {
		var out []Goroutine
		for _, gr := range s.Live() {
			if gr.Cell == cell {
				out = append(out, gr)
			}
		}
		return out
	}
	// Goroutines the cell started just before it ended may not have run
	// yet, and those that ended its wait (a WaitGroup's Done) may still be
	// on their way out: give them 20 ms, looking every millisecond, so a
	// cell whose goroutines all end costs about nothing here.
	gs := mine()
	for wait := 0; len(gs) > 0 && wait < 20; wait++ {
		time.Sleep(time.Millisecond)
		gs = mine()
	}
	if len(gs) == 0 {
		return nil
	}
	first := snapshot()
	time.Sleep(20 * time.Millisecond)
	second := snapshot()
	var out []Goroutine
	for _, gr := range gs {
		a, b := first[gr.GoID], second[gr.GoID]
		if gr.GoID != 0 && blocking(a.wait) && b.wait == a.wait {
			gr.Wait = b.wait
			out = append(out, gr)
		}
	}
	return out
}

// Describe says, in a sentence a learner can read, which goroutines are
// blocked: "2 goroutines started at line 3 are still blocked (chan send)".
// now is the execution count of the cell running now: a go statement in
// another cell is named with it ("line 3 of In [2]").
func Describe(gs []Goroutine, adverb string, now int) []string {
	sites := make([]leaks.Site, len(gs))
	for i, g := range gs {
		sites[i] = leaks.Site{Where: fmt.Sprintf("line %d", g.Line), What: "blocked (" + g.Wait + ")"}
		written := g.Written
		if written == 0 {
			written = g.Count
		}
		if written > 0 && written != now {
			sites[i].Where += fmt.Sprintf(" of In [%d]", written)
		}
	}
	return leaks.Sentences(sites, adverb)
}

// timers remembers when the timers cells made will fire: a goroutine
// blocked on a timer's channel is asleep, not deadlocked, and the runtime
// cannot tell the two apart for us.
type timers struct {
	until   atomic.Int64 // unix nanoseconds of the last expiry
	forever atomic.Bool  // a ticker exists
	// stderr receives the panics of AfterFunc callbacks.
	stderr io.Writer
}

func (t *timers) note(d time.Duration) {
	at := time.Now().Add(d).UnixNano()
	for {
		old := t.until.Load()
		if at <= old || t.until.CompareAndSwap(old, at) {
			return
		}
	}
}

func (t *timers) pending() bool {
	return t.forever.Load() || time.Now().UnixNano() < t.until.Load()
}

// symbols wraps the standard functions that arm timers.
func (t *timers) symbols() map[string]map[string]reflect.Value {
	return map[string]map[string]reflect.Value{
		"time/time": {
			"After": reflect.ValueOf(func(d time.Duration) <-chan time.Time { t.note(d); return time.After(d) }),
			"NewTimer": reflect.ValueOf(func(d time.Duration) *time.Timer {
				t.note(d)
				return time.NewTimer(d)
			}),
			"AfterFunc": reflect.ValueOf(func(d time.Duration, f func()) *time.Timer {
				t.note(d)
				// The callback runs on a goroutine of the runtime's, where
				// a panic would end the worker: report it instead, as for
				// the goroutines cells start.
				return time.AfterFunc(d, func() {
					defer func() {
						if r := recover(); r != nil {
							reportPanic(t.stderr, "a time.AfterFunc callback", r, nil)
						}
					}()
					f()
				})
			}),
			"Tick": reflect.ValueOf(func(d time.Duration) <-chan time.Time {
				t.forever.Store(true)
				return time.Tick(d) //nolint:staticcheck // the cell asked for Tick
			}),
			"NewTicker": reflect.ValueOf(func(d time.Duration) *time.Ticker {
				t.forever.Store(true)
				return time.NewTicker(d)
			}),
		},
		"context/context": {
			"WithTimeout": reflect.ValueOf(func(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
				t.note(d)
				return context.WithTimeout(ctx, d)
			}),
			"WithDeadline": reflect.ValueOf(func(ctx context.Context, at time.Time) (context.Context, context.CancelFunc) {
				t.note(time.Until(at))
				return context.WithDeadline(ctx, at)
			}),
		},
	}
}

// deadlock is Go's "all goroutines are asleep" rule applied to user code:
// it reports the blocked goroutines when every goroutine that is not the
// kernel's waits on something only another goroutine can end, no timer
// cells armed is pending, and nobody waits on the front end.
func (s *Session) deadlock() (flow string, blocked []Goroutine, ok bool) {
	if s.timers.pending() {
		return "", nil, false
	}
	snap := snapshot()
	users := 0
	for _, g := range snap {
		if g.external {
			return "", nil, false
		}
		if g.kernel {
			continue
		}
		if !blocking(g.wait) {
			return "", nil, false
		}
		users++
	}
	if users == 0 {
		return "", nil, false
	}
	for _, gr := range s.Live() {
		id := gr.GoID
		if g, found := snap[id]; found {
			gr.Wait = g.wait
			blocked = append(blocked, gr)
		}
	}
	for _, g := range snap {
		if g.flow {
			flow = g.wait
		}
	}
	return flow, blocked, true
}

// DeadlockError is the error of a cell that deadlocked.
func deadlockError(flow string, blocked []Goroutine, now int) *Error {
	lines := []string{"all goroutines are asleep - deadlock!"}
	if flow != "" {
		lines = append(lines, fmt.Sprintf("the cell is blocked (%s)", flow))
	}
	lines = append(lines, Describe(blocked, "", now)...)
	msg := strings.Join(lines, "\n")
	tb := []string{"Deadlock: " + lines[0]}
	for _, l := range lines[1:] {
		tb = append(tb, "    "+l)
	}
	return &Error{Name: "Deadlock", Value: msg, Traceback: tb}
}

// Deadlock checks run this often while a cell runs, and a cell must be seen
// deadlocked this many times in a row.
const (
	deadlockEvery = 150 * time.Millisecond
	deadlockTimes = 4
)

// watch cancels the cell with a deadlock error once it has deadlocked.
// Reading every goroutine's stack stops the world and walks each stack, which
// costs seconds against a deep recursion, so the stacks are read only when
// the process has been nearly idle: a deadlocked process burns no CPU.
func (s *Session) watch(ctx context.Context, cancel context.CancelCauseFunc) {
	t := time.NewTicker(deadlockEvery)
	defer t.Stop()
	seen := 0
	last := cpuTime()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		now := cpuTime()
		busy := now-last > deadlockEvery/10
		if busy {
			seen, last = 0, now
			continue
		}
		flow, blocked, ok := s.deadlock()
		last = cpuTime() // not counting the look itself
		if !ok {
			seen = 0
			continue
		}
		if seen++; seen >= deadlockTimes {
			cancel(deadlockError(flow, blocked, int(s.goroutines.count.Load())))
			return
		}
	}
}

// cpuTime is the CPU time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0 // no figure: every look then goes ahead
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
