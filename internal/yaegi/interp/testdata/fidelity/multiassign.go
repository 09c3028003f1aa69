package main

import (
	"errors"
	"fmt"
)

type speaker interface{ speak() string }
type dog struct{ name string }

func (d dog) speak() string { return d.name }

type codeErr struct{ c int }

func (e codeErr) Error() string { return fmt.Sprint("code ", e.c) }

// Several variables of interface types declared or assigned at once from
// composite literals.
func main() {
	var d1, d2 speaker = dog{"rex"}, dog{"max"}
	fmt.Println(d1.speak(), d2.speak())
	d1, d2 = d2, d1
	fmt.Println(d1.speak(), d2.speak())
	var e1, e2 error = codeErr{1}, errors.New("plain")
	fmt.Println(e1, e2)
	var a, b any = dog{"x"}, 3
	fmt.Println(a, b)
	var s speaker
	var n int
	s, n = dog{"y"}, 4
	fmt.Println(s.speak(), n)
}
