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
	// wrapped collects the lines of the loops wrapLoop wrapped.
	wrapped []int
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
	// stack holds the nodes from root down to the one being looked at
	// (Inspect calls f(nil) when it leaves a node whose f returned true).
	var stack []ast.Node
	labels := map[*ast.ForStmt]string{}
	ast.Inspect(root, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if n == root {
			stack = append(stack, n)
			return true
		}
		if len(stack) == 1 && isStmtBody(root) && isLoop(n) && canWrap(n) {
			out = append(out, r.wrapLoop(n))
			return false
		}
		switch n := n.(type) {
		case *ast.GoStmt:
			out = append(out, edit{r.off(n.Pos()), r.off(n.End()), r.goStmt(n, stack)})
			return false
		case *ast.LabeledStmt:
			if f, ok := n.Stmt.(*ast.ForStmt); ok {
				labels[f] = n.Label.Name
			}
		case *ast.ForStmt:
			out = append(out, r.forVars(n, labels[n])...)
		case *ast.RangeStmt:
			out = append(out, r.rangeVars(n)...)
		}
		stack = append(stack, n)
		return true
	})
	return out
}

// isStmtBody tells the body of the function that holds a cell's
// statements: its loops run at the top level of the cell.
func isStmtBody(n ast.Node) bool {
	_, ok := n.(*ast.BlockStmt)
	return ok
}

func isLoop(n ast.Node) bool {
	switch n.(type) {
	case *ast.ForStmt, *ast.RangeStmt:
		return true
	}
	return false
}

// canWrap tells whether a loop can run inside a function literal unchanged:
// no return, goto, defer or label of its own (outside func literals).
func canWrap(loop ast.Node) bool {
	ok := true
	ast.Inspect(loop, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt, *ast.DeferStmt, *ast.LabeledStmt:
			ok = false
		case *ast.BranchStmt:
			if n.Tok == token.GOTO || n.Label != nil {
				ok = false
			}
		}
		return ok
	})
	return ok
}

