// An interface holds a copy of the value put in it: later writes to the
// variable do not show through the interface.
package main

import "fmt"

type Rect struct{ W, H float64 }

func (r Rect) Area() float64 { return r.W * r.H }

type Areaer interface{ Area() float64 }

type Count int

func (c Count) Area() float64 { return float64(c) }

func show(a Areaer) Areaer { return a }

func main() {
	r := Rect{2, 3}
	var a Areaer = r
	r.W = 100
	fmt.Println(a.Area(), r.Area())
	var c any = r
	r.W = 1
	fmt.Println(c, a)
	shapes := []Areaer{r}
	r.H = 50
	fmt.Println(shapes[0].Area())
	held := show(r)
	r.W = 7
	fmt.Println(held.Area())
	n := Count(4)
	a = n
	n++
	fmt.Println(a.Area(), n)
	a = &r
	r.W = 2
	fmt.Println(a.Area())
	m := map[string]Areaer{"r": r}
	r.H = 1
	fmt.Println(m["r"].Area())
}
