package kernel

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"sync"
	"time"

	"github.com/go-zeromq/zmq4"
	"github.com/go-zeromq/zmq4/transport"
)

// This file wraps the connections zmq4 accepts, to work around three
// defects of go-zeromq/zmq4 v0.17.0 without forking it:
//
//   - The ZMTP handshake runs inside the socket's accept loop with no
//     deadline, so one silent TCP connection blocks every later connection
//     to that socket. The guarded listener only hands zmq4 connections that
//     have sent their greeting signature, and puts a deadline on the rest of
//     the handshake.
//   - Writes have no deadline: one PUB subscriber (or DEALER) that stops
//     reading blocks delivery to every peer of the socket, and PUB keeps
//     queueing without bound (zmq4 #151). Each write gets a deadline; a peer
//     that cannot take bytes for writeTimeout is disconnected, as libzmq
//     would drop it at its high-water mark.
//   - A peer's declared frame size goes straight into make([]byte, size):
//     a forged size crashes or exhausts the process before any signature
//     is checked. Inbound bytes are watched and a frame larger than
//     maxFrameSize closes the connection.
//
// It also makes zmq4's I/O cheaper. zmq4 writes every frame as two writes
// (flags and size, then body) straight to the connection, so a Jupyter
// message of seven frames cost fourteen write syscalls, and as many TCP
// segments for the peer to wake up for; it reads a frame with two or three
// reads. A guarded connection gathers the writes of one ZMTP message and
// sends them with one write when its last frame ends, and reads through a
// buffer. A kernel_info round trip is three messages out and one in, a
// trivial cell five out and one in: this halves their time.

const (
	// greetingLen is the length of the ZMTP 3 greeting; frames follow it.
	greetingLen = 64
	// signatureLen is the part of the greeting every ZMTP 3 peer (libzmq
	// included) sends before waiting for ours.
	signatureLen = 10
	// handshakeTimeout bounds the greeting and READY exchange.
	handshakeTimeout = 5 * time.Second
	// writeTimeout is how long a peer may refuse our bytes before it is
	// disconnected.
	writeTimeout = 10 * time.Second
	// maxFrameSize is the largest inbound frame accepted. Jupyter messages
	// with binary buffers (widgets) can be large, but not this large.
	maxFrameSize = 256 << 20
	// readBufSize is the read buffer of a guarded connection: big enough
	// for a typical Jupyter message in one read.
	readBufSize = 32 << 10
	// maxGather is how many bytes of a message are gathered before they
	// are written anyway. A write at least this large is not copied: it
	// goes out at once, after what was gathered before it.
	maxGather = 64 << 10
)

// Guarded transport names registered with zmq4; endpoints are rewritten to
// use them by guardedEndpoint.
const (
	guardedTCP = "juggler-tcp"
	guardedIPC = "juggler-ipc"
)

var registerGuard = sync.OnceValue(func() error {
	if err := zmq4.RegisterTransport(guardedTCP, guardTransport{network: "tcp"}); err != nil {
		return fmt.Errorf("register guarded tcp transport: %w", err)
	}
	if err := zmq4.RegisterTransport(guardedIPC, guardTransport{network: "unix"}); err != nil {
		return fmt.Errorf("register guarded ipc transport: %w", err)
	}
	return nil
})

// guardedEndpoint maps tcp:// and ipc:// endpoints onto the guarded
// transports.
func guardedEndpoint(ep string) (string, error) {
	if err := registerGuard(); err != nil {
		return "", err
	}
	switch {
	case len(ep) > 6 && ep[:6] == "tcp://":
		return guardedTCP + "://" + ep[6:], nil
	case len(ep) > 6 && ep[:6] == "ipc://":
		return guardedIPC + "://" + ep[6:], nil
	}
	return "", fmt.Errorf("unsupported endpoint %q", ep)
}

// guardTransport is a zmq4 transport whose listeners are guarded.
type guardTransport struct{ network string }

func (t guardTransport) Dial(ctx context.Context, d transport.Dialer, addr string) (net.Conn, error) {
	return d.DialContext(ctx, t.network, addr)
}

func (t guardTransport) Listen(ctx context.Context, addr string) (net.Listener, error) {
	l, err := net.Listen(t.network, addr)
	if err != nil {
		return nil, err
	}
	var watch *wireWatch
	if w, ok := pendingWatches.Load(t.network + " " + addr); ok {
		watch = w.(*wireWatch)
	}
	return newGuardListener(l, watch), nil
}

func (t guardTransport) Addr(ep string) (string, error) {
	return transport.New(t.network).Addr(ep)
}

// guardListener pre-reads the greeting signature of each connection on its
// own goroutine, so a silent connection never reaches zmq4's serial accept
// loop.
type guardListener struct {
	net.Listener
	ready     chan *guardConn
	done      chan struct{}
	closeOnce sync.Once
	// prev is the connection returned by the previous Accept. zmq4 calls
	// Accept again only once the handshake of prev has finished, which is
	// when prev's handshake deadline must be lifted. Only the accept
	// goroutine touches it.
	prev *guardConn
	// watch, if not nil, is told what the connections write.
	watch *wireWatch
}

