package supervisor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/juggler-kernel/juggler/internal/wire"
	"github.com/juggler-kernel/juggler/kernel"
)

// interruptGrace is how long a cell has to stop after an interrupt before
// its worker is killed.
var interruptGrace = 2 * time.Second

// ErrClosed is returned after Close.
var ErrClosed = errors.New("supervisor: closed")

// Options configure a Supervisor. The zero value runs `<this binary> worker`.
type Options struct {
	// Command is the worker's argv; default {os.Executable(), "worker"}.
	Command []string
	// Env is added to this process's environment for the worker.
	Env []string
	// Log receives diagnostics; nil discards them.
	Log *log.Logger
	// OnStart runs after each (re)start of the worker, once it is ready. It
	// may call Execute. An error is logged, and returned by Start and
	// Restart.
	OnStart func(ctx context.Context, s *Supervisor) error
}

// Result is the outcome of one cell.
type Result struct {
	// Status is "ok" or "error".
	Status string
	// Value is the cell's value, to be shown as execute_result; nil if none.
	Value     *wire.Bundle
	Ename     string
	Evalue    string
	Traceback []string
	// Restarted reports that the worker died or was killed during the cell
	// and a fresh one was started: session state is gone.
	Restarted bool
}

// Supervisor owns the worker process: it starts it (lazily), runs cells on
// it, passes the worker's output and events on to a kernel.Output, and
// replaces the worker when it dies. Execute runs one cell at a time;
// Interrupt, Restart and Close may be called concurrently with it.
type Supervisor struct {
	opts   Options
	log    *log.Logger
	nextID atomic.Int64

	startMu sync.Mutex // serialises starting workers
	execMu  sync.Mutex // one cell at a time

	mu     sync.Mutex
	cur    *worker
	closed bool
}

// New returns a Supervisor; the worker starts on the first Execute or Start.
func New(o Options) *Supervisor {
	l := o.Log
	if l == nil {
		l = log.New(io.Discard, "", 0)
	}
	return &Supervisor{opts: o, log: l}
}

// Start starts the worker if it is not running, and waits until it is ready
// and the OnStart hook has run.
func (s *Supervisor) Start(ctx context.Context) error {
	_, _, err := s.ensure(ctx)
	return err
}

// ensure returns a live worker, starting one if needed. note is non-empty
// when the previous worker had died while idle: the user should hear of it.
func (s *Supervisor) ensure(ctx context.Context) (w *worker, note string, err error) {
	s.startMu.Lock()
	s.mu.Lock()
	closed, old := s.closed, s.cur
	s.mu.Unlock()
	if closed {
		s.startMu.Unlock()
		return nil, "", ErrClosed
	}
	// A worker is replaced once it is gone, not only once its death is
	// fully handled: the dead cell's result is sent before that, and the
	// cell's caller comes straight here for the fresh worker.
	if old != nil && !old.isGone() {
		s.startMu.Unlock()
		return old, "", nil
	}
	if old != nil {
		<-old.dead
		old.wg.Wait()
		old.mu.Lock()
		if old.idleDeath {
			note = fmt.Sprintf("[the Go worker process had died (%s); a fresh worker was started]\n", old.desc)
			old.idleDeath = false
		}
		old.mu.Unlock()
	}
	w, err = s.startWorker(ctx)
	s.startMu.Unlock()
	if err != nil {
		return nil, note, err
	}
	if s.opts.OnStart != nil {
		if err := s.opts.OnStart(ctx, s); err != nil {
			s.log.Printf("worker start hook: %v", err)
			return w, note, fmt.Errorf("worker start hook: %w", err)
		}
	}
	return w, note, nil
}

// startWorker spawns a worker, makes it current and waits for it to be
// ready. startMu must be held.
func (s *Supervisor) startWorker(ctx context.Context) (*worker, error) {
	argv := s.opts.Command
	if len(argv) == 0 {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("find the juggler binary for the worker: %w", err)
		}
		argv = []string{exe, "worker"}
	}
	w, err := spawn(argv, s.opts.Env, s.log)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		w.kill(reasonClose)
		w.wait()
		return nil, ErrClosed
	}
	s.cur = w
	s.mu.Unlock()

	t := time.NewTimer(readyPeriod)
	defer t.Stop()
	select {
	case <-w.ready:
		s.log.Printf("worker %d ready", w.pid)
		return w, nil
	case <-w.dead:
		w.wait()
		w.mu.Lock()
		desc := w.desc
		w.idleDeath = false
		w.mu.Unlock()
		return nil, fmt.Errorf("worker %s exited before it was ready (%s)", argv[0], desc)
	case <-t.C:
		err = fmt.Errorf("worker %s not ready within %v", argv[0], readyPeriod)
	case <-ctx.Done():
		err = fmt.Errorf("start worker: %w", ctx.Err())
	}
	w.kill(reasonClose)
	w.wait()
	return nil, err
}

// wait waits until the worker's death is handled and its goroutines ended.
func (w *worker) wait() {
	<-w.dead
	w.wg.Wait()
}

// Execute runs code as one cell, passing its output to out while it runs,
// and returns its result once every output of the cell has been passed on.
// Output that arrives after the cell (from goroutines it started) still
// goes to out until the next cell starts.
//
// When the worker dies during the cell, the result is an error with
// Ename "WorkerDied" (or "Interrupted" when it was killed for ignoring an
// interrupt), and a fresh worker is started before Execute returns.
func (s *Supervisor) Execute(ctx context.Context, code string, allowStdin bool, out kernel.Output) Result {
	return s.ExecuteCell(ctx, Cell{Code: code, AllowStdin: allowStdin}, out)
}

