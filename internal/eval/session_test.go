package eval

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/juggler-kernel/juggler/internal/render"
	"github.com/juggler-kernel/juggler/internal/wire"
)

type recorder struct {
	mu       sync.Mutex
	displays []wire.Bundle
	updates  int
	clears   int
}

func (r *recorder) Display(b wire.Bundle, update bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.displays = append(r.displays, b)
	if update {
		r.updates++
	}
}

func (r *recorder) Clear(bool) { r.mu.Lock(); r.clears++; r.mu.Unlock() }

type safeBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *safeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *safeBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func newSession(t testing.TB) (*Session, *safeBuffer, *safeBuffer, *recorder) {
	t.Helper()
	out, errOut, rec := &safeBuffer{}, &safeBuffer{}, &recorder{}
	s, err := New(Options{Stdout: out, Stderr: errOut, Stdin: strings.NewReader("hello\n"), Display: rec})
	if err != nil {
		t.Fatal(err)
	}
	return s, out, errOut, rec
}

// run runs cells in one session and returns the text of the last one's
// value, or its error.
func run(t *testing.T, s *Session, cells ...string) (string, error) {
	t.Helper()
	var res Result
	var err error
	for i, c := range cells {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		res, err = s.Run(ctx, Cell{ID: int64(i + 1), Count: i + 1, Code: c})
		cancel()
		if err != nil && i < len(cells)-1 {
			t.Fatalf("cell %d %q: %v", i, c, err)
		}
	}
	if err != nil || !res.HasValue {
		return "", err
	}
	return render.Values(res.Values)[render.Plain].(string), nil
}

// valueCase is a sequence of cells and the value the last one shows.
type valueCase struct {
	name  string
	cells []string
	want  string
}

// runValueCases runs each case in a fresh session and checks the last
// cell's value, then waits for the goroutines the cells started.
func runValueCases(t *testing.T, tests []valueCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, _, _ := newSession(t)
			got, err := run(t, s, tt.cells...)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q (notes %q)", got, tt.want, s.Notes())
			}
			waitGoroutines(t, s)
		})
	}
}

func TestValues(t *testing.T) {
	runValueCases(t, []valueCase{
		{"arithmetic", []string{"6*7"}, "42"},
		{"string", []string{`"go" + "pher"`}, `"gopher"`},
		{"state across cells", []string{"x := 41", "x + 1"}, "42"},
		{"var decl", []string{"var y = 3", "y * 2"}, "6"},
		{"func sees later assignment", []string{"x := 1", "func f() int { return x * 10 }", "x = 5", "f()"}, "50"},
		{"mixed cell", []string{"type P struct{ X, Y int }\np := P{1, 2}\nfunc (p P) Sum() int { return p.X + p.Y }\np.Sum()"}, "3"},
		{"auto import", []string{`strings.ToUpper("a")`}, `"A"`},
		{"auto import by member", []string{`rand.New(rand.NewSource(1)).Intn(1) + 1`}, "1"},
		{"explicit import twice", []string{`import "strings"`, "import \"strings\"\nstrings.Repeat(\"a\", 2)"}, `"aa"`},
		{"tuple", []string{`strconv.Atoi("12")`}, "(12, nil)"},
		{"slice", []string{"[]int{1, 2}"}, "[]int{1, 2}"},
		{"println shows nothing", []string{`fmt.Println("hi")`}, ""},
		{"call without result", []string{"func none() {}", "none()"}, ""},
		{"no trailing expression", []string{"z := 2"}, ""},
		{"magic lines are blank", []string{"%help\n1 + 1"}, "2"},
		{"struct variable", []string{"type P struct{ X int }", "p := P{1}", "p"}, "{X:1}"},
		{"unexported fields", []string{"type point struct{ x, y int }", "p := point{1, 2}", "p"}, "{x:1 y:2}"},
		{"a call's value", []string{"type point struct{ x, y int }", "func mk() (point, *point) { return point{3, 4}, &point{5, 6} }", "mk()"}, "({x:3 y:4}, &{x:5 y:6})"},
		{"slice of structs", []string{"type point struct{ x, y int }", "[]point{{1, 2}}"}, "[{x:1 y:2}]"},
		{"channel receive", []string{"ch := make(chan int, 1)\nch <- 5\n<-ch"}, "5"},
		{"map index", []string{`m := map[string]int{"a": 1}`, `m["a"]`}, "1"},
		{"nil error", []string{"var err error", "err"}, "nil"},
		{"conversion", []string{"float64(3) / 2"}, "1.5"},
		{"a signal is not a value", []string{"done := make(chan struct{}, 1)\ndone <- struct{}{}\n<-done"}, ""},
		{"stdin via fmt.Scanln", []string{"var s string\nfmt.Scanln(&s)\ns"}, `"hello"`},
	})
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name     string
		cells    []string
		ename    string
		contains string
		trace    string
	}{
		{"compile error names cell line", []string{"x1 := 2\nx1 + \"s\""}, "CompileError", "line 2: ", ""},
		{"syntax error", []string{"x := )"}, "SyntaxError", "line 1: ", ""},
		{"panic", []string{`panic("boom")`}, "panic", "boom", "line 1"},
		{"panic in func", []string{"func g() {\n\tpanic(\"deep\")\n}", "g()"}, "panic", "deep", "line 2: in g"},
		{"index out of range", []string{"var a []int\n_ = a[3]"}, "panic", "index out of range", ""},
		{"os.Exit", []string{"os.Exit(3)"}, "Exit", "os.Exit(3)", ""},
		{"undefined", []string{"nosuchthing + 1"}, "CompileError", "undefined: nosuchthing", ""},
		{"min of mismatched types", []string{"a, b := 1, 2.5\nmin(a, b)"}, "CompileError", "line 2: invalid argument: mismatched types int (previous argument) and float64 (type of b)", ""},
		{"jump out of a range over a func", []string{"func seq(yield func(int) bool) { yield(1) }", "outer:\nfor {\n\tfor v := range seq {\n\t\t_ = v\n\t\tbreak outer\n\t}\n}"}, "CompileError", "line 5: break outer out of the body of a range over a function is not supported", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, _, _ := newSession(t)
			_, err := run(t, s, tt.cells...)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want *Error", err)
			}
			if e.Name != tt.ename || !strings.Contains(e.Value, tt.contains) {
				t.Errorf("got %s: %q; want %s containing %q", e.Name, e.Value, tt.ename, tt.contains)
			}
			if tt.trace != "" && !strings.Contains(strings.Join(e.Traceback, "\n"), tt.trace) {
				t.Errorf("traceback %q lacks %q", e.Traceback, tt.trace)
			}
			// The session survives.
			if got, err := run(t, s, "1 + 1"); err != nil || got != "2" {
				t.Errorf("after the error: %q, %v", got, err)
			}
		})
	}
}

