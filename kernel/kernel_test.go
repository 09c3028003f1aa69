package kernel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"maps"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
)

// wait is the deadline for any one expected message.
const wait = 5 * time.Second

// fakeHandler runs cells by name, so the tests can script a kernel.
type fakeHandler struct {
	k           *kernel // set before Run's goroutines start
	interrupted chan struct{}

	mu        sync.Mutex
	shutdowns []bool
}

func newFakeHandler() *fakeHandler {
	return &fakeHandler{interrupted: make(chan struct{}, 1)}
}

func (f *fakeHandler) Info() Info {
	return Info{Implementation: "fake", ImplementationVersion: "0.1", Banner: "fake kernel",
		LanguageInfo: LanguageInfo{Name: "go", Version: "1.26", Mimetype: "text/x-go", FileExtension: ".go"}}
}

func (f *fakeHandler) Execute(ctx context.Context, req ExecuteRequest, out Output) ExecuteReply {
	switch req.Code {
	case "print":
		out.Stream("stdout", "hello ")
		out.Stream("stdout", "world\n")
		out.Result(MimeBundle{Data: map[string]any{"text/plain": "42"}})
	case "display":
		out.Display(MimeBundle{Data: map[string]any{"text/html": "<b>x</b>"}, Transient: map[string]any{"display_id": "d1"}})
		out.UpdateDisplay(MimeBundle{Data: map[string]any{"text/html": "<b>y</b>"}, Transient: map[string]any{"display_id": "d1"}})
		out.ClearOutput(true)
	case "result":
		out.Result(MimeBundle{Data: map[string]any{"text/plain": "1"}})
	default:
		if text, ok := strings.CutPrefix(req.Code, "echo:"); ok {
			out.Stream("stdout", text)
		}
	case "fail":
		return ExecuteReply{Status: "error", Ename: "Boom", Evalue: "it failed", Traceback: []string{"line 1"}}
	case "fail-after-queue":
		// Fail only once two more requests wait on shell, so the abort of
		// queued requests is tested deterministically.
		deadline := time.Now().Add(wait)
		for len(f.k.shellQ) < 2 && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		return ExecuteReply{Status: "error", Ename: "Boom", Evalue: "it failed"}
	case "slow":
		select {
		case <-f.interrupted:
			return ExecuteReply{Status: "error", Ename: "Interrupted", Evalue: "interrupted"}
		case <-ctx.Done():
		case <-time.After(wait):
		}
		return ExecuteReply{Status: "error", Ename: "NotInterrupted"}
	case "input":
		v, err := out.Input(ctx, "name? ", false)
		if err != nil {
			out.Stream("stderr", "error: "+err.Error())
		} else {
			out.Stream("stdout", "hi "+v)
		}
	}
	return ExecuteReply{Status: "ok"}
}

func (f *fakeHandler) Complete(ctx context.Context, code string, cursorPos int) CompleteReply {
	return CompleteReply{Matches: []string{code + "ln"}, CursorStart: 0, CursorEnd: cursorPos}
}

func (f *fakeHandler) Inspect(ctx context.Context, code string, cursorPos, detailLevel int) InspectReply {
	return InspectReply{Found: true, Data: map[string]any{"text/plain": "doc of " + code}}
}

func (f *fakeHandler) IsComplete(ctx context.Context, code string) IsCompleteReply {
	if strings.HasSuffix(code, "{") {
		return IsCompleteReply{Status: "incomplete", Indent: "\t"}
	}
	return IsCompleteReply{Status: "complete"}
}

func (f *fakeHandler) Interrupt() {
	select {
	case f.interrupted <- struct{}{}:
	default:
	}
}

func (f *fakeHandler) Shutdown(restart bool) {
	f.mu.Lock()
	f.shutdowns = append(f.shutdowns, restart)
	f.mu.Unlock()
}

// freePorts finds n free TCP ports on 127.0.0.1.
func freePorts(t testing.TB, n int) []int {
	t.Helper()
	var ports []int
	var ls []net.Listener
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	for _, l := range ls {
		l.Close()
	}
	return ports
}

