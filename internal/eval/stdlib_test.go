package eval

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/juggler-kernel/juggler/internal/gorun"
	"github.com/juggler-kernel/juggler/internal/stdlib/stdlist"
)

// Every package of `go list std` that is not internal can be imported by a
// cell, but the written exclusions (stdlist.Excluded, each with its reason).
func TestEveryStdPackageImports(t *testing.T) {
	out, err := exec.Command("go", "list", "std").Output()
	if err != nil {
		t.Fatal(err)
	}
	s, _, _, _ := newSession(t)
	n := 0
	for _, p := range strings.Fields(string(out)) {
		if stdlist.Internal(p) || (stdlist.Excluded[p] != "" && !stdlist.Provided[p]) {
			continue
		}
		n++
		// An alias of its own, as two packages may share a name.
		alias := fmt.Sprintf("p%d", n)
		if _, err := run(t, s, fmt.Sprintf("import %s %q", alias, p)); err != nil {
			t.Errorf("import %q: %v", p, err)
		}
	}
	if n < 150 {
		t.Errorf("only %d packages tried", n)
	}
}

// stdProgram is the body of a main function and the declarations and
// imports it needs. A session runs it as cells (imports, declarations, body);
// `go run` runs it as a file; both must print the same.
type stdProgram struct {
	name    string
	imports string
	decls   string
	body    string
}

