package main

import (
	"context"
	"fmt"

	"golang.org/x/sync/errgroup"
)

func main() {
	g, ctx := errgroup.WithContext(context.Background())
	results := make([]int, 5)
	for i := 0; i < 5; i++ {
		i := i
		g.Go(func() error {
			if i == 3 {
				return fmt.Errorf("task %d failed", i)
			}
			results[i] = i * i
			return nil
		})
	}
	err := g.Wait()
	fmt.Println("err:", err, "ctx:", ctx.Err())
	var g2 errgroup.Group
	g2.SetLimit(2)
	sum := make([]int, 10)
	for i := range 10 {
		g2.Go(func() error { sum[i] = i; return nil })
	}
	fmt.Println(g2.Wait(), sum)
}
