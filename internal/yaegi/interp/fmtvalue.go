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
// in an interface, its dynamic one: yaegi's valueInterface box has it, and
// a value in an `any` or in an interface wrapper is looked up by its
// reflect type (cellTypes, in celltypes.go). That is exact for a struct
// type unless two of a program's struct types have the same fields.
//
// errors.Is, errors.As and errors.Unwrap are replaced by versions that see
// through yaegi's wrappers to a cell's values and their Is, As and Unwrap
// methods (cellerrors.go).

import (
	"fmt"
	"go/token"
	"io"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

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
	if t := c.typ; t != nil && (isBasicCat(t.cat) && t.path == "" || t.cat == valueT && t.rtype != nil && t.rtype.Kind() != reflect.Interface && t.rtype.Name() != "") {
		return orig // a host type, known now: fmt prints it as it is
	}
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