// testKernel is a running kernel and a connected client.
type testKernel struct {
	t      testing.TB
	conn   ConnectionInfo
	h      *fakeHandler
	k      *kernel
	runErr chan error
	logs   *syncBuffer
	c      *client
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startKernel runs a kernel with a fake handler on free ports. Before the
// client connects, a silent TCP connection is opened to shell: zmq4 alone
// would wait for its handshake forever and never accept the client.
func startKernel(t testing.TB, opts Options) *testKernel {
	t.Helper()
	p := freePorts(t, 5)
	conn := ConnectionInfo{Transport: "tcp", IP: "127.0.0.1", ShellPort: p[0], IOPubPort: p[1],
		StdinPort: p[2], ControlPort: p[3], HBPort: p[4], Key: "test-key", SignatureScheme: "hmac-sha256"}
	return startKernelOn(t, conn, opts)
}

func startKernelOn(t testing.TB, conn ConnectionInfo, opts Options) *testKernel {
	t.Helper()
	logs := &syncBuffer{}
	opts.Log = log.New(logs, "", 0)
	h := newFakeHandler()
	ctx, cancel := context.WithCancel(context.Background())
	k, err := newKernel(ctx, conn, h, opts)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	h.k = k
	tk := &testKernel{t: t, conn: conn, h: h, k: k, runErr: make(chan error, 1), logs: logs}
	go func() { tk.runErr <- k.run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-tk.runErr:
		case <-time.After(wait):
			t.Error("Run did not return after cancel")
		}
		if t.Failed() {
			t.Logf("kernel log:\n%s", logs.String())
		}
	})

	if conn.Transport == "tcp" {
		silent, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", conn.ShellPort))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { silent.Close() })
	}

	tk.c = newClient(t, conn, "client-1")
	tk.c.waitIOPub()
	return tk
}

// client is a Jupyter client made of zmq4 DEALER, SUB and REQ sockets.
type client struct {
	t                     testing.TB
	sign                  signer
	shell, control, stdin zmq4.Socket
	iopub                 zmq4.Socket
	shellCh, controlCh    chan *Message
	stdinCh, iopubCh      chan *Message
}

func newClient(t testing.TB, conn ConnectionInfo, id string) *client {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	c := &client{t: t, sign: signer{key: []byte(conn.Key)}}
	dial := func(s zmq4.Socket, port int) zmq4.Socket {
		if err := s.Dial(conn.Endpoint(port)); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	// jupyter_client gives shell and stdin the same identity.
	c.shell = dial(zmq4.NewDealer(ctx, zmq4.WithID(zmq4.SocketIdentity(id))), conn.ShellPort)
	c.control = dial(zmq4.NewDealer(ctx), conn.ControlPort)
	c.stdin = dial(zmq4.NewDealer(ctx, zmq4.WithID(zmq4.SocketIdentity(id))), conn.StdinPort)
	c.iopub = dial(zmq4.NewSub(ctx), conn.IOPubPort)
	if err := c.iopub.SetOption(zmq4.OptionSubscribe, ""); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cancel)
	c.shellCh, c.controlCh = c.reader(c.shell), c.reader(c.control)
	c.stdinCh, c.iopubCh = c.reader(c.stdin), c.reader(c.iopub)
	return c
}

func (c *client) reader(s zmq4.Socket) chan *Message {
	ch := make(chan *Message, 1000)
	go func() {
		for {
			raw, err := s.Recv()
			if err != nil {
				return
			}
			m, err := parseMessage(raw.Frames, c.sign)
			if err != nil {
				c.t.Errorf("client got a bad message: %v", err)
				continue
			}
			ch <- m
		}
	}()
	return ch
}

// send sends a request and returns it.
func (c *client) send(s zmq4.Socket, msgType string, content any) *Message {
	c.t.Helper()
	m := &Message{Header: newHeader(msgType, "client-session", "tester")}
	if err := m.SetContent(content); err != nil {
		c.t.Fatal(err)
	}
	c.sendMsg(s, m, c.sign)
	return m
}

func (c *client) sendMsg(s zmq4.Socket, m *Message, sg signer) {
	c.t.Helper()
	frames, err := m.frames(sg)
	if err != nil {
		c.t.Fatal(err)
	}
	if err := s.Send(zmq4.NewMsgFrom(frames...)); err != nil {
		c.t.Fatal(err)
	}
}

// recv waits for the next message on ch.
func (c *client) recv(ch chan *Message, what string) *Message {
	c.t.Helper()
	select {
	case m := <-ch:
		return m
	case <-time.After(wait):
		c.t.Fatalf("timed out waiting for %s", what)
		return nil
	}
}

