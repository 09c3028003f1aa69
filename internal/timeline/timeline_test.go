package timeline

import (
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/juggler-kernel/juggler/internal/tracer"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

const ms = int64(time.Millisecond)

// small is a deterministic, hand-built trace of cell 5: the flow starts a
// producer (line 2) and a reader (line 3) that the interpreter blocks in a
// select, while a goroutine of cell 2 sleeps throughout.
func small() *tracer.Trace {
	const t0 = 1000 // the window does not start at the trace's first event
	at := func(f float64) int64 { return t0 + int64(f*float64(ms)) }
	run := func(a, b float64, p int) tracer.Span {
		return tracer.Span{Start: at(a), End: at(b), State: tracer.Running, P: p, M: int64(10 + p)}
	}
	rdy := func(a, b float64, woke int64) tracer.Span {
		return tracer.Span{Start: at(a), End: at(b), State: tracer.Runnable, P: -1, M: -1, WokenBy: woke}
	}
	blk := func(a, b float64, reason string, woke int64) tracer.Span {
		return tracer.Span{Start: at(a), End: at(b), State: tracer.Blocked, Reason: reason, P: -1, M: -1, WokenBy: woke}
	}
	flow := &tracer.Goroutine{ID: 1, Cell: 5, Group: tracer.GroupCellFlow, Created: at(0), Existed: true, Ended: -1,
		Spans: []tracer.Span{run(0, 1, 0), blk(1, 6, tracer.ReasonChanRecv, 10), rdy(6, 6.1, 10), run(6.1, 7, 0), blk(7, 10, tracer.ReasonSync, 0)}}
	producer := &tracer.Goroutine{ID: 10, Cell: 5, Line: 2, Fn: "producer", Group: tracer.GroupThisCell, Created: at(0.5), Ended: at(6.2), Parent: 1,
		Spans: []tracer.Span{rdy(0.5, 1, 0), run(1, 3, 1), blk(3, 5.9, tracer.ReasonChanSend, 0), run(5.9, 6.2, 1)}}
	sel := blk(1.5, 10, tracer.ReasonChanRecv, 0)
	sel.RawReason = tracer.ReasonSelect
	reader := &tracer.Goroutine{ID: 11, Cell: 5, Line: 3, Fn: "func literal", Group: tracer.GroupThisCell, Created: at(0.8), Ended: -1, Parent: 1,
		Spans: []tracer.Span{rdy(0.8, 1.2, 0), run(1.2, 1.5, 0), sel}}
	// Many tiny spans, far narrower than a pixel: drawn merged.
	busy := &tracer.Goroutine{ID: 12, Cell: 5, Line: 4, Fn: "busy", Group: tracer.GroupThisCell, Created: at(7), Ended: at(7.2), Parent: 1}
	for i := range 100 {
		a := 7 + float64(i)*0.002
		if i%2 == 0 {
			busy.Spans = append(busy.Spans, run(a, a+0.002, 1))
		} else {
			busy.Spans = append(busy.Spans, rdy(a, a+0.002, 0))
		}
	}
	earlier := &tracer.Goroutine{ID: 7, Cell: 2, Line: 4, Fn: "waiter", Group: tracer.GroupEarlier, Created: at(0), Existed: true, Ended: -1,
		Spans: []tracer.Span{blk(0, 10, tracer.ReasonSleep, 0)}}
	p0 := &tracer.Proc{ID: 0, Spans: []tracer.ProcSpan{{Start: at(0), End: at(1), G: 1, M: 10}, {Start: at(1.2), End: at(1.5), G: 11, M: 10}, {Start: at(6.1), End: at(7), G: 1, M: 10}, {Start: at(8), End: at(8.5), G: 99, M: 10}}}
	p1 := &tracer.Proc{ID: 1, Spans: []tracer.ProcSpan{{Start: at(1), End: at(3), G: 10, M: 11}, {Start: at(5.9), End: at(6.2), G: 10, M: 11}}}
	for _, s := range busy.Spans {
		if s.State == tracer.Running {
			p1.Spans = append(p1.Spans, tracer.ProcSpan{Start: s.Start, End: s.End, G: 12, M: 11})
		}
	}
	return &tracer.Trace{
		Cell: 5, Start: at(0), End: at(10), GOMAXPROCS: 2,
		Goroutines: []*tracer.Goroutine{flow, producer, reader, busy, earlier},
		Procs:      []*tracer.Proc{p0, p1},
		Edges: []tracer.Edge{
			{Kind: tracer.Create, From: 1, To: 10, At: at(0.5)},
			{Kind: tracer.Create, From: 1, To: 11, At: at(0.8)},
			{Kind: tracer.Wake, From: 10, To: 1, At: at(6)},
			{Kind: tracer.Create, From: 1, To: 12, At: at(7)},
		},
		Hidden: 17,
		CPU:    4800 * time.Microsecond, CPUWall: 10 * time.Millisecond,
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from %s (run with -update if the change is intended)\ngot:\n%s", name, path, got)
	}
}

func TestGolden(t *testing.T) {
	tr := small()
	golden(t, "small.html", HTML(tr))
	golden(t, "small.txt", Summary(tr))
}

var (
	rectRE  = regexp.MustCompile(`<rect [^>]*?(/>|>)`)
	groupRE = regexp.MustCompile(`<g>(<title>[^<]*</title>)?`)
)

// TestEveryRectHasTitle checks that every span drawn carries a tooltip: a
// rect either contains its own <title> or is drawn inside a <g> that has one.
func TestEveryRectHasTitle(t *testing.T) {
	for name, tr := range map[string]*tracer.Trace{"small": small(), "many": many(2000)} {
		out := HTML(tr)
		// Rects in titled groups: remove the groups first.
		stripped := regexp.MustCompile(`<g><title>[^<]*</title>(<rect [^>]*/>)*</g>`).ReplaceAllString(out, "")
		if groupRE.MatchString(stripped) {
			t.Errorf("%s: a <g> without a title", name)
		}
		spans := 0
		for _, loc := range rectRE.FindAllStringIndex(stripped, -1) {
			tag := stripped[loc[0]:loc[1]]
			if strings.HasSuffix(tag, "/>") {
				// Self-closing rects are the background, the legend and the
				// label swatches, all 10 px squares or the full background.
				if !strings.Contains(tag, `width="10" height="10"`) && !strings.Contains(tag, `width="8" height="8"`) && !strings.Contains(tag, `fill="#ffffff"`) {
					t.Errorf("%s: rect without a tooltip: %s", name, tag)
				}
				continue
			}
			spans++
			if !strings.HasPrefix(stripped[loc[1]:], "<title>") {
				t.Errorf("%s: rect without a tooltip: %s", name, tag)
			}
		}
		if spans == 0 {
			t.Errorf("%s: no spans drawn", name)
		}
	}
}

// many is a trace of n goroutines started by one go statement, each doing
// a few hundred short turns of work and waiting on a channel.
func many(n int) *tracer.Trace {
	const end = 200 * ms
	flow := &tracer.Goroutine{ID: 1, Cell: 9, Group: tracer.GroupCellFlow, Ended: -1,
		Spans: []tracer.Span{{Start: 0, End: end, State: tracer.Blocked, Reason: tracer.ReasonSync, P: -1, M: -1}}}
	tr := &tracer.Trace{Cell: 9, Start: 0, End: end, GOMAXPROCS: 2, Goroutines: []*tracer.Goroutine{flow}, Procs: []*tracer.Proc{{ID: 0}, {ID: 1}}}
	for i := range n {
		id := int64(100 + i)
		created := int64(i) * 50_000
		g := &tracer.Goroutine{ID: id, Cell: 9, Line: 3 + i%3, Fn: "worker", Group: tracer.GroupThisCell, Created: created, Ended: -1, Parent: 1}
		t := created
		for k := range 100 {
			p := (i + k) % 2
			g.Spans = append(g.Spans,
				tracer.Span{Start: t, End: t + 2000, State: tracer.Runnable, P: -1, M: -1},
				tracer.Span{Start: t + 2000, End: t + 5000, State: tracer.Running, P: p, M: int64(p)},
				tracer.Span{Start: t + 5000, End: t + 20000, State: tracer.Blocked, Reason: tracer.ReasonChanRecv, P: -1, M: -1, WokenBy: 1})
			tr.Procs[p].Spans = append(tr.Procs[p].Spans, tracer.ProcSpan{Start: t + 2000, End: t + 5000, G: id, M: int64(p)})
			tr.Edges = append(tr.Edges, tracer.Edge{Kind: tracer.Wake, From: 1, To: id, At: t + 20000})
			t += 20000
			if t >= end {
				break
			}
		}
		if i%2 == 0 {
			g.Ended = t
		}
		tr.Goroutines = append(tr.Goroutines, g)
		tr.Edges = append(tr.Edges, tracer.Edge{Kind: tracer.Create, From: 1, To: id, At: created})
	}
	return tr
}

func TestManyGoroutinesSize(t *testing.T) {
	tr := many(2000)
	start := time.Now()
	out := HTML(tr)
	took := time.Since(start)
	if len(out) >= 1<<20 {
		t.Errorf("2,000 goroutines: %d bytes of HTML, want < 1 MB", len(out))
	}
	limit := 3 * time.Second
	if raceEnabled {
		limit *= 10
	}
	if took > limit {
		t.Errorf("2,000 goroutines took %v to render", took)
	}
	if !strings.Contains(out, "line 3: worker ×667") {
		t.Error("alike goroutines are not aggregated into one lane")
	}
	t.Logf("%d bytes in %v", len(out), took)
}

func TestSummaryPhrases(t *testing.T) {
	s := Summary(small())
	for _, want := range []string{
		"at most 2 running at once",
		"GOMAXPROCS 2",
		"Cell ran for 10 ms",
		"runnable (waiting for a P)",
		"chan receive",
		"1 goroutine started at line 3 is still blocked (chan receive).",
		"1 goroutine started at line 4 of cell 2 is still blocked (sleep).",
		"17 goroutines of the Go runtime and of Juggler itself not shown",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("summary lacks %q:\n%s", want, s)
		}
	}
}

