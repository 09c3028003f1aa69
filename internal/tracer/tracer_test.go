package tracer

import (
	"context"
	"errors"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/juggler-kernel/juggler/internal/stdlib"
	"github.com/juggler-kernel/juggler/internal/yaegi/interp"
)

// traced runs body as the main flow of cell 7 under the tracer, with
// GOMAXPROCS set to procs. Tests that trace must not run in parallel: there
// is one tracer per process.
func traced(t *testing.T, procs int, body func()) (*Trace, []byte) {
	t.Helper()
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
	c, err := Start()
	if err != nil {
		t.Fatal(err)
	}
	LabelCellFlow(7)
	body()
	tr, raw, err := c.Stop()
	if err != nil {
		t.Fatal(err)
	}
	return tr, raw
}

// spin keeps the CPU busy for d, without blocking.
func spin(d time.Duration) int {
	x := 0
	for start := time.Now(); time.Since(start) < d; x++ {
	}
	return x
}

// goLabelled starts fn on a goroutine labelled as cell 7's go statement at
// line, the way the kernel's rewritten go statements do.
func goLabelled(wg *sync.WaitGroup, line int, name string, fn func()) {
	wg.Add(1)
	go func() {
		defer wg.Done()
		LabelGoroutine(7, line, name)
		fn()
	}()
}

func byLine(t *testing.T, tr *Trace, line int) *Goroutine {
	t.Helper()
	for _, g := range tr.Goroutines {
		if g.Group == GroupThisCell && g.Line == line {
			return g
		}
	}
	t.Fatalf("no goroutine for line %d among %d visible", line, len(tr.Goroutines))
	return nil
}

func TestParallelism(t *testing.T) {
	for _, procs := range []int{1, 2} {
		t.Run("GOMAXPROCS="+string(rune('0'+procs)), func(t *testing.T) {
			tr, _ := traced(t, procs, func() {
				var wg sync.WaitGroup
				goLabelled(&wg, 2, "spin", func() { spin(50 * time.Millisecond) })
				goLabelled(&wg, 3, "spin", func() { spin(50 * time.Millisecond) })
				wg.Wait()
			})
			if tr.GOMAXPROCS != procs {
				t.Errorf("GOMAXPROCS = %d, want %d", tr.GOMAXPROCS, procs)
			}
			if len(tr.Procs) < procs {
				t.Fatalf("%d P lanes, want at least %d", len(tr.Procs), procs)
			}
			peak, _ := tr.PeakRunning()
			if peak != procs {
				t.Errorf("peak running = %d, want %d", peak, procs)
			}
			a, b := byLine(t, tr, 2), byLine(t, tr, 3)
			for _, g := range []*Goroutine{a, b} {
				// wg.Wait can return before the goroutine's last
				// instructions after wg.Done, so "alive" is fine if running.
				if g.Alive() && g.Last().State == Blocked {
					t.Errorf("%s still blocked at the end: %+v", g.Label(), g.Last())
				}
				if g.Parent != tr.Goroutines[0].ID {
					t.Errorf("%s parent = %d, want the cell flow %d", g.Label(), g.Parent, tr.Goroutines[0].ID)
				}
			}
			if procs == 2 {
				// Both P lanes ran our goroutines at some common instant.
				if !procsOverlap(tr, a.ID, b.ID) {
					t.Error("the two spinning goroutines never ran on two Ps at once")
				}
			}
			// Each spins for 50ms of wall time: on one P they share it.
			running := tr.Totals().Running
			if running < time.Duration(procs)*40*time.Millisecond || running > tr.Wall()*time.Duration(procs) {
				t.Errorf("total running %v in %v on %d Ps", running, tr.Wall(), procs)
			}
		})
	}
}

// procsOverlap reports whether goroutines a and b ran on different Ps in
// overlapping intervals.
func procsOverlap(tr *Trace, a, b int64) bool {
	for _, pa := range tr.Procs {
		for _, pb := range tr.Procs {
			if pa.ID == pb.ID {
				continue
			}
			for _, sa := range pa.Spans {
				for _, sb := range pb.Spans {
					if sa.G == a && sb.G == b && sa.Start < sb.End && sb.Start < sa.End {
						return true
					}
				}
			}
		}
	}
	return false
}

