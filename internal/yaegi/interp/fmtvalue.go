package interp

// juggler: fmt and errors see a cell's own types as Go's would.
//
// yaegi builds a cell's types with reflect: a struct type is
// reflect.StructOf with its unexported fields renamed X<name> (reflect cannot
// make unexported fields), a defined type is its underlying type, and no such
// type has a name or methods. fmt, given those values, printed
// {Xx:1 Xy:2} for %+v and struct { Xx int; Xy int } for %T, and knew no
// String or Error method (yaegi passes a wrapper struct that has them, which
// %d then printed as {1 5302624}).
//
// So a call of a fmt or log print function gives fmt, for each argument of
// a cell's type, a fmtValue: the value with its interpreter type, which
// implements fmt.Formatter and prints the value as Go's fmt would (its
// printArg, handleMethods and printValue), with the type's own names and
// methods. Leaves of host types go back to fmt itself, with the same flags.
// The interpreter type is the argument's static type, or, for a value held
// in an interface, the one recorded for its reflect type: a value in an
// `any` is a bare reflect value, so its type is found by its reflect type
// (cellTypes), which is exact for a struct type unless two of a program's
// struct types have the same fields.
//
// errors.Is, errors.As and errors.Unwrap are replaced by versions that see
// through yaegi's wrappers to a cell's values and their Is, As and Unwrap
// methods (see errorsIs).