func newGuardListener(l net.Listener, watch *wireWatch) *guardListener {
	g := &guardListener{Listener: l, ready: make(chan *guardConn), done: make(chan struct{}), watch: watch}
	go g.acceptLoop()
	return g
}

func (g *guardListener) acceptLoop() {
	for {
		c, err := g.Listener.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				g.Close()
				return
			}
			// Transient (EMFILE and the like): back off as net/http does.
			select {
			case <-time.After(50 * time.Millisecond):
			case <-g.done:
				return
			}
			continue
		}
		go g.greet(c)
	}
}

// greet waits, with a deadline, for the peer's greeting signature, then
// offers the connection to Accept with the signature replayed.
func (g *guardListener) greet(c net.Conn) {
	_ = c.SetDeadline(time.Now().Add(handshakeTimeout))
	sig := make([]byte, signatureLen)
	if _, err := io.ReadFull(c, sig); err != nil {
		c.Close()
		return
	}
	gc := &guardConn{Conn: c, pending: sig, watch: g.watch,
		frames: frameGuard{max: maxFrameSize, skip: greetingLen},
		out:    frameGuard{max: math.MaxUint64, skip: greetingLen}}
	if err := gc.frames.feed(sig); err != nil {
		c.Close()
		return
	}
	select {
	case g.ready <- gc:
	case <-g.done:
		c.Close()
	}
}

func (g *guardListener) Accept() (net.Conn, error) {
	if g.prev != nil {
		g.prev.endHandshake()
		g.prev = nil
	}
	select {
	case c := <-g.ready:
		g.prev = c
		return c, nil
	case <-g.done:
		return nil, net.ErrClosed
	}
}

func (g *guardListener) Close() error {
	var err error
	g.closeOnce.Do(func() {
		close(g.done)
		err = g.Listener.Close()
	})
	return err
}

// guardConn is an accepted connection with a handshake deadline, per-write
// deadlines after the handshake, an inbound frame-size limit, a read
// buffer, and writes gathered per ZMTP message.
type guardConn struct {
	net.Conn

	mu        sync.Mutex // guards handshook
	handshook bool

	rmu     sync.Mutex // guards the read side: pending, frames, rmem, rbuf
	pending []byte     // greeting bytes read by greet, replayed first
	frames  frameGuard // inbound framing, for the size limit
	rmem    []byte     // the read buffer, allocated at the first read
	rbuf    []byte     // bytes in rmem not yet returned by Read

	wmu     sync.Mutex // guards the write side: out, wbuf, matched
	out     frameGuard // outbound framing, to find where messages end
	wbuf    []byte     // bytes of a message not written yet
	matched bool       // the message being written is the one watch wants

	watch     *wireWatch // nil, or told of written messages
	closeOnce sync.Once
}

func (c *guardConn) endHandshake() {
	c.mu.Lock()
	c.handshook = true
	c.mu.Unlock()
	_ = c.Conn.SetDeadline(time.Time{})
	if c.watch != nil {
		c.watch.connUp(c)
	}
}

// Close closes the connection once, and tells the watch it is gone.
func (c *guardConn) Close() error {
	err := net.ErrClosed
	c.closeOnce.Do(func() {
		err = c.Conn.Close()
		if c.watch != nil && c.isHandshook() {
			c.watch.connDown(c)
		}
	})
	return err
}

// noteWriting looks in bufs, about to be written, for the message the
// watch wants (before the write, which consumes bufs). wmu must be held.
func (c *guardConn) noteWriting(bufs net.Buffers) {
	if c.watch != nil && !c.matched {
		c.matched = c.watch.matches(bufs)
	}
}

// noteWritten tells the watch that what noteWriting saw has been written,
// and that ends messages ended in it. wmu must be held.
func (c *guardConn) noteWritten(ends int) {
	if c.watch != nil && ends > 0 && c.matched {
		c.matched = false
		c.watch.written(c)
	}
}

func (c *guardConn) isHandshook() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.handshook
}

func (c *guardConn) Read(p []byte) (int, error) {
	c.rmu.Lock()
	defer c.rmu.Unlock()
	if len(c.pending) > 0 {
		n := copy(p, c.pending)
		c.pending = c.pending[n:]
		return n, nil
	}
	if len(c.rbuf) > 0 {
		n := copy(p, c.rbuf)
		c.rbuf = c.rbuf[n:]
		return n, nil
	}
	if len(p) >= readBufSize {
		// A large body: read into it directly, as bufio does.
		n, err := c.Conn.Read(p)
		return c.checkRead(p[:n], err)
	}
	if c.rmem == nil {
		c.rmem = make([]byte, readBufSize)
	}
	buf := c.rmem
	n, err := c.Conn.Read(buf)
	if _, err := c.checkRead(buf[:n], err); n == 0 || err != nil {
		return 0, err
	}
	// An error that came with data comes back from the next read of Conn.
	m := copy(p, buf[:n])
	c.rbuf = buf[m:n]
	return m, nil
}

