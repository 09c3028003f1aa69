// Package cell turns a notebook cell, Go as a user writes it in a notebook,
// into the pieces an interpreter can run in order.
//
// A cell may mix top-level declarations (import, const, var, type, func,
// methods) and statements in any order, may hold magic lines (`%...`), may
// be a whole Go file (`package main` and all), and its last expression
// statement is the cell's value. Classify is the one place that tells
// magics, the package clause and the top-level units apart, leniently,
// for the kernel, completion and the interpreter alike; Parse builds on it
// for the interpreter. yaegi decides what a source string is from its
// first token, so the pieces are handed to it one kind at a time; every
// piece carries a //line directive so that errors and panics name the line
// as the user sees it (line 1 is the cell's first line, magics included).
package cell

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"sort"
	"strconv"
	"strings"
)

// FileName is the file name in every //line directive. yaegi resolves
// imports per source file name, so it must stay the name yaegi itself uses
// for incremental input.
const FileName = "_.go"

// Kind says how a chunk must be evaluated.
type Kind int

const (
	// Decl chunks are package-level declarations: const, var, type, func.
	Decl Kind = iota
	// Stmt chunks run as statements in the session's main scope.
	Stmt
)

// Chunk is a run of consecutive top-level pieces of one kind.
type Chunk struct {
	Kind Kind
	// Src is the source to evaluate, with //line directives.
	Src string
	// Line is the cell line the chunk starts on.
	Line int
}

// Import is an import spec written in the cell.
type Import struct {
	Name string // alias, or "" for the package's own name
	Path string
	Line int
}

// Magic is a magic line: its first non-blank character is %, and it lies
// inside no raw string or comment.
type Magic struct {
	Line int
	Text string // the line, trimmed
	// Start and End are the byte offsets of the line in the cell,
	// without its newline.
	Start, End int
}

// Cell is a parsed cell.
type Cell struct {
	Magics  []Magic
	Imports []Import
	Chunks  []Chunk
	// Last is the cell's final expression statement, with a //line
	// directive, or "" when the cell does not end in an expression.
	Last string
	// LastDeref is set when the final expression is a pointer
	// dereference (`*p`), which yaegi evaluates to nothing, without an
	// error, when p is nil.
	LastDeref bool
	// LastRecv is set when the final expression is a receive (<-done):
	// a signal, whose struct{}{} value is nothing to show.
	LastRecv bool
	// LastCall is the name of the function the final expression calls
	// (`Println` for `fmt.Println(x)`), or "" when it is not a call.
	LastCall string
	// Uses maps each name that is used as a selector base (`strings` in
	// `strings.ToUpper`) but declared nowhere in the cell to the selected
	// member names: the candidates for automatic imports.
	Uses map[string][]string
	// Defines lists the top-level names the cell declares.
	Defines []string
	// Wrapped are the lines of the loops the rewrite runs inside a
	// function literal (see wrapLoop): a panic's traceback should not show
	// that literal's frame.
	Wrapped []int
	// Defs are the cell's const, type, func and method declarations, one
	// by one, so a session can keep them and run them again.
	Defs []Def
	// Vars are the variables the cell declares at top level, with `var`
	// or `:=`.
	Vars []Var
}

// Def is one top-level declaration other than a variable.
type Def struct {
	// Names are the names it declares; a method is named "T.M".
	Names []string
	Kind  DefKind
	// Src is its source (after rewriting), with a //line directive.
	Src string
	// Refs are the identifiers it uses: the names it depends on.
	Refs []string
	// Line is the cell line it starts on.
	Line int
}

// DefKind is the kind of a Def.
type DefKind string

// Kinds of Def.
const (
	KindConst  DefKind = "const"
	KindType   DefKind = "type"
	KindFunc   DefKind = "func"
	KindMethod DefKind = "method"
)

// Var is a variable a cell declares.
type Var struct {
	Name string
	// Type is its type as written (`P`, `*P`, `map[string]int`) when the
	// declaration shows it, or "".
	Type string
}

