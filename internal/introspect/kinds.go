package introspect

import (
	"reflect"
	"slices"
	"strings"

	"github.com/juggler-kernel/juggler/internal/cell"
)

// Kinds returns the kind of each of matches, which Complete returned for
// the same scope, code and cursor: "keyword", "package", "func", "type",
// "var", "const", "method" or "field", or "" when it is not known. Front
// ends show it beside each match (JupyterLab as an icon).
func Kinds(s Scope, code string, cursor int, matches []string) []string {
	kinds := make([]string, len(matches))
	if len(matches) == 0 {
		return kinds
	}
	cur := runeToByte(code, cursor)
	before := cell.Classify(code).Text[:cur]
	toks, _ := scan(before)
	_, _, qual, ok := completionContext(toks, len(before))
	if !ok {
		return kinds
	}
	e := newEnv(s, code)
	for i, m := range matches {
		if qual == "" {
			kinds[i] = e.topLevelKind(m)
		} else {
			kinds[i] = e.memberKind(qual, m)
		}
	}
	return kinds
}

// topLevelKind is the kind of an unqualified name, in the order Go
// resolves it: the cell's and the session's names, then packages, then
// the predeclared ones.
func (e *env) topLevelKind(name string) string {
	if slices.Contains(keywords, name) {
		return "keyword"
	}
	if d, ok := e.locals[name]; ok {
		return d.kind
	}
	if d, ok := e.decls[name]; ok {
		return d.kind
	}
	if _, ok := e.packagePath(name); ok {
		return "package"
	}
	if sig, ok := builtins[name]; ok {
		kind, _, _ := strings.Cut(sig, " ")
		return kind
	}
	return ""
}

// memberKind is the kind of qual.name, resolved as memberNames does.
func (e *env) memberKind(qual, name string) string {
	if d, ok := e.variable(qual); ok && (d.kind == "var" || d.kind == "const") {
		if ms, ok := e.varType(d); ok {
			return e.fieldOrMethod(ms, name)
		}
		return ""
	}
	if d, ok := e.decls[qual]; ok && d.kind == "type" {
		return "method"
	}
	p, ok := e.packagePath(qual)
	if !ok {
		return ""
	}
	if p == displayPackage {
		return "func"
	}
	v, ok := stdSymbol(p, name)
	if !ok {
		return ""
	}
	// yaegi registers a variable as reflect.ValueOf(&v).Elem(), a type T
	// as (*T)(nil), a constant as its value.
	switch t := v.Type(); {
	case v.CanAddr():
		return "var"
	case t.Kind() == reflect.Func:
		return "func"
	case t.Kind() == reflect.Pointer && v.IsNil() && t.Elem().Name() == name:
		return "type"
	}
	return "const"
}

// fieldOrMethod tells a field of ms from a method.
func (e *env) fieldOrMethod(ms memberSet, name string) string {
	if ms.userType != "" {
		if slices.Contains(e.decls[ms.userType].fields, name) {
			return "field"
		}
		return "method"
	}
	t := ms.rtype
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() == reflect.Struct {
		if f, ok := t.FieldByName(name); ok && f.IsExported() {
			return "field"
		}
	}
	return "method"
}
