package main

import (
	"fmt"
	"strings"
)

type point struct{ x, y float64 }

func (p point) dist(q point) float64 { return (q.x - p.x) + (q.y - p.y) }

func (p *point) scale(k float64) { p.x *= k; p.y *= k }

func (p point) String() string { return fmt.Sprintf("(%g,%g)", p.x, p.y) }

func apply(f func(point, point) float64, a, b point) float64 { return f(a, b) }

// A method expression (T.M, (*T).M) is a func whose first argument is the
// receiver: called, stored, passed on, as Go's.
func main() {
	p, q := point{1, 2}, point{4, 6}
	fmt.Println(point.dist(p, q))
	d := point.dist
	fmt.Println(d(p, q), apply(point.dist, q, p))
	s := (*point).scale
	s(&p, 10)
	fmt.Println(p)
	str := point.String
	ops := map[string]func(point) string{"str": str}
	fmt.Println(ops["str"](q), strings.ToUpper(str(point{0.5, 1})))
	fmt.Printf("%T\n", d)
}