// wrapLoop runs a loop at the top level of a cell inside a function
// literal called at once, `func() { for ... }()`, on the same lines. The
// interpreter runs a cell's statements in the session's global frame,
// which grows with every cell, and every closure made there (each go
// statement's) copies that whole frame: 10,000 goroutines cost 120 ms of
// CPU in a fresh session and 500 ms after 60 cells. In the literal's frame
// they cost 80 ms, however long the session.
func (r *rewriter) wrapLoop(loop ast.Node) edit {
	var inner []edit
	switch l := loop.(type) {
	case *ast.ForStmt:
		inner = r.forVars(l, "") // canWrap: no label
	case *ast.RangeStmt:
		inner = r.rangeVars(l)
	}
	inner = append(inner, r.edits(loop)...)
	start, end := r.off(loop.Pos()), r.off(loop.End())
	r.wrapped = append(r.wrapped, r.line(loop.Pos()))
	return edit{start, end, "func() { " + r.apply(start, end, inner) + " }()"}
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
// flexibility (`go worker(1)` for a func taking int64). A func literal
// with no parameters, results or arguments is passed as it is.
func (r *rewriter) goStmt(g *ast.GoStmt, outer []ast.Node) string {
	call := g.Call
	if lit, ok := ast.Unparen(call.Fun).(*ast.FuncLit); ok && len(call.Args) == 0 &&
		lit.Type.Params.NumFields() == 0 && lit.Type.Results.NumFields() == 0 &&
		!usesLoopVars(lit, outer) {
		// `go func() { ... }()`, the commonest form, needs no closure
		// around it: the literal is the func to run. Each interpreted
		// closure costs about 3 µs per goroutine. But the interpreter
		// reuses a loop's variables from one iteration to the next, and
		// only the closure's own frame keeps this iteration's.
		return fmt.Sprintf("%s(%d, %d, %q, %s)", GoFunc, r.count, r.line(g.Pos()), "func literal", r.text(lit))
	}
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

// usesLoopVars tells whether lit names a variable declared inside a loop
// around it (by name: a shadowing name counts too, which only costs speed).
func usesLoopVars(lit *ast.FuncLit, outer []ast.Node) bool {
	declared := map[string]bool{}
	for _, n := range outer {
		switch n.(type) {
		case *ast.ForStmt, *ast.RangeStmt:
		default:
			continue
		}
		ast.Inspect(n, func(m ast.Node) bool {
			switch m := m.(type) {
			case *ast.AssignStmt:
				if m.Tok == token.DEFINE {
					for _, l := range m.Lhs {
						if id, ok := l.(*ast.Ident); ok {
							declared[id.Name] = true
						}
					}
				}
			case *ast.RangeStmt:
				for _, e := range []ast.Expr{m.Key, m.Value} {
					if id, ok := e.(*ast.Ident); ok && m.Tok == token.DEFINE {
						declared[id.Name] = true
					}
				}
			case *ast.ValueSpec:
				for _, id := range m.Names {
					declared[id.Name] = true
				}
			}
			return true
		})
	}
	if len(declared) == 0 {
		return false
	}
	used := false
	ast.Inspect(lit.Body, func(m ast.Node) bool {
		if id, ok := m.(*ast.Ident); ok && declared[id.Name] {
			used = true
		}
		return !used
	})
	return used
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
// would not do. A body that assigns the variable or takes its address
// copies it back to the header's at the end of the body and before each
// continue of the loop, so the next iteration starts from it, as Go's does;
// one that also declares the name again in an inner block keeps the old
// semantics rather than copying back the wrong variable.
func (r *rewriter) forVars(f *ast.ForStmt, label string) []edit {
	init, ok := f.Init.(*ast.AssignStmt)
	if !ok || init.Tok != token.DEFINE {
		return nil
	}
	vars := identNames(init.Lhs)
	if len(vars) == 0 {
		return nil
	}
	back := assigns(f.Body, vars)
	if back && redeclares(f.Body, vars) {
		return nil
	}
	var out []edit
	for _, n := range []ast.Node{f.Init, f.Cond, f.Post} {
		if n != nil {
			out = append(out, r.renames(n, vars)...)
		}
	}
	out = append(out, r.copies(f.Body, vars)...)
	if back {
		out = append(out, r.copyBack(f.Body, vars, label)...)
	}
	return out
}

// copyBack sets the header's variables from the body's at the end of the
// body and before each continue that goes to the next iteration of this
// loop.
func (r *rewriter) copyBack(body *ast.BlockStmt, vars map[string]bool, label string) []edit {
	var names, renamed []string
	for n := range vars {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		renamed = append(renamed, "__lv_"+n)
	}
	set := fmt.Sprintf("%s = %s", strings.Join(renamed, ", "), strings.Join(names, ", "))
	end := r.off(body.Rbrace)
	out := []edit{{end, end, ";" + set + ";"}}
	var visit func(root ast.Node, nested bool)
	visit = func(root ast.Node, nested bool) {
		ast.Inspect(root, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ForStmt:
				visit(n.Body, true)
				return false
			case *ast.RangeStmt:
				visit(n.Body, true)
				return false
			case *ast.BranchStmt:
				if n.Tok == token.CONTINUE && (n.Label == nil && !nested || n.Label != nil && n.Label.Name == label) {
					out = append(out, edit{r.off(n.Pos()), r.off(n.End()), "{" + set + "; " + r.src[r.off(n.Pos()):r.off(n.End())] + "}"})
				}
			}
			return true
		})
	}
	visit(body, false)
	return out
}

// redeclares reports whether body declares one of vars again, other than
// by the `i := i` idiom at its top.
func redeclares(body *ast.BlockStmt, vars map[string]bool) bool {
	top := map[ast.Node]bool{}
	for _, st := range body.List {
		top[st] = true
	}
	found := false
	names := func(ids []*ast.Ident) {
		for _, id := range ids {
			found = found || vars[id.Name]
		}
	}
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if n.Tok == token.DEFINE && !(top[n] && isCopyIdiom(n, vars)) {
				for _, e := range n.Lhs {
					if id, ok := e.(*ast.Ident); ok && vars[id.Name] {
						found = true
					}
				}
			}
		case *ast.RangeStmt:
			if n.Tok == token.DEFINE {
				for _, e := range []ast.Expr{n.Key, n.Value} {
					if id, ok := e.(*ast.Ident); ok && vars[id.Name] {
						found = true
					}
				}
			}
		case *ast.ValueSpec:
			names(n.Names)
		case *ast.FuncLit:
			for _, l := range []*ast.FieldList{n.Type.Params, n.Type.Results} {
				if l != nil {
					for _, f := range l.List {
						names(f.Names)
					}
				}
			}
		case *ast.TypeSwitchStmt:
			if a, ok := n.Assign.(*ast.AssignStmt); ok {
				for _, e := range a.Lhs {
					if id, ok := e.(*ast.Ident); ok && vars[id.Name] {
						found = true
					}
				}
			}
		}
		return !found
	})
	return found
}

// isCopyIdiom reports whether a is `x := x` for variables of vars.
func isCopyIdiom(a *ast.AssignStmt, vars map[string]bool) bool {
	if len(a.Lhs) != len(a.Rhs) {
		return false
	}
	for i, e := range a.Lhs {
		l, lok := e.(*ast.Ident)
		rid, rok := a.Rhs[i].(*ast.Ident)
		if !lok || !rok || l.Name != rid.Name || !vars[l.Name] {
			return false
		}
	}
	return true
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
	// A range loop's variables start each iteration from the range
	// clause, so a body that assigns them loses nothing by the copy.
	vars := identNames(lhs)
	if len(vars) == 0 {
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
