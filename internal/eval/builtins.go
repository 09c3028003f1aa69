package eval

import (
	"fmt"
	"reflect"
)

// builtins are the Go 1.21 builtins yaegi lacks, for the types the cell
// front end can tell (cell.MinMaxTypes): min and max, typed, so that their
// results work in expressions as the builtins' do.
func builtins() map[string]reflect.Value {
	return map[string]reflect.Value{
		"Clear":      reflect.ValueOf(clearValue),
		"MinInt":     reflect.ValueOf(minOf[int]),
		"MaxInt":     reflect.ValueOf(maxOf[int]),
		"MinInt64":   reflect.ValueOf(minOf[int64]),
		"MaxInt64":   reflect.ValueOf(maxOf[int64]),
		"MinUint":    reflect.ValueOf(minOf[uint]),
		"MaxUint":    reflect.ValueOf(maxOf[uint]),
		"MinFloat64": reflect.ValueOf(minOf[float64]),
		"MaxFloat64": reflect.ValueOf(maxOf[float64]),
		"MinString":  reflect.ValueOf(minOf[string]),
		"MaxString":  reflect.ValueOf(maxOf[string]),
	}
}

type ordered interface {
	~int | ~int64 | ~uint | ~float64 | ~string
}

// minOf and maxOf use the builtins themselves, so NaN and signed zeros
// behave as in compiled Go.
func minOf[T ordered](x T, ys ...T) T {
	for _, y := range ys {
		x = min(x, y)
	}
	return x
}

func maxOf[T ordered](x T, ys ...T) T {
	for _, y := range ys {
		x = max(x, y)
	}
	return x
}

// clearValue is the clear builtin: it empties a map and zeroes a slice's
// elements, in place, as Go 1.21's does.
func clearValue(x any) {
	v := reflect.ValueOf(x)
	switch v.Kind() {
	case reflect.Map, reflect.Slice:
		v.Clear()
	default:
		panic(fmt.Sprintf("invalid argument: clear(%T): argument must be a map or a slice", x))
	}
}
