package introspect

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"path"
	"strconv"
	"strings"
	"sync"

	"github.com/juggler-kernel/juggler/internal/cell"
)

// Scope is what the session has defined so far: the source of every cell
// that ran successfully, oldest first. Later cells shadow earlier ones, as
// they do in the interpreter.
type Scope struct {
	Cells []string
}

// userDecl is one name a cell defines.
type userDecl struct {
	name string
	kind string // "func", "method", "type", "var", "const"
	recv string // receiver base type, methods only
	src  string // what Inspect shows: signature for funcs, whole spec for types
	full string // whole declaration including a func body, for detail > 0
	doc  string // doc comment text
	// For variables: what is known of the type, so that `x.` can complete.
	typ    string // type expression text, e.g. "T", "*strings.Builder"
	call   string // or the function whose result initialised it, e.g. "strings.NewReader"
	result int    // which result of call
	// For struct types: field names (embedded fields by type name).
	fields []string
	// For funcs: the type of the single (or first) result, if any.
	resultType string
}

// importDecl is one import: the local name it binds and the path.
type importDecl struct {
	name, path string
}

// cellInfo is what one cell defines.
type cellInfo struct {
	decls   []userDecl   // top-level names, visible to later cells
	locals  []userDecl   // names bound anywhere inside the cell, incl. params
	imports []importDecl // imports, with local names
}

// cellCache memoizes parsed cells: a Scope is re-sent with every request and
// old cells never change, so each is parsed once.
var cellCache = struct {
	sync.Mutex
	m map[string]*cellInfo
}{m: map[string]*cellInfo{}}

// maxCachedCells bounds the cache; when full it is simply dropped, which
// costs one re-parse of the scope.
const maxCachedCells = 4096

func parseCellCached(code string) *cellInfo {
	cellCache.Lock()
	ci, ok := cellCache.m[code]
	cellCache.Unlock()
	if ok {
		return ci
	}
	ci = parseCell(code)
	cellCache.Lock()
	if len(cellCache.m) >= maxCachedCells {
		cellCache.m = map[string]*cellInfo{}
	}
	cellCache.m[code] = ci
	cellCache.Unlock()
	return ci
}

// Wrappers that turn a cell fragment into a parsable file. Fragments are
// parsed on their own so that one syntax error loses only its own names.
const (
	declPrefix = "package main\n"
	stmtPrefix = "package main\nfunc _() {\n"
	stmtSuffix = "\n}\n"
)

// parseCell extracts the definitions of a notebook cell. A cell is not a Go
// file: it mixes declarations and statements, so it is parsed as a file when
// that works, and otherwise split into top-level units that are parsed as
// declarations or as statements inside a function body. A unit that does not
// parse at all still yields the names a token scan can see.
func parseCell(code string) *cellInfo {
	cs := cell.Classify(code)
	src := cs.Text
	ci := &cellInfo{}
	if strings.TrimSpace(src) == "" {
		return ci
	}
	buf := declPrefix + src
	if cs.Package != nil {
		buf = src // a whole file
	}
	if f, err := parseBuf(buf); err == nil {
		ci.addFile(f, buf)
		return ci
	}
	for _, u := range cs.Units {
		if u.Kind == cell.UnitPackage {
			continue
		}
		text := src[u.Doc:u.End]
		if parseStatus(text, u) != StatusComplete {
			// An unclosed bracket swallows everything after it into one
			// unit; declarations starting at column 0 bound the damage.
			if subs := cell.Salvage(text); len(subs) > 1 {
				for _, s := range subs {
					ci.addUnit(text[s.Doc:s.End], s)
				}
				continue
			}
		}
		ci.addUnit(text, u)
	}
	return ci
}

// isDecl reports whether the unit starts like a top-level declaration.
// `func (` may be a method or a function literal called as a statement;
// the caller tries both.
func isDecl(u cell.Unit) bool {
	switch u.First {
	case token.IMPORT, token.TYPE, token.VAR, token.CONST, token.FUNC:
		return true
	}
	return false
}