// reply waits for the reply to req on ch, skipping replies to others.
func (c *client) reply(ch chan *Message, req *Message) *Message {
	c.t.Helper()
	for {
		m := c.recv(ch, "reply to "+req.Header.MsgType)
		if m.ParentHeader.MsgID == req.Header.MsgID {
			return m
		}
	}
}

// iopubUntilIdle collects iopub messages per parent until each request
// has published idle.
func (c *client) iopubUntilIdle(reqs ...*Message) map[string][]*Message {
	c.t.Helper()
	got := map[string][]*Message{}
	pending := map[string]bool{}
	for _, r := range reqs {
		pending[r.Header.MsgID] = true
	}
	for len(pending) > 0 {
		m := c.recv(c.iopubCh, "iopub idle")
		id := m.ParentHeader.MsgID
		if _, ok := pending[id]; !ok && got[id] == nil {
			continue
		}
		got[id] = append(got[id], m)
		if m.Header.MsgType == "status" && content(c.t, m)["execution_state"] == "idle" {
			delete(pending, id)
		}
	}
	return got
}

// waitIOPub sends kernel_info until an iopub message shows the
// subscription is live, as jupyter_client does: a SUB misses what is
// published before its subscription arrives.
func (c *client) waitIOPub() {
	c.t.Helper()
	deadline := time.Now().Add(wait)
	for time.Now().Before(deadline) {
		req := c.send(c.shell, "kernel_info_request", nil)
		c.reply(c.shellCh, req)
		select {
		case m := <-c.iopubCh:
			if m.ParentHeader.MsgID != req.Header.MsgID || content(c.t, m)["execution_state"] != "idle" {
				c.iopubUntilIdle(req)
			}
			return
		case <-time.After(100 * time.Millisecond):
		}
	}
	c.t.Fatal("iopub never delivered a message")
}

func content(t testing.TB, m *Message) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(m.Content, &v); err != nil {
		t.Fatalf("%s content: %v", m.Header.MsgType, err)
	}
	return v
}

// types lists the msg_types of msgs, with the state for status messages.
func types(t testing.TB, msgs []*Message) string {
	var s []string
	for _, m := range msgs {
		if m.Header.MsgType == "status" {
			s = append(s, fmt.Sprint(content(t, m)["execution_state"]))
		} else {
			s = append(s, m.Header.MsgType)
		}
	}
	return strings.Join(s, ",")
}

func TestKernelInfo(t *testing.T) {
	tk := startKernel(t, Options{})
	c := tk.c
	for _, s := range []struct {
		name string
		sock zmq4.Socket
		ch   chan *Message
	}{{"shell", c.shell, c.shellCh}, {"control", c.control, c.controlCh}} {
		req := c.send(s.sock, "kernel_info_request", nil)
		r := c.reply(s.ch, req)
		v := content(t, r)
		if r.Header.MsgType != "kernel_info_reply" || v["status"] != "ok" || v["protocol_version"] != "5.4" ||
			v["implementation"] != "fake" || v["language_info"].(map[string]any)["name"] != "go" {
			t.Errorf("%s: kernel_info_reply = %s", s.name, r.Content)
		}
		if _, ok := v["help_links"].([]any); !ok {
			t.Errorf("%s: help_links = %v, want a list", s.name, v["help_links"])
		}
		if got := types(t, c.iopubUntilIdle(req)[req.Header.MsgID]); got != "busy,idle" {
			t.Errorf("%s: iopub = %s, want busy,idle", s.name, got)
		}
	}
}