func TestPanicPrintsNothingOnStderr(t *testing.T) {
	s, _, errOut, _ := newSession(t)
	if _, err := run(t, s, `panic("boom")`); err == nil {
		t.Fatal("no error")
	}
	if errOut.String() != "" {
		t.Errorf("stderr = %q, want nothing", errOut.String())
	}
}

func TestOutputAndDisplay(t *testing.T) {
	s, out, _, rec := newSession(t)
	if _, err := run(t, s, `fmt.Println("hello, world")`, `fmt.Fprintln(os.Stdout, "again")`, `display.HTML("<b>hi</b>")`, "d := display.New()\nd.Text(\"a\")\nd.Text(\"b\")"); err != nil {
		t.Fatal(err)
	}
	if out.String() != "hello, world\nagain\n" {
		t.Errorf("stdout = %q", out.String())
	}
	if len(rec.displays) != 3 || rec.displays[0].Data[render.HTML] != "<b>hi</b>" || rec.updates != 1 {
		t.Errorf("displays = %+v, updates %d", rec.displays, rec.updates)
	}
}

func TestInterrupt(t *testing.T) {
	s, _, _, _ := newSession(t)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	_, err := s.Run(ctx, Cell{ID: 1, Code: "for {}"})
	var e *Error
	if !errors.As(err, &e) || e.Name != "Interrupted" {
		t.Fatalf("err = %v", err)
	}
}

func TestInterruptSparesEarlierCells(t *testing.T) {
	s, _, _, _ := newSession(t)
	// The goroutines keep their counters in locals: one that read a
	// global while a later cell grows the global frame would be a data
	// race inside yaegi, which -race reports.
	if _, err := run(t, s, `kept, mine, napped, quit := new(int64), new(int64), new(int64), new(int64)
func(k, n, q *int64) {
	go func() { for atomic.LoadInt64(q) == 0 { atomic.AddInt64(k, 1); time.Sleep(time.Millisecond) } }()
	go func() {
		time.Sleep(30 * time.Millisecond) // into the next cell
		go func() {
			t0 := time.Now()
			time.Sleep(300 * time.Millisecond)
			atomic.StoreInt64(n, int64(time.Since(t0)/time.Millisecond))
		}()
	}()
}(kept, napped, quit)`); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	_, err := s.Run(ctx, Cell{ID: 100, Code: `func(m *int64) {
	go func() { for { atomic.AddInt64(m, 1); time.Sleep(time.Millisecond) } }()
	go func() { for { atomic.AddInt64(m, 1) } }()
}(mine)
for {}`})
	var e *Error
	if !errors.As(err, &e) || e.Name != "Interrupted" {
		t.Fatalf("err = %v", err)
	}
	// The earlier cell's ticker goes on, and the goroutine one of its
	// goroutines started while the interrupted cell ran is the earlier
	// cell's too: its sleep is not cut short. The interrupted cell's
	// goroutines stay stopped.
	got, err := run(t, s, `k, m := atomic.LoadInt64(kept), atomic.LoadInt64(mine)
time.Sleep(400 * time.Millisecond)
fmt.Sprint(atomic.LoadInt64(kept) > k, atomic.LoadInt64(mine) == m, atomic.LoadInt64(napped) >= 300)`)
	if err != nil || got != `"true true true"` {
		t.Errorf("earlier ticking, interrupted still, earlier sleep whole = %s, %v; want \"true true true\"", got, err)
	}
	if _, err := run(t, s, "atomic.StoreInt64(quit, 1)"); err != nil {
		t.Fatal(err)
	}
	waitGoroutines(t, s)
}

