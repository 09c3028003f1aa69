package interp

// juggler: the cell types behind reflect values (see fmtvalue.go): which
// interpreter type a reflect value of the program's stands for, the
// methods of such a value, and comparing and asserting values in yaegi's
// interface wrappers.

import (
	"path"
	"reflect"
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

// eqOperand is v.Interface() for == and != on an interface operand, with
// a value in one of yaegi's wrappers taken out: a wrapper holds funcs, so
// comparing two (err == ErrCode, for an error type of the program's)
// panicked "comparing uncomparable type interp._error".
//
// A value in a valueInterface box is compared by its type and value: two
// boxes of equal values (var x, y any = R{1}, R{1}) were unequal, being
// two boxes.
func eqOperand(v reflect.Value) any {
	i := v.Interface()
	if vi, ok := i.(valueInterface); ok {
		// juggler: a program's interface value is what it holds (two
		// that hold the same pointer are equal), with its type (two
		// boxes of equal values of one type are equal); a nil one is nil.
		if vi.node == nil || !vi.value.IsValid() {
			return nil
		}
		if in := unbox(vi.value); vi.node.typ != nil && in.IsValid() && in.CanInterface() && in.Type().Comparable() {
			return boxedOperand{vi.node.typ.id(), in.Interface()}
		}
		return eqOperand(vi.value)
	}
	if w := reflect.ValueOf(i); w.IsValid() && isWrapper(w.Type()) {
		return w.Field(0).Interface()
	}
	if w := reflect.ValueOf(i); w.IsValid() && w.Kind() == reflect.Struct {
		if t := typeOfValue(w.Type(), nil); t != nil {
			return boxedOperand{t.id(), i}
		}
	}
	return i
}

// boxedOperand is a value of a cell's type with its type, as eqOperand
// compares it.
type boxedOperand struct {
	typ string
	v   any
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
