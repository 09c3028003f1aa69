package main

import (
	"fmt"
	"strings"

	"github.com/samber/lo"
)

func main() {
	names := []string{"ada", "bob", "ada", "cyd"}
	fmt.Println(lo.Uniq(names))
	fmt.Println(lo.Map(names, func(s string, _ int) string { return strings.ToUpper(s) }))
	fmt.Println(lo.Filter([]int{1, 2, 3, 4, 5, 6}, func(x int, _ int) bool { return x%2 == 0 }))
	fmt.Println(lo.Sum([]int{1, 2, 3}), lo.Max([]int{4, 9, 2}))
	fmt.Println(lo.Chunk([]int{1, 2, 3, 4, 5}, 2))
	fmt.Println(lo.Contains(names, "bob"), lo.IndexOf(names, "cyd"))
}
