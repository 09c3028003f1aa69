package main

import (
	"fmt"
	"runtime"
)

var table = [3]string{"a", "b", "c"}

func try(name string, f func()) {
	defer func() {
		r := recover()
		_, isRuntime := r.(runtime.Error)
		fmt.Printf("%s: %v (runtime.Error: %v)\n", name, r, isRuntime)
	}()
	f()
}

// Indexes out of range and nil pointers panic with Go's runtime error, which recover
// returns as a runtime.Error.
func main() {
	xs := []int{1, 2, 3}
	i := 5
	try("slice", func() { fmt.Println(xs[i]) })
	try("slice expr index", func() { fmt.Println(xs[i*2-1]) })
	try("array", func() { k := 3; fmt.Println(table[k]) })
	s := "hey"
	try("string", func() { fmt.Println(s[i]) })
	try("negative", func() { j := -1; fmt.Println(xs[j+0]) })
	try("custom", func() { panic("mine") })
	var np *struct{ n int }
	try("nil pointer field", func() { fmt.Println(np.n) })
	try("nested", func() {
		m := [][]int{{1}, {2, 3}}
		fmt.Println(m[1][i-3])
	})
}
