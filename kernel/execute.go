package kernel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
)

// ErrStdinNotAllowed is returned by Output.Input when the execute_request
// did not allow stdin (allow_stdin false: the front end cannot answer).
var ErrStdinNotAllowed = errors.New("stdin is not allowed for this request")

// executeContent is execute_request's content. Pointers tell a missing
// field from false, since the protocol's defaults are true.
type executeContent struct {
	Code            string            `json:"code"`
	Silent          bool              `json:"silent"`
	StoreHistory    *bool             `json:"store_history"`
	UserExpressions map[string]string `json:"user_expressions"`
	AllowStdin      *bool             `json:"allow_stdin"`
	StopOnError     *bool             `json:"stop_on_error"`
}

func orTrue(b *bool) bool { return b == nil || *b }

// execute runs one cell and reports whether it failed with stop_on_error.
func (k *kernel) execute(ch *router, m *Message) (abort bool) {
	started := now()
	var c executeContent
	if !k.decode(ch, m, &c) {
		return false
	}
	req := ExecuteRequest{
		Code:            c.Code,
		Silent:          c.Silent,
		StoreHistory:    orTrue(c.StoreHistory) && !c.Silent, // silent never stores
		AllowStdin:      orTrue(c.AllowStdin),
		StopOnError:     orTrue(c.StopOnError),
		UserExpressions: c.UserExpressions,
	}
	k.mu.Lock()
	if req.StoreHistory {
		k.count++
	}
	req.ExecutionCount = k.count
	k.mu.Unlock()

	if !req.Silent {
		k.iopub.publish(k.child(m, "execute_input", map[string]any{
			"code": req.Code, "execution_count": req.ExecutionCount,
		}))
	}
	out := &cellOutput{k: k, parent: m, req: req, stdin: ch != k.control}
	k.handlerMu.Lock()
	r := k.h.Execute(k.ctx, req, out)
	k.handlerMu.Unlock()

	if req.StoreHistory {
		k.hist.add(req.ExecutionCount, req.Code, out.resultText())
	}
	payload := r.Payload
	if payload == nil {
		payload = []map[string]any{}
	}
	reply := map[string]any{
		"status":           "ok",
		"execution_count":  req.ExecutionCount,
		"payload":          payload,
		"user_expressions": nonNilMap(r.UserExpressions),
	}
	if r.Status == "error" {
		tb := r.Traceback
		if tb == nil {
			tb = []string{}
		}
		if !req.Silent {
			k.iopub.publish(k.child(m, "error", map[string]any{
				"ename": r.Ename, "evalue": r.Evalue, "traceback": tb,
			}))
		}
		reply["status"] = "error"
		reply["ename"] = r.Ename
		reply["evalue"] = r.Evalue
		reply["traceback"] = tb
	}
	abort = r.Status == "error" && req.StopOnError
	if abort && ch == k.shell {
		// What is queued now was sent before the client could know the
		// cell failed; what arrives after the reply was sent knowing it.
		k.queuedAtError = len(k.shellQ)
	}
	k.replyMeta(ch, m, "execute_reply", reply, k.replyMetadata(started, reply["status"].(string)))
	return abort
}

// replyMetadata is an execute_reply's metadata, as ipykernel sends it:
// when the request started (front ends show it), and its status.
func (k *kernel) replyMetadata(started, status string) map[string]any {
	return map[string]any{
		"started":          started,
		"dependencies_met": true,
		"engine":           k.session,
		"status":           status,
	}
}

// abort answers an execute_request queued behind a failed cell without
// running it, as the protocol and ipykernel do: status "aborted" and
// nothing else, in particular no execution_count (JupyterLab would copy
// the failed cell's count into this cell's prompt).
func (k *kernel) abort(m *Message) {
	started := now()
	k.publishStatus(m, "busy")
	defer k.publishStatus(m, "idle")
	k.replyMeta(k.shell, m, "execute_reply", map[string]any{"status": "aborted"},
		k.replyMetadata(started, "aborted"))
}

// cellOutput is the Output of one execute_request: everything it
// publishes has the request as parent. When the request is silent,
// outputs are dropped (the code still runs, as in ipykernel).
type cellOutput struct {
	k      *kernel
	parent *Message
	req    ExecuteRequest
	stdin  bool // false on control: there is no stdin peer to ask

	mu     sync.Mutex // guards result
	result string     // text/plain of the last execute_result, for history
}

// active reports whether outputs are published. Output that arrives after
// Execute returned (a goroutine the cell started) is still published under
// its own cell, where JupyterLab shows it.
func (o *cellOutput) active() bool { return !o.req.Silent }

func (o *cellOutput) resultText() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.result
}

func (o *cellOutput) Stream(name, text string) {
	if text == "" || !o.active() {
		return
	}
	o.k.iopub.stream(o.k.newReply(o.parent, "stream"), name, text)
}

func (o *cellOutput) Display(b MimeBundle) {
	if o.active() {
		o.k.iopub.publish(o.k.child(o.parent, "display_data", bundleContent(b)))
	}
}

func (o *cellOutput) UpdateDisplay(b MimeBundle) {
	if o.active() {
		o.k.iopub.publish(o.k.child(o.parent, "update_display_data", bundleContent(b)))
	}
}

func (o *cellOutput) Result(b MimeBundle) {
	if !o.active() {
		return
	}
	if s, ok := b.Data["text/plain"].(string); ok {
		o.mu.Lock()
		o.result = s
		o.mu.Unlock()
	}
	c := bundleContent(b)
	c["execution_count"] = o.req.ExecutionCount
	o.k.iopub.publish(o.k.child(o.parent, "execute_result", c))
}

func (o *cellOutput) ClearOutput(wait bool) {
	if o.active() {
		o.k.iopub.publish(o.k.child(o.parent, "clear_output", map[string]bool{"wait": wait}))
	}
}

// Input asks the front end for a line on stdin. jupyter_client gives its
// shell and stdin sockets the same identity, so the request goes to the
// execute_request's identities on the stdin ROUTER.
func (o *cellOutput) Input(ctx context.Context, prompt string, password bool) (string, error) {
	if !o.req.AllowStdin || !o.stdin {
		return "", ErrStdinNotAllowed
	}
	k := o.k
	k.inputMu.Lock()
	defer k.inputMu.Unlock()
	for drained := false; !drained; { // replies to earlier, abandoned prompts
		select {
		case <-k.stdinQ:
		default:
			drained = true
		}
	}
	req := o.k.newReply(o.parent, "input_request")
	if err := req.SetContent(map[string]any{"prompt": prompt, "password": password}); err != nil {
		return "", err
	}
	if err := k.stdin.send(req); err != nil {
		return "", fmt.Errorf("input: %w", err)
	}
	for {
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-k.ctx.Done():
			return "", k.ctx.Err()
		case r := <-k.stdinQ:
			if id := r.ParentHeader.MsgID; id != "" && id != req.Header.MsgID {
				k.log.Printf("stdin: input_reply to another request ignored")
				continue
			}
			var c struct {
				Value string `json:"value"`
			}
			if err := json.Unmarshal(r.Content, &c); err != nil {
				return "", fmt.Errorf("input: bad input_reply: %w", err)
			}
			return c.Value, nil
		}
	}
}

// bundleContent is the content of display_data and friends, with metadata
// and transient never null.
func bundleContent(b MimeBundle) map[string]any {
	return map[string]any{
		"data":      nonNilMap(b.Data),
		"metadata":  nonNilMap(b.Metadata),
		"transient": nonNilMap(b.Transient),
	}
}
