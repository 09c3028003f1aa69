// String, Error, Format and GoString methods, on value and pointer
// receivers, at the top and inside other values; a panicking String.
package main

import (
	"fmt"
	"time"
)

type PtrStringer struct{ n int }

func (p *PtrStringer) String() string { return fmt.Sprint("PS", p.n) }

type ValStringer struct{ n int }

func (v ValStringer) String() string { return fmt.Sprint("VS", v.n) }

type Money struct{ cents int64 }

func (m Money) Format(f fmt.State, verb rune) {
	fmt.Fprintf(f, "$%d.%02d/%c", m.cents/100, m.cents%100, verb)
	if f.Flag('+') {
		fmt.Fprint(f, "+")
	}
}

type Go struct{ v int }

func (g Go) GoString() string { return "Go!" }

type Boom struct{}

func (Boom) String() string { panic("boom") }

type job struct {
	Name string
	d    time.Duration
	D    time.Duration
	When time.Month
}

type holder struct {
	V   ValStringer
	v   ValStringer
	P   *PtrStringer
	M   Money
	Any any
}

type E struct{ code int }

func (e E) Error() string { return fmt.Sprintf("E%d", e.code) }

type Both struct{}

func (Both) Error() string  { return "as error" }
func (Both) String() string { return "as string" }

func main() {
	ps := PtrStringer{4}
	fmt.Println(ps, &ps)
	fmt.Printf("%v|%s|%d|%+v\n", &ps, &ps, ps, ps)
	vs := ValStringer{5}
	fmt.Println(vs, &vs, []ValStringer{{1}, {2}}, []*ValStringer{})
	fmt.Printf("%v|%s|%d|%x|%q|%+v|%#v\n", vs, vs, vs, vs, vs, vs, vs)
	fmt.Printf("%v|%s|%d|%+v\n", Money{1234}, Money{5}, Money{99}, Money{100})
	fmt.Printf("%v|%#v|%+v|%s\n", Go{1}, Go{1}, Go{1}, Go{2})
	fmt.Println(Boom{})
	fmt.Printf("%v|%+v\n", job{"j", time.Second, time.Minute, 3}, job{"k", 2, 3, 12})
	h := holder{ValStringer{1}, ValStringer{2}, &ps, Money{250}, ValStringer{3}}
	fmt.Printf("%v\n%+v\n", h, h)
	fmt.Println(E{3}, &E{4}, []E{{5}}, map[string]E{"k": {6}})
	fmt.Printf("%v|%s|%d|%+v|%#v|%T\n", E{7}, E{7}, E{7}, E{7}, E{7}, E{7})
	fmt.Println(Both{})
	fmt.Printf("%s|%v|%d\n", Both{}, []Both{{}}, Both{})
	var err error = E{8}
	fmt.Printf("%v|%d|%T\n", err, err, err)
	fmt.Println(fmt.Sprint(vs) + fmt.Sprintf("%5s|%-5s|", vs, vs))
}
