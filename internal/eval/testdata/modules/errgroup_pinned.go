// go get golang.org/x/sync@v0.10.0

package main

import (
	"context"
	"fmt"
	"strings"

	"golang.org/x/sync/errgroup"
)

func main() {
	g, ctx := errgroup.WithContext(context.Background())
	g.SetLimit(2)
	out := make([]string, 4)
	for i := range 4 {
		g.Go(func() error {
			out[i] = strings.Repeat("#", i)
			return nil
		})
	}
	fmt.Println(g.Wait(), ctx.Err() != nil, out)
	fmt.Println(g.TryGo(func() error { return fmt.Errorf("late") }), g.Wait())
}
