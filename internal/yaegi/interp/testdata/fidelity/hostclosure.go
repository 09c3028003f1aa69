package main

import (
	"fmt"
	"sort"
	"sync"
	"time"
)

// A func literal handed to a host function (sync.OnceFunc, time.AfterFunc) captures the variables of the
// iteration it is made in, as one stored in a slice does.
func main() {
	var once []func()
	for i := 0; i < 3; i++ {
		i := i
		once = append(once, sync.OnceFunc(func() { fmt.Print(i*10, " ") }))
	}
	for _, f := range once {
		f()
	}
	fmt.Println()

	ch := make(chan int, 3)
	for i := 0; i < 3; i++ {
		i := i
		time.AfterFunc(time.Duration(i)*5*time.Millisecond, func() { ch <- i })
	}
	got := []int{<-ch, <-ch, <-ch}
	sort.Ints(got)
	fmt.Println(got)

	for _, s := range []string{"a", "b"} {
		s := s
		once = append(once, sync.OnceFunc(func() { fmt.Print(s, len(s)+int(s[0]), " ") }))
	}
	once[3]()
	once[4]()
	fmt.Println()
}