func TestExecute(t *testing.T) {
	tk := startKernel(t, Options{})
	c := tk.c

	req := c.send(c.shell, "execute_request", map[string]any{"code": "print", "silent": false})
	r := content(t, c.reply(c.shellCh, req))
	if r["status"] != "ok" || r["execution_count"] != 1.0 {
		t.Errorf("execute_reply = %v", r)
	}
	if p, ok := r["payload"].([]any); !ok || len(p) != 0 {
		t.Errorf("payload = %v, want []", r["payload"])
	}
	if ue, ok := r["user_expressions"].(map[string]any); !ok || len(ue) != 0 {
		t.Errorf("user_expressions = %v, want {}", r["user_expressions"])
	}
	msgs := c.iopubUntilIdle(req)[req.Header.MsgID]
	if got, want := types(t, msgs), "busy,execute_input,stream,execute_result,idle"; got != want {
		t.Fatalf("iopub = %s, want %s", got, want)
	}
	if v := content(t, msgs[1]); v["code"] != "print" || v["execution_count"] != 1.0 {
		t.Errorf("execute_input = %v", v)
	}
	// The two writes arrive as one stream message (coalesced) or in order.
	if v := content(t, msgs[2]); v["name"] != "stdout" || v["text"] != "hello world\n" {
		t.Errorf("stream = %v", v)
	}
	if v := content(t, msgs[3]); v["execution_count"] != 1.0 || v["data"].(map[string]any)["text/plain"] != "42" {
		t.Errorf("execute_result = %v", v)
	}
	if _, ok := content(t, msgs[3])["metadata"].(map[string]any); !ok {
		t.Errorf("execute_result metadata = %s, want {}", msgs[3].Content)
	}

	// display, update and clear keep their parent and transient fields.
	req = c.send(c.shell, "execute_request", map[string]any{"code": "display"})
	c.reply(c.shellCh, req)
	msgs = c.iopubUntilIdle(req)[req.Header.MsgID]
	if got, want := types(t, msgs), "busy,execute_input,display_data,update_display_data,clear_output,idle"; got != want {
		t.Errorf("iopub = %s, want %s", got, want)
	}
	if v := content(t, msgs[3]); v["transient"].(map[string]any)["display_id"] != "d1" {
		t.Errorf("update_display_data = %v", v)
	}

	// Silent: the code runs, nothing is published, the count stays.
	req = c.send(c.shell, "execute_request", map[string]any{"code": "print", "silent": true})
	if r := content(t, c.reply(c.shellCh, req)); r["execution_count"] != 2.0 {
		t.Errorf("silent execute_reply = %v, want count 2 (unchanged)", r)
	}
	if got := types(t, c.iopubUntilIdle(req)[req.Header.MsgID]); got != "busy,idle" {
		t.Errorf("silent iopub = %s, want busy,idle", got)
	}

	// History, with outputs.
	req = c.send(c.shell, "history_request", map[string]any{"hist_access_type": "tail", "n": 10, "output": true, "raw": true})
	h := content(t, c.reply(c.shellCh, req))
	if got := fmt.Sprint(h["history"]); got != "[[1 1 [print 42]] [1 2 [display <nil>]]]" {
		t.Errorf("history = %s", got)
	}
}

func TestExecuteErrorAbortsQueue(t *testing.T) {
	tk := startKernel(t, Options{})
	c := tk.c
	bad := c.send(c.shell, "execute_request", map[string]any{"code": "fail-after-queue"})
	q1 := c.send(c.shell, "execute_request", map[string]any{"code": "print"})
	q2 := c.send(c.shell, "execute_request", map[string]any{"code": "print"})

	r := content(t, c.reply(c.shellCh, bad))
	if r["status"] != "error" || r["ename"] != "Boom" || r["execution_count"] != 1.0 {
		t.Errorf("failed execute_reply = %v", r)
	}
	for _, q := range []*Message{q1, q2} {
		m := c.reply(c.shellCh, q)
		// The protocol's abort: status only, no execution_count.
		if r := content(t, m); len(r) != 1 || r["status"] != "aborted" {
			t.Errorf("queued execute_reply = %v, want just status aborted", r)
		}
		if m.Metadata["status"] != "aborted" || m.Metadata["started"] == nil {
			t.Errorf("queued execute_reply metadata = %v", m.Metadata)
		}
	}
	io := c.iopubUntilIdle(bad, q1, q2)
	if got, want := types(t, io[bad.Header.MsgID]), "busy,execute_input,error,idle"; got != want {
		t.Errorf("failed cell iopub = %s, want %s", got, want)
	}
	errMsg := io[bad.Header.MsgID][2]
	if v := content(t, errMsg); v["ename"] != "Boom" || v["evalue"] != "it failed" {
		t.Errorf("error = %v", v)
	}
	for _, q := range []*Message{q1, q2} {
		if got := types(t, io[q.Header.MsgID]); got != "busy,idle" {
			t.Errorf("aborted iopub = %s, want busy,idle", got)
		}
	}

	// The abort ends with the queue: the next request runs, and a plain
	// failure with stop_on_error false aborts nothing.
	req := c.send(c.shell, "execute_request", map[string]any{"code": "print"})
	if r := content(t, c.reply(c.shellCh, req)); r["status"] != "ok" || r["execution_count"] != 2.0 {
		t.Errorf("execute after abort = %v", r)
	}
	req = c.send(c.shell, "execute_request", map[string]any{"code": "fail", "stop_on_error": false})
	if r := content(t, c.reply(c.shellCh, req)); r["status"] != "error" || r["traceback"].([]any)[0] != "line 1" {
		t.Errorf("fail reply = %v", r)
	}
}

