package eval

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// Goroutine is one goroutine a cell started with a go statement.
type Goroutine struct {
	ID      int64
	Line    int // cell line of the go statement
	Started time.Time
}

// goroutines keeps the book of goroutines cells started: every go statement
// in a cell is rewritten to call start, so the kernel knows where each one
// came from and a panic in one is reported instead of killing the worker.
type goroutines struct {
	stderr io.Writer
	trace  *traceWriter

	mu   sync.Mutex
	next int64
	live map[int64]*Goroutine
}

func (g *goroutines) start(line int, run func()) {
	g.mu.Lock()
	g.next++
	gr := &Goroutine{ID: g.next, Line: line, Started: time.Now()}
	g.live[gr.ID] = gr
	g.mu.Unlock()
	go func() {
		defer func() {
			r := recover()
			g.mu.Lock()
			delete(g.live, gr.ID)
			g.mu.Unlock()
			if r != nil {
				frames := g.trace.take()
				msg := fmt.Sprintf("panic in goroutine started at line %d: %v\n", line, panicText(r))
				if len(frames) > 0 {
					msg += strings.Join(frames, "\n") + "\n"
				}
				_, _ = io.WriteString(g.stderr, msg) // stderr is the kernel's pipe; nothing to do if it is gone
			}
		}()
		run()
	}()
}

// Live returns the goroutines cells started that have not ended.
func (s *Session) Live() []Goroutine {
	g := s.goroutines
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make([]Goroutine, 0, len(g.live))
	for _, gr := range g.live {
		out = append(out, *gr)
	}
	return out
}
