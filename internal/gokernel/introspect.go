package gokernel

import (
	"context"

	"github.com/juggler-kernel/juggler/internal/introspect"
	"github.com/juggler-kernel/juggler/kernel"
)

// scope is what the session has defined: the cells that succeeded.
func (h *Handler) scope() introspect.Scope {
	h.mu.Lock()
	defer h.mu.Unlock()
	return introspect.Scope{Cells: h.cells.all()}
}

// Complete answers complete_request from the source of the session's
// cells; it never waits for the worker.
func (h *Handler) Complete(ctx context.Context, code string, cursorPos int) kernel.CompleteReply {
	scope := h.scope()
	matches, start, end := introspect.Complete(scope, code, cursorPos)
	if matches == nil {
		matches = []string{}
	}
	return kernel.CompleteReply{Matches: matches, CursorStart: start, CursorEnd: end,
		Types: introspect.Kinds(scope, code, cursorPos, matches), Metadata: map[string]any{}}
}

// Inspect answers inspect_request (Shift-Tab).
func (h *Handler) Inspect(ctx context.Context, code string, cursorPos, detailLevel int) kernel.InspectReply {
	in, found := introspect.Inspect(h.scope(), code, cursorPos, detailLevel)
	if !found {
		return kernel.InspectReply{Data: map[string]any{}, Metadata: map[string]any{}}
	}
	return kernel.InspectReply{
		Found:    true,
		Data:     map[string]any{"text/plain": in.Plain, "text/markdown": in.Markdown},
		Metadata: map[string]any{},
	}
}

// IsComplete answers is_complete_request.
func (h *Handler) IsComplete(ctx context.Context, code string) kernel.IsCompleteReply {
	status, indent := introspect.IsComplete(code)
	return kernel.IsCompleteReply{Status: status, Indent: indent}
}