func TestInterruptWhileRunning(t *testing.T) {
	tk := startKernel(t, Options{})
	c := tk.c
	slow := c.send(c.shell, "execute_request", map[string]any{"code": "slow"})
	// Wait until the cell runs.
	for m := c.recv(c.iopubCh, "execute_input"); m.Header.MsgType != "execute_input"; m = c.recv(c.iopubCh, "execute_input") {
	}
	// Control answers while the cell runs: kernel_info, then interrupt.
	ki := c.send(c.control, "kernel_info_request", nil)
	if r := c.reply(c.controlCh, ki); r.Header.MsgType != "kernel_info_reply" {
		t.Errorf("control reply = %s", r.Header.MsgType)
	}
	ir := c.send(c.control, "interrupt_request", nil)
	if r := c.reply(c.controlCh, ir); r.Header.MsgType != "interrupt_reply" || content(t, r)["status"] != "ok" {
		t.Errorf("interrupt_reply = %s %s", r.Header.MsgType, r.Content)
	}
	// The slow cell can only end by the interrupt.
	if r := content(t, c.reply(c.shellCh, slow)); r["ename"] != "Interrupted" {
		t.Errorf("slow execute_reply = %v, want Interrupted", r)
	}
}

func TestStdin(t *testing.T) {
	tk := startKernel(t, Options{})
	c := tk.c
	req := c.send(c.shell, "execute_request", map[string]any{"code": "input", "allow_stdin": true})
	ir := c.recv(c.stdinCh, "input_request")
	if ir.Header.MsgType != "input_request" || ir.ParentHeader.MsgID != req.Header.MsgID {
		t.Fatalf("got %s with parent %s", ir.Header.MsgType, ir.ParentHeader.MsgID)
	}
	if v := content(t, ir); v["prompt"] != "name? " || v["password"] != false {
		t.Errorf("input_request = %v", v)
	}
	rep := ir.NewReply("input_reply", "client-session", "tester")
	rep.Identities = nil
	rep.SetContent(map[string]any{"value": "Ada"})
	c.sendMsg(c.stdin, rep, c.sign)
	c.reply(c.shellCh, req)
	msgs := c.iopubUntilIdle(req)[req.Header.MsgID]
	if got := types(t, msgs); got != "busy,execute_input,stream,idle" {
		t.Fatalf("iopub = %s", got)
	}
	if v := content(t, msgs[2]); v["text"] != "hi Ada" {
		t.Errorf("stream = %v", v)
	}

	// allow_stdin false: Input fails at once.
	req = c.send(c.shell, "execute_request", map[string]any{"code": "input", "allow_stdin": false})
	c.reply(c.shellCh, req)
	msgs = c.iopubUntilIdle(req)[req.Header.MsgID]
	if len(msgs) < 3 || !strings.Contains(fmt.Sprint(content(t, msgs[2])["text"]), ErrStdinNotAllowed.Error()) {
		t.Errorf("allow_stdin false: iopub = %s", types(t, msgs))
	}
}

func TestCompleteInspectIsComplete(t *testing.T) {
	tk := startKernel(t, Options{})
	c := tk.c
	tests := []struct {
		msgType string
		content map[string]any
		want    string
	}{
		{"complete_request", map[string]any{"code": "fmt.Print", "cursor_pos": 9},
			// The fake Handler gives no Types: each match's kind is unknown.
			`{"cursor_end":9,"cursor_start":0,"matches":["fmt.Println"],"metadata":{"_jupyter_types_experimental":[{"end":9,"start":0,"text":"fmt.Println","type":"\u003cunknown\u003e"}]},"status":"ok"}`},
		{"inspect_request", map[string]any{"code": "fmt", "cursor_pos": 3, "detail_level": 0},
			`{"data":{"text/plain":"doc of fmt"},"found":true,"metadata":{},"status":"ok"}`},
		{"is_complete_request", map[string]any{"code": "func f() {"},
			`{"indent":"\t","status":"incomplete"}`},
		{"comm_info_request", map[string]any{}, `{"comms":{},"status":"ok"}`},
	}
	for _, tt := range tests {
		req := c.send(c.shell, tt.msgType, tt.content)
		r := c.reply(c.shellCh, req)
		// Re-encode to compare with sorted keys.
		got, _ := json.Marshal(content(t, r))
		if string(got) != tt.want {
			t.Errorf("%s: got %s, want %s", tt.msgType, got, tt.want)
		}
		if g := types(t, c.iopubUntilIdle(req)[req.Header.MsgID]); g != "busy,idle" {
			t.Errorf("%s: iopub = %s", tt.msgType, g)
		}
	}
}

