package kernel

import (
	"encoding/json"
	"fmt"
)

// handle serves one request from shell or control between a busy and an
// idle status, both with the request as parent (without the parent,
// JupyterLab leaves the cell at [*]). It reports whether the request was
// an execute_request that failed with stop_on_error, so the shell loop can
// abort the requests queued behind it.
func (k *kernel) handle(ch *router, m *Message) (abort bool) {
	k.publishStatus(m, "busy")
	stop := false
	defer func() {
		k.publishStatus(m, "idle")
		if stop {
			k.requestStop(nil)
		}
	}()

	switch t := m.Header.MsgType; t {
	case "kernel_info_request":
		k.reply(ch, m, "kernel_info_reply", k.kernelInfo())
	case "execute_request":
		return k.execute(ch, m)
	case "complete_request":
		k.complete(ch, m)
	case "inspect_request":
		k.inspect(ch, m)
	case "is_complete_request":
		k.isComplete(ch, m)
	case "history_request":
		var req historyRequest
		if k.decode(ch, m, &req) {
			k.reply(ch, m, "history_reply", map[string]any{"status": "ok", "history": k.hist.query(req)})
		}
	case "comm_info_request":
		k.reply(ch, m, "comm_info_reply", map[string]any{"status": "ok", "comms": map[string]any{}})
	case "comm_open":
		k.commOpen(m)
	case "comm_msg", "comm_close":
		// No comm is ever open; ipykernel also answers nothing.
		k.log.Printf("%s: ignored %s (no comm support)", ch.name, t)
	case "interrupt_request":
		k.h.Interrupt()
		k.reply(ch, m, "interrupt_reply", map[string]any{"status": "ok"})
	case "shutdown_request":
		stop = k.shutdownRequest(ch, m)
	default:
		// As ipykernel: log and answer nothing.
		k.log.Printf("%s: unknown message type %q", ch.name, t)
	}
	return false
}

// username is the username on the kernel's own messages.
const username = "kernel"

// newReply makes a message from the kernel caused by m (see NewReply).
func (k *kernel) newReply(m *Message, msgType string) *Message {
	return m.NewReply(msgType, k.session, username)
}

// commOpen answers a comm_open: no comm targets exist, so, as ipykernel
// does for an unknown target, the comm is closed at once (on iopub), and
// the front end does not wait on a comm nobody serves.
func (k *kernel) commOpen(m *Message) {
	var req struct {
		CommID     string `json:"comm_id"`
		TargetName string `json:"target_name"`
	}
	if err := json.Unmarshal(m.Content, &req); err != nil || req.CommID == "" {
		k.log.Printf("comm_open without a comm_id: ignored")
		return
	}
	k.log.Printf("comm_open: no comm target %q: closing comm %s", req.TargetName, req.CommID)
	k.iopub.publish(k.child(m, "comm_close", map[string]any{"comm_id": req.CommID, "data": map[string]any{}}))
}

// reply sends a reply to m on ch. Failures (a client gone) are logged.
func (k *kernel) reply(ch *router, m *Message, msgType string, content any) {
	k.replyMeta(ch, m, msgType, content, nil)
}

// replyMeta sends a reply with metadata. It first waits until what iopub
// has queued is on the wire, so a client sees a request's busy status and
// outputs before its reply, as from ipykernel.
func (k *kernel) replyMeta(ch *router, m *Message, msgType string, content any, metadata map[string]any) {
	r := k.newReply(m, msgType)
	r.Metadata = metadata
	if err := r.SetContent(content); err != nil {
		k.log.Printf("%s: %v", ch.name, err)
		r.SetContent(map[string]any{"status": "error", "ename": "EncodeError", "evalue": err.Error(), "traceback": []string{}})
	}
	k.iopub.flush()
	if err := ch.send(r); err != nil {
		k.log.Printf("reply to %s: %v", m.Header.MsgType, err)
	}
}

// decode parses m's content into v. On failure it answers the request with
// an error reply and returns false.
func (k *kernel) decode(ch *router, m *Message, v any) bool {
	err := json.Unmarshal(m.Content, v)
	if err == nil {
		return true
	}
	k.log.Printf("%s: bad %s content: %v", ch.name, m.Header.MsgType, err)
	k.reply(ch, m, replyType(m.Header.MsgType), map[string]any{
		"status":    "error",
		"ename":     "BadRequest",
		"evalue":    fmt.Sprintf("bad %s content: %v", m.Header.MsgType, err),
		"traceback": []string{},
	})
	return false
}

// replyType maps foo_request to foo_reply.
func replyType(requestType string) string {
	const suffix = "_request"
	if n := len(requestType) - len(suffix); n > 0 && requestType[n:] == suffix {
		return requestType[:n] + "_reply"
	}
	return requestType + "_reply"
}

