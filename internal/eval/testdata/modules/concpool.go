package main

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/sourcegraph/conc/pool"
	"github.com/sourcegraph/conc/stream"
)

func main() {
	p := pool.NewWithResults[int]().WithMaxGoroutines(3)
	for i := 0; i < 5; i++ {
		p.Go(func() int { return i * i })
	}
	res := p.Wait()
	sort.Ints(res)
	fmt.Println(res)
	ep := pool.New().WithErrors().WithContext(context.Background())
	ep.Go(func(ctx context.Context) error { return errors.New("bad") })
	ep.Go(func(ctx context.Context) error { return nil })
	fmt.Println(ep.Wait())
	s := stream.New()
	for i := 0; i < 3; i++ {
		s.Go(func() stream.Callback { return func() { fmt.Println("cb", i) } })
	}
	s.Wait()
}
