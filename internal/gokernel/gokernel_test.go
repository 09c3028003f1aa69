package gokernel

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/juggler-kernel/juggler/internal/supervisor"
	"github.com/juggler-kernel/juggler/internal/worker"
	"github.com/juggler-kernel/juggler/kernel"
)

// workerEnv makes the test binary serve as a real worker process.
const workerEnv = "JUGGLER_TEST_WORKER"

func TestMain(m *testing.M) {
	if os.Getenv(workerEnv) == "1" {
		err := worker.Serve(worker.Options{
			Requests: os.NewFile(3, "requests"),
			Events:   os.NewFile(4, "events"),
			Stdout:   os.Stdout,
			Stderr:   os.Stderr,
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func newHandler(t *testing.T) *Handler {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	h := New(Options{
		Supervisor: supervisor.Options{Command: []string{exe}, Env: []string{workerEnv + "=1"}},
		Log:        log.New(testWriter{t}, "", 0),
	})
	t.Cleanup(func() { h.Shutdown(false) })
	return h
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}

// recorder is a kernel.Output that records what a cell published.
type recorder struct {
	mu      sync.Mutex
	streams map[string]string
	results []kernel.MimeBundle
	shown   []kernel.MimeBundle
}

func (r *recorder) Stream(name, text string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.streams == nil {
		r.streams = map[string]string{}
	}
	r.streams[name] += text
}
func (r *recorder) Display(b kernel.MimeBundle) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.shown = append(r.shown, b)
}
func (r *recorder) UpdateDisplay(b kernel.MimeBundle) { r.Display(b) }
func (r *recorder) Result(b kernel.MimeBundle) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.results = append(r.results, b)
}
func (r *recorder) ClearOutput(bool) {}
func (r *recorder) Input(context.Context, string, bool) (string, error) {
	return "", errors.New("no stdin")
}

func (r *recorder) stream(name string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.streams[name]
}

func TestInfo(t *testing.T) {
	info := New(Options{}).Info()
	v := strings.TrimPrefix(runtime.Version(), "go")
	if info.Implementation != "juggler" || info.ImplementationVersion != Version {
		t.Errorf("implementation = %q %q", info.Implementation, info.ImplementationVersion)
	}
	want := kernel.LanguageInfo{Name: "go", Version: v, Mimetype: "text/x-go", FileExtension: ".go", PygmentsLexer: "go", CodemirrorMode: "go"}
	if info.LanguageInfo != want {
		t.Errorf("language_info = %+v, want %+v", info.LanguageInfo, want)
	}
	if strings.HasPrefix(info.LanguageInfo.Version, "go") {
		t.Errorf("version %q keeps the go prefix", info.LanguageInfo.Version)
	}
	if !strings.Contains(info.Banner, v) || !strings.Contains(info.Banner, "%help") || strings.Contains(info.Banner, "\n") {
		t.Errorf("banner = %q", info.Banner)
	}
	urls := map[string]bool{}
	for _, l := range info.HelpLinks {
		urls[l.URL] = true
		if l.Text == "" {
			t.Errorf("help link %q has no text", l.URL)
		}
	}
	for _, u := range []string{"https://go.dev/doc/", "https://pkg.go.dev/std"} {
		if !urls[u] {
			t.Errorf("no help link to %s", u)
		}
	}
}

func TestMagics(t *testing.T) {
	// None of these reach the worker: the handler has none that works.
	h := New(Options{Supervisor: supervisor.Options{Command: []string{"/nonexistent/juggler"}}})
	defer h.Shutdown(false)
	help := []map[string]any{helpPayload()}
	for _, tc := range []struct {
		name    string
		code    string
		status  string
		ename   string
		evalue  string
		payload []map[string]any
	}{
		{"help", "%help", "ok", "", "", help},
		{"help with blanks", "\n  %help  \n\n", "ok", "", "", help},
		{"unknown", "%foo", "error", "UsageError", "unknown magic %foo; type %help", nil},
		{"unknown with args", "%foo bar baz", "error", "UsageError", "unknown magic %foo; type %help", nil},
		{"unknown among help", "%help\n%%bar", "error", "UsageError", "unknown magic %%bar; type %help", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := &recorder{}
			r := h.Execute(context.Background(), kernel.ExecuteRequest{Code: tc.code}, out)
			if r.Status != tc.status || r.Ename != tc.ename || r.Evalue != tc.evalue {
				t.Errorf("reply = %q %q %q, want %q %q %q", r.Status, r.Ename, r.Evalue, tc.status, tc.ename, tc.evalue)
			}
			if !reflect.DeepEqual(r.Payload, tc.payload) {
				t.Errorf("payload = %v", r.Payload)
			}
			if tc.status == "error" && len(r.Traceback) == 0 {
				t.Error("error without traceback")
			}
			if len(out.streams)+len(out.results)+len(out.shown) != 0 {
				t.Errorf("published %+v", out)
			}
		})
	}
}

func TestHelpText(t *testing.T) {
	for _, want := range []string{
		"display.HTML(s)", "display.Markdown(s)", "display.SVG(s)", "display.PNG(b)", "display.JPEG(b)",
		"display.JSON(v)", "display.Image(img)", "display.Text(s)", "display.Clear()", "display.New()",
		"%help", "%%trace", "Shift-Enter", "Tab", "Shift-Tab", "I, I", "0, 0", "Auto-imports", "last expression",
	} {
		if !strings.Contains(helpText, want) {
			t.Errorf("help text lacks %q", want)
		}
	}
}

// TestPercentLinesInCode: a line of a raw string or a comment that starts
// with % is Go, not a magic.
func TestPercentLinesInCode(t *testing.T) {
	h := newHandler(t)
	for _, tc := range []struct{ code, want string }{
		{"s := `\n%d items\n`\nfmt.Printf(s, 3)", "\n3 items\n"},
		{"/*\n%help\n*/\nfmt.Print(10 %\n3)", "1"},
		{"%help\nfmt.Print(`a\n  %%trace`)", "a\n  %%trace"},
	} {
		out := &recorder{}
		r := h.Execute(context.Background(), kernel.ExecuteRequest{Code: tc.code}, out)
		if r.Status != "ok" || out.stream("stdout") != tc.want {
			t.Errorf("%q: reply %+v, stdout %q, want %q", tc.code, r, out.stream("stdout"), tc.want)
		}
	}
}

// TestExecute runs cells on a real worker.
func TestExecute(t *testing.T) {
	h := newHandler(t)
	ctx := context.Background()

	out := &recorder{}
	r := h.Execute(ctx, kernel.ExecuteRequest{Code: "x := 20\nfmt.Println(\"hi\")\n%help\nx + 22"}, out)
	if r.Status != "ok" {
		t.Fatalf("reply = %+v", r)
	}
	if len(r.Payload) != 1 || r.Payload[0]["source"] != "page" {
		t.Errorf("payload = %v", r.Payload)
	}
	if got := out.stream("stdout"); got != "hi\n" {
		t.Errorf("stdout = %q", got)
	}
	if len(out.results) != 1 || out.results[0].Data["text/plain"] != "42" || out.results[0].Metadata == nil {
		t.Errorf("results = %+v", out.results)
	}

	// A failing cell: the error is in the reply, not published.
	out = &recorder{}
	r = h.Execute(ctx, kernel.ExecuteRequest{Code: "undefinedThing + 1"}, out)
	if r.Status != "error" || r.Ename == "" || len(r.Traceback) == 0 {
		t.Errorf("reply = %+v", r)
	}
	if len(out.results) != 0 {
		t.Errorf("error cell published results %+v", out.results)
	}

	// User expressions run after a good cell, with their own results.
	r = h.Execute(ctx, kernel.ExecuteRequest{
		Code:            "y := 2",
		UserExpressions: map[string]string{"double": "y * 2", "bad": "nope("},
	}, &recorder{})
	if r.Status != "ok" {
		t.Fatalf("reply = %+v", r)
	}
	good, _ := r.UserExpressions["double"].(map[string]any)
	if good["status"] != "ok" || fmt.Sprint(good["data"].(map[string]any)["text/plain"]) != "4" {
		t.Errorf("double = %v", r.UserExpressions["double"])
	}
	bad, _ := r.UserExpressions["bad"].(map[string]any)
	if bad["status"] != "error" {
		t.Errorf("bad = %v", r.UserExpressions["bad"])
	}

	// The cells that succeeded are the scope of introspection.
	h.mu.Lock()
	cells := h.cells.all()
	h.mu.Unlock()
	if len(cells) != 2 || !strings.Contains(cells[0], "x := 20") || strings.Contains(cells[0], "%help") || cells[1] != "y := 2" {
		t.Errorf("cells = %q", cells)
	}
	if c := h.Complete(ctx, "fmt.Prin", 8); len(c.Matches) == 0 {
		t.Errorf("no completions for fmt.Prin: %+v", c)
	}
	if s := h.IsComplete(ctx, "func f() {"); s.Status != "incomplete" {
		t.Errorf("is_complete = %+v", s)
	}

}

// A fatal runtime error kills the worker; the cell says so, a fresh worker
// replays the cells that succeeded, and the session goes on.
func TestCrashRestoresSession(t *testing.T) {
	h := newHandler(t)
	ctx := context.Background()
	for _, code := range []string{"x := 40", "func add(a int) int { return x + a }", "fmt.Println(\"replayed output is not shown\")"} {
		if r := h.Execute(ctx, kernel.ExecuteRequest{Code: code}, &recorder{}); r.Status != "ok" {
			t.Fatalf("%q: %+v", code, r)
		}
	}
	out := &recorder{}
	crash := "m := map[int]int{}\nfor i := 0; i < 4; i++ {\n\tgo func() {\n\t\tfor {\n\t\t\tm[1] = i\n\t\t}\n\t}()\n}\nselect {}"
	r := h.Execute(ctx, kernel.ExecuteRequest{Code: crash}, out)
	if r.Status != "error" || r.Ename != "WorkerDied" || !strings.Contains(r.Evalue, "restored by replaying 3 earlier cells") {
		t.Fatalf("crash reply = %+v", r)
	}
	if !strings.Contains(out.stream("stderr"), "concurrent map") {
		t.Errorf("the runtime's message is missing from stderr: %q", out.stream("stderr"))
	}
	out = &recorder{}
	if r := h.Execute(ctx, kernel.ExecuteRequest{Code: "add(2)"}, out); r.Status != "ok" || len(out.results) != 1 || out.results[0].Data["text/plain"] != "42" {
		t.Fatalf("after the crash: %+v %+v", r, out.results)
	}
	if s := out.stream("stdout"); s != "" {
		t.Errorf("replay leaked output: %q", s)
	}
}

func TestParseTrace(t *testing.T) {
	tests := []struct {
		args  string
		procs int
		out   string
		err   bool
	}{
		{"", 0, "", false},
		{"--procs 2", 2, "", false},
		{"--procs=1 --out t.trace", 1, "t.trace", false},
		{"--procs x", 0, "", true},
		{"--procs -1", 0, "", true},
		{"extra", 0, "", true},
		{"--bogus", 0, "", true},
	}
	for _, tt := range tests {
		got, err := parseTrace(strings.Fields(tt.args))
		if (err != nil) != tt.err {
			t.Errorf("%q: err = %v", tt.args, err)
			continue
		}
		if err == nil && (got.Procs != tt.procs || got.Out != tt.out) {
			t.Errorf("%q = %+v", tt.args, got)
		}
	}
}

func TestTraceMagic(t *testing.T) {
	h := newHandler(t)
	ctx := context.Background()
	out := &recorder{}
	code := "%%trace --procs 1\ndone := make(chan bool)\ngo func() { done <- true }()\n<-done"
	if r := h.Execute(ctx, kernel.ExecuteRequest{Code: code}, out); r.Status != "ok" {
		t.Fatalf("reply = %+v", r)
	}
	if len(out.shown) != 1 {
		t.Fatalf("displays = %d, want the timeline", len(out.shown))
	}
	html, _ := out.shown[0].Data["text/html"].(string)
	plain, _ := out.shown[0].Data["text/plain"].(string)
	if !strings.Contains(html, "<svg") || !strings.Contains(html, "line 3") {
		t.Errorf("timeline lacks the svg or the goroutine's line: %.300s", html)
	}
	if !strings.Contains(plain, "at most 1 running at once") || !strings.Contains(plain, "GOMAXPROCS 1") {
		t.Errorf("summary = %q", plain)
	}

	if r := h.Execute(ctx, kernel.ExecuteRequest{Code: "x := 1\n%%trace"}, &recorder{}); r.Status != "error" || r.Ename != "UsageError" {
		t.Errorf("%%%%trace on a later line: %+v", r)
	}
	out = &recorder{}
	if r := h.Execute(ctx, kernel.ExecuteRequest{Code: "%trace on"}, out); r.Status != "ok" || !strings.Contains(out.stream("stdout"), "on") {
		t.Fatalf("%%trace on: %+v %q", r, out.stream("stdout"))
	}
	out = &recorder{}
	h.Execute(ctx, kernel.ExecuteRequest{Code: "1 + 1"}, out)
	if len(out.shown) != 1 {
		t.Errorf("%%trace on: %d displays, want the timeline", len(out.shown))
	}
	h.Execute(ctx, kernel.ExecuteRequest{Code: "%trace off"}, &recorder{})
	out = &recorder{}
	h.Execute(ctx, kernel.ExecuteRequest{Code: "1 + 1"}, out)
	if len(out.shown) != 0 {
		t.Errorf("%%trace off: %d displays", len(out.shown))
	}
}

func TestReplayLog(t *testing.T) {
	var r replayLog
	for _, c := range []string{"a := 1", "fmt.Println(a)", "a := 1", "a++", "fmt.Println(a)"} {
		r.add(c)
	}
	if got := fmt.Sprint(r.all()); got != "[a := 1 fmt.Println(a) a := 1 a++ fmt.Println(a)]" {
		t.Errorf("all() = %s", got)
	}
	if len(r.srcs) != 3 {
		t.Errorf("%d sources kept, want 3 (each distinct one once)", len(r.srcs))
	}
}
