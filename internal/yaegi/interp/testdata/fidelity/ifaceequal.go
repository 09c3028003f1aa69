// Interface values holding equal values of the same type are equal,
// however they were put there.
package main

import "fmt"

type Rect struct{ W, H float64 }

func (r Rect) Area() float64 { return r.W * r.H }

type ID int

func (i ID) String() string { return fmt.Sprint("#", int(i)) }

type Other int

func main() {
	var x, y interface{} = Rect{1, 2}, Rect{1, 2}
	var z any = Rect{1, 2}
	fmt.Println(x == y, x == z, x != y, x == any(Rect{2, 1}))
	var a, b any = ID(1), ID(1)
	fmt.Println(a == b, a == any(ID(2)))
	var o any = Other(1)
	fmt.Println(a == o)
	p1 := &Rect{1, 2}
	x, y = p1, &Rect{1, 2}
	fmt.Println(x == y, x == interface{}(p1))
}
