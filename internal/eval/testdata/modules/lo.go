package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/samber/lo"
)

func main() {
	fmt.Println(lo.Uniq([]int{1, 2, 2, 3, 1, 4}))
	fmt.Println(lo.Map([]int{1, 2, 3}, func(x int, _ int) string { return strings.Repeat("*", x) }))
	fmt.Println(lo.Filter([]int{1, 2, 3, 4, 5, 6}, func(x int, _ int) bool { return x%2 == 0 }))
	groups := lo.GroupBy([]string{"apple", "avocado", "banana", "blueberry", "cherry"}, func(s string) byte { return s[0] })
	fmt.Println(len(groups), groups['a'], groups['b'], groups['c'])
	keys := lo.Keys(map[string]int{"x": 1, "y": 2, "z": 3})
	sort.Strings(keys)
	fmt.Println(keys)
	fmt.Println(lo.Sum([]int{1, 2, 3}), lo.Max([]int{3, 9, 2}), lo.Contains([]string{"a", "b"}, "b"))
	fmt.Println(lo.Reduce([]int{1, 2, 3, 4}, func(acc int, x int, _ int) int { return acc + x*x }, 0))
}