func TestBlockReasons(t *testing.T) {
	send, recv, sel, refl, never := make(chan int), make(chan int), make(chan int), make(chan int), make(chan int)
	var mu sync.Mutex
	var wg sync.WaitGroup
	tr, _ := traced(t, 2, func() {
		mu.Lock()
		goLabelled(&wg, 2, "sender", func() { send <- 1 })
		goLabelled(&wg, 3, "receiver", func() { <-recv })
		goLabelled(&wg, 4, "locker", func() { mu.Lock(); mu.Unlock() })
		goLabelled(&wg, 5, "sleeper", func() { time.Sleep(5 * time.Millisecond) })
		goLabelled(&wg, 6, "selector", func() {
			select {
			case <-sel:
			case <-never:
			}
		})
		goLabelled(&wg, 7, "reflect", func() {
			reflect.Select([]reflect.SelectCase{{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(refl)}})
		})
		time.Sleep(10 * time.Millisecond)
		<-send
		recv <- 1
		mu.Unlock()
		sel <- 2
		refl <- 3
		wg.Wait()
	})
	flow := tr.Goroutines[0]
	if flow.Group != GroupCellFlow || flow.Label() != "cell" {
		t.Fatalf("first lane = %+v, want the cell flow", flow)
	}
	for _, tc := range []struct {
		line   int
		reason string
		woken  bool // by the cell flow
	}{
		{2, ReasonChanSend, true},
		{3, ReasonChanRecv, true},
		{4, ReasonSync, true},
		{5, ReasonSleep, false},
		{6, ReasonSelect, true},
		{7, ReasonSelect, true},
	} {
		g := byLine(t, tr, tc.line)
		var found bool
		for _, s := range g.Spans {
			if s.State == Blocked && s.Reason == tc.reason {
				found = true
				if tc.woken && s.WokenBy != flow.ID {
					t.Errorf("%s: blocked span woken by %d, want the cell flow %d", g.Label(), s.WokenBy, flow.ID)
				}
			}
		}
		if !found {
			t.Errorf("%s: no span blocked on %q: %+v", g.Label(), tc.reason, g.Spans)
		}
	}
	var wakes int
	for _, e := range tr.Edges {
		if e.Kind == Wake && e.From == flow.ID {
			wakes++
		}
	}
	if wakes < 4 {
		t.Errorf("%d wake edges from the cell flow, want at least 4", wakes)
	}
}

func TestStillAliveAndGroups(t *testing.T) {
	// A goroutine of an "earlier cell", blocked since before the trace: it
	// logs nothing during the trace, so only the registry can name it.
	earlier := make(chan int)
	ready := make(chan bool)
	go func() {
		LabelGoroutine(3, 4, "waiter")
		ready <- true
		<-earlier
	}()
	<-ready

	// A goroutine of the kernel's, outside the cell, starts goroutines
	// during the trace: neither is labelled, nor shown.
	kernel := make(chan func())
	go func() {
		for f := range kernel {
			go f()
		}
	}()

	leak := make(chan int)
	hidden := make(chan bool)
	tr, raw := traced(t, 2, func() {
		var wg sync.WaitGroup
		goLabelled(&wg, 2, "func literal", func() { leak <- 1 })
		kernel <- func() { <-hidden }
		time.Sleep(5 * time.Millisecond)
	})
	<-leak
	close(earlier)
	close(hidden)
	close(kernel)

	alive := tr.StillAlive()
	if len(alive) != 2 {
		t.Fatalf("still alive: %d goroutines, want 2: %+v", len(alive), alive)
	}
	g := byLine(t, tr, 2)
	if !g.Alive() || g.Last().State != Blocked || g.Last().Reason != ReasonChanSend {
		t.Errorf("leaked goroutine: alive %v, last span %+v, want blocked on chan send", g.Alive(), g.Last())
	}
	var e *Goroutine
	for _, x := range tr.Goroutines {
		if x.Group == GroupEarlier {
			e = x
		}
	}
	if e == nil {
		t.Fatal("no goroutine in the earlier cells group")
	}
	if e.Cell != 3 || e.Line != 4 || e.Fn != "waiter" || !e.Existed {
		t.Errorf("earlier goroutine = %+v", e)
	}
	if l := e.Last(); l.State != Blocked || l.Reason != ReasonChanRecv || l.Start != tr.Start {
		t.Errorf("earlier goroutine's span = %+v, want blocked on chan receive for the whole window", l)
	}
	if e.Label() != "cell 3 line 4: waiter" {
		t.Errorf("label %q", e.Label())
	}
	// The tracer's 3 goroutines, the unlabelled one, and the runtime's.
	if tr.Hidden < 4 {
		t.Errorf("hidden = %d, want at least 4", tr.Hidden)
	}
	if len(tr.Goroutines) != 3 {
		t.Errorf("%d visible goroutines, want 3 (cell, line 2, earlier)", len(tr.Goroutines))
	}

	// The raw bytes parse to the same model.
	again, err := Parse(raw, 7)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Goroutines) != len(tr.Goroutines) || again.Start != tr.Start || again.End != tr.End {
		t.Errorf("Parse(raw) differs from Stop's model")
	}
}

