package interp_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/juggler-kernel/juggler/internal/gorun"
	"github.com/juggler-kernel/juggler/internal/stdlib"
	"github.com/juggler-kernel/juggler/internal/yaegi/interp"
)

// juggler: tests of the Go 1.21 and 1.22 language the fork adds.

func evalAll(t *testing.T, src ...string) (string, error) {
	t.Helper()
	i := interp.New(interp.Options{StdlibSource: stdlib.Source})
	if err := i.Use(stdlib.Symbols); err != nil {
		t.Fatal(err)
	}
	var last string
	for _, s := range src {
		v, err := i.Eval(s)
		if err != nil {
			return "", err
		}
		if v.IsValid() && v.CanInterface() {
			last = fmt.Sprintf("%v %T", v.Interface(), v.Interface())
		}
	}
	return last, nil
}

// langCase is cells to evaluate in one interpreter and the last one's
// value, formatted "%v %T".
type langCase struct {
	name string
	src  []string
	want string
}

// runLangCases runs each case after prelude, in an interpreter of its own.
func runLangCases(t *testing.T, prelude []string, cases []langCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := append(append([]string{}, prelude...), tc.src...)
			got, err := evalAll(t, src...)
			if err != nil || got != tc.want {
				t.Errorf("%s = %q, %v; want %q", strings.Join(tc.src, "; "), got, err, tc.want)
			}
		})
	}
}

// errCase is cells to evaluate and what the error they end in says.
type errCase struct {
	src  []string
	want string
}

func expectErrors(t *testing.T, cases []errCase) {
	t.Helper()
	for _, tc := range cases {
		_, err := evalAll(t, tc.src...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one saying %q", strings.Join(tc.src, "; "), err, tc.want)
		}
	}
}

func TestRangeOverInt(t *testing.T) {
	runLangCases(t, nil, []langCase{
		{"constant", []string{"s := 0", "for i := range 5 { s += i }", "s"}, "10 int"},
		{"no key", []string{"n := 0", "for range 3 { n++ }", "n"}, "3 int"},
		{"key type is int", []string{"var k any", "for i := range 2 { k = i }", "k"}, "1 int"},
		{"rune constant", []string{"var k any", "for i := range 'b' - 'a' + 1 { k = i }", "k"}, "1 int32"},
		{"typed", []string{"var u uint8 = 3", "var k any", "for i := range u { k = i }", "k"}, "2 uint8"},
		{"named", []string{"type Count int", "func (c Count) Twice() Count { return 2 * c }", "var c Count = 4", "s := 0", "for i := range c { s += int(i.Twice()) }", "s"}, "12 int"},
		{"field", []string{"type P struct{ N int }", "p := P{3}", "s := 0", "for i := range p.N { s += i }", "s"}, "3 int"},
		{"call", []string{"func g() int { return 4 }", "s := 0", "for i := range g() { s += i }", "s"}, "6 int"},
		{"map value", []string{`m := map[string]int{"a": 2}`, "n := 0", `for range m["a"] { n++ }`, "n"}, "2 int"},
		{"zero and negative", []string{"n := 0", "for range 0 { n++ }", "for range -2 { n++ }", "n"}, "0 int"},
		{"limit evaluated once", []string{"l := 3", "n := 0", "for range l { l++; n++ }", "n"}, "3 int"},
		{"body assigns key", []string{"n := 0", "for i := range 3 { i += 10; n++ }", "n"}, "3 int"},
		{"break continue", []string{"s := 0", "for i := range 10 { if i == 2 { continue }; if i == 5 { break }; s += i }", "s"}, "8 int"},
		{"in func", []string{"func f(n int) (s int) { for i := range n { s += i }; return }", "f(4)"}, "6 int"},
		{"nested", []string{"s := 0", "for i := range 3 { for j := range i { s += j } }", "s"}, "1 int"},
	})
}

func TestRangeErrors(t *testing.T) {
	expectErrors(t, []errCase{
		{[]string{"for i, v := range 3 { _, _ = i, v }"}, "permits only one iteration variable"},
		{[]string{"func seq(yield func(int) int) {}", "for x := range seq { _ = x }"}, "cannot range over seq (type func(func(int) int)): a function to range over is"},
		{[]string{"func seq(yield func(int) bool) {}", "for x, y := range seq { _, _ = x, y }"}, "permits only 1 iteration variables"},
		{[]string{"func seq(yield func(int) bool) {}", "outer:\nfor {\n\tfor x := range seq { _ = x; break outer }\n}"}, "break outer out of the body of a range over a function is not supported"},
	})
}

func TestMinMaxClear(t *testing.T) {
	runLangCases(t, nil, []langCase{
		{"ints", []string{"min(3, 1, 2)"}, "1 int"},
		{"untyped mix", []string{"min(1, 2.5)"}, "1 float64"},
		{"max untyped mix", []string{"max(1, 2.5)"}, "2.5 float64"},
		{"variables", []string{"a, b := 4, 9", "max(a, b)"}, "9 int"},
		{"typed and untyped", []string{"var f32 float32 = 2", "min(f32, 1)"}, "1 float32"},
		{"field", []string{"type P struct{ X int }", "p := P{3}", "min(p.X, 2)"}, "2 int"},
		{"index", []string{"xs := []int{5, 3}", "max(xs[0], xs[1])"}, "5 int"},
		{"call", []string{"func g() int { return 4 }", "max(g(), 1)"}, "4 int"},
		{"map value", []string{`m := map[string]int{"a": 1}`, `min(m["a"], 0)`}, "0 int"},
		{"uint8", []string{"var u uint8 = 3", "max(u, 9)"}, "9 uint8"},
		{"uint64 large", []string{"u := ^uint64(0)", "max(u, 1)"}, "18446744073709551615 uint64"},
		{"named float", []string{"type Celsius float64", "func Hot(c Celsius) bool { return c > 30 }", "Hot(max(Celsius(20), 40))"}, "true bool"},
		{"duration", []string{"import \"time\"", "min(5*time.Second, time.Minute)"}, "5s time.Duration"},
		{"strings", []string{`min("pear", "apple", "fig")`}, "apple string"},
		{"string vars", []string{`a, b := "x", "abc"`, "max(a, b)"}, "x string"},
		{"NaN", []string{"import \"math\"", "x := math.NaN()", "min(x, 1) != min(x, 1)"}, "true bool"},
		{"in expression", []string{"a := 7", "min(a, 10) * 2 + max(a, 1)"}, "21 int"},
		{"to interface", []string{"var v any = max(2, 3)", "v"}, "3 int"},
		{"returned", []string{"func clamp(x, lo, hi int) int { return max(lo, min(x, hi)) }", "clamp(15, 0, 10)"}, "10 int"},
		{"constant", []string{"const c = min(4, 2, 8)", "c"}, "2 int"},
		{"typed constant", []string{"const c int8 = 5", "const d = max(c, 1)", "d"}, "5 int8"},
		{"clear map", []string{`m := map[string]int{"a": 1, "b": 2}`, "clear(m)", "len(m)"}, "0 int"},
		{"clear slice", []string{"s := []int{1, 2, 3}", "clear(s)", "s[0] + s[1] + s[2] + len(s)"}, "3 int"},
	})
}

