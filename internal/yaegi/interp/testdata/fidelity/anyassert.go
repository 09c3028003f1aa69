package main

import (
	"fmt"
	"strconv"
)

type temp struct{ deg float64 }

func (t temp) String() string { return strconv.FormatFloat(t.deg, 'f', 1, 64) + "°" }

type codeErr struct{ code int }

func (e codeErr) Error() string { return "code " + strconv.Itoa(e.code) }

type plain struct{ n int }

func describe(v any) string {
	if s, ok := v.(fmt.Stringer); ok {
		return "stringer " + s.String()
	}
	if e, ok := v.(error); ok {
		return "error " + e.Error()
	}
	return fmt.Sprint("other ", v)
}

// A value of a program's struct type held in an `any` asserts to the
// host interfaces its methods implement (fmt.Stringer, error).
// A failed assertion with ok leaves the zero value.
func main() {
	for _, v := range []any{temp{21.5}, codeErr{7}, plain{1}, 3, &temp{1}} {
		fmt.Println(describe(v))
	}
	var x any = temp{-2}
	s := x.(fmt.Stringer)
	fmt.Println(s, s.String())
	var y any = codeErr{404}
	err := y.(error)
	fmt.Println(err)
	// A failed assertion with ok leaves the zero value.
	for _, v := range []any{temp{1}, plain{2}, codeErr{3}, 4} {
		s, ok := v.(fmt.Stringer)
		e, isErr := v.(error)
		n, isInt := v.(int)
		p, isPlain := v.(plain)
		fmt.Println(s, ok, e, isErr, n, isInt, p, isPlain)
	}
}
