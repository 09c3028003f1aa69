package tracer

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	xtrace "golang.org/x/exp/trace"
)

// Parse builds the model of a trace recorded while cell `cell` ran (its
// goroutines form the main group). A negative cell means the last cell whose
// flow was labelled in the trace. Times in the model are nanoseconds since
// the trace's first event.
func Parse(raw []byte, cell int64) (*Trace, error) {
	r, err := xtrace.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("parse trace: %w", err)
	}
	p := &parser{gs: map[xtrace.GoID]*gstate{}, procs: map[int]*Proc{}, first: -1}
	for {
		ev, err := r.ReadEvent()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("parse trace: event after %d: %w", p.last, err)
		}
		p.event(&ev)
	}
	if p.first < 0 {
		return nil, errors.New("parse trace: no events")
	}
	return p.finish(cell), nil
}

// gstate follows one goroutine through the trace.
type gstate struct {
	id      int64
	state   xtrace.GoState
	since   int64
	reason  string
	raw     string
	p       int
	m       int64
	wokenBy int64
	spans   []Span
	created int64 // -1: existed before the trace
	ended   int64 // -1: still alive
	parent  int64
	startFn string // the function it was created to run, from its creation stack
}

// logEntry is one of our labels found in the trace, in trace order.
type logEntry struct {
	at  int64
	g   int64 // goroutine that logged it
	cat string
	msg string
}

type parser struct {
	first, last int64
	gs          map[xtrace.GoID]*gstate
	procs       map[int]*Proc
	running     map[int]*ProcSpan // open span per P
	edges       []Edge
	logs        []logEntry
	gomaxprocs  int
}

func (p *parser) event(ev *xtrace.Event) {
	t := int64(ev.Time())
	if p.first < 0 {
		p.first = t
	}
	t -= p.first
	if t > p.last {
		p.last = t
	}
	switch ev.Kind() {
	case xtrace.EventStateTransition:
		st := ev.StateTransition()
		if st.Resource.Kind == xtrace.ResourceGoroutine {
			p.goTransition(ev, &st, t)
		} else if st.Resource.Kind == xtrace.ResourceProc {
			p.proc(int(st.Resource.Proc()))
		}
	case xtrace.EventLog:
		l := ev.Log()
		if strings.HasPrefix(l.Category, "juggler/") {
			p.logs = append(p.logs, logEntry{at: t, g: int64(ev.Goroutine()), cat: l.Category, msg: l.Message})
		}
	case xtrace.EventMetric:
		m := ev.Metric()
		if m.Name == "/sched/gomaxprocs:threads" && m.Value.Kind() == xtrace.ValueUint64 {
			p.gomaxprocs = int(m.Value.Uint64())
		}
	}
}

func (p *parser) proc(id int) *Proc {
	pr := p.procs[id]
	if pr == nil {
		pr = &Proc{ID: id}
		p.procs[id] = pr
	}
	return pr
}

func (p *parser) goTransition(ev *xtrace.Event, st *xtrace.StateTransition, t int64) {
	id := st.Resource.Goroutine()
	from, to := st.Goroutine()
	g := p.gs[id]
	if g == nil {
		g = &gstate{id: int64(id), created: -1, ended: -1, p: -1, m: -1}
		p.gs[id] = g
		if from == xtrace.GoUndetermined {
			// A status event: the goroutine has been in this state since
			// the trace began (the runtime reports statuses lazily).
			g.state, g.since = to, 0
			if to == xtrace.GoWaiting {
				g.reason, g.raw = blockReason(st)
			}
			if to == xtrace.GoRunning {
				p.startRunning(g, ev, 0)
			}
			return
		}
	}
	if from == to || from == xtrace.GoUndetermined && g.state == to {
		return // a status event repeating what we know
	}
	p.closeSpan(g, t)
	switch {
	case from == xtrace.GoNotExist:
		g.created = t
		for f := range st.Stack.Frames() {
			g.startFn = f.Func
			break
		}
		if parent := ev.Goroutine(); parent != xtrace.NoGoroutine {
			g.parent = int64(parent)
			p.edges = append(p.edges, Edge{Kind: Create, From: g.parent, To: g.id, At: t})
		}
	case to == xtrace.GoNotExist:
		g.ended = t
	}
	g.state, g.since = to, t
	g.reason, g.raw = "", ""
	switch to {
	case xtrace.GoWaiting:
		g.reason, g.raw = blockReason(st)
	case xtrace.GoSyscall:
		g.reason = ReasonSyscall
	case xtrace.GoRunnable:
		if from == xtrace.GoRunning {
			g.reason = st.Reason // preempted, runtime.Gosched
		}
		if from == xtrace.GoWaiting {
			if w := ev.Goroutine(); w != xtrace.NoGoroutine && int64(w) != g.id {
				g.wokenBy = int64(w)
				p.edges = append(p.edges, Edge{Kind: Wake, From: int64(w), To: g.id, At: t})
				// The wake ends the blocked span just closed.
				if n := len(g.spans); n > 0 && g.spans[n-1].State == Blocked {
					g.spans[n-1].WokenBy = g.wokenBy
				}
			}
		}
	case xtrace.GoRunning:
		p.startRunning(g, ev, t)
	}
}