func TestMinMaxClearErrors(t *testing.T) {
	expectErrors(t, []errCase{
		{[]string{"a, b := 1, 2.5", "min(a, b)"}, "mismatched types int (previous argument) and float64 (type of b)"},
		{[]string{"b := true", "max(b, false)"}, "cannot be ordered"},
		{[]string{"min()"}, "not enough arguments in call to min"},
		{[]string{"x := 3", "clear(x)"}, "invalid argument: x (type int) must be a map or a slice"},
	})
}

// juggler: a receive stores into its destination, whatever holds it.
func TestReceiveInto(t *testing.T) {
	runLangCases(t, nil, []langCase{
		{"return", []string{"func first() int { ch := make(chan int, 1); ch <- 3; return <-ch }", "first()"}, "3 int"},
		{"return after blocking", []string{"func h() int { ch := make(chan int); go func() { ch <- 10 }(); return <-ch }", "h()"}, "10 int"},
		{"future", []string{"func fut() func() int { ch := make(chan int, 1); go func() { ch <- 12 }(); return func() int { return <-ch } }", "fut()()"}, "12 int"},
		{"variable seen through a pointer", []string{"ch := make(chan int, 1)", "ch <- 4", "var x int", "p := &x", "x = <-ch", "*p"}, "4 int"},
		{"local seen through a pointer", []string{"func g() int { ch := make(chan int, 1); ch <- 9; x := 0; p := &x; x = <-ch; return *p }", "g()"}, "9 int"},
		{"slice element", []string{"ch := make(chan int, 1)", "ch <- 5", "xs := make([]int, 2)", "xs[1] = <-ch", "xs[1]"}, "5 int"},
		{"struct field", []string{"type S struct{ F int }", "ch := make(chan int, 1)", "ch <- 6", "var s S", "s.F = <-ch", "s.F"}, "6 int"},
		{"map entry", []string{"ch := make(chan int, 1)", "ch <- 7", "m := map[string]int{}", `m["a"] = <-ch`, `m["a"]`}, "7 int"},
		{"named result", []string{"func k() (n int) { ch := make(chan int, 1); ch <- 11; n = <-ch; return }", "k()"}, "11 int"},
		{"into an interface", []string{"ch := make(chan int, 1)", "ch <- 13", "var v any", "v = <-ch", "v"}, "13 int"},
		{"struct values", []string{"type P struct{ X, Y int }", "ch := make(chan P, 1)", "ch <- P{1, 2}", "p := <-ch", "p.X + p.Y"}, "3 int"},
		{"results gathered", []string{"func gather() int { ch := make(chan int); for i := 0; i < 3; i++ { go func(i int) { ch <- i * i }(i) }; out := make([]int, 3); for i := range out { out[i] = <-ch }; return out[0] + out[1] + out[2] }", "gather()"}, "5 int"},
		{"select on an expression", []string{"func f() int { chs := []chan int{make(chan int, 1)}; chs[0] <- 19; var x int; var ok bool; select { case x, ok = <-chs[0]: _ = ok }; return x }", "f()"}, "19 int"},
		{"select", []string{"ch := make(chan int, 1)", "ch <- 14", "var x int", "p := &x", "select { case x = <-ch: }", "*p"}, "14 int"},
		{"a new variable each iteration", []string{`import "fmt"`, "func f() string { ch := make(chan int, 3); ch <- 1; ch <- 2; ch <- 3; var fs []func() int; for i := 0; i < 3; i++ { v := <-ch; fs = append(fs, func() int { return v }) }; return fmt.Sprint(fs[0](), fs[1](), fs[2]()) }", "f()"}, "1 2 3 string"},
		{"a new variable each iteration, with ok", []string{`import "fmt"`, "func f() string { ch := make(chan int, 3); ch <- 1; ch <- 2; close(ch); var ps []*int; for { v, ok := <-ch; if !ok { break }; ps = append(ps, &v) }; return fmt.Sprint(len(ps), *ps[0], *ps[1]) }", "f()"}, "2 1 2 string"},
		{"v, ok := at top level", []string{"ch := make(chan int, 1)", "ch <- 5", "v, ok := <-ch", "ok && v == 5"}, "true bool"},
		{"map v, ok := at top level", []string{`m := map[string]int{"a": 7}`, `v, ok := m["a"]`, `w, ok2 := m["b"]`, "ok && v == 7 && !ok2 && w == 0"}, "true bool"},
		{"v, ok := into an existing v (a named result)", []string{`import "errors"`, "func get(ch chan int) (v int, err error) { v, ok := <-ch; if !ok { err = errors.New(\"closed\") }; return }", "func f() int { ch := make(chan int, 1); ch <- 4; v, _ := get(ch); return v }", "f()"}, "4 int"},
		{"into an interface variable", []string{`import "fmt"`, "type S interface{ String() string }\ntype T int\nfunc (t T) String() string { return fmt.Sprint(\"T\", int(t)) }", "func f() string { ch := make(chan T, 1); ch <- 3; var x S; x = <-ch; return x.String() }", "f()"}, "T3 string"},
		{"select into _", []string{"func f() int { ch := make(chan int, 1); ch <- 4; select { case _ = <-ch: return 1 }; return 0 }", "f()"}, "1 int"},
		{"break in a select ends the select", []string{"func f() int { s := 0; ch := make(chan int, 10); for i := 0; i < 10; i++ { ch <- i }; for x := 0; x < 4; x++ { select { case v := <-ch: if v == 1 { break }; s += v; default: }; s += x * 100 }; return s }", "f()"}, "605 int"},
		{"select with a body", []string{"func f() int { ch := make(chan int, 1); ch <- 15; var x int; select { case x = <-ch: x++ }; return x }", "f()"}, "16 int"},
		{"select declaring", []string{"func f() int { ch := make(chan int, 1); ch <- 17; x := 1; select { case x := <-ch: _ = x }; return x }", "f()"}, "1 int"},
		{"select with ok", []string{"func f() (int, bool) { ch := make(chan int, 1); ch <- 18; var x int; var ok bool; select { case x, ok = <-ch: }; return x, ok }", "a, ok := f()", "ok && a == 18"}, "true bool"},
		{"range", []string{"ch := make(chan int, 2)", "ch <- 1", "ch <- 2", "close(ch)", "s := 0", "for v := range ch { s += v }", "s"}, "3 int"},
		{"condition", []string{"func b() bool { ch := make(chan bool, 1); ch <- true; if <-ch { return true }; return false }", "b()"}, "true bool"},
	})
}