import (
	"fmt"
	"go/token"
	"io"
	"math"
	"path"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// cellTypes maps reflect types the interpreter built back to the cell types
// they stand for. It is process-wide, as reflect types are: the latest
// definition of a given shape wins.
var cellTypes = struct {
	sync.RWMutex
	// structs holds named struct types, by the struct's reflect type.
	structs map[reflect.Type]*itype
	// wrapped holds the named types whose values were converted to a host
	// interface (error, fmt.Stringer), by wrapper type and reflect type: a
	// value found inside yaegi's interface wrapper is of a cell's type, even
	// when its reflect type is int.
	wrapped map[[2]reflect.Type]*itype
}{structs: map[reflect.Type]*itype{}, wrapped: map[[2]reflect.Type]*itype{}}

// isCellNamed reports whether t is a type a program declared (not a host
// or predeclared type).
func isCellNamed(t *itype) bool {
	return t != nil && t.name != "" && cellPkg(t) != "" && t.cat != valueT && t.cat != errorT && !isGeneric(t)
}

// cellPkg is the name of the package that declares t, or "". An instance
// of a generic type (Pair[string,int]) and a type declared in a function
// have no path, but their scope's.
func cellPkg(t *itype) string {
	switch {
	case t.path != "":
		return path.Base(t.path)
	case t.scope != nil && t.scope.pkgID != "" && (strings.Contains(t.name, "[") || !isBasicCat(t.cat)):
		return path.Base(t.scope.pkgID)
	}
	return ""
}

// isBasicCat reports whether c is the category of a basic type.
func isBasicCat(c tcat) bool {
	switch c {
	case boolT, intT, int8T, int16T, int32T, int64T, uintT, uint8T, uint16T, uint32T, uint64T, uintptrT,
		float32T, float64T, complex64T, complex128T, stringT:
		return true
	}
	return false
}

func registerStruct(t *itype) {
	if !isCellNamed(t) || t.rtype == nil {
		return
	}
	cellTypes.Lock()
	cellTypes.structs[t.rtype] = t
	cellTypes.Unlock()
}

// registerWrapped records the type of a value yaegi puts in a wrapper of
// type wrap, to pass it as a host interface.
func registerWrapped(t *itype, wrap reflect.Type) {
	if t == nil || !(isCellNamed(t) || t.cat == ptrT && isCellNamed(t.val)) {
		return
	}
	rt := t.TypeOf()
	if rt == nil {
		return
	}
	cellTypes.Lock()
	cellTypes.wrapped[[2]reflect.Type{wrap, rt}] = t
	cellTypes.Unlock()
}

// typeOfValue returns the cell type of a value of reflect type rt, or nil.
// wrap is the type of the wrapper the value came out of, or nil.
func typeOfValue(rt, wrap reflect.Type) *itype {
	if rt == nil {
		return nil
	}
	cellTypes.RLock()
	t := cellTypes.structs[rt]
	if w := cellTypes.wrapped[[2]reflect.Type{wrap, rt}]; wrap != nil && w != nil {
		t = w
	}
	cellTypes.RUnlock()
	if t == nil && rt.Kind() == reflect.Ptr {
		if e := typeOfValue(rt.Elem(), nil); e != nil {
			return ptrOf(e)
		}
	}
	return t
}

// isWrapper reports whether rt is one of yaegi's interface wrapper structs
// (generated for the standard library, and _error), whose first field holds
// the value.
func isWrapper(rt reflect.Type) bool {
	return rt.Kind() == reflect.Struct && strings.HasPrefix(rt.Name(), "_") && rt.NumField() > 0 && rt.Field(0).Name == "IValue"
}

// dynamic returns the value v holds and its cell type: it opens yaegi's
// valueInterface boxes, host interfaces and wrappers. t is v's static type.
func dynamic(v reflect.Value, t *itype) (reflect.Value, *itype) {
loop:
	for v.IsValid() {
		switch {
		case v.Type() == valueInterfaceType:
			vi := v.Interface().(valueInterface)
			t = nil
			if vi.node != nil {
				t = vi.node.typ
			}
			v = vi.value
			continue
		case v.Kind() == reflect.Interface:
			if v.IsNil() {
				break loop
			}
			v, t = v.Elem(), nil
			continue
		case isWrapper(v.Type()):
			if t == nil || isInterface(t) {
				t = typeOfValue(v.Field(0).Elem().Type(), v.Type())
			}
			v = v.Field(0).Elem()
			continue
		}
		break
	}
	if t != nil && (isIfaceType(t) || t.cat == nilT || v.Kind() == reflect.Interface) {
		t = nil
	}
	if t == nil && v.IsValid() {
		t = typeOfValue(v.Type(), nil)
	}
	return v, t
}

// isIfaceType is isInterface without building t's reflect type, which
// costs maps on every call.
func isIfaceType(t *itype) bool {
	switch t.cat {
	case interfaceT, errorT:
		return true
	case linkedT:
		return t.val != nil && isIfaceType(t.val)
	case valueT:
		return t.rtype != nil && t.rtype.Kind() == reflect.Interface
	}
	return false
}

// binMethods caches lookupBinMethod, which depends only on a type's fields,
// by type and name: fmt looks for 3 methods in each value it prints.
var binMethods sync.Map // binMethodKey -> []int, or nil when there is none

type binMethodKey struct {
	t    *itype
	name string
}

// binMethodIndex returns the field path of t's host method name, promoted
// from an embedded host type, and whether t has one.
func binMethodIndex(t *itype, name string) ([]int, bool) {
	k := binMethodKey{t, name}
	if v, ok := binMethods.Load(k); ok {
		index, _ := v.([]int)
		return index, v != nil && v.([]int) != nil
	}
	_, index, _, ok := t.lookupBinMethod(name)
	if !ok {
		binMethods.Store(k, nil)
		return nil, false
	}
	if index == nil {
		index = []int{}
	}
	binMethods.Store(k, index)
	return index, true
}

// fmtFuncs lists the fmt and log functions whose variadic arguments go
// through fmtValue.
var fmtFuncs = map[string][]string{
	"fmt": {"Append", "Appendf", "Appendln", "Errorf", "Fprint", "Fprintf", "Fprintln", "Print", "Printf", "Println", "Sprint", "Sprintf", "Sprintln"},
	"log": {"Fatal", "Fatalf", "Fatalln", "Panic", "Panicf", "Panicln", "Print", "Printf", "Println"},
}

// loggerMethods are the print methods of *log.Logger, as fmtFuncs, and
// whether each has a format.
var loggerMethods = map[string]bool{
	"Fatal": false, "Fatalf": true, "Fatalln": false, "Panic": false, "Panicf": true, "Panicln": false,
	"Print": false, "Printf": true, "Println": false,
}

// fmtMethods are the host types with print methods: *log.Logger, and the
// type yaegi's stdlib gives log.Logger (to make Fatal panic).
var fmtMethods = map[string]map[string]bool{
	"*log.Logger":       loggerMethods,
	"*stdlib.logLogger": loggerMethods,
}

// fmtMethod reports whether fn, a callee, is one of fmtMethods, and
// whether it has a format.
func fmtMethod(fn *node) (hasFormat, ok bool) {
	if fn.kind != selectorExpr || len(fn.child) < 2 || fn.child[0].typ == nil {
		return false, false
	}
	t := fn.child[0].typ
	if t.cat != valueT || t.rtype == nil {
		return false, false
	}
	hasFormat, ok = fmtMethods[t.rtype.String()][fn.child[1].ident]
	return hasFormat, ok
}

// markFmtFuncs records the symbols of fmtFuncs, once fixStdlib has set
// them: true for those with a format string.
func (interp *Interpreter) markFmtFuncs() {
	interp.fmtFuncs = map[reflect.Value]bool{}
	for pkg, names := range fmtFuncs {
		p := interp.binPkg[pkg]
		for _, name := range names {
			if v, ok := p[name]; ok {
				interp.fmtFuncs[v] = false
			}
		}
		for _, name := range fmtFormatFuncs[pkg] {
			if v, ok := p[name]; ok {
				interp.fmtFuncs[v] = true
			}
		}
	}
}

// genFmtArg returns the value to give a fmt function for argument c: a
// fmtValue when it is of a cell's type, else what orig gives.
func genFmtArg(c *node, orig func(*frame) reflect.Value) func(*frame) reflect.Value {
	src := orig
	if !c.rval.IsValid() && c.kind != basicLit && (c.typ == nil || !c.typ.untyped) {
		src = genValue(c)
	}
	return genFmtValue(c.typ, src, orig)
}

// genFmtValue returns a fmtValue of what src gives, of static type t, when
// it is of a cell's type, else what orig gives.
func genFmtValue(t *itype, src, orig func(*frame) reflect.Value) func(*frame) reflect.Value {
	return func(f *frame) reflect.Value {
		x, ok := newFmtValue(snapshot(src(f)), t, f)
		if !ok {
			return orig(f)
		}
		if x.method("Error").IsValid() {
			// For Errorf's %w, which wraps the value as the program
			// knows it (typeVerbs).
			if o := orig(f); o.IsValid() && o.CanInterface() {
				if _, ok := o.Interface().(error); ok {
					x.orig = o
				}
			}
		}
		return reflect.ValueOf(x)
	}
}

// genFmtSlice returns the []any of a call fmt.Println(xs...), its values
// of a cell's type made fmtValues.
func genFmtSlice(orig func(*frame) reflect.Value) func(*frame) reflect.Value {
	return func(f *frame) reflect.Value {
		xs := orig(f)
		if xs.Kind() != reflect.Slice || xs.Type().Elem() != emptyInterfaceType {
			return xs
		}
		out := reflect.MakeSlice(xs.Type(), xs.Len(), xs.Len())
		for i := 0; i < xs.Len(); i++ {
			e := xs.Index(i)
			if x, ok := newFmtValue(snapshot(e), nil, f); ok {
				e = reflect.ValueOf(x)
			}
			out.Index(i).Set(e)
		}
		return out
	}
}

// fmtValue is a value of a cell's type on its way to fmt; it formats
// itself as Go's fmt formats the value.
type fmtValue struct {
	v      reflect.Value
	t      *itype // nil: a host value inside a cell's (such as an []any)
	f      *frame // where to run the type's methods
	depth  int
	hidden bool // reached through an unexported field: fmt calls no methods
	// orig is the value as yaegi passes it as an error, for %w, when
	// its type has an Error method.
	orig reflect.Value
}

// newFmtValue makes v, of static type t, a fmtValue when it (or something
// in it) is of a cell's type.
func newFmtValue(v reflect.Value, t *itype, f *frame) (fmtValue, bool) {
	v, t = dynamic(v, t)
	if !v.IsValid() || !needsFmt(v, t) {
		return fmtValue{}, false
	}
	return fmtValue{v: v, t: t, f: f}, true
}

// needsFmt reports whether fmt would print v, of cell type t (or nil),
// otherwise than Go does.
func needsFmt(v reflect.Value, t *itype) bool {
	if t != nil {
		return !isHostType(t)
	}
	rt := v.Type()
	if rt.Name() != "" || rt.Kind() == reflect.Ptr && rt.Elem().Name() != "" {
		return false // a host type; its own methods print it
	}
	switch rt.Kind() {
	case reflect.Struct, reflect.Ptr, reflect.Slice, reflect.Array, reflect.Map:
		return mayHoldCell(rt, 0)
	}
	return false
}

// isHostType reports whether t is known to the host as it is: a host type
// or an unnamed basic type.
func isHostType(t *itype) bool {
	switch {
	case t.cat == valueT, t.cat == errorT:
		return true
	case isBasicCat(t.cat):
		return t.path == ""
	}
	return false
}

// mayHoldCell reports whether a value of unnamed host type rt can hold a
// value of a cell's type.
func mayHoldCell(rt reflect.Type, depth int) bool {
	if depth > 8 {
		return false
	}
	switch rt.Kind() {
	case reflect.Interface:
		return true
	case reflect.Struct:
		if typeOfValue(rt, nil) != nil {
			return true
		}
		for i := 0; i < rt.NumField(); i++ {
			if mayHoldCell(rt.Field(i).Type, depth+1) {
				return true
			}
		}
		return false
	case reflect.Ptr, reflect.Slice, reflect.Array:
		return mayHoldCell(rt.Elem(), depth+1)
	case reflect.Map:
		return mayHoldCell(rt.Key(), depth+1) || mayHoldCell(rt.Elem(), depth+1)
	}
	return false
}

// method returns x's method name, bound to x, if x's method set has it.
func (x fmtValue) method(name string) reflect.Value {
	if x.t == nil {
		return reflect.Value{}
	}
	return cellMethod(x.v, x.t, x.f, name)
}

// cellMethod returns the method name of v, of cell type t, bound to v, if
// v's method set has it.
func cellMethod(v reflect.Value, t *itype, f *frame, name string) reflect.Value {
	if t == nil || !v.IsValid() {
		return reflect.Value{}
	}
	m, index := t.lookupMethod(name)
	if m == nil {
		if index, ok := binMethodIndex(t, name); ok {
			return methodByName(v, name, index)
		}
		return reflect.Value{}
	}
	if _, ok := m.val.(*node); !ok {
		return reflect.Value{}
	}
	if m.typ != nil && m.typ.recv != nil && m.typ.recv.cat == ptrT && v.Kind() != reflect.Ptr && !embedsPointer(t, index) {
		return reflect.Value{} // a pointer method: not in a value's method set
	}
	if v.Kind() == reflect.Ptr && v.IsNil() && len(index) > 0 {
		return reflect.Value{}
	}
	nod := *m
	nod.recv = &receiver{val: v, index: index}
	return genFunctionWrapper(&nod)(f)
}

// embedsPointer reports whether the embedded field at the end of index,
// in struct type t, is a pointer: its pointer methods are promoted to a
// value of t.
func embedsPointer(t *itype, index []int) bool {
	if len(index) == 0 {
		return false
	}
	for _, i := range index {
		t = t.underlying()
		if t.cat == ptrT {
			t = t.val.underlying()
		}
		if t.cat != structT || i >= len(t.field) {
			return false
		}
		t = t.field[i].typ
	}
	return t.cat == ptrT
}

// callMethod calls fn, if valid, with args.
func callMethod(fn reflect.Value, args ...reflect.Value) (res []reflect.Value) {
	if !fn.IsValid() {
		return nil
	}
	return fn.Call(args)
}

// stringMethod returns x's method name if it is a func() string.
func (x fmtValue) stringMethod(name string) reflect.Value {
	m := x.method(name)
	if !m.IsValid() {
		return m
	}
	if mt := m.Type(); mt.NumIn() != 0 || mt.NumOut() != 1 || mt.Out(0) != reflect.TypeOf("") {
		return reflect.Value{}
	}
	return m
}

// Format implements fmt.Formatter.
func (x fmtValue) Format(s fmt.State, verb rune) {
	switch verb {
	case 'T':
		fmt.Fprintf(s, fmt.FormatString(s, 's'), typeString(x.t, x.v.Type()))
		return
	case 'p':
		fmt.Fprintf(s, fmt.FormatString(s, verb), x.v.Interface())
		return
	}
	if !x.hidden && x.handleMethods(s, verb) {
		return
	}
	x.printValue(s, verb)
}

// handleMethods is fmt's: Format, GoString, Error and String, in this order.
func (x fmtValue) handleMethods(s fmt.State, verb rune) (handled bool) {
	if x.t == nil {
		return false
	}
	var which string // the method called, for a panic's message
	defer func() {
		if r := recover(); r != nil {
			handled = true
			if x.v.Kind() == reflect.Ptr && x.v.IsNil() {
				io.WriteString(s, "<nil>")
				return
			}
			fmt.Fprintf(s, "%%!%c(PANIC=%s method: %v)", verb, which, r)
		}
	}()
	if m := x.method("Format"); m.IsValid() && m.Type().NumIn() == 2 && m.Type().NumOut() == 0 {
		which = "Format"
		callMethod(m, reflect.ValueOf(s).Convert(m.Type().In(0)), reflect.ValueOf(verb).Convert(m.Type().In(1)))
		return true
	}
	if verb == 'v' && s.Flag('#') {
		if m := x.stringMethod("GoString"); m.IsValid() {
			which = "GoString"
			io.WriteString(s, callMethod(m)[0].String())
			return true
		}
		return false
	}
	switch verb {
	case 'v', 's', 'x', 'X', 'q':
		for _, name := range []string{"Error", "String"} {
			if m := x.stringMethod(name); m.IsValid() {
				which = name
				fmt.Fprintf(s, fmt.FormatString(s, verb), callMethod(m)[0].String())
				return true
			}
		}
	}
	return false
}

// child returns what to give fmt for v, a part of x of static type t.
func (x fmtValue) child(v reflect.Value, t *itype, hidden bool) any {
	v, t = dynamic(v, t)
	if !v.IsValid() {
		return nilValue{}
	}
	if needsFmt(v, t) {
		return fmtValue{v: v, t: t, f: x.f, depth: x.depth + 1, hidden: hidden}
	}
	switch {
	case v.Kind() == reflect.Ptr && (hidden || v.NumMethod() == 0):
		return pointerValue{v}
	case hidden && v.NumMethod() > 0:
		return hiddenValue{v}
	}
	if !v.CanInterface() {
		return hiddenValue{v}
	}
	return v.Interface()
}

// nilValue prints a nil interface inside a value.
type nilValue struct{}

func (nilValue) Format(s fmt.State, verb rune) {
	if verb == 'v' && s.Flag('#') {
		io.WriteString(s, "interface {}(nil)")
		return
	}
	fmt.Fprintf(s, fmt.FormatString(s, verb), nil)
}

// pointerValue prints a pointer below the top level: its address.
type pointerValue struct{ v reflect.Value }

func (p pointerValue) Format(s fmt.State, verb rune) {
	u := p.v.Pointer()
	switch verb {
	case 'v':
		switch {
		case s.Flag('#'):
			a := "nil"
			if u != 0 {
				a = "0x" + strconv.FormatUint(uint64(u), 16)
			}
			fmt.Fprintf(s, "(%s)(%s)", p.v.Type(), a)
		case u == 0:
			padString(s, "<nil>") // the width only, as fmt's padString
		default:
			fmt.Fprintf(s, fmt.FormatString(s, 's'), "0x"+strconv.FormatUint(uint64(u), 16))
		}
	default:
		fmt.Fprintf(s, fmt.FormatString(s, verb), p.v.Interface())
	}
}

// padString writes str padded to the width of s, as fmt's padString.
func padString(s fmt.State, str string) {
	f := "%"
	if s.Flag('-') {
		f += "-"
	}
	if w, ok := s.Width(); ok {
		f += strconv.Itoa(w)
	}
	fmt.Fprintf(s, f+"s", str)
}

// hiddenValue prints a host value reached through an unexported field:
// fmt calls none of its methods. fmt does the same for a host struct's
// unexported field, so the value goes in one and comes out of its print.
type hiddenValue struct{ v reflect.Value }

type hiddenBox struct{ v any }

func (h hiddenValue) Format(s fmt.State, verb rune) {
	var in any
	if h.v.CanInterface() {
		in = h.v.Interface()
	}
	out := fmt.Sprintf(fmt.FormatString(s, verb), hiddenBox{in})
	prefix := "{"
	switch {
	case verb == 'v' && s.Flag('#'):
		prefix = "interp.hiddenBox{v:"
	case verb == 'v' && s.Flag('+'):
		prefix = "{v:"
	}
	if strings.HasPrefix(out, prefix) && strings.HasSuffix(out, "}") {
		out = out[len(prefix) : len(out)-1]
	}
	io.WriteString(s, out)
}

// printValue is fmt's printValue for a value of a cell's type.
func (x fmtValue) printValue(s fmt.State, verb rune) {
	v, t := x.v, x.t
	var ut *itype
	if t != nil {
		ut = t.underlying()
	}
	sharpV := verb == 'v' && s.Flag('#')
	plusV := verb == 'v' && s.Flag('+')
	put := func(a any) { fmt.Fprintf(s, fmt.FormatString(s, verb), a) }
	elem := func(of *itype) *itype {
		if of == nil {
			return nil
		}
		return of.val
	}

	switch v.Kind() {
	case reflect.Struct:
		if sharpV {
			io.WriteString(s, typeString(t, v.Type()))
		}
		io.WriteString(s, "{")
		for i := 0; i < v.NumField(); i++ {
			if i > 0 {
				if sharpV {
					io.WriteString(s, ", ")
				} else {
					io.WriteString(s, " ")
				}
			}
			name, ft := fieldOf(ut, v.Type(), i)
			if plusV || sharpV {
				io.WriteString(s, name+":")
			}
			put(x.child(v.Field(i), ft, x.hidden || !token.IsExported(name)))
		}
		io.WriteString(s, "}")

	case reflect.Map:
		if sharpV {
			io.WriteString(s, typeString(t, v.Type()))
			if v.IsNil() {
				io.WriteString(s, "(nil)")
				return
			}
			io.WriteString(s, "{")
		} else {
			io.WriteString(s, "map[")
		}
		var kt, vt *itype
		if ut != nil && ut.cat == mapT {
			kt, vt = ut.key, ut.val
		}
		keys := v.MapKeys()
		sort.SliceStable(keys, func(i, j int) bool { return compare(keys[i], keys[j]) < 0 })
		for i, k := range keys {
			if i > 0 {
				if sharpV {
					io.WriteString(s, ", ")
				} else {
					io.WriteString(s, " ")
				}
			}
			put(x.child(k, kt, x.hidden))
			io.WriteString(s, ":")
			put(x.child(v.MapIndex(k), vt, x.hidden))
		}
		if sharpV {
			io.WriteString(s, "}")
		} else {
			io.WriteString(s, "]")
		}

	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 && strings.ContainsRune("sqxX", verb) {
			b := make([]byte, v.Len())
			for i := range b {
				b[i] = byte(v.Index(i).Uint())
			}
			put(b)
			return
		}
		if sharpV {
			io.WriteString(s, typeString(t, v.Type()))
			if v.Kind() == reflect.Slice && v.IsNil() {
				io.WriteString(s, "(nil)")
				return
			}
			io.WriteString(s, "{")
		} else {
			io.WriteString(s, "[")
		}
		et := elem(ut)
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				if sharpV {
					io.WriteString(s, ", ")
				} else {
					io.WriteString(s, " ")
				}
			}
			put(x.child(v.Index(i), et, x.hidden))
		}
		if sharpV {
			io.WriteString(s, "}")
		} else {
			io.WriteString(s, "]")
		}

	case reflect.Ptr:
		if x.depth == 0 && !v.IsNil() {
			switch v.Elem().Kind() {
			case reflect.Array, reflect.Slice, reflect.Struct, reflect.Map:
				io.WriteString(s, "&")
				fmtValue{v: v.Elem(), t: elem(ut), f: x.f, depth: x.depth + 1, hidden: x.hidden}.printValue(s, verb)
				return
			}
		}
		switch {
		case sharpV:
			a := "nil"
			if !v.IsNil() {
				a = "0x" + strconv.FormatUint(uint64(v.Pointer()), 16)
			}
			fmt.Fprintf(s, "(%s)(%s)", typeString(t, v.Type()), a)
		case strings.ContainsRune("vpbodxX", verb):
			put(pointerValue{v})
		default:
			// fmt's badVerb: the type, and the value as %v at the top,
			// with the width and precision.
			fmt.Fprintf(s, "%%!%c(%s=", verb, typeString(t, v.Type()))
			f := "%"
			for _, c := range "-0 " {
				if s.Flag(int(c)) {
					f += string(c)
				}
			}
			if w, ok := s.Width(); ok {
				f += strconv.Itoa(w)
			}
			if p, ok := s.Precision(); ok {
				f += "." + strconv.Itoa(p)
			}
			fmt.Fprintf(s, f+"v)", fmtValue{v: v, t: t, f: x.f})
		}

	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128, reflect.String:
		// The underlying value: a host type's methods do not apply to a
		// cell's type defined from it. A wrong verb names the cell's type.
		bt := basicTypes[v.Kind()]
		out := fmt.Sprintf(fmt.FormatString(s, verb), v.Convert(bt).Interface())
		if bad := "%!" + string(verb) + "(" + bt.String() + "="; t != nil && strings.HasPrefix(out, bad) {
			out = "%!" + string(verb) + "(" + typeString(t, v.Type()) + "=" + out[len(bad):]
		}
		io.WriteString(s, out)

	default:
		if v.CanInterface() {
			put(v.Interface())
		}
	}
}

