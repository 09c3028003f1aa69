package gokernel

import (
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/juggler-kernel/juggler/internal/cell"
	"github.com/juggler-kernel/juggler/internal/modules"
	"github.com/juggler-kernel/juggler/internal/native"
	"github.com/juggler-kernel/juggler/internal/supervisor"
	"github.com/juggler-kernel/juggler/internal/wire"
	"github.com/juggler-kernel/juggler/kernel"
)

// Version is Juggler's version, reported in kernel_info_reply.
var Version = "0.1.0"

//go:embed help.md
var helpText string

// Options configure a Handler.
type Options struct {
	// Supervisor configures the worker process.
	Supervisor supervisor.Options
	// Log receives diagnostics; nil discards them. It is also the
	// supervisor's log unless Supervisor.Log is set.
	Log *log.Logger
}

// Handler is the kernel.Handler for Go.
type Handler struct {
	log *log.Logger

	mu    sync.Mutex
	sup   *supervisor.Supervisor
	cells replayLog // every cell that succeeded, oldest first
	// restored is how many cells the last restart replayed.
	restored int
	// traceAll traces every cell (%trace on).
	traceAll bool
	// mods is the session's module directory (%go get; imports).
	mods *modules.Dir
}

// parseTrace reads the arguments of %%trace: --procs N and --out FILE.
func parseTrace(args []string) (*wire.Trace, error) {
	fs := flag.NewFlagSet("%%trace", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	t := &wire.Trace{}
	fs.IntVar(&t.Procs, "procs", 0, "GOMAXPROCS for the cell")
	fs.StringVar(&t.Out, "out", "", "file for the raw trace")
	if err := fs.Parse(args); err != nil {
		return nil, fmt.Errorf("%%%%trace: %v; usage: %%%%trace [--procs N] [--out FILE]", err)
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("%%%%trace: unexpected %q; usage: %%%%trace [--procs N] [--out FILE]", fs.Arg(0))
	}
	if t.Procs < 0 || t.Procs > 256 {
		return nil, fmt.Errorf("%%%%trace: --procs %d: want a number from 1 to 256", t.Procs)
	}
	return t, nil
}

// setTraceAll handles %trace on, %trace off and %trace (which says which).
func (h *Handler) setTraceAll(args []string, out kernel.Output) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case len(args) == 1 && args[0] == "on":
		h.traceAll = true
	case len(args) == 1 && args[0] == "off":
		h.traceAll = false
	case len(args) == 0:
	default:
		return fmt.Errorf("%%trace: want on or off, got %q", strings.Join(args, " "))
	}
	state := "off"
	if h.traceAll {
		state = "on"
	}
	out.Stream("stdout", "tracing of every cell is "+state+"\n")
	return nil
}

var _ kernel.Handler = (*Handler)(nil)

// New returns a Handler. The worker process starts with the first cell.
func New(o Options) *Handler {
	if o.Log == nil {
		o.Log = log.New(io.Discard, "", 0)
	}
	if o.Supervisor.Log == nil {
		o.Supervisor.Log = o.Log
	}
	h := &Handler{log: o.Log}
	// The module directory is made before the worker starts, so that
	// every worker of this kernel resolves imports in the same one.
	if mods, err := modules.Temp(); err != nil {
		o.Log.Printf("no module directory, imports outside the standard library will fail: %v", err)
	} else {
		h.mods = mods
		o.Supervisor.Env = append(append([]string(nil), o.Supervisor.Env...), modules.EnvDir+"="+mods.Root())
	}
	hook := o.Supervisor.OnStart
	o.Supervisor.OnStart = func(ctx context.Context, s *supervisor.Supervisor) error {
		if hook != nil {
			if err := hook(ctx, s); err != nil {
				return err
			}
		}
		return h.restore(ctx, s)
	}
	h.sup = supervisor.New(o.Supervisor)
	return h
}

// restore brings a fresh worker's session back to where the dead one was,
// by replaying silently every cell that succeeded, in order.
func (h *Handler) restore(ctx context.Context, s *supervisor.Supervisor) error {
	h.mu.Lock()
	cells := h.cells.all()
	h.restored = 0
	h.mu.Unlock()
	var failed []string
	for i, code := range cells {
		if r := s.Execute(ctx, code, false, discard{}); r.Status != "ok" {
			failed = append(failed, fmt.Sprintf("cell %d of %d: %s: %s", i+1, len(cells), r.Ename, r.Evalue))
		}
	}
	h.mu.Lock()
	h.restored = len(cells)
	h.mu.Unlock()
	if len(failed) > 0 {
		return fmt.Errorf("restoring the session, %d replayed cells failed: %s", len(failed), strings.Join(failed, "; "))
	}
	return nil
}

// goVersion is the Go version without its "go" prefix, e.g. "1.26.8".
func goVersion() string { return strings.TrimPrefix(runtime.Version(), "go") }

// Info describes Go for kernel_info_reply.
func (h *Handler) Info() kernel.Info {
	return kernel.Info{
		Implementation:        "juggler",
		ImplementationVersion: Version,
		Banner:                fmt.Sprintf("Juggler %s: Go %s in Jupyter; type %%help for help", Version, goVersion()),
		LanguageInfo: kernel.LanguageInfo{
			Name:           "go",
			Version:        goVersion(),
			Mimetype:       "text/x-go",
			FileExtension:  ".go",
			PygmentsLexer:  "go",
			CodemirrorMode: "go",
		},
		HelpLinks: []kernel.HelpLink{
			{Text: "Go documentation", URL: "https://go.dev/doc/"},
			{Text: "Go standard library", URL: "https://pkg.go.dev/std"},
			{Text: "Juggler %help", URL: "https://github.com/juggler-kernel/juggler#readme"},
		},
	}
}

