// A program's values held in interfaces: any, []any, a parameter of type
// interface{}, a program's own interface types.
package main

import (
	"fmt"
	"os"
	"strings"
)

type point struct{ x, y int }

type Shape interface {
	Area() float64
}

type Rect struct{ W, H float64 }

func (r Rect) Area() float64 { return r.W * r.H }

type Circle struct{ r float64 }

func (c *Circle) Area() float64 { return 3 * c.r * c.r }

type T struct{ S string }

func (t T) String() string { return "T(" + t.S + ")" }

func describe(i interface{}) {
	fmt.Printf("(%v, %T)\n", i, i)
}

func describeShape(s Shape) {
	fmt.Printf("(%v, %+v, %T) %.1f\n", s, s, s, s.Area())
}

type box struct {
	Item any
	s    Shape
}

func main() {
	var a any = point{1, 2}
	fmt.Printf("%v|%+v|%#v|%T\n", a, a, a, a)
	describe(point{3, 4})
	describe(&point{5, 6})
	describe(T{"hi"})
	describe(42)
	describe("str")
	describe(nil)
	describe([]point{{1, 2}})
	describe(map[string][]*point{"a": nil})
	describe(struct{ p point }{})
	describeShape(Rect{2, 3})
	describeShape(&Circle{1})
	shapes := []Shape{Rect{1, 1}, &Circle{2}}
	for _, s := range shapes {
		fmt.Printf("%v %T\n", s, s)
	}
	xs := []any{point{1, 2}, Rect{3, 4}, "s", 3, nil, T{"x"}}
	fmt.Printf("%v\n%+v\n", xs, xs)
	fmt.Println(xs...)
	m := map[string]any{"p": point{7, 8}, "n": 1}
	fmt.Printf("%v|%+v\n", m, m)
	b := box{point{9, 9}, Rect{1, 2}}
	fmt.Printf("%v|%+v\n", b, b)
	var sb strings.Builder
	fmt.Fprintf(&sb, "%+v %T", a, a)
	fmt.Fprintln(os.Stderr, "stderr")
	fmt.Println(sb.String())
}
