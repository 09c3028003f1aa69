// A program's defined non-struct types: numbers, strings, slices, maps,
// with and without a String method, as values, in slices and map keys.
package main

import "fmt"

type Celsius float64

func (c Celsius) String() string { return fmt.Sprintf("%.1f°C", float64(c)) }

type Color int

const (
	Red Color = iota
	Green
	Blue
)

func (c Color) String() string { return [...]string{"red", "green", "blue"}[c] }

type IDs []int
type Set map[string]bool
type Name string
type Grid [2][2]int
type Weight float32
type Flags uint8

type palette struct {
	Main   Color
	accent Color
	Temps  []Celsius
}

func main() {
	fmt.Printf("%v|%T|%.2f|%#v|%s|%d\n", Celsius(21.5), Celsius(0), Celsius(1), Celsius(2), Celsius(3), Celsius(4))
	fmt.Println([]Celsius{1, 2}, map[Color]int{Blue: 1, Red: 5}, Green, []Color{Blue, Red})
	fmt.Printf("%d|%v|%s|%x|%q|%5s|%-6v|\n", Green, Green, Blue, Red, Green, Red, Blue)
	ids := IDs{3, 1}
	set := Set{"x": true, "a": false}
	var nm Name = "bob"
	fmt.Printf("%v|%T|%#v|%v|%T|%#v\n", ids, ids, ids, set, set, set)
	fmt.Printf("%v|%T|%q|%#v|%x\n", nm, nm, nm, nm, nm)
	g := Grid{{1, 2}, {3, 4}}
	fmt.Printf("%v|%T|%#v\n", g, g, g)
	w := Weight(0.1)
	fmt.Printf("%v|%T|%g\n", w, w, w)
	f := Flags(5)
	fmt.Printf("%v|%b|%08b|%#v|%T\n", f, f, f, f, f)
	pal := palette{Blue, Green, []Celsius{20}}
	fmt.Printf("%v|%+v|%#v\n", pal, pal, pal)
	var ps []*Celsius
	var m map[Name]IDs
	fmt.Printf("%v|%#v|%T|%v|%#v|%T\n", ps, ps, ps, m, m, m)
	fmt.Println(map[Name]IDs{"b": {2}, "a": {1}})
}