func TestGoroutines(t *testing.T) {
	s, out, errOut, _ := newSession(t)
	// Each cell waits for its goroutines: yaegi races with goroutines that
	// outlive their cell when the next cell grows the global frame.
	got, err := run(t, s,
		"ch := make(chan int, 5)\nfor i := 0; i < 5; i++ {\n\tgo func() { ch <- i }()\n}\nsum := 0\nfor range [5]int{} {\n\tsum += <-ch\n}\nsum")
	if err != nil || got != "10" {
		t.Fatalf("per-iteration loop variables: sum = %q, %v (want 10: each goroutine sees its own i)", got, err)
	}
	waitGoroutines(t, s)
	if _, err := run(t, s, "type T struct{ n int }\nfunc (t T) Put(c chan int, k int64) { c <- t.n + int(k) }\nt := T{100}"); err != nil {
		t.Fatal(err)
	}
	// A method value as the goroutine, with a constant argument for an
	// int64 parameter.
	if got, err := run(t, s, "go t.Put(ch, 2)\n<-ch"); err != nil || got != "102" {
		t.Fatalf("method goroutine = %q, %v", got, err)
	}
	waitGoroutines(t, s)
	if _, err := run(t, s, "done := make(chan bool)\ngo func() {\n\tdefer close(done)\n\tpanic(\"boom\")\n}()\n<-done"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(errOut.String(), "panic in goroutine started at line 2: boom") {
		if time.Now().After(deadline) {
			t.Fatalf("stderr = %q", errOut.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	waitGoroutines(t, s)
	if got, err := run(t, s, "sum + 1"); err != nil || got != "11" {
		t.Errorf("session lost after a goroutine panic: %q, %v", got, err)
	}
	_ = out
}

// waitGoroutines waits until every goroutine the cells started has ended.
// yaegi's goroutines read the interpreter's global frame without a lock, so
// a cell that runs while they return is a data race inside yaegi that -race
// reports; the tests keep cells and goroutines apart.
func waitGoroutines(t *testing.T, s *Session) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for len(s.Live()) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("goroutines still running: %+v", s.Live())
		}
		time.Sleep(time.Millisecond)
	}
}

func TestDeadlock(t *testing.T) {
	tests := []struct {
		name  string
		code  string
		wants []string
	}{
		{"send with no receiver", "ch := make(chan int)\nch <- 1", []string{"all goroutines are asleep - deadlock!", "the cell is blocked (chan send)"}},
		{"goroutines wait on each other", "a, b := make(chan int), make(chan int)\ngo func() { <-a; b <- 1 }()\n<-b",
			[]string{"the cell is blocked (chan receive)", "1 goroutine started at line 2 is blocked (chan receive)"}},
		{"WaitGroup never done", "var wg sync.WaitGroup\nwg.Add(2)\ngo func() { wg.Done() }()\nwg.Wait()", []string{"sync.WaitGroup.Wait"}},
		{"mutex locked twice", "var mu sync.Mutex\nmu.Lock()\nmu.Lock()", []string{"sync.Mutex.Lock"}},
		{"empty select", "select {}", []string{"deadlock"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, _, _ := newSession(t)
			start := time.Now()
			_, err := run(t, s, tt.code)
			var e *Error
			if !errors.As(err, &e) || e.Name != "Deadlock" {
				t.Fatalf("err = %v, want a Deadlock error", err)
			}
			for _, w := range tt.wants {
				if !strings.Contains(e.Value, w) {
					t.Errorf("deadlock report %q lacks %q", e.Value, w)
				}
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("deadlock reported after %v, want within 2s", d)
			}
			// No next cell here: yaegi returns from a stopped evaluation
			// before the goroutine that ran it has unwound, and the next
			// evaluation races with it inside yaegi, which -race reports.
			// That the session goes on is tested through the real kernel
			// (tests/test_protocol.py).
		})
	}
}

// Waiting on a timer, a sleeping goroutine or a goroutine that works is
// not a deadlock.
func TestNotDeadlock(t *testing.T) {
	for _, code := range []string{
		"<-time.After(800 * time.Millisecond)",
		"ch := make(chan int)\ngo func() { time.Sleep(800 * time.Millisecond); ch <- 1 }()\n<-ch",
		"ctx, cancel := context.WithTimeout(context.Background(), 800*time.Millisecond)\ndefer cancel()\n<-ctx.Done()",
		"ch := make(chan int)\ngo func() { n := 0; for i := 0; i < 3000000; i++ { n += i }; ch <- n }()\n<-ch",
	} {
		s, _, _, _ := newSession(t)
		if _, err := run(t, s, code); err != nil {
			t.Errorf("%q: %v", code, err)
		}
		waitGoroutines(t, s)
	}
}

func TestBlockedReport(t *testing.T) {
	s, _, _, _ := newSession(t)
	if _, err := run(t, s, "ch := make(chan int)\ngo func() { ch <- 1 }()\ngo func() { ch <- 2 }()\ngo func() { time.Sleep(50 * time.Millisecond) }()"); err != nil {
		t.Fatal(err)
	}
	got := Describe(s.Blocked(1), "still ", 1)
	if len(got) != 1 || got[0] != "1 goroutine started at line 2 is still blocked (chan send)" && got[0] != "1 goroutine started at line 3 is still blocked (chan send)" {
		// Both sends are blocked; they are on different lines.
		if len(got) != 2 {
			t.Fatalf("report = %q", got)
		}
	}
	if !strings.Contains(strings.Join(got, "\n"), "1 goroutine started at line 2 is still blocked (chan send)") {
		t.Errorf("report = %q", got)
	}
	// The goroutines stay blocked: a next cell would race with them inside
	// yaegi (its global frame), which -race reports.
}

func TestRedefinition(t *testing.T) {
	runValueCases(t, []valueCase{
		{"func seen by earlier funcs", []string{"func f() int { return 1 }", "func g() int { return f() * 10 }", "func f() int { return 2 }", "g()"}, "20"},
		{"func redefined alone", []string{"func f() int { return 1 }", "func f() int { return 3 }", "f()"}, "3"},
		{"method redefined", []string{"type P struct{ X int }", "func (p P) Show() string { return fmt.Sprint(\"v1 \", p.X) }", "p := P{7}",
			"func (p P) Show() string { return fmt.Sprint(\"v2 \", p.X) }", "p.Show()"}, `"v2 7"`},
		{"struct gains a field, values of other types kept", []string{"type P struct{ X int }", "n := 41", "type P struct{ X, Y int }", "P{1, 2}.Y + n"}, "43"},
		{"const seen by funcs", []string{"const k = 2", "func times(x int) int { return x * k }", "const k = 3", "times(5)"}, "15"},
		{"values of the redefined type's neighbours kept", []string{"type P struct{ X int }", "m := map[string]P{\"a\": {4}}", "pp := &P{5}", "s := []string{\"x\"}",
			"func (p P) Twice() int { return 2 * p.X }", "func (p P) Twice() int { return 3 * p.X }", "m[\"a\"].Twice() + pp.Twice() + len(s)"}, "28"},
		{"values made by calls kept", []string{"type P struct{ X int }\nfunc mk() P { return P{5} }", "p := mk()\nps := []*P{&p}", "func (p P) Double() int { return 2 * p.X }", "p.Double() + ps[0].X"}, "15"},
		{"same code rerun is not a redefinition", []string{"func f() int { return 1 }", "x := 5", "func f() int { return 1 }", "x"}, "5"},
	})
}

func TestRedefinedTypeDropsItsValues(t *testing.T) {
	s, _, _, _ := newSession(t)
	if _, err := run(t, s, "type P struct{ X int }", "p := P{1}", "type P struct{ X, Y int }"); err != nil {
		t.Fatal(err)
	}
	if notes := strings.Join(s.Notes(), "\n"); !strings.Contains(notes, "p was not kept: its type changed") {
		t.Errorf("notes = %q", notes)
	}
}

// A cell that does not compile leaves the session as it was.
func TestFailedCellLeavesSession(t *testing.T) {
	s, _, _, _ := newSession(t)
	if _, err := run(t, s, "x := 1", "func f() int { return 1 }"); err != nil {
		t.Fatal(err)
	}
	_, err := run(t, s, "v1 := 2\nfunc f() int { return 2 }\nx = 10\nv1 + \"s\"")
	var e *Error
	if !errors.As(err, &e) || e.Name != "CompileError" || !strings.Contains(e.Value, "line 4") {
		t.Fatalf("err = %v", err)
	}
	if got, err := run(t, s, "f()"); err != nil || got != "1" {
		t.Errorf("f() after the failed cell = %q, %v; want 1", got, err)
	}
	if _, err := run(t, s, "v1"); err == nil {
		t.Error("v1 is defined after the cell that declared it failed to compile")
	}
	if got, _ := run(t, s, "x"); got != "1" {
		t.Errorf("x = %q, want 1", got)
	}
}

func TestRangeOverInt(t *testing.T) {
	runValueCases(t, []valueCase{
		{"literal", []string{"s := 0\nfor i := range 5 {\n\ts += i\n}\ns"}, "10"},
		{"cell variable", []string{"n := 4\nc := 0\nfor range n {\n\tc++\n}\nc"}, "4"},
		{"session variable", []string{"var n int64 = 3", "var last int64\nfor i := range n {\n\tlast = i\n}\nlast"}, "2"},
		{"session constant", []string{"const N = 3", "c := 0\nfor range N {\n\tc++\n}\nc"}, "3"},
		{"parameter", []string{"func count(n int) int {\n\tc := 0\n\tfor range n {\n\t\tc++\n\t}\n\treturn c\n}", "count(6)"}, "6"},
		{"len and once-evaluated call", []string{"calls := 0\nfunc three() int { calls++; return 3 }\nsum := 0\nfor i := range three() + len(\"ab\") {\n\tsum += i\n}\nsum*10 + calls"}, "101"},
		{"per-iteration variable", []string{"ch := make(chan int, 3)\nfor i := range 3 {\n\tgo func() { ch <- i }()\n}\n<-ch + <-ch + <-ch"}, "3"},
		{"slices still range", []string{"t := 0\nfor i, v := range []int{5, 6} {\n\tt += i * v\n}\nt"}, "6"},
		{"field and call", []string{"type P struct{ N int }\np := P{3}\nfunc g() int { return 2 }\ns := 0\nfor i := range p.N {\n\tfor j := range g() {\n\t\ts += i * j\n\t}\n}\ns"}, "3"},
	})
}

// Receives land where they are written: yaegi lost them or failed for
// several of these forms.
func TestReceives(t *testing.T) {
	runValueCases(t, []valueCase{
		{"return <-ch in a future", []string{"func future(f func() int) func() int {\n\tch := make(chan int, 1)\n\tgo func() { ch <- f() }()\n\treturn func() int { return <-ch }\n}", "get := future(func() int { return 6 * 7 })\nget()"}, "42"},
		{"into slice elements", []string{"func squares() []int {\n\tch := make(chan int)\n\tfor i := range 3 {\n\t\tgo func() { ch <- i * i }()\n\t}\n\tout := make([]int, 3)\n\tfor i := range out {\n\t\tout[i] = <-ch\n\t}\n\tsort.Ints(out)\n\treturn out\n}", "squares()"}, "[]int{0, 1, 4}"},
		{"select into a variable", []string{"ch := make(chan string, 1)\nch <- \"hi\"\ngot := \"\"\nselect {\ncase got = <-ch:\ncase <-time.After(time.Second):\n}\ngot"}, `"hi"`},
	})
}

func TestGenerics(t *testing.T) {
	const mapFn = "func Map[T, U any](xs []T, f func(T) U) []U {\n\tout := make([]U, 0, len(xs))\n\tfor _, x := range xs {\n\t\tout = append(out, f(x))\n\t}\n\treturn out\n}"
	runValueCases(t, []valueCase{
		{"inferred across cells", []string{mapFn, "Map([]int{1, 2}, func(x int) string { return fmt.Sprint(x * 2) })"}, `[]string{"2", "4"}`},
		{"redefined", []string{mapFn, "func Map[T, U any](xs []T, f func(T) U) []U { return nil }", "len(Map([]int{1}, func(x int) int { return x }))"}, "0"},
		{"generic type", []string{"type Stack[T any] struct{ items []T }\nfunc (s *Stack[T]) Push(x T) { s.items = append(s.items, x) }\nfunc (s *Stack[T]) Pop() T {\n\tx := s.items[len(s.items)-1]\n\ts.items = s.items[:len(s.items)-1]\n\treturn x\n}", "s := &Stack[string]{}\ns.Push(\"a\")\ns.Push(\"b\")\ns.Pop()"}, `"b"`},
		{"slices.Sort and a top-level Clone", []string{"xs := []int{3, 1, 2}\nslices.Sort(xs)", "ys := slices.Clone(xs)\nys[0] = 9\nfmt.Sprint(xs, ys)"}, `"[1 2 3] [9 2 3]"`},
	})
}

func TestRangeOverFunc(t *testing.T) {
	const count = "func Count(n int) func(func(int) bool) {\n\treturn func(yield func(int) bool) {\n\t\tfor i := 0; i < n; i++ {\n\t\t\tif !yield(i) {\n\t\t\t\treturn\n\t\t\t}\n\t\t}\n\t}\n}"
	runValueCases(t, []valueCase{
		{"sum", []string{count, "s := 0\nfor x := range Count(4) {\n\ts += x\n}\ns"}, "6"},
		{"break and continue", []string{count, "s := 0\nfor x := range Count(100) {\n\tif x%2 == 0 {\n\t\tcontinue\n\t}\n\tif x > 7 {\n\t\tbreak\n\t}\n\ts += x\n}\ns"}, "16"},
		{"per-iteration variable", []string{count, "fs := []func() int{}\nfor x := range Count(3) {\n\tfs = append(fs, func() int { return x })\n}\nfmt.Sprint(fs[0](), fs[1](), fs[2]())"}, `"0 1 2"`},
		{"goroutines", []string{count, "ch := make(chan int, 3)\nfor x := range Count(3) {\n\tgo func() { ch <- x }()\n}\n<-ch + <-ch + <-ch"}, "3"},
		{"two values", []string{"func Enum(xs []string) func(func(int, string) bool) {\n\treturn func(yield func(int, string) bool) {\n\t\tfor i, x := range xs {\n\t\t\tif !yield(i, x) {\n\t\t\t\treturn\n\t\t\t}\n\t\t}\n\t}\n}", "out := \"\"\nfor i, x := range Enum([]string{\"a\", \"b\"}) {\n\tout += fmt.Sprint(i, x)\n}\nout"}, `"0a1b"`},
		{"deferred closures keep their iteration", []string{"func f() (out string) {\n\tfor _, x := range []int{0, 1} {\n\t\tdefer func() { out += fmt.Sprint(x) }()\n\t}\n\treturn \"go\"\n}", "f()"}, `"go10"`},
	})
}

// Values of a cell's own types show through their methods: HTML and the
// other rich forms, String, Error.
func TestOwnTypesShowRich(t *testing.T) {
	const (
		page    = "type Page struct{ Title string }\nfunc (p Page) HTML() string { return \"<h1>\" + p.Title + \"</h1>\" }"
		pagePtr = "type Page struct{ Title string }\nfunc (p *Page) HTML() string { return \"<b>\" + p.Title + \"</b>\" }\nfunc mk() *Page { return &Page{\"made\"} }"
		named   = "type S struct{ Name string }\nfunc (s S) String() string { return \"S(\" + s.Name + \")\" }"
		myErr   = "type E struct{ Msg string }\nfunc (e E) Error() string { return \"failed: \" + e.Msg }\nfunc fail() error { return E{\"f\"} }"
		note    = "type Note string\nfunc (n Note) Markdown() string { return \"**\" + string(n) + \"**\" }"
		shape   = "type Shape interface{ Area() float64 }\ntype Sq struct{ S float64 }\nfunc (s Sq) Area() float64 { return s.S * s.S }"
	)
	for _, tc := range []struct {
		name  string
		cells []string
		want  map[string]any
	}{
		{"HTML", []string{page, `Page{"hi"}`}, map[string]any{render.HTML: "<h1>hi</h1>", render.Plain: "{Title:hi}"}},
		{"HTML of a pointer", []string{pagePtr, `&Page{"p"}`}, map[string]any{render.HTML: "<b>p</b>", render.Plain: "&{Title:p}"}},
		{"HTML of a call's result", []string{pagePtr, "mk()"}, map[string]any{render.HTML: "<b>made</b>", render.Plain: "&{Title:made}"}},
		{"Markdown", []string{note, `Note("n")`}, map[string]any{render.Markdown: "**n**", render.Plain: `"n"`}},
		{"String", []string{named, `S{"x"}`}, map[string]any{render.Plain: "S(x)"}},
		{"Error", []string{myErr, `E{"e"}`}, map[string]any{render.Plain: "failed: e"}},
		{"error result", []string{myErr, "fail()"}, map[string]any{render.Plain: "failed: f"}},
		{"interface value", []string{shape, "var sh Shape = Sq{2}\nsh"}, map[string]any{render.Plain: "{S:2}"}},
		{"nil interface value", []string{shape, "var sh Shape\nsh"}, map[string]any{render.Plain: "nil"}},
		{"a String that panics", []string{"type Bad struct{}\nfunc (Bad) String() string { panic(\"bad\") }", "Bad{}"}, map[string]any{render.Plain: "%!v(PANIC=String method: bad)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _, _, _ := newSession(t)
			var res Result
			for i, c := range tc.cells {
				var err error
				if res, err = s.Run(context.Background(), Cell{ID: int64(i + 1), Count: i + 1, Code: c}); err != nil {
					t.Fatalf("cell %q: %v", c, err)
				}
			}
			if got := render.Values(res.Values); !res.HasValue || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("shown = %v, want %v", got, tc.want)
			}
		})
	}
	s, _, _, rec := newSession(t)
	if _, err := run(t, s, pagePtr, "display.Value(mk())"); err != nil {
		t.Fatal(err)
	}
	if len(rec.displays) != 1 || rec.displays[0].Data[render.HTML] != "<b>made</b>" {
		t.Errorf("display.Value of an own type: displays = %+v", rec.displays)
	}
}