func TestSlicesSort(t *testing.T) {
	runLangCases(t, nil, []langCase{
		{"Sort ints", []string{`import "slices"`, "xs := []int{5, 2, 8, 1, 9, 3}", "slices.Sort(xs)", "xs"}, "[1 2 3 5 8 9] []int"},
		{"Sort strings", []string{`import "slices"`, `xs := []string{"pear", "apple", "fig"}`, "slices.Sort(xs)", "xs"}, "[apple fig pear] []string"},
		{"Sort floats with NaN", []string{`import ("math"; "slices")`, "xs := []float64{2, math.NaN(), 1}", "slices.Sort(xs)", "math.IsNaN(xs[0]) && xs[1] == 1 && xs[2] == 2"}, "true bool"},
		{"SortFunc descending", []string{`import "slices"`, "xs := []int{1, 3, 2}", "slices.SortFunc(xs, func(a, b int) int { return b - a })", "xs"}, "[3 2 1] []int"},
		{"SortStableFunc", []string{`import ("slices"; "strings")`, `xs := []string{"b2", "a1", "b1", "a2"}`, "slices.SortStableFunc(xs, func(a, b string) int { return strings.Compare(a[:1], b[:1]) })", "xs"}, "[a1 a2 b2 b1] []string"},
		{"structs", []string{`import "slices"`, "type P struct{ Name string; Age int }", `ps := []P{{"b", 30}, {"a", 20}}`, "slices.SortFunc(ps, func(x, y P) int { return x.Age - y.Age })", "ps[0].Name"}, "a string"},
		{"IsSorted", []string{`import "slices"`, "slices.IsSorted([]int{1, 2, 2, 3})"}, "true bool"},
		{"Min Max", []string{`import "slices"`, "xs := []int{4, 1, 7}", "slices.Min(xs)*10 + slices.Max(xs)"}, "17 int"},
		{"BinarySearch", []string{`import "slices"`, "i, ok := slices.BinarySearch([]int{1, 3, 5}, 3)", "ok && i == 1"}, "true bool"},
		{"long", []string{`import "slices"`, "xs := make([]int, 1000)", "for i := range xs { xs[i] = (i * 7919) % 1000 }", "slices.Sort(xs)", "slices.IsSorted(xs) && xs[0] == 0 && xs[999] == 999"}, "true bool"},
		{"upstream's still there", []string{`import "slices"`, "slices.Contains([]int{1, 2}, 2)"}, "true bool"},
	})
}

// juggler: type inference binds type parameters by name.
func TestGenericInference(t *testing.T) {
	const (
		mapFn   = "func Map[T, U any](xs []T, f func(T) U) []U { out := make([]U, 0, len(xs)); for _, x := range xs { out = append(out, f(x)) }; return out }"
		sumFn   = "func Sum[T interface{ ~int | ~float64 }](xs ...T) T { var s T; for _, x := range xs { s += x }; return s }"
		firstFn = "func First[S ~[]E, E any](s S) E { return s[0] }"
		keysFn  = "func Keys[M ~map[K]V, K comparable, V any](m M) []K { var out []K; for k := range m { out = append(out, k) }; return out }"
	)
	runLangCases(t, nil, []langCase{
		{"two parameters from two arguments", []string{mapFn, `Map([]int{1, 2}, func(x int) string { return string(rune('a' + x)) })`}, "[b c] []string"},
		{"variadic", []string{sumFn, "Sum(1, 2, 3)"}, "6 int"},
		{"variadic untyped mix", []string{sumFn, "Sum(1.5, 2) + 1"}, "4.5 float64"},
		{"variadic spread", []string{sumFn, "xs := []float64{1, 2}", "Sum(xs...)"}, "3 float64"},
		{"named type", []string{sumFn, "type Celsius float64", "Sum(Celsius(1), Celsius(2)) > 2"}, "true bool"},
		{"core type of a slice", []string{firstFn, "First([]int{7})"}, "7 int"},
		{"core type of a named slice", []string{firstFn, "type IDs []string", `First(IDs{"x"})`}, "x string"},
		{"core type of a map", []string{keysFn, `len(Keys(map[string]int{"a": 1, "b": 2}))`}, "2 int"},
		{"grouped parameters", []string{"func Pick[T any](a, b T, first bool) T { if first { return a }; return b }", `Pick("x", "y", false)`}, "y string"},
		{"funcs as variadic arguments", []string{"func Apply[T any](x T, fs ...func(T) T) T { for _, f := range fs { x = f(x) }; return x }", "Apply(3, func(x int) int { return x * 2 }, func(x int) int { return x + 1 })"}, "7 int"},
		{"explicit", []string{"func Zero[T any]() T { var z T; return z }", "Zero[string]() == \"\""}, "true bool"},
		{"global from a generic call", []string{`import "slices"`, "ys := slices.Clone([]int{1, 2})", "ys"}, "[1 2] []int"},
		{"global from a generic call of a map", []string{keysFn, `ks := Keys(map[string]bool{"k": true})`, "ks[0]"}, "k string"},
		{"upstream slices", []string{`import "slices"`, "xs := slices.Insert([]int{1, 4}, 1, 2, 3)", "slices.Reverse(xs)", "xs"}, "[4 3 2 1] []int"},
		{"maps.Clone copies", []string{`import "maps"`, `m := map[string]int{"a": 1}`, "c := maps.Clone(m)", `c["a"] = 2`, `m["a"]*10 + c["a"]`}, "12 int"},
		// juggler: through an instance of a generic type (Seq[E] from Seq[K]),
		// and constraints and parameter types of another package.
		{"through a generic type's instance", []string{
			"type Seq[V any] func(yield func(V) bool)",
			"func Keys[M ~map[K]V, K comparable, V any](m M) Seq[K] { return func(yield func(K) bool) { for k := range m { if !yield(k) { return } } } }",
			"func Collect[E any](seq Seq[E]) []E { var s []E; for v := range seq { s = append(s, v) }; return s }",
			`ks := Collect(Keys(map[string]int{"a": 1}))`, "ks"}, "[a] []string"},
		{"through two parameters of an instance", []string{`import ("maps"; "slices")`, `m := maps.Collect(maps.All(map[string]int{"a": 1}))`, "m"}, "map[a:1] map[string]int"},
		{"constraint of the callee's package", []string{`import "slices"`, "xs := []float64{2, 1}", "slices.Sort(xs)", "xs"}, "[1 2] []float64"},
		{"parameter type of the callee's package", []string{`import ("maps"; "slices")`, `slices.Sorted(maps.Keys(map[string]int{"b": 1, "a": 2}))`}, "[a b] []string"},
	})
}

func TestRangeOverFunc(t *testing.T) {
	const (
		count = "func Count(n int) func(func(int) bool) { return func(yield func(int) bool) { for i := 0; i < n; i++ { if !yield(i) { return } } } }"
		pairs = "func Pairs(m []string) func(func(int, string) bool) { return func(yield func(int, string) bool) { for i, s := range m { if !yield(i, s) { return } } } }"
		three = "func Three(yield func() bool) { for i := 0; i < 3; i++ { if !yield() { return } } }"
	)
	runLangCases(t, []string{`import "fmt"`}, []langCase{
		{"one variable", []string{count, "s := 0", "for x := range Count(4) { s += x }", "s"}, "6 int"},
		{"two variables", []string{pairs, `out := ""`, `for i, s := range Pairs([]string{"a", "b"}) { out += fmt.Sprint(i, s) }`, "out"}, "0a1b string"},
		{"no variables", []string{three, "n := 0", "for range Three { n++ }", "n"}, "3 int"},
		{"key only of two", []string{pairs, "n := 0", `for i := range Pairs([]string{"a", "b", "c"}) { n += i }`, "n"}, "3 int"},
		{"break", []string{count, "s := 0", "for x := range Count(100) { if x == 3 { break }; s += x }", "s"}, "3 int"},
		{"continue", []string{count, "s := 0", "for x := range Count(5) { if x%2 == 0 { continue }; s += x }", "s"}, "4 int"},
		{"return from the body", []string{count, "func find(n, want int) int { for x := range Count(n) { if x*x == want { return x } }; return -1 }", "find(10, 49)*100 + find(3, 49)"}, "699 int"},
		{"nested", []string{count, "s := 0", "for i := range Count(3) { for j := range Count(i) { s += j } }", "s"}, "1 int"},
		{"ordinary loop inside", []string{count, "s := 0", "for i := range Count(3) { for j := 0; j < 10; j++ { if j == 2 { break }; s += i } }", "s"}, "6 int"},
		{"defer runs at function end", []string{count, `func f() (out string) { defer func() { out += "!" }(); for x := range Count(2) { defer func(v int) { out += fmt.Sprint(v) }(x) }; return "go" }`, "f()"}, "go10! string"},
		{"labeled jump within the body", []string{count, "s := 0", "for x := range Count(3) {\nloop:\n\tfor j := 0; j < 5; j++ { if j > x { break loop }; s++ }\n}", "s"}, "6 int"},
		{"func value", []string{"var seq func(func(int) bool) = func(yield func(int) bool) { yield(5) }", "s := 0", "for x := range seq { s += x }", "s"}, "5 int"},
		{"continue with the loop's own label", []string{count, "func f() int { s := 0\nouter:\n\tfor x := range Count(3) { for y := 0; y < 3; y++ { if y == 1 { continue outer }; s += x*10 + y } }\n\treturn s }", "f()"}, "30 int"},
		{"break with the loop's own label", []string{count, "func f() int { s := 0\nouter:\n\tfor x := range Count(5) { for y := 0; y < 3; y++ { if x == 2 { break outer }; s += x*10 + y } }\n\treturn s }", "f()"}, "36 int"},
		{"in a goroutine", []string{count, "func total() int { ch := make(chan int); go func() { s := 0; for x := range Count(4) { s += x }; ch <- s }(); return <-ch }", "total()"}, "6 int"},
	})
}