// Error is a syntax error at a cell position.
type Error struct {
	Line, Col int
	Msg       string
}

func (e *Error) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// piece is one top-level declaration or statement of the cell.
type piece struct {
	kind       Kind
	start, end int // byte offsets in the cell
	isImport   bool
	text       string // the source after rewriting
}

// Options tell Parse what the session knows.
type Options struct {
	// Defined tells whether the session defined a name, which then
	// shadows a builtin of that name.
	Defined func(name string) bool
	// Count is the cell's execution count (In [Count]), which its go
	// statements pass on so goroutines can be told by where they were
	// written; 0 when the user does not see the cell.
	Count int
}

// Parse splits code into its magics, imports and chunks.
func Parse(code string) (*Cell, error) { return ParseWith(code, Options{}) }

// ParseWith is Parse with what the session knows.
func ParseWith(code string, o Options) (*Cell, error) {
	c := &Cell{Uses: map[string][]string{}}
	defined := func(name string) bool {
		for _, n := range c.Defines {
			if n == name {
				return true
			}
		}
		return o.Defined != nil && o.Defined(name)
	}
	cs := Classify(code)
	c.Magics = cs.Magics
	if len(cs.Errs) > 0 {
		return nil, syntaxError(cs.Errs)
	}
	src := cs.Text
	pieces := make([]piece, 0, len(cs.Units))
	for i, u := range cs.Units {
		switch u.Kind {
		case UnitPackage:
			if err := checkPackage(cs, i); err != nil {
				return nil, err
			}
			continue
		case UnitImport:
			pieces = append(pieces, piece{kind: Decl, start: u.Start, end: u.End, isImport: true})
		case UnitDecl:
			pieces = append(pieces, piece{kind: Decl, start: u.Start, end: u.End})
		default:
			pieces = append(pieces, piece{kind: Stmt, start: u.Start, end: u.End})
		}
	}
	fset := token.NewFileSet()
	declared := map[string]bool{}
	uses := map[string]map[string]bool{}
	var lastExpr *ast.ExprStmt
	var lastPiece piece
	for i := range pieces {
		p := &pieces[i]
		text := src[p.start:p.end]
		line, col := position(src, p.start)
		if p.isImport {
			imps, err := parseImports(fset, text, line, col)
			if err != nil {
				return nil, err
			}
			c.Imports = append(c.Imports, imps...)
			continue
		}
		var node ast.Node
		var declFile *ast.File
		prefix := "package p;" + directive(line, col)
		if p.kind == Stmt {
			prefix = "package p; func _() {" + directive(line, col)
		}
		whole := prefix + text
		if p.kind == Stmt {
			whole += "\n}"
		}
		if p.kind == Decl {
			f, err := parser.ParseFile(fset, "", whole, 0)
			if err != nil {
				return nil, syntaxError(err)
			}
			node = f
			for _, d := range f.Decls {
				c.Defines = append(c.Defines, declNames(d)...)
			}
			declFile = f
		} else {
			f, err := parser.ParseFile(fset, "", whole, 0)
			if err != nil {
				return nil, syntaxError(err)
			}
			body := f.Decls[0].(*ast.FuncDecl).Body
			node = body
			for _, s := range body.List {
				c.Defines = append(c.Defines, stmtNames(s)...)
				c.Vars = append(c.Vars, stmtVars(s, whole, fset)...)
			}
			if i == len(pieces)-1 && len(body.List) == 1 {
				if es, ok := body.List[0].(*ast.ExprStmt); ok {
					lastExpr, lastPiece = es, *p
				}
			}
		}
		collect(node, declared, uses)
		r := &rewriter{fset: fset, src: whole, line: func(pos token.Pos) int { return fset.Position(pos).Line }, defined: defined, count: o.Count}
		p.text = r.apply(len(prefix), len(prefix)+len(text), r.edits(node))
		c.Wrapped = append(c.Wrapped, r.wrapped...)
		if declFile != nil {
			for _, d := range declFile.Decls {
				if err := c.addDecl(d, r); err != nil {
					return nil, err
				}
			}
		}
		if p.kind == Stmt && lastPiece.start == p.start && lastExpr != nil {
			lastPiece.text = p.text
		}
	}
	for _, n := range c.Defines {
		declared[n] = true
	}
	for name, members := range uses {
		if declared[name] {
			continue
		}
		list := make([]string, 0, len(members))
		for m := range members {
			list = append(list, m)
		}
		sort.Strings(list)
		c.Uses[name] = list
	}
	if lastExpr != nil {
		pieces = pieces[:len(pieces)-1]
		line, col := position(src, lastPiece.start)
		c.Last = directive(line, col) + lastPiece.text
		_, c.LastDeref = ast.Unparen(lastExpr.X).(*ast.StarExpr)
		u, ok := ast.Unparen(lastExpr.X).(*ast.UnaryExpr)
		c.LastRecv = ok && u.Op == token.ARROW
		if call, ok := ast.Unparen(lastExpr.X).(*ast.CallExpr); ok {
			switch fn := ast.Unparen(call.Fun).(type) {
			case *ast.Ident:
				c.LastCall = fn.Name
			case *ast.SelectorExpr:
				c.LastCall = fn.Sel.Name
			}
		}
	}
	c.Chunks = group(src, pieces)
	return c, nil
}

