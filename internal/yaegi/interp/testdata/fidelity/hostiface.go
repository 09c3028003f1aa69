// A value of the program's struct type held in an any is asserted to a
// standard library interface (fmt.Stringer, error) by its methods.
package main

import (
	"fmt"
)

type V struct{ n int }

func (v V) String() string { return fmt.Sprintf("V<%d>", v.n) }

type Plain struct{ s string }

type E struct{ msg string }

func (e E) Error() string { return "E:" + e.msg }

func describe(x any) string {
	switch v := x.(type) {
	case error:
		return "error " + v.Error()
	case fmt.Stringer:
		return "stringer " + v.String()
	default:
		return fmt.Sprintf("other %v", v)
	}
}

func kind(x any) string {
	switch x.(type) {
	case fmt.Stringer:
		return "stringer"
	}
	return "not"
}

func main() {
	var x any = V{1}
	s, ok := x.(fmt.Stringer)
	fmt.Println(ok, s, s.String())
	_, ok = any(Plain{"2"}).(fmt.Stringer)
	fmt.Println(ok)
	for _, v := range []any{V{3}, Plain{"4"}, E{"bad"}, 5} {
		fmt.Println(describe(v), kind(v))
	}
	if err, ok := any(E{"x"}).(error); ok {
		fmt.Println("is error:", err)
	}
}
