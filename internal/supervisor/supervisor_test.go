package supervisor

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/juggler-kernel/juggler/internal/supervisor/supervisortest"
	"github.com/juggler-kernel/juggler/kernel"
)

func TestMain(m *testing.M) {
	supervisortest.MaybeRun()
	os.Exit(m.Run())
}

// msg is one call a cell made on its Output.
type msg struct {
	kind string // stream, display, update, clear
	name string // stream name
	text string // stream text, or the text/plain of a bundle
}

// recorder is a kernel.Output that records calls.
type recorder struct {
	mu    sync.Mutex
	msgs  []msg
	input func(prompt string) (string, error)
}

func (r *recorder) add(m msg) {
	r.mu.Lock()
	r.msgs = append(r.msgs, m)
	r.mu.Unlock()
}

func (r *recorder) Stream(name, text string) { r.add(msg{"stream", name, text}) }
func (r *recorder) Display(b kernel.MimeBundle) {
	r.add(msg{"display", "", plain(b)})
}
func (r *recorder) UpdateDisplay(b kernel.MimeBundle) {
	r.add(msg{"update", fmt.Sprint(b.Transient["display_id"]), plain(b)})
}
func (r *recorder) Result(b kernel.MimeBundle) { r.add(msg{"result", "", plain(b)}) }
func (r *recorder) ClearOutput(wait bool)      { r.add(msg{"clear", "", ""}) }
func (r *recorder) Input(ctx context.Context, prompt string, password bool) (string, error) {
	if r.input == nil {
		return "", errors.New("stdin is not allowed")
	}
	return r.input(prompt)
}

func plain(b kernel.MimeBundle) string {
	if b.Metadata == nil {
		return "<nil metadata>"
	}
	s, _ := b.Data["text/plain"].(string)
	return s
}

func (r *recorder) snapshot() []msg {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]msg(nil), r.msgs...)
}

// merged joins adjacent stream messages of the same stream.
func (r *recorder) merged() []msg {
	var out []msg
	for _, m := range r.snapshot() {
		if n := len(out); n > 0 && m.kind == "stream" && out[n-1].kind == "stream" && out[n-1].name == m.name {
			out[n-1].text += m.text
			continue
		}
		out = append(out, m)
	}
	return out
}

func (r *recorder) text(name string) string {
	var b strings.Builder
	for _, m := range r.snapshot() {
		if m.kind == "stream" && m.name == name {
			b.WriteString(m.text)
		}
	}
	return b.String()
}

