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
// listener.
type wireWatch struct {
	mu      sync.Mutex
	conns   int    // connections past their handshake and not closed
	wantSeq uint64 // sequence number of the message armed last
	want    []byte // its msg_id; nil once written
	doneSeq uint64 // sequence number of the last armed message written
	changed chan struct{}
}

func newWireWatch() *wireWatch {
	return &wireWatch{changed: make(chan struct{})}
}

// arm is called just before message seq, with the given msg_id, is handed
// to zmq4. Messages are handed and written in order, so once it has been
// written so has every earlier one.
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

// written records that a connection has written the whole of the message
// armed last (matches found its msg_id in bytes it wrote).
func (w *wireWatch) written() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.want == nil {
		return
	}
	w.doneSeq, w.want = w.wantSeq, nil
	close(w.changed)
	w.changed = make(chan struct{})
}

func (w *wireWatch) connUp() {
	w.mu.Lock()
	w.conns++
	w.mu.Unlock()
}

func (w *wireWatch) connDown() {
	w.mu.Lock()
	w.conns--
	w.mu.Unlock()
}

// wait returns once message seq has been written, when no connection
// could be written to, or after flushTimeout.
func (w *wireWatch) wait(seq uint64) {
	deadline := time.NewTimer(flushTimeout)
	defer deadline.Stop()
	for {
		w.mu.Lock()
		done := w.doneSeq >= seq || w.conns <= 0
		changed := w.changed
		w.mu.Unlock()
		if done {
			return
		}
		select {
		case <-changed:
		case <-deadline.C:
			return
		}
	}
}

// pendingWatches hands a wireWatch to the listener zmq4 makes for an
// address (zmq4 creates listeners itself, through the transport).
var pendingWatches sync.Map // network + " " + addr -> *wireWatch
