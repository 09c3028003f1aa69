package eval

import (
	"context"
	"strings"
	"testing"
)

// tenK is the cell the issue measures: 10,000 goroutines that end at once.
const tenK = `var wg sync.WaitGroup
for i := 0; i < 10000; i++ {
	wg.Add(1)
	go func() { wg.Done() }()
}
wg.Wait()`

// BenchmarkGoroutines10k times the cell that starts 10,000 goroutines.
func BenchmarkGoroutines10k(b *testing.B) {
	s, _, _, _ := newSession(b)
	ctx := context.Background()
	// CPU time, beside wall time: on a shared machine the wall time says
	// more about the neighbours than about the code.
	cpu0 := cpuTime()
	n := 0
	for i := 0; b.Loop(); i++ {
		if _, err := s.Run(ctx, Cell{ID: int64(i + 1), Count: i + 1, Code: tenK}); err != nil {
			b.Fatal(err)
		}
		// The worker asks this after every cell.
		if g := s.Blocked(int64(i + 1)); len(g) > 0 {
			b.Fatalf("blocked: %v", g)
		}
		n++
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(n)/1e6, "cpu-ms/op")
}

// A panic in a loop at the top level of a cell, which the rewrite runs in
// a function literal, shows no frame of that literal.
func TestLoopPanicTraceback(t *testing.T) {
	s, _, _, _ := newSession(t)
	_, err := run(t, s, "xs := []int{}\nfor i := 0; i < 3; i++ {\n\tif i == 2 {\n\t\tpanic(\"boom\")\n\t}\n\txs = append(xs, i)\n}")
	e, ok := err.(*Error)
	if !ok || e.Value != "boom" {
		t.Fatalf("err = %v", err)
	}
	for _, l := range e.Traceback {
		if strings.Contains(l, "in func") {
			t.Errorf("traceback shows the rewrite's literal: %q", e.Traceback)
		}
	}
	if v, err := run(t, s, "xs"); err != nil || v != "[]int{0, 1}" {
		t.Errorf("xs = %q, %v", v, err)
	}
}
