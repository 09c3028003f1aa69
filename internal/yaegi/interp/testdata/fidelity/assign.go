// Multiple assignments and definitions whose sources are calls, composite
// literals, receives and conversions.
package main

import "fmt"

func f() int { return 7 }

type P struct{ X int }

func main() {
	ch := make(chan int, 1)
	ch <- 9
	var r, s int
	r, s = <-ch, 3
	fmt.Println(r, s)
	nums, name := []int{1, 2}, "x"
	fmt.Println(nums, name)
	ids, nm := []P{{1}}, string("bob")
	fmt.Println(ids, nm)
	var a, b int
	a, b = f(), 5
	fmt.Println(a, b)
	var p P
	var c int
	p, c = P{1}, 2
	fmt.Println(p, c)
	q, d := P{3}, 4
	fmt.Println(q, d)
	var e, g int
	e, g = 1+a, 2
	fmt.Println(e, g)
}
