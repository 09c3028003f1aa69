package introspect

import (
	"reflect"
	"strings"
)

// env is the merged view of a scope plus the cell being edited: for every
// name, the definition that would be in effect when the cell runs.
type env struct {
	decls   map[string]userDecl            // funcs, types, vars, consts
	methods map[string]map[string]userDecl // receiver type -> method name -> decl
	imports map[string]string              // local package name -> import path
	locals  map[string]userDecl            // names bound inside the edited cell
}

func newEnv(s Scope, code string) *env {
	e := &env{
		decls:   map[string]userDecl{},
		methods: map[string]map[string]userDecl{},
		imports: map[string]string{},
		locals:  map[string]userDecl{},
	}
	// Oldest first, so later definitions replace earlier ones; the edited
	// cell last of all.
	for _, c := range append(append([]string{}, s.Cells...), code) {
		ci := parseCellCached(c)
		for _, d := range ci.decls {
			if d.kind == "method" {
				if e.methods[d.recv] == nil {
					e.methods[d.recv] = map[string]userDecl{}
				}
				e.methods[d.recv][d.name] = d
				continue
			}
			e.decls[d.name] = d
		}
		for _, im := range ci.imports {
			e.imports[im.name] = im.path
		}
	}
	for _, d := range parseCellCached(code).locals {
		if _, ok := e.locals[d.name]; !ok {
			e.locals[d.name] = d
		}
	}
	return e
}

// variable finds a user variable (or parameter) by name, the edited cell's
// own declarations first.
func (e *env) variable(name string) (userDecl, bool) {
	if d, ok := e.decls[name]; ok {
		return d, true
	}
	d, ok := e.locals[name]
	return d, ok
}

// packagePath resolves a package name as the cell would see it: an import
// in the session, else the standard package of that name (cells often use a
// package before the import is written), else nothing.
func (e *env) packagePath(name string) (string, bool) {
	if p, ok := e.imports[name]; ok {
		return p, true
	}
	if name == displayPackage {
		return displayPackage, true
	}
	if ps := std().byName[name]; len(ps) > 0 {
		return ps[0], true
	}
	return "", false
}

// memberSet is what follows `x.` once x's type is known: either a user type
// (fields from its declaration, methods from the session) or a type from
// the standard library known by reflection.
type memberSet struct {
	userType string
	rtype    reflect.Type
}

// varType works out the type of variable d, as far as the source and the
// standard library's signatures tell without type checking.
func (e *env) varType(d userDecl) (memberSet, bool) {
	if d.typ != "" {
		return e.typeNamed(d.typ)
	}
	if d.call == "" {
		return memberSet{}, false
	}
	if pkg, fn, ok := strings.Cut(d.call, "."); ok {
		p, ok := e.packagePath(pkg)
		if !ok {
			return memberSet{}, false
		}
		v, ok := stdSymbol(p, fn)
		if !ok || v.Kind() != reflect.Func || d.result >= v.Type().NumOut() {
			return memberSet{}, false
		}
		return memberSet{rtype: v.Type().Out(d.result)}, true
	}
	// A call of a user function: its declared result type.
	if f, ok := e.decls[d.call]; ok && f.kind == "func" && f.resultType != "" && d.result == 0 {
		return e.typeNamed(f.resultType)
	}
	// A conversion T(x) to a user type.
	if t, ok := e.decls[d.call]; ok && t.kind == "type" {
		return memberSet{userType: t.name}, true
	}
	return memberSet{}, false
}

// typeNamed resolves a type expression such as "T", "*T" or
// "*strings.Builder".
func (e *env) typeNamed(expr string) (memberSet, bool) {
	expr = strings.TrimLeft(expr, "*")
	if pkg, name, ok := strings.Cut(expr, "."); ok {
		p, ok := e.packagePath(pkg)
		if !ok {
			return memberSet{}, false
		}
		v, ok := stdSymbol(p, name)
		if !ok || v.Kind() != reflect.Pointer || !v.IsNil() {
			return memberSet{}, false
		}
		return memberSet{rtype: v.Type().Elem()}, true
	}
	if i := strings.IndexByte(expr, '['); i >= 0 {
		expr = expr[:i] // generic instantiation T[int]
	}
	if d, ok := e.decls[expr]; ok && d.kind == "type" {
		return memberSet{userType: expr}, true
	}
	return memberSet{}, false
}

// members lists the fields and methods of a type.
func (e *env) members(ms memberSet) []string {
	var out []string
	if ms.userType != "" {
		out = append(out, e.decls[ms.userType].fields...)
		for m := range e.methods[ms.userType] {
			out = append(out, m)
		}
		return out
	}
	t := ms.rtype
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() == reflect.Struct {
		for i := 0; i < t.NumField(); i++ {
			if f := t.Field(i); f.IsExported() {
				out = append(out, f.Name)
			}
		}
	}
	// The pointer's method set includes the value's methods.
	pt := t
	if t.Kind() != reflect.Interface {
		pt = reflect.PointerTo(t)
	}
	for i := 0; i < pt.NumMethod(); i++ {
		out = append(out, pt.Method(i).Name)
	}
	return out
}