// A defer in a cell's own statements runs once, when the cell ends.
func TestCellDefer(t *testing.T) {
	s, out, _, _ := newSession(t)
	if _, err := run(t, s, "n := 0\ndefer func() { n++ }()\ndefer fmt.Println(\"deferred\")\nfmt.Println(\"body\")", "fmt.Println(\"next\")", "var mu sync.Mutex\nmu.Lock()\ndefer mu.Unlock()"); err != nil {
		t.Fatal(err)
	}
	if got, err := run(t, s, "n"); err != nil || got != "1" {
		t.Errorf("n = %s, %v; want 1: the deferred func ran once", got, err)
	}
	if got := out.String(); got != "body\ndeferred\nnext\n" {
		t.Errorf("stdout = %q", got)
	}
}

// A panic in a time.AfterFunc callback, which runs on a goroutine the
// runtime starts, is reported like a goroutine's; the session goes on.
func TestAfterFuncPanic(t *testing.T) {
	s, _, errOut, _ := newSession(t)
	if _, err := run(t, s, "kept := 5\ntime.AfterFunc(time.Millisecond, func() { panic(\"late\") })\ntime.Sleep(50 * time.Millisecond)"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errOut.String(), "panic in a time.AfterFunc callback: late") {
		t.Errorf("stderr = %q", errOut.String())
	}
	if got, err := run(t, s, "kept"); err != nil || got != "5" {
		t.Errorf("kept = %s, %v", got, err)
	}
}

