package supervisor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"sync"
	"time"

	"github.com/juggler-kernel/juggler/internal/wire"
	"github.com/juggler-kernel/juggler/kernel"
)

// Why a worker was killed on purpose.
const (
	reasonInterrupt = "interrupt" // the cell ignored an interrupt
	reasonRestart   = "restart"   // Restart
	reasonClose     = "close"     // Close, or a start that was given up
	reasonProtocol  = "protocol"  // the worker sent garbage
)

const (
	exitGrace   = time.Second     // after the event pipe ends, before killing the process
	drainGrace  = time.Second     // after the process exits, for events still in the pipe
	pipeGrace   = 2 * time.Second // after the process exits, for its output pipes to end
	readyPeriod = 30 * time.Second
)

// worker is one worker process and the goroutines that serve it: two
// stream readers, the event reader, the event loop, the flush timer, the
// process waiter, and one goroutine per outstanding input request. All of
// them end after the process is gone; wg counts them.
type worker struct {
	log  *log.Logger
	cmd  *exec.Cmd
	req  *wire.Writer
	reqW *os.File // write end of the worker's fd 3
	evR  *os.File // read end of the worker's fd 4
	pipe [2]*os.File
	co   *coalescer

	events     chan wire.Event
	streamDone chan struct{} // one value per stream reader that ended
	ready      chan struct{} // closed on the ready event
	readyOnce  sync.Once
	exited     chan struct{} // closed when the process has been reaped
	dead       chan struct{} // closed when the death is fully handled
	stop       chan struct{} // stops the flush timer
	wg         sync.WaitGroup

	mu         sync.Mutex
	exitErr    error
	pid        int
	cell       *cell // running cell
	gone       bool  // the death was handled; no new cell may start
	killReason string
	desc       string // "exit status 2: panic: boom"
	idleDeath  bool   // died by itself while no cell ran
}

// cell is one Execute in progress.
type cell struct {
	id          int64
	ctx         context.Context // cancelled when the cell ends or is interrupted
	cancel      context.CancelFunc
	done        chan Result // buffered; receives exactly one Result
	interrupted chan struct{}
	once        sync.Once
}

func (c *cell) interrupt() {
	c.once.Do(func() {
		close(c.interrupted)
		c.cancel()
	})
}

// spawn starts a worker process and its goroutines. It does not wait for
// the worker to be ready.
func spawn(argv, env []string, l *log.Logger) (w *worker, err error) {
	var files []*os.File // every pipe end, closed on failure
	pipe := func() (r, w *os.File) {
		if err != nil {
			return nil, nil
		}
		r, w, err = os.Pipe()
		files = append(files, r, w)
		return r, w
	}
	reqR, reqW := pipe()
	evR, evW := pipe()
	outR, outW := pipe()
	errR, errW := pipe()
	if err != nil {
		closeAll(files)
		return nil, fmt.Errorf("worker pipes: %w", err)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout = outW
	cmd.Stderr = errW
	cmd.ExtraFiles = []*os.File{reqR, evW} // fd 3, fd 4
	setProcAttr(cmd)
	if err := cmd.Start(); err != nil {
		closeAll(files)
		return nil, fmt.Errorf("start worker %s: %w", argv[0], err)
	}
	closeAll([]*os.File{reqR, evW, outW, errW}) // the child's ends

	w = &worker{
		log:        l,
		cmd:        cmd,
		req:        wire.NewWriter(reqW),
		reqW:       reqW,
		evR:        evR,
		pipe:       [2]*os.File{outR, errR},
		co:         newCoalescer(l),
		events:     make(chan wire.Event, 16),
		streamDone: make(chan struct{}, 2),
		ready:      make(chan struct{}),
		exited:     make(chan struct{}),
		dead:       make(chan struct{}),
		stop:       make(chan struct{}),
		pid:        cmd.Process.Pid,
	}
	w.wg.Add(6)
	go w.readStream(stdout)
	go w.readStream(stderr)
	go w.readEvents()
	go w.waitProcess()
	go w.runFlusher()
	go w.loop()
	return w, nil
}

func closeAll(fs []*os.File) {
	for _, f := range fs {
		if f != nil {
			f.Close()
		}
	}
}

func (w *worker) readStream(i int) {
	defer w.wg.Done()
	buf := make([]byte, 32<<10)
	for {
		n, err := w.pipe[i].Read(buf)
		if n > 0 {
			w.co.write(i, buf[:n])
		}
		if err != nil {
			w.co.closeStream(i)
			w.streamDone <- struct{}{}
			return
		}
	}
}

func (w *worker) readEvents() {
	defer w.wg.Done()
	defer close(w.events)
	r := wire.NewReader(w.evR)
	for {
		var ev wire.Event
		if err := r.Read(&ev); err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, os.ErrClosed) {
				w.log.Printf("worker %d: %v; killing it", w.pid, err)
				w.kill(reasonProtocol)
			}
			return
		}
		w.events <- ev
	}
}

