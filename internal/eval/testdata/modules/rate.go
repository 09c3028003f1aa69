package main

import (
	"fmt"
	"time"

	"golang.org/x/time/rate"
)

func main() {
	lim := rate.NewLimiter(rate.Every(time.Second), 3)
	allowed := 0
	for i := 0; i < 10; i++ {
		if lim.Allow() {
			allowed++
		}
	}
	fmt.Println("allowed:", allowed, "limit:", lim.Limit(), "burst:", lim.Burst())
	s := rate.Sometimes{First: 2}
	n := 0
	for i := 0; i < 5; i++ {
		s.Do(func() { n++ })
	}
	fmt.Println("sometimes:", n)
}