// The comma-ok forms work in a cell's own statements.
func TestCommaOkAtTopLevel(t *testing.T) {
	runValueCases(t, []valueCase{
		{"map", []string{"m := map[string]int{\"a\": 1}\nv, ok := m[\"a\"]\nfmt.Sprint(v, ok)"}, `"1 true"`},
		{"channel", []string{"ch := make(chan int, 1)\nch <- 5\nclose(ch)\nv, ok := <-ch\nw, ok2 := <-ch\nfmt.Sprint(v, ok, w, ok2)"}, `"5 true 0 false"`},
		{"type assertion", []string{"var x any = 3\nn, ok := x.(int)\nfmt.Sprint(n, ok)"}, `"3 true"`},
	})
}

func TestMinMax(t *testing.T) {
	runValueCases(t, []valueCase{
		{"ints in an expression", []string{"a, b := 4, 9\nmin(a, b)*10 + max(a, b, 2)"}, "49"},
		{"untyped constants", []string{"min(3, 1, 2)"}, "1"},
		{"floats", []string{"max(2.5, 1)"}, "2.5"},
		{"session int64", []string{"var big int64 = 7", "min(big, 3) + 1"}, "4"},
		{"strings", []string{`max("go", "gopher")`}, `"gopher"`},
		{"len", []string{`min(len("abc"), 10)`}, "3"},
		{"parameters", []string{"func clamp(x int) int { return max(0, min(x, 10)) }", "clamp(42) + clamp(-3)"}, "10"},
		{"user's own min", []string{"func min(a, b string) string { return a }", `min("x", "a")`}, `"x"`},
		{"field, index and call", []string{"type P struct{ X int }\np := P{3}\nxs := []int{5, 1}\nfunc g() int { return 4 }", "min(p.X, xs[0], g())*10 + max(xs[1], 0)"}, "31"},
		{"named float", []string{"type Celsius float64\nfunc Hot(c Celsius) bool { return c > 30 }", "Hot(max(Celsius(20), 40))"}, "true"},
		{"uint8 and duration", []string{"var u uint8 = 3", "fmt.Sprint(max(u, 9), min(5*time.Second, time.Minute))"}, `"9 5s"`},
	})
}