// twoSpinning is a trace of two goroutines that held both Ps for the whole
// 10 ms window, with the process's CPU time as given (0: unknown).
func twoSpinning(cpu time.Duration) *tracer.Trace {
	const end = 10 * ms
	flow := &tracer.Goroutine{ID: 1, Cell: 3, Group: tracer.GroupCellFlow, Ended: -1,
		Spans: []tracer.Span{{Start: 0, End: end, State: tracer.Blocked, Reason: tracer.ReasonSync, P: -1, M: -1}}}
	tr := &tracer.Trace{Cell: 3, Start: 0, End: end, GOMAXPROCS: 2, Goroutines: []*tracer.Goroutine{flow}, Procs: []*tracer.Proc{{ID: 0}, {ID: 1}}}
	for p := range 2 {
		id := int64(10 + p)
		tr.Goroutines = append(tr.Goroutines, &tracer.Goroutine{ID: id, Cell: 3, Line: 2, Fn: "spin", Group: tracer.GroupThisCell, Ended: end, Parent: 1,
			Spans: []tracer.Span{{Start: 0, End: end, State: tracer.Running, P: p, M: int64(p)}}})
		tr.Procs[p].Spans = []tracer.ProcSpan{{Start: 0, End: end, G: id, M: int64(p)}}
	}
	if cpu > 0 {
		tr.CPU, tr.CPUWall = cpu, time.Duration(end)
	}
	return tr
}

