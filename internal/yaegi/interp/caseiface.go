package interp

// juggler: a type switch's case of a host interface type (case error,
// case fmt.Stringer) matches the values that implement it: host values, and
// values of a program's types, whose methods the interpreter knows.

import "reflect"

// caseHostInterface returns what v, a value held in an interface, is
// as a value of typ, a host interface type, and whether it implements it.
func caseHostInterface(n *node, v reflect.Value, typ *itype, f *frame) (reflect.Value, bool) {
	if typ.cat != valueT && typ.cat != errorT {
		return reflect.Value{}, false
	}
	rtyp := typ.TypeOf()
	if rtyp == nil || rtyp.Kind() != reflect.Interface || rtyp.NumMethod() == 0 {
		return reflect.Value{}, false
	}
	for v.IsValid() && v.Kind() == reflect.Interface {
		if v.IsNil() {
			return reflect.Value{}, false
		}
		v = v.Elem()
	}
	if !v.IsValid() {
		return reflect.Value{}, false
	}
	var t *itype
	if vi, ok := v.Interface().(valueInterface); ok {
		if vi.node == nil || !vi.value.IsValid() {
			return reflect.Value{}, false
		}
		t, v = vi.node.typ, vi.value
	} else if v.Type().Implements(rtyp) {
		return v, true
	} else {
		t = typeOfValue(v.Type(), nil)
	}
	if t == nil || t.cat == valueT {
		return reflect.Value{}, false
	}
	for i := 0; i < rtyp.NumMethod(); i++ {
		if m, _ := t.lookupMethod(rtyp.Method(i).Name); m == nil {
			return reflect.Value{}, false
		}
	}
	held := &node{typ: t, rval: v, interp: n.interp}
	return genInterfaceWrapper(held, rtyp)(f), true
}
