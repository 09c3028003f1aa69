// Methods promoted from embedded fields: a cell's types, pointers to them,
// host types (time.Time) and interfaces (error, a cell's own).
package main

import (
	"errors"
	"fmt"
	"time"
)

type Base struct{ ID int }

func (b Base) String() string { return fmt.Sprintf("Base#%d", b.ID) }

type Derived struct {
	Base
	X int
}

type PB struct{ n int }

func (p *PB) String() string { return "PB" }

type HasPB struct {
	*PB
	y int
}

type Event struct {
	time.Time
	Name string
}

type Wrapper struct {
	error
	code int
}

type Shape interface{ Area() int }
type Sq struct{ s int }

func (q Sq) Area() int { return q.s * q.s }

type Holder struct {
	Shape
	label string
}

type Inner struct{ a, b int }
type Outer struct {
	Inner
	c int
}

func main() {
	fmt.Println(Derived{Base{1}, 2})
	fmt.Printf("%v|%+v|%s|%d\n", Derived{Base{1}, 2}, Derived{Base{3}, 4}, Derived{}, Derived{})
	fmt.Println(HasPB{&PB{1}, 2}, &HasPB{&PB{1}, 2})
	e := Event{time.Date(2021, 2, 3, 4, 5, 6, 0, time.UTC), "launch"}
	fmt.Println(e)
	fmt.Printf("%v|%s\n", e, e)
	w := Wrapper{errors.New("inner"), 3}
	fmt.Println(w)
	fmt.Printf("%v|%+v\n", w, w)
	var err error = w
	fmt.Println(err, errors.Unwrap(err) == nil)
	h := Holder{Sq{2}, "sq"}
	fmt.Printf("%v|%+v|%#v\n", h, h, h)
	o := Outer{Inner{1, 2}, 3}
	fmt.Printf("%v|%+v|%#v\n", o, o, o)
	fmt.Println(o.a, o.Inner)
}
