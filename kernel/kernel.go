package kernel

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"os/signal"
	"strconv"
	"sync"
	"time"

	"github.com/go-zeromq/zmq4"
)

// Options tune Run. The zero value works.
type Options struct {
	// Log receives the kernel's log lines; nil logs to stderr with the
	// prefix "juggler: ".
	Log *log.Logger
	// HistoryPath is a JSON-lines file where the input history is kept
	// across sessions; empty keeps it in memory only.
	HistoryPath string
}

const (
	// shellQueueLen is how many shell requests may wait behind a running
	// cell before the reader stops taking more off the socket.
	shellQueueLen = 1024
	// parentPollInterval is how often the parent process is checked.
	parentPollInterval = time.Second
	// stopGrace is how long Run waits for its goroutines (a cell that does
	// not honour cancellation) before returning anyway.
	stopGrace = 2 * time.Second
)

// kernel is one running kernel: its sockets, its state and its goroutines.
type kernel struct {
	h       Handler
	info    Info // asked once: kernel_info must be answered at once
	log     *log.Logger
	session string // the kernel's own session id, on all it sends; new per process

	shell, control, stdin *router
	hb                    zmq4.Socket
	iopub                 *publisher
	hist                  *history

	ctx    context.Context // cancelled when Run stops
	cancel context.CancelFunc
	wg     sync.WaitGroup

	shellQ chan *Message // requests read from shell, waiting their turn
	// queuedAtError is how many requests waited in shellQ when a cell
	// failed, just before its reply went out: those are aborted.
	queuedAtError int
	stdinQ        chan *Message // input_reply messages
	// inputMu makes concurrent Input calls take turns on stdin.
	inputMu sync.Mutex
	// handlerMu serialises Handler calls other than Interrupt and Shutdown,
	// as the Handler contract promises, when a shell request type arrives
	// on control.
	handlerMu sync.Mutex

	mu        sync.Mutex // guards the fields below
	count     int        // last execution count used; the next stored cell gets count+1
	shutdown  bool       // h.Shutdown(false) has been called
	stopped   bool       // stop has been requested
	stopCause error      // nil for a clean stop
	stopCh    chan struct{}
}

// Run serves the Jupyter protocol on the sockets described by conn until a
// shutdown_request (without restart) arrives, the process named by
// JPY_PARENT_PID dies, or ctx is cancelled. It returns nil in the first two
// cases and ctx.Err() in the last. Before returning it makes sure
// h.Shutdown(false) has been called once, so the Handler's resources are
// released however the kernel ends.
func Run(ctx context.Context, conn ConnectionInfo, h Handler, opts Options) error {
	k, err := newKernel(ctx, conn, h, opts)
	if err != nil {
		return err
	}
	return k.run(ctx)
}

// newKernel binds every socket, so that a bad address fails Run at once.
func newKernel(ctx context.Context, conn ConnectionInfo, h Handler, opts Options) (*kernel, error) {
	if err := conn.validate(); err != nil {
		return nil, fmt.Errorf("connection info: %w", err)
	}
	l := opts.Log
	if l == nil {
		l = log.New(os.Stderr, "juggler: ", log.LstdFlags)
	}
	kctx, cancel := context.WithCancel(ctx)
	k := &kernel{
		h:       h,
		log:     l,
		session: newID(),
		ctx:     kctx,
		cancel:  cancel,
		shellQ:  make(chan *Message, shellQueueLen),
		stdinQ:  make(chan *Message, 16),
		stopCh:  make(chan struct{}),
	}
	s := signer{key: []byte(conn.Key)}
	// The sockets outlive kctx: on shutdown the last replies and the idle
	// status must still leave after the goroutines are told to stop.
	sctx := context.WithoutCancel(ctx)
	var err error
	fail := func(e error) (*kernel, error) {
		k.closeSockets()
		cancel()
		return nil, e
	}
	if k.shell, err = listenRouter(sctx, "shell", conn.Endpoint(conn.ShellPort), s, l); err != nil {
		return fail(err)
	}
	if k.control, err = listenRouter(sctx, "control", conn.Endpoint(conn.ControlPort), s, l); err != nil {
		return fail(err)
	}
	if k.stdin, err = listenRouter(sctx, "stdin", conn.Endpoint(conn.StdinPort), s, l); err != nil {
		return fail(err)
	}
	if k.iopub, err = listenPublisher(sctx, conn.Endpoint(conn.IOPubPort), s, "kernel."+k.session, l); err != nil {
		return fail(err)
	}
	if k.hb, err = bind(sctx, zmq4.NewRouter, conn.Endpoint(conn.HBPort), l, nil); err != nil {
		return fail(fmt.Errorf("heartbeat: %w", err))
	}
	k.info = h.Info()
	k.hist = openHistory(opts.HistoryPath, l)
	return k, nil
}