// juggler: a defer statement evaluates its call where it stands.
func TestDefer(t *testing.T) {
	runLangCases(t, []string{`import "fmt"`}, []langCase{
		{"arguments", []string{`func f() (out string) { for x := 0; x < 2; x++ { defer func(v int) { out += fmt.Sprint(v) }(x) }; return "go" }`, "f()"}, "go10 string"},
		{"builtin call arguments", []string{`func f() (out string) { s := []int{}; defer func() { out = fmt.Sprint(len(s)) }(); s = append(s, 1); return }`, "f()"}, "1 string"},
		{"binary function arguments", []string{`import "strings"`, `func f() (out string) { var b strings.Builder; for i := 0; i < 2; i++ { defer b.WriteString(fmt.Sprint(i)) }; defer func() { out = b.String() }(); return }`, "f()"}, " string"},
		{"closure sees the loop variable copy", []string{`func f() (out string) { for _, x := range []int{0, 1} { x := x; defer func() { out += fmt.Sprint(x) }() }; return "go" }`, "f()"}, "go10 string"},
		{"named result set after defer", []string{"func g() (n int) { defer func() { n *= 2 }(); n = 3; return n }", "g()"}, "6 int"},
		{"named result set by return", []string{"func g() (n int) { defer func() { n += 1 }(); return 5 }", "g()"}, "6 int"},
		{"deferred method's receiver", []string{"type R struct{ name string; log *[]string }\nfunc (r *R) Close() { *r.log = append(*r.log, r.name) }", "func f() string { var log []string; func() { for _, n := range []string{\"a\", \"b\", \"c\"} { r := &R{n, &log}; defer r.Close() } }(); return fmt.Sprint(log) }", "f()"}, "[c b a] string"},
		{"deferred interface method in a loop", []string{"type Closer interface{ Close() }\ntype R struct{ name string; log *string }\nfunc (r *R) Close() { *r.log += r.name }", "func f() string { var log string; func() { for _, n := range []string{\"a\", \"b\"} { var c Closer = &R{n, &log}; defer c.Close() } }(); return log }", "f()"}, "ba string"},
		{"deferred call of a closure assigned later", []string{`func f() (s string) { var g func() int; defer func() { s = fmt.Sprint(g()) }(); g = func() int { return 9 }; return }`, "f()"}, "9 string"},
		{"a panic in a deferred call replaces the panic", []string{`func f() (s string) { defer func() { s = fmt.Sprint(recover()) }(); defer func() { panic("second") }(); panic("first") }`, "f()"}, "second string"},
		{"defers after a panicking one still run", []string{`func f() (s string) { defer func() { s += "d1" + fmt.Sprint(recover()) }(); defer func() { s += "d2" }(); defer func() { panic("p3") }(); defer func() { s += "d4" }(); return "" }`, "f()"}, "d4d2d1p3 string"},
		{"recovered in an inner defer", []string{`func f() (s string) { defer func() { s = fmt.Sprint(recover()) }(); defer func() { recover() }(); panic("first") }`, "f()"}, "<nil> string"},
		{"recovered value as itself", []string{`import "errors"`, `func f() (r string) { defer func() { r = recover().(error).Error() }(); panic(errors.New("E")) }`, "f()"}, "E string"},
		{"recovered string", []string{`func f() (r string) { defer func() { r = recover().(string) }(); panic("boom") }`, "f()"}, "boom string"},
		{"recover into a named error", []string{`func safe() (err error) { defer func() { if r := recover(); r != nil { err = fmt.Errorf("recovered: %v", r) } }(); panic("boom") }`, "safe().Error()"}, "recovered: boom string"},
	})
}

// juggler: what inference cannot do is a compile error, not a host panic.
func TestGenericLimitsAreErrors(t *testing.T) {
	if _, err := evalAll(t, "func Zero[T any]() T { var z T; return z }", "z := Zero()"); err == nil || !strings.Contains(err.Error(), "in call to Zero, cannot infer T") {
		t.Errorf("nothing to infer from: error %v, want Go's", err)
	}
}

// juggler: a method value binds its receiver where it is made.
func TestMethodValues(t *testing.T) {
	const (
		val = "type T struct{ n int }\nfunc (t T) Get() int { return t.n }"
		ptr = "type T struct{ n int }\nfunc (t *T) Get() int { return t.n }\nfunc (t *T) Inc() { t.n++ }"
	)
	runLangCases(t, nil, []langCase{
		{"value receiver is copied", []string{val, "v := T{1}", "f := v.Get", "v.n = 5", "f()"}, "1 int"},
		{"value receiver in a func", []string{val, "func g() int { v := T{1}; f := v.Get; v.n = 5; return f() }", "g()"}, "1 int"},
		{"pointer receiver is shared", []string{ptr, "v := &T{1}", "f := v.Get", "v.n = 5", "f()"}, "5 int"},
		{"addressable value, pointer method", []string{ptr, "func g() int { v := T{1}; f := v.Inc; f(); f(); return v.n }", "g()"}, "3 int"},
		{"deferred method", []string{val, "func g() (out int) { v := T{1}; defer func() { out = v.n }(); v.n = 7; return 0 }", "g()"}, "7 int"},
	})
}

// juggler: what the fork rejects instead of doing wrong.
func TestRejected(t *testing.T) {
	expectErrors(t, []errCase{
		{[]string{"func Id[T any](x T) T { return x }", "var g = Id(3)"}, "var g is initialized by a call of a generic function"},
		{[]string{"var x = _"}, "cannot use _ as value"},
		{[]string{"func Id[T any](x T) T { return x }", "func f() int { var g = Id[int](3); return g }"}, "var g is initialized by a call of a generic function"},
		{[]string{`import "slices"`, "var ys = slices.Clone([]int{1})"}, "var ys is initialized by a call of a generic function"},
		{[]string{"func f() { m := map[string]int{}; ch := make(chan int, 1); ch <- 1; select { case m[\"k\"] = <-ch: } }"}, "a select case can receive only into variables"},
	})
}

