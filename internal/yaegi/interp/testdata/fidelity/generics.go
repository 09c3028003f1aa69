// Instances of a program's generic types through fmt.
package main

import "fmt"

type Pair[K comparable, V any] struct {
	Key K
	Val V
}

type Tree[T any] struct {
	Left, Right *Tree[T]
	val         T
}

type Stack[T any] struct{ items []T }

func (s *Stack[T]) Push(v T) { s.items = append(s.items, v) }

func main() {
	pr := Pair[string, int]{"a", 1}
	fmt.Printf("%v|%+v|%T|%#v\n", pr, pr, pr, pr)
	t := Tree[int]{val: 3}
	fmt.Printf("%v|%+v|%T\n", t, t, &t)
	var s Stack[string]
	s.Push("x")
	fmt.Printf("%v|%+v|%T\n", s, s, s)
	ps := []Pair[int, bool]{{1, true}}
	fmt.Printf("%v|%T\n", ps, ps)
}

type point struct{ x, y int }

type Celsius float64

func (c Celsius) String() string { return fmt.Sprintf("%.1fC", float64(c)) }

func Show[T any](v T) {
	fmt.Printf("%v|%+v|%T\n", v, v, v)
}

func ShowAll[T any](vs ...T) {
	for _, v := range vs {
		fmt.Print(v, " ")
	}
	fmt.Println(vs)
}

type Box2[T any] struct{ v T }

func (b Box2[T]) String() string { return fmt.Sprintf("Box(%v)", b.v) }

func init() {
	Show(point{1, 2})
	Show(Celsius(3))
	Show([]point{{3, 4}})
	ShowAll(point{5, 6}, point{7, 8})
	ShowAll(Celsius(1), Celsius(2))
	fmt.Println(Box2[int]{3}, Box2[point]{point{1, 1}})
	fmt.Printf("%v %+v %T\n", Box2[Celsius]{4}, []Box2[int]{{1}}, Box2[string]{})
}
