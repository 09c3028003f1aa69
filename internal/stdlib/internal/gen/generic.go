package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/build"
	"go/format"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"github.com/juggler-kernel/juggler/internal/stdlib/stdlist"
)

// The generic half of the standard library is interpreted from the
// toolchain's own source, as upstream's stdlib/generic does; but instead of
// copying whole files by hand, writeGeneric keeps what the interpreter must
// compile and nothing else. The rule, per package of stdlist.Packages():
//
//  1. Roots are the exported declarations extract cannot turn into a
//     symbol: generic functions, generic types with their methods, and
//     constraint interfaces (interfaces with type terms, like cmp.Ordered).
//  2. A root brings in, transitively, every unexported or generic
//     declaration of its package that it uses (types with all their
//     methods). Exported non-generic declarations are not copied: the
//     source refers to them through the package's symbol table, by
//     qualifying them with the package's own name and importing it.
//  3. A root is dropped, and listed with its reason in z_generic.go's
//     Omitted, when what it needs cannot be interpreted: an internal
//     package, package unsafe, or a function without a body (assembly or
//     linkname'd into the runtime).
//  4. overrides replaces a few roots by short equivalents written for the
//     interpreter, each with its reason (iter.Pull runs on runtime
//     coroutines; unique.Make on the runtime's weak maps).
//
// Each package's result is one file, src/<import path>/<name>.go, which is
// also an ordinary Go package of this module, so `go vet ./...` checks it.

// omitted records dropped roots: "pkg.Name" -> reason.
type omitted map[string]string

func writeGeneric(dir string) error {
	pkgs, err := stdlist.Packages()
	if err != nil {
		return err
	}
	if err := os.RemoveAll(filepath.Join(dir, "src")); err != nil {
		return err
	}
	drop := omitted{}
	names := map[string][]string{}
	for _, p := range pkgs {
		src, exported, err := genericSource(p, drop)
		if err != nil {
			return fmt.Errorf("generic source of %s: %w", p, err)
		}
		if src == nil {
			continue
		}
		d := filepath.Join(dir, "src", filepath.FromSlash(p))
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(d, filepath.Base(p)+".go"), src, 0o644); err != nil {
			return err
		}
		names[p] = exported
	}
	return writeGenericIndex(dir, names, drop)
}

// decl is one package-level declaration of the package being cut.
type decl struct {
	node   ast.Node // *ast.FuncDecl or *ast.GenDecl (narrowed to one spec)
	file   *ast.File
	src    []byte // the file's bytes
	objs   []types.Object
	method bool
}

