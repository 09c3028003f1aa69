package interp

// juggler: errors.Is, errors.As and errors.Unwrap that see a program's
// error values and their Is, As and Unwrap methods through yaegi's
// interface wrappers (see fmtvalue.go, and use.go where they replace the
// standard library's).

import "reflect"

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
