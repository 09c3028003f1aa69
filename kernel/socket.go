package kernel

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"
	"sync"
	"time"

	"github.com/go-zeromq/zmq4"
)

// The kernel talks to zmq4 only through this file, so that zmq4's defects
// (see guard.go) can be worked around here, or the library swapped, without
// touching the protocol code.

const (
	// sendTimeout bounds a ROUTER send: with no peer connected yet, zmq4
	// blocks a send for the socket timeout (default five minutes).
	sendTimeout = 2 * time.Second
	// pubQueueLen bounds the iopub messages waiting for the publisher
	// goroutine; beyond it messages are dropped and logged rather than
	// blocking the kernel.
	pubQueueLen = 4096
	// pubHWM bounds zmq4's own unbounded PUB queue. zmq4 drops silently
	// above it, so it is a memory backstop far above pubQueueLen.
	pubHWM = 100000
	// maxStreamChunk caps the text merged into one stream message.
	maxStreamChunk = 1 << 20
	// pubLinger is how long close waits for queued iopub messages, so the
	// last idle status reaches the client on shutdown.
	pubLinger = time.Second
)

// bind makes a zmq4 socket of the given kind listen on ep through the
// guarded transport. A non-nil watch is told what its connections write.
func bind(ctx context.Context, newSock func(context.Context, ...zmq4.Option) zmq4.Socket, ep string, l *log.Logger, watch *wireWatch) (zmq4.Socket, error) {
	gep, err := guardedEndpoint(ep)
	if err != nil {
		return nil, err
	}
	if watch != nil {
		// The key guardTransport.Listen looks up: zmq4 passes it the
		// address its Addr made of the endpoint.
		network, rest, _ := strings.Cut(gep, "://")
		t := guardTransport{network: "tcp"}
		if network == guardedIPC {
			t.network = "unix"
		}
		addr, err := t.Addr(rest)
		if err != nil {
			return nil, fmt.Errorf("listen on %s: %w", ep, err)
		}
		key := t.network + " " + addr
		pendingWatches.Store(key, watch)
		defer pendingWatches.Delete(key)
	}
	// zmq4 logs through its own logger; keep its lines in ours.
	zl := log.New(l.Writer(), l.Prefix()+"zmq4: ", l.Flags())
	s := newSock(ctx, zmq4.WithTimeout(sendTimeout), zmq4.WithLogger(zl))
	if err := s.Listen(gep); err != nil {
		s.Close()
		return nil, fmt.Errorf("listen on %s: %w", ep, err)
	}
	return s, nil
}

// router is a ROUTER socket (shell, control, stdin) carrying whole signed
// Jupyter messages.
type router struct {
	name string
	sock zmq4.Socket
	sign signer
	log  *log.Logger
	mu   sync.Mutex // serialises sends from the shell, control and cell goroutines
}