func (w *worker) waitProcess() {
	defer w.wg.Done()
	err := w.cmd.Wait()
	// Take down whatever the cell started in the worker's process group:
	// those processes would keep the output pipes open.
	killGroup(w.cmd)
	w.mu.Lock()
	w.exitErr = err
	w.mu.Unlock()
	close(w.exited)
}

func (w *worker) runFlusher() {
	defer w.wg.Done()
	w.co.run(w.stop)
}

// kill stops the process; reason says why, for the running cell's result.
func (w *worker) kill(reason string) {
	w.mu.Lock()
	if w.killReason == "" {
		w.killReason = reason
	}
	w.mu.Unlock()
	select {
	case <-w.exited:
	default:
		killProcess(w.cmd)
	}
}

// isGone reports whether the worker process has died, handled or not.
func (w *worker) isGone() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.gone
}

// loop handles events until the worker is gone.
func (w *worker) loop() {
	defer w.wg.Done()
	for {
		select {
		case ev, ok := <-w.events:
			if !ok {
				w.die()
				return
			}
			w.handle(ev)
		case <-w.exited:
			// Events written just before the exit are still in the pipe.
			t := time.NewTimer(drainGrace)
		drain:
			for {
				select {
				case ev, ok := <-w.events:
					if !ok {
						break drain
					}
					w.handle(ev)
				case <-t.C:
					break drain
				}
			}
			t.Stop()
			w.die()
			return
		}
	}
}

func (w *worker) handle(ev wire.Event) {
	switch ev.Kind {
	case wire.KindReady:
		w.mu.Lock()
		if ev.PID != 0 {
			w.pid = ev.PID
		}
		w.mu.Unlock()
		w.co.setNonce(ev.Nonce)
		w.readyOnce.Do(func() { close(w.ready) })
	case wire.KindDisplay:
		b := MimeBundle(ev.Bundle)
		w.co.syncPoint(ev.Sync, func(out kernel.Output) {
			switch {
			case out == nil:
				w.log.Printf("worker display with no cell to show it")
			case ev.Update:
				out.UpdateDisplay(b)
			default:
				out.Display(b)
			}
		})
	case wire.KindClear:
		w.co.syncPoint(ev.Sync, func(out kernel.Output) {
			if out != nil {
				out.ClearOutput(ev.Wait)
			}
		})
	case wire.KindInputRequest:
		w.co.syncPoint(ev.Sync, nil)
		c, out := w.cellFor(ev.ID)
		if c == nil || out == nil {
			w.reply(wire.Request{Kind: wire.KindInput, ID: ev.ID, Err: "no cell is running to read input"})
			return
		}
		w.wg.Add(1)
		go w.input(c, out, ev)
	case wire.KindDone:
		w.co.syncPoint(ev.Sync, func(kernel.Output) { w.co.noteLocked() })
		w.mu.Lock()
		c := w.cell
		if c != nil && c.id == ev.ID {
			w.cell = nil
		} else {
			c = nil
		}
		w.mu.Unlock()
		if c == nil {
			w.log.Printf("worker reported cell %d done, which is not running", ev.ID)
			return
		}
		c.cancel()
		status := ev.Status
		if status == "" {
			status = "ok"
		}
		c.done <- Result{Status: status, Value: ev.Result, Ename: ev.Ename, Evalue: ev.Evalue, Traceback: ev.Traceback}
	default:
		w.log.Printf("worker sent unknown event %q", ev.Kind)
	}
}