// The summary says "ran in parallel" only when the process's CPU time
// agrees with the Ps the goroutines held.
func TestSummaryParallelNeedsCPUTime(t *testing.T) {
	for _, tc := range []struct {
		name    string
		cpu     time.Duration
		want    []string
		wantNot []string
	}{
		{"two CPUs busy", 19 * time.Millisecond, []string{"2.0 on average", "19 ms of CPU time in 10 ms: 1.9 CPUs busy", "so goroutines ran in parallel"}, []string{"busy (other"}},
		{"busy machine", 9 * time.Millisecond, []string{"2.0 on average", "9 ms of CPU time in 10 ms: 0.9 CPUs busy", "did not really run in parallel", "the machine was busy"}, []string{"so goroutines ran in parallel"}},
		{"in part", 14 * time.Millisecond, []string{"1.4 CPUs busy", "ran in parallel, but on fewer CPUs than the Ps they held", "the machine was busy"}, []string{"did not really"}},
		{"just above one CPU", 11 * time.Millisecond, []string{"1.1 CPUs busy", "ran in parallel only a little of the time", "the machine was busy"}, []string{"so goroutines ran in parallel"}},
		{"one CPU", 10 * time.Millisecond, []string{"1.0 CPUs busy", "did not really run in parallel"}, nil},
		{"not measured", 0, []string{"2.0 on average", "is not known"}, []string{"ran in parallel."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := Summary(twoSpinning(tc.cpu))
			for _, w := range tc.want {
				if !strings.Contains(s, w) {
					t.Errorf("summary lacks %q:\n%s", w, s)
				}
			}
			for _, w := range tc.wantNot {
				if strings.Contains(s, w) {
					t.Errorf("summary says %q:\n%s", w, s)
				}
			}
		})
	}
}