func TestClear(t *testing.T) {
	s, _, _, _ := newSession(t)
	got, err := run(t, s, "m := map[string]int{\"a\": 1}\ns := []int{1, 2}\nclear(m)\nclear(s)\nfmt.Sprint(len(m), s)")
	if err != nil || got != `"0 [0 0]"` {
		t.Errorf("clear: %q, %v", got, err)
	}
	// A clear of the user's own is theirs.
	got, err = run(t, s, "func clear(x int) int { return x + 1 }", "clear(1)")
	if err != nil || got != "2" {
		t.Errorf("user's clear: %q, %v", got, err)
	}
}

func TestLoopIdioms(t *testing.T) {
	runValueCases(t, []valueCase{
		{"blank key", []string{"xs := []string{\"a\", \"b\"}\nout := \"\"\nfor _, l := range xs {\n\tout += l\n}\nout"}, `"ab"`},
		{"blank key, unused value copy", []string{"n := 0\nfor _, l := range []string{\"a\"} {\n\tn++\n}\nn"}, "1"},
		{"i := i idiom", []string{"s := 0\nfor i := 0; i < 3; i++ {\n\ti := i\n\ts += i\n}\ns"}, "3"},
		{"i := i in a range over an integer", []string{"s := 0\nfor i := range 3 {\n\ti := i\n\ts += i\n}\ns"}, "3"},
		{"l := l idiom", []string{"s := \"\"\nfor _, l := range []string{\"x\", \"y\"} {\n\tl := l\n\ts += l\n}\ns"}, `"xy"`},
	})
}

