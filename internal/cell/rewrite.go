package cell

import (
	"fmt"
	"go/ast"
	"go/token"
	"sort"
	"strconv"
	"strings"
)

// GoFunc is the kernel helper every go statement is rewritten to call:
// GoFunc(count, line, name, start) runs start() on a new goroutine that the
// kernel watches (it recovers a panic instead of losing the worker, and
// knows which cell (by execution count), line and function started it). start is built so that the
// function value and the arguments are evaluated where the go statement
// stands, as Go does.
const GoFunc = "__jg.Go"

// rewriter edits one piece of a cell. Every replacement keeps the newlines
// of what it replaces, so cell line numbers stay true.
type rewriter struct {
	fset *token.FileSet
	src  string // the text that was parsed
	base int    // offset in src of the piece
	// line maps a position to the cell line.
	line func(token.Pos) int
	// defined tells names the user defined, which shadow builtins.
	defined func(name string) bool
	// count is the cell's execution count, passed to GoFunc.
	count int
}

type edit struct {
	start, end int // offsets in src
	text       string
}

func (r *rewriter) off(p token.Pos) int { return r.fset.Position(p).Offset }

// text returns the source of n with every rewrite inside it applied.
func (r *rewriter) text(n ast.Node) string {
	return r.apply(r.off(n.Pos()), r.off(n.End()), r.edits(n))
}

func (r *rewriter) apply(start, end int, edits []edit) string {
	sort.Slice(edits, func(i, j int) bool { return edits[i].start < edits[j].start })
	var b strings.Builder
	at := start
	for _, e := range edits {
		if e.start < at || e.end > end {
			continue // overlapping edits cannot happen; be safe anyway
		}
		b.WriteString(r.src[at:e.start])
		b.WriteString(e.text)
		at = e.end
	}
	b.WriteString(r.src[at:end])
	return b.String()
}

// edits collects the rewrites strictly inside root.
func (r *rewriter) edits(root ast.Node) []edit {
	var out []edit
	ast.Inspect(root, func(n ast.Node) bool {
		if n == nil || n == root {
			return true
		}
		switch n := n.(type) {
		case *ast.GoStmt:
			out = append(out, edit{r.off(n.Pos()), r.off(n.End()), r.goStmt(n)})
			return false
		case *ast.ForStmt:
			out = append(out, r.forVars(n)...)
		case *ast.RangeStmt:
			out = append(out, r.rangeVars(n)...)
		}
		return true
	})
	return out
}

var builtins = map[string]bool{
	"append": true, "cap": true, "clear": true, "close": true, "complex": true, "copy": true,
	"delete": true, "imag": true, "len": true, "make": true, "max": true, "min": true,
	"new": true, "panic": true, "print": true, "println": true, "real": true, "recover": true,
}

