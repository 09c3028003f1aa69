// Range over a string: keys are byte offsets, an invalid byte is one
// U+FFFD of width 1, and a key-only range gives the offsets too.
package main

import "fmt"

type word string

func main() {
	for i, r := range "a\xffb\xe4\xb8c€" {
		fmt.Print(i, ":", r, " ")
	}
	fmt.Println()
	for i := range "héllo, 世界" {
		fmt.Print(i, " ")
	}
	fmt.Println()
	n := 0
	for range "日本語" {
		n++
	}
	fmt.Println(n)
	for _, r := range word("go!") {
		fmt.Printf("%c", r)
	}
	s := "ab"
	for i, r := range s {
		s = "changed"
		fmt.Print(" ", i, string(r))
	}
	fmt.Println()
}
