// Package worker is the worker process: the side of the kernel that runs
// user code. It reads wire.Requests, runs cells one at a time in an eval
// Session, and writes wire.Events. User output goes straight to the
// process's own stdout and stderr, which the kernel process reads; before
// each event the worker writes a sync mark to both, so the kernel can put
// output and events back in the order the cell produced them.
package worker

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/juggler-kernel/juggler/internal/eval"
	"github.com/juggler-kernel/juggler/internal/modules"
	"github.com/juggler-kernel/juggler/internal/render"
	"github.com/juggler-kernel/juggler/internal/timeline"
	"github.com/juggler-kernel/juggler/internal/tracer"
	"github.com/juggler-kernel/juggler/internal/wire"
)

// MaxStack bounds a goroutine's stack in the worker. yaegi's frames are
// large, so this still allows recursion tens of thousands of calls deep.
const MaxStack = 256 << 20

// Options are the worker's streams.
type Options struct {
	Requests io.Reader // fd 3
	Events   io.Writer // fd 4
	Stdout   io.Writer // fd 1
	Stderr   io.Writer // fd 2
}

// worker is the state shared by the request reader and the cell runner.
type worker struct {
	events *wire.Writer
	stdout io.Writer
	stderr io.Writer
	nonce  string

	syncMu sync.Mutex
	seq    uint64

	mu      sync.Mutex
	current *running // the cell running now, or nil
}

// running is one cell in progress.
type running struct {
	id         int64
	allowStdin bool
	ctx        context.Context
	cancel     context.CancelFunc
	input      chan wire.Request // answers to input requests
	// refused is set when the cell read stdin that the front end does not
	// provide: the cell then fails even if the code ignored the error.
	refused atomic.Bool
}

// Serve runs the worker until the request stream ends.
func Serve(o Options) error {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return fmt.Errorf("worker: nonce: %w", err)
	}
	// yaegi logs some compile failures through the standard logger too
	// ("nil type"); the cell's error already says it, and these lines would
	// land in the user's stderr without context.
	log.SetOutput(io.Discard)
	// Runaway recursion in a cell would otherwise grow the stack to the
	// runtime's 1 GB default and take seconds; a smaller limit reports it
	// quickly (a fatal error the kernel survives by restarting the worker).
	debug.SetMaxStack(MaxStack)
	// A fatal error's message is what the user needs; the stacks after it
	// are the interpreter's internals, thousands of lines long. GOTRACEBACK
	// in the environment still wins, for debugging the kernel itself.
	if os.Getenv("GOTRACEBACK") == "" {
		debug.SetTraceback("none")
	}
	if err := limitMemory(); err != nil {
		// Cells can run without the limit; the first cell's stderr says
		// why (nothing to do if that pipe is gone).
		_, _ = fmt.Fprintf(o.Stderr, "juggler: %v; cells run without a memory limit\n", err)
	}
	w := &worker{events: wire.NewWriter(o.Events), stdout: o.Stdout, stderr: o.Stderr, nonce: hex.EncodeToString(b[:])}
	// The kernel names the module directory, so that pins outlive this
	// worker; a worker on its own makes one of its own.
	mods := modules.Open(os.Getenv(modules.EnvDir))
	defer mods.Close()
	sess, err := eval.New(eval.Options{Stdout: o.Stdout, Stderr: o.Stderr, Stdin: &stdin{w: w}, Display: w, Modules: mods})
	if err != nil {
		return err
	}
	if err := w.events.Write(wire.Event{Kind: wire.KindReady, Nonce: w.nonce, PID: os.Getpid()}); err != nil {
		return err
	}

	cells := make(chan wire.Request, 16)
	go func() {
		for req := range cells {
			w.runCell(sess, req)
		}
	}()
	// The worker ends when the kernel closes the request stream, even in
	// the middle of a cell: a worker whose kernel is gone has no one to
	// report to.
	err = w.readRequests(wire.NewReader(o.Requests), cells)
	if c := w.cell(); c != nil {
		c.cancel()
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	return nil
}

// readRequests routes requests: cells to the runner, interrupts and input
// answers to the cell running now.
func (w *worker) readRequests(r *wire.Reader, cells chan<- wire.Request) error {
	for {
		var req wire.Request
		if err := r.Read(&req); err != nil {
			return err
		}
		switch req.Kind {
		case wire.KindExecute:
			cells <- req
		case wire.KindInterrupt:
			if c := w.cell(); c != nil {
				c.cancel()
			}
		case wire.KindInput:
			if c := w.cell(); c != nil && c.id == req.ID {
				select {
				case c.input <- req:
				default: // nobody asked; drop it
				}
			}
		default:
			fmt.Fprintf(os.Stderr, "juggler worker: unknown request %q\n", req.Kind)
		}
	}
}

func (w *worker) cell() *running {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.current
}

