package eval

import (
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/juggler-kernel/juggler/internal/modules/modulestest"
	"github.com/juggler-kernel/juggler/internal/native"
)

// nativeDecls is a %%native cell (line 1 is the magic's, blank here) and
// nativeUse a cell that uses it; nativeProgram is the two as a program, for
// go run.
const nativeDecls = `
import (
	"fmt"
	"strings"
)

var _ = fmt.Sprint

func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

type point struct{ X, Y int }

func (p point) Sum() int { return p.X + p.Y }

func (p *point) Scale(k int) { p.X *= k; p.Y *= k }

var greeting = strings.Repeat("hi ", 2)

const limit = 40
`

const nativeUse = `p := point{1, 2}
p.Scale(3)
fmt.Println(fib(32), p.Sum(), p, greeting, limit)
`

func nativeCell(code string) string { return native.Marker + code }

func TestNative(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a Go plugin")
	}
	want := modulestest.GoRun(t, "package main\n"+nativeDecls+"\nfunc main() {\n"+nativeUse+"}\n")
	s, out, errOut, _ := newSession(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if _, err := s.Run(ctx, Cell{ID: 1, Code: nativeCell(nativeDecls)}); err != nil {
		t.Fatalf("native cell: %v (stderr %s)", err, errOut)
	}
	if n := strings.Join(s.Notes(), " "); !strings.Contains(n, "%%native: compiled") && !strings.Contains(n, "%%native: loaded") {
		t.Errorf("notes = %q", n)
	}
	if _, err := s.Run(ctx, Cell{ID: 2, Code: nativeUse}); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != want {
		t.Errorf("output %q, want (go run) %q", got, want)
	}

	// Rerunning an edited cell replaces its definitions.
	if _, err := s.Run(ctx, Cell{ID: 3, Code: nativeCell("\nfunc fib(n int) int { return -n }\n")}); err != nil {
		t.Fatal(err)
	}
	if v, err := run(t, s, "fib(32)"); err != nil || v != "-32" {
		t.Errorf("after the edit fib(32) = %q, %v", v, err)
	}

	// A compile error names the cell's line.
	_, err := s.Run(ctx, Cell{ID: 4, Code: nativeCell("\nfunc f() int {\n\treturn undefinedName\n}\n")})
	var e *Error
	if !errors.As(err, &e) || e.Name != "CompileError" || !strings.Contains(e.Value, "line 3: undefined: undefinedName") {
		t.Errorf("compile error = %v", err)
	}
	_, err = s.Run(ctx, Cell{ID: 5, Code: nativeCell("\nfunc Map[T any](xs []T) []T { return xs }\n")})
	if !errors.As(err, &e) || !strings.Contains(e.Value, "line 2: Map") {
		t.Errorf("generic: %v", err)
	}
	if v, err := run(t, s, "fib(3)"); err != nil || v != "-3" {
		t.Errorf("after the errors fib(3) = %q, %v", v, err)
	}
}

// A %%native cell may import a package the kernel binary links too: it is
// built with the kernel's version, even when the session pinned another
// for interpreted cells.
//
// A process holds one version of a package across all the plugins it opens,
// and the test binary, unlike the kernel's, does not link x/sync, so an
// earlier test's errgroup plugin would decide the version: the test runs in
// a process of its own (the test binary again, as os/exec's tests do).
func TestNativeSharedPackage(t *testing.T) {
	modulestest.NeedProxy(t)
	if os.Getenv("JUGGLER_TEST_NATIVE_SHARED") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestNativeSharedPackage$", "-test.v")
		cmd.Env = append(os.Environ(), "JUGGLER_TEST_NATIVE_SHARED=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("in its own process: %v\n%s", err, out)
		}
		return
	}
	s, out, errOut, _ := newSession(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if err := s.opts.Modules.Get(ctx, io.Discard, "golang.org/x/sync@v0.10.0"); err != nil {
		t.Fatal(err)
	}
	code := "\nimport \"golang.org/x/sync/errgroup\"\n\nfunc count(n int) int {\n\tvar g errgroup.Group\n\tres := make([]int, n)\n\tfor i := range n {\n\t\tg.Go(func() error { res[i] = 1; return nil })\n\t}\n\tg.Wait()\n\tt := 0\n\tfor _, v := range res {\n\t\tt += v\n\t}\n\treturn t\n}\n"
	if _, err := s.Run(ctx, Cell{ID: 1, Code: nativeCell(code)}); err != nil {
		t.Fatalf("native cell: %v (stderr %s)", err, errOut)
	}
	if v, err := run(t, s, "count(5)"); err != nil || v != "5" {
		t.Errorf("count(5) = %q, %v; stdout %s", v, err, out)
	}
}

// Interpreted closures that native code calls later, from goroutines of its
// own, see the variables of the iteration they were made in.
func TestNativeCallback(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a Go plugin")
	}
	decls := "\nimport \"sync\"\n\ntype group struct {\n\twg  sync.WaitGroup\n\tmu  sync.Mutex\n\terr error\n}\n\n" +
		"func (g *group) Go(f func() error) {\n\tg.wg.Add(1)\n\tgo func() {\n\t\tdefer g.wg.Done()\n\t\tif err := f(); err != nil {\n\t\t\tg.mu.Lock()\n\t\t\tif g.err == nil {\n\t\t\t\tg.err = err\n\t\t\t}\n\t\t\tg.mu.Unlock()\n\t\t}\n\t}()\n}\n\n" +
		"func (g *group) Wait() error { g.wg.Wait(); return g.err }\n"
	prog := "func prog() {\n\tvar g group\n\tout := make([]int, 5)\n\tfor i := 0; i < 5; i++ {\n\t\tg.Go(func() error {\n\t\t\tif i == 3 {\n\t\t\t\treturn fmt.Errorf(\"task %d failed\", i)\n\t\t\t}\n\t\t\tout[i] = i * i\n\t\t\treturn nil\n\t\t})\n\t}\n\tfmt.Println(g.Wait(), out)\n}\n"
	want := modulestest.GoRun(t, "package main\n\nimport \"fmt\"\n"+decls+prog+"\nfunc main() { prog() }\n")
	s, out, errOut, _ := newSession(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if _, err := s.Run(ctx, Cell{ID: 1, Code: nativeCell(decls)}); err != nil {
		t.Fatalf("native cell: %v (stderr %s)", err, errOut)
	}
	if _, err := run(t, s, prog, "prog()"); err != nil {
		t.Fatal(err)
	}
	if out.String() != want {
		t.Errorf("output %q, want (go run) %q", out.String(), want)
	}
}
