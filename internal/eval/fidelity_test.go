package eval

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"testing"
	"time"

	"github.com/juggler-kernel/juggler/internal/gorun"
)

// TestFidelityCells runs the fork's fidelity programs as a notebook would:
// the declarations in one cell, main's statements in the next. Each must
// print what `go run` prints for the whole program.
func TestFidelityCells(t *testing.T) {
	progs := gorun.ReadPrograms(t, "../yaegi/interp/testdata/fidelity")
	want := gorun.Outputs(t, progs)
	for _, name := range gorun.Names(progs) {
		t.Run(name, func(t *testing.T) {
			decls, body := splitMain(t, progs[name])
			s, out, _, _ := newSession(t)
			for i, c := range []string{decls, body} {
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
				_, err := s.Run(ctx, Cell{ID: int64(i + 1), Count: i + 1, Code: c})
				cancel()
				if err != nil {
					t.Fatalf("cell %d: %v\n%s", i+1, err, c)
				}
			}
			if got := gorun.MaskAddresses(out.String()); got != want[name] {
				t.Errorf("output differs from go run's:\n%s", gorun.Diff(want[name], got))
			}
			waitGoroutines(t, s)
		})
	}
}

// splitMain returns a program's declarations without its package clause
// and func main, and the statements of main.
func splitMain(t *testing.T, src string) (decls, body string) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "main.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	var d strings.Builder
	for _, decl := range f.Decls {
		from, to := fset.Position(decl.Pos()).Offset, fset.Position(decl.End()).Offset
		if fn, ok := decl.(*ast.FuncDecl); ok && fn.Name.Name == "main" && fn.Recv == nil {
			lb, rb := fset.Position(fn.Body.Lbrace).Offset, fset.Position(fn.Body.Rbrace).Offset
			body = src[lb+1 : rb]
			continue
		}
		d.WriteString(src[from:to] + "\n\n")
	}
	return d.String(), body
}
