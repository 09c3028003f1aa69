package kernel

import (
	"encoding/json"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

func intp(n int) *int { return &n }

// fill makes a history with two stored sessions and a current third one:
// each kernel process is a session, so each is a reopening of the file.
func fill(t *testing.T, path string) *history {
	t.Helper()
	if path == "" {
		path = filepath.Join(t.TempDir(), "history.jsonl")
	}
	l := log.New(io.Discard, "", 0)
	h := openHistory(path, l)
	h.add(1, "a := 1", "")
	h.add(2, "a", "1")
	h = openHistory(path, l)
	h.add(1, "b := 2", "")
	h.add(2, "a", "1")
	h = openHistory(path, l)
	h.add(1, "fmt.Println(a)", "")
	h.add(2, "a + 1", "2")
	return h
}

func encode(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestHistoryQuery(t *testing.T) {
	h := fill(t, "")
	tests := []struct {
		name string
		req  historyRequest
		want string
	}{
		{"tail", historyRequest{HistAccessType: "tail", N: intp(2)},
			`[[3,1,"fmt.Println(a)"],[3,2,"a + 1"]]`},
		{"tail across sessions", historyRequest{HistAccessType: "tail", N: intp(3)},
			`[[2,2,"a"],[3,1,"fmt.Println(a)"],[3,2,"a + 1"]]`},
		{"tail zero", historyRequest{HistAccessType: "tail", N: intp(0)}, `[]`},
		{"tail with output", historyRequest{HistAccessType: "tail", N: intp(2), Output: true},
			`[[3,1,["fmt.Println(a)",null]],[3,2,["a + 1","2"]]]`},
		{"range current", historyRequest{HistAccessType: "range", Session: 0, Start: 1},
			`[[3,1,"fmt.Println(a)"],[3,2,"a + 1"]]`},
		{"range stop exclusive", historyRequest{HistAccessType: "range", Session: 0, Start: 1, Stop: intp(2)},
			`[[3,1,"fmt.Println(a)"]]`},
		{"range relative", historyRequest{HistAccessType: "range", Session: -2, Start: 2},
			`[[1,2,"a"]]`},
		{"range absolute", historyRequest{HistAccessType: "range", Session: 2, Start: 1},
			`[[2,1,"b := 2"],[2,2,"a"]]`},
		{"search", historyRequest{HistAccessType: "search", Pattern: "a*"},
			`[[1,1,"a := 1"],[1,2,"a"],[2,2,"a"],[3,2,"a + 1"]]`},
		{"search unique", historyRequest{HistAccessType: "search", Pattern: "a*", Unique: true},
			`[[1,1,"a := 1"],[2,2,"a"],[3,2,"a + 1"]]`},
		{"search n", historyRequest{HistAccessType: "search", Pattern: "*", N: intp(2)},
			`[[3,1,"fmt.Println(a)"],[3,2,"a + 1"]]`},
		{"search ?", historyRequest{HistAccessType: "search", Pattern: "?"},
			`[[1,2,"a"],[2,2,"a"]]`},
		{"search output", historyRequest{HistAccessType: "search", Pattern: "a + ?", Output: true},
			`[[3,2,["a + 1","2"]]]`},
		{"unknown type", historyRequest{HistAccessType: "bogus"}, `[]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := encode(t, h.query(tt.req)); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestHistoryPersists(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.jsonl")
	fill(t, path)
	// A corrupt line must be skipped, not stop the kernel.
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("not json\n")
	f.Close()

	var logged strings.Builder
	h := openHistory(path, log.New(&logged, "", 0))
	if h.session != 4 {
		t.Errorf("session = %d, want 4 (one past the last stored)", h.session)
	}
	h.add(1, "c", "")
	got := encode(t, h.query(historyRequest{HistAccessType: "tail", N: intp(2)}))
	if want := `[[3,2,"a + 1"],[4,1,"c"]]`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if !strings.Contains(logged.String(), "malformed") {
		t.Errorf("corrupt line not logged: %q", logged.String())
	}

	// Without its session counter, a history continues after the last
	// session its files hold.
	if err := os.Remove(sessionFile(path)); err != nil {
		t.Fatal(err)
	}
	if h := openHistory(path, log.New(io.Discard, "", 0)); h.session != 5 {
		t.Errorf("session without a counter = %d, want 5", h.session)
	}
}

// Start reads no entries: with a big history file, opening it takes about
// as long as with none.
func TestHistoryOpenReadsNoEntries(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.jsonl")
	var b strings.Builder
	for i := range 100_000 {
		fmt.Fprintf(&b, "{\"session\":%d,\"line\":%d,\"input\":\"x := %d\"}\n", 1+i/100, 1+i%100, i)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	l := log.New(io.Discard, "", 0)
	start := time.Now()
	h := openHistory(path, l)
	took := time.Since(start)
	if h.session != 1001 {
		t.Errorf("session = %d, want 1001", h.session)
	}
	// Loading 100,000 entries took over 600 ms here; the counter and the
	// tail take a few.
	if took > 100*time.Millisecond {
		t.Errorf("openHistory took %v with 100,000 entries stored", took)
	}
	if got := encode(t, h.query(historyRequest{HistAccessType: "tail", N: intp(1)})); got != `[[1000,100,"x := 99999"]]` {
		t.Errorf("tail = %s", got)
	}
}

// The history on disk stays under two files of about historyFileCap, and
// kernels writing at once lose none of each other's entries to a rotation
// (as long as the older file is not rotated out too).
func TestHistoryRotationAndConcurrentWriters(t *testing.T) {
	defer func(c int64) { historyFileCap = c }(historyFileCap)
	historyFileCap = 16 << 10
	path := filepath.Join(t.TempDir(), "history.jsonl")
	l := log.New(io.Discard, "", 0)
	const kernels, each = 3, 100 // ~17 KiB in all: at least one rotation
	var wg sync.WaitGroup
	for k := range kernels {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h := openHistory(path, l)
			defer h.close()
			for i := range each {
				h.add(i+1, fmt.Sprintf("k%d_%03d := %q", k, i, strings.Repeat("x", 30)), "")
			}
		}()
	}
	wg.Wait()
	if _, err := os.Stat(olderFile(path)); err != nil {
		t.Fatalf("no rotation: %v", err)
	}
	seen := map[string]bool{}
	for _, f := range []string{olderFile(path), path} {
		fi, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Size() > historyFileCap+1024 {
			t.Errorf("%s is %d bytes, cap %d", f, fi.Size(), historyFileCap)
		}
		if bad := scanTail(f, 1<<30, func(e historyEntry) { seen[e.Input] = true }); bad > 0 {
			t.Errorf("%s: %d malformed lines", f, bad)
		}
	}
	if len(seen) != kernels*each {
		t.Errorf("%d distinct entries on disk, want %d", len(seen), kernels*each)
	}
	// A new session sees them all (the three sessions: numbers 1 to 3).
	h := openHistory(path, l)
	if h.session != kernels+1 {
		t.Errorf("session = %d, want %d", h.session, kernels+1)
	}
	if got := len(h.query(historyRequest{HistAccessType: "search", Pattern: "k*"})); got != kernels*each {
		t.Errorf("search found %d entries, want %d", got, kernels*each)
	}
	// Once more than two files' worth is written, the oldest go.
	for i := range 1000 {
		h.add(i+1, fmt.Sprintf("later %d", i), strings.Repeat("o", 100))
	}
	var size int64
	for _, f := range []string{olderFile(path), path} {
		if fi, err := os.Stat(f); err == nil {
			size += fi.Size()
		}
	}
	if size > 2*historyFileCap+1024 {
		t.Errorf("history takes %d bytes on disk, cap 2 x %d", size, historyFileCap)
	}
}

func TestHistoryOutputIsBounded(t *testing.T) {
	h := openHistory(filepath.Join(t.TempDir(), "h.jsonl"), log.New(io.Discard, "", 0))
	h.add(1, "big", strings.Repeat("é", maxStoredOutput))
	got := h.query(historyRequest{HistAccessType: "tail", N: intp(1), Output: true})
	out := got[0][2].([]any)[1].(string)
	if len(out) > maxStoredOutput+3 || !strings.HasSuffix(out, "...") || !utf8.ValidString(out) {
		t.Errorf("stored output: %d bytes, ends %q", len(out), out[max(0, len(out)-8):])
	}
}

func TestHistoryWriteFailureIsLogged(t *testing.T) {
	var logged strings.Builder
	h := openHistory(filepath.Join(t.TempDir(), "no", "such", "dir", "h.jsonl"), log.New(&logged, "", 0))
	h.add(1, "x", "")
	if !strings.Contains(logged.String(), "history") {
		t.Errorf("write failure not logged: %q", logged.String())
	}
	if got := encode(t, h.query(historyRequest{HistAccessType: "tail", N: intp(1)})); got != `[[1,1,"x"]]` {
		t.Errorf("in-memory history lost: %s", got)
	}
}

func TestGlobMatch(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"*", "", true},
		{"*", "anything\nat all", true},
		{"a*", "abc", true},
		{"*c", "abc", true},
		{"a?c", "abc", true},
		{"a?c", "ac", false},
		{"*b*", "abc", true},
		{"*x*", "abc", false},
		{"fmt.*ln(*)", "fmt.Println(1)", true},
		{"abc", "abcd", false},
		{"a*b*c", "aXbYc", true},
		{"a*b*c", "aXcYb", false},
	}
	for _, tt := range tests {
		if got := globMatch(tt.pattern, tt.s); got != tt.want {
			t.Errorf("globMatch(%q, %q) = %v, want %v", tt.pattern, tt.s, got, tt.want)
		}
	}
}
