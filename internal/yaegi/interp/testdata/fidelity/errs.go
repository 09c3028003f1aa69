// errors.Is, errors.As and errors.Unwrap with a program's error types:
// pointer and value receivers, wrapped with %w, joined, and with their own
// Is, As and Unwrap methods.
package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

type NotFound struct{ Name string }

func (e *NotFound) Error() string { return e.Name + " not found" }

type Code int

func (c Code) Error() string { return fmt.Sprintf("code %d", int(c)) }

var ErrBase = errors.New("base")

type Temporary struct{ err error }

func (t Temporary) Error() string { return "temporary: " + t.err.Error() }
func (t Temporary) Unwrap() error { return t.err }

type Matcher struct{ kind string }

func (m Matcher) Error() string { return "matcher " + m.kind }
func (m Matcher) Is(target error) bool {
	t, ok := target.(Matcher)
	return ok && t.kind == "any"
}

type Multi struct{ errs []error }

func (m Multi) Error() string   { return fmt.Sprint(len(m.errs), " errors") }
func (m Multi) Unwrap() []error { return m.errs }

type Converter struct{}

func (Converter) Error() string { return "converter" }
func (Converter) As(target any) bool {
	if c, ok := target.(*Code); ok {
		*c = 42
		return true
	}
	return false
}

func find(name string) error {
	return fmt.Errorf("find %q: %w", name, &NotFound{name})
}

func main() {
	err := find("x")
	fmt.Println(err)
	var nf *NotFound
	fmt.Println(errors.As(err, &nf), nf.Name, nf)
	var c Code
	fmt.Println(errors.As(fmt.Errorf("w: %w", Code(5)), &c), c, int(c))
	var e error = Code(7)
	fmt.Printf("%v|%d|%s|%+v|%T\n", e, e, e, e, e)
	fmt.Println(errors.Is(Temporary{ErrBase}, ErrBase), errors.Is(fmt.Errorf("x: %w", Temporary{ErrBase}), ErrBase))
	fmt.Println(errors.Unwrap(Temporary{ErrBase}) == ErrBase, errors.Unwrap(errors.Unwrap(fmt.Errorf("x: %w", Temporary{ErrBase}))) == ErrBase)
	fmt.Println(errors.Is(Matcher{"one"}, Matcher{"any"}), errors.Is(Matcher{"one"}, Matcher{"other"}), errors.Is(fmt.Errorf("%w", Matcher{"x"}), Matcher{"any"}))
	var tmp Temporary
	fmt.Println(errors.As(fmt.Errorf("a: %w", fmt.Errorf("b: %w", Temporary{ErrBase})), &tmp), tmp)
	joined := errors.Join(errors.New("one"), &NotFound{"j"})
	var nf2 *NotFound
	fmt.Println(errors.As(joined, &nf2), nf2, errors.Is(joined, ErrBase))
	sentinel := &NotFound{"s"}
	fmt.Println(errors.Is(fmt.Errorf("w: %w", sentinel), sentinel), errors.Is(fmt.Errorf("w: %w", &NotFound{"s"}), sentinel))
	fmt.Println(errors.Is(Code(3), Code(3)), errors.Is(fmt.Errorf("%w", Code(3)), Code(3)), errors.Is(Code(3), Code(4)))
	multi := Multi{[]error{Code(1), Temporary{ErrBase}}}
	fmt.Println(errors.Is(multi, ErrBase), errors.Is(multi, Code(1)), errors.Is(multi, Code(2)))
	var c2 Code
	fmt.Println(errors.As(fmt.Errorf("%w", Converter{}), &c2), c2)
	var pe *fs.PathError
	_, oerr := os.Open("/nonexistent/file")
	fmt.Println(errors.As(fmt.Errorf("open: %w", oerr), &pe), pe.Op, errors.Is(oerr, fs.ErrNotExist))
	var target error
	fmt.Println(errors.As(err, &target), target)
	fmt.Printf("%v|%+v\n", err, []error{err, e})
	fmt.Println(errors.Unwrap(Code(1)) == nil, errors.Unwrap(err) == error(nil))
}

type ErrNegativeSqrt float64

func (e ErrNegativeSqrt) Error() string {
	return fmt.Sprintf("cannot Sqrt negative number: %v", float64(e))
}

func Sqrt(x float64) (float64, error) {
	if x < 0 {
		return 0, ErrNegativeSqrt(x)
	}
	return x / 2, nil
}

type pt struct{ x, y int }

func two() (pt, *pt) { return pt{1, 2}, &pt{3, 4} }

func init() {
	fmt.Println(Sqrt(2))
	fmt.Println(Sqrt(-2))
	fmt.Println(two())
	fmt.Print(two())
	fmt.Println()
}

type Celsius float64

func (c Celsius) String() string { return fmt.Sprintf("%.1f°C", float64(c)) }

func temp() (Celsius, []Celsius) { return 3, []Celsius{4} }

func init() {
	fmt.Println(temp())
}

func init() {
	err := fmt.Errorf("ctx: %w", &NotFound{"m"})
	if u, ok := err.(interface{ Unwrap() error }); ok {
		inner := u.Unwrap()
		nf, ok := inner.(*NotFound)
		fmt.Println(ok, nf.Name, inner)
	}
	e2 := fmt.Errorf("%v / %[1]w / %d", Code(9), 3)
	c, ok := errors.Unwrap(e2).(Code)
	fmt.Println(e2, c, ok)
}