func (p *parser) startRunning(g *gstate, ev *xtrace.Event, t int64) {
	g.p, g.m = int(ev.Proc()), int64(ev.Thread())
	if g.p < 0 {
		return
	}
	if p.running == nil {
		p.running = map[int]*ProcSpan{}
	}
	if open := p.running[g.p]; open != nil {
		// The previous goroutine's stop was lost; end it here.
		open.End = t
		p.proc(g.p).Spans = append(p.proc(g.p).Spans, *open)
	}
	p.running[g.p] = &ProcSpan{Start: t, G: g.id, M: g.m}
}

// closeSpan ends the goroutine's current state at t, recording it as a span.
// reasonPreempted is the runtime's wait reason for a goroutine parked to be
// preempted (runtime.preemptPark).
const reasonPreempted = "preempted"

func (p *parser) closeSpan(g *gstate, t int64) {
	s := Span{Start: g.since, End: t, P: -1, M: -1, Reason: g.reason, RawReason: g.raw}
	switch g.state {
	case xtrace.GoRunning:
		s.State, s.P, s.M = Running, g.p, g.m
		if open := p.running[g.p]; open != nil && open.G == g.id {
			open.End = t
			p.proc(g.p).Spans = append(p.proc(g.p).Spans, *open)
			delete(p.running, g.p)
		}
	case xtrace.GoRunnable:
		s.State, s.WokenBy = Runnable, g.wokenBy
		g.wokenBy = 0
	case xtrace.GoWaiting, xtrace.GoSyscall:
		s.State = Blocked
		if g.reason == reasonPreempted {
			// Parked by the runtime to be preempted (for the GC), not
			// blocked by anything the user wrote: it waits to run again.
			s.State = Runnable
		}
	default:
		return
	}
	if t > s.Start {
		g.spans = append(g.spans, s)
	}
}

// blockReason returns the reason a goroutine blocks, and the raw reason when
// it differs (see Span.RawReason).
func blockReason(st *xtrace.StateTransition) (reason, raw string) {
	reason = normalReason(st.Reason)
	if reason != ReasonSelect && reason != ReasonOther {
		return reason, ""
	}
	var frames []string
	for f := range st.Stack.Frames() {
		frames = append(frames, f.Func)
	}
	if r := reasonFromStack(frames); r != "" && r != reason {
		return r, st.Reason
	}
	return reason, ""
}

