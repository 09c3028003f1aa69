//go:build go1.26

package main

import "fmt"

type celsius float64

type point struct{ x, y int }

func ptr[T any](v T) *T { return new(v) }

var global = new(7)

// new(expr) (Go 1.26) points to a new variable set to the expression's
// value, of its default type when it is an untyped constant.
func main() {
	p := new(42)
	fmt.Printf("%d %T\n", *p, p)
	*p = 0
	fmt.Println(*p)
	s := new("x" + "y")
	r := new('a')
	f := new(1.5)
	b := new(3 > 2)
	fmt.Printf("%v %T %v %T %v %T %v %T\n", *s, s, *r, r, *f, f, *b, b)
	n := 10
	q := new(n * 2)
	n = 0
	fmt.Println(*q, n)
	c := new(celsius(21.5))
	fmt.Printf("%v %T\n", *c, c)
	pt := new(point{1, 2})
	pt.x = 5
	fmt.Println(*pt)
	i := new(int64(3))
	fmt.Printf("%T %v\n", i, *i)
	e := new(fmt.Errorf("boom"))
	fmt.Println(*e)
	fmt.Println(*ptr("generic"), *global)
	z := new(int)
	fmt.Println(*z)
}