// checkPackage accepts the package clause that is unit i of the cell: a
// cell may be a whole Go file, of package main, the package cells are
// part of.
func checkPackage(cs *Source, i int) error {
	u := cs.Units[i]
	line, col := position(cs.Text, u.Start)
	if i > 0 {
		return &Error{Line: line, Col: col, Msg: "a package clause must come first in the cell"}
	}
	if cs.Package.Name == "" {
		return &Error{Line: line, Col: col, Msg: "package clause without a package name"}
	}
	if cs.Package.Name != "main" {
		return &Error{Line: line, Col: col, Msg: fmt.Sprintf("package %s: cells are package main; write package main, or leave the package clause out", cs.Package.Name)}
	}
	return nil
}

// group joins consecutive pieces of one kind into chunks.
func group(src string, pieces []piece) []Chunk {
	var chunks []Chunk
	for _, p := range pieces {
		if p.isImport {
			continue
		}
		line, col := position(src, p.start)
		text := directive(line, col) + p.text
		if n := len(chunks); n > 0 && chunks[n-1].Kind == p.kind {
			chunks[n-1].Src += text
			continue
		}
		chunks = append(chunks, Chunk{Kind: p.kind, Src: text, Line: line})
	}
	return chunks
}

// directive starts a new line with a //line comment placing what follows at
// line:col of the cell.
func directive(line, col int) string {
	return fmt.Sprintf("\n//line %s:%d:%d\n", FileName, line, col)
}

// position returns the 1-based line and column of byte offset off.
func position(src string, off int) (line, col int) {
	line = 1 + strings.Count(src[:off], "\n")
	col = off - strings.LastIndex(src[:off], "\n")
	return line, col
}

func parseImports(fset *token.FileSet, text string, line, col int) ([]Import, error) {
	f, err := parser.ParseFile(fset, "", "package p;"+directive(line, col)+text, parser.ImportsOnly)
	if err != nil {
		return nil, syntaxError(err)
	}
	var out []Import
	for _, spec := range f.Imports {
		path, err := strconv.Unquote(spec.Path.Value)
		if err != nil {
			return nil, &Error{Line: fset.Position(spec.Pos()).Line, Msg: "invalid import path " + spec.Path.Value}
		}
		imp := Import{Path: path, Line: fset.Position(spec.Pos()).Line}
		if spec.Name != nil {
			imp.Name = spec.Name.Name
		}
		out = append(out, imp)
	}
	return out, nil
}

func syntaxError(err error) error {
	if list, ok := err.(scanner.ErrorList); ok && len(list) > 0 {
		e := list[0]
		return &Error{Line: e.Pos.Line, Col: e.Pos.Column, Msg: e.Msg}
	}
	return err
}

