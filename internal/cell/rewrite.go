package cell

import (
	"fmt"
	"go/ast"
	"go/token"
	"slices"
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
	// typeOf names the predeclared type (int, float64, string, ...) of a
	// variable or constant of the cell or of the session, or "" when it
	// is not one or not known: range over an integer is a counting loop,
	// and min and max get a helper of the right type.
	typeOf func(name string) string
	// ranges collects the range statements over something that is not
	// evidently a collection, for a clear error if yaegi cannot range
	// over it.
	ranges *[]Range
	// defined tells names the user defined, which shadow builtins.
	defined func(name string) bool
	// count is the cell's execution count, passed to GoFunc.
	count int
}

// MinMaxTypes are the types the kernel's min and max helpers exist for:
// __jg.MinInt, __jg.MaxFloat64 and so on.
var MinMaxTypes = []string{"int", "int64", "uint", "float64", "string"}

// minMax rewrites min(a, b, ...) and max(...) (Go 1.21 builtins yaegi
// lacks) into the kernel's helper for the arguments' type, when the
// syntax and the session tell that type; otherwise the call stays, and
// yaegi says min is undefined.
func (r *rewriter) minMax(call *ast.CallExpr) (edit, bool) {
	id, ok := call.Fun.(*ast.Ident)
	if !ok || (id.Name != "min" && id.Name != "max") || len(call.Args) == 0 || call.Ellipsis.IsValid() || (r.defined != nil && r.defined(id.Name)) {
		return edit{}, false
	}
	t := defaultType(r.exprType(call))
	if !slices.Contains(MinMaxTypes, t) {
		return edit{}, false
	}
	name := "__jg." + strings.ToUpper(id.Name[:1]) + id.Name[1:] + strings.ToUpper(t[:1]) + t[1:]
	return edit{r.off(id.Pos()), r.off(id.End()), name}, true
}