func (r *recorder) count(name string) int {
	n := 0
	for _, m := range r.snapshot() {
		if m.kind == "stream" && m.name == name {
			n++
		}
	}
	return n
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func newSup(t *testing.T, o Options) *Supervisor {
	t.Helper()
	o.Command = supervisortest.Command()
	o.Env = supervisortest.Env()
	if o.Log == nil {
		o.Log = log.New(testWriter{t}, "", 0)
	}
	s := New(o)
	t.Cleanup(func() { s.Close() })
	return s
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}

func run(t *testing.T, s *Supervisor, code string) (Result, *recorder) {
	t.Helper()
	r := &recorder{}
	return s.Execute(context.Background(), code, true, r), r
}

func TestOrdering(t *testing.T) {
	t.Parallel()
	s := newSup(t, Options{})
	res, r := run(t, s, `
out "a\n"
err "e1\n"
display "D1"
out "b\n"
out "b2\n"
clear
err "e2\n"
update "u" "U1"
update "u" "U2"
out "c\n"
result "R"
`)
	if res.Status != "ok" || res.Value == nil || res.Value.Data["text/plain"] != "R" {
		t.Fatalf("result = %+v", res)
	}
	got := r.merged()
	// stdout and stderr before the same sync point may come in either order.
	if len(got) > 1 && got[0].name == "stderr" {
		got[0], got[1] = got[1], got[0]
	}
	want := []msg{
		{"stream", "stdout", "a\n"},
		{"stream", "stderr", "e1\n"},
		{"display", "", "D1"},
		{"stream", "stdout", "b\nb2\n"},
		{"clear", "", ""},
		{"stream", "stderr", "e2\n"},
		{"display", "", "U1"},
		{"update", "u", "U2"},
		{"stream", "stdout", "c\n"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}

func TestCoalescing(t *testing.T) {
	t.Parallel()
	s := newSup(t, Options{})
	res, r := run(t, s, "lines 5000")
	if res.Status != "ok" {
		t.Fatalf("result = %+v", res)
	}
	var want strings.Builder
	for i := range 5000 {
		fmt.Fprintf(&want, "line %d\n", i)
	}
	if got := r.text("stdout"); got != want.String() {
		t.Errorf("text differs: got %d bytes, want %d", len(got), want.Len())
	}
	n := r.count("stdout")
	t.Logf("5000 lines in %d stream messages", n)
	if n > 50 {
		t.Errorf("5000 lines took %d stream messages", n)
	}
}

func TestUTF8NeverSplit(t *testing.T) {
	t.Parallel()
	s := newSup(t, Options{})
	const text = "héllo ✓ 😀 wörld — ünïcödé 😀😀\n"
	res, r := run(t, s, fmt.Sprintf("slow %q", text))
	if res.Status != "ok" {
		t.Fatalf("result = %+v", res)
	}
	if got := r.text("stdout"); got != text {
		t.Errorf("text = %q, want %q", got, text)
	}
	msgs := r.snapshot()
	for _, m := range msgs {
		if !utf8.ValidString(m.text) {
			t.Errorf("message %q is not valid UTF-8", m.text)
		}
	}
	t.Logf("%d messages", len(msgs))
}

func TestSplitSyncMark(t *testing.T) {
	t.Parallel()
	s := newSup(t, Options{})
	res, r := run(t, s, `
out "before\n"
splitmark
display "D"
out "after\n"
splitmark
`)
	if res.Status != "ok" {
		t.Fatalf("result = %+v", res)
	}
	want := []msg{{"stream", "stdout", "before\n"}, {"display", "", "D"}, {"stream", "stdout", "after\n"}}
	if got := r.merged(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestInput(t *testing.T) {
	t.Parallel()
	s := newSup(t, Options{})
	r := &recorder{input: func(prompt string) (string, error) {
		if prompt != "name? " {
			return "", fmt.Errorf("prompt %q", prompt)
		}
		return "gopher", nil
	}}
	res := s.Execute(context.Background(), "out \"hi\\n\"\ninput \"name? \"", true, r)
	if res.Status != "ok" {
		t.Fatalf("result = %+v", res)
	}
	if got := r.text("stdout"); got != "hi\ngot: gopher\n" {
		t.Errorf("stdout = %q", got)
	}

	// Refused: the recorder has no input function.
	res, _ = run(t, s, `input "name? "`)
	if res.Status != "error" || res.Ename != "InputError" || !strings.Contains(res.Evalue, "not allowed") {
		t.Errorf("refused input: result = %+v", res)
	}
}

func TestCrash(t *testing.T) {
	t.Parallel()
	var starts atomic.Int32
	s := newSup(t, Options{OnStart: func(ctx context.Context, s *Supervisor) error {
		starts.Add(1)
		return nil
	}})
	res, r := run(t, s, `
out "before\n"
crash "panic: boom\n\ngoroutine 1 [running]:\nmain.main()\n"
`)
	if res.Status != "error" || res.Ename != "WorkerDied" || !res.Restarted {
		t.Fatalf("result = %+v", res)
	}
	for _, want := range []string{"exit status 2", "panic: boom", "a fresh worker was started"} {
		if !strings.Contains(res.Evalue, want) {
			t.Errorf("evalue %q lacks %q", res.Evalue, want)
		}
	}
	if len(res.Traceback) == 0 {
		t.Error("no traceback")
	}
	if got := r.text("stdout"); got != "before\n" {
		t.Errorf("stdout = %q", got)
	}
	if got := r.text("stderr"); !strings.Contains(got, "panic: boom\n\ngoroutine 1 [running]:\nmain.main()\n") {
		t.Errorf("stderr = %q", got)
	}
	res, r = run(t, s, `out "alive\n"`)
	if res.Status != "ok" || r.text("stdout") != "alive\n" {
		t.Errorf("after crash: %+v, %q", res, r.text("stdout"))
	}
	if n := starts.Load(); n != 2 {
		t.Errorf("OnStart ran %d times, want 2", n)
	}
}

func TestInterruptIgnored(t *testing.T) {
	t.Parallel()
	s := newSup(t, Options{})
	_, r0 := run(t, s, "pid")
	r := &recorder{}
	done := make(chan Result, 1)
	go func() { done <- s.Execute(context.Background(), "hang", true, r) }()
	waitFor(t, "the cell to start", 5*time.Second, func() bool { return r.text("stdout") == "hanging\n" })
	start := time.Now()
	s.Interrupt()
	var res Result
	select {
	case res = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Execute did not return after the interrupt")
	}
	elapsed := time.Since(start)
	t.Logf("interrupt to result: %v", elapsed)
	if elapsed < interruptGrace || elapsed > interruptGrace+2*time.Second {
		t.Errorf("took %v", elapsed)
	}
	if res.Status != "error" || res.Ename != "Interrupted" || !res.Restarted {
		t.Errorf("result = %+v", res)
	}
	res, r = run(t, s, "pid")
	if res.Status != "ok" || r.text("stdout") == r0.text("stdout") || r.text("stdout") == "" {
		t.Errorf("after kill: %+v, pid %q (was %q)", res, r.text("stdout"), r0.text("stdout"))
	}
}

func TestInterruptObeyed(t *testing.T) {
	t.Parallel()
	s := newSup(t, Options{})
	_, r0 := run(t, s, "pid")
	r := &recorder{}
	done := make(chan Result, 1)
	go func() { done <- s.Execute(context.Background(), "waitint", true, r) }()
	waitFor(t, "the cell to start", 5*time.Second, func() bool { return r.text("stdout") == "waiting\n" })
	s.Interrupt()
	res := <-done
	if res.Status != "error" || res.Ename != "Interrupted" || res.Restarted {
		t.Errorf("result = %+v", res)
	}
	_, r1 := run(t, s, "pid")
	if r1.text("stdout") != r0.text("stdout") {
		t.Errorf("worker changed: %q -> %q", r0.text("stdout"), r1.text("stdout"))
	}
}

func TestOutputCap(t *testing.T) {
	t.Parallel()
	s := newSup(t, Options{})
	extra := 1<<20 + 123
	res, r := run(t, s, fmt.Sprintf("big %d\nerr \"e\\n\"", streamCap+extra))
	if res.Status != "ok" {
		t.Fatalf("result = %+v", res)
	}
	if got := len(r.text("stdout")); got != streamCap {
		t.Errorf("stdout has %d bytes, want %d", got, streamCap)
	}
	want := fmt.Sprintf("e\n\n[output truncated: %d more bytes not shown]\n", extra)
	if got := r.text("stderr"); got != want {
		t.Errorf("stderr = %q, want %q", got, want)
	}
	// The next cell starts afresh.
	res, r = run(t, s, `out "small\n"`)
	if res.Status != "ok" || r.text("stdout") != "small\n" {
		t.Errorf("next cell: %+v %q", res, r.text("stdout"))
	}
}

func TestOutputAfterCell(t *testing.T) {
	t.Parallel()
	s := newSup(t, Options{})
	res, r := run(t, s, `
out "now\n"
later "later\n" 30
`)
	if res.Status != "ok" {
		t.Fatalf("result = %+v", res)
	}
	waitFor(t, "the late output", 5*time.Second, func() bool { return r.text("stdout") == "now\nlater\n" })
}

func TestDeathWhileIdle(t *testing.T) {
	t.Parallel()
	s := newSup(t, Options{})
	res, r := run(t, s, "exitlater 10")
	if res.Status != "ok" {
		t.Fatalf("result = %+v", res)
	}
	s.mu.Lock()
	w := s.cur
	s.mu.Unlock()
	waitFor(t, "the worker to die", 5*time.Second, w.isDead)
	if got := r.text("stderr"); got != "bye\n" {
		t.Errorf("dying words went to %q", got)
	}
	res, r = run(t, s, `out "ok\n"`)
	if res.Status != "ok" || r.text("stdout") != "ok\n" {
		t.Errorf("next cell: %+v %q", res, r.text("stdout"))
	}
	if got := r.text("stderr"); !strings.Contains(got, "had died (exit status 3: bye)") {
		t.Errorf("no note of the death: %q", got)
	}
}

func TestClosedStdout(t *testing.T) {
	t.Parallel()
	s := newSup(t, Options{})
	start := time.Now()
	res, r := run(t, s, `
out "a\n"
closestdout
err "b\n"
display "D1"
err "c\n"
display "D2"
display "D3"
`)
	if res.Status != "ok" {
		t.Fatalf("result = %+v", res)
	}
	elapsed := time.Since(start)
	if elapsed > syncTimeout+time.Second {
		t.Errorf("took %v: every event waited for the missing mark", elapsed)
	}
	got := r.merged()
	if len(got) > 1 && got[0].name == "stderr" {
		got[0], got[1] = got[1], got[0]
	}
	want := []msg{
		{"stream", "stdout", "a\n"},
		{"stream", "stderr", "b\n"},
		{"display", "", "D1"},
		{"stream", "stderr", "c\n"},
		{"display", "", "D2"},
		{"display", "", "D3"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestMissingMarks(t *testing.T) {
	t.Parallel()
	s := newSup(t, Options{})
	start := time.Now()
	res, r := run(t, s, `
nomarks
err "b\n"
display "D1"
err "c\n"
display "D2"
display "D3"
out "x\n"
`)
	if res.Status != "ok" {
		t.Fatalf("result = %+v", res)
	}
	elapsed := time.Since(start)
	t.Logf("took %v", elapsed)
	if elapsed < syncTimeout || elapsed > syncTimeout+time.Second {
		t.Errorf("took %v: want one wait of %v for the missing mark, then short ones", elapsed, syncTimeout)
	}
	want := []msg{
		{"stream", "stderr", "b\n"},
		{"display", "", "D1"},
		{"stream", "stderr", "c\n"},
		{"display", "", "D2"},
		{"display", "", "D3"},
	}
	// Without marks, stdout's place among the events is unknown.
	var got []msg
	for _, m := range r.merged() {
		if m.name != "stdout" {
			got = append(got, m)
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := r.text("stdout"); got != "x\n" {
		t.Errorf("stdout = %q", got)
	}
}

func TestRestart(t *testing.T) {
	t.Parallel()
	var starts atomic.Int32
	s := newSup(t, Options{OnStart: func(ctx context.Context, s *Supervisor) error {
		// The hook may run cells itself.
		if res, _ := run(t, s, `out "restored\n"`); res.Status != "ok" {
			return fmt.Errorf("restore: %+v", res)
		}
		starts.Add(1)
		return nil
	}})
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, r0 := run(t, s, "pid")
	if err := s.Restart(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, r1 := run(t, s, "pid")
	if r0.text("stdout") == r1.text("stdout") {
		t.Errorf("same worker after Restart: %q", r0.text("stdout"))
	}
	if n := starts.Load(); n != 2 {
		t.Errorf("OnStart ran %d times, want 2", n)
	}
}

func TestStartFailure(t *testing.T) {
	t.Parallel()
	s := New(Options{Command: []string{"/bin/sh", "-c", "echo 'no such subcommand: worker' >&2; exit 7"}})
	defer s.Close()
	res, _ := run(t, s, `out "x"`)
	if res.Status != "error" || res.Ename != "WorkerDied" ||
		!strings.Contains(res.Evalue, "exit status 7: no such subcommand: worker") {
		t.Errorf("result = %+v", res)
	}
}

// TestClose is not parallel: it counts goroutines.
func TestClose(t *testing.T) {
	before := runtime.NumGoroutine()
	s := New(Options{Command: supervisortest.Command(), Env: supervisortest.Env()})
	r := &recorder{}
	done := make(chan Result, 1)
	go func() { done <- s.Execute(context.Background(), "hang", true, r) }()
	waitFor(t, "the cell to start", 5*time.Second, func() bool { return r.text("stdout") == "hanging\n" })
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	res := <-done
	if res.Status != "error" || res.Restarted {
		t.Errorf("result = %+v", res)
	}
	if res, _ := run(t, s, `out "x"`); res.Status != "error" {
		t.Errorf("Execute after Close: %+v", res)
	}
	waitFor(t, "goroutines to end", 5*time.Second, func() bool { return runtime.NumGoroutine() <= before })
}

// isDead reports whether the worker's death has been handled: the
// supervisor itself only needs to know that it is gone (isGone).
func (w *worker) isDead() bool {
	select {
	case <-w.dead:
		return true
	default:
		return false
	}
}