// juggler: results given as ResultInterfaces, nil ones included.
func TestResultInterfaces(t *testing.T) {
	stringer := reflect.TypeFor[fmt.Stringer]()
	for _, tc := range []struct {
		name string
		src  []string
		want string
	}{
		{"String of a value", []string{"type T int\nfunc (t T) String() string { return \"T!\" }", "T(1)"}, "T!"},
		{"nil interface", []string{"type S interface{ String() string }", "var s S", "s"}, "<nil>"},
		{"nil interface from a func", []string{"type S interface{ String() string }\nfunc get() S { return nil }", "get()"}, "<nil>"},
		{"interface holding a nil pointer", []string{"type S interface{ String() string }\ntype P struct{}\nfunc (p *P) String() string { return \"P\" }\nfunc get() S { var p *P; return p }", "get()"}, "<nil>"},
		{"interface value", []string{"type Sh interface{ Area() int }\ntype Sq struct{ N int }\nfunc (s Sq) Area() int { return s.N * s.N }", "var sh Sh = Sq{3}", "sh"}, "{3}"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			i := interp.New(interp.Options{ResultInterfaces: []reflect.Type{stringer}, StdlibSource: stdlib.Source})
			if err := i.Use(stdlib.Symbols); err != nil {
				t.Fatal(err)
			}
			var v reflect.Value
			var err error
			for _, src := range tc.src {
				if v, err = i.Eval(src); err != nil {
					t.Fatalf("%s: %v", src, err)
				}
			}
			got := "<nil>"
			if v.IsValid() && v.CanInterface() {
				got = fmt.Sprint(v.Interface())
			}
			if got != tc.want {
				t.Errorf("result = %q, want %q", got, tc.want)
			}
		})
	}
}

// juggler: fmt sees a cell's own error types; a comma-ok assertion on a nil
// interface is false.
func TestErrorsAndAssertions(t *testing.T) {
	const myErr = "type E struct{ M string }\nfunc (e E) Error() string { return \"E:\" + e.M }"
	runLangCases(t, []string{`import "fmt"`}, []langCase{
		{"fmt prints Error", []string{myErr, `fmt.Sprint(E{"x"})`}, "E:x string"},
		{"fmt.Errorf wraps it", []string{myErr, `fmt.Errorf("w: %w", E{"x"}).Error()`}, "w: E:x string"},
		{"fmt through a cell's own interface type", []string{"type Named interface{ String() string }\ntype T struct{ N int }\nfunc (t T) String() string { return \"T!\" }", "var n Named = T{1}", "fmt.Sprint(n)"}, "T! string"},
		{"Error before String", []string{"type S struct{}\nfunc (S) Error() string { return \"err\" }\nfunc (S) String() string { return \"str\" }", "fmt.Sprint(S{})"}, "err string"},
		{"comma-ok on nil any, top level", []string{"var r any", "_, ok := r.(error)", "ok"}, "false bool"},
		{"comma-ok on nil any, in a func", []string{"func f() bool { var r any; _, ok := r.(error); return ok }", "f()"}, "false bool"},
		{"recover handler when nothing panicked", []string{`func f() (s string) { defer func() { if err, ok := recover().(error); ok { s = err.Error() } else { s = "none" } }(); return }`, "f()"}, "none string"},
	})
}

// juggler: a variable declared with := inside a block (or in the init of an
// if, for or switch) at top level is that block's, even when a global of the
// same name exists or is declared later. The interpreter stored the block's
// int into the global string's slot ("reflect.Set: value of type int is not
// assignable to type string"), and an init statement left a global behind.
// Each case is a list of cells, the last an expression; the expectation is
// what the toolchain prints for the same statements in one func.
func TestBlockShadowsGlobal(t *testing.T) {
	cases := [][]string{
		{"n := 0", "if true { x := 1; n += x }", `x := "s"`, "if true { x := 1; n += x }", "fmt.Sprint(x, n)"},
		{`x := "s"`, "for x := 0; x < 3; x++ { _ = x }", "x"},
		{`x := "s"`, "if x := 2; x > 1 { _ = x }", "x"},
		{`x := "s"`, "switch x := 4; x { case 4: _ = x }", "x"},
		{`x := "s"`, "n := 0", "for i := 0; i < 3; i++ { x := i; n += x }", "fmt.Sprint(x, n)"},
		{"n := 0", "for _, v := range []int{1, 2} { x := v; n += x }", "x := []int{7}", "for _, v := range []int{1, 2} { x := v; n += x }", "fmt.Sprint(x, n)"},
		// Two-value forms (a call, a map index, a receive) in blocks.
		{"two := func() (int, error) { return 3, nil }", "n := 0", "for k := 0; k < 2; k++ { x, err := two(); n += x + k; _ = err }", `x := "s"`, "if true { x, err := two(); n += x; _ = err }", "fmt.Sprint(x, n)"},
		{`m := map[string]int{"a": 1}`, "n := 0", `if v, ok := m["a"]; ok { n += v }`, `for _, k := range []string{"a", "b"} { v, ok := m[k]; if ok { n += v } }`, `v := "s"`, "fmt.Sprint(v, n)"},
		{"ch := make(chan int, 2)", "ch <- 4", "close(ch)", "n := 0", "for k := 0; k < 2; k++ { v, ok := <-ch; if ok { n += v } }", "n"},
	}
	var prog strings.Builder
	prog.WriteString("package main\n\nimport \"fmt\"\n\n")
	for i, c := range cases {
		fmt.Fprintf(&prog, "func case%d() string {\n%s\nreturn fmt.Sprint(%s)\n}\n\n", i, strings.Join(c[:len(c)-1], "\n"), c[len(c)-1])
	}
	prog.WriteString("func main() {\n")
	for i := range cases {
		fmt.Fprintf(&prog, "\tfmt.Println(case%d())\n", i)
	}
	prog.WriteString("}\n")
	want := goRun(t, prog.String())
	if len(want) != len(cases) {
		t.Fatalf("go run printed %d lines for %d cases: %q", len(want), len(cases), want)
	}
	for k, c := range cases {
		i := interp.New(interp.Options{})
		if err := i.Use(stdlib.Symbols); err != nil {
			t.Fatal(err)
		}
		var got string
		for _, src := range append([]string{`import "fmt"`}, c...) {
			v, err := i.Eval(src)
			if err != nil {
				t.Fatalf("%q: %v", c, err)
			}
			if v.IsValid() && v.CanInterface() {
				got = fmt.Sprint(v.Interface())
			}
		}
		if got != want[k] {
			t.Errorf("%q = %q, go run prints %q", c, got, want[k])
		}
	}
}

// goRun runs a Go program with the toolchain and returns its output lines.
func goRun(t *testing.T, src string) []string {
	t.Helper()
	out, code := gorun.Run(t, src)
	if code != 0 {
		t.Fatalf("go run: exit status %d\n%s\n%s", code, out, src)
	}
	return strings.Split(strings.TrimSuffix(out, "\n"), "\n")
}