// Cell is one cell to run, with how to run it.
type Cell struct {
	Code       string
	AllowStdin bool
	// Trace runs the cell under the execution tracer when set.
	Trace *wire.Trace
	// Count is the execution count the front end shows for the cell.
	Count int
}

// ExecuteCell is Execute with every option a cell can have.
func (s *Supervisor) ExecuteCell(ctx context.Context, cell Cell, out kernel.Output) Result {
	w, note, err := s.ensure(ctx)
	if note != "" {
		out.Stream("stderr", note)
	}
	if w == nil {
		return errorResult("WorkerDied", fmt.Sprintf("the Go worker could not be started: %v", err))
	}
	if err != nil { // the start hook failed; the worker itself is fine
		out.Stream("stderr", fmt.Sprintf("[%v]\n", err))
	}
	r := s.run(ctx, w, cell, out)
	if !r.Restarted {
		return r
	}
	suffix := "; a fresh worker was started"
	if r.Ename == "Interrupted" {
		suffix = ""
	}
	if _, _, err := s.ensure(ctx); err != nil && (errors.Is(err, ErrClosed) || s.isClosed()) {
		r.Restarted = false
		suffix = "; the kernel is shutting down"
	} else if err != nil {
		suffix = fmt.Sprintf("; starting a fresh worker failed: %v", err)
	}
	r.Evalue += suffix
	r.Traceback = []string{r.Ename + ": " + r.Evalue}
	return r
}

func errorResult(ename, evalue string) Result {
	return Result{Status: "error", Ename: ename, Evalue: evalue, Traceback: []string{ename + ": " + evalue}}
}

func (s *Supervisor) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// run runs one cell on w and waits for its result, enforcing interrupts.
func (s *Supervisor) run(ctx context.Context, w *worker, in Cell, out kernel.Output) Result {
	s.execMu.Lock()
	defer s.execMu.Unlock()

	cctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	c := &cell{
		id:          s.nextID.Add(1),
		ctx:         cctx,
		cancel:      cancel,
		done:        make(chan Result, 1),
		interrupted: make(chan struct{}),
	}
	w.co.setTarget(out)
	w.mu.Lock()
	if w.gone {
		reason, desc := w.killReason, w.desc
		w.idleDeath = false
		w.mu.Unlock()
		return deathResult(reason, desc)
	}
	w.cell = c
	w.mu.Unlock()

	// A failed write means the worker is dying; its death ends the cell.
	w.reply(wire.Request{Kind: wire.KindExecute, ID: c.id, Code: in.Code, AllowStdin: in.AllowStdin, Trace: in.Trace, Count: in.Count})

	var kill <-chan time.Time
	ctxDone := ctx.Done()
	for {
		select {
		case r := <-c.done:
			if r.Status == "error" && len(r.Traceback) == 0 {
				r.Traceback = []string{r.Ename + ": " + r.Evalue}
			}
			return r
		case <-c.interrupted:
			if kill == nil {
				t := time.NewTimer(interruptGrace)
				defer t.Stop()
				kill = t.C
			}
		case <-kill:
			s.log.Printf("cell %d ignored an interrupt for %v; killing worker %d", c.id, interruptGrace, w.pid)
			w.kill(reasonInterrupt)
			kill = nil
		case <-ctxDone:
			ctxDone = nil
			s.interrupt(w, c)
		}
	}
}

// Interrupt asks the running cell, if any, to stop. A cell that has not
// stopped after 2s has its worker killed (and a fresh one started).
func (s *Supervisor) Interrupt() {
	s.mu.Lock()
	w := s.cur
	s.mu.Unlock()
	if w == nil {
		return
	}
	w.mu.Lock()
	c := w.cell
	w.mu.Unlock()
	if c != nil {
		s.interrupt(w, c)
	}
}

func (s *Supervisor) interrupt(w *worker, c *cell) {
	w.reply(wire.Request{Kind: wire.KindInterrupt, ID: c.id})
	c.interrupt()
}

// Restart replaces the worker with a fresh one (a running cell ends with a
// WorkerDied error) and waits until the new one is ready.
func (s *Supervisor) Restart(ctx context.Context) error {
	s.mu.Lock()
	w, closed := s.cur, s.closed
	s.mu.Unlock()
	if closed {
		return ErrClosed
	}
	if w != nil {
		w.kill(reasonRestart)
		w.wait()
	}
	_, _, err := s.ensure(ctx)
	return err
}

// Close kills the worker and waits for it and every goroutine serving it.
// A running cell ends with an error. Close is idempotent.
func (s *Supervisor) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	w := s.cur
	s.mu.Unlock()
	if w != nil {
		w.kill(reasonClose)
		w.wait()
	}
	return nil
}

// MimeBundle converts a worker's bundle to the kernel's form, with
// non-nil Data and Metadata.
func MimeBundle(b *wire.Bundle) kernel.MimeBundle {
	mb := kernel.MimeBundle{Data: map[string]any{}, Metadata: map[string]any{}}
	if b == nil {
		return mb
	}
	if b.Data != nil {
		mb.Data = b.Data
	}
	if b.Metadata != nil {
		mb.Metadata = b.Metadata
	}
	if len(b.Transient) > 0 {
		mb.Transient = b.Transient
	}
	return mb
}
