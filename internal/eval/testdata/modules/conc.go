package main

import (
	"fmt"
	"sync/atomic"

	"github.com/sourcegraph/conc"
	"github.com/sourcegraph/conc/iter"
)

func main() {
	fmt.Println(iter.Map([]int{1, 2, 3}, func(x *int) int { return *x * 2 }))
	squares := iter.Mapper[int, string]{MaxGoroutines: 2}.Map([]int{4, 5}, func(x *int) string {
		return fmt.Sprint(*x * *x)
	})
	fmt.Println(squares, len(squares))
	var n atomic.Int64
	iter.ForEach([]int{1, 2, 3, 4}, func(x *int) { n.Add(int64(*x)) })
	var wg conc.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Go(func() { n.Add(1) })
	}
	wg.Wait()
	fmt.Println(n.Load())
}
