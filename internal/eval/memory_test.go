package eval

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"
	"weak"
)

// heapAfterGC is the bytes of heap in use once garbage is collected.
func heapAfterGC() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// waitIdle waits until no goroutine cells started is live.
func waitIdle(t *testing.T, s *Session) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); len(s.Live()) > 0; {
		if time.Now().After(deadline) {
			t.Fatalf("goroutines still live: %+v", s.Live())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// A goroutine that ended leaves nothing in the session's books: no entry in
// its registries, and what its go statement handed over (the function to
// run and what that holds) can be collected.
func TestFinishedGoroutineLeavesNothing(t *testing.T) {
	s, _, _, _ := newSession(t)
	done := make(chan bool)
	var w weak.Pointer[[1 << 20]byte]
	func() {
		big := new([1 << 20]byte)
		w = weak.Make(big)
		s.goroutines.start(1, 3, "f", func() { big[0] = 1; close(done) })
	}()
	<-done
	waitIdle(t, s)
	for range 10 {
		runtime.GC()
		if w.Value() == nil {
			break
		}
		time.Sleep(time.Millisecond)
	}
	if w.Value() != nil {
		t.Error("what a finished goroutine's function held is still reachable")
	}

	// Cells whose goroutines end, some of them sleeping (which makes a
	// channel to wake the cell's sleeps on an interrupt).
	for i := range 30 {
		code := fmt.Sprintf("var wg sync.WaitGroup\nfor j := 0; j < 5; j++ { wg.Add(1); go func() { defer wg.Done(); time.Sleep(time.Microsecond); _ = j + %d }() }\nwg.Wait()", i)
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		_, err := s.Run(ctx, Cell{ID: int64(i + 1), Count: i + 1, Code: code})
		cancel()
		if err != nil {
			t.Fatalf("cell %d: %v", i, err)
		}
	}
	waitIdle(t, s)
	g := s.goroutines
	g.mu.Lock()
	live, byGoID, perCell := len(g.live), len(g.byGoID), len(g.perCell)
	g.mu.Unlock()
	if live+byGoID+perCell != 0 {
		t.Errorf("after the goroutines ended: %d live, %d by runtime ID, %d cells counted; want none", live, byGoID, perCell)
	}
	s.stopMu.Lock()
	stops := len(s.stops)
	s.stopMu.Unlock()
	if stops > 1 {
		t.Errorf("%d cells keep a stop channel, want at most the last one", stops)
	}
}

// A session's heap follows what is live: cells that start goroutines and
// re-declare names, run again and again, leave little behind.
func TestLongSessionHeap(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 600 cells")
	}
	s, _, _, _ := newSession(t)
	cells := []string{
		"var wg sync.WaitGroup; wg.Add(1); go func() { wg.Done() }(); wg.Wait(); _ = %d",
		"ch := make(chan int, 1); ch <- %d; <-ch",
		"go func() {}(); _ = %d",
		"xs := make([]int, 1000); xs[0] = %d",
		"fmt.Sprint(%d)",
		"z := %d",
	}
	run := func(from, to int) {
		for i := from; i < to; i++ {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			_, err := s.Run(ctx, Cell{ID: int64(i + 1), Count: i + 1, Code: fmt.Sprintf(cells[i%len(cells)], i)})
			cancel()
			if err != nil {
				t.Fatalf("cell %d: %v", i, err)
			}
		}
	}
	run(0, 60) // imports and first definitions
	waitIdle(t, s)
	before := heapAfterGC()
	run(60, 600)
	waitIdle(t, s)
	grew := int64(heapAfterGC()) - int64(before)
	runtime.KeepAlive(s)
	// About 2 KB a cell stays: the compiled code of names still defined
	// and positions in the interpreter's file set. Before, a go statement
	// per cell kept a copy of every earlier cell's frame: ~25 MB here.
	if grew > 6<<20 {
		t.Errorf("heap grew by %d KiB over 540 cells, want < 6 MiB", grew>>10)
	}
}

// A rebuild (a method redefined) frees the interpreter it replaces, once
// nothing of it runs any more.
func TestRebuildFreesOldInterpreter(t *testing.T) {
	s, _, _, _ := newSession(t)
	if _, err := run(t, s, "type T struct{ n int }\nfunc (t T) Get() int { return t.n }", "v := T{3}", "v.Get()"); err != nil {
		t.Fatal(err)
	}
	old := weak.Make(s.in)
	got, err := run(t, s, "func (t T) Get() int { return t.n * 10 }", "v.Get()")
	if err != nil || got != "30" {
		t.Fatalf("after the rebuild: %q, %v", got, err)
	}
	if s.in == old.Value() {
		t.Fatal("no rebuild happened")
	}
	for range 10 {
		runtime.GC()
		if old.Value() == nil {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Error("the interpreter a rebuild replaced is still reachable")
}