func declNames(d ast.Decl) []string {
	var names []string
	switch d := d.(type) {
	case *ast.FuncDecl:
		if d.Recv == nil && d.Name.Name != "init" { // init declares no name
			names = append(names, d.Name.Name)
		}
	case *ast.GenDecl:
		for _, s := range d.Specs {
			switch s := s.(type) {
			case *ast.ValueSpec:
				for _, n := range s.Names {
					names = append(names, n.Name)
				}
			case *ast.TypeSpec:
				names = append(names, s.Name.Name)
			}
		}
	}
	return names
}

func stmtNames(s ast.Stmt) []string {
	var names []string
	switch s := s.(type) {
	case *ast.AssignStmt:
		if s.Tok == token.DEFINE {
			for _, e := range s.Lhs {
				if id, ok := e.(*ast.Ident); ok && id.Name != "_" {
					names = append(names, id.Name)
				}
			}
		}
	case *ast.DeclStmt:
		names = declNames(s.Decl)
	}
	return names
}

// collect records every name declared anywhere in n (so that a local
// variable called like a package is not taken for one) and every selector
// base with the members selected from it.
func collect(n ast.Node, declared map[string]bool, uses map[string]map[string]bool) {
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			if id, ok := n.X.(*ast.Ident); ok {
				if uses[id.Name] == nil {
					uses[id.Name] = map[string]bool{}
				}
				uses[id.Name][n.Sel.Name] = true
			}
		case *ast.AssignStmt:
			if n.Tok == token.DEFINE {
				for _, e := range n.Lhs {
					if id, ok := e.(*ast.Ident); ok {
						declared[id.Name] = true
					}
				}
			}
		case *ast.RangeStmt:
			if n.Tok == token.DEFINE {
				for _, e := range []ast.Expr{n.Key, n.Value} {
					if id, ok := e.(*ast.Ident); ok {
						declared[id.Name] = true
					}
				}
			}
		case *ast.Field:
			for _, id := range n.Names {
				declared[id.Name] = true
			}
		case *ast.ValueSpec:
			for _, id := range n.Names {
				declared[id.Name] = true
			}
		case *ast.TypeSpec:
			declared[n.Name.Name] = true
		case *ast.FuncDecl:
			declared[n.Name.Name] = true
		}
		return true
	})
}

// addDecl records one declaration of a declaration piece. It refuses an
// init or main with parameters or results, as Go does.
func (c *Cell) addDecl(d ast.Decl, r *rewriter) error {
	pos := r.fset.Position(d.Pos())
	src := directive(pos.Line, pos.Column) + r.text(d)
	switch d := d.(type) {
	case *ast.FuncDecl:
		if d.Recv == nil {
			if n := d.Name.Name; (n == "init" || n == "main") && (d.Type.TypeParams.NumFields() > 0 || d.Type.Params.NumFields() > 0 || d.Type.Results.NumFields() > 0) {
				at := r.fset.Position(d.Name.Pos())
				return &Error{Line: at.Line, Col: at.Column, Msg: "func " + n + " must have no arguments and no return values"}
			}
			if d.Name.Name == "init" {
				// An init function runs once, with its cell; nothing
				// can refer to it, so there is nothing to keep.
				return nil
			}
			c.Defs = append(c.Defs, Def{Names: []string{d.Name.Name}, Kind: KindFunc, Src: src, Refs: refs(d), Line: pos.Line})
			return nil
		}
		if t := receiverType(d.Recv); t != "" {
			c.Defs = append(c.Defs, Def{Names: []string{t + "." + d.Name.Name}, Kind: KindMethod, Src: src, Refs: refs(d), Line: pos.Line})
		}
	case *ast.GenDecl:
		switch d.Tok {
		case token.VAR:
			for _, spec := range d.Specs {
				c.Vars = append(c.Vars, specVars(spec.(*ast.ValueSpec), r.src, r.fset)...)
			}
		case token.CONST, token.TYPE:
			kind := KindConst
			if d.Tok == token.TYPE {
				kind = KindType
			}
			c.Defs = append(c.Defs, Def{Names: declNames(d), Kind: kind, Src: src, Refs: refs(d), Line: pos.Line})
		}
	}
	return nil
}

