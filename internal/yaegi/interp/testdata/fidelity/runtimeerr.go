package main

import (
	"fmt"
	"runtime"
)

var table = [3]string{"a", "b", "c"}

type shape interface{ area() float64 }

type sq struct{ side float64 }

func (s sq) perimeter() float64 { return 4 * s.side }

// at recovers in the function that indexes, whose body starts with the
// deferred func literal.
func at(xs []int, i int) (v int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("at: %v", r)
		}
	}()
	return xs[i], nil
}

func try(name string, f func()) {
	defer func() {
		r := recover()
		_, isRuntime := r.(runtime.Error)
		fmt.Printf("%s: %v (runtime.Error: %v)\n", name, r, isRuntime)
	}()
	f()
}

// Indexes and slice bounds out of range, nil pointers and failed assertions panic with Go's
// runtime error, which recover
// returns as a runtime.Error.
func main() {
	xs := []int{1, 2, 3}
	i := 5
	fmt.Println(at(xs, i))
	try("slice", func() { fmt.Println(xs[i]) })
	try("slice expr index", func() { fmt.Println(xs[i*2-1]) })
	try("array", func() { k := 3; fmt.Println(table[k]) })
	s := "hey"
	try("string", func() { fmt.Println(s[i]) })
	try("negative", func() { j := -1; fmt.Println(xs[j+0]) })
	try("custom", func() { panic("mine") })
	n, lo, neg := 8, 2, -1
	arr := [4]int{}
	try("slice high", func() { fmt.Println(xs[:n]) })
	try("slice low", func() { fmt.Println(xs[n:]) })
	try("slice low > high", func() { fmt.Println(xs[lo:1]) })
	try("slice negative", func() { fmt.Println(xs[:neg]) })
	try("slice array", func() { fmt.Println(arr[1:n]) })
	try("slice string", func() { fmt.Println(s[lo:n]) })
	try("slice3 max", func() { fmt.Println(xs[0:1:n]) })
	try("slice3 high", func() { fmt.Println(xs[0:lo:1]) })
	try("slice ok", func() { fmt.Println(xs[lo:], xs[:lo], s[1:], xs[0:1:2]) })
	var np *struct{ n int }
	try("nil pointer field", func() { fmt.Println(np.n) })
	var x any = "s"
	try("assertion", func() { fmt.Println(x.(int)) })
	var e error
	try("nil assertion", func() { fmt.Println(e.(fmt.Stringer)) })
	var sh shape
	try("to a program's interface", func() { fmt.Println(x.(shape)) })
	try("nil to a program's interface", func() { fmt.Println(sh.(shape)) })
	var y any = sq{2}
	try("missing method", func() { fmt.Println("asserted", y.(shape)) })
	try("nested", func() {
		m := [][]int{{1}, {2, 3}}
		fmt.Println(m[1][i-3])
	})
}