func TestBadMessagesIgnored(t *testing.T) {
	tk := startKernel(t, Options{})
	c := tk.c
	// Signed with the wrong key: must not run.
	forged := &Message{Header: newHeader("execute_request", "s", "u")}
	forged.SetContent(map[string]any{"code": "print"})
	c.sendMsg(c.shell, forged, signer{key: []byte("wrong")})
	// No delimiter, too few frames, bad JSON.
	for _, frames := range [][][]byte{
		{[]byte("junk")},
		{delimiter, []byte("sig")},
		wire("test-key", nil, "{", "{}", "{}", "{}", nil),
	} {
		if err := c.shell.Send(zmq4.NewMsgFrom(frames...)); err != nil {
			t.Fatal(err)
		}
	}
	// A raw connection declaring a huge frame is cut off, not allocated.
	raw, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", tk.conn.ShellPort))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	greeting := make([]byte, greetingLen)
	greeting[0], greeting[9], greeting[10] = 0xff, 0x7f, 3
	copy(greeting[12:], "NULL")
	raw.Write(append(greeting, 0x02, 0x40, 0, 0, 0, 0, 0, 0, 0))

	req := c.send(c.shell, "kernel_info_request", nil)
	if r := c.recv(c.shellCh, "kernel_info_reply"); r.ParentHeader.MsgID != req.Header.MsgID {
		t.Errorf("first reply is to %s (%s), want the kernel_info_request", r.ParentHeader.MsgID, r.Header.MsgType)
	}
	// The forged execute never ran: the next execution count is 1.
	ex := c.send(c.shell, "execute_request", map[string]any{"code": "print"})
	if r := content(t, c.reply(c.shellCh, ex)); r["execution_count"] != 1.0 {
		t.Errorf("execution_count = %v, want 1", r["execution_count"])
	}
	logs := tk.logs.String()
	if n := strings.Count(logs, "dropped message"); n != 4 {
		t.Errorf("%d drop log lines, want 4:\n%s", n, logs)
	}
	// The raw connection was closed by the kernel.
	raw.SetReadDeadline(time.Now().Add(wait))
	if _, err := io.ReadAll(raw); err != nil {
		t.Errorf("oversized frame: connection not closed: %v", err)
	}
}

func TestHeartbeat(t *testing.T) {
	tk := startKernel(t, Options{})
	req := zmq4.NewReq(context.Background())
	defer req.Close()
	if err := req.Dial(tk.conn.Endpoint(tk.conn.HBPort)); err != nil {
		t.Fatal(err)
	}
	if err := req.Send(zmq4.NewMsgString("ping")); err != nil {
		t.Fatal(err)
	}
	got := make(chan string, 1)
	go func() {
		m, err := req.Recv()
		if err == nil {
			got <- string(m.Bytes())
		}
	}()
	select {
	case s := <-got:
		if s != "ping" {
			t.Errorf("heartbeat echoed %q", s)
		}
	case <-time.After(wait):
		t.Fatal("no heartbeat echo")
	}
}