// juggler: a single statement is its own root: GTA still declares it (and
// reports its errors), as for the statements of a root block.
func TestSingleStatementDefine(t *testing.T) {
	expectErrors(t, []errCase{
		{[]string{"a := nil"}, "use of untyped nil"},
	})
	runLangCases(t, nil, []langCase{
		{"define then use", []string{"a := 4", "a * 2"}, "8 int"},
		{"two-value define then use", []string{`m := map[string]int{"k": 3}`, `v, ok := m["k"]`, "ok && v == 3"}, "true bool"},
	})
}

// juggler: what the statements of an evaluation leave in the global frame
// (func literal values, block variables) is released once they have run:
// closures made from them keep their values, and a closure or a block
// variable per evaluation does not keep memory.
func TestReleasedTemporaries(t *testing.T) {
	runLangCases(t, []string{`import "time"`}, []langCase{
		{"block variable in a closure", []string{"var f func() int", "{ k := 5; f = func() int { return k } }", "f()"}, "5 int"},
		{"if variable in a closure", []string{`m := map[string]int{"a": 7}`, "var g func() int", `if v, ok := m["a"]; ok { g = func() int { return v } }`, "g()"}, "7 int"},
		// (d, not done, in the goroutine: reading a package variable while
		// the next evaluation grows the global frame is a data race of
		// upstream's.)
		{"goroutine outlives its evaluation", []string{"done := make(chan int)", "{ k := 9; d := done; go func() { time.Sleep(20 * time.Millisecond); d <- k }() }", "<-done"}, "9 int"},
		{"named variables stay", []string{"xs := []int{1, 2}", "{ t := 3; xs = append(xs, t) }", "len(xs) + xs[2]"}, "6 int"},
		{"closure kept in a variable", []string{"n := 0", "inc := func() int { n++; return n }", "inc()", "inc() + n"}, "4 int"},
		// A name declared again is a new variable; code compiled before
		// keeps the old one, which must keep its value.
		{"func reads a variable declared again", []string{"x := 1", "func f() int { return x }", "x := 2", "f()*10 + x"}, "12 int"},
		{"closure reads a variable declared again", []string{"y := 1", "g := func() int { return y }", "var y = 2", "g()*10 + y"}, "12 int"},
	})
}

// juggler: a func literal made at top level copies only the current
// evaluation's slots of the global frame; package variables of every
// earlier evaluation are still read and written through the global frame.
func TestTopLevelClosureAfterManyEvaluations(t *testing.T) {
	src := []string{"a := 1", "var b = 2"}
	for i := range 50 {
		src = append(src, fmt.Sprintf("c%d := %d", i, i))
	}
	src = append(src,
		"var f func() int",
		"for i := 0; i < 3; i++ { k := i * 100; if i == 2 { f = func() int { a++; return a + b + c49 + k } } }",
		"f()",
		"f() + 0")
	runLangCases(t, nil, []langCase{{"closure", src, fmt.Sprint(3+2+49+200) + " int"}})
}

func TestReleasedTemporariesMemory(t *testing.T) {
	i := interp.New(interp.Options{})
	if err := i.Use(stdlib.Symbols); err != nil {
		t.Fatal(err)
	}
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	eval := func(src string) {
		t.Helper()
		if _, err := i.Eval(src); err != nil {
			t.Fatalf("%s: %v", src, err)
		}
	}
	eval("done := make(chan bool)")
	before := heap()
	// A MiB held by a closure's block variable, 40 times: kept, 40 MiB.
	for range 40 {
		eval("{ b := make([]byte, 1<<20); func() { b[0] = 1 }() }")
	}
	// A MiB declared again and again under one name: only the last is live.
	for range 40 {
		eval("big := make([]byte, 1<<20)")
	}
	// A goroutine per evaluation: each closure copied the global frame,
	// copies of the copies before it included, which grew as the square.
	for range 400 {
		eval("go func() { done <- true }(); <-done")
	}
	grew := int64(heap()) - int64(before)
	runtime.KeepAlive(i)
	if grew > 8<<20 {
		t.Errorf("heap grew by %d KiB over 480 evaluations, want < 8 MiB", grew>>10)
	}
}

// juggler: upstream's corpus programs the fork failed: a package-level
// const max (min, clear) shadows the builtin, and an untyped constant
// that does not satisfy a constraint is reported at the call.
func TestUpstreamCorpusRegressions(t *testing.T) {
	runLangCases(t, nil, []langCase{
		{"const max before use", []string{"var a = [max]int{}\nconst max = 32", "len(a)"}, "32 int"},
		{"var min, func clear", []string{"var min = 3\nfunc clear() int { return 4 }", "min + clear()"}, "7 int"},
		{"type switch with a guard, top level", []string{"var v any = 1", "r := 0\nswitch x := v.(type) {\ncase int:\n\tr = x + 1\n}", "r"}, "2 int"},
		{"var from an earlier cell's :=", []string{"w := 3", "var x int = w", "x"}, "3 int"},
		{"var from an earlier cell's var", []string{"var w = 4", "var x, y = w, x", "y"}, "4 int"},
		{"a block's := shadows a func", []string{"func g() int { return 1 }", "r := 0\n{\n\tg, h := 10, 20\n\tr = g + h\n}", "r + g()"}, "31 int"},
	})
	const gen9 = "package main\n\ntype Float interface {\n\t~float32 | ~float64\n}\n\nfunc add[T Float](a, b T) float64 { return float64(a) + float64(b) }\n\nfunc main() {\n\tprintln(add(1, 2))\n}\n"
	expectErrors(t, []errCase{
		{[]string{gen9}, "10:10: untyped int does not implement main.Float"},
	})
	runLangCases(t, nil, []langCase{
		{"untyped float satisfies it", []string{"type Float interface{ ~float32 | ~float64 }\nfunc add[T Float](a, b T) T { return a + b }", "add(1.5, 2)"}, "3.5 float64"},
	})
}

// juggler: log prints a cell's types as fmt does (fmtvalue.go); Go's log
// formats with fmt.Sprint, Sprintf and Sprintln.
func TestLogPrintsCellTypes(t *testing.T) {
	var stderr strings.Builder
	i := interp.New(interp.Options{Stderr: &stderr})
	if err := i.Use(stdlib.Symbols); err != nil {
		t.Fatal(err)
	}
	src := "import \"log\"\ntype point struct{ x, y int }\nfunc f() {\n\tlog.SetFlags(0)\n\tlog.Println(point{1, 2})\n\tlog.Printf(\"%+v %T\", point{3, 4}, point{})\n\tlog.Print(&point{5, 6})\n}"
	if _, err := i.Eval(src); err != nil {
		t.Fatal(err)
	}
	if _, err := i.Eval("f()"); err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintln(struct{ x, y int }{1, 2}) + "{x:3 y:4} main.point\n&{5 6}\n"; stderr.String() != want {
		t.Errorf("log printed %q, want %q", stderr.String(), want)
	}
	runLangCases(t, []string{"import (\"log\"; \"strings\")", "type point struct{ x, y int }"}, []langCase{
		{"a Logger", []string{"var b strings.Builder", "l := log.New(&b, \"L \", 0)\nl.Printf(\"%+v %T\", point{1, 2}, point{})\nl.Println(&point{3, 4})", "b.String()"}, "L {x:1 y:2} main.point\nL &{3 4}\n string"},
	})
}