// receiverType is the base type name of a method's receiver: T for
// (t T), (t *T) and (t T[K]).
func receiverType(recv *ast.FieldList) string {
	if recv == nil || len(recv.List) == 0 {
		return ""
	}
	return BaseType(recv.List[0].Type)
}

// BaseType strips pointers, parentheses and type arguments from a type
// expression, as for a method's receiver or an embedded field: *List[T]
// is List, *pkg.T is T.
func BaseType(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.StarExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		case *ast.SelectorExpr:
			return x.Sel.Name
		case *ast.Ident:
			return x.Name
		default:
			return ""
		}
	}
}

// refs lists the identifiers n uses, selectors' member names aside.
func refs(n ast.Node) []string {
	seen := map[string]bool{}
	var out []string
	var visit func(n ast.Node) bool
	visit = func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.SelectorExpr:
			ast.Inspect(x.X, visit)
			return false
		case *ast.Ident:
			if !seen[x.Name] {
				seen[x.Name] = true
				out = append(out, x.Name)
			}
		}
		return true
	}
	ast.Inspect(n, visit)
	return out
}

// stmtVars lists the variables a top-level statement declares.
func stmtVars(s ast.Stmt, src string, fset *token.FileSet) []Var {
	switch s := s.(type) {
	case *ast.AssignStmt:
		if s.Tok != token.DEFINE {
			return nil
		}
		var out []Var
		for i, e := range s.Lhs {
			id, ok := e.(*ast.Ident)
			if !ok || id.Name == "_" {
				continue
			}
			v := Var{Name: id.Name}
			if len(s.Lhs) == len(s.Rhs) {
				v.Type = typeOf(s.Rhs[i], src, fset)
			}
			out = append(out, v)
		}
		return out
	case *ast.DeclStmt:
		if g, ok := s.Decl.(*ast.GenDecl); ok && g.Tok == token.VAR {
			var out []Var
			for _, spec := range g.Specs {
				out = append(out, specVars(spec.(*ast.ValueSpec), src, fset)...)
			}
			return out
		}
	}
	return nil
}

func specVars(spec *ast.ValueSpec, src string, fset *token.FileSet) []Var {
	var out []Var
	for i, id := range spec.Names {
		if id.Name == "_" {
			continue
		}
		v := Var{Name: id.Name}
		switch {
		case spec.Type != nil:
			v.Type = nodeText(spec.Type, src, fset)
		case len(spec.Values) == len(spec.Names):
			v.Type = typeOf(spec.Values[i], src, fset)
		}
		out = append(out, v)
	}
	return out
}

// typeOf is the type of e when its syntax shows it: a composite literal,
// its address, new(T) or make(T, ...).
func typeOf(e ast.Expr, src string, fset *token.FileSet) string {
	switch x := ast.Unparen(e).(type) {
	case *ast.CompositeLit:
		if x.Type != nil {
			return nodeText(x.Type, src, fset)
		}
	case *ast.UnaryExpr:
		if lit, ok := x.X.(*ast.CompositeLit); ok && x.Op == token.AND && lit.Type != nil {
			return "*" + nodeText(lit.Type, src, fset)
		}
	case *ast.CallExpr:
		if id, ok := x.Fun.(*ast.Ident); ok && len(x.Args) > 0 {
			switch id.Name {
			case "new":
				return "*" + nodeText(x.Args[0], src, fset)
			case "make":
				return nodeText(x.Args[0], src, fset)
			}
		}
	}
	return ""
}

func nodeText(n ast.Node, src string, fset *token.FileSet) string {
	return src[fset.Position(n.Pos()).Offset:fset.Position(n.End()).Offset]
}
