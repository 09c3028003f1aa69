package kernel

import "context"

// Handler is what a language plugs into the kernel. The kernel owns the
// sockets, framing, signing, status messages, execution counts, history and
// request ordering; the Handler only answers questions about code.
//
// Shell requests are handed to the Handler one at a time, in arrival order.
// Interrupt and Shutdown come from the control goroutine and may arrive while
// Execute is running, so they must be safe to call concurrently with it.
type Handler interface {
	// Info describes the language for kernel_info_reply.
	Info() Info
	// Execute runs one cell. It streams outputs through out while it runs and
	// returns once every output of the cell has been passed to out. A reply
	// with Status "error" makes the kernel publish the iopub error message
	// itself, so the Handler must not also call out for that error.
	Execute(ctx context.Context, req ExecuteRequest, out Output) ExecuteReply
	// Complete answers complete_request.
	Complete(ctx context.Context, code string, cursorPos int) CompleteReply
	// Inspect answers inspect_request.
	Inspect(ctx context.Context, code string, cursorPos, detailLevel int) InspectReply
	// IsComplete answers is_complete_request.
	IsComplete(ctx context.Context, code string) IsCompleteReply
	// Interrupt stops the running cell, if any.
	Interrupt()
	// Shutdown releases what the Handler holds (worker processes). The
	// kernel stops after it, also for a restart, for which the client
	// starts a new kernel process.
	Shutdown(restart bool)
}

// Info is the language part of kernel_info_reply.
type Info struct {
	Implementation        string
	ImplementationVersion string
	Banner                string
	LanguageInfo          LanguageInfo
	HelpLinks             []HelpLink
}

// LanguageInfo is kernel_info_reply's language_info.
type LanguageInfo struct {
	Name           string `json:"name"`
	Version        string `json:"version"`
	Mimetype       string `json:"mimetype"`
	FileExtension  string `json:"file_extension"`
	PygmentsLexer  string `json:"pygments_lexer"`
	CodemirrorMode string `json:"codemirror_mode"`
}

// HelpLink is one entry of kernel_info_reply's help_links.
type HelpLink struct {
	Text string `json:"text"`
	URL  string `json:"url"`
}

// ExecuteRequest is the part of execute_request a Handler needs.
type ExecuteRequest struct {
	Code            string
	Silent          bool
	StoreHistory    bool
	AllowStdin      bool
	StopOnError     bool
	UserExpressions map[string]string
	// ExecutionCount is the count this request runs under (already
	// incremented by the kernel when StoreHistory and not Silent).
	ExecutionCount int
}

// ExecuteReply is what a Handler returns for a cell.
type ExecuteReply struct {
	// Status is "ok" or "error".
	Status    string
	Ename     string
	Evalue    string
	Traceback []string
	// Payload entries, e.g. {"source": "page", "data": {...}, "start": 0}.
	Payload []map[string]any
	// UserExpressions maps each requested name to a result in the shape the
	// protocol asks for ({"status": "ok", "data": ..., "metadata": ...}).
	UserExpressions map[string]any
}

// MimeBundle is the data of display_data, update_display_data and
// execute_result: mime type to value, with metadata and transient fields.
type MimeBundle struct {
	Data      map[string]any
	Metadata  map[string]any
	Transient map[string]any
}

// Output is how a running cell reaches the front end. Every method publishes
// on iopub with the execute_request as parent.
type Output interface {
	// Stream publishes a stream message; name is "stdout" or "stderr".
	Stream(name, text string)
	// Display publishes display_data.
	Display(b MimeBundle)
	// UpdateDisplay publishes update_display_data; b.Transient must carry
	// "display_id".
	UpdateDisplay(b MimeBundle)
	// Result publishes execute_result with the request's execution count.
	Result(b MimeBundle)
	// ClearOutput publishes clear_output.
	ClearOutput(wait bool)
	// Input sends input_request on the stdin channel and waits for the
	// reply. It fails at once when the request did not allow stdin, and
	// when the cell is interrupted.
	Input(ctx context.Context, prompt string, password bool) (string, error)
}

// CompleteReply is complete_reply's content, less status.
type CompleteReply struct {
	Matches     []string
	CursorStart int
	CursorEnd   int
	// Types, when not nil, has the kind of each match ("function",
	// "keyword", "module", ...; "" when not known), for the
	// metadata._jupyter_types_experimental that JupyterLab shows as icons.
	Types    []string
	Metadata map[string]any
}

// InspectReply is inspect_reply's content, less status.
type InspectReply struct {
	Found    bool
	Data     map[string]any
	Metadata map[string]any
}

// IsCompleteReply is is_complete_reply's content.
type IsCompleteReply struct {
	// Status is "complete", "incomplete", "invalid" or "unknown".
	Status string
	// Indent is used with "incomplete".
	Indent string
}
