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