// addUnit parses one unit and records what it defines. When the unit does
// not parse, whatever the parser recovered is kept and a token scan adds the
// names it missed.
func (ci *cellInfo) addUnit(text string, u cell.Unit) {
	if isDecl(u) {
		buf := declPrefix + text
		f, err := parseBuf(buf)
		if err == nil {
			ci.addFile(f, buf)
			return
		}
		// `func (` that does not parse as a method may be a function
		// literal called as a statement: try that below.
		if u.First != token.FUNC || u.Second != token.LPAREN {
			if f != nil {
				ci.addFile(f, buf)
			}
			ci.addScanned(text)
			return
		}
	}
	buf := stmtPrefix + text + stmtSuffix
	f, err := parseBuf(buf)
	if f != nil {
		ci.addStmts(f, buf)
	}
	if err != nil {
		ci.addScanned(text)
	}
}

// addFile records the declarations of a parsed file.
func (ci *cellInfo) addFile(f *ast.File, buf string) {
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.GenDecl:
			ci.addGenDecl(d, buf, true)
		case *ast.FuncDecl:
			if d.Name == nil || d.Name.Name == "_" {
				continue
			}
			ud := userDecl{
				name: d.Name.Name,
				kind: "func",
				src:  nodeText(buf, d.Pos(), d.Type.End()),
				full: nodeText(buf, d.Pos(), d.End()),
				doc:  d.Doc.Text(),
			}
			if d.Recv != nil && len(d.Recv.List) > 0 {
				ud.kind = "method"
				ud.recv = cell.BaseType(d.Recv.List[0].Type)
			}
			if r := d.Type.Results; r != nil && len(r.List) > 0 {
				ud.resultType = types.ExprString(r.List[0].Type)
			}
			ci.decls = append(ci.decls, ud)
			ci.addLocals(d, buf)
		}
	}
}

// addGenDecl records an import, type, var or const declaration. top says
// whether the names are visible to later cells.
func (ci *cellInfo) addGenDecl(d *ast.GenDecl, buf string, top bool) {
	for _, spec := range d.Specs {
		switch s := spec.(type) {
		case *ast.ImportSpec:
			p, err := strconv.Unquote(s.Path.Value)
			if err != nil {
				continue
			}
			name := ""
			if s.Name != nil {
				name = s.Name.Name
			}
			if name == "_" || name == "." {
				continue
			}
			if name == "" {
				name = importName(p)
			}
			ci.imports = append(ci.imports, importDecl{name, p})
		case *ast.TypeSpec:
			ud := userDecl{name: s.Name.Name, kind: "type", doc: docOf(s.Doc, d)}
			ud.src = "type " + nodeText(buf, s.Pos(), s.End())
			ud.full = ud.src
			if st, ok := s.Type.(*ast.StructType); ok && st.Fields != nil {
				for _, fl := range st.Fields.List {
					if len(fl.Names) == 0 {
						ud.fields = append(ud.fields, cell.BaseType(fl.Type))
					}
					for _, nm := range fl.Names {
						ud.fields = append(ud.fields, nm.Name)
					}
				}
			}
			ci.add(ud, top)
		case *ast.ValueSpec:
			kind := "var"
			if d.Tok == token.CONST {
				kind = "const"
			}
			text := kind + " " + nodeText(buf, s.Pos(), s.End())
			for i, nm := range s.Names {
				if nm.Name == "_" {
					continue
				}
				ud := userDecl{name: nm.Name, kind: kind, src: text, full: text, doc: docOf(s.Doc, d)}
				if s.Type != nil {
					ud.typ = types.ExprString(s.Type)
				} else if len(s.Values) == len(s.Names) {
					ud.typeFromExpr(s.Values[i], 0)
				} else if len(s.Values) == 1 {
					ud.typeFromExpr(s.Values[0], i)
				}
				ci.add(ud, top)
			}
		}
	}
}

func (ci *cellInfo) add(ud userDecl, top bool) {
	if top {
		ci.decls = append(ci.decls, ud)
	} else {
		ci.locals = append(ci.locals, ud)
	}
}

// docOf prefers a spec's own doc comment and falls back to the comment above
// an ungrouped declaration.
func docOf(spec *ast.CommentGroup, d *ast.GenDecl) string {
	if spec != nil {
		return spec.Text()
	}
	if !d.Lparen.IsValid() {
		return d.Doc.Text()
	}
	return ""
}