// current returns the supervisor in use.
func (h *Handler) current() *supervisor.Supervisor {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.sup
}

// Execute runs one cell: magics first, then the Go code on the worker.
func (h *Handler) Execute(ctx context.Context, req kernel.ExecuteRequest, out kernel.Output) kernel.ExecuteReply {
	src := cell.Classify(req.Code)
	// The worker gets the Go code: magic lines blanked, so that every
	// position in it is the cell's.
	code := src.Text
	var payload []map[string]any
	var trace *wire.Trace
	isNative := false
	for _, m := range src.Magics {
		fields := strings.Fields(m.Text)
		switch name, args := fields[0], fields[1:]; name {
		case "%help":
			payload = append(payload, helpPayload())
		case "%%trace":
			if strings.TrimSpace(req.Code[:m.Start]) != "" {
				return errorReply("UsageError", "%%trace must be the first line of the cell", nil)
			}
			t, err := parseTrace(args)
			if err != nil {
				return errorReply("UsageError", err.Error(), nil)
			}
			trace = t
		case "%trace":
			if err := h.setTraceAll(args, out); err != nil {
				return errorReply("UsageError", err.Error(), nil)
			}
		case "%%native":
			if strings.TrimSpace(req.Code[:m.Start]) != "" {
				return errorReply("UsageError", "%%native must be the first line of the cell", nil)
			}
			if len(args) > 0 {
				return errorReply("UsageError", "%%native takes no arguments", nil)
			}
			isNative = true
		case "%go":
			if err := h.goCommand(ctx, args, out); err != nil {
				return errorReply("GoCommandError", err.Error(), nil)
			}
		default:
			return errorReply("UsageError", fmt.Sprintf("unknown magic %s; type %%help", name), nil)
		}
	}
	reply := kernel.ExecuteReply{Status: "ok", Payload: payload}
	if strings.TrimSpace(code) == "" {
		return reply
	}
	if isNative {
		// The worker builds the cell into a plugin (internal/native);
		// the marker is a comment on the magic's blanked line, so cell
		// lines keep their numbers, and a replay rebuilds it.
		code = native.Marker + code
	}
	h.mu.Lock()
	if trace == nil && h.traceAll {
		trace = &wire.Trace{}
	}
	h.mu.Unlock()

	sup := h.current()
	r := sup.ExecuteCell(ctx, supervisor.Cell{Code: code, AllowStdin: req.AllowStdin, Trace: trace, Count: req.ExecutionCount}, out)
	if r.Value != nil {
		out.Result(supervisor.MimeBundle(r.Value))
	}
	if r.Status != "ok" {
		if r.Restarted {
			h.mu.Lock()
			n := h.restored
			h.mu.Unlock()
			if n > 0 {
				r.Evalue += fmt.Sprintf("; the session was restored by replaying %d earlier cells", n)
				r.Traceback = append(r.Traceback, fmt.Sprintf("(the session was restored by replaying %d earlier cells)", n))
			}
		}
		reply = errorReply(r.Ename, r.Evalue, r.Traceback)
		reply.Payload = payload
		return reply
	}
	h.mu.Lock()
	if h.sup == sup { // not restarted meanwhile
		h.cells.add(code)
	}
	h.mu.Unlock()
	if len(req.UserExpressions) > 0 {
		reply.UserExpressions = h.userExpressions(ctx, sup, req.UserExpressions)
	}
	return reply
}

func helpPayload() map[string]any {
	return map[string]any{
		"source": "page",
		"data":   map[string]any{"text/plain": helpText, "text/markdown": helpText},
		"start":  0,
	}
}

func errorReply(ename, evalue string, tb []string) kernel.ExecuteReply {
	if len(tb) == 0 {
		tb = []string{ename + ": " + evalue}
	}
	return kernel.ExecuteReply{Status: "error", Ename: ename, Evalue: evalue, Traceback: tb}
}

// userExpressions evaluates each expression as a cell of its own whose
// streams are discarded.
func (h *Handler) userExpressions(ctx context.Context, sup *supervisor.Supervisor, exprs map[string]string) map[string]any {
	names := make([]string, 0, len(exprs))
	for name := range exprs {
		names = append(names, name)
	}
	sort.Strings(names)
	res := make(map[string]any, len(exprs))
	for _, name := range names {
		r := sup.Execute(ctx, exprs[name], false, discard{})
		if r.Status != "ok" {
			tb := r.Traceback
			if tb == nil {
				tb = []string{}
			}
			res[name] = map[string]any{"status": "error", "ename": r.Ename, "evalue": r.Evalue, "traceback": tb}
			continue
		}
		b := supervisor.MimeBundle(r.Value)
		res[name] = map[string]any{"status": "ok", "data": b.Data, "metadata": b.Metadata}
	}
	return res
}

// discard is an Output that drops everything; input is refused.
type discard struct{}

func (discard) Stream(string, string)           {}
func (discard) Display(kernel.MimeBundle)       {}
func (discard) UpdateDisplay(kernel.MimeBundle) {}
func (discard) Result(kernel.MimeBundle)        {}
func (discard) ClearOutput(bool)                {}
func (discard) Input(context.Context, string, bool) (string, error) {
	return "", errors.New("user expressions cannot read input")
}

// Interrupt stops the running cell.
func (h *Handler) Interrupt() { h.current().Interrupt() }

// Shutdown stops the worker. The kernel process ends after it, also for a
// restart (the client starts a new kernel), so nothing is kept for later.
func (h *Handler) Shutdown(restart bool) {
	if err := h.current().Close(); err != nil {
		h.log.Printf("shut down worker: %v", err)
	}
	if h.mods != nil {
		if err := h.mods.Close(); err != nil {
			h.log.Printf("remove module directory: %v", err)
		}
	}
}