// goStmt rewrites `go f(a, b)` into
//
//	__jg.Go(COUNT, LINE, "f", func() func() { __f, __a0, __a1 := f, a, b; return func() { __f(__a0, __a1) } }())
//
// Constant arguments are passed as written, so they keep their untyped
// flexibility (`go worker(1)` for a func taking int64).
func (r *rewriter) goStmt(g *ast.GoStmt) string {
	call := g.Call
	var names, values, args []string
	fun := r.text(call.Fun)
	name := funcName(call.Fun, fun)
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); !ok || !builtins[id.Name] {
		names, values = append(names, "__f"), append(values, fun)
		fun = "__f"
	}
	for i, a := range call.Args {
		if isConst(a) {
			args = append(args, r.text(a))
			continue
		}
		n := fmt.Sprintf("__a%d", i)
		names, values, args = append(names, n), append(values, r.text(a)), append(args, n)
	}
	if call.Ellipsis.IsValid() && len(args) > 0 {
		args[len(args)-1] += "..."
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s(%d, %d, %s, func() func() { ", GoFunc, r.count, r.line(g.Pos()), strconv.Quote(name))
	if len(names) > 0 {
		fmt.Fprintf(&b, "%s := %s; ", strings.Join(names, ", "), strings.Join(values, ", "))
	}
	fmt.Fprintf(&b, "return func() { %s(%s) } }())", fun, strings.Join(args, ", "))
	return b.String()
}

// funcName is how a goroutine's function is named in reports and traces:
// as written, or "func literal".
func funcName(e ast.Expr, text string) string {
	if _, ok := ast.Unparen(e).(*ast.FuncLit); ok {
		return "func literal"
	}
	if strings.ContainsAny(text, "\n") || len(text) > 40 {
		return "func"
	}
	return text
}

func isConst(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.BasicLit:
		return true
	case *ast.ParenExpr:
		return isConst(e.X)
	case *ast.UnaryExpr:
		return e.Op != token.AND && e.Op != token.ARROW && isConst(e.X)
	case *ast.BinaryExpr:
		return isConst(e.X) && isConst(e.Y)
	}
	return false
}

// forVars gives a three-clause loop per-iteration variables (Go 1.22): the
// header works on renamed variables and the body starts with a fresh copy
// under the user's name, so closures and goroutines capture one iteration
// each. yaegi shares one scope between the header and the body, so `i := i`
// would not do. A body that assigns the variable keeps the old semantics
// rather than losing the assignment.
func (r *rewriter) forVars(f *ast.ForStmt) []edit {
	init, ok := f.Init.(*ast.AssignStmt)
	if !ok || init.Tok != token.DEFINE {
		return nil
	}
	vars := identNames(init.Lhs)
	if len(vars) == 0 || assigns(f.Body, vars) {
		return nil
	}
	var out []edit
	for _, n := range []ast.Node{f.Init, f.Cond, f.Post} {
		if n != nil {
			out = append(out, r.renames(n, vars)...)
		}
	}
	return append(out, r.copies(f.Body, vars)...)
}

// rangeVars does the same for `for k, v := range x`.
func (r *rewriter) rangeVars(f *ast.RangeStmt) []edit {
	if f.Tok != token.DEFINE {
		return nil
	}
	var lhs []ast.Expr
	for _, e := range []ast.Expr{f.Key, f.Value} {
		if e != nil {
			lhs = append(lhs, e)
		}
	}
	vars := identNames(lhs)
	if len(vars) == 0 || assigns(f.Body, vars) {
		return nil
	}
	var out []edit
	for _, e := range lhs {
		out = append(out, r.renames(e, vars)...)
	}
	return append(out, r.copies(f.Body, vars)...)
}

func identNames(es []ast.Expr) map[string]bool {
	vars := map[string]bool{}
	for _, e := range es {
		if id, ok := e.(*ast.Ident); ok && id.Name != "_" {
			vars[id.Name] = true
		}
	}
	return vars
}

func (r *rewriter) renames(n ast.Node, vars map[string]bool) []edit {
	var out []edit
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && vars[id.Name] {
			out = append(out, edit{r.off(id.Pos()), r.off(id.End()), "__lv_" + id.Name})
		}
		return true
	})
	return out
}

func (r *rewriter) copies(body *ast.BlockStmt, vars map[string]bool) []edit {
	// The pre-Go 1.22 idiom `i := i` at the top of the body is the copy
	// already: its right side becomes the renamed variable (a second copy
	// would be a redeclaration in yaegi, where header and body share a
	// scope). So is any redeclaration at the top of the body (`i := i *
	// 10`): what the body reads of the variable until then, the
	// redeclaration's right side included, is the renamed one.
	var out []edit
	own := map[string]bool{}
	for idx, st := range body.List {
		a, ok := st.(*ast.AssignStmt)
		if !ok || a.Tok != token.DEFINE {
			continue
		}
		for _, e := range a.Lhs {
			l, ok := e.(*ast.Ident)
			if !ok || !vars[l.Name] || own[l.Name] {
				continue
			}
			own[l.Name] = true
			one := map[string]bool{l.Name: true}
			for _, before := range body.List[:idx] {
				out = append(out, r.renames(before, one)...)
			}
			for _, rhs := range a.Rhs {
				out = append(out, r.renames(rhs, one)...)
			}
		}
	}
	var names, renamed []string
	for n := range vars {
		if !own[n] {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return out
	}
	sort.Strings(names)
	for _, n := range names {
		renamed = append(renamed, "__lv_"+n)
	}
	// No `_ = x` for a copy the body does not use: yaegi does not mind
	// unused variables, and such a blank assignment in a loop whose key is
	// blank corrupts yaegi's frame (it shares the blank's slot).
	at := r.off(body.Lbrace) + 1
	text := fmt.Sprintf(" %s := %s;", strings.Join(names, ", "), strings.Join(renamed, ", "))
	return append(out, edit{at, at, text})
}

// assigns reports whether body assigns to, increments or takes the address
// of one of vars.
func assigns(body *ast.BlockStmt, vars map[string]bool) bool {
	found := false
	is := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && vars[id.Name]
	}
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if n.Tok != token.DEFINE {
				for _, e := range n.Lhs {
					found = found || is(e)
				}
			}
		case *ast.IncDecStmt:
			found = found || is(n.X)
		case *ast.UnaryExpr:
			found = found || (n.Op == token.AND && is(n.X))
		}
		return !found
	})
	return found
}