var stdPrograms = []stdProgram{
	{"slices.Collect(maps.Keys)", `"fmt"; "maps"; "slices"`, ``, `
m := map[string]int{"b": 2, "a": 1, "c": 3}
keys := slices.Collect(maps.Keys(m))
slices.Sort(keys)
fmt.Println(keys, len(keys))
vals := slices.Sorted(maps.Values(m))
fmt.Println(vals)`},
	{"slices.Sorted and SortedFunc", `"fmt"; "maps"; "slices"; "strings"`, ``, `
m := map[string]int{"pear": 3, "fig": 1, "apple": 2}
fmt.Println(slices.Sorted(maps.Keys(m)))
fmt.Println(slices.SortedFunc(maps.Keys(m), func(a, b string) int { return len(a) - len(b) }))
fmt.Println(slices.Collect(slices.Values([]string{"x", "y"})))
for i, s := range slices.All([]string{"p", "q"}) { fmt.Println(i, strings.ToUpper(s)) }
for i, s := range slices.Backward([]int{1, 2, 3}) { fmt.Print(i, s, " ") }
fmt.Println()
fmt.Println(slices.Collect(maps.Keys(map[int]bool{7: true})))
for c := range slices.Chunk([]int{1, 2, 3, 4, 5}, 2) { fmt.Print(c) }
fmt.Println()`},
	{"strings.SplitSeq, FieldsSeq, Lines", `"fmt"; "slices"; "strings"`, ``, `
for part := range strings.SplitSeq("a,b,c", ",") { fmt.Print(part, ";") }
fmt.Println()
fmt.Println(slices.Collect(strings.FieldsSeq("  x  y z ")))
for line := range strings.Lines("one\ntwo\nthree") { fmt.Printf("%q ", line) }
fmt.Println()`},
	{"iter.Pull and a Seq of one's own", `"fmt"; "iter"`, `
func count(n int) iter.Seq[int] {
	return func(yield func(int) bool) {
		for i := range n {
			if !yield(i * i) {
				return
			}
		}
	}
}`, `
next, stop := iter.Pull(count(4))
for {
	v, ok := next()
	if !ok { break }
	fmt.Print(v, " ")
}
stop()
fmt.Println()
next2, stop2 := iter.Pull(count(10))
a, _ := next2()
b, _ := next2()
stop2()
c, ok := next2()
fmt.Println(a, b, c, ok)
for v := range count(3) { fmt.Print(v) }
fmt.Println()`},
	{"unique.Make", `"fmt"; "unique"`, ``, `
h1 := unique.Make("gopher")
h2 := unique.Make("go" + "pher")
h3 := unique.Make("other")
fmt.Println(h1 == h2, h1 == h3, h1.Value(), h3.Value())
type pt struct{ X, Y int }
fmt.Println(unique.Make(pt{1, 2}) == unique.Make(pt{1, 2}))`},
	{"errors.AsType", `"errors"; "fmt"; "io/fs"; "os"`, ``, `
_, err := os.Open("/no/such/file")
wrapped := fmt.Errorf("load: %w", err)
if pe, ok := errors.AsType[*fs.PathError](wrapped); ok {
	fmt.Println("path error:", pe.Op, pe.Path)
}
_, ok := errors.AsType[*os.LinkError](wrapped)
fmt.Println(ok, errors.Is(wrapped, fs.ErrNotExist))`},
	{"sync.OnceValue and OnceValues", `"fmt"; "sync"`, ``, `
calls := 0
get := sync.OnceValue(func() int { calls++; return 42 })
fmt.Println(get(), get(), calls)
pair := sync.OnceValues(func() (string, error) { return "v", nil })
v, err := pair()
fmt.Println(v, err)`},
	{"atomic.Pointer and atomic types", `"fmt"; "sync"; "sync/atomic"`, ``, `
type config struct{ name string }
var p atomic.Pointer[config]
fmt.Println(p.Load() == nil)
p.Store(&config{"a"})
old := p.Swap(&config{"b"})
fmt.Println(old.name, p.Load().name)
cur := p.Load()
fmt.Println(p.CompareAndSwap(cur, &config{"c"}), p.CompareAndSwap(cur, nil), p.Load().name)
var n atomic.Int64
var wg sync.WaitGroup
for range 10 {
	wg.Add(1)
	go func() { defer wg.Done(); n.Add(2) }()
}
wg.Wait()
fmt.Println(n.Load())`},
	{"cmp", `"cmp"; "fmt"; "slices"`, `
func largest[T cmp.Ordered](xs ...T) T { return slices.Max(xs) }`, `
fmt.Println(cmp.Or(0, 0, 3, 4), cmp.Or("", "x"), cmp.Compare(1, 2), cmp.Less(2.5, 1.0))
fmt.Println(largest(3, 9, 2), largest("a", "c", "b"))
type person struct{ name string; age int }
ps := []person{{"b", 30}, {"a", 30}, {"c", 20}}
slices.SortFunc(ps, func(x, y person) int { return cmp.Or(cmp.Compare(x.age, y.age), cmp.Compare(x.name, y.name)) })
fmt.Println(ps[0].name, ps[1].name, ps[2].name)`},
	{"slices editing", `"fmt"; "slices"`, ``, `
s := []int{1, 2, 3, 4, 5}
s = slices.Insert(s, 2, 10, 11)
fmt.Println(s)
s = slices.Delete(s, 0, 2)
fmt.Println(s)
s = slices.Replace(s, 1, 3, 7)
fmt.Println(s, slices.Index(s, 7), slices.Contains(s, 99))
fmt.Println(slices.Compact([]int{1, 1, 2, 2, 2, 3}), slices.Repeat([]int{0, 1}, 2), slices.Concat([]int{1}, []int{2, 3}))
i, found := slices.BinarySearch([]int{1, 3, 5}, 4)
fmt.Println(i, found, slices.Equal([]int{1}, []int{1}))`},
	{"maps", `"fmt"; "maps"; "slices"`, ``, `
m := map[string]int{"a": 1}
c := maps.Clone(m)
c["b"] = 2
maps.Copy(m, map[string]int{"z": 26})
fmt.Println(len(m), len(c), maps.Equal(m, c))
all := maps.Collect(maps.All(c))
fmt.Println(all)
maps.DeleteFunc(all, func(k string, v int) bool { return v > 1 })
fmt.Println(all)
ins := map[int]string{}
maps.Insert(ins, slices.All([]string{"x", "y"}))
fmt.Println(ins)`},
	{"syscall and os/signal", `"fmt"; "os"; "os/signal"; "syscall"`, ``, `
fmt.Println(syscall.SIGINT, int(syscall.SIGTERM), syscall.Getpid() == os.Getpid())
ch := make(chan os.Signal, 1)
signal.Notify(ch, os.Interrupt, syscall.SIGUSR1)
signal.Stop(ch)
fmt.Println(len(ch), syscall.ENOENT.Error())`},
	{"a generic list with an iterator method", `"fmt"; "iter"; "slices"`, `
type List[T any] struct {
	head, tail *element[T]
}

type element[T any] struct {
	next *element[T]
	val  T
}

func (lst *List[T]) Push(v T) {
	if lst.tail == nil {
		lst.head = &element[T]{val: v}
		lst.tail = lst.head
	} else {
		lst.tail.next = &element[T]{val: v}
		lst.tail = lst.tail.next
	}
}

func (lst *List[T]) All() iter.Seq[T] {
	return func(yield func(T) bool) {
		for e := lst.head; e != nil; e = e.next {
			if !yield(e.val) {
				return
			}
		}
	}
}

func genFib() iter.Seq[int] {
	return func(yield func(int) bool) {
		a, b := 1, 1
		for {
			if !yield(a) {
				return
			}
			a, b = b, a+b
		}
	}
}`, `
lst := List[int]{}
lst.Push(10)
lst.Push(13)
lst.Push(23)
for e := range lst.All() {
	fmt.Println(e)
}
all := slices.Collect(lst.All())
fmt.Println("all:", all)
for n := range genFib() {
	if n >= 10 {
		break
	}
	fmt.Println(n)
}`},
	{"sorting by functions", `"cmp"; "fmt"; "slices"`, ``, `
fruits := []string{"peach", "banana", "kiwi"}
lenCmp := func(a, b string) int {
	return cmp.Compare(len(a), len(b))
}
slices.SortFunc(fruits, lenCmp)
fmt.Println(fruits)
type Person struct {
	name string
	age  int
}
people := []Person{
	Person{name: "Jax", age: 37},
	Person{name: "TJ", age: 25},
	Person{name: "Alex", age: 72},
}
slices.SortFunc(people,
	func(a, b Person) int {
		return cmp.Compare(a.age, b.age)
	})
fmt.Println(people[0].name, people[1].name, people[2].name)
strs := []string{"c", "a", "b"}
slices.Sort(strs)
fmt.Println("Strings:", strs, slices.IsSorted(strs))`},
	{"sorting larger slices (pdqsort's paths)", `"fmt"; "math"; "slices"; "strings"`, ``, `
x := uint32(7)
next := func() int { x = x*1664525 + 1013904223; return int(x >> 16) }
var xs []int
for range 3000 {
	xs = append(xs, next()%500)
}
ys := slices.Clone(xs)
slices.Sort(xs)
fmt.Println(slices.IsSorted(xs), xs[0], xs[1499], xs[2999])
slices.SortFunc(ys, func(a, b int) int { return b - a })
fmt.Println(ys[0], ys[2999])
type kv struct{ k, v int }
var kvs []kv
for i := range 500 {
	kvs = append(kvs, kv{next() % 7, i})
}
slices.SortStableFunc(kvs, func(a, b kv) int { return a.k - b.k })
fmt.Println(kvs[0], kvs[1], kvs[499], slices.IsSortedFunc(kvs, func(a, b kv) int { return a.k - b.k }))
desc := make([]int, 200)
for i := range desc {
	desc[i] = 200 - i
}
slices.Sort(desc)
fmt.Println(desc[:5])
fs := []float64{3, math.NaN(), 1, math.Inf(-1), 2}
slices.Sort(fs)
fmt.Println(fs)
words := strings.Fields("the quick brown fox jumps over the lazy dog")
slices.Sort(words)
fmt.Println(slices.Compact(words), slices.Min(xs), slices.Max(xs))
i, ok := slices.BinarySearch(xs, 250)
fmt.Println(i > 0, ok)`},
	{"crypto/hkdf and crypto/pbkdf2", `"crypto/hkdf"; "crypto/pbkdf2"; "crypto/sha1"; "crypto/sha256"; "encoding/hex"; "fmt"`, ``, `
key, err := hkdf.Key(sha256.New, []byte("input key material"), []byte("salt"), "context", 42)
fmt.Println(hex.EncodeToString(key), err)
prk, _ := hkdf.Extract(sha256.New, []byte("secret"), nil)
okm, _ := hkdf.Expand(sha256.New, prk, "info", 80)
fmt.Println(hex.EncodeToString(prk), hex.EncodeToString(okm))
_, err = hkdf.Expand(sha256.New, prk, "", 255*32+1)
fmt.Println(err)
dk, err := pbkdf2.Key(sha1.New, "password", []byte("salt"), 4096, 20)
fmt.Println(hex.EncodeToString(dk), err)
dk, _ = pbkdf2.Key(sha256.New, "pass", []byte("NaCl"), 3, 70)
fmt.Println(hex.EncodeToString(dk))
_, err = pbkdf2.Key(sha256.New, "p", nil, 1, 0)
fmt.Println(err)`},
	{"math/rand/v2.N and reflect.TypeFor", `"fmt"; "math/rand/v2"; "reflect"; "time"`, ``, `
n := rand.N(10)
d := rand.N(5 * time.Second)
fmt.Println(n >= 0 && n < 10, d >= 0 && d < 5*time.Second)
fmt.Println(reflect.TypeFor[int](), reflect.TypeFor[error]())`},
}

