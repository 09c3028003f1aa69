package introspect

import (
	"go/token"
	"reflect"
	"strings"

	"github.com/juggler-kernel/juggler/internal/cell"
)

// Inspection is the documentation Inspect found, in the two forms an
// inspect_reply carries.
type Inspection struct {
	Plain    string // text/plain
	Markdown string // text/markdown: the declaration in a Go code block, then the doc
}

// Inspect documents the identifier or selector under or just before cursor
// (in code points); when the cursor is on no identifier, e.g. inside a
// call's arguments, it documents the function being called. detail is the
// protocol's detail_level: 0 shows declarations and doc comments, 1 adds
// function bodies of user code and full package docs. found is false when
// nothing is known about the name.
func Inspect(s Scope, code string, cursor int, detail int) (Inspection, bool) {
	cur := runeToByte(code, cursor)
	cs := cell.Classify(code)
	if cs.MagicAt(cur) {
		return Inspection{}, false
	}
	toks, _ := scan(cs.Text)
	e := newEnv(s, code)
	// The name at the cursor first; when that is unknown (a local being
	// typed as an argument, say) the function being called is still useful.
	for _, idx := range []int{identAt(toks, cur), calleeAt(toks, cur)} {
		if idx < 0 {
			continue
		}
		qual := ""
		if idx >= 2 && toks[idx-1].tok == token.PERIOD && toks[idx-2].tok == token.IDENT {
			qual = toks[idx-2].lit
		}
		if in, ok := e.describe(qual, toks[idx].lit, detail); ok {
			return in, true
		}
	}
	return Inspection{}, false
}

// identAt returns the index of the identifier containing or touching cur,
// or -1, also when cur is inside a string or comment.
func identAt(toks []tok, cur int) int {
	idx := -1
	for i, t := range toks {
		if t.start > cur {
			break
		}
		if t.tok == token.IDENT && cur <= t.end {
			idx = i
			if cur < t.end {
				break // strictly inside: no better candidate
			}
		}
		if (t.tok == token.STRING || t.tok == token.COMMENT || t.tok == token.CHAR) && t.start < cur && cur < t.end {
			return -1
		}
	}
	return idx
}