// juggler: goroutines print a cell's types at once (run with -race). The
// field s is unexported, so Go prints its elements without their String.
func TestFmtConcurrent(t *testing.T) {
	src := `import ("fmt"; "sort"; "strings"; "sync")
type P struct{ n int }
func (p P) String() string { return fmt.Sprintf("P%d", p.n) }
type E struct{ p *P; s []P }
func all() string {
	var mu sync.Mutex
	var wg sync.WaitGroup
	var out []string
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			s := fmt.Sprintf("%v %+v %T", P{i}, E{nil, []P{{i}}}, E{})
			mu.Lock()
			out = append(out, s)
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	sort.Strings(out)
	return strings.Join(out, ";")
}`
	runLangCases(t, nil, []langCase{
		{"eight goroutines", []string{src, "all()"}, "P0 {p:<nil> s:[{n:0}]} main.E;P1 {p:<nil> s:[{n:1}]} main.E;P2 {p:<nil> s:[{n:2}]} main.E;P3 {p:<nil> s:[{n:3}]} main.E;P4 {p:<nil> s:[{n:4}]} main.E;P5 {p:<nil> s:[{n:5}]} main.E;P6 {p:<nil> s:[{n:6}]} main.E;P7 {p:<nil> s:[{n:7}]} main.E string"},
	})
}

// juggler: the standard library's generic source (Options.StdlibSource) and
// what compiling Go 1.26's needed from the interpreter.
func TestStdlibSource(t *testing.T) {
	const (
		growFn  = "func G[S ~[]E, E any](s S, n int) S { return append(s, make(S, n)...) }"
		cloneFn = "func C[S ~[]E, E any](s S) S { return G[S](nil, len(s)) }"
	)
	runLangCases(t, nil, []langCase{
		{"a source package imported lazily", []string{`import "cmp"`, "cmp.Or(0, 2)"}, "2 int"},
		{"a symbol table and its source together", []string{`import ("errors"; "io/fs"; "os")`, `_, err := os.Open("/nonexistent")`, "pe, ok := errors.AsType[*fs.PathError](err)", `ok && pe.Op == "open"`}, "true bool"},
		{"a type parameter's argument in a composite literal", []string{"func Cl[S ~[]E, E any](s S) S { return append(S{}, s...) }", "Cl([]int{4})"}, "[4] []int"},
		{"explicit first parameter, the rest inferred", []string{growFn, cloneFn, "len(C([]string{\"a\", \"b\"}))"}, "2 int"},
		{"variadic parameter passed on as a slice", []string{`import "slices"`, "func Largest[T int | string](xs ...T) T { return slices.Max(xs) }", "Largest(3, 9, 2)"}, "9 int"},
		{"compiled named type in a ~ constraint", []string{`import "time"`, "func Twice[T ~int64](x T) T { return 2 * x }", "Twice(time.Second)"}, "2s time.Duration"},
		{"generic type of another package", []string{`import "sync/atomic"`, "func f() int { var p atomic.Pointer[int]; v := 5; p.Store(&v); return *p.Load() }", "f()"}, "5 int"},
		{"two results of a generic call at top level", []string{`import ("iter"; "slices")`, "next, stop := iter.Pull(slices.Values([]int{1, 2}))", "a, _ := next()", "b, _ := next()", "stop()", "a + b"}, "3 int"},
		{"a compiled value asserted to an interface literal", []string{`import ("fmt"; "io")`, `w := fmt.Errorf("x: %w", io.EOF)`, "u, ok := w.(interface{ Unwrap() error })", "_, no := w.(interface{ Foo() })", "ok && !no && u.Unwrap() == io.EOF"}, "true bool"},
		{"a compiled value in a type switch on interface literals", []string{`import ("errors"; "io")`,
			`func f(err error) string { switch x := err.(type) { case interface{ Unwrap() error }: return "one " + x.Unwrap().Error(); case interface{ Unwrap() []error }: return "many" }; return "no" }`,
			`f(errors.Join(io.EOF)) + "," + f(io.EOF)`}, "many,no string"},
		{"errors.AsType from Go's source", []string{`import ("errors"; "fmt"; "io/fs"; "os")`, `_, err := os.Open("/nonexistent")`, `pe, ok := errors.AsType[*fs.PathError](fmt.Errorf("w: %w", err))`, `ok && pe.Op == "open"`}, "true bool"},
		{"a type parameter named like a selected member", []string{`import ("crypto/sha1"; "hash")`, "func Size[Hash hash.Hash](h func() Hash) int { var x hash.Hash = h(); return x.Size() }", "Size(sha1.New)"}, "20 int"},
		{"two generic functions of one name, one type argument", []string{`import ("crypto/hkdf"; "crypto/pbkdf2"; "crypto/sha256")`,
			`a, _ := hkdf.Key(sha256.New, []byte("k"), nil, "", 8)`, `b, _ := pbkdf2.Key(sha256.New, "p", []byte("s"), 1, 4)`, "len(a)*10 + len(b)"}, "84 int"},
		{"a define in a top-level for body", []string{"n := 0", "func next() (int, bool) { n++; return n, n < 3 }", "s := 0", "for { v, ok := next(); if !ok { break }; s += v }", "s"}, "3 int"},
		{"a define in a top-level if init", []string{"func f() (int, bool) { return 1, true }", "func g() (int, bool) { return 2, false }", "r := 0\nif v, ok := f(); ok { r = v }\n_, ok := g()", "r == 1 && !ok"}, "true bool"},
	})
}

// juggler: package variables are initialized after the variables the
// functions in their initializers use, in Go's order. The expected output
// is the go command's, for the same two-file package.
func TestInitOrderThroughFuncs(t *testing.T) {
	files := map[string]string{
		"a.go": "package p\n\nvar Table = build()\n\nvar Sum = total(Table)\n\nfunc build() []int { return scale(base) }\n\nfunc total(xs []int) (s int) {\n\tfor _, x := range xs {\n\t\ts += x * factor\n\t}\n\treturn s\n}\n",
		"b.go": "package p\n\nvar base = []int{1, 2, 3}\n\nvar factor = len(base) + 1\n\nfunc scale(xs []int) []int {\n\tr := make([]int, len(xs))\n\tfor i, x := range xs {\n\t\tr[i] = x * 10\n\t}\n\treturn r\n}\n",
	}
	main := "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.test/p\"\n)\n\nfunc main() { fmt.Println(p.Table, p.Sum) }\n"
	want := goRunPackage(t, files, main)

	mfs := fstest.MapFS{}
	for name, src := range files {
		mfs["src/example.test/p/"+name] = &fstest.MapFile{Data: []byte(src)}
	}
	var out strings.Builder
	i := interp.New(interp.Options{GoPath: ".", SourcecodeFilesystem: mfs, Stdout: &out})
	if err := i.Use(stdlib.Symbols); err != nil {
		t.Fatal(err)
	}
	if _, err := i.Eval(strings.Replace(main, "func main() {", "func program() {", 1)); err != nil {
		t.Fatal(err)
	}
	if _, err := i.Eval("program()"); err != nil {
		t.Fatal(err)
	}
	if out.String() != want {
		t.Errorf("interpreted: %q; go run: %q", out.String(), want)
	}
}