// The programs print what `go run` prints.
func TestStdProgramsAsGo(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go toolchain")
	}
	var src strings.Builder
	src.WriteString("package main\n\nimport (\n")
	seen := map[string]bool{}
	for _, p := range stdPrograms {
		for _, imp := range strings.Split(p.imports, ";") {
			if imp = strings.TrimSpace(imp); !seen[imp] {
				seen[imp] = true
				fmt.Fprintf(&src, "\t%s\n", imp)
			}
		}
	}
	src.WriteString(")\n\n")
	for i, p := range stdPrograms {
		// Each program's declarations and body in a function of its own,
		// its declarations renamed apart by the file's func scope.
		fmt.Fprintf(&src, "%s\n\nfunc program%d() {%s\n}\n\n", p.decls, i, p.body)
	}
	src.WriteString("func main() {\n")
	for i := range stdPrograms {
		fmt.Fprintf(&src, "\tfmt.Println(\"=== %d\")\n\tprogram%d()\n", i, i)
	}
	src.WriteString("}\n")
	out, code := gorun.Run(t, src.String())
	if code != 0 {
		t.Fatalf("go run: exit status %d\n%s\n%s", code, out, src.String())
	}
	want := strings.Split(string(out), "=== ")[1:]
	if len(want) != len(stdPrograms) {
		t.Fatalf("go run printed %d sections, want %d:\n%s", len(want), len(stdPrograms), out)
	}
	for i, p := range stdPrograms {
		t.Run(p.name, func(t *testing.T) {
			s, stdout, stderr, _ := newSession(t)
			cells := []string{"import (" + p.imports + ")"}
			if p.decls != "" {
				cells = append(cells, p.decls)
			}
			cells = append(cells, strings.TrimSpace(p.body))
			for _, c := range cells {
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
				_, err := s.Run(ctx, Cell{ID: 1, Count: 1, Code: c})
				cancel()
				if err != nil {
					t.Fatalf("cell %q: %v", c, err)
				}
			}
			w := strings.TrimPrefix(want[i], fmt.Sprintf("%d\n", i))
			if got := stdout.String(); got != w {
				t.Errorf("cells print\n%s\ngo run prints\n%s\nstderr: %s", got, w, stderr.String())
			}
		})
	}
}