// basicTypes are the unnamed basic types, by kind.
var basicTypes = map[reflect.Kind]reflect.Type{
	reflect.Bool: reflect.TypeOf(false), reflect.String: reflect.TypeOf(""),
	reflect.Int: reflect.TypeOf(0), reflect.Int8: reflect.TypeOf(int8(0)), reflect.Int16: reflect.TypeOf(int16(0)),
	reflect.Int32: reflect.TypeOf(int32(0)), reflect.Int64: reflect.TypeOf(int64(0)),
	reflect.Uint: reflect.TypeOf(uint(0)), reflect.Uint8: reflect.TypeOf(uint8(0)), reflect.Uint16: reflect.TypeOf(uint16(0)),
	reflect.Uint32: reflect.TypeOf(uint32(0)), reflect.Uint64: reflect.TypeOf(uint64(0)), reflect.Uintptr: reflect.TypeOf(uintptr(0)),
	reflect.Float32: reflect.TypeOf(float32(0)), reflect.Float64: reflect.TypeOf(float64(0)),
	reflect.Complex64: reflect.TypeOf(complex64(0)), reflect.Complex128: reflect.TypeOf(complex128(0)),
}

// fieldOf returns the name and type of field i of a struct of cell type
// ut (or nil) and reflect type rt.
func fieldOf(ut *itype, rt reflect.Type, i int) (string, *itype) {
	if ut != nil && ut.cat == structT && len(ut.field) == rt.NumField() {
		f := ut.field[i]
		name := f.name
		if f.embed {
			name = embeddedName(f.typ)
		}
		return name, f.typ
	}
	name := rt.Field(i).Name
	// yaegi's X prefix of an unexported field, when no cell type says more.
	if len(name) > 1 && name[0] == 'X' && !token.IsExported(name[1:]) {
		name = name[1:]
	}
	return name, nil
}

