package worker

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/juggler-kernel/juggler/internal/wire"
)

// harness runs Serve in-process on real pipes.
type harness struct {
	req    *wire.Writer
	events *wire.Reader
	stdout *os.File
	nonce  string
	rest   []byte // stdout read past the last mark
}

func start(t *testing.T) *harness {
	t.Helper()
	reqR, reqW, _ := os.Pipe()
	evR, evW, _ := os.Pipe()
	outR, outW, _ := os.Pipe()
	errR, errW, _ := os.Pipe()
	go io.Copy(io.Discard, errR)
	go func() {
		if err := Serve(Options{Requests: reqR, Events: evW, Stdout: outW, Stderr: errW}); err != nil {
			t.Errorf("Serve: %v", err)
		}
		evW.Close()
	}()
	t.Cleanup(func() { reqW.Close() })
	h := &harness{req: wire.NewWriter(reqW), events: wire.NewReader(evR), stdout: outR}
	var ready wire.Event
	if err := h.events.Read(&ready); err != nil || ready.Kind != wire.KindReady || ready.Nonce == "" {
		t.Fatalf("ready = %+v, %v", ready, err)
	}
	h.nonce = ready.Nonce
	return h
}

// next reads the next event, failing after a deadline.
func (h *harness) next(t *testing.T) wire.Event {
	t.Helper()
	ch := make(chan wire.Event, 1)
	go func() {
		var ev wire.Event
		if err := h.events.Read(&ev); err != nil {
			t.Errorf("read event: %v", err)
		}
		ch <- ev
	}()
	select {
	case ev := <-ch:
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("no event within 10s")
		return wire.Event{}
	}
}

// readUntilMark reads stdout up to the sync mark seq.
func (h *harness) readUntilMark(t *testing.T, seq uint64) string {
	t.Helper()
	mark := wire.SyncMark(h.nonce, seq)
	buf := h.rest
	b := make([]byte, 4096)
	for !bytes.Contains(buf, mark) {
		n, err := h.stdout.Read(b)
		if err != nil {
			t.Fatalf("stdout: %v", err)
		}
		buf = append(buf, b[:n]...)
	}
	i := bytes.Index(buf, mark)
	h.rest = buf[i+len(mark):]
	return string(buf[:i])
}

func TestOrderAndResult(t *testing.T) {
	h := start(t)
	h.req.Write(wire.Request{Kind: wire.KindExecute, ID: 1, Code: "fmt.Println(\"before\")\ndisplay.HTML(\"<i>x</i>\")\nfmt.Println(\"after\")\n6*7"})
	ev := h.next(t)
	if ev.Kind != wire.KindDisplay || ev.Bundle.Data["text/html"] != "<i>x</i>" {
		t.Fatalf("first event = %+v", ev)
	}
	if got := h.readUntilMark(t, ev.Sync); got != "before\n" {
		t.Errorf("output before the display = %q", got)
	}
	done := h.next(t)
	if done.Kind != wire.KindDone || done.Status != "ok" || done.Result == nil || done.Result.Data["text/plain"] != "42" {
		t.Fatalf("done = %+v", done)
	}
	if got := h.readUntilMark(t, done.Sync); got != "after\n" {
		t.Errorf("output before done = %q", got)
	}
}

func TestInputAndInterrupt(t *testing.T) {
	h := start(t)
	h.req.Write(wire.Request{Kind: wire.KindExecute, ID: 2, AllowStdin: true, Code: "var s string\nfmt.Scanln(&s)\ns"})
	ev := h.next(t)
	if ev.Kind != wire.KindInputRequest || ev.ID != 2 {
		t.Fatalf("event = %+v", ev)
	}
	h.req.Write(wire.Request{Kind: wire.KindInput, ID: 2, Value: "gopher"})
	if done := h.next(t); done.Result == nil || done.Result.Data["text/plain"] != `"gopher"` {
		t.Fatalf("done = %+v", done)
	}

	h.req.Write(wire.Request{Kind: wire.KindExecute, ID: 3, Code: "var t string\nfmt.Scanln(&t)"})
	if done := h.next(t); done.Status != "error" || done.Ename != "StdinNotAllowed" || !strings.Contains(done.Evalue, "allow_stdin is false") {
		t.Fatalf("stdin refused: %+v", done)
	}

	h.req.Write(wire.Request{Kind: wire.KindExecute, ID: 4, Code: "for {}"})
	time.Sleep(50 * time.Millisecond) // let the loop start; the test checks the reply, not the timing
	h.req.Write(wire.Request{Kind: wire.KindInterrupt, ID: 4})
	if done := h.next(t); done.Status != "error" || done.Ename != "Interrupted" {
		t.Fatalf("interrupt: %+v", done)
	}
}
