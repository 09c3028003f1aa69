package main

import (
	"fmt"

	"golang.org/x/sync/singleflight"
)

func main() {
	var g singleflight.Group
	calls := 0
	v, err, shared := g.Do("key", func() (interface{}, error) {
		calls++
		return "value", nil
	})
	fmt.Println(v, err, shared, calls)
	ch := g.DoChan("other", func() (interface{}, error) { return 42, nil })
	r := <-ch
	fmt.Println(r.Val, r.Err, r.Shared)
	g.Forget("key")
}