// embeddedName is the field name of an embedded type: its name without
// package or pointer.
func embeddedName(t *itype) string {
	for t.cat == ptrT && t.name == "" {
		t = t.val
	}
	if t.name != "" {
		if i := strings.IndexByte(t.name, '['); i > 0 {
			return t.name[:i]
		}
		return t.name
	}
	if t.rtype != nil {
		return t.rtype.Name()
	}
	return t.str
}

// typeString is reflect's String of the cell type t, or of rt when t is
// nil.
func typeString(t *itype, rt reflect.Type) string {
	if t == nil {
		return rtypeString(rt, 0)
	}
	return typeStr(t, 0)
}

// rtypeString is rt.String(), with the names of the cell's struct types
// in it, and their fields' (a []main.point in an any).
func rtypeString(rt reflect.Type, depth int) string {
	if t := typeOfValue(rt, nil); t != nil {
		return typeStr(t, depth)
	}
	if rt.Name() != "" || depth > 16 {
		return rt.String()
	}
	ts := func(e reflect.Type) string { return rtypeString(e, depth+1) }
	switch rt.Kind() {
	case reflect.Ptr:
		return "*" + ts(rt.Elem())
	case reflect.Slice:
		return "[]" + ts(rt.Elem())
	case reflect.Array:
		return "[" + strconv.Itoa(rt.Len()) + "]" + ts(rt.Elem())
	case reflect.Map:
		return "map[" + ts(rt.Key()) + "]" + ts(rt.Elem())
	case reflect.Struct:
		if rt.NumField() == 0 {
			return "struct {}"
		}
		parts := make([]string, rt.NumField())
		for i := range parts {
			f := rt.Field(i)
			name, _ := fieldOf(nil, rt, i)
			p := name + " " + ts(f.Type)
			if f.Anonymous {
				p = ts(f.Type)
			}
			if f.Tag != "" && f.Tag != hiddenFieldTag {
				p += " " + strconv.Quote(string(f.Tag))
			}
			parts[i] = p
		}
		return "struct { " + strings.Join(parts, "; ") + " }"
	}
	return rt.String()
}

