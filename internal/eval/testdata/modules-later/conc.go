package main

import (
	"fmt"
	"sync/atomic"

	"github.com/sourcegraph/conc"
	"github.com/sourcegraph/conc/iter"
	"github.com/sourcegraph/conc/pool"
)

func main() {
	var n atomic.Int64
	var wg conc.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Go(func() { n.Add(1) })
	}
	wg.Wait()
	fmt.Println("count:", n.Load())
	squares := iter.Map([]int{1, 2, 3, 4}, func(v *int) int { return *v * *v })
	fmt.Println(squares)
	p := pool.NewWithResults[int]().WithMaxGoroutines(2)
	for i := 0; i < 5; i++ {
		p.Go(func() int { return i * 10 })
	}
	res := p.Wait()
	sum := 0
	for _, r := range res {
		sum += r
	}
	fmt.Println("sum:", sum, len(res))
}