// A goroutine started by a func written in an earlier cell is told by that
// cell's execution count.
func TestGoroutineOfEarlierCell(t *testing.T) {
	s, _, _, _ := newSession(t)
	if _, err := run(t, s, "ch := make(chan int)\nfunc send() {\n\tgo func() { ch <- 1 }()\n}", "send()"); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(Describe(s.Blocked(2), "still ", 2), "\n")
	if got != "1 goroutine started at line 3 of In [1] is still blocked (chan send)" {
		t.Errorf("report = %q", got)
	}
}

// A deadlock report names the cell of a goroutine an earlier cell started.
func TestDeadlockNamesEarlierCell(t *testing.T) {
	s, _, _, _ := newSession(t)
	// The channel is a local: a goroutine that reads a global while a
	// later cell compiles is a data race inside yaegi, which -race reports.
	_, err := run(t, s, "func() {\n\tch := make(chan int)\n\tgo func() { ch <- 1 }()\n}()", "<-make(chan int)")
	var e *Error
	if !errors.As(err, &e) || e.Name != "Deadlock" || !strings.Contains(e.Value, "1 goroutine started at line 3 of In [1] is blocked (chan send)") {
		t.Errorf("err = %v", err)
	}
}

// Rerunning a cell whose loop variable is named like a global that a later
// cell declared, with another type, reruns it (notebook 07's callbacks cell
// after Run All). The interpreter used to store the loop's int into the
// global's slot: "reflect.Set: value of type int is not assignable to type
// <-chan int".
func TestRerunLoopVarNamedLikeLaterGlobal(t *testing.T) {
	s, out, _, _ := newSession(t)
	loop := "n := 0\nfor x := 1; x <= 3; x++ {\n\tn += x\n}\nfor _, x := range []int{4} {\n\tn += x\n}\nif true {\n\tx := 5\n\tn += x\n}\nfmt.Println(n)"
	got, err := run(t, s,
		loop,
		"func ch(v int) <-chan int { c := make(chan int, 1); c <- v; return c }",
		"x := ch(3)\nfmt.Println(<-x)",
		loop,
		"fmt.Println(<-ch(7), x != nil)",
	)
	if err != nil {
		t.Fatalf("rerun: %v", err)
	}
	if want := "15\n3\n15\n7 true\n"; out.String() != want || got != "" {
		t.Errorf("output %q (value %q), want %q", out.String(), got, want)
	}
}

// A closure made in a cell reads the cell's a, b := f() variables of an
// earlier piece (the cell is evaluated in pieces: the var declaration
// splits it) as package variables, also from a goroutine it starts: the
// interpreter's copy of the global frame for a closure holds only the
// slots of its own piece (found in 08-from-asyncio: "nil pointer
// dereference" in the goroutines, then a deadlock report).
func TestClosureReadsEarlierPieceDefines(t *testing.T) {
	s, out, errOut, _ := newSession(t)
	_, err := run(t, s, `ctx, cancel := context.WithCancel(context.Background())
n, word := 2, "x"
var wg sync.WaitGroup
ask := func() <-chan string {
	ch := make(chan string, 1)
	wg.Add(1)
	go func() {
		defer wg.Done()
		<-ctx.Done()
		ch <- fmt.Sprint(ctx.Err(), n, word)
	}()
	return ch
}
c := ask()
cancel()
wg.Wait()
fmt.Println(<-c)`)
	if err != nil || out.String() != "context canceled 2x\n" {
		t.Errorf("got %q, %v (stderr %q); want context canceled 2x (as go run prints it)", out.String(), err, errOut.String())
	}
}