func typeStr(t *itype, depth int) string {
	if depth > 16 {
		return "..."
	}
	if isCellNamed(t) {
		return cellPkg(t) + "." + t.name
	}
	ts := func(u *itype) string { return typeStr(u, depth+1) }
	switch t.cat {
	case valueT:
		if t.rtype != nil {
			return t.rtype.String()
		}
	case errorT:
		return "error"
	case linkedT:
		return ts(t.val)
	case ptrT:
		return "*" + ts(t.val)
	case sliceT:
		return "[]" + ts(t.val)
	case variadicT:
		return "..." + ts(t.val)
	case arrayT:
		return "[" + strconv.Itoa(t.length) + "]" + ts(t.val)
	case mapT:
		return "map[" + ts(t.key) + "]" + ts(t.val)
	case chanT:
		return "chan " + ts(t.val)
	case chanSendT:
		return "chan<- " + ts(t.val)
	case chanRecvT:
		return "<-chan " + ts(t.val)
	case funcT:
		var b strings.Builder
		b.WriteString("func(")
		for i, a := range t.arg {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(ts(a))
		}
		b.WriteString(")")
		switch len(t.ret) {
		case 0:
		case 1:
			b.WriteString(" " + ts(t.ret[0]))
		default:
			b.WriteString(" (")
			for i, r := range t.ret {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString(ts(r))
			}
			b.WriteString(")")
		}
		return b.String()
	case structT:
		if len(t.field) == 0 {
			return "struct {}"
		}
		parts := make([]string, len(t.field))
		for i, f := range t.field {
			p := ts(f.typ)
			if !f.embed {
				p = f.name + " " + p
			}
			if f.tag != "" {
				p += " " + strconv.Quote(f.tag)
			}
			parts[i] = p
		}
		return "struct { " + strings.Join(parts, "; ") + " }"
	case interfaceT:
		if len(t.field) == 0 {
			return "interface {}"
		}
		parts := make([]string, 0, len(t.field))
		for _, f := range t.field {
			if f.typ.cat == funcT {
				parts = append(parts, f.name+strings.TrimPrefix(ts(f.typ), "func"))
			} else {
				parts = append(parts, ts(f.typ))
			}
		}
		return "interface { " + strings.Join(parts, "; ") + " }"
	}
	if t.name != "" {
		return t.name
	}
	return t.str
}

