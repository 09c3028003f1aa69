package kernel

import (
	"bytes"
	"sync"
	"time"
)

// zmq4's PUB socket queues what it is given and writes it from a goroutine
// of its own, with no way to learn when a message has left. A reply sent
// on shell right after an output was published could then reach the client
// first. A wireWatch closes that gap: the guarded connections of the iopub
// listener tell it when they have written the message it was last armed
// with (found by its msg_id), so the kernel can wait for its outputs to be
// on the wire before it replies.

// flushTimeout bounds the wait for iopub to write a message: a subscriber
// that has connected but not subscribed yet is sent nothing.
const flushTimeout = 100 * time.Millisecond

// wireWatch follows the messages written by the connections of one
// listener. zmq4 writes each message to every subscribed connection, one
// after the other, before it takes the next message: a message is out
// once every connection has written it, or once any has written a later
// one.
type wireWatch struct {
	mu      sync.Mutex
	wantSeq uint64 // sequence number of the message armed last
	want    []byte // its msg_id
	// seen has, for each connection past its handshake, the sequence
	// number of the last armed message it wrote.
	seen map[*guardConn]uint64
	// deaf are the connections that did not write a message the others
	// wrote (a SUB that has not subscribed yet): waits skip them until
	// they write one again, so they cost one flushTimeout, not one each.
	deaf    map[*guardConn]bool
	changed chan struct{}
}

func newWireWatch() *wireWatch {
	return &wireWatch{seen: map[*guardConn]uint64{}, deaf: map[*guardConn]bool{},
		changed: make(chan struct{})}
}

// arm is called just before message seq, with the given msg_id, is handed
// to zmq4.
func (w *wireWatch) arm(seq uint64, msgID string) {
	w.mu.Lock()
	w.wantSeq, w.want = seq, []byte(msgID)
	w.mu.Unlock()
}

// matches reports whether b holds the armed msg_id.
func (w *wireWatch) matches(b [][]byte) bool {
	w.mu.Lock()
	want := w.want
	w.mu.Unlock()
	if want == nil {
		return false
	}
	for _, p := range b {
		if bytes.Contains(p, want) {
			return true
		}
	}
	return false
}

// written records that c has written the whole of the message armed
// last (matches found its msg_id in bytes c wrote).
func (w *wireWatch) written(c *guardConn) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, ok := w.seen[c]; !ok {
		return // closed meanwhile
	}
	w.seen[c] = w.wantSeq
	delete(w.deaf, c)
	close(w.changed)
	w.changed = make(chan struct{})
}

func (w *wireWatch) connUp(c *guardConn) {
	w.mu.Lock()
	w.seen[c] = 0
	w.mu.Unlock()
}

func (w *wireWatch) connDown(c *guardConn) {
	w.mu.Lock()
	delete(w.seen, c)
	delete(w.deaf, c)
	close(w.changed)
	w.changed = make(chan struct{})
	w.mu.Unlock()
}

// out reports whether message seq has left on every connection. w.mu
// must be held.
func (w *wireWatch) out(seq uint64) bool {
	all := true
	for c, s := range w.seen {
		if s > seq {
			return true
		}
		if s < seq && !w.deaf[c] {
			all = false
		}
	}
	return all
}

// wait returns once message seq has been written to every connection
// (none: at once), or after flushTimeout; the connections that had not
// written it by then are deaf until they write a message.
func (w *wireWatch) wait(seq uint64) {
	deadline := time.NewTimer(flushTimeout)
	defer deadline.Stop()
	for {
		w.mu.Lock()
		done := w.out(seq)
		changed := w.changed
		w.mu.Unlock()
		if done {
			return
		}
		select {
		case <-changed:
		case <-deadline.C:
			w.mu.Lock()
			for c, s := range w.seen {
				if s < seq {
					w.deaf[c] = true
				}
			}
			w.mu.Unlock()
			return
		}
	}
}

// pendingWatches hands a wireWatch to the listener zmq4 makes for an
// address (zmq4 creates listeners itself, through the transport).
var pendingWatches sync.Map // network + " " + addr -> *wireWatch