// finish closes what is still open and keeps what the timeline shows.
func (p *parser) finish(cell int64) *Trace {
	for _, g := range p.gs {
		p.closeSpan(g, p.last)
	}

	// Labels, in trace order: a later one wins.
	labels := map[int64]label{}
	var stop int64 = -1
	if cell < 0 {
		for _, l := range p.logs {
			if l.cat == catFlow {
				if c, err := strconv.ParseInt(l.msg, 10, 64); err == nil {
					cell = c
				}
			}
		}
	}
	start := int64(-1)
	for _, l := range p.logs {
		switch l.cat {
		case catGo:
			if lb, ok := parseLabel(l.msg); ok {
				labels[l.g] = lb
			}
		case catKnown:
			id, rest, _ := strings.Cut(l.msg, " ")
			gid, err := strconv.ParseInt(id, 10, 64)
			if lb, ok := parseLabel(rest); ok && err == nil {
				if _, seen := labels[gid]; !seen { // the goroutine's own log is fresher
					labels[gid] = lb
				}
			}
		case catFlow:
			c, err := strconv.ParseInt(l.msg, 10, 64)
			if err != nil {
				continue
			}
			labels[l.g] = label{flow: true, cell: c}
			if c == cell && start < 0 {
				start = l.at
			}
		case catStop:
			stop = l.at
		}
	}
	p.labelChildren(labels)
	p.labelCompiled(labels)
	if start < 0 {
		start = 0
	}
	end := p.last
	if stop >= start {
		end = stop
	}

	t := &Trace{Cell: cell, Start: start, End: end, GOMAXPROCS: p.gomaxprocs}
	visible := map[int64]bool{}
	for _, g := range p.gs {
		lb, ok := labels[g.id]
		if !ok {
			t.Hidden++
			continue
		}
		if g.ended >= 0 && g.ended < start || g.created > end {
			continue // not alive in the window
		}
		vg := &Goroutine{ID: g.id, Cell: lb.cell, Line: lb.line, Fn: lb.fn, Compiled: lb.compiled, Created: g.created, Ended: g.ended, Parent: g.parent}
		switch {
		case lb.flow && lb.cell == cell:
			vg.Group = GroupCellFlow
		case lb.cell == cell:
			vg.Group = GroupThisCell
		default:
			vg.Group = GroupEarlier
		}
		if vg.Created < start {
			vg.Created, vg.Existed = start, true
		}
		if vg.Ended > end {
			vg.Ended = -1
		}
		vg.Spans = clip(g.spans, start, end)
		t.Goroutines = append(t.Goroutines, vg)
		visible[g.id] = true
	}
	slices.SortFunc(t.Goroutines, func(a, b *Goroutine) int {
		return cmp.Or(cmp.Compare(a.Group, b.Group), cmp.Compare(a.Created, b.Created), cmp.Compare(a.ID, b.ID))
	})
	merged := mergeFlows(t)

	// P lanes: every P below GOMAXPROCS, and any other that ran something.
	for _, open := range p.running {
		open.End = p.last
	}
	for id, open := range p.running {
		p.proc(id).Spans = append(p.proc(id).Spans, *open)
	}
	if t.GOMAXPROCS == 0 {
		for id := range p.procs {
			t.GOMAXPROCS = max(t.GOMAXPROCS, id+1)
		}
	}
	for id := range t.GOMAXPROCS {
		p.proc(id)
	}
	for _, pr := range p.procs {
		var spans []ProcSpan
		for _, s := range pr.Spans {
			if to, ok := merged[s.G]; ok {
				s.G = to
			}
			s.Start, s.End = max(s.Start, start), min(s.End, end)
			if s.End > s.Start {
				spans = append(spans, s)
			}
		}
		if len(spans) == 0 && pr.ID >= t.GOMAXPROCS {
			continue
		}
		slices.SortFunc(spans, func(a, b ProcSpan) int { return cmp.Compare(a.Start, b.Start) })
		t.Procs = append(t.Procs, &Proc{ID: pr.ID, Spans: spans})
	}
	slices.SortFunc(t.Procs, func(a, b *Proc) int { return cmp.Compare(a.ID, b.ID) })

	for _, e := range p.edges {
		if to, ok := merged[e.From]; ok {
			e.From = to
		}
		if to, ok := merged[e.To]; ok {
			e.To = to
		}
		if visible[e.From] && visible[e.To] && e.From != e.To && e.At >= start && e.At <= end {
			t.Edges = append(t.Edges, e)
		}
	}
	slices.SortStableFunc(t.Edges, func(a, b Edge) int { return cmp.Compare(a.At, b.At) })
	return t
}

// mergeFlows puts the traced cell's main flow in one lane. The kernel runs
// a cell's pieces (its declarations, then its statements) one after the
// other, possibly each on a goroutine of its own; shown apart, they read as
// two cells. A flow goroutine that starts after the previous one ended joins
// its lane. mergeFlows returns which goroutine IDs were merged into which.
func mergeFlows(t *Trace) map[int64]int64 {
	merged := map[int64]int64{}
	var keep *Goroutine
	out := t.Goroutines[:0]
	for _, g := range t.Goroutines {
		if g.Group != GroupCellFlow {
			out = append(out, g)
			continue
		}
		if keep != nil && keep.Ended >= 0 && keep.Ended <= g.Created {
			keep.Spans = append(keep.Spans, g.Spans...)
			keep.Ended = g.Ended
			merged[g.ID] = keep.ID
			continue
		}
		keep = g
		out = append(out, g)
	}
	t.Goroutines = out
	return merged
}

// parseLabel reads "cell line fn".
// labelChildren names goroutines that never ran (or ran only after the
// trace) by their creator's catNext log: the first goroutine a goroutine
// creates after such a log is the one it announced.
func (p *parser) labelChildren(labels map[int64]label) {
	type next struct {
		at int64
		lb label
	}
	pending := map[int64][]next{}
	for _, l := range p.logs {
		if l.cat == catNext {
			if lb, ok := parseLabel(l.msg); ok {
				pending[l.g] = append(pending[l.g], next{l.at, lb})
			}
		}
	}
	if len(pending) == 0 {
		return
	}
	children := make([]*gstate, 0, len(p.gs))
	for _, g := range p.gs {
		if g.created >= 0 && len(pending[g.parent]) > 0 {
			children = append(children, g)
		}
	}
	slices.SortFunc(children, func(a, b *gstate) int { return cmp.Compare(a.created, b.created) })
	for _, g := range children {
		q := pending[g.parent]
		// The latest announcement before the creation; earlier ones were
		// for goroutines created before.
		i := -1
		for j, n := range q {
			if n.at <= g.created {
				i = j
			}
		}
		if i < 0 {
			continue
		}
		if _, own := labels[g.id]; !own {
			labels[g.id] = q[i].lb
		}
		pending[g.parent] = q[i+1:]
	}
}

