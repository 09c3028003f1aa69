package interp_test

import (
	"context"
	"errors"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"github.com/juggler-kernel/juggler/internal/stdlib"
	"github.com/juggler-kernel/juggler/internal/yaegi/interp"
)

// juggler: the tests of the fork's cancellation per context.
// The goroutines report through host functions and keep their counts in
// locals: goroutines reading the interpreter's globals while a later
// evaluation compiles is a data race inside yaegi, and -race would fail the
// test for that instead.

// counters hands interpreted code one counter per name.
type counters map[string]*atomic.Int64

func (c counters) symbols() interp.Exports {
	return interp.Exports{"counters/counters": {
		"Add": reflect.ValueOf(func(name string) { c[name].Add(1) }),
	}}
}

// advancing reports whether each named counter moves within 100 ms.
func (c counters) advancing(names ...string) []bool {
	before := make([]int64, len(names))
	for i, n := range names {
		before[i] = c[n].Load()
	}
	time.Sleep(100 * time.Millisecond)
	out := make([]bool, len(names))
	for i, n := range names {
		out[i] = c[n].Load() != before[i]
	}
	return out
}

func newCounting(t *testing.T, names ...string) (*interp.Interpreter, counters) {
	t.Helper()
	c := counters{}
	for _, n := range names {
		c[n] = new(atomic.Int64)
	}
	i := interp.New(interp.Options{StdlibSource: stdlib.Source})
	for _, syms := range []interp.Exports{stdlib.Symbols, c.symbols()} {
		if err := i.Use(syms); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := i.Eval(`import ("counters"; "time")`); err != nil {
		t.Fatal(err)
	}
	return i, c
}

func spawn(name string) string {
	return `go func() { for { counters.Add("` + name + `"); time.Sleep(time.Millisecond) } }()`
}

func TestCancelStopsOnlyItsOwnRun(t *testing.T) {
	i, c := newCounting(t, "earlier", "stopped", "later")
	if _, err := i.EvalWithContext(context.Background(), spawn("earlier")); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	// Two evaluations under one context are one run: both stop.
	if _, err := i.EvalWithContext(ctx, spawn("stopped")); err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(50*time.Millisecond, cancel)
	if _, err := i.EvalWithContext(ctx, `for {}`); !errors.Is(err, context.Canceled) {
		t.Fatalf("for {} under a cancelled context returned %v", err)
	}
	time.Sleep(10 * time.Millisecond) // the stopped goroutines' last steps

	if _, err := i.EvalWithContext(context.Background(), spawn("later")); err != nil {
		t.Fatal(err)
	}
	got := c.advancing("earlier", "stopped", "later")
	if want := []bool{true, false, true}; !reflect.DeepEqual(got, want) {
		t.Errorf("earlier, stopped, later goroutines advancing = %v, want %v", got, want)
	}
}

func TestEvalAfterCancelRuns(t *testing.T) {
	i, _ := newCounting(t)
	// A loop and channel operations, which stop when their run does.
	if _, err := i.Eval(`func sum() int { ch := make(chan int, 1); s := 0; for k := 1; k <= 4; k++ { ch <- k; s += <-ch }; return s }`); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	if _, err := i.EvalWithContext(ctx, `for {}`); !errors.Is(err, context.Canceled) {
		t.Fatalf("for {} under a cancelled context returned %v", err)
	}
	// Neither a plain evaluation nor one under a new context may find the
	// stopped run's state: loops and channel operations must run.
	for name, eval := range map[string]func(string) (reflect.Value, error){
		"Eval": i.Eval,
		"EvalWithContext": func(src string) (reflect.Value, error) {
			return i.EvalWithContext(context.Background(), src)
		},
	} {
		v, err := eval(`sum()`)
		if err != nil || !v.IsValid() || v.Interface() != 10 {
			t.Errorf("%s after a cancel = %v, %v; want 10", name, v, err)
		}
	}
}
