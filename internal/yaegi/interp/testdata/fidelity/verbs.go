// Every verb and flag of fmt on a program's types, at the top and inside
// other values.
package main

import "fmt"

type point struct{ x, y int }
type Named struct {
	*point
	Label string
	tags  []string
}
type Celsius float64

func (c Celsius) String() string { return fmt.Sprintf("%.1fC", float64(c)) }

type Color int

func (c Color) String() string { return [...]string{"red", "green", "blue"}[c%3] }

type IDs []int
type Name string
type E struct{ code int }

func (e E) Error() string { return fmt.Sprintf("E%d", e.code) }

type VS struct{ n float64 }

func (v VS) String() string { return fmt.Sprint("VS", v.n) }

type Mixed struct {
	A  any
	b  any
	C  Color
	d  Color
	F  float32
	By []byte
}

func main() {
	p := point{1, -2}
	ps := []point{{3, 4}}
	mp := map[string]point{"b": {1, 1}, "a": {2, 2}}
	n := Named{nil, "L", []string{"a"}}
	c := Celsius(21.5)
	cs := []Celsius{1, 2.25}
	col := Color(1)
	arr := [2]point{}
	var np *point
	ids := IDs{3, 255}
	nm := Name("bob")
	anon := struct{ a, B int }{1, 2}
	e := E{7}
	vs := VS{1.5}
	mixed := Mixed{point{5, 6}, Color(2), 1, 2, 0.1, []byte("hi")}
	fl := struct {
		F32 float32
		F64 float64
	}{0.1, 0.1}
	by := struct {
		b []byte
		s string
	}{[]byte("ab"), "xy"}
	verbs := []string{"v", "+v", "#v", "T", "s", "d", "x", "X", "q", "o", "b", "e", "f", "g", "t", "c", "U",
		"5v", "-6v", "05d", "+d", "#x", " x", ".2f", "8.3g", "#q", "+q", "[1]v", "[2]v"}
	try := func(name string, print func(format string)) {
		for _, v := range verbs {
			fmt.Print(name, " %", v, " ")
			print("%" + v)
			fmt.Println("|")
		}
	}
	try("p", func(f string) { fmt.Printf(f, p) })
	try("&p", func(f string) { fmt.Printf(f, &p) })
	try("ps", func(f string) { fmt.Printf(f, ps) })
	try("mp", func(f string) { fmt.Printf(f, mp) })
	try("n", func(f string) { fmt.Printf(f, n) })
	try("c", func(f string) { fmt.Printf(f, c) })
	try("cs", func(f string) { fmt.Printf(f, cs) })
	try("col", func(f string) { fmt.Printf(f, col) })
	try("arr", func(f string) { fmt.Printf(f, arr) })
	try("np", func(f string) { fmt.Printf(f, np) })
	try("ids", func(f string) { fmt.Printf(f, ids) })
	try("nm", func(f string) { fmt.Printf(f, nm) })
	try("anon", func(f string) { fmt.Printf(f, anon) })
	try("e", func(f string) { fmt.Printf(f, e) })
	try("vs", func(f string) { fmt.Printf(f, vs) })
	try("&vs", func(f string) { fmt.Printf(f, &vs) })
	try("mixed", func(f string) { fmt.Printf(f, mixed) })
	try("fl", func(f string) { fmt.Printf(f, fl) })
	try("by", func(f string) { fmt.Printf(f, by) })
}
