// A division of integer constants is an integer division, whatever the
// type of the variable it is assigned to.
package main

import "fmt"

const k = 10

type Celsius float64

func main() {
	var fl float64 = k / 4
	var f2 float64 = 10 / 4
	var f4 float64
	f4 = 7 / 2
	const x int = 7
	var c Celsius = 9 / 2
	var u uint8 = 255 / 2
	fmt.Println(fl, f2, f4, x/2, c, u, 7.0/2, 7/2.0, 'a'/2)
	fl = k / 4.0
	fmt.Println(fl, float64(k)/4, 1/2*3.0)
}