// publishStatus publishes an iopub status; parent may be nil (starting).
func (k *kernel) publishStatus(parent *Message, state string) {
	k.iopub.publish(k.child(parent, "status", map[string]string{"execution_state": state}))
}

// child makes an iopub message caused by parent (or by nobody).
func (k *kernel) child(parent *Message, msgType string, content any) *Message {
	var m *Message
	if parent == nil {
		m = &Message{Header: newHeader(msgType, k.session, username)}
	} else {
		m = k.newReply(parent, msgType)
	}
	if err := m.SetContent(content); err != nil {
		// Handler data that cannot be encoded (NaN, channels): tell the
		// user on stderr rather than lose the output silently.
		k.log.Printf("iopub: %v", err)
		m.Header.MsgType = "stream"
		m.SetContent(map[string]string{"name": "stderr", "text": fmt.Sprintf("juggler: cannot send %s: %v\n", msgType, err)})
	}
	return m
}

func (k *kernel) kernelInfo() map[string]any {
	links := k.info.HelpLinks
	if links == nil {
		links = []HelpLink{}
	}
	return map[string]any{
		"status":                 "ok",
		"protocol_version":       ProtocolVersion,
		"implementation":         k.info.Implementation,
		"implementation_version": k.info.ImplementationVersion,
		"language_info":          k.info.LanguageInfo,
		"banner":                 k.info.Banner,
		"help_links":             links,
		"debugger":               false,
	}
}

func (k *kernel) complete(ch *router, m *Message) {
	var req struct {
		Code      string `json:"code"`
		CursorPos int    `json:"cursor_pos"`
	}
	if !k.decode(ch, m, &req) {
		return
	}
	k.handlerMu.Lock()
	r := k.h.Complete(k.ctx, req.Code, req.CursorPos)
	k.handlerMu.Unlock()
	md := nonNilMap(r.Metadata)
	if _, ok := md[typesKey]; !ok {
		md[typesKey] = completionTypes(r)
	}
	k.reply(ch, m, "complete_reply", map[string]any{
		"status":       "ok",
		"matches":      nonNilStrings(r.Matches),
		"cursor_start": r.CursorStart,
		"cursor_end":   r.CursorEnd,
		"metadata":     md,
	})
}

// typesKey is the complete_reply metadata JupyterLab reads the kinds of
// matches from (ipykernel sends it too).
const typesKey = "_jupyter_types_experimental"

// completionTypes is one entry per match: the text, the range it replaces
// and its kind ("<unknown>" when the Handler did not say, as ipykernel).
func completionTypes(r CompleteReply) []map[string]any {
	out := make([]map[string]any, len(r.Matches))
	for i, text := range r.Matches {
		kind := "<unknown>"
		if i < len(r.Types) && r.Types[i] != "" {
			kind = r.Types[i]
		}
		out[i] = map[string]any{"start": r.CursorStart, "end": r.CursorEnd, "text": text, "type": kind}
	}
	return out
}

func (k *kernel) inspect(ch *router, m *Message) {
	var req struct {
		Code        string `json:"code"`
		CursorPos   int    `json:"cursor_pos"`
		DetailLevel int    `json:"detail_level"`
	}
	if !k.decode(ch, m, &req) {
		return
	}
	k.handlerMu.Lock()
	r := k.h.Inspect(k.ctx, req.Code, req.CursorPos, req.DetailLevel)
	k.handlerMu.Unlock()
	k.reply(ch, m, "inspect_reply", map[string]any{
		"status":   "ok",
		"found":    r.Found,
		"data":     nonNilMap(r.Data),
		"metadata": nonNilMap(r.Metadata),
	})
}

func (k *kernel) isComplete(ch *router, m *Message) {
	var req struct {
		Code string `json:"code"`
	}
	if !k.decode(ch, m, &req) {
		return
	}
	k.handlerMu.Lock()
	r := k.h.IsComplete(k.ctx, req.Code)
	k.handlerMu.Unlock()
	content := map[string]any{"status": r.Status}
	if r.Status == "" {
		content["status"] = "unknown"
	}
	if r.Status == "incomplete" {
		content["indent"] = r.Indent
	}
	k.reply(ch, m, "is_complete_reply", content)
}

// shutdownRequest releases the Handler, replies on the channel the request
// came on, and stops the kernel, with restart too: as with ipykernel, the
// client starts a new kernel process for a restart, and waits for this one
// to exit before it does (2.5 s and a SIGTERM later if it does not).
func (k *kernel) shutdownRequest(ch *router, m *Message) (stop bool) {
	var req struct {
		Restart bool `json:"restart"`
	}
	if !k.decode(ch, m, &req) {
		return false
	}
	k.mu.Lock()
	k.shutdown = true
	k.mu.Unlock()
	k.h.Shutdown(req.Restart)
	k.reply(ch, m, "shutdown_reply", map[string]any{"status": "ok", "restart": req.Restart})
	return true
}

func nonNilMap(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