func (k *kernel) closeSockets() {
	for _, r := range []*router{k.shell, k.control, k.stdin} {
		if r != nil {
			r.close()
		}
	}
	if k.iopub != nil {
		k.iopub.close()
	}
	if k.hb != nil {
		k.hb.Close()
	}
}

// run starts the goroutines and waits for the end.
func (k *kernel) run(ctx context.Context) error {
	k.publishStatus(nil, "starting")

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	defer signal.Stop(sigs)

	k.goroutine(k.readShell)
	k.goroutine(k.serveShell)
	k.goroutine(k.serveControl)
	k.goroutine(k.readStdin)
	k.goroutine(func() { heartbeat(k.ctx, k.hb, k.log) })
	k.goroutine(func() { k.interruptOnSignal(sigs) })
	if pid, err := strconv.Atoi(os.Getenv("JPY_PARENT_PID")); err == nil && pid > 1 {
		k.goroutine(func() { k.watchParent(pid) })
	}

	var err error
	select {
	case <-k.stopCh:
		k.mu.Lock()
		err = k.stopCause
		k.mu.Unlock()
	case <-ctx.Done():
		err = ctx.Err()
	}
	k.mu.Lock()
	needShutdown := !k.shutdown
	k.shutdown = true
	k.mu.Unlock()
	if needShutdown {
		k.h.Shutdown(false)
	}
	k.cancel()
	k.closeSockets()

	done := make(chan struct{})
	go func() { k.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(stopGrace):
		k.log.Printf("stopping with a request still running")
	}
	k.hist.close()
	return err
}

// goroutine runs f on a goroutine owned by the kernel: run waits for it.
func (k *kernel) goroutine(f func()) {
	k.wg.Add(1)
	go func() {
		defer k.wg.Done()
		f()
	}()
}

// requestStop asks run to return with cause.
func (k *kernel) requestStop(cause error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.stopped {
		return
	}
	k.stopped = true
	k.stopCause = cause
	close(k.stopCh)
}

// readShell moves shell requests into shellQ, so that after an error the
// requests already received can be told apart and aborted.
func (k *kernel) readShell() {
	for {
		m, err := k.shell.recv()
		if err != nil {
			return
		}
		select {
		case k.shellQ <- m:
		case <-k.ctx.Done():
			return
		}
	}
}

// serveShell serves shell requests one at a time, in arrival order.
func (k *kernel) serveShell() {
	for {
		select {
		case m := <-k.shellQ:
			if failed := k.handle(k.shell, m); failed {
				k.abortQueued(k.queuedAtError)
			}
		case <-k.ctx.Done():
			return
		}
	}
}

// abortQueued answers the execute_requests among the next n waiting on
// shell with an "aborted" reply, as ipykernel does after a failed cell with
// stop_on_error. Other requests among them are served normally.
func (k *kernel) abortQueued(n int) {
	for ; n > 0; n-- {
		select {
		case m := <-k.shellQ:
			if m.Header.MsgType == "execute_request" {
				k.abort(m)
			} else {
				k.handle(k.shell, m)
			}
		default:
			return
		}
	}
}

// serveControl serves control requests on their own goroutine, so that
// interrupt and shutdown are never queued behind a running cell.
func (k *kernel) serveControl() {
	for {
		m, err := k.control.recv()
		if err != nil {
			return
		}
		switch m.Header.MsgType {
		case "execute_request", "complete_request", "inspect_request", "is_complete_request":
			// These call the Handler, which serves one such call at a time:
			// wait for the shell's turn off the control goroutine.
			k.goroutine(func() { k.handle(k.control, m) })
		default:
			k.handle(k.control, m)
		}
	}
}

// readStdin passes input replies to the waiting Input call.
func (k *kernel) readStdin() {
	for {
		m, err := k.stdin.recv()
		if err != nil {
			return
		}
		if m.Header.MsgType != "input_reply" {
			k.log.Printf("stdin: ignored %s", m.Header.MsgType)
			continue
		}
		select {
		case k.stdinQ <- m:
		default:
			k.log.Printf("stdin: dropped input_reply nobody waits for")
		}
	}
}

// interruptOnSignal forwards SIGINT to the Handler: jupyter_client may
// interrupt by signal rather than by interrupt_request.
func (k *kernel) interruptOnSignal(sigs <-chan os.Signal) {
	for {
		select {
		case <-sigs:
			k.log.Printf("SIGINT: interrupting")
			k.h.Interrupt()
		case <-k.ctx.Done():
			return
		}
	}
}

// errParentDied is logged when JPY_PARENT_PID's process goes away.
var errParentDied = errors.New("parent process died")

// watchParent stops the kernel when the process that started it dies, so
// an orphaned kernel does not live on.
func (k *kernel) watchParent(pid int) {
	t := time.NewTicker(parentPollInterval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			if !processAlive(pid) {
				k.log.Printf("%v (pid %d): shutting down", errParentDied, pid)
				k.requestStop(nil)
				return
			}
		case <-k.ctx.Done():
			return
		}
	}
}