func TestDur(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{850, "850 ns"}, {12_300, "12.3 µs"}, {1_250_000, "1.25 ms"}, {2_500_000_000, "2.5 s"}, {10 * time.Millisecond, "10 ms"}, {0, "0 ns"},
	} {
		if got := Dur(tc.d); got != tc.want {
			t.Errorf("Dur(%d) = %q, want %q", tc.d, got, tc.want)
		}
	}
	for _, tc := range []struct {
		v, span float64
		want    string
	}{
		{0, 1e7, "0"}, {2e6, 1e7, "2 ms"}, {5e5, 1e6, "500 µs"}, {1.5e9, 3e9, "1.5 s"},
	} {
		if got := tickLabel(tc.v, tc.span); got != tc.want {
			t.Errorf("tickLabel(%g, %g) = %q, want %q", tc.v, tc.span, got, tc.want)
		}
	}
}

func TestEmptyTrace(t *testing.T) {
	tr := &tracer.Trace{Cell: 1, GOMAXPROCS: 1, Procs: []*tracer.Proc{{ID: 0}}}
	if out := HTML(tr); !strings.HasPrefix(out, "<div") || !strings.Contains(out, "</svg>") {
		t.Errorf("empty trace: %s", out)
	}
	if s := Summary(tr); !strings.Contains(s, "at most 0 running at once") {
		t.Errorf("empty trace summary: %s", s)
	}
}

func BenchmarkRender2000(b *testing.B) {
	tr := many(2000)
	var n int
	for b.Loop() {
		n = len(HTML(tr))
	}
	b.ReportMetric(float64(n), "bytes")
}

// A system call keeps its thread: the summary says so, with the threads the
// goroutines ran on.
func TestSummarySyscallThreads(t *testing.T) {
	tr := twoSpinning(0)
	tr.Goroutines[0].Spans = []tracer.Span{{Start: 0, End: tr.End, State: tracer.Blocked, Reason: tracer.ReasonSyscall, P: -1, M: -1}}
	s := Summary(tr)
	if want := "lets go of its P, which the runtime hands to another thread; goroutines here ran on 2 threads."; !strings.Contains(s, want) {
		t.Errorf("summary lacks %q:\n%s", want, s)
	}
	if s := Summary(twoSpinning(0)); strings.Contains(s, "system call") {
		t.Errorf("no system call, yet:\n%s", s)
	}
}

func TestAliveSentencesCompiled(t *testing.T) {
	blocked := []tracer.Span{{State: tracer.Blocked, Reason: tracer.ReasonChanRecv}}
	got := aliveSentences([]*tracer.Goroutine{
		{Cell: 5, Line: 0, Fn: "fanOut.func1", Compiled: true, Group: tracer.GroupThisCell, Ended: -1, Spans: blocked},
		{Cell: 5, Line: 3, Fn: "fanOut.func1", Compiled: true, Group: tracer.GroupThisCell, Ended: -1, Spans: blocked},
		{Cell: 2, Line: 0, Fn: "errgroup.(*Group).Go.func1", Compiled: true, Group: tracer.GroupEarlier, Ended: -1, Spans: blocked},
	})
	want := []string{
		"1 goroutine started at the cell (fanOut.func1) is still blocked (chan receive).",
		"1 goroutine started at line 3 (fanOut.func1) is still blocked (chan receive).",
		"1 goroutine started at cell 2 (errgroup.(*Group).Go.func1) is still blocked (chan receive).",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}