// calleeAt returns the index of the identifier naming the innermost call
// whose parentheses are open at cur, or -1.
func calleeAt(toks []tok, cur int) int {
	var stack []int // per open paren: index of the callee identifier, or -1
	for i, t := range toks {
		if t.start >= cur {
			break
		}
		switch t.tok {
		case token.LPAREN:
			callee := -1
			if i > 0 && toks[i-1].tok == token.IDENT {
				callee = i - 1
			}
			stack = append(stack, callee)
		case token.RPAREN:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
	for i := len(stack) - 1; i >= 0; i-- {
		if stack[i] >= 0 {
			return stack[i]
		}
	}
	return -1
}

// describe documents qual.name (qual may be empty).
func (e *env) describe(qual, name string, detail int) (Inspection, bool) {
	if qual == "" {
		if d, ok := e.variable(name); ok {
			return userInspection(d, detail), true
		}
		if p, ok := e.packagePath(name); ok {
			return packageInspection(p, detail)
		}
		if _, ok := builtins[name]; ok {
			return builtinInspection(name), true
		}
		return Inspection{}, false
	}
	if d, ok := e.variable(qual); ok && (d.kind == "var" || d.kind == "const") {
		ms, ok := e.varType(d)
		if !ok {
			return Inspection{}, false
		}
		return e.memberInspection(ms, name, detail)
	}
	if d, ok := e.decls[qual]; ok && d.kind == "type" {
		return e.memberInspection(memberSet{userType: qual}, name, detail)
	}
	p, ok := e.packagePath(qual)
	if !ok {
		return Inspection{}, false
	}
	if p == displayPackage {
		text, ok := displayMembers[name]
		if !ok {
			return Inspection{}, false
		}
		return render(displayPackage+"."+name, text, ""), true
	}
	return stdInspection(p, qual, name)
}

// userInspection shows a user definition: its declaration and doc comment.
func userInspection(d userDecl, detail int) Inspection {
	decl := d.src
	if detail > 0 && d.full != "" {
		decl = d.full
	}
	return render(decl, d.doc, "")
}

// memberInspection documents a field or method of a known type.
func (e *env) memberInspection(ms memberSet, name string, detail int) (Inspection, bool) {
	if ms.userType != "" {
		if m, ok := e.methods[ms.userType][name]; ok {
			return userInspection(m, detail), true
		}
		t := e.decls[ms.userType]
		for _, f := range t.fields {
			if f == name {
				// The field's line is inside the type: show the type.
				return userInspection(t, detail), true
			}
		}
		return Inspection{}, false
	}
	t := ms.rtype
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.PkgPath() == "" || t.Name() == "" {
		return Inspection{}, false
	}
	if dp, err := loadDoc(t.PkgPath()); err == nil {
		if de, ok := dp.lookup(t.Name() + "." + name); ok {
			return render(de.decl, de.doc, t.PkgPath()), true
		}
		if de, ok := dp.lookup(t.Name()); ok && t.Kind() == reflect.Struct {
			if _, isField := t.FieldByName(name); isField {
				return render(de.decl, de.doc, t.PkgPath()), true
			}
		}
	}
	if m, ok := reflect.PointerTo(t).MethodByName(name); ok {
		return render("func ("+t.String()+") "+name+strings.TrimPrefix(m.Type.String(), "func"), "", ""), true
	}
	if f, ok := t.FieldByName(name); ok {
		return render(t.String()+"."+name+" "+f.Type.String(), "", ""), true
	}
	return Inspection{}, false
}

// packageInspection documents a package by its synopsis (detail 0) or its
// whole package comment.
func packageInspection(p string, detail int) (Inspection, bool) {
	if p == displayPackage {
		return render("package display", displaySynopsis, ""), true
	}
	name := importName(p)
	head := "package " + name + ` // import "` + p + `"`
	dp, err := loadDoc(p)
	if err != nil {
		if _, ok := stdPackageName(p); ok {
			return render(head, "", ""), true
		}
		return Inspection{}, false
	}
	text := dp.pkg.Synopsis(dp.pkg.Doc)
	if detail > 0 {
		text = dp.pkg.Doc
	}
	return renderDoc(head, text, dp), true
}

// stdInspection documents pkg.name from the standard library: go/doc on
// the Go source, else yaegi's reflect value.
func stdInspection(p, qual, name string) (Inspection, bool) {
	if dp, err := loadDoc(p); err == nil {
		if de, ok := dp.lookup(name); ok {
			return renderDoc(de.decl, de.doc, dp), true
		}
	}
	v, ok := stdSymbol(p, name)
	if !ok {
		return Inspection{}, false
	}
	return render(reflectDescription(qual, name, v), "", ""), true
}

// builtinInspection documents a predeclared identifier from the builtin
// package's source, or the summary line kept here.
func builtinInspection(name string) Inspection {
	if dp, err := loadDoc("builtin"); err == nil {
		if de, ok := dp.lookup(name); ok {
			return renderDoc(de.decl, de.doc, dp)
		}
	}
	return render(builtins[name], "", "")
}

// render formats a declaration and a raw doc comment. pkgPath, when set,
// lets doc links resolve; the comment is formatted by go/doc when its
// package is loaded.
func render(decl, docText, pkgPath string) Inspection {
	if pkgPath != "" {
		if dp, err := loadDoc(pkgPath); err == nil {
			return renderDoc(decl, docText, dp)
		}
	}
	docText = strings.TrimSpace(docText)
	plain, md := strings.TrimSpace(decl), "```go\n"+strings.TrimSpace(decl)+"\n```\n"
	if docText != "" {
		plain += "\n\n" + docText
		md += "\n" + docText + "\n"
	}
	return Inspection{Plain: plain + "\n", Markdown: md}
}

// renderDoc is render with the doc comment formatted by go/doc: wrapped
// text for text/plain, proper Markdown (code blocks, links) for
// text/markdown.
func renderDoc(decl, docText string, dp *docPkg) Inspection {
	decl = strings.TrimSpace(decl)
	plain, md := decl, "```go\n"+decl+"\n```\n"
	if strings.TrimSpace(docText) != "" {
		plain += "\n\n" + strings.TrimRight(string(dp.pkg.Text(docText)), "\n")
		md += "\n" + string(dp.pkg.Markdown(docText))
	}
	return Inspection{Plain: plain + "\n", Markdown: md}
}
