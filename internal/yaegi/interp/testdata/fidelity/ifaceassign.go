// A multiple assignment to interface variables boxes each value, swaps
// included.
package main

import "fmt"

type Rect struct{ W, H float64 }

func (r Rect) Area() float64 { return r.W * r.H }

type Areaer interface{ Area() float64 }

func main() {
	var x, y interface{}
	p1, p2 := &Rect{1, 2}, &Rect{3, 4}
	x, y = p1, p2
	fmt.Println(x == y, x == interface{}(p1), x)
	x, y = y, x
	fmt.Println(x == interface{}(p2), y == interface{}(p1))
	var a, b Areaer
	r := Rect{1, 1}
	a, b = r, p2
	fmt.Println(a.Area(), b.Area())
	a, b = b, a
	fmt.Println(a.Area(), b.Area())
	i, j := 1, 2
	i, j = j, i
	fmt.Println(i, j)
}
