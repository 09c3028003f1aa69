package tracer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"runtime/trace"
	"sync"
	"time"
)

// ErrTracing is returned by Start when the Go execution tracer is already
// running: there can be only one trace per process, so a cell that calls
// runtime/trace.Start itself and %%trace exclude each other.
var ErrTracing = errors.New("the Go execution tracer is already running (one trace per process: does the code call runtime/trace.Start?)")

// Capture is a running trace, recorded into memory. Stop it exactly once.
type Capture struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	stopped bool
	// cpu0 and wall0 are the process's CPU time and the clock when the
	// trace started; cpuOK says the CPU time could be read.
	cpu0  time.Duration
	wall0 time.Time
	cpuOK bool
}

// Start starts the Go execution tracer, recording into memory.
func Start() (*Capture, error) {
	c := &Capture{}
	flowStart.Lock()
	flowStart.at = time.Time{}
	flowStart.Unlock()
	if err := trace.Start(&c.buf); err != nil {
		// runtime/trace says "execution tracer already enabled" in a plain
		// error; give callers something to test with errors.Is.
		if trace.IsEnabled() {
			return nil, fmt.Errorf("tracer: start: %w", ErrTracing)
		}
		return nil, fmt.Errorf("tracer: start: %w", err)
	}
	logRemembered()
	// After the tracer's own start-up work, which is not the cell's.
	c.cpu0, c.cpuOK = processCPU()
	c.wall0 = time.Now()
	return c, nil
}

// Stop stops the trace and returns it parsed, together with the raw bytes
// (the format `go tool trace` and gotraceui open). The timeline covers the
// main flow of the last cell labelled with LabelCellFlow during the capture,
// from that call to Stop. Stop may be called from any goroutine.
func (c *Capture) Stop() (*Trace, []byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped {
		return nil, nil, errors.New("tracer: stop: capture already stopped")
	}
	c.stopped = true
	// Before the tracer's shutdown work, for the same reason as at Start.
	cpu1, cpuOK := processCPU()
	end := time.Now()
	wall := end.Sub(c.wall0)
	// Mark the end of the window before the runtime's own shutdown work,
	// which takes milliseconds and would otherwise stretch the timeline. If
	// user code stopped the tracer already, this is a no-op and the window
	// ends at the last event.
	trace.Log(context.Background(), catStop, "")
	trace.Stop()
	raw := c.buf.Bytes()
	t, err := Parse(raw, -1)
	if err != nil {
		return nil, raw, fmt.Errorf("tracer: stop: %w", err)
	}
	flowStart.Lock()
	if flowStart.at.After(c.wall0) {
		c.cpu0, c.cpuOK, c.wall0 = flowStart.cpu, c.cpuOK && flowStart.ok, flowStart.at
		wall = end.Sub(c.wall0)
	}
	flowStart.Unlock()
	if c.cpuOK && cpuOK {
		t.CPU, t.CPUWall = cpu1-c.cpu0, wall
	}
	var ended []int64
	for _, g := range t.Goroutines {
		if g.Ended >= 0 {
			ended = append(ended, g.ID)
		}
	}
	forget(ended)
	return t, raw, nil
}
