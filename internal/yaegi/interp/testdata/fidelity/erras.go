// errors.As into variables of a program's own interface types.
package main

import (
	"errors"
	"fmt"
	"os"
)

type temporary interface{ Temporary() bool }

type netErr struct{ msg string }

func (e *netErr) Error() string   { return e.msg }
func (e *netErr) Temporary() bool { return true }

type coder interface {
	error
	Code() int
}

type httpErr int

func (h httpErr) Error() string { return fmt.Sprint("http ", int(h)) }
func (h httpErr) Code() int     { return int(h) }

type pathish interface{ Timeout() bool }

func main() {
	err := fmt.Errorf("fetch: %w", &netErr{"reset"})
	var te temporary
	if errors.As(err, &te) {
		fmt.Println("temporary:", te.Temporary(), te)
	}
	var c coder
	fmt.Println(errors.As(fmt.Errorf("w: %w", httpErr(404)), &c), c.Code(), c)
	var c2 coder
	fmt.Println(errors.As(errors.New("plain"), &c2), c2 == nil)
	_, oerr := os.Open("/nonexistent")
	var p pathish
	fmt.Println(errors.As(oerr, &p), p.Timeout())
}
