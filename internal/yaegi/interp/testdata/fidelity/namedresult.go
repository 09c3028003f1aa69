// Results start at their zero value at every call, also when the call is
// repeated in a loop and its result goes to the same place each time.
package main

import (
	"fmt"
	"strings"
)

func grade(s int) (out []string) {
	switch s / 10 {
	case 10, 9:
		out = append(out, "A")
		fallthrough
	case 8:
		out = append(out, "B")
	default:
		out = append(out, "F")
	}
	return
}

type acc struct{ sep string }

func (a acc) join(xs ...string) (s string) {
	for _, x := range xs {
		s += x + a.sep
	}
	return
}

func count(n int) (c int) {
	for range n {
		c++
	}
	return
}

func safe(n int) int {
	defer func() { recover() }()
	if n > 1 {
		panic("no")
	}
	return n + 10
}

func twice(xs []int) (out []int) {
	out = append(out, xs...)
	return append(out, xs...)
}

func main() {
	for _, s := range []int{95, 85, 10} {
		fmt.Println(s, grade(s))
	}
	a := acc{","}
	for _, w := range []string{"x", "y"} {
		fmt.Println(a.join(w, w))
	}
	var r []string
	for i := range 3 {
		r = grade(80 + 10*i)
		fmt.Println(r)
	}
	for i := range 3 {
		fmt.Print(count(i), safe(i), " ")
	}
	fmt.Println()
	lit := func(n int) (b strings.Builder) {
		b.WriteString(strings.Repeat("*", n))
		return
	}
	for i := range 3 {
		b := lit(i)
		fmt.Print(b.String(), "|")
	}
	fmt.Println()
	xs := []int{1}
	for range 2 {
		xs = twice(xs)
	}
	fmt.Println(xs)
}
