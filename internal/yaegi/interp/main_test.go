package interp_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/juggler-kernel/juggler/internal/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

// juggler: tests of when main runs and of os.Exit.

// evalOut evaluates srcs in one interpreter and returns what they printed
// and the first error.
func evalOut(t *testing.T, o interp.Options, srcs ...string) (string, error) {
	t.Helper()
	var out strings.Builder
	o.Stdout = &out
	i := interp.New(o)
	if err := i.Use(stdlib.Symbols); err != nil {
		t.Fatal(err)
	}
	exit := interp.Exports{"os/os": {"Exit": reflect.ValueOf(func(code int) { panic(interp.Exit{Code: code}) })}}
	if err := i.Use(exit); err != nil {
		t.Fatal(err)
	}
	for _, src := range srcs {
		if _, err := i.Eval(src); err != nil {
			return out.String(), err
		}
	}
	return out.String(), nil
}

func TestMainRunsOnce(t *testing.T) {
	decl := `package main
import "fmt"
func main() { fmt.Println("main") }`
	tests := []struct {
		name string
		o    interp.Options
		srcs []string
		want string
	}{
		{"declared, run at once", interp.Options{}, []string{decl}, "main\n"},
		{"not again for later code", interp.Options{}, []string{decl, "x := 1; _ = x", "func f() {}", "var y = 2"}, "main\n"},
		{"again when declared again", interp.Options{}, []string{decl, "func main() { fmt.Println(\"new\") }", "1"}, "main\nnew\n"},
		{"called by hand", interp.Options{}, []string{decl, "main()"}, "main\nmain\n"},
		{"NoMain: only called by hand", interp.Options{NoMain: true}, []string{decl, "fmt.Println(1)", "main()"}, "1\nmain\n"},
		{"init runs once, before main", interp.Options{}, []string{"package main\nimport \"fmt\"\nfunc init() { fmt.Println(\"init\") }\nfunc init() { fmt.Println(\"init2\") }\nfunc main() { fmt.Println(\"main\") }", "1"}, "init\ninit2\nmain\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := evalOut(t, tt.o, tt.srcs...)
			if err != nil || got != tt.want {
				t.Errorf("output %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestExitRunsNoDeferredCalls(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"in main", `package main
import ("fmt"; "os")
func main() { defer fmt.Println("deferred"); fmt.Println("a"); os.Exit(3) }`, "a\n"},
		{"in a callee", `package main
import ("fmt"; "os")
func f() { defer fmt.Println("f deferred"); os.Exit(1) }
func main() { defer fmt.Println("main deferred"); f() }`, ""},
		{"in a deferred call", `package main
import ("fmt"; "os")
func main() { defer fmt.Println("first deferred"); defer os.Exit(2); fmt.Println("body") }`, "body\n"},
		{"not recovered", `package main
import ("fmt"; "os")
func main() { defer func() { fmt.Println("recovered", recover()) }(); os.Exit(4) }`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := evalOut(t, interp.Options{}, tt.src)
			var p interp.Panic
			if !errors.As(err, &p) {
				t.Fatalf("err = %v, want an Exit panic", err)
			}
			if _, ok := p.Value.(interp.Exit); !ok {
				t.Errorf("panic value %#v, want an Exit", p.Value)
			}
			if got != tt.want {
				t.Errorf("output %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNoMainEvalPath(t *testing.T) {
	file := filepath.Join(t.TempDir(), "main.go")
	if err := os.WriteFile(file, []byte("package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"main\") }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		noMain bool
		want   string
	}{{false, "main\n"}, {true, ""}} {
		var out strings.Builder
		i := interp.New(interp.Options{Stdout: &out, NoMain: tc.noMain})
		if err := i.Use(stdlib.Symbols); err != nil {
			t.Fatal(err)
		}
		if _, err := i.EvalPath(file); err != nil || out.String() != tc.want {
			t.Errorf("NoMain %v: output %q, %v; want %q", tc.noMain, out.String(), err, tc.want)
		}
	}
}

func TestEndRun(t *testing.T) {
	var ticks atomic.Int64
	i := interp.New(interp.Options{})
	if err := i.Use(stdlib.Symbols); err != nil {
		t.Fatal(err)
	}
	if err := i.Use(interp.Exports{"host/host": {"Tick": reflect.ValueOf(func() { ticks.Add(1) })}}); err != nil {
		t.Fatal(err)
	}
	if _, err := i.Eval(`import ("host"; "time")`); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if _, err := i.EvalWithContext(ctx, "go func() { for { host.Tick(); time.Sleep(time.Millisecond) } }()"); err != nil {
		t.Fatal(err)
	}
	for ticks.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	i.EndRun(ctx)
	time.Sleep(20 * time.Millisecond) // the goroutine's last step
	n := ticks.Load()
	time.Sleep(50 * time.Millisecond)
	if m := ticks.Load(); m != n {
		t.Errorf("the goroutine went on after EndRun: %d ticks, then %d", n, m)
	}
	// Later evaluations run in a run of their own.
	if v, err := i.Eval("1 + 1"); err != nil || v.Interface() != 2 {
		t.Errorf("after EndRun: %v, %v", v, err)
	}
}

// TestExitCause: a run stopped by a context whose cause is an Exit (os.Exit
// called in a goroutine) unwinds without running deferred calls; stopped
// for another cause (an interrupt), it runs them.
func TestExitCause(t *testing.T) {
	for _, tc := range []struct {
		cause error
		want  int64
	}{{errors.New("interrupted"), 1}, {interp.Exit{Code: 1}, 0}} {
		var deferred atomic.Int64
		i := interp.New(interp.Options{})
		if err := i.Use(interp.Exports{"host/host": {"Deferred": reflect.ValueOf(func() { deferred.Add(1) })}}); err != nil {
			t.Fatal(err)
		}
		if _, err := i.Eval(`import "host"`); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancelCause(context.Background())
		time.AfterFunc(50*time.Millisecond, func() { cancel(tc.cause) })
		if _, err := i.EvalWithContext(ctx, "func() { defer host.Deferred(); for {} }()"); !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v", err)
		}
		time.Sleep(50 * time.Millisecond) // the stopped code unwinds
		if got := deferred.Load(); got != tc.want {
			t.Errorf("cause %v: %d deferred calls ran, want %d", tc.cause, got, tc.want)
		}
	}
}
