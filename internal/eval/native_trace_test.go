package eval

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/juggler-kernel/juggler/internal/tracer"
)

// TestNativeGoroutinesTraced checks that goroutines a %%native cell's
// function starts get lanes in a traced cell that calls it, from the cell's
// flow and from a goroutine of the cell's own go statement.
func TestNativeGoroutinesTraced(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a Go plugin")
	}
	s, _, errOut, _ := newSession(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	decls := `
import "sync"

func fanOut(n int) int {
	var wg sync.WaitGroup
	results := make([]int, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = i * i
		}()
	}
	wg.Wait()
	sum := 0
	for _, r := range results {
		sum += r
	}
	return sum
}
`
	if _, err := s.Run(ctx, Cell{ID: 1, Code: nativeCell(decls)}); err != nil {
		t.Fatalf("native cell: %v (stderr %s)", err, errOut)
	}
	c, err := tracer.Start()
	if err != nil {
		t.Fatal(err)
	}
	_, runErr := s.Run(ctx, Cell{ID: 2, Code: `done := make(chan int)
go func() { done <- fanOut(2) }()
fmt.Println(fanOut(3), <-done)
`})
	tr, _, err := c.Stop()
	if runErr != nil || err != nil {
		t.Fatalf("run: %v, trace: %v", runErr, err)
	}
	var labels []string
	byLine := map[int]int{}
	for _, g := range tr.Goroutines {
		labels = append(labels, g.Label())
		if !g.Compiled {
			continue
		}
		if g.Cell != 2 || g.Group != tracer.GroupThisCell || g.Fn != "fanOut.func1" {
			t.Errorf("compiled goroutine %q: cell %d group %v fn %q", g.Label(), g.Cell, g.Group, g.Fn)
		}
		byLine[g.Line]++
	}
	sort.Strings(labels)
	// fanOut(3) from the flow, fanOut(2) from line 2's goroutine.
	if byLine[0] != 3 || byLine[2] != 2 || len(byLine) != 2 {
		t.Errorf("compiled goroutines by line %v, want 3 from the cell, 2 from line 2; lanes %q", byLine, labels)
	}
}