// compare orders map keys as fmt does (internal/fmtsort): numbers,
// strings, false before true, pointers and channels by address, structs
// and arrays element by element, interfaces by type then value.
func compare(a, b reflect.Value) int {
	if a.Type() != b.Type() {
		return 0 // not comparable; keep the order
	}
	switch a.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return cmp3(a.Int() < b.Int(), a.Int() > b.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return cmp3(a.Uint() < b.Uint(), a.Uint() > b.Uint())
	case reflect.String:
		return strings.Compare(a.String(), b.String())
	case reflect.Float32, reflect.Float64:
		return floatCompare(a.Float(), b.Float())
	case reflect.Complex64, reflect.Complex128:
		if c := floatCompare(real(a.Complex()), real(b.Complex())); c != 0 {
			return c
		}
		return floatCompare(imag(a.Complex()), imag(b.Complex()))
	case reflect.Bool:
		return cmp3(!a.Bool() && b.Bool(), a.Bool() && !b.Bool())
	case reflect.Ptr, reflect.UnsafePointer, reflect.Chan:
		return cmp3(a.Pointer() < b.Pointer(), a.Pointer() > b.Pointer())
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if c := compare(a.Field(i), b.Field(i)); c != 0 {
				return c
			}
		}
		return 0
	case reflect.Array:
		for i := 0; i < a.Len(); i++ {
			if c := compare(a.Index(i), b.Index(i)); c != 0 {
				return c
			}
		}
		return 0
	case reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return cmp3(a.IsNil() && !b.IsNil(), !a.IsNil() && b.IsNil())
		}
		ea, eb := a.Elem(), b.Elem()
		if ea.Type() != eb.Type() {
			return cmp3(ea.Type().String() < eb.Type().String(), ea.Type().String() > eb.Type().String())
		}
		return compare(ea, eb)
	}
	return 0
}

func cmp3(less, more bool) int {
	switch {
	case less:
		return -1
	case more:
		return 1
	}
	return 0
}

func floatCompare(a, b float64) int {
	switch {
	case math.IsNaN(a) && math.IsNaN(b):
		return 0
	case math.IsNaN(a):
		return -1
	case math.IsNaN(b):
		return 1
	}
	return cmp3(a < b, a > b)
}

// errorOf returns what err holds: the value, and its cell type when it is
// a cell's value (nil for a host error).
func errorOf(err error) (reflect.Value, *itype) {
	v := reflect.ValueOf(err)
	if isWrapper(v.Type()) {
		in := v.Field(0).Elem()
		return in, typeOfValue(in.Type(), v.Type())
	}
	return v, nil
}

// errMethod returns err's method name: a cell's method, or a host one.
func (interp *Interpreter) errMethod(err error, name string) reflect.Value {
	v, t := errorOf(err)
	if t != nil {
		return cellMethod(v, t, interp.frame, name)
	}
	return reflect.ValueOf(err).MethodByName(name)
}

// unwrapErrors returns the errors err wraps, by Unwrap() error or
// Unwrap() []error, and whether it has either method.
func (interp *Interpreter) unwrapErrors(err error) ([]error, bool) {
	m := interp.errMethod(err, "Unwrap")
	if !m.IsValid() || m.Type().NumIn() != 0 || m.Type().NumOut() != 1 {
		return nil, false
	}
	r := m.Call(nil)[0]
	switch errs := r.Interface().(type) {
	case error:
		return []error{errs}, true
	case []error:
		return errs, true
	case nil:
		return nil, r.Type().Kind() == reflect.Interface
	}
	return nil, false
}

// walkErrors calls match on err and the errors it wraps, depth first, as
// errors.Is does, until match returns true.
func (interp *Interpreter) walkErrors(err error, match func(error) bool) bool {
	for err != nil {
		if match(err) {
			return true
		}
		errs, ok := interp.unwrapErrors(err)
		if !ok {
			return false
		}
		m := interp.errMethod(err, "Unwrap")
		if m.Type().Out(0).Kind() == reflect.Slice {
			for _, e := range errs {
				if interp.walkErrors(e, match) {
					return true
				}
			}
			return false
		}
		err = nil
		if len(errs) == 1 {
			err = errs[0]
		}
	}
	return false
}

// errorsIs is errors.Is for errors that may be a cell's values.
func (interp *Interpreter) errorsIs(err, target error) bool {
	if err == nil || target == nil {
		return err == target
	}
	tv, _ := errorOf(target)
	return interp.walkErrors(err, func(e error) bool {
		if ev, _ := errorOf(e); equalValues(ev, tv) {
			return true
		}
		if m := interp.errMethod(e, "Is"); m.IsValid() && m.Type().NumIn() == 1 && m.Type().NumOut() == 1 {
			return m.Call([]reflect.Value{reflect.ValueOf(&target).Elem()})[0].Bool()
		}
		return false
	})
}

// equalValues reports a == b for values of the same comparable type.
func equalValues(a, b reflect.Value) (eq bool) {
	if !a.IsValid() || !b.IsValid() || a.Type() != b.Type() || !a.Type().Comparable() {
		return false
	}
	defer func() {
		if recover() != nil {
			eq = false // an interface holding an incomparable value
		}
	}()
	return a.Equal(b)
}

