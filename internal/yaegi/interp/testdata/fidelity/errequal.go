// Comparing errors of a program's types: ==, != and switch cases, against
// variables, constants and errors.Is.
package main

import (
	"errors"
	"fmt"
)

type NotFound struct{ n string }

func (e *NotFound) Error() string { return e.n }

var ErrNF = &NotFound{"nf"}

type Code int

func (c Code) Error() string { return "code" }

const ErrCode = Code(3)

func get(i int) error {
	switch i {
	case 0:
		return ErrNF
	case 1:
		return ErrCode
	}
	return nil
}

func main() {
	fmt.Println(get(0) == ErrNF, get(1) == ErrCode, get(2) == nil, get(0) == get(0), get(1) == error(ErrCode))
	fmt.Println(errors.Is(get(0), ErrNF), errors.Is(get(1), ErrCode), errors.Is(fmt.Errorf("x: %w", get(1)), ErrCode))
	err := get(1)
	switch err {
	case ErrCode:
		fmt.Println("is code")
	default:
		fmt.Println("other")
	}
	var target *NotFound
	fmt.Println(errors.As(get(0), &target), target == ErrNF)
}

func init() {
	var x any = "a"
	switch x {
	case 1:
		fmt.Println("one")
	case "a":
		fmt.Println("a")
	}
	e1, e2 := get(0), get(1)
	fmt.Println(e1 != ErrNF, e2 != ErrCode, e1 != e2, e1 == error(ErrCode))
}