// goRunPackage runs main with the go command, in a module example.test
// that holds package p made of files.
func goRunPackage(t *testing.T, files map[string]string, main string) string {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	dir := t.TempDir()
	write := func(name, src string) {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.test\n\ngo 1.22\n")
	write("main.go", main)
	for name, src := range files {
		write(filepath.Join("p", name), src)
	}
	cmd := exec.Command("go", "run", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go run: %v", err)
	}
	return string(out)
}

// juggler: a func literal passed to a host function that calls it later
// keeps the variables of the iteration it was made in. (Per-iteration
// `for i :=` variables are the kernel's rewrite, not the interpreter's.) The expected output
// is the go command's, for the same program with keep defined in Go.
func TestClosureToHost(t *testing.T) {
	body := `
func program() {
	j := 0
	for j < 3 {
		k := j
		keep(func() int { return k })
		j++
	}
	for _, f := range kept() {
		fmt.Print(f(), " ")
	}
	fmt.Println()
}
`
	want := goRunPackage(t, map[string]string{"p.go": "package p\n\nvar fs []func() int\n\nfunc Keep(f func() int) { fs = append(fs, f) }\n\nfunc Kept() []func() int { return fs }\n"},
		"package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.test/p\"\n)\n\nvar keep, kept = p.Keep, p.Kept\n"+body+"\nfunc main() { program() }\n")
	var fs []func() int
	var out strings.Builder
	i := interp.New(interp.Options{Stdout: &out})
	if err := i.Use(stdlib.Symbols); err != nil {
		t.Fatal(err)
	}
	if err := i.Use(interp.Exports{"example.test/p/p": {
		"Keep": reflect.ValueOf(func(f func() int) { fs = append(fs, f) }),
		"Kept": reflect.ValueOf(func() []func() int { return fs }),
	}}); err != nil {
		t.Fatal(err)
	}
	if _, err := i.Eval("import (\n\t\"fmt\"\n\n\t\"example.test/p\"\n)\n\nvar keep, kept = p.Keep, p.Kept\n" + body); err != nil {
		t.Fatal(err)
	}
	if _, err := i.Eval("program()"); err != nil {
		t.Fatal(err)
	}
	if out.String() != want {
		t.Errorf("interpreted: %q; go run: %q", out.String(), want)
	}
}

// juggler: shapes of third-party packages (golang.org/x/text,
// sourcegraph/conc, samber/lo) the interpreter got wrong, each a program
// whose output must be go run's.
func TestThirdPartyShapes(t *testing.T) {
	programs := map[string]string{
		// x/text/unicode/norm: Iter holds a reorderBuffer by value, which
		// holds a func(*Iter) and a func(*reorderBuffer).
		"recursive through a struct held by value": `
type props struct{ pos uint8 }

type iterFunc func(*Iter) []byte

type formInfo struct {
	form     int
	nextMain iterFunc
}

type reorderBuffer struct {
	rune   [4]props
	f      formInfo
	out    []byte
	flushF func(*reorderBuffer) bool
}

type Iter struct {
	rb   reorderBuffer
	info props
	next iterFunc
}

type normWriter struct {
	rb  reorderBuffer
	buf []byte
}

func main() {
	var w normWriter
	w.buf = []byte("w")
	w.rb.out = []byte("out")
	var it Iter
	it.next = func(i *Iter) []byte { return append(i.rb.out, '!') }
	it.rb.out = []byte("it")
	it.rb.flushF = func(r *reorderBuffer) bool { return len(r.out) == 2 }
	it.rb.f.nextMain = it.next
	it.rb.rune[1].pos = 7
	fmt.Println(string(w.buf), string(w.rb.out), string(it.next(&it)), it.rb.flushF(&it.rb))
	fmt.Println(string(it.rb.f.nextMain(&it)), it.rb.rune, it.info)
}
`,
		// sourcegraph/conc/iter: a generic type defined from another, whose
		// methods call the other's; ForEach calls ForEachIdx, declared
		// after it.
		"generic type defined from a generic type": `
type Iterator[T any] struct{ MaxGoroutines int }

func (iter Iterator[T]) ForEach(input []T, f func(*T)) {
	iter.ForEachIdx(input, func(_ int, t *T) { f(t) })
}

func (iter Iterator[T]) ForEachIdx(input []T, f func(int, *T)) {
	for i := range input {
		f(i, &input[i])
	}
}

type Mapper[T, R any] Iterator[T]

func Map[T, R any](input []T, f func(*T) R) []R {
	return Mapper[T, R]{}.Map(input, f)
}

func (m Mapper[T, R]) Map(input []T, f func(*T) R) []R {
	res := make([]R, len(input))
	Iterator[T](m).ForEachIdx(input, func(i int, t *T) { res[i] = f(t) })
	return res
}

type Ints Iterator[int]

func main() {
	fmt.Println(Map([]int{1, 2, 3}, func(x *int) int { return *x * 2 }))
	fmt.Println(Mapper[int, string]{MaxGoroutines: 2}.Map([]int{4}, func(x *int) string { return fmt.Sprint(*x, "!") }))
	sum := 0
	Iterator[int]{}.ForEach([]int{1, 2, 3}, func(x *int) { sum += *x })
	fmt.Println(sum, Ints{MaxGoroutines: 3}.MaxGoroutines)
}
`,
		// x/text/cases: lower = (*context).copy.
		"method expressions as values": `
type context struct{ n int }

func (c *context) copy() bool { c.n++; return c.n > 1 }

func (c context) get(k int) int { return c.n * k }

type mapFunc func(*context) bool

func main() {
	var lower mapFunc = func(*context) bool { return false }
	lower = (*context).copy
	c := &context{n: 1}
	fmt.Println(lower(c), c.n)
	f, g := (*context).copy, context.get
	fmt.Printf("%T %T\n", f, g)
	fmt.Println(f(c), c.n, g(*c, 10), (*context).get(c, 2))
}
`,
		// samber/lo's Sum: a union of constraint interfaces.
		"union of constraints in a type parameter list": `
type Float interface{ ~float32 | ~float64 }

type Integer interface{ ~int | ~int64 | ~uint8 }

type celsius float64

func Sum[T Float | Integer](xs []T) T {
	var s T
	for _, x := range xs {
		s += x
	}
	return s
}

func main() {
	fmt.Println(Sum([]int{1, 2, 3}), Sum([]float64{0.5, 0.25}), Sum([]celsius{1.5, 2}), Sum([]uint8{200, 50}))
}
`,
		// conc/panics: a struct declared before its field's type argument.
		"instance of a type declared later": `
type Box[T any] struct{ v *T }

func (b *Box[T]) Store(v *T) { b.v = v }

func (b *Box[T]) Load() *T { return b.v }

type Catcher struct{ recovered Box[Recovered] }

type Recovered struct{ Value any }

func main() {
	var c Catcher
	c.recovered.Store(&Recovered{Value: "boom"})
	fmt.Println(c.recovered.Load().Value)
}
`,
	}
	for name, body := range programs {
		t.Run(name, func(t *testing.T) {
			src := "package main\n\nimport \"fmt\"\n" + body
			want := strings.Join(goRun(t, src), "\n") + "\n"
			var out strings.Builder
			i := interp.New(interp.Options{StdlibSource: stdlib.Source, Stdout: &out})
			if err := i.Use(stdlib.Symbols); err != nil {
				t.Fatal(err)
			}
			if _, err := i.Eval(src); err != nil {
				t.Fatalf("%v; output %q", err, out.String())
			}
			if out.String() != want {
				t.Errorf("interpreted:\n%s\ngo run:\n%s", out.String(), want)
			}
		})
	}
}
