// Programs as tutorials write them: sorting, Stringers on defined ints,
// local types, bytes, goroutines and deferred prints.
package main

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

type Person struct {
	Name string
	Age  int
}

func (p Person) String() string { return fmt.Sprintf("%s: %d", p.Name, p.Age) }

type ByAge []Person

func (a ByAge) Len() int           { return len(a) }
func (a ByAge) Swap(i, j int)      { a[i], a[j] = a[j], a[i] }
func (a ByAge) Less(i, j int) bool { return a[i].Age < a[j].Age }

type Node struct {
	Val  int
	Next *Node
}

type event struct {
	at   time.Time
	What string
}

type counter struct {
	mu sync.Mutex
	n  map[string]int
}

type Op func(int) int

type matrix [][]float64

type state int

const (
	idle state = iota
	running
)

var stateNames = map[state]string{idle: "idle", running: "running"}

func (s state) String() string { return stateNames[s] }

func deferred() {
	for i := 0; i < 2; i++ {
		defer fmt.Println("deferred", Node{i, nil})
	}
}

func main() {
	people := []Person{{"Alice", 30}, {"Bob", 25}}
	sort.Sort(ByAge(people))
	fmt.Println(people)
	fmt.Printf("%v|%+v|%#v|%T\n", people[0], people, ByAge(people), ByAge(people))
	deferred()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		fmt.Println("goroutine", Person{"G", 1})
	}()
	wg.Wait()
	e := event{time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC), "x"}
	fmt.Printf("%v\n", e.What)
	c := counter{n: map[string]int{"a": 1}}
	fmt.Printf("%v\n", c.n)
	var op Op = func(x int) int { return x * 2 }
	fmt.Printf("%T\n", op)
	m := matrix{{1, 2}, {3, 4}}
	fmt.Printf("%v|%T|%.1f\n", m, m, m)
	fmt.Println(idle, running, []state{running}, map[string]state{"s": running})
	fmt.Printf("%v %d %s|%5s|%-8v|\n", running, running, idle, idle, running)
	var sb strings.Builder
	fmt.Fprint(&sb, Person{"B", 2}, " ", &Person{"C", 3})
	fmt.Println(sb.String())
	fmt.Println(fmt.Sprint("x", 1, 2, "y", Node{3, nil}))
	fmt.Println(fmt.Sprintln("a", Person{"D", 4}) + "|")
	type local struct{ a, b int }
	fmt.Printf("%v %+v %T\n", local{1, 2}, local{1, 2}, local{})
	fmt.Printf("%v %T\n", struct{ X []Node }{[]Node{{1, nil}}}, struct{ X []Node }{})
	var np *Person
	fmt.Println(np == nil)
	fmt.Printf("%s|%v\n", []string{"a"}, [][]Person{{{"E", 5}}})
	ch := make(chan Person, 1)
	fmt.Printf("%T %T\n", ch, func(Person) error { return nil })
	fmt.Printf("%v %x %X % x %q\n", []byte("hi"), []byte("hi"), "hi", []byte("hi"), []byte("hi"))
	type bytesT []byte
	fmt.Printf("%v %s %x %T\n", bytesT("hi"), bytesT("hi"), bytesT("hi"), bytesT(nil))
	fmt.Printf("%08.3f|%+d|%x\n", 3.14159, 5, -255)
	fmt.Printf("%v %v\n", [3]bool{true}, map[Person]int{{"Z", 1}: 1, {"A", 2}: 2})
	fmt.Printf("%d %s\n", Person{"F", 6}, &Node{7, &Node{8, nil}})
}