// checkRead passes b, just read from Conn with err, through the frame-size
// guard. rmu must be held. The error is err, or the guard's.
func (c *guardConn) checkRead(b []byte, err error) (int, error) {
	if ferr := c.frames.feed(b); ferr != nil {
		c.Conn.Close()
		return 0, ferr
	}
	if err != nil && len(b) == 0 && !c.isHandshook() {
		// zmq4 drops a connection whose handshake failed without closing it.
		c.Conn.Close()
	}
	if len(b) > 0 {
		err = nil
	}
	return len(b), err
}

// Write gathers the bytes of one ZMTP message and writes them when its
// last frame (or a command) ends. During the handshake it writes at once.
func (c *guardConn) Write(p []byte) (int, error) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	ends := c.out.messageEnds(p)
	handshook := c.isHandshook()
	if !handshook || len(c.wbuf)+len(p) > maxGather {
		// Write what was gathered and p, without copying p.
		bufs := net.Buffers{c.wbuf, p}
		if len(c.wbuf) == 0 {
			bufs = bufs[1:]
		}
		c.wbuf = c.wbuf[:0]
		if handshook {
			c.noteWriting(bufs)
		}
		if err := c.flush(bufs, handshook); err != nil {
			return 0, err
		}
		if handshook {
			c.noteWritten(ends)
		}
		return len(p), nil
	}
	c.wbuf = append(c.wbuf, p...)
	if ends == 0 {
		return len(p), nil
	}
	bufs := net.Buffers{c.wbuf}
	c.wbuf = c.wbuf[:0]
	c.noteWriting(bufs)
	if err := c.flush(bufs, handshook); err != nil {
		return 0, err
	}
	c.noteWritten(ends)
	return len(p), nil
}

// flush writes bufs (with writev when there are several), consuming them.
// wmu must be held.
func (c *guardConn) flush(bufs net.Buffers, deadline bool) error {
	if deadline {
		_ = c.Conn.SetWriteDeadline(time.Now().Add(writeTimeout))
	}
	if _, err := bufs.WriteTo(c.Conn); err != nil {
		// A timed-out write leaves a partial frame on the stream; the
		// connection cannot be used again.
		c.Conn.Close()
		return err
	}
	return nil
}

// frameGuard follows the ZMTP 3 framing of an inbound byte stream (the
// greeting, then flags, a 1- or 8-byte size, and the body, for commands
// and message frames alike) and rejects frames larger than max.
type frameGuard struct {
	max      uint64
	skip     uint64 // greeting or body bytes still to pass
	size     [8]byte
	sizeLen  int  // bytes of size read so far
	sizeNeed int  // 0 while waiting for a flags byte
	flags    byte // of the current frame
	inBody   bool // skip counts body bytes, not greeting bytes
	ends     int  // frames seen to end a message: no MORE flag, or a command
}

// ZMTP 3 frame flags.
const (
	flagMore    = 0x01
	flagLong    = 0x02
	flagCommand = 0x04
)

// messageEnds follows b and returns how many messages (or commands) ended
// in it. It is for outbound bytes, whose sizes need no limit.
func (g *frameGuard) messageEnds(b []byte) int {
	before := g.ends
	_ = g.feed(b)
	return g.ends - before
}

// frameEnd records the end of the current frame's body.
func (g *frameGuard) frameEnd() {
	if g.flags&flagMore == 0 || g.flags&flagCommand != 0 {
		g.ends++
	}
}

// errFrameTooLarge closes connections whose frames exceed maxFrameSize.
var errFrameTooLarge = errors.New("zmtp frame too large")

func (g *frameGuard) feed(b []byte) error {
	for len(b) > 0 {
		switch {
		case g.skip > 0:
			n := min(uint64(len(b)), g.skip)
			g.skip -= n
			b = b[n:]
			if g.skip == 0 && g.inBody {
				g.inBody = false
				g.frameEnd()
			}
		case g.sizeNeed == 0:
			g.flags = b[0]
			g.sizeNeed, g.sizeLen = 1, 0
			if b[0]&flagLong != 0 {
				g.sizeNeed = 8
			}
			b = b[1:]
		default:
			g.size[g.sizeLen] = b[0]
			g.sizeLen++
			b = b[1:]
			if g.sizeLen < g.sizeNeed {
				continue
			}
			var size uint64
			if g.sizeNeed == 8 {
				size = binary.BigEndian.Uint64(g.size[:])
			} else {
				size = uint64(g.size[0])
			}
			g.sizeNeed = 0
			if size > g.max {
				return fmt.Errorf("%w: %d bytes (limit %d)", errFrameTooLarge, size, g.max)
			}
			g.skip = size
			if size == 0 {
				g.frameEnd()
			} else {
				g.inBody = true
			}
		}
	}
	return nil
}
