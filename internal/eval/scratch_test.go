package eval

import (
	"context"
	"testing"

	"github.com/juggler-kernel/juggler/internal/render"
)

func TestScratch(t *testing.T) {
	for _, code := range [][]string{
		{"func Map[T, U any](xs []T, f func(T) U) []U { out := make([]U, 0, len(xs)); for _, x := range xs { out = append(out, f(x)) }; return out }", "Map([]int{1, 2}, func(x int) string { return fmt.Sprint(x * 2) })"},
		{"type Stack[T any] struct{ items []T }\nfunc (s *Stack[T]) Push(x T) { s.items = append(s.items, x) }\nfunc (s *Stack[T]) Len() int { return len(s.items) }", "var s Stack[int]\ns.Push(1)\ns.Push(2)\ns.Len()"},
		{"type Number interface{ ~int | ~float64 }\nfunc Sum[T Number](xs ...T) T { var s T; for _, x := range xs { s += x }; return s }", "Sum(1.5, 2) + 1"},
		{"func Max[T cmp.Ordered](a, b T) T { if a > b { return a }; return b }", "Max(3, 7) * 2"},
		{"slices.Sort([]int{3, 1})", "xs := []int{3, 1, 2}\nslices.Sort(xs)\nxs"},
		{"m := map[string]int{\"b\": 1, \"a\": 2}\nkeys := maps.Keys(m)\nkeys"},
		{"xs := []int{3, 1, 2}\nslices.Contains(xs, 2)"},
		{"xs := []int{3, 1, 2}\nslices.Index(xs, 1)"},
		{"xs := []string{\"b\", \"a\"}\nsort.Strings(xs)\nxs"},
		{"type Pair[K comparable, V any] struct { K K; V V }\np := Pair[string, int]{\"a\", 1}\np.V + 1"},
		{"func Filter[T any](xs []T, keep func(T) bool) []T { var out []T; for _, x := range xs { if keep(x) { out = append(out, x) } }; return out }", "len(Filter([]int{1, 2, 3, 4}, func(x int) bool { return x%2 == 0 }))"},
		{"ch := make(chan int, 1)\ngo func() { ch <- 5 }()\nfunc recv() int { return <-ch }", "recv()"},
		{"func first() int { ch := make(chan int, 1); ch <- 3; return <-ch }", "first()"},
		{"var wg sync.WaitGroup\nresults := make([]int, 3)\nfor i := range 3 {\n\twg.Add(1)\n\tgo func() { defer wg.Done(); results[i] = i * i }()\n}\nwg.Wait()\nresults"},
		{"ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)\ndefer cancel()\n<-ctx.Done()\nctx.Err()"},
		{"errgroup := 1\nerrgroup"},
		{"type Shape interface { Area() float64 }\ntype Sq struct{ S float64 }\nfunc (s Sq) Area() float64 { return s.S * s.S }\nvar sh Shape = Sq{2}\nsh.Area()"},
		{"fmt.Sprintf(\"%T\", struct{ A int }{1})"},
		{"x := []any{1, \"a\", 2.5}\nfor _, v := range x {\n\tswitch v := v.(type) {\n\tcase int:\n\t\tfmt.Println(\"int\", v)\n\tcase string:\n\t\tfmt.Println(\"string\", v)\n\tdefault:\n\t\tfmt.Println(\"other\", v)\n\t}\n}"},
	} {
		s, _, _, _ := newSession(t)
		for i, c := range code {
			res, err := s.Run(context.Background(), Cell{ID: int64(i + 1), Count: i + 1, Code: c})
			got := ""
			if err == nil && res.HasValue {
				got = render.Values(res.Values)[render.Plain].(string)
			}
			t.Logf("%q -> %s | %v", c, got, err)
		}
	}
}
