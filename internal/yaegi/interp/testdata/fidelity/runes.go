package main

import "fmt"

var letter = 'a'

var pair = []any{'x', 'y' + 1}

const sep = ','

var sepVar = sep

// A rune literal at package level, or through a constant, has type rune.
func main() {
	fmt.Printf("%T %v %c\n", letter, letter, letter)
	fmt.Printf("%T %T %v\n", pair[0], pair[1], pair)
	fmt.Printf("%T %v\n", sepVar, sepVar)
	local := 'b'
	fmt.Printf("%T %q\n", local, local)
}
