package kernel

import (
	"encoding/json"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
	if !strings.Contains(logged.String(), "malformed") {
		t.Errorf("corrupt line not logged: %q", logged.String())
	}
	h.add(1, "c", "")
	got := encode(t, h.query(historyRequest{HistAccessType: "tail", N: intp(2)}))
	if want := `[[3,2,"a + 1"],[4,1,"c"]]`; got != want {
		t.Errorf("got %s, want %s", got, want)
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
