package kernel

import (
	"cmp"
	"log"
	"os"
	"slices"
	"strings"
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
// IPython's HistoryManager does) so that it works for any language. Only
// the current session is in memory; earlier sessions are read from the
// files when a history_request asks for them, so that start does not
// depend on how much history there is (see history_store.go).
type history struct {
	mu      sync.Mutex
	mine    []historyEntry // the current session's entries, the last maxMemoryEntries
	session int            // current session number
	path    string         // JSON-lines file; "" keeps history in memory
	log     *log.Logger

	fileMu sync.Mutex // guards file and serialises appends
	file   *os.File   // path opened for appending, at the first entry
}

// openHistory starts a new session numbered one past the last one stored
// at path. Problems are logged: history is a convenience and must never
// stop the kernel.
func openHistory(path string, l *log.Logger) *history {
	h := &history{path: path, log: l, session: 1}
	if path != "" {
		n, err := nextSession(path)
		if err != nil {
			l.Printf("history: %v", err)
		} else {
			h.session = n
		}
	}
	return h
}

// add records one execution in the current session and appends it to the
// history file.
func (h *history) add(line int, input, output string) {
	if len(output) > maxStoredOutput {
		output = strings.ToValidUTF8(output[:maxStoredOutput], "") + "..."
	}
	h.mu.Lock()
	e := historyEntry{Session: h.session, Line: line, Input: input, Output: output}
	h.mine = append(h.mine, e)
	if len(h.mine) > maxMemoryEntries {
		h.mine = append(h.mine[:0:0], h.mine[len(h.mine)-maxMemoryEntries/2:]...)
	}
	h.mu.Unlock()
	if h.path == "" {
		return
	}
	if err := h.appendFile(e); err != nil {
		h.log.Printf("history: %v", err)
	}
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
	var sel []historyEntry
	switch r.HistAccessType {
	case "tail":
		sel = lastN(h.entries(), r.N)
	case "range":
		sel = h.rangeOf(r.Session, r.Start, r.Stop)
	case "search":
		sel = search(h.entries(), r.Pattern, r.Unique, r.N)
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

// entries returns the stored sessions and the current one, ordered by
// session, then line.
func (h *history) entries() []historyEntry {
	all := h.stored()
	// Kernels running at once interleave their lines in the file.
	slices.SortStableFunc(all, func(a, b historyEntry) int {
		return cmp.Or(cmp.Compare(a.Session, b.Session), cmp.Compare(a.Line, b.Line))
	})
	h.mu.Lock()
	defer h.mu.Unlock()
	return append(all, h.mine...)
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
	var es []historyEntry
	if session == h.session {
		h.mu.Lock()
		es = slices.Clone(h.mine)
		h.mu.Unlock()
	} else {
		es = h.stored()
	}
	var out []historyEntry
	for _, e := range es {
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
func search(es []historyEntry, pattern string, unique bool, n *int) []historyEntry {
	if pattern == "" {
		pattern = "*"
	}
	var rev []historyEntry // newest first
	seen := map[string]bool{}
	for i := len(es) - 1; i >= 0; i-- {
		e := es[i]
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