func genericSource(p string, drop omitted) ([]byte, []string, error) {
	bp, err := build.Default.Import(p, "", 0)
	if err != nil {
		return nil, nil, err
	}
	fset := token.NewFileSet()
	var files []*ast.File
	srcs := map[*ast.File][]byte{}
	hasRoot := false
	for _, name := range bp.GoFiles {
		b, err := os.ReadFile(filepath.Join(bp.Dir, name))
		if err != nil {
			return nil, nil, err
		}
		f, err := parser.ParseFile(fset, filepath.Join(bp.Dir, name), b, parser.ParseComments)
		if err != nil {
			return nil, nil, err
		}
		files = append(files, f)
		srcs[f] = b
		if overrides[p] != "" || len(roots(f)) > 0 {
			hasRoot = true
		}
	}
	if !hasRoot {
		return nil, nil, nil
	}
	info := &types.Info{Uses: map[*ast.Ident]types.Object{}, Defs: map[*ast.Ident]types.Object{}, Selections: map[*ast.SelectorExpr]*types.Selection{}}
	conf := types.Config{Importer: importer.ForCompiler(fset, "source", nil), FakeImportC: true}
	pkg, err := conf.Check(p, fset, files, info)
	if err != nil {
		return nil, nil, err
	}

	// Index declarations by the objects they define.
	byObj := map[types.Object]*decl{}
	methods := map[types.Object][]*decl{} // type name -> its methods
	var all []*decl
	for _, f := range files {
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				dd := &decl{node: d, file: f, src: srcs[f], objs: []types.Object{info.Defs[d.Name]}}
				all = append(all, dd)
				if d.Recv != nil {
					dd.method = true
					if tn := recvTypeName(d, info); tn != nil {
						methods[tn] = append(methods[tn], dd)
					}
					continue
				}
				byObj[info.Defs[d.Name]] = dd
			case *ast.GenDecl:
				if d.Tok == token.IMPORT {
					continue
				}
				if d.Tok == token.CONST && len(d.Specs) > 1 {
					// iota blocks: keep the whole block together.
					dd := &decl{node: d, file: f, src: srcs[f]}
					for _, s := range d.Specs {
						for _, n := range s.(*ast.ValueSpec).Names {
							if o := info.Defs[n]; o != nil {
								dd.objs = append(dd.objs, o)
								byObj[o] = dd
							}
						}
					}
					all = append(all, dd)
					continue
				}
				for _, s := range d.Specs {
					g := *d
					g.Specs = []ast.Spec{s}
					if len(d.Specs) > 1 {
						g.Lparen, g.Rparen = 0, 0
					}
					dd := &decl{node: &g, file: f, src: srcs[f]}
					switch s := s.(type) {
					case *ast.TypeSpec:
						dd.objs = []types.Object{info.Defs[s.Name]}
					case *ast.ValueSpec:
						for _, n := range s.Names {
							if o := info.Defs[n]; o != nil {
								dd.objs = append(dd.objs, o)
							}
						}
					}
					all = append(all, dd)
					for _, o := range dd.objs {
						byObj[o] = dd
					}
				}
			}
		}
	}

	// Roots.
	var rootObjs []types.Object
	for _, f := range files {
		for _, id := range roots(f) {
			if o := info.Defs[id]; o != nil {
				rootObjs = append(rootObjs, o)
			}
		}
	}
	sort.Slice(rootObjs, func(i, j int) bool { return rootObjs[i].Name() < rootObjs[j].Name() })

	var out []*decl
	kept := map[*decl]bool{}
	imports := map[string]string{} // path -> name
	selfQualified := false
	var exported []string
	for _, root := range rootObjs {
		if overridden(p, root.Name()) {
			continue
		}
		closure, why := cut(pkg, root, byObj, methods, info)
		if why != "" {
			drop[p+"."+root.Name()] = why
			continue
		}
		exported = append(exported, root.Name())
		for _, d := range closure {
			if !kept[d] {
				kept[d] = true
				out = append(out, d)
			}
		}
	}
	if len(out) == 0 && overrides[p] == "" {
		return nil, nil, nil
	}
	// Keep source order, so the file reads like the original.
	order := map[*decl]int{}
	for i, d := range all {
		order[d] = i
	}
	sort.Slice(out, func(i, j int) bool { return order[out[i]] < order[out[j]] })

	var body bytes.Buffer
	for _, d := range out {
		text, quals, err := declText(fset, d, pkg, info, imports)
		if err != nil {
			return nil, nil, err
		}
		if quals {
			selfQualified = true
		}
		body.Write(text)
		body.WriteString("\n\n")
	}
	if o := overrides[p]; o != "" {
		body.WriteString(o)
		for _, n := range overrideNames[p] {
			if ast.IsExported(n) {
				exported = append(exported, n)
			}
		}
	}
	var head bytes.Buffer
	fmt.Fprintf(&head, "// Code generated by internal/stdlib/internal/gen from %s's %s. DO NOT EDIT.\n\n", majorMinor(), p)
	head.WriteString("// Copyright The Go Authors. Use of this source code is governed by the\n// BSD-style license of the Go distribution ($GOROOT/LICENSE).\n\n")
	fmt.Fprintf(&head, "package %s\n\n", pkg.Name())
	if selfQualified {
		imports[p] = pkg.Name()
	}
	for _, imp := range overrideImports[p] {
		name := filepath.Base(imp)
		if imp == p {
			name = pkg.Name()
		}
		imports[imp] = name
	}
	if len(imports) > 0 {
		head.WriteString("import (\n")
		var paths []string
		for ip := range imports {
			paths = append(paths, ip)
		}
		sort.Strings(paths)
		for _, ip := range paths {
			if name := imports[ip]; name != filepath.Base(ip) {
				fmt.Fprintf(&head, "\t%s %q\n", name, ip)
			} else {
				fmt.Fprintf(&head, "\t%q\n", ip)
			}
		}
		head.WriteString(")\n\n")
	}
	res, err := format.Source(append(head.Bytes(), body.Bytes()...))
	if err != nil {
		return nil, nil, fmt.Errorf("format: %w\n%s%s", err, head.Bytes(), body.Bytes())
	}
	sort.Strings(exported)
	return res, exported, nil
}