func listenRouter(ctx context.Context, name, ep string, s signer, l *log.Logger) (*router, error) {
	sock, err := bind(ctx, zmq4.NewRouter, ep, l, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &router{name: name, sock: sock, sign: s, log: l}, nil
}

// recv returns the next well-formed, correctly signed message. Bad
// messages are dropped with one log line; an error means the socket is
// closed.
func (r *router) recv() (*Message, error) {
	for {
		raw, err := r.sock.Recv()
		if err != nil {
			return nil, fmt.Errorf("%s: receive: %w", r.name, err)
		}
		m, err := parseMessage(raw.Frames, r.sign)
		if err != nil {
			r.log.Printf("%s: dropped message (%d frames): %v", r.name, len(raw.Frames), err)
			continue
		}
		return m, nil
	}
}

// send signs m and sends it to m.Identities.
func (r *router) send(m *Message) error {
	frames, err := m.frames(r.sign)
	if err != nil {
		return fmt.Errorf("%s: %w", r.name, err)
	}
	if len(m.Identities) == 0 {
		return fmt.Errorf("%s: send %s: no identity to route to", r.name, m.Header.MsgType)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.sock.Send(zmq4.NewMsgFrom(frames...)); err != nil {
		return fmt.Errorf("%s: send %s: %w", r.name, m.Header.MsgType, err)
	}
	return nil
}

func (r *router) close() error { return r.sock.Close() }

// pubItem is one queued iopub message. Stream messages keep their text
// apart so consecutive writes to the same stream for the same request can
// be merged while they wait.
type pubItem struct {
	seq        uint64 // 1, 2, ... in the order queued
	msg        *Message
	streamName string
	streamText strings.Builder
}

// publisher owns the iopub PUB socket. Every iopub message goes through
// its queue and its single goroutine, so publishing never blocks the
// kernel and messages leave in the order they were published.
type publisher struct {
	sock  zmq4.Socket
	sign  signer
	log   *log.Logger
	topic string

	watch *wireWatch // what the subscribers' connections have written

	mu      sync.Mutex
	queue   []*pubItem
	queued  uint64        // seq of the item queued last
	handed  uint64        // seq of the item handed to zmq4 last (or dropped)
	armed   uint64        // seq of the item handed to zmq4 last
	handedC chan struct{} // closed and renewed when handed changes
	closed  bool
	dropped int
	wake    chan struct{} // cap 1: something was queued or closed
	done    chan struct{} // closed when run has returned
}

func listenPublisher(ctx context.Context, ep string, s signer, topic string, l *log.Logger) (*publisher, error) {
	watch := newWireWatch()
	sock, err := bind(ctx, zmq4.NewPub, ep, l, watch)
	if err != nil {
		return nil, fmt.Errorf("iopub: %w", err)
	}
	if err := sock.SetOption(zmq4.OptionHWM, pubHWM); err != nil {
		l.Printf("iopub: set high-water mark: %v", err)
	}
	p := &publisher{sock: sock, sign: s, log: l, topic: topic, watch: watch,
		handedC: make(chan struct{}), wake: make(chan struct{}, 1), done: make(chan struct{})}
	go p.run()
	return p, nil
}

// publish queues m for iopub. It never blocks; when the queue is full the
// message is dropped and logged.
func (p *publisher) publish(m *Message) {
	p.enqueue(&pubItem{msg: m}, "", "")
}

// stream queues a stream message, merged into the previous one when that
// is still waiting and is the same stream of the same request.
func (p *publisher) stream(m *Message, name, text string) {
	p.enqueue(&pubItem{msg: m, streamName: name}, name, text)
}

func (p *publisher) enqueue(it *pubItem, name, text string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	if name != "" && len(p.queue) > 0 {
		last := p.queue[len(p.queue)-1]
		if last.streamName == name && last.msg.ParentHeader.MsgID == it.msg.ParentHeader.MsgID &&
			last.streamText.Len()+len(text) <= maxStreamChunk {
			last.streamText.WriteString(text)
			return
		}
	}
	if len(p.queue) >= pubQueueLen {
		p.dropped++
		if p.dropped == 1 || p.dropped%1000 == 0 {
			p.log.Printf("iopub: queue full, dropped %s (%d dropped so far)", it.msg.Header.MsgType, p.dropped)
		}
		return
	}
	it.streamText.WriteString(text)
	p.queued++
	it.seq = p.queued
	p.queue = append(p.queue, it)
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

func (p *publisher) run() {
	defer close(p.done)
	for {
		p.mu.Lock()
		if len(p.queue) == 0 {
			closed := p.closed
			p.mu.Unlock()
			if closed {
				return
			}
			<-p.wake
			continue
		}
		it := p.queue[0]
		p.queue[0] = nil
		p.queue = p.queue[1:]
		p.mu.Unlock()
		ok := p.send(it)
		p.mu.Lock()
		p.handed = it.seq
		if ok {
			p.armed = it.seq
		}
		close(p.handedC)
		p.handedC = make(chan struct{})
		p.mu.Unlock()
	}
}

// flush returns once every message queued before it has been written to
// the subscribers' connections (see wireWatch), the publisher has closed,
// or flushTimeout has passed.
func (p *publisher) flush() {
	p.mu.Lock()
	target := p.queued
	p.mu.Unlock()
	deadline := time.NewTimer(flushTimeout)
	defer deadline.Stop()
	for {
		p.mu.Lock()
		handed, armed, ch, closed := p.handed, p.armed, p.handedC, p.closed
		p.mu.Unlock()
		if handed >= target || closed {
			// A message that never reached zmq4 is not waited for: what
			// did reach it, up to target, is.
			target = min(target, armed)
			break
		}
		select {
		case <-ch:
		case <-deadline.C:
			return
		}
	}
	p.watch.wait(target)
}

// send hands it to zmq4 and reports whether it did, with the watch armed
// for it.
func (p *publisher) send(it *pubItem) bool {
	m := it.msg
	if it.streamName != "" {
		if err := m.SetContent(map[string]string{"name": it.streamName, "text": it.streamText.String()}); err != nil {
			p.log.Printf("iopub: %v", err)
			return false
		}
	}
	m.Identities = [][]byte{[]byte(p.topic + "." + m.Header.MsgType)}
	frames, err := m.frames(p.sign)
	if err != nil {
		p.log.Printf("iopub: %v", err)
		return false
	}
	p.watch.arm(it.seq, m.Header.MsgID)
	if err := p.sock.Send(zmq4.NewMsgFrom(frames...)); err != nil {
		p.log.Printf("iopub: send %s: %v", m.Header.MsgType, err)
		return false
	}
	return true
}

// close sends what is queued (for at most pubLinger) and closes the socket.
func (p *publisher) close() error {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	select {
	case p.wake <- struct{}{}:
	default:
	}
	select {
	case <-p.done:
	case <-time.After(pubLinger):
		p.log.Printf("iopub: closing with messages still queued")
	}
	// zmq4 sends from its own queue on its own goroutine and offers no way
	// to wait for it; give it a moment so the final idle status leaves.
	time.Sleep(50 * time.Millisecond)
	return p.sock.Close()
}

// heartbeat echoes every message on the heartbeat socket back to its
// sender until ctx is done. It is a ROUTER, as in ipykernel, so both REQ
// and DEALER clients work; echoing all frames including the routing
// identity returns each ping to its sender.
func heartbeat(ctx context.Context, sock zmq4.Socket, l *log.Logger) {
	for {
		msg, err := sock.Recv()
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, context.Canceled) {
				return
			}
			l.Printf("heartbeat: receive: %v", err)
			continue
		}
		if err := sock.Send(msg); err != nil {
			l.Printf("heartbeat: send: %v", err)
		}
	}
}
