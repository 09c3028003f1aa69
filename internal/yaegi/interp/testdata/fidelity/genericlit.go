// Two composite literals of the same generic instance in one function:
// the statements between them run.
package main

import "fmt"

type Pair[K comparable, V any] struct {
	Key K
	Val V
}

type Stack[T any] struct{ items []T }

func (s *Stack[T]) Push(v T) { s.items = append(s.items, v) }

func main() {
	fmt.Println("start")
	a := Pair[string, int]{"a", 1}
	fmt.Println("between", a)
	b := Pair[string, int]{Key: "b", Val: 2}
	fmt.Println("after", b, a == b)
	s := Stack[int]{}
	s.Push(1)
	fmt.Println(len(s.items))
	t := Stack[int]{}
	t.Push(2)
	t.Push(3)
	fmt.Println(len(s.items), len(t.items))
	ps := []Pair[string, int]{{"x", 1}, {"y", 2}}
	fmt.Println(ps, Pair[string, int]{"z", 3})
}