// typeFromExpr records what an initialiser tells about a variable's type:
// composite literals, &T{}, new(T), conversions are read directly; a call is
// remembered so the result type can be looked up later.
func (ud *userDecl) typeFromExpr(e ast.Expr, result int) {
	switch e := ast.Unparen(e).(type) {
	case *ast.CompositeLit:
		if e.Type != nil && result == 0 {
			ud.typ = types.ExprString(e.Type)
		}
	case *ast.UnaryExpr:
		if cl, ok := e.X.(*ast.CompositeLit); ok && e.Op == token.AND && cl.Type != nil && result == 0 {
			ud.typ = "*" + types.ExprString(cl.Type)
		}
	case *ast.CallExpr:
		if id, ok := e.Fun.(*ast.Ident); ok && id.Name == "new" && len(e.Args) == 1 {
			ud.typ = "*" + types.ExprString(e.Args[0])
			return
		}
		switch e.Fun.(type) {
		case *ast.Ident, *ast.SelectorExpr:
			ud.call = types.ExprString(e.Fun)
			ud.result = result
		}
	}
}

// addStmts records the names a statement unit (wrapped in `func _`) defines:
// top-level `x := ...` and var/const/type statements for the scope, and
// every name bound inside for completion within the same cell.
func (ci *cellInfo) addStmts(f *ast.File, buf string) {
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil {
			continue
		}
		for _, st := range fd.Body.List {
			switch st := st.(type) {
			case *ast.AssignStmt:
				ci.addAssign(st, buf, true)
			case *ast.DeclStmt:
				if gd, ok := st.Decl.(*ast.GenDecl); ok {
					ci.addGenDecl(gd, buf, true)
				}
			}
		}
		ci.addLocals(fd.Body, buf)
	}
}

// addAssign records `a, b := ...`.
func (ci *cellInfo) addAssign(st *ast.AssignStmt, buf string, top bool) {
	if st.Tok != token.DEFINE {
		return
	}
	text := nodeText(buf, st.Pos(), st.End())
	for i, l := range st.Lhs {
		id, ok := l.(*ast.Ident)
		if !ok || id.Name == "_" {
			continue
		}
		ud := userDecl{name: id.Name, kind: "var", src: text, full: text}
		if len(st.Rhs) == len(st.Lhs) {
			ud.typeFromExpr(st.Rhs[i], 0)
		} else if len(st.Rhs) == 1 {
			ud.typeFromExpr(st.Rhs[0], i)
		}
		ci.add(ud, top)
	}
}

// addLocals records every name bound inside n (parameters, :=, var, range
// variables) as a local of this cell: they are offered for completion in the
// cell being edited but are not visible to later cells.
func (ci *cellInfo) addLocals(n ast.Node, buf string) {
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncType:
			for _, fl := range []*ast.FieldList{n.TypeParams, n.Params, n.Results} {
				if fl == nil {
					continue
				}
				for _, f := range fl.List {
					for _, nm := range f.Names {
						if nm.Name != "_" {
							ci.locals = append(ci.locals, userDecl{
								name: nm.Name, kind: "var", typ: types.ExprString(f.Type),
								src: nm.Name + " " + types.ExprString(f.Type),
							})
						}
					}
				}
			}
		case *ast.AssignStmt:
			ci.addAssign(n, buf, false)
		case *ast.RangeStmt:
			if n.Tok == token.DEFINE {
				for _, e := range []ast.Expr{n.Key, n.Value} {
					if id, ok := e.(*ast.Ident); ok && id.Name != "_" {
						ci.locals = append(ci.locals, userDecl{name: id.Name, kind: "var",
							src: nodeText(buf, n.Pos(), n.X.End())})
					}
				}
			}
		case *ast.DeclStmt:
			if gd, ok := n.Decl.(*ast.GenDecl); ok {
				ci.addGenDecl(gd, buf, false)
			}
		}
		return true
	})
}