// cellFor returns the running cell if it has id, with its Output.
func (w *worker) cellFor(id int64) (*cell, kernel.Output) {
	w.mu.Lock()
	c := w.cell
	w.mu.Unlock()
	if c == nil || c.id != id {
		return nil, nil
	}
	w.co.mu.Lock()
	out := w.co.target
	w.co.mu.Unlock()
	return c, out
}

// input asks the front end for a line and sends the answer to the worker.
func (w *worker) input(c *cell, out kernel.Output, ev wire.Event) {
	defer w.wg.Done()
	v, err := out.Input(c.ctx, ev.Prompt, ev.Password)
	r := wire.Request{Kind: wire.KindInput, ID: ev.ID, Value: v}
	if err != nil {
		r = wire.Request{Kind: wire.KindInput, ID: ev.ID, Err: err.Error()}
	}
	w.reply(r)
}

func (w *worker) reply(r wire.Request) {
	if err := w.req.Write(r); err != nil {
		w.log.Printf("worker %d: %v", w.pid, err)
	}
}

// die runs once the worker's event stream has ended or its process has
// exited: it makes sure the process is gone, passes on every byte of output
// it left, and ends the running cell.
func (w *worker) die() {
	select {
	case <-w.exited:
	default:
		t := time.NewTimer(exitGrace)
		select {
		case <-w.exited:
		case <-t.C:
			w.kill("")
			<-w.exited
		}
		t.Stop()
	}
	// The process group is dead, so the pipes end promptly, unless a
	// process that left the group still holds them.
	t := time.NewTimer(pipeGrace)
	for ended := 0; ended < 2; {
		select {
		case <-w.streamDone:
			ended++
		case <-t.C:
			w.log.Printf("worker %d: output pipes still open after exit; abandoning them", w.pid)
			closeAll(w.pipe[:])
			for ; ended < 2; ended++ {
				<-w.streamDone
			}
		}
	}
	t.Stop()
	closeAll(w.pipe[:])
	w.evR.Close()
	for range w.events {
	}
	w.reqW.Close()
	w.co.finish()
	close(w.stop)

	w.mu.Lock()
	status := "exit status 0"
	if w.exitErr != nil {
		status = w.exitErr.Error()
	}
	desc := status
	if line := w.co.crashLine(); line != "" {
		desc += ": " + line
	}
	w.desc = desc
	w.gone = true
	c := w.cell
	w.cell = nil
	reason := w.killReason
	w.idleDeath = c == nil && reason == ""
	w.mu.Unlock()

	if c != nil {
		c.cancel()
		c.done <- deathResult(reason, desc)
	} else if reason == "" {
		w.log.Printf("worker %d died while idle (%s)", w.pid, desc)
	}
	close(w.dead)
}

// deathResult is the Result of a cell whose worker died under it. Restarted
// is set when the Supervisor is to start a fresh worker.
func deathResult(reason, desc string) Result {
	r := Result{Status: "error", Ename: "WorkerDied", Restarted: true}
	switch reason {
	case reasonInterrupt:
		r.Ename = "Interrupted"
		r.Evalue = fmt.Sprintf("the cell did not stop within %v; the worker was restarted", interruptGrace)
	case reasonRestart:
		r.Evalue = "the Go worker was restarted while the cell ran"
	case reasonClose:
		r.Evalue = "the Go worker was shut down while the cell ran"
		r.Restarted = false
	case reasonProtocol:
		r.Evalue = "the Go worker broke the wire protocol and was killed (" + desc + ")"
	default:
		r.Evalue = "the Go worker process died (" + desc + ")"
	}
	return r
}