// asTarget is the target of errors.As with its type, when that is a
// pointer to a cell's interface type: yaegi's reflect type of every such
// interface is the same valueInterface.
type asTarget struct {
	ptr reflect.Value
	t   *itype // the interface
}

// genAsTarget gives errors.As the target c with its type, when that is a
// cell's interface type.
func genAsTarget(c *node, orig func(*frame) reflect.Value) func(*frame) reflect.Value {
	t := c.typ
	if t == nil || t.cat != ptrT || t.val == nil || !isInterfaceSrc(t.val) || isEmptyInterface(t.val) {
		return orig
	}
	return func(f *frame) reflect.Value {
		v := orig(f)
		if v.Kind() != reflect.Ptr || v.IsNil() {
			return v
		}
		return reflect.ValueOf(asTarget{ptr: v, t: t.val})
	}
}

// implementsIface reports whether err's value, of cell type et (nil for a
// host one), has the methods of the cell's interface it.
func implementsIface(err error, et, it *itype) bool {
	if et != nil {
		return et.methods().contains(it.methods())
	}
	rt := reflect.TypeOf(err)
	for name := range it.methods() {
		if _, ok := rt.MethodByName(name); !ok {
			return false
		}
	}
	return true
}

// errorsAs is errors.As for errors and targets that may be a cell's.
func (interp *Interpreter) errorsAs(err error, target any) bool {
	if err == nil {
		return false
	}
	if target == nil {
		panic("errors: target cannot be nil")
	}
	if at, ok := target.(asTarget); ok {
		return interp.walkErrors(err, func(e error) bool {
			ev, et := errorOf(e)
			if implementsIface(e, et, at.t) {
				t := et
				if t == nil {
					t, ev = valueTOf(reflect.TypeOf(e)), reflect.ValueOf(e)
				}
				at.ptr.Elem().Set(reflect.ValueOf(valueInterface{&node{typ: t, interp: interp}, ev}))
				return true
			}
			if m := interp.errMethod(e, "As"); m.IsValid() && m.Type().NumIn() == 1 && m.Type().NumOut() == 1 {
				return m.Call([]reflect.Value{at.ptr})[0].Bool()
			}
			return false
		})
	}
	val := reflect.ValueOf(target)
	if val.Kind() != reflect.Ptr || val.IsNil() {
		panic("errors: target must be a non-nil pointer")
	}
	tt := val.Type().Elem()
	return interp.walkErrors(err, func(e error) bool {
		ev, _ := errorOf(e)
		switch {
		case tt == valueInterfaceType:
			// A cell's interface type: left to its As method.
		case tt.Kind() == reflect.Interface:
			if reflect.TypeOf(e).Implements(tt) {
				val.Elem().Set(reflect.ValueOf(e))
				return true
			}
		case ev.IsValid() && ev.Type().AssignableTo(tt):
			val.Elem().Set(ev)
			return true
		}
		if m := interp.errMethod(e, "As"); m.IsValid() && m.Type().NumIn() == 1 && m.Type().NumOut() == 1 {
			return m.Call([]reflect.Value{reflect.ValueOf(&target).Elem()})[0].Bool()
		}
		return false
	})
}

// errorsUnwrap is errors.Unwrap for errors that may be a cell's.
func (interp *Interpreter) errorsUnwrap(err error) error {
	if err == nil {
		return nil
	}
	m := interp.errMethod(err, "Unwrap")
	if !m.IsValid() || m.Type().NumOut() != 1 || m.Type().Out(0).Kind() != reflect.Interface {
		return nil
	}
	errs, _ := interp.unwrapErrors(err)
	if len(errs) != 1 {
		return nil
	}
	return errs[0]
}

// fmtFormatFuncs are the fmtFuncs with a format string, and its position.
var fmtFormatFuncs = map[string][]string{
	"fmt": {"Appendf", "Errorf", "Fprintf", "Printf", "Sprintf"},
	"log": {"Fatalf", "Panicf", "Printf"},
}

// typeVerbs is what fmt does for %T and %p itself, before a Formatter
// could: a %T of a cell's value becomes %s of its type's name, a %p gets
// the pointer. And Errorf's %w wraps the value as the program knows it
// (yaegi's error wrapper), which errors.Unwrap gives back to the program.
// in[fi] is the format, the arguments follow; an argument only %T (or %p,
// or %w) uses is replaced, else the replacement is appended and the verb
// points to it with [n]. It returns the arguments to call with.
func typeVerbs(in []reflect.Value, fi int) []reflect.Value {
	if fi < 0 || fi >= len(in) || in[fi].Kind() != reflect.String || !strings.ContainsAny(in[fi].String(), "Tpw") {
		return in
	}
	format, nargs := in[fi].String(), len(in)-fi-1
	arg := func(i int) reflect.Value { return in[fi+1+i] }
	uses := scanVerbs(format, nargs)
	// onlyT: the verbs that use an argument are all %T, or all %p.
	onlyT := map[int]bool{}
	first := map[int]rune{}
	for _, u := range uses {
		if _, seen := onlyT[u.arg]; !seen {
			onlyT[u.arg], first[u.arg] = true, u.verb
		}
		onlyT[u.arg] = onlyT[u.arg] && u.verb == first[u.arg] && (u.verb == 'T' || u.verb == 'p' || u.verb == 'w')
	}
	var b strings.Builder
	last := 0
	out := append([]reflect.Value{}, in...)
	explicit := false // the verbs from here on must name their arguments
	for _, u := range uses {
		// What fmt is to print instead of a fmtValue: for %T the type's
		// name, with %s; for %p the pointer itself.
		x, _ := arg(u.arg).Interface().(fmtValue)
		var repl reflect.Value
		verb := byte(u.verb)
		switch {
		case !x.v.IsValid():
		case u.verb == 'T':
			repl, verb = reflect.ValueOf(typeString(x.t, x.v.Type())), 's'
		case u.verb == 'p' && x.v.CanInterface():
			repl = reflect.ValueOf(x.v.Interface())
		case u.verb == 'w':
			repl = x.orig
		}
		switch {
		case repl.IsValid() && onlyT[u.arg]:
			out[fi+1+u.arg] = repl
			b.WriteString(format[last:u.at])
			if explicit && !u.explicit {
				b.WriteString("[" + strconv.Itoa(u.arg+1) + "]")
			}
			b.WriteByte(verb)
			last = u.at + 1
		case repl.IsValid():
			// An argument other verbs use too: the replacement goes at
			// the end, where only this verb reads it, and the verbs after
			// it name their arguments, which no longer follow.
			out = append(out, repl)
			cut := u.at
			if u.explicit {
				cut = strings.LastIndexByte(format[:u.at], '[')
			}
			b.WriteString(format[last:cut])
			b.WriteString("[" + strconv.Itoa(len(out)-fi-1) + "]")
			b.WriteByte(verb)
			last = u.at + 1
			explicit = true
		case explicit && !u.explicit:
			b.WriteString(format[last:u.at])
			b.WriteString("[" + strconv.Itoa(u.arg+1) + "]")
			last = u.at
		}
	}
	if last == 0 {
		return in
	}
	b.WriteString(format[last:])
	out[fi] = reflect.ValueOf(b.String()).Convert(in[fi].Type())
	return out
}