// roots lists the identifiers of a file's root declarations (rule 1).
func roots(f *ast.File) []*ast.Ident {
	var ids []*ast.Ident
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil && d.Name.IsExported() && d.Type.TypeParams != nil {
				ids = append(ids, d.Name)
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				ts, ok := s.(*ast.TypeSpec)
				if !ok || !ts.Name.IsExported() {
					continue
				}
				if ts.TypeParams != nil || isConstraint(ts.Type) {
					ids = append(ids, ts.Name)
				}
			}
		}
	}
	return ids
}

// isConstraint tells an interface with type terms (usable only as a
// constraint), which extract skips: a union, a ~T, or a predeclared
// non-interface type among its elements.
func isConstraint(e ast.Expr) bool {
	it, ok := e.(*ast.InterfaceType)
	if !ok {
		return false
	}
	for _, f := range it.Methods.List {
		if len(f.Names) > 0 {
			continue
		}
		switch t := f.Type.(type) {
		case *ast.BinaryExpr, *ast.UnaryExpr:
			return true
		case *ast.Ident:
			if types.Universe.Lookup(t.Name) != nil && t.Name != "error" && t.Name != "any" {
				return true
			}
		}
	}
	return false
}

func recvTypeName(d *ast.FuncDecl, info *types.Info) types.Object {
	t := d.Recv.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	switch x := t.(type) {
	case *ast.IndexExpr:
		t = x.X
	case *ast.IndexListExpr:
		t = x.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return info.Uses[id]
	}
	return nil
}

// cut computes the closure of root (rule 2), or why it cannot be
// interpreted (rule 3).
func cut(pkg *types.Package, root types.Object, byObj map[types.Object]*decl, methods map[types.Object][]*decl, info *types.Info) ([]*decl, string) {
	var closure []*decl
	seen := map[*decl]bool{}
	var why string
	var visit func(d *decl)
	need := func(o types.Object) {
		if overridden(pkg.Path(), o.Name()) {
			return
		}
		if d := byObj[o]; d != nil && !seen[d] {
			visit(d)
		}
	}
	visit = func(d *decl) {
		if why != "" {
			return
		}
		seen[d] = true
		closure = append(closure, d)
		if fd, ok := d.node.(*ast.FuncDecl); ok {
			if fd.Body == nil {
				why = fmt.Sprintf("needs %s, which has no Go body", fd.Name.Name)
				return
			}
		}
		for _, o := range d.objs {
			if tn, ok := o.(*types.TypeName); ok {
				for _, m := range methods[tn] {
					if !seen[m] {
						visit(m)
					}
				}
			}
		}
		ast.Inspect(d.node, func(n ast.Node) bool {
			if why != "" {
				return false
			}
			if se, ok := n.(*ast.SelectorExpr); ok {
				if owner := hiddenMember(pkg, info, se); owner != "" {
					why = fmt.Sprintf("uses %s.%s, unexported, of a compiled type", owner, se.Sel.Name)
					return false
				}
			}
			id, ok := n.(*ast.Ident)
			if !ok {
				return true
			}
			o := info.Uses[id]
			if o == nil {
				return true
			}
			if pn, ok := o.(*types.PkgName); ok {
				ip := pn.Imported().Path()
				if stdlist.Internal(ip) || ip == "unsafe" {
					why = fmt.Sprintf("imports %s", ip)
				}
				return true
			}
			if o.Pkg() != pkg || o.Parent() != pkg.Scope() {
				return true
			}
			if o.Exported() && !needsSource(o) {
				return true // through the symbol table
			}
			need(o)
			return true
		})
	}
	visit(byObj[root])
	return closure, why
}

// needsSource tells an exported package-level object that extract leaves
// out of the table, so that its source must come along.
func needsSource(o types.Object) bool {
	switch o := o.(type) {
	case *types.Func:
		return o.Type().(*types.Signature).TypeParams().Len() > 0
	case *types.TypeName:
		if n, ok := o.Type().(*types.Named); ok && n.TypeParams().Len() > 0 {
			return true
		}
		if it, ok := o.Type().Underlying().(*types.Interface); ok && it.NumMethods() == 0 && it.NumEmbeddeds() != 0 {
			return true
		}
	}
	return false
}

