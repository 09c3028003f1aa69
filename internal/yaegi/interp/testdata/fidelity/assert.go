// Assertions and type switches of errors, host ones and a program's, to
// a program's own interface types.
package main

import (
	"errors"
	"fmt"
	"os"
)

type NotFound struct{ Name string }

func (e *NotFound) Error() string { return e.Name + " not found" }
func (e *NotFound) Timeout() bool { return false }

type Code int

func (c Code) Error() string   { return "code" }
func (c Code) Temporary() bool { return c > 5 }

func main() {
	var err error = fmt.Errorf("w: %w", &NotFound{"a"})
	_, ok := err.(interface{ Timeout() bool })
	fmt.Println(ok)
	u, ok := err.(interface{ Unwrap() error })
	fmt.Println(ok, u.Unwrap())
	inner := errors.Unwrap(err)
	t, ok := inner.(interface{ Timeout() bool })
	fmt.Println(ok, t.Timeout())
	var e2 error = Code(7)
	tp, ok := e2.(interface{ Temporary() bool })
	fmt.Println(ok, tp.Temporary())
	_, oerr := os.Open("/nonexistent")
	to, ok := oerr.(interface{ Timeout() bool })
	fmt.Println(ok, to.Timeout())
	switch x := err.(type) {
	case interface{ Unwrap() []error }:
		fmt.Println("multi", x)
	case interface{ Unwrap() error }:
		fmt.Println("single", x.Unwrap())
	}
	var s fmt.Stringer
	_, ok = err.(fmt.Stringer)
	fmt.Println(ok, s == nil)
}

func init() {
	var err error = fmt.Errorf("w: %w", Code(1))
	switch err.(type) {
	case interface{ Temporary() bool }:
		fmt.Println("temporary")
	case interface{ Unwrap() error }:
		fmt.Println("wraps")
	}
	joined := errors.Join(Code(1), &NotFound{"j"})
	switch x := joined.(type) {
	case interface{ Unwrap() error }:
		fmt.Println("single", x)
	case interface{ Unwrap() []error }:
		fmt.Println("multi", len(x.Unwrap()))
	}
	switch x := errors.Unwrap(err).(type) {
	case interface{ Temporary() bool }:
		fmt.Println("temporary", x.Temporary())
	}
}