func TestStartTwice(t *testing.T) {
	c, err := Start()
	if err != nil {
		t.Fatal(err)
	}
	_, err2 := Start()
	if _, _, err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(err2, ErrTracing) {
		t.Fatalf("second Start: %v, want ErrTracing", err2)
	}
	if _, _, err := c.Stop(); err == nil {
		t.Error("second Stop: no error")
	}
	// The tracer is free again.
	c, err = Start()
	if err != nil {
		t.Fatalf("Start after Stop: %v", err)
	}
	if _, _, err := c.Stop(); err != nil {
		t.Fatal(err)
	}
}

func TestParseGarbage(t *testing.T) {
	if _, err := Parse([]byte("not a trace"), 1); err == nil {
		t.Error("no error")
	}
}

func TestReasonFromStack(t *testing.T) {
	const interp = "github.com/juggler-kernel/juggler/internal/yaegi/interp."
	for _, tc := range []struct {
		frames []string
		want   string
	}{
		{[]string{"runtime.selectgo", "runtime.reflect_rselect", "reflect.rselect", "reflect.Select", interp + "rangeChan.func1", interp + "runCfg"}, ReasonChanRecv},
		{[]string{"runtime.selectgo", "reflect.rselect", "reflect.Select", interp + "recv.func3"}, ReasonChanRecv},
		{[]string{"runtime.selectgo", "reflect.rselect", "reflect.Select", interp + "recv2.func1"}, ReasonChanRecv},
		{[]string{"runtime.selectgo", "reflect.rselect", "reflect.Select", interp + "send.func1"}, ReasonChanSend},
		{[]string{"runtime.selectgo", "reflect.rselect", "reflect.Select", interp + "_select.func1"}, ReasonSelect},
		{[]string{"runtime.selectgo", "reflect.rselect", "reflect.Select", "main.f"}, ReasonSelect},
		{[]string{"runtime.selectgo", "main.f"}, ReasonSelect},
		{[]string{"runtime.gopark", "runtime.chansend", "runtime.chansend1", "main.f"}, ReasonChanSend},
		{[]string{"runtime.gopark", "runtime.chanrecv", "runtime.chanrecv1", "main.f"}, ReasonChanRecv},
		{[]string{"runtime.gopark", "runtime.goparkunlock", "runtime.semacquire1", "sync.runtime_SemacquireMutex", "sync.(*Mutex).Lock"}, ReasonSync},
		{[]string{"time.Sleep", "main.f"}, ReasonSleep},
		{[]string{"runtime.selectgo", kernelSleep, "reflect.Value.Call", interp + "callBin.func2"}, ReasonSleep},
		{[]string{"runtime.block", "main.f"}, ReasonForever},
		{[]string{"main.f"}, ""},
	} {
		if got := reasonFromStack(tc.frames); got != tc.want {
			t.Errorf("reasonFromStack(%q) = %q, want %q", tc.frames, got, tc.want)
		}
	}
}

func TestLabelWithoutTrace(t *testing.T) {
	// No trace running: labelling must not panic and must be remembered.
	done := make(chan int64)
	go func() {
		LabelGoroutine(1, 2, "f")
		LabelCellFlow(1)
		done <- GoID()
	}()
	id := <-done
	registry.Lock()
	l, ok := registry.m[id]
	registry.Unlock()
	if !ok || l.line != 2 || l.fn != "f" {
		t.Errorf("registry[%d] = %+v, %v", id, l, ok)
	}
	Forget(id)
	registry.Lock()
	_, ok = registry.m[id]
	registry.Unlock()
	if ok {
		t.Errorf("registry[%d] still there after Forget", id)
	}
}

func BenchmarkParse(b *testing.B) {
	// About 2,000 goroutines passing values over a channel.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	c, err := Start()
	if err != nil {
		b.Fatal(err)
	}
	LabelCellFlow(1)
	ch := make(chan int)
	var wg sync.WaitGroup
	for i := range 2000 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			LabelGoroutine(1, 3, "worker")
			ch <- i
		}()
	}
	for range 2000 {
		<-ch
	}
	wg.Wait()
	_, raw, err := c.Stop()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(raw)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := Parse(raw, 1); err != nil {
			b.Fatal(err)
		}
	}
}