// declText prints a declaration as in its file, with references to the
// package's own exported symbols qualified (rule 2) and the imports it uses
// recorded.
func declText(fset *token.FileSet, d *decl, pkg *types.Package, info *types.Info, imports map[string]string) ([]byte, bool, error) {
	start, end := d.node.Pos(), d.node.End()
	if fd, ok := d.node.(*ast.FuncDecl); ok && fd.Doc != nil {
		start = fd.Doc.Pos()
	}
	if gd, ok := d.node.(*ast.GenDecl); ok {
		if gd.Doc != nil && len(gd.Specs) == 1 {
			start = gd.Doc.Pos()
		}
	}
	base := fset.File(start).Base()
	type edit struct {
		off  int
		text string
	}
	var edits []edit
	quals := false
	ast.Inspect(d.node, func(n ast.Node) bool {
		id, ok := n.(*ast.Ident)
		if !ok {
			return true
		}
		o := info.Uses[id]
		if o == nil {
			return true
		}
		if pn, ok := o.(*types.PkgName); ok {
			imports[pn.Imported().Path()] = pn.Name()
			return true
		}
		if o.Pkg() == pkg && o.Parent() == pkg.Scope() && o.Exported() && !needsSource(o) {
			edits = append(edits, edit{int(id.Pos()) - base, pkg.Name() + "."})
			quals = true
		}
		return true
	})
	s, e := int(start)-base, int(end)-base
	src := d.src[s:e]
	if gd, ok := d.node.(*ast.GenDecl); ok && gd.Lparen == 0 && len(gd.Specs) == 1 && gd.Tok != token.IMPORT {
		// A spec cut out of a group: print its keyword.
		sp := gd.Specs[0]
		s = int(sp.Pos()) - base
		if doc := specDoc(sp); doc != nil {
			s = int(doc.Pos()) - base
		}
		src = append([]byte(gd.Tok.String()+" "), d.src[s:e]...)
		s -= len(gd.Tok.String()) + 1
	}
	var b bytes.Buffer
	last := 0
	sort.Slice(edits, func(i, j int) bool { return edits[i].off < edits[j].off })
	for _, ed := range edits {
		at := ed.off - s
		b.Write(src[last:at])
		b.WriteString(ed.text)
		last = at
	}
	b.Write(src[last:])
	return b.Bytes(), quals, nil
}

func specDoc(s ast.Spec) *ast.CommentGroup {
	switch s := s.(type) {
	case *ast.TypeSpec:
		return s.Doc
	case *ast.ValueSpec:
		return s.Doc
	}
	return nil
}

func writeGenericIndex(dir string, names map[string][]string, drop omitted) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by internal/stdlib/internal/gen. DO NOT EDIT.\n\npackage stdlib\n\n")
	b.WriteString("// Generic lists, per import path, the exported names that the package's\n// source in src/ declares: what the symbol table of the package lacks.\nvar Generic = map[string][]string{\n")
	var paths []string
	for p := range names {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		fmt.Fprintf(&b, "\t%q: {", p)
		for i, n := range names[p] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(strconv.Quote(n))
		}
		b.WriteString("},\n")
	}
	b.WriteString("}\n\n// Omitted lists the generic declarations cells cannot use, with the reason:\n// what they need is beyond the interpreter.\nvar Omitted = map[string]string{\n")
	var keys []string
	for k := range drop {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "\t%q: %q,\n", k, drop[k])
	}
	b.WriteString("}\n")
	out, err := format.Source(b.Bytes())
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "z_generic.go"), out, 0o644)
}

func overridden(p, name string) bool {
	for _, n := range overrideNames[p] {
		if n == name {
			return true
		}
	}
	return false
}

// hiddenMember tells a selector of an unexported field or method of one of
// the package's compiled types (those in the symbol table): the source
// cannot reach it. It returns the type's name, or "".
func hiddenMember(pkg *types.Package, info *types.Info, se *ast.SelectorExpr) string {
	sel := info.Selections[se]
	if sel == nil || sel.Obj().Exported() || sel.Obj().Pkg() != pkg {
		return ""
	}
	t := sel.Recv()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := t.(*types.Named)
	if !ok {
		return ""
	}
	if tn := n.Obj(); tn.Exported() && tn.Pkg() == pkg && !needsSource(tn) {
		return tn.Name()
	}
	return ""
}
