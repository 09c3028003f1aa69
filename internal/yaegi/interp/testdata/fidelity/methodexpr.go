// Method expressions as values: T.M and (*T).M take the receiver as
// their first argument.
package main

import (
	"fmt"
	"math"
)

type Point struct{ X, Y float64 }

func Distance(p, q Point) float64 { return math.Hypot(q.X-p.X, q.Y-p.Y) }

func (p Point) Distance(q Point) float64 { return math.Hypot(q.X-p.X, q.Y-p.Y) }

func (p *Point) ScaleBy(f float64) { p.X *= f; p.Y *= f }

func (p Point) Add(q Point) Point { return Point{p.X + q.X, p.Y + q.Y} }
func (p Point) Sub(q Point) Point { return Point{p.X - q.X, p.Y - q.Y} }

type Path []Point

func (path Path) TranslateBy(offset Point, add bool) {
	var op func(p, q Point) Point
	if add {
		op = Point.Add
	} else {
		op = Point.Sub
	}
	for i := range path {
		path[i] = op(path[i], offset)
	}
}

func apply(f func(Point, Point) float64, p, q Point) float64 { return f(p, q) }

func main() {
	p, q := Point{1, 2}, Point{4, 6}
	distance := Point.Distance
	fmt.Println(distance(p, q), Distance(p, q))
	fmt.Printf("%T\n", distance)
	scale := (*Point).ScaleBy
	scale(&p, 2)
	fmt.Println(p)
	fmt.Printf("%T\n", scale)
	path := Path{{1, 1}, {2, 2}}
	path.TranslateBy(Point{10, 20}, true)
	fmt.Println(path)
	path.TranslateBy(Point{1, 1}, false)
	fmt.Println(path)
	fmt.Println(apply(Point.Distance, Point{}, Point{3, 4}))
	ops := map[string]func(Point, Point) Point{"add": Point.Add, "sub": Point.Sub}
	fmt.Println(ops["add"](p, q), ops["sub"](p, q))
}