// ClearFunc stands for the clear builtin, which yaegi lacks.
const ClearFunc = "__jg.Clear"

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
		case *ast.CallExpr:
			// yaegi has no clear builtin (Go 1.21); the kernel's does the
			// same, unless the user defined a clear of their own.
			if id, ok := n.Fun.(*ast.Ident); ok && id.Name == "clear" && len(n.Args) == 1 && (r.defined == nil || !r.defined("clear")) {
				out = append(out, edit{r.off(id.Pos()), r.off(id.End()), ClearFunc})
			}
			if e, ok := r.minMax(n); ok {
				out = append(out, e)
			}
		case *ast.ForStmt:
			out = append(out, r.forVars(n)...)
		case *ast.RangeStmt:
			if r.intExpr(n.X) {
				es, whole := r.rangeInt(n)
				out = append(out, es...)
				return !whole // a whole-statement edit holds the body's rewrites
			}
			if r.ranges != nil && !isCollection(n.X) {
				*r.ranges = append(*r.ranges, Range{Line: r.line(n.Pos()), X: r.text(n.X)})
			}
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
	// scope).
	var out []edit
	own := map[string]bool{}
	for _, st := range body.List {
		a, ok := st.(*ast.AssignStmt)
		if !ok || a.Tok != token.DEFINE || len(a.Lhs) != len(a.Rhs) {
			continue
		}
		for i, e := range a.Lhs {
			l, lok := e.(*ast.Ident)
			rid, rok := a.Rhs[i].(*ast.Ident)
			if lok && rok && l.Name == rid.Name && vars[l.Name] {
				out = append(out, edit{r.off(rid.Pos()), r.off(rid.End()), "__lv_" + rid.Name})
				own[l.Name] = true
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

// Range is a range statement over something the syntax does not show to be
// a slice, array, string, map or channel.
type Range struct {
	Line int
	X    string
}

// collectInts adds to ints the names n declares as integers: from integer
// expressions, integer types, or integer parameters.
func collectTypes(n ast.Node, types map[string]string) {
	r := &rewriter{typeOf: func(name string) string { return types[name] }}
	ast.Inspect(n, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.AssignStmt:
			if x.Tok == token.DEFINE && len(x.Lhs) == len(x.Rhs) {
				for i, e := range x.Lhs {
					if id, ok := e.(*ast.Ident); ok {
						if t := defaultType(r.exprType(x.Rhs[i])); t != "" {
							types[id.Name] = t
						}
					}
				}
			}
		case *ast.ValueSpec:
			for i, id := range x.Names {
				if t, ok := x.Type.(*ast.Ident); ok && basicTypes[t.Name] {
					types[id.Name] = t.Name
				} else if x.Type == nil && i < len(x.Values) {
					if t := defaultType(r.exprType(x.Values[i])); t != "" {
						types[id.Name] = t
					}
				}
			}
		case *ast.Field:
			if t, ok := x.Type.(*ast.Ident); ok && basicTypes[t.Name] {
				for _, n := range x.Names {
					types[n.Name] = t.Name
				}
			}
		}
		return true
	})
}

// isCollection tells expressions that are evidently rangeable by yaegi.
func isCollection(e ast.Expr) bool {
	switch x := ast.Unparen(e).(type) {
	case *ast.CompositeLit, *ast.SliceExpr:
		return true
	case *ast.BasicLit:
		return x.Kind == token.STRING
	case *ast.UnaryExpr:
		return x.Op == token.ARROW
	}
	return false
}

var intTypes = map[string]bool{
	"int": true, "int8": true, "int16": true, "int32": true, "int64": true,
	"uint": true, "uint8": true, "uint16": true, "uint32": true, "uint64": true,
	"uintptr": true, "byte": true, "rune": true,
}

// basicTypes are the predeclared types whose values the cell front end
// can reason about.
var basicTypes = map[string]bool{"float32": true, "float64": true, "string": true}

func init() {
	for t := range intTypes {
		basicTypes[t] = true
	}
}

// Untyped constants, as exprType names them.
const (
	untypedInt    = "untyped int"
	untypedFloat  = "untyped float"
	untypedString = "untyped string"
)

// defaultType is the type a variable declared from an expression of type t
// gets: untyped constants take their default type.
func defaultType(t string) string {
	switch t {
	case untypedInt:
		return "int"
	case untypedFloat:
		return "float64"
	case untypedString:
		return "string"
	}
	return t
}

// exprType names e's type when the syntax and what typeOf knows show it: a
// predeclared type, an untyped constant kind, or "".
func (r *rewriter) exprType(e ast.Expr) string {
	switch x := ast.Unparen(e).(type) {
	case *ast.BasicLit:
		switch x.Kind {
		case token.INT, token.CHAR:
			return untypedInt
		case token.FLOAT:
			return untypedFloat
		case token.STRING:
			return untypedString
		}
	case *ast.Ident:
		if r.typeOf != nil {
			return r.typeOf(x.Name)
		}
	case *ast.UnaryExpr:
		if x.Op == token.SUB || x.Op == token.ADD || x.Op == token.XOR {
			return r.exprType(x.X)
		}
	case *ast.BinaryExpr:
		switch x.Op {
		case token.ADD, token.SUB, token.MUL, token.QUO, token.REM, token.AND, token.OR, token.XOR, token.AND_NOT:
			return unify(r.exprType(x.X), r.exprType(x.Y))
		case token.SHL, token.SHR:
			return r.exprType(x.X)
		}
	case *ast.CallExpr:
		id, ok := x.Fun.(*ast.Ident)
		if !ok || (r.defined != nil && r.defined(id.Name)) {
			return ""
		}
		switch {
		case len(x.Args) == 1 && (id.Name == "len" || id.Name == "cap"):
			return "int"
		case len(x.Args) == 1 && basicTypes[id.Name]:
			return id.Name
		case (id.Name == "min" || id.Name == "max") && len(x.Args) > 0:
			t := r.exprType(x.Args[0])
			for _, a := range x.Args[1:] {
				t = unify(t, r.exprType(a))
			}
			return t
		}
	}
	return ""
}

// unify is the type of an operation on operands of types a and b: an
// untyped constant takes the other operand's type, and a typed operand
// tells the type of an unknown one (Go's operands share their type); ""
// when it cannot be told or the types differ.
func unify(a, b string) string {
	switch {
	case a == "" && b == "", a == "" && strings.HasPrefix(b, "untyped "), b == "" && strings.HasPrefix(a, "untyped "):
		return ""
	case a == "":
		return b
	case b == "":
		return a
	case a == b:
		return a
	case strings.HasPrefix(a, "untyped ") && strings.HasPrefix(b, "untyped "):
		if a == untypedFloat || b == untypedFloat {
			return untypedFloat
		}
		return untypedInt
	case strings.HasPrefix(a, "untyped "):
		return b
	case strings.HasPrefix(b, "untyped "):
		return a
	}
	return ""
}

// intExpr tells whether e is evidently an integer.
func (r *rewriter) intExpr(e ast.Expr) bool {
	t := r.exprType(e)
	return t == untypedInt || intTypes[t]
}

// pure tells expressions that can be evaluated more than once without
// changing what the program does.
func pure(e ast.Expr) bool {
	switch x := ast.Unparen(e).(type) {
	case *ast.BasicLit, *ast.Ident:
		return true
	case *ast.SelectorExpr:
		return pure(x.X)
	case *ast.UnaryExpr:
		return x.Op != token.ARROW && pure(x.X)
	case *ast.BinaryExpr:
		return pure(x.X) && pure(x.Y)
	case *ast.CallExpr:
		if id, ok := x.Fun.(*ast.Ident); ok && len(x.Args) == 1 && (id.Name == "len" || id.Name == "cap" || intTypes[id.Name]) {
			return pure(x.Args[0])
		}
	}
	return false
}

// rangeInt rewrites `for i := range n {` (Go 1.22), which yaegi cannot
// run, into a counting loop whose variable has n's type and is fresh in
// every iteration:
//
//	for __lv_i := n - n; __lv_i < n; __lv_i++ { i := __lv_i;
//
// An n with side effects is evaluated once, in a block around the loop.
func (r *rewriter) rangeInt(f *ast.RangeStmt) (edits []edit, whole bool) {
	n := r.text(f.X)
	pre, post := "", ""
	if !pure(f.X) {
		pre, post, n = "{ __lv_n := "+n+"; ", " }", "__lv_n"
	}
	counter := "__lv_i"
	var copies []edit
	if id, ok := f.Key.(*ast.Ident); ok && id.Name != "_" && f.Tok == token.DEFINE {
		counter = "__lv_" + id.Name
		copies = r.copies(f.Body, map[string]bool{id.Name: true})
	}
	header := fmt.Sprintf("%sfor %s := %s - %s; %s < %s; %s++ {", pre, counter, n, n, counter, n, counter)
	start, brace := r.off(f.Pos()), r.off(f.Body.Lbrace)+1
	if post == "" {
		return append([]edit{{start, brace, header}}, copies...), false
	}
	// The block must close after the loop's body: replace the whole
	// statement, body included, with its inner rewrites applied.
	body := r.apply(brace, r.off(f.End()), append(r.edits(f.Body), copies...))
	return []edit{{start, r.off(f.End()), header + body + post}}, true
}