// TestInterpreterChannelOps checks that channel operations the interpreter
// runs through reflect.Select are reported as what the user wrote.
func TestInterpreterChannelOps(t *testing.T) {
	i := interp.New(interp.Options{})
	if err := i.Use(stdlib.Symbols); err != nil {
		t.Fatal(err)
	}
	if err := i.Use(interp.Exports{"juggler/juggler": {"Label": reflect.ValueOf(LabelGoroutine)}}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := i.EvalWithContext(ctx, `import ("time"; "juggler")`); err != nil {
		t.Fatal(err)
	}
	var err error
	tr, _ := traced(t, 2, func() {
		// EvalWithContext makes every channel operation cancellable, which
		// the interpreter does with reflect.Select.
		_, err = i.EvalWithContext(ctx, `
ch := make(chan int)
out := make(chan int)
go func() { juggler.Label(7, 2, "ranger"); for v := range ch { _ = v }; out <- 1 }()
go func() { juggler.Label(7, 3, "receiver"); x := <-out; _ = x }()
time.Sleep(3 * time.Millisecond)
close(ch)
time.Sleep(time.Millisecond)
`)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []int{2, 3} {
		g := byLine(t, tr, line)
		var found bool
		for _, s := range g.Spans {
			if s.State == Blocked && s.Reason == ReasonChanRecv && s.RawReason == ReasonSelect {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: no chan receive span mapped back from select: %+v", g.Label(), g.Spans)
		}
	}
}

// A goroutine that has not run by the end of the trace is named by its
// creator's announcement.
func TestLabelNextNamesGoroutinesThatNeverRan(t *testing.T) {
	release := make(chan struct{})
	tr, _ := traced(t, 1, func() {
		for line := 3; line <= 4; line++ {
			LabelNext(7, line, "late")
			go func() {
				<-release // keeps it from mattering whether it ran
			}()
		}
		// Give the Ps nothing: the children stay runnable or barely start.
	})
	close(release)
	for _, line := range []int{3, 4} {
		g := byLine(t, tr, line)
		if g == nil || g.Fn != "late" {
			t.Errorf("line %d: goroutine %+v, want it named by LabelNext", line, g)
		}
	}
}

// A capture measures the process's CPU time over about the traced window.
func TestCaptureMeasuresCPUTime(t *testing.T) {
	tr, _ := traced(t, 1, func() { spin(30 * time.Millisecond) })
	cpus, ok := tr.CPUs()
	if !ok {
		t.Skip("no CPU time on this system")
	}
	if d := tr.CPUWall - tr.Wall(); d < -5*time.Millisecond || d > 50*time.Millisecond {
		t.Errorf("CPU measured over %v, the traced window is %v", tr.CPUWall, tr.Wall())
	}
	// The spin used at most one CPU; the process may have had less of it.
	if tr.CPU <= 0 || cpus > 1.5 {
		t.Errorf("CPU %v in %v (%.2f CPUs) for one goroutine spinning", tr.CPU, tr.CPUWall, cpus)
	}
}

// The CPU time is counted from the cell's first flow label, where the
// timeline starts, even when the flow is labelled again later.
func TestCPUWindowStartsAtFirstFlowLabel(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	c, err := Start()
	if err != nil {
		t.Fatal(err)
	}
	LabelCellFlow(7)
	spin(30 * time.Millisecond)
	LabelCellFlow(7) // the cell's next piece
	spin(time.Millisecond)
	tr, _, err := c.Stop()
	if err != nil {
		t.Fatal(err)
	}
	if tr.CPUWall < 30*time.Millisecond {
		t.Errorf("CPU measured over %v, the cell ran for %v", tr.CPUWall, tr.Wall())
	}
}

// A cell's pieces that run one after the other on goroutines of their own
// show as one "cell" lane, and the P lanes name it.
func TestCellFlowPiecesShareALane(t *testing.T) {
	tr, _ := traced(t, 1, func() {
		// traced labelled this goroutine as the flow; two more pieces follow
		// on goroutines of their own, one after the other.
		for range 2 {
			done := make(chan bool)
			go func() {
				LabelCellFlow(7)
				spin(5 * time.Millisecond)
				close(done)
			}()
			<-done
		}
	})
	var flows []*Goroutine
	for _, g := range tr.Goroutines {
		if g.Group == GroupCellFlow {
			flows = append(flows, g)
		}
	}
	// The first flow goroutine (the test's) outlives the pieces: it stays
	// a lane of its own; the two pieces share one.
	if len(flows) != 2 {
		t.Fatalf("%d cell flow lanes, want 2 (the waiting flow, and the two pieces in one)", len(flows))
	}
	pieces := flows[1]
	running := time.Duration(0)
	for _, s := range pieces.Spans {
		if s.State == Running {
			running += s.Duration()
		}
	}
	if running < 8*time.Millisecond {
		t.Errorf("the pieces' lane ran %v, want both pieces' 10 ms", running)
	}
	for _, p := range tr.Procs {
		for _, s := range p.Spans {
			if tr.Goroutine(s.G) == nil && s.End-s.Start > int64(2*time.Millisecond) {
				t.Errorf("P%d ran goroutine %d for %v, which has no lane", p.ID, s.G, time.Duration(s.End-s.Start))
			}
		}
	}
}

// compiledWorkers stands for compiled code the cell calls (a %%native cell's
// function, errgroup's Go): it starts goroutines with no label of ours.
//
//go:noinline
func compiledWorkers(n int, done chan<- int) {
	for i := range n {
		go func() {
			spin(2 * time.Millisecond)
			go func() { done <- i }() // started by an unlabelled goroutine in turn
		}()
	}
}

func TestGoroutinesStartedByCompiledCode(t *testing.T) {
	done := make(chan int)
	var wg sync.WaitGroup
	tr, _ := traced(t, 2, func() {
		compiledWorkers(1, done) // from the cell's flow
		goLabelled(&wg, 4, "worker", func() { compiledWorkers(2, done) })
		for range 3 {
			<-done
		}
		wg.Wait()
		runtime.GC() // the runtime's own goroutines stay hidden
	})
	var fromFlow, fromLine4 []*Goroutine
	for _, g := range tr.Goroutines {
		if !g.Compiled {
			continue
		}
		if g.Group != GroupThisCell || g.Cell != 7 {
			t.Errorf("%s: group %v cell %d, want this cell's", g.Label(), g.Group, g.Cell)
		}
		if !strings.HasPrefix(g.Fn, "tracer.compiledWorkers.func1") {
			t.Errorf("%s: Fn = %q, want the compiled start function", g.Label(), g.Fn)
		}
		switch g.Line {
		case 0:
			fromFlow = append(fromFlow, g)
		case 4:
			fromLine4 = append(fromLine4, g)
		default:
			t.Errorf("%s: line %d", g.Label(), g.Line)
		}
	}
	// Each worker and the goroutine it starts: 2 from the flow, 4 from line 4.
	if len(fromFlow) != 2 || len(fromLine4) != 4 {
		t.Fatalf("%d compiled goroutines from the flow, %d from line 4; want 2 and 4", len(fromFlow), len(fromLine4))
	}
	if got, want := fromLine4[0].Label(), "tracer.compiledWorkers.func1 (started by line 4)"; got != want {
		t.Errorf("label %q, want %q", got, want)
	}
	if got := fromFlow[0].Label(); !strings.HasSuffix(got, "(started by the cell)") {
		t.Errorf("label %q", got)
	}
	for _, g := range tr.Goroutines {
		if strings.HasPrefix(g.Fn, "runtime") || g.Line == 0 && g.Group != GroupCellFlow && !g.Compiled {
			t.Errorf("runtime goroutine shown: %s", g.Label())
		}
	}
	if tr.Hidden == 0 {
		t.Error("no hidden goroutines: the runtime's should be")
	}
}

// The interpreter runs a go statement it was not asked to label (one in an
// imported package's source, which the kernel does not rewrite) on a
// goroutine of its own: the trace shows it by its creator too.
func TestInterpretedUnlabelledGoStatement(t *testing.T) {
	i := interp.New(interp.Options{})
	if err := i.Use(stdlib.Symbols); err != nil {
		t.Fatal(err)
	}
	if err := i.Use(interp.Exports{"juggler/juggler": {"Flow": reflect.ValueOf(func() { LabelCellFlow(7) })}}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := i.EvalWithContext(ctx, `import ("sync"; "juggler")`); err != nil {
		t.Fatal(err)
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	c, err := Start()
	if err != nil {
		t.Fatal(err)
	}
	_, err = i.EvalWithContext(ctx, `
juggler.Flow()
var wg sync.WaitGroup
wg.Add(2)
go func() { wg.Done() }()
go func() { wg.Done() }()
wg.Wait()
`)
	tr, _, serr := c.Stop()
	if err != nil || serr != nil {
		t.Fatal(err, serr)
	}
	var n int
	for _, g := range tr.Goroutines {
		if g.Compiled {
			n++
			if g.Label() != "go statement in an imported package (started by the cell)" {
				t.Errorf("label %q", g.Label())
			}
		}
	}
	if n != 2 {
		t.Errorf("%d lanes for the unlabelled go statements, want 2", n)
	}
}
