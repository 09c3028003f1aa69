// Host values inside a program's types: through an unexported field fmt
// calls none of their methods, through an exported one it does.
package main

import (
	"fmt"
	"math/big"
	"time"
)

type event struct {
	at   time.Time
	What string
	d    time.Duration
	n    *big.Int
	N    *big.Int
	m    map[string]time.Duration
	s    []time.Month
}

func main() {
	e := event{time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC), "x", time.Second, nil, big.NewInt(5), map[string]time.Duration{"a": 2}, []time.Month{3}}
	fmt.Printf("%v\n%+v\n", e, e)
	fmt.Printf("%#v\n", e.s)
}
