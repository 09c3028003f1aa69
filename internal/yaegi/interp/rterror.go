package interp

// juggler: run-time panics of interpreted code as Go's runtime raises them.
//
// yaegi indexes and slices with reflect, whose panics are strings such as
// "reflect: slice index out of range". Go raises a runtime.Error whose
// message says "runtime error: index out of range [5] with length 3", and
// programs print it, recover it and assert it to runtime.Error.

import (
	"fmt"
	"reflect"
	"strings"
)

// runtimeError is a run-time panic: it implements runtime.Error.
type runtimeError struct{ msg string }

func (e runtimeError) Error() string { return "runtime error: " + e.msg }

// RuntimeError marks runtimeError as a runtime.Error.
func (runtimeError) RuntimeError() {}

// assertionError is a failed type assertion, as runtime.TypeAssertionError:
// a runtime.Error whose message does not start with "runtime error".
type assertionError struct{ msg string }

func (e assertionError) Error() string { return e.msg }

// RuntimeError marks assertionError as a runtime.Error.
func (assertionError) RuntimeError() {}

// goPanic returns the value Go would panic with in place of rec, a value
// recovered while running the code from n in frame f, exec the step that
// panicked; fn is the function that code is the body of, or nil.
func goPanic(rec any, n, fn *node, exec bltn, f *frame) any {
	if e, ok := rec.(*reflect.ValueError); ok && e.Kind == reflect.Invalid {
		// A field or method of what a nil pointer points to.
		return runtimeError{"invalid memory address or nil pointer dereference"}
	}
	if e, ok := rec.(*cfgError); ok {
		// A failed type assertion: Go's value is a runtime.Error whose
		// message has no position.
		if _, msg, ok := strings.Cut(e.Error(), ": interface conversion: "); ok {
			return assertionError{"interface conversion: " + msg}
		}
		return rec
	}
	s, ok := rec.(string)
	if !ok {
		return rec
	}
	switch s {
	case "reflect: array index out of range", "reflect: slice index out of range", "reflect: string index out of range":
		if i, l, ok := outOfRange(n, fn, exec, f); ok {
			if i < 0 {
				return runtimeError{fmt.Sprintf("index out of range [%d]", i)}
			}
			return runtimeError{fmt.Sprintf("index out of range [%d] with length %d", i, l)}
		}
		return runtimeError{"index out of range"}
	case "reflect.Value.Slice: string slice index out of bounds", "reflect.Value.Slice: slice index out of bounds", "reflect.Value.Slice3: slice index out of bounds":
		return runtimeError{"slice bounds out of range"}
	}
	return rec
}

// outOfRange finds the index expression that panicked, among those of fn
// (or of the code around n) whose step is exec's code, as the one whose
// index is out of its operand's range in f, and returns the index and the
// length.
func outOfRange(n, fn *node, exec bltn, f *frame) (index int64, length int, found bool) {
	if exec == nil {
		return 0, 0, false
	}
	code := reflect.ValueOf(exec).Pointer()
	// n is where the body starts, which may be inside a func literal of
	// it (a deferred one): the search starts from the function itself.
	root := fn
	if root == nil {
		for root = n; root.anc != nil; root = root.anc {
		}
	}
	root.Walk(func(c *node) bool {
		if found || c.exec == nil || c.kind != indexExpr || len(c.child) != 2 || reflect.ValueOf(c.exec).Pointer() != code {
			return !found
		}
		x, ok1 := frameValue(c.child[0], f)
		i, ok2 := frameValue(c.child[1], f)
		if !ok1 || !ok2 {
			return true
		}
		for x.Kind() == reflect.Pointer && !x.IsNil() {
			x = x.Elem()
		}
		switch x.Kind() {
		case reflect.Array, reflect.Slice, reflect.String:
		default:
			return true
		}
		var v int64
		switch {
		case i.CanInt():
			v = i.Int()
		case i.CanUint():
			v = int64(i.Uint())
		default:
			return true
		}
		if v < 0 || v >= int64(x.Len()) {
			index, length, found = v, x.Len(), true
		}
		return !found
	}, nil)
	return index, length, found
}

// frameValue is the value of c, a node that has run, without running it
// again: genValue reads a constant, a variable or what c's step left in
// its frame slot; it builds no step.
func frameValue(c *node, f *frame) (v reflect.Value, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	v = genValue(c)(f)
	for v.IsValid() && v.Kind() == reflect.Interface && !v.IsNil() {
		v = v.Elem()
	}
	if vi, isVI := v.Interface().(valueInterface); isVI {
		v = vi.value
	}
	return v, v.IsValid()
}

// checkSlice panics as Go does when a[lo:hi] (a[lo:hi:max] when max >= 0)
// is out of bounds; reflect's panic names no bounds.
func checkSlice(a reflect.Value, lo, hi, max int) {
	limit, what := a.Len(), "length" // a string or an array
	if a.Kind() == reflect.Slice {
		limit, what = a.Cap(), "capacity"
	}
	var msg string
	if max >= 0 {
		switch {
		case max > limit:
			msg = fmt.Sprintf("[::%d] with %s %d", max, what, limit)
		case hi < 0 || hi > max:
			msg = fmt.Sprintf("[:%d:%d]", hi, max)
		case lo < 0 || lo > hi:
			msg = fmt.Sprintf("[%d:%d:]", lo, hi)
		}
	} else {
		switch {
		case hi < 0:
			msg = fmt.Sprintf("[:%d]", hi)
		case hi > limit:
			msg = fmt.Sprintf("[:%d] with %s %d", hi, what, limit)
		case lo < 0:
			msg = fmt.Sprintf("[%d:]", lo)
		case lo > hi:
			msg = fmt.Sprintf("[%d:%d]", lo, hi)
		}
	}
	if msg != "" {
		panic(runtimeError{"slice bounds out of range " + msg})
	}
}
