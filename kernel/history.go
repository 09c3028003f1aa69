package kernel

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"sync"
)

// historyEntry is one stored execution. It is also the JSON-lines record
// of the history file.
type historyEntry struct {
	Session int    `json:"session"`
	Line    int    `json:"line"`
	Input   string `json:"input"`
	Output  string `json:"output,omitempty"`
}

// history is the kernel's input history, kept by the kernel itself (as
// IPython's HistoryManager does) so that it works for any language. It
// holds every session loaded from the file plus the current one.
type history struct {
	mu      sync.Mutex
	entries []historyEntry // ordered by session, then line
	session int            // current session number
	path    string         // JSON-lines file; "" keeps history in memory
	log     *log.Logger

	fileMu sync.Mutex // guards file and serialises appends
	file   *os.File   // path opened for appending, at the first entry
}

// openHistory loads path (if set and present) and starts a new session
// numbered one past the last one stored. Problems are logged: history is a
// convenience and must never stop the kernel.
func openHistory(path string, l *log.Logger) *history {
	h := &history{path: path, log: l}
	if path != "" {
		if err := h.load(); err != nil {
			l.Printf("history: %v", err)
		}
	}
	for _, e := range h.entries {
		h.session = max(h.session, e.Session)
	}
	h.session++
	return h
}

func (h *history) load() error {
	f, err := os.Open(h.path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 64<<20)
	bad := 0
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var e historyEntry
		if err := json.Unmarshal(line, &e); err != nil || e.Session <= 0 {
			bad++
			continue
		}
		h.entries = append(h.entries, e)
	}
	if bad > 0 {
		h.log.Printf("history: skipped %d malformed lines in %s", bad, h.path)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("load %s: %w", h.path, err)
	}
	return nil
}

// add records one execution in the current session and appends it to the
// history file.
func (h *history) add(line int, input, output string) {
	h.mu.Lock()
	e := historyEntry{Session: h.session, Line: line, Input: input, Output: output}
	h.entries = append(h.entries, e)
	h.mu.Unlock()
	if h.path == "" {
		return
	}
	if err := h.appendFile(e); err != nil {
		h.log.Printf("history: %v", err)
	}
}

func (h *history) appendFile(e historyEntry) error {
	b, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("encode entry: %w", err)
	}
	h.fileMu.Lock()
	defer h.fileMu.Unlock()
	// The file stays open: opening it for every cell cost more than the
	// rest of a trivial cell's bookkeeping. O_APPEND keeps each line whole
	// even if another kernel appends to the same file.
	if h.file == nil {
		f, err := os.OpenFile(h.path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
		if err != nil {
			return fmt.Errorf("append: %w", err)
		}
		h.file = f
	}
	if _, err := h.file.Write(append(b, '\n')); err != nil {
		// Reopen next time: the file may have been removed or replaced.
		h.file.Close()
		h.file = nil
		return fmt.Errorf("append %s: %w", h.path, err)
	}
	return nil
}

// close closes the history file; a later entry opens it again.
func (h *history) close() {
	h.fileMu.Lock()
	defer h.fileMu.Unlock()
	if h.file != nil {
		if err := h.file.Close(); err != nil {
			h.log.Printf("history: close %s: %v", h.path, err)
		}
		h.file = nil
	}
}

// historyRequest is history_request's content.
type historyRequest struct {
	Output         bool   `json:"output"`
	Raw            bool   `json:"raw"`
	HistAccessType string `json:"hist_access_type"`
	Session        int    `json:"session"`
	Start          int    `json:"start"`
	Stop           *int   `json:"stop"`
	N              *int   `json:"n"`
	Pattern        string `json:"pattern"`
	Unique         bool   `json:"unique"`
}

// query answers a history request with IPython's shapes: [session, line,
// input], or [session, line, [input, output]] when output is asked for
// (output null when there was none). Raw is ignored: inputs are stored as
// typed.
func (h *history) query(r historyRequest) [][]any {
	h.mu.Lock()
	defer h.mu.Unlock()
	var sel []historyEntry
	switch r.HistAccessType {
	case "tail":
		sel = lastN(h.entries, r.N)
	case "range":
		sel = h.rangeOf(r.Session, r.Start, r.Stop)
	case "search":
		sel = h.search(r.Pattern, r.Unique, r.N)
	}
	out := make([][]any, 0, len(sel))
	for _, e := range sel {
		if r.Output {
			var o any
			if e.Output != "" {
				o = e.Output
			}
			out = append(out, []any{e.Session, e.Line, []any{e.Input, o}})
		} else {
			out = append(out, []any{e.Session, e.Line, e.Input})
		}
	}
	return out
}

// lastN returns the last n entries (all of them when n is unset).
func lastN(es []historyEntry, n *int) []historyEntry {
	if n == nil || *n >= len(es) {
		return es
	}
	if *n <= 0 {
		return nil
	}
	return es[len(es)-*n:]
}

// rangeOf returns lines start <= line < stop of a session; session 0 is
// the current one and a negative session counts back from it, as in
// IPython's get_range. A missing stop means to the end of the session.
func (h *history) rangeOf(session, start int, stop *int) []historyEntry {
	if session <= 0 {
		session += h.session
	}
	var out []historyEntry
	for _, e := range h.entries {
		if e.Session != session || e.Line < start || stop != nil && e.Line >= *stop {
			continue
		}
		out = append(out, e)
	}
	return out
}

// search returns entries whose input matches the glob pattern (* and ?,
// as SQLite GLOB in IPython), the most recent n of them; with unique only
// the latest of identical inputs is kept. Results are oldest first.
func (h *history) search(pattern string, unique bool, n *int) []historyEntry {
	if pattern == "" {
		pattern = "*"
	}
	var rev []historyEntry // newest first
	seen := map[string]bool{}
	for i := len(h.entries) - 1; i >= 0; i-- {
		e := h.entries[i]
		if !globMatch(pattern, e.Input) {
			continue
		}
		if unique {
			if seen[e.Input] {
				continue
			}
			seen[e.Input] = true
		}
		rev = append(rev, e)
		if n != nil && *n > 0 && len(rev) == *n {
			break
		}
	}
	out := make([]historyEntry, len(rev))
	for i, e := range rev {
		out[len(rev)-1-i] = e
	}
	return out
}

// globMatch reports whether s matches pattern, where * matches any run of
// characters (newlines included, unlike path.Match's treatment of /) and ?
// any one character.
func globMatch(pattern, s string) bool {
	p, t := []rune(pattern), []rune(s)
	pi, ti := 0, 0
	star, mark := -1, 0
	for ti < len(t) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == t[ti]):
			pi++
			ti++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, ti
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			ti = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}