func (w *worker) runCell(sess *eval.Session, req wire.Request) {
	ctx, cancel := context.WithCancel(context.Background())
	c := &running{id: req.ID, allowStdin: req.AllowStdin, ctx: ctx, cancel: cancel, input: make(chan wire.Request, 1)}
	w.mu.Lock()
	w.current = c
	w.mu.Unlock()

	var traced *tracing
	if req.Trace != nil {
		traced = w.startTrace(*req.Trace)
	}
	res, err := sess.Run(ctx, eval.Cell{ID: req.ID, Count: req.Count, Code: req.Code})
	if traced != nil {
		// A cell that did not compile ran nothing: no timeline for it.
		var e *eval.Error
		compiled := !(errors.As(err, &e) && (e.Name == "CompileError" || e.Name == "SyntaxError"))
		w.showTrace(traced, compiled)
	}
	for _, n := range sess.Notes() {
		fmt.Fprintf(w.stderr, "note: %s\n", n)
	}
	if err == nil {
		if notes := eval.Describe(sess.Blocked(req.ID), "still ", req.Count); len(notes) > 0 {
			// A goroutine left blocked is a leak more often than not; say
			// so where the cell's output is.
			fmt.Fprintf(w.stderr, "note: %s\n", strings.Join(notes, "\nnote: "))
		}
	}

	w.mu.Lock()
	w.current = nil
	w.mu.Unlock()
	cancel()

	done := wire.Event{Kind: wire.KindDone, ID: req.ID, Status: "ok"}
	var e *eval.Error
	switch {
	case err == nil && c.refused.Load():
		// Code often ignores read errors; the cell must not look fine.
		done.Status, done.Ename, done.Evalue = "error", "StdinNotAllowed", ErrNoStdin.Error()
		done.Traceback = []string{"StdinNotAllowed: " + ErrNoStdin.Error()}
	case errors.As(err, &e):
		done.Status, done.Ename, done.Evalue, done.Traceback = "error", e.Name, e.Value, e.Traceback
	case err != nil:
		done.Status, done.Ename, done.Evalue = "error", "Error", err.Error()
	case res.HasValue:
		done.Result = &wire.Bundle{Data: render.Values(res.Values), Metadata: map[string]any{}}
	}
	w.send(done)
	if p := os.Getenv(HeapProfileEnv); p != "" {
		if err := writeHeapProfile(p); err != nil {
			fmt.Fprintf(os.Stderr, "juggler worker: %v\n", err)
		}
	}
}

// send writes a sync mark to both output streams, then the event carrying
// its number.
func (w *worker) send(ev wire.Event) {
	w.syncMu.Lock()
	w.seq++
	ev.Sync = w.seq
	mark := wire.SyncMark(w.nonce, w.seq)
	// A mark is far below PIPE_BUF, so each write lands whole between
	// writes of user code.
	_, _ = w.stdout.Write(mark) // a closed stdout only costs ordering
	_, _ = w.stderr.Write(mark)
	err := w.events.Write(ev)
	w.syncMu.Unlock()
	if err != nil {
		// The kernel is gone; nothing is left to report to.
		os.Exit(2)
	}
}

// Display implements display.Sink.
func (w *worker) Display(b wire.Bundle, update bool) {
	w.send(wire.Event{Kind: wire.KindDisplay, ID: w.cellID(), Bundle: &b, Update: update})
}

// Clear implements display.Sink.
func (w *worker) Clear(wait bool) {
	w.send(wire.Event{Kind: wire.KindClear, ID: w.cellID(), Wait: wait})
}

func (w *worker) cellID() int64 {
	if c := w.cell(); c != nil {
		return c.id
	}
	return 0
}

// stdin is os.Stdin inside cells: each read that finds its buffer empty
// asks the front end for a line.
type stdin struct {
	w   *worker
	buf []byte
}

// ErrNoStdin is returned by reads of stdin when the front end does not
// accept input requests.
var ErrNoStdin = errors.New("stdin is not available: this front end does not accept input (allow_stdin is false)")

func (s *stdin) Read(p []byte) (int, error) {
	if len(s.buf) == 0 {
		c := s.w.cell()
		if c == nil {
			return 0, io.EOF
		}
		if !c.allowStdin {
			c.refused.Store(true)
			return 0, ErrNoStdin
		}
		s.w.send(wire.Event{Kind: wire.KindInputRequest, ID: c.id})
		select {
		case ans := <-c.input:
			if ans.Err != "" {
				return 0, errors.New(ans.Err)
			}
			s.buf = append(s.buf, ans.Value+"\n"...)
		case <-c.ctx.Done():
			return 0, c.ctx.Err()
		}
	}
	n := copy(p, s.buf)
	s.buf = s.buf[n:]
	return n, nil
}

// tracing is a traced cell in progress.
type tracing struct {
	spec    wire.Trace
	capture *tracer.Capture
	procs   int // GOMAXPROCS to restore, or 0
}

// startTrace sets GOMAXPROCS and starts the tracer for a cell. A trace that
// cannot start (the cell's own code may hold the process's one tracer) is
// said on stderr, and the cell runs untraced.
func (w *worker) startTrace(spec wire.Trace) *tracing {
	t := &tracing{spec: spec}
	if spec.Procs > 0 {
		t.procs = runtime.GOMAXPROCS(spec.Procs)
	}
	c, err := tracer.Start()
	if err != nil {
		fmt.Fprintf(w.stderr, "juggler: this cell runs untraced: %v\n", err)
		if t.procs > 0 {
			runtime.GOMAXPROCS(t.procs)
		}
		return nil
	}
	t.capture = c
	return t
}

// showTrace stops the tracer and, when show is set, shows the cell's
// timeline and summary.
func (w *worker) showTrace(t *tracing, show bool) {
	tr, raw, err := t.capture.Stop()
	if t.procs > 0 {
		runtime.GOMAXPROCS(t.procs)
	}
	if t.spec.Out != "" && raw != nil {
		if werr := os.WriteFile(t.spec.Out, raw, 0o644); werr != nil {
			fmt.Fprintf(w.stderr, "juggler: write the trace: %v\n", werr)
		} else {
			fmt.Fprintf(w.stderr, "juggler: trace written to %s (open it with go tool trace)\n", t.spec.Out)
		}
	}
	if err != nil {
		fmt.Fprintf(w.stderr, "juggler: the trace could not be read: %v\n", err)
		return
	}
	if !show {
		return
	}
	w.Display(wire.Bundle{
		Data: map[string]any{
			render.HTML:  timeline.HTML(tr),
			render.Plain: timeline.Summary(tr),
		},
		Metadata: map[string]any{},
	}, false)
}