// labelCompiled names the goroutines that compiled code (a %%native cell's
// functions, a package compiled into a plugin or the kernel, such as
// errgroup's Go) starts on behalf of the cell: they have no go statement of
// ours to label them, but the trace records their creator. A goroutine
// created by a labelled goroutine, transitively, is the cell's too; it takes
// its creator's cell and line, and is named after the function it was
// created to run. Goroutines the runtime starts while a cell goroutine runs
// (GC mark workers, the trace reader) stay unlabelled, and hidden.
func (p *parser) labelCompiled(labels map[int64]label) {
	created := make([]*gstate, 0, len(p.gs))
	for _, g := range p.gs {
		if g.created >= 0 && g.parent != 0 {
			created = append(created, g)
		}
	}
	// Creators before the goroutines they create, so that labels pass down.
	slices.SortFunc(created, func(a, b *gstate) int { return cmp.Or(cmp.Compare(a.created, b.created), cmp.Compare(a.id, b.id)) })
	for _, g := range created {
		if _, own := labels[g.id]; own {
			continue
		}
		parent, ok := labels[g.parent]
		if !ok || runtimeFunc(g.startFn) {
			continue
		}
		labels[g.id] = label{cell: parent.cell, line: parent.line, fn: startName(g.startFn), compiled: true}
	}
}

// runtimeFunc reports whether fn, a goroutine's start function, belongs to
// the Go runtime or the standard library's internals rather than to code
// the cell called.
func runtimeFunc(fn string) bool {
	slash := strings.LastIndex(fn, "/") + 1
	pkg := fn
	if i := strings.IndexByte(fn[slash:], '.'); i >= 0 {
		pkg = fn[:slash+i]
	}
	return fn == "" || pkg == "runtime" || strings.HasPrefix(pkg, "runtime/") || strings.HasPrefix(pkg, "internal/")
}

// startName is how a lane names a goroutine that compiled code started,
// from its start function. Compiled code that runs a func value the cell
// handed it (go f()) starts reflect's or the interpreter's trampoline, whose
// name would say nothing; so does the interpreter running a go statement of
// an imported package's source.
func startName(fn string) string {
	switch {
	case strings.HasPrefix(fn, "reflect."):
		return "func value"
	case strings.Contains(fn, "/internal/yaegi/interp."):
		return "go statement in an imported package"
	case strings.HasPrefix(fn, nativePrefix):
		// A %%native cell's package is named after its source's hash
		// ("juggler.session/native/h3f2c….fanOut.func1"): the cell's own
		// function name says more.
		if _, name, ok := strings.Cut(fn[len(nativePrefix):], "."); ok {
			return name
		}
	}
	return shortFunc(fn)
}

// nativePrefix starts the import path of every %%native cell's package
// (native.ModulePath + "/native/h"; the tracer imports no kernel package).
const nativePrefix = "juggler.session/native/h"

// shortFunc drops the import path from a function name:
// "golang.org/x/sync/errgroup.(*Group).Go.func1" is "errgroup.(*Group).Go.func1".
func shortFunc(fn string) string {
	if i := strings.LastIndex(fn, "/"); i >= 0 {
		return fn[i+1:]
	}
	return fn
}

func parseLabel(msg string) (label, bool) {
	c, rest, ok1 := strings.Cut(msg, " ")
	l, fn, ok2 := strings.Cut(rest, " ")
	cell, err1 := strconv.ParseInt(c, 10, 64)
	line, err2 := strconv.Atoi(l)
	if !ok1 || !ok2 || err1 != nil || err2 != nil {
		return label{}, false
	}
	return label{cell: cell, line: line, fn: fn}, true
}

// clip keeps the parts of spans inside [start, end].
func clip(spans []Span, start, end int64) []Span {
	out := make([]Span, 0, len(spans))
	for _, s := range spans {
		s.Start, s.End = max(s.Start, start), min(s.End, end)
		if s.End > s.Start {
			out = append(out, s)
		}
	}
	return out
}