// verbUse is a verb of a format, at byte at, and the argument it prints
// (-1 for a width or precision argument).
type verbUse struct {
	verb     rune
	at       int
	arg      int
	explicit bool // [n] names the argument
}

// scanVerbs finds the arguments of a format's verbs as fmt's doPrintf
// does, with [n] indexes and * widths.
func scanVerbs(format string, numArgs int) []verbUse {
	var uses []verbUse
	argNum := 0
	end := len(format)
	argNumber := func(i int) (int, bool) {
		if i >= end || format[i] != '[' {
			return i, false
		}
		j := strings.IndexByte(format[i:], ']')
		if j < 0 {
			return i + 1, false
		}
		n, err := strconv.Atoi(format[i+1 : i+j])
		if err != nil || n < 1 || n > numArgs {
			return i + j + 1, false
		}
		argNum = n - 1
		return i + j + 1, true
	}
	digits := func(i int) int {
		for i < end && '0' <= format[i] && format[i] <= '9' {
			i++
		}
		return i
	}
	for i := 0; i < end; {
		if format[i] != '%' {
			i++
			continue
		}
		i++
		for i < end && strings.IndexByte("#0+- ", format[i]) >= 0 {
			i++
		}
		var after bool
		i, after = argNumber(i)
		if i < end && format[i] == '*' {
			i++
			uses = append(uses, verbUse{'*', i - 1, argNum, after})
			argNum++
			after = false
		} else {
			i = digits(i)
		}
		if i < end && format[i] == '.' {
			i++
			i, after = argNumber(i)
			if i < end && format[i] == '*' {
				i++
				uses = append(uses, verbUse{'*', i - 1, argNum, after})
				argNum++
				after = false
			} else {
				i = digits(i)
			}
		}
		if !after {
			i, after = argNumber(i)
		}
		if i >= end {
			break
		}
		verb, size := rune(format[i]), 1
		if verb >= 0x80 {
			verb, size = []rune(format[i:])[0], len(string([]rune(format[i:])[0]))
		}
		if verb != '%' && argNum < numArgs {
			uses = append(uses, verbUse{verb, i, argNum, after})
			argNum++
		}
		i += size
	}
	return uses
}

// Printable returns v, a value a program computed, as fmt should see it:
// a value of one of the program's struct types (or made of them) becomes a
// fmt.Formatter that prints it with its type's field and type names, as
// fmt would print it in the program. Other values come back as they are.
func (interp *Interpreter) Printable(v any) any {
	if v == nil {
		return v
	}
	rv := reflect.ValueOf(v)
	if isWrapper(rv.Type()) {
		return v
	}
	if x, ok := newFmtValue(rv, nil, interp.frame); ok {
		return x
	}
	return v
}

// eqOperand is v.Interface() for == and != on an interface operand, with
// a value in one of yaegi's wrappers taken out: a wrapper holds funcs, so
// comparing two (err == ErrCode, for an error type of the program's)
// panicked "comparing uncomparable type interp._error".
func eqOperand(v reflect.Value) any {
	i := v.Interface()
	if w := reflect.ValueOf(i); w.IsValid() && isWrapper(w.Type()) {
		return w.Field(0).Interface()
	}
	return i
}

// hiddenFieldTag is the tag of an unexported field in the reflect type
// the interpreter builds: encoders skip it.
const hiddenFieldTag = `json:"-" xml:"-"`

// hasCodecMethods reports whether t, a struct type, or its pointer, has a
// method of encoding/json's or encoding's marshaling interfaces.
func hasCodecMethods(t *itype) bool {
	for _, name := range []string{"MarshalJSON", "UnmarshalJSON", "MarshalText", "UnmarshalText", "MarshalXML", "UnmarshalXML"} {
		if t.getMethod(name) != nil {
			return true
		}
	}
	return false
}

// boxHostValue returns what the host interface value v holds in a
// valueInterface, with its type: a cell's type for a value in one of
// yaegi's wrappers (if known), else the host type.
func boxHostValue(v reflect.Value) (valueInterface, bool) {
	for v.IsValid() && v.Kind() == reflect.Interface {
		if v.IsNil() {
			return valueInterface{}, false
		}
		v = v.Elem()
	}
	if !v.IsValid() || v.Type() == valueInterfaceType {
		return valueInterface{}, false
	}
	if isWrapper(v.Type()) {
		in := v.Field(0).Elem()
		t := typeOfValue(in.Type(), v.Type())
		if t == nil {
			return valueInterface{}, false
		}
		return valueInterface{&node{typ: t}, in}, true
	}
	return valueInterface{&node{typ: valueTOf(v.Type())}, v}, true
}

// hasMethodsOf reports whether type t has the methods of the cell's
// interface type it, with their signatures, as typeAssert checks them.
func hasMethodsOf(t, it *itype) bool {
	if isEmptyInterface(it) {
		return true
	}
	m0, m1 := t.methods(), it.methods()
	for k, meth1 := range m1 {
		meth0, ok := m0[k]
		if !ok {
			return false
		}
		if meth0 == meth1 {
			continue
		}
		if lookupFieldOrMethod(t, k) == nil {
			return false
		}
		stripped, err := stripReceiverFromArgs(meth0)
		if err != nil || stripped != meth1 {
			return false
		}
	}
	return true
}