func TestShutdown(t *testing.T) {
	for _, tc := range []struct {
		name    string
		restart bool
		control bool
	}{
		{"restart on shell", true, false},
		{"shutdown on control", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tk := startKernel(t, Options{})
			c := tk.c
			sock, ch := c.shell, c.shellCh
			if tc.control {
				sock, ch = c.control, c.controlCh
			}
			// Reply, idle, then Run returns nil: a restart is a new process,
			// started by the client once this one has exited.
			req := c.send(sock, "shutdown_request", map[string]any{"restart": tc.restart})
			if r := content(t, c.reply(ch, req)); r["restart"] != tc.restart || r["status"] != "ok" {
				t.Errorf("shutdown_reply = %v", r)
			}
			c.iopubUntilIdle(req)
			select {
			case err := <-tk.runErr:
				if err != nil {
					t.Errorf("Run = %v, want nil", err)
				}
				tk.runErr <- err // for the cleanup
			case <-time.After(wait):
				t.Fatal("Run did not return after shutdown_request")
			}
			tk.h.mu.Lock()
			defer tk.h.mu.Unlock()
			if want := fmt.Sprint([]bool{tc.restart}); fmt.Sprint(tk.h.shutdowns) != want {
				t.Errorf("Handler.Shutdown calls = %v, want %s", tk.h.shutdowns, want)
			}
		})
	}
}

func TestRunBadAddress(t *testing.T) {
	conn := ConnectionInfo{IP: "203.0.113.1", ShellPort: 1, IOPubPort: 2, StdinPort: 3, ControlPort: 4, HBPort: 5}
	err := Run(context.Background(), conn, newFakeHandler(), Options{Log: log.New(io.Discard, "", 0)})
	if err == nil || !strings.Contains(err.Error(), "shell") {
		t.Errorf("Run = %v, want a listen error naming shell", err)
	}
	if errors.Is(err, context.Canceled) {
		t.Errorf("unexpected cancellation: %v", err)
	}
}

func TestIPCTransport(t *testing.T) {
	conn := ConnectionInfo{Transport: "ipc", IP: filepath.Join(t.TempDir(), "kernel"), ShellPort: 1, IOPubPort: 2,
		StdinPort: 3, ControlPort: 4, HBPort: 5, Key: "k"}
	tk := startKernelOn(t, conn, Options{})
	c := tk.c
	req := c.send(c.control, "kernel_info_request", nil)
	if r := c.reply(c.controlCh, req); r.Header.MsgType != "kernel_info_reply" {
		t.Errorf("reply = %s", r.Header.MsgType)
	}
	if _, err := os.Stat(conn.IP + "-1"); err != nil {
		t.Errorf("ipc socket file: %v", err)
	}
}

func TestExitWhenParentDies(t *testing.T) {
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skipf("cannot run a child process: %v", err)
	}
	// The child has been waited for, so its pid names no process.
	t.Setenv("JPY_PARENT_PID", strconv.Itoa(cmd.Process.Pid))
	tk := startKernel(t, Options{})
	select {
	case err := <-tk.runErr:
		if err != nil {
			t.Errorf("Run = %v, want nil", err)
		}
		tk.runErr <- err
	case <-time.After(wait):
		t.Fatal("Run did not return after the parent died")
	}
	tk.h.mu.Lock()
	defer tk.h.mu.Unlock()
	if fmt.Sprint(tk.h.shutdowns) != "[false]" {
		t.Errorf("Handler.Shutdown calls = %v, want [false]", tk.h.shutdowns)
	}
}

// TestKernelSession checks that everything the kernel sends carries its
// own session id, whoever asked, and a parent header that is the request's
// header as sent, fields the kernel does not know included.
func TestKernelSession(t *testing.T) {
	tk := startKernel(t, Options{})
	c1 := tk.c
	c2 := newClient(t, tk.conn, "client-2")
	c2.waitIOPub()

	// A header with a field the kernel does not know, as JupyterLab sends.
	header := (`{"msg_id":"raw-1","session":"other-session","username":"u","date":"","msg_type":"execute_request","version":"5.4","subshell_id":null,"extra":{"a":[1,2]}}`)
	body := `{"code":"print"}`
	s := c2.sign
	frames := [][]byte{delimiter, s.sign([]byte(header), []byte("{}"), []byte("{}"), []byte(body)),
		[]byte(header), []byte("{}"), []byte("{}"), []byte(body)}
	if err := c2.shell.Send(zmq4.NewMsgFrom(frames...)); err != nil {
		t.Fatal(err)
	}
	req1 := c1.send(c1.shell, "execute_request", map[string]any{"code": "print"})

	var raw Message
	raw.Header.MsgID = "raw-1"
	r2 := c2.reply(c2.shellCh, &raw)
	r1 := c1.reply(c1.shellCh, req1)
	io := c1.iopubUntilIdle(&raw, req1)
	session := r1.Header.Session
	if session == "client-session" || session == "other-session" || session == "" {
		t.Fatalf("reply session %q is the requester's, want the kernel's own", session)
	}
	all := []*Message{r1, r2}
	for _, ms := range io {
		all = append(all, ms...)
	}
	for _, m := range all {
		if m.Header.Session != session {
			t.Errorf("%s has session %q, want %q", m.Header.MsgType, m.Header.Session, session)
		}
	}
	var parent map[string]any
	if err := json.Unmarshal(r2.rawParent, &parent); err != nil {
		t.Fatal(err)
	}
	var want map[string]any
	json.Unmarshal([]byte(header), &want)
	if fmt.Sprint(parent) != fmt.Sprint(want) {
		t.Errorf("parent header = %v, want the request's header %v", parent, want)
	}
}

