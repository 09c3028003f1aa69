// A program's struct types through fmt's verbs: unexported and exported
// fields, embedded, nested, pointers, anonymous structs, flags and widths.
package main

import "fmt"

type point struct{ x, y int }

type Vertex struct {
	X, Y float64
	name string
}

type base struct{ ID int }

type Named struct {
	*base
	point
	Label string
	tags  []string
	next  *Named
	attrs map[string]int
}

type line struct {
	From, To point
	color    string
}

func main() {
	p := point{1, 2}
	fmt.Printf("%v|%+v|%#v|%T\n", p, p, p, p)
	fmt.Printf("%d|%x|%X|%o|%s|%q|%5v|%-4v|%05d|\n", p, p, p, p, p, p, p, p, p)
	pp := &p
	fmt.Printf("%v|%+v|%#v|%T\n", pp, pp, pp, pp)
	var nilp *point
	fmt.Printf("%v|%+v|%#v|%T\n", nilp, nilp, nilp, nilp)
	v := Vertex{1.5, 2, "v"}
	fmt.Printf("%v|%+v|%#v|%T|%.2f|%6.1f|%e\n", v, v, v, v, v, v, v)
	n := Named{&base{7}, point{3, 4}, "L", []string{"a", "b"}, nil, map[string]int{"z": 1, "a": 2}}
	fmt.Printf("%v\n%+v\n", n, n)
	fmt.Printf("%T|%T|%T|%T\n", n.point, n.tags, n.attrs, n.base)
	n2 := Named{Label: "empty"}
	fmt.Printf("%+v\n%#v\n", n2, n2)
	l := line{point{0, 0}, point{3, 4}, "red"}
	fmt.Printf("%v|%+v|%#v\n", l, l, l)
	fmt.Println(p, pp, v, l, &l)
	fmt.Print(p, pp, "\n")
	anon := struct {
		a int
		B string
		p point
	}{1, "x", point{5, 6}}
	fmt.Printf("%v|%+v|%T|%#v\n", anon, anon, anon, anon)
	empty := struct{}{}
	fmt.Printf("%v|%+v|%T|%#v\n", empty, empty, empty, empty)
	s := fmt.Sprint(p, pp) + "|" + fmt.Sprintln(v) + fmt.Sprintf("%+v", n.point)
	fmt.Println(s)
	fmt.Printf("%v %d\n", [2]point{{1, 2}, {3, 4}}, [2]point{})
}

func init() {
	p := point{1, 2}
	fmt.Printf("%[1]v %[1]T %[2]*[1]v|\n", p, 4)
	fmt.Printf("%T %v %[1]T %[2]T %[3]d\n", p, 3, Vertex{})
	fmt.Printf("%v %[1]T %v\n", p, 7)
	fmt.Printf("%v %[1]T %*d|%T\n", p, 5, 42, p)
	fmt.Printf("%-12T|%12T|%T|%T %T\n", p, &p, []point{}, map[point][]*Vertex{}, struct{ p point }{})
}

func init() {
	p := &point{1, 2}
	s := fmt.Sprintf("%p|%v|%p", p, p, &Vertex{})
	fmt.Println(len(s) > 10, s[:2], fmt.Sprintf("%p", p) == fmt.Sprintf("%v %[1]p", p)[len(fmt.Sprint(p))+1:])
}
