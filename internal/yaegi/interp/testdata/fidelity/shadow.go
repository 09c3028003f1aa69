// A program's own declarations of min, max and clear shadow the builtins.
package main

import "fmt"

var a = [max]int{}

const max = 4

func min(xs ...int) int { return -1 }

type clear struct{ n int }

func main() {
	fmt.Println(len(a), max, min(1, 2), clear{3})
	{
		min, max := 10, 20
		fmt.Println(min+max, len(a))
	}
}