// TestCommOpenClosed: a comm_open to a target the kernel does not have is
// answered with comm_close on iopub, as ipykernel does.
func TestCommOpenClosed(t *testing.T) {
	tk := startKernel(t, Options{})
	c := tk.c
	req := c.send(c.shell, "comm_open", map[string]any{"comm_id": "c-1", "target_name": "jupyter.widget", "data": map[string]any{}})
	io := c.iopubUntilIdle(req)[req.Header.MsgID]
	if got := types(t, io); got != "busy,comm_close,idle" {
		t.Fatalf("iopub = %s, want busy,comm_close,idle", got)
	}
	if v := content(t, io[1]); v["comm_id"] != "c-1" {
		t.Errorf("comm_close = %v", v)
	}
}

// TestRepliesWaitForIOPub: a reply leaves once the iopub messages
// published before it have been written to the subscriber's connection;
// the wire watch sees each of them go (rather than the wait timing out).
func TestRepliesWaitForIOPub(t *testing.T) {
	tk := startKernel(t, Options{})
	c := tk.c
	p := tk.k.iopub
	for range 5 {
		req := c.send(c.shell, "execute_request", map[string]any{"code": "result", "silent": false})
		c.reply(c.shellCh, req)
		c.iopubUntilIdle(req)
		p.mu.Lock()
		handed := p.handed
		p.mu.Unlock()
		// The client has every message, idle included, so the watch sees
		// each written (it hears of idle just after the write returns).
		deadline := time.Now().Add(wait)
		for {
			p.watch.mu.Lock()
			seen := maps.Clone(p.watch.seen)
			deaf := len(p.watch.deaf)
			p.watch.mu.Unlock()
			if len(seen) != 1 || deaf != 0 {
				t.Fatalf("watch has %d iopub connections (%d deaf), want 1", len(seen), deaf)
			}
			var done uint64
			for _, done = range seen {
			}
			if done >= handed {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("watch saw message %d written, %d were handed to zmq4", done, handed)
			}
			time.Sleep(time.Millisecond)
		}
	}
	// A flush with nothing queued returns at once.
	start := time.Now()
	p.flush()
	if d := time.Since(start); d >= flushTimeout {
		t.Errorf("flush with nothing queued took %v", d)
	}
}

// TestSilentSubscriberCostsOneWait: a SUB that never subscribes is sent
// nothing, so no reply can wait for it to write; after one flushTimeout it
// is left out of the waits until it writes something.
func TestSilentSubscriberCostsOneWait(t *testing.T) {
	tk := startKernel(t, Options{})
	c := tk.c
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	silent := zmq4.NewSub(ctx)
	defer silent.Close()
	if err := silent.Dial(tk.conn.Endpoint(tk.conn.IOPubPort)); err != nil {
		t.Fatal(err)
	}
	// Wait until the kernel has the connection.
	deadline := time.Now().Add(wait)
	for {
		tk.k.iopub.watch.mu.Lock()
		n := len(tk.k.iopub.watch.seen)
		tk.k.iopub.watch.mu.Unlock()
		if n == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("kernel has %d iopub connections, want 2", n)
		}
		time.Sleep(10 * time.Millisecond)
	}
	const rounds = 30
	start := time.Now()
	for range rounds {
		req := c.send(c.shell, "kernel_info_request", nil)
		c.reply(c.shellCh, req)
		c.iopubUntilIdle(req)
	}
	// One wait of flushTimeout, not one per reply (which would take
	// rounds*flushTimeout).
	if d := time.Since(start); d > rounds*flushTimeout/2 {
		t.Errorf("%d round trips took %v with a silent subscriber", rounds, d)
	}
}