// addScanned is the last resort for a unit that does not parse: a token scan
// for `func NAME`, `func (recv) NAME`, `type NAME`, `var NAME`, `const NAME`
// and `a, b := `, so that a typo in one line does not hide the cell's names.
func (ci *cellInfo) addScanned(text string) {
	// Names the parser already recovered keep their better description.
	key := func(d userDecl) string { return d.recv + "." + d.name }
	known := map[string]bool{}
	for _, d := range append(append([]userDecl{}, ci.decls...), ci.locals...) {
		known[key(d)] = true
	}
	add := func(ud userDecl, top bool) {
		if !known[key(ud)] {
			known[key(ud)] = true
			ci.add(ud, top)
		}
	}
	toks, _ := scan(text)
	// Drop comments: they sit between any two tokens.
	var ts []tok
	for _, t := range toks {
		if t.tok != token.COMMENT {
			ts = append(ts, t)
		}
	}
	line := func(off int) string { return strings.TrimSpace(lineAt(text, off)) }
	depth := 0
	for i := 0; i < len(ts); i++ {
		t := ts[i]
		switch t.tok {
		case token.LBRACE:
			depth++
		case token.RBRACE:
			if depth > 0 {
				depth--
			}
		}
		next := func(k int) tok {
			if i+k < len(ts) {
				return ts[i+k]
			}
			return tok{tok: token.EOF}
		}
		switch t.tok {
		case token.FUNC:
			if depth != 0 {
				continue
			}
			if n := next(1); n.tok == token.IDENT {
				add(userDecl{name: n.lit, kind: "func", src: line(t.start), full: line(t.start)}, true)
			} else if n.tok == token.LPAREN {
				// Skip the receiver to its closing parenthesis.
				j, pd := i+1, 0
				recv := ""
				for ; j < len(ts); j++ {
					if ts[j].tok == token.LPAREN {
						pd++
					} else if ts[j].tok == token.RPAREN {
						pd--
						if pd == 0 {
							break
						}
					} else if ts[j].tok == token.IDENT {
						recv = ts[j].lit // the last identifier is the type
					}
				}
				if j+1 < len(ts) && ts[j+1].tok == token.IDENT {
					add(userDecl{name: ts[j+1].lit, kind: "method", recv: recv,
						src: line(t.start), full: line(t.start)}, true)
				}
			}
		case token.TYPE, token.VAR, token.CONST:
			if n := next(1); n.tok == token.IDENT && depth == 0 {
				kind := map[token.Token]string{token.TYPE: "type", token.VAR: "var", token.CONST: "const"}[t.tok]
				add(userDecl{name: n.lit, kind: kind, src: line(t.start), full: line(t.start)}, true)
			}
		case token.IDENT:
			// Only at the start of a statement: `a, b := ...`.
			if i > 0 && ts[i-1].tok != token.SEMICOLON && ts[i-1].tok != token.LBRACE && ts[i-1].tok != token.RBRACE {
				continue
			}
			j := i
			var names []string
			for j < len(ts) && ts[j].tok == token.IDENT {
				names = append(names, ts[j].lit)
				if j+1 < len(ts) && ts[j+1].tok == token.COMMA {
					j += 2
					continue
				}
				j++
				break
			}
			if j < len(ts) && ts[j].tok == token.DEFINE {
				for _, nm := range names {
					if nm == "_" {
						continue
					}
					ud := userDecl{name: nm, kind: "var", src: line(t.start), full: line(t.start)}
					add(ud, depth == 0)
				}
			}
		}
	}
}

// parseBuf parses buf as a file in a FileSet of its own, so that a position
// minus one is a byte offset into buf (see nodeText). The partial file is
// returned along with any error.
func parseBuf(buf string) (*ast.File, error) {
	return parser.ParseFile(token.NewFileSet(), "", buf, parser.ParseComments|parser.SkipObjectResolution)
}

// nodeText is the source text between two positions of a file parsed by
// parseBuf from buf.
func nodeText(buf string, from, to token.Pos) string {
	a, b := int(from)-1, int(to)-1
	if a < 0 || b > len(buf) || a > b {
		return ""
	}
	return buf[a:b]
}

// importName is the package name an import path binds when no name is
// given: the standard library's table knows it; otherwise the last path
// element, skipping a major-version suffix such as /v2.
func importName(p string) string {
	if name, ok := stdPackageName(p); ok {
		return name
	}
	base := path.Base(p)
	if len(base) > 1 && base[0] == 'v' && strings.Trim(base[1:], "0123456789") == "" {
		base = path.Base(path.Dir(p))
	}
	return strings.TrimPrefix(base, "go-")
}
