// Package wire is the framed protocol between the kernel process and its
// worker process. The kernel writes Requests to the worker's fd 3 and reads
// Events from the worker's fd 4; the worker's fd 1 and 2 carry user output
// as raw bytes. Frames are a 4-byte big-endian length followed by JSON, so a
// reader never has to guess where a message ends.
package wire

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"sync"
)

// Request kinds, kernel to worker.
const (
	KindExecute   = "execute"   // run Code as cell ID
	KindInput     = "input"     // answer to an input_request event
	KindInterrupt = "interrupt" // stop the running cell
)

// Event kinds, worker to kernel.
const (
	KindReady        = "ready"         // the worker is up; Nonce is set
	KindDisplay      = "display"       // display_data, or update_display_data when Update
	KindClear        = "clear"         // clear_output
	KindInputRequest = "input_request" // the cell reads stdin
	KindDone         = "done"          // the cell finished
)

// MaxFrame bounds one frame so a corrupt length cannot allocate gigabytes.
const MaxFrame = 256 << 20

// Bundle is a mime bundle as the front end will see it.
type Bundle struct {
	Data      map[string]any `json:"data"`
	Metadata  map[string]any `json:"metadata,omitempty"`
	Transient map[string]any `json:"transient,omitempty"`
}

// Request is one message from the kernel to the worker.
type Request struct {
	Kind string `json:"kind"`
	// ID names the cell an execute request runs as; input replies and
	// interrupts carry the ID of the cell they are for.
	ID         int64  `json:"id,omitempty"`
	Code       string `json:"code,omitempty"`
	AllowStdin bool   `json:"allow_stdin,omitempty"`
	// Count is the cell's execution count as the front end shows it
	// (In [Count]), or 0 for a cell the user does not see (a replay).
	Count int `json:"count,omitempty"`
	// Trace, when set, runs the cell under the Go execution tracer.
	Trace *Trace `json:"trace,omitempty"`
	// Value and Err answer an input request.
	Value string `json:"value,omitempty"`
	Err   string `json:"err,omitempty"`
}

// Trace asks for a traced cell.
type Trace struct {
	// Procs, when positive, is GOMAXPROCS for the cell; the previous
	// value comes back afterwards.
	Procs int `json:"procs,omitempty"`
	// Out, when set, is a file to write the raw trace to.
	Out string `json:"out,omitempty"`
}

// Event is one message from the worker to the kernel.
type Event struct {
	Kind string `json:"kind"`
	ID   int64  `json:"id,omitempty"`
	// Sync, when non-zero, is the sequence number of the sync mark the
	// worker wrote to fd 1 and fd 2 just before this event: the kernel must
	// pass on every output byte before that mark before acting on the event,
	// so output and displays keep the order the cell made them in.
	Sync uint64 `json:"sync,omitempty"`

	// Ready.
	Nonce string `json:"nonce,omitempty"`
	PID   int    `json:"pid,omitempty"`

	// Display.
	Bundle *Bundle `json:"bundle,omitempty"`
	Update bool    `json:"update,omitempty"`

	// Clear.
	Wait bool `json:"wait,omitempty"`

	// InputRequest.
	Prompt   string `json:"prompt,omitempty"`
	Password bool   `json:"password,omitempty"`

	// Done: Status is "ok" or "error"; Result is the cell's value, if any.
	Status    string   `json:"status,omitempty"`
	Result    *Bundle  `json:"result,omitempty"`
	Ename     string   `json:"ename,omitempty"`
	Evalue    string   `json:"evalue,omitempty"`
	Traceback []string `json:"traceback,omitempty"`
}

// SyncMark is the byte string the worker writes to fd 1 and fd 2 for sync
// sequence seq. The NUL and SOH bytes and the per-worker nonce make a
// collision with user output practically impossible.
func SyncMark(nonce string, seq uint64) []byte {
	return []byte(SyncPrefix + nonce + ":" + strconv.FormatUint(seq, 10) + "\x00")
}

// SyncPrefix starts every sync mark.
const SyncPrefix = "\x00\x01juggler-sync:"

// Writer writes frames; it is safe for concurrent use.
type Writer struct {
	mu sync.Mutex
	w  io.Writer
}

// NewWriter returns a Writer on w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// Write sends v as one frame.
func (w *Writer) Write(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("wire: encode %T: %w", v, err)
	}
	if len(b) > MaxFrame {
		return fmt.Errorf("wire: frame of %d bytes exceeds %d", len(b), MaxFrame)
	}
	buf := make([]byte, 4+len(b))
	binary.BigEndian.PutUint32(buf, uint32(len(b)))
	copy(buf[4:], b)
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, err := w.w.Write(buf); err != nil {
		return fmt.Errorf("wire: write frame: %w", err)
	}
	return nil
}

// Reader reads frames; use it from one goroutine.
type Reader struct {
	r *bufio.Reader
}

// NewReader returns a Reader on r.
func NewReader(r io.Reader) *Reader { return &Reader{r: bufio.NewReaderSize(r, 64<<10)} }

// Read decodes the next frame into v. It returns io.EOF at a clean end.
func (r *Reader) Read(v any) error {
	var hdr [4]byte
	if _, err := io.ReadFull(r.r, hdr[:]); err != nil {
		return err
	}
	n := binary.BigEndian.Uint32(hdr[:])
	if n > MaxFrame {
		return fmt.Errorf("wire: frame of %d bytes exceeds %d", n, MaxFrame)
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r.r, b); err != nil {
		return fmt.Errorf("wire: read frame body: %w", io.ErrUnexpectedEOF)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("wire: decode frame: %w", err)
	}
	return nil
}
