package main

import (
	"fmt"
	"strconv"

	"github.com/samber/lo"
)

type user struct {
	Name string
	Age  int
}

func main() {
	users := []user{{"ann", 31}, {"bob", 25}, {"cid", 31}}
	fmt.Println(lo.Chunk([]int{1, 2, 3, 4, 5}, 2))
	fmt.Println(lo.Reverse([]int{1, 2, 3}), lo.Flatten([][]int{{1}, {2, 3}}))
	byAge := lo.GroupBy(users, func(u user) int { return u.Age })
	fmt.Println(len(byAge[31]), byAge[25])
	names := lo.Map(users, func(u user, _ int) string { return u.Name })
	fmt.Println(names, lo.Ternary(len(names) > 2, "many", "few"))
	m := lo.SliceToMap(users, func(u user) (string, int) { return u.Name, u.Age })
	fmt.Println(m)
	fmt.Println(lo.Values(map[string]int{"a": 1}), lo.Entries(map[string]int{"k": 2}))
	found, ok := lo.Find(users, func(u user) bool { return u.Age < 30 })
	fmt.Println(found, ok)
	fmt.Println(lo.Uniq(lo.Map(users, func(u user, _ int) int { return u.Age })))
	fmt.Println(lo.Range(4), lo.RangeFrom(1, 3), lo.Min([]float64{2.5, 1.5}))
	s, err := lo.TryOr(func() (int, error) { return strconv.Atoi("x") }, -1)
	fmt.Println(s, err)
	fmt.Println(lo.PartitionBy([]int{1, 2, 3, 4}, func(x int) bool { return x%2 == 0 }))
	fmt.Println(lo.CountBy([]int{1, 2, 3}, func(x int) bool { return x > 1 }), lo.Must(strconv.Atoi("7")))
	fmt.Println(lo.Union([]int{1, 2}, []int{2, 3}), lo.Intersect([]int{1, 2}, []int{2, 3}))
	fmt.Println(lo.FilterMap([]string{"1", "x", "3"}, func(s string, _ int) (int, bool) {
		n, err := strconv.Atoi(s)
		return n, err == nil
	}))
	fmt.Println(lo.ToPtr(5) != nil, lo.FromPtr[int](nil), lo.Empty[string]() == "")
}
