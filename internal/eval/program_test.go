package eval

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/juggler-kernel/juggler/internal/gorun"
)

// mainTwice is src with main run twice, as a cell that pastes src and a
// later cell that calls main() run it.
func mainTwice(src string) string {
	return strings.Replace(src, "func main() {", "func main() { main1(); main1() }\n\nfunc main1() {", 1)
}

// withoutPackage is a program without its package clause: a paste of the
// file's declarations only.
func withoutPackage(src string) string {
	return strings.Replace(src, "package main\n", "\n", 1)
}

// Programs as they are pasted: a whole file, with package main, imports,
// types, funcs, init and main.
var programs = map[string]string{
	"hello": `package main

import "fmt"

type point struct{ x, y int }

func (p point) sum() int { return p.x + p.y }

func main() {
	p := point{1, 2}
	fmt.Println("sum", p.sum())
}
`,
	"init order": `package main

import "fmt"

var a = initA()

func initA() int { fmt.Println("var a"); return 1 }

func init() { fmt.Println("init 1, a =", a) }

func init() { fmt.Println("init 2") }

func main() { fmt.Println("main") }
`,
	"defer in main": `package main

import "fmt"

func main() {
	defer fmt.Println("deferred 1")
	defer func() { fmt.Println("deferred 2") }()
	for i := 0; i < 3; i++ {
		defer fmt.Print(i, " ")
	}
	fmt.Println("body")
}
`,
	"os.Exit in main": `package main

import (
	"fmt"
	"os"
)

func main() {
	defer fmt.Println("deferred: Go does not run this")
	fmt.Println("before exit")
	os.Exit(3)
}
`,
	"os.Exit(0) in main": `package main

import (
	"fmt"
	"os"
)

func main() {
	defer fmt.Println("deferred: Go does not run this")
	fmt.Println("before exit")
	if len(os.Args) == 1 {
		os.Exit(0)
	}
	fmt.Println("not reached")
}
`,
	"log.Fatal": `package main

import (
	"errors"
	"fmt"
	"log"
	"os"
)

func main() {
	defer fmt.Println("deferred: Go does not run this")
	log.SetFlags(0)
	log.SetOutput(os.Stdout)
	log.Fatal(errors.New("bad"))
}
`,
	"os.Exit in a goroutine": `package main

import (
	"fmt"
	"os"
	"time"
)

func main() {
	defer fmt.Println("deferred: Go does not run this")
	go func() {
		fmt.Println("exiting")
		os.Exit(4)
	}()
	time.Sleep(3 * time.Second)
	fmt.Println("not reached")
}
`,
	"loop variable redeclared in the body": `package main

import (
	"fmt"
	"sync"
)

func main() {
	for i := 0; i < 3; i++ {
		fmt.Print(i, " ")
		i := i * 10
		fmt.Print(i, " ")
	}
	for _, s := range []string{"a", "b"} {
		s := s + s
		fmt.Print(s, " ")
	}
	fmt.Println()
	var wg sync.WaitGroup
	var mu sync.Mutex
	sum := 0
	for i := 0; i < 4; i++ {
		i := i + 1
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			sum += i
			mu.Unlock()
		}()
	}
	wg.Wait()
	fmt.Println(sum)
}
`,
	"generic sorts of the standard library": `package main

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
)

type pair struct {
	k string
	v int
}

func main() {
	ages := map[string]int{"alice": 31, "bob": 25, "carol": 40}
	fmt.Println(slices.Sorted(maps.Keys(ages)))
	ps := []pair{{"x", 3}, {"y", 1}, {"z", 2}}
	slices.SortFunc(ps, func(a, b pair) int { return cmp.Compare(a.v, b.v) })
	fmt.Println(ps, slices.Max([]float64{1, 5, 2}))
}
`,
	"goroutines": `package main

import (
	"fmt"
	"sync"
)

func worker(id int, jobs <-chan int, results chan<- int, wg *sync.WaitGroup) {
	defer wg.Done()
	for j := range jobs {
		results <- j * 2
	}
	_ = id
}

func main() {
	jobs := make(chan int, 10)
	results := make(chan int, 10)
	var wg sync.WaitGroup
	for w := 1; w <= 3; w++ {
		wg.Add(1)
		go worker(w, jobs, results, &wg)
	}
	for j := 1; j <= 5; j++ {
		jobs <- j
	}
	close(jobs)
	wg.Wait()
	close(results)
	sum := 0
	for r := range results {
		sum += r
	}
	fmt.Println("sum", sum)
}
`,
	"timers": `package main

import (
	"fmt"
	"time"
)

func main() {
	timer := time.NewTimer(100 * time.Millisecond)
	<-timer.C
	fmt.Println("timer fired")
	ticker := time.NewTicker(50 * time.Millisecond)
	n := 0
	for range ticker.C {
		n++
		if n == 3 {
			ticker.Stop()
			break
		}
	}
	fmt.Println("ticks", n)
	select {
	case <-time.After(100 * time.Millisecond):
		fmt.Println("timeout")
	}
}
`,
	"process": `package main

import (
	"fmt"
	"os"
	"strings"
)

func main() {
	fmt.Println(len(os.Args), os.Args[1:])
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "YAEGI") {
			fmt.Println("not ours:", kv)
		}
	}
	fmt.Println(os.Getenv("YAEGI_SPECIAL_STDIO") == "")
}
`,
	// Go 1.22's per-iteration loop variables, also when the body assigns
	// the variable or takes its address.
	"loop variables": `package main

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

func main() {
	var ps []*int
	for i := 0; i < 3; i++ {
		ps = append(ps, &i)
	}
	for _, p := range ps {
		fmt.Print(*p, " ")
	}
	fmt.Println()

	// The body moves the variable on; closures see their iteration's.
	var fs []func() int
	for i := 0; i < 10; i++ {
		if i%3 == 0 {
			i++
			fs = append(fs, func() int { return i })
			continue
		}
		fs = append(fs, func() int { return i * 100 })
	}
	for _, f := range fs {
		fmt.Print(f(), " ")
	}
	fmt.Println()

	// No post statement: the body advances the variable.
	s := "a,b,,c"
	var parts []func() string
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], ',')
		if j < 0 {
			j = len(s) - i
		}
		start := i
		i += j + 1
		parts = append(parts, func() string { return fmt.Sprint(start, ":", s[start:i-1], ":", i) })
	}
	for _, p := range parts {
		fmt.Print(p(), " ")
	}
	fmt.Println()

	// A labeled continue from an inner loop, and a pointer write.
	var got []int
outer:
	for i := 0; i < 6; i++ {
		for k := 0; k < 3; k++ {
			if k == 1 && i%2 == 0 {
				p := &i
				*p += 2
				continue outer
			}
		}
		got = append(got, i)
	}
	fmt.Println(got)

	// A range loop whose body assigns its variables.
	var rs []func() string
	for k, v := range []string{"x", "y"} {
		v += "!"
		k *= 10
		rs = append(rs, func() string { return fmt.Sprint(k, v) })
	}
	fmt.Println(rs[0](), rs[1]())

	// The name declared again inside: still runs as Go does here.
	total := 0
	for i := 0; i < 3; i++ {
		if i == 1 {
			i := 10
			total += i
		}
		i += 0
		total += i
	}
	fmt.Println(total)

	// Goroutines a host method starts, one per iteration.
	var wg sync.WaitGroup
	var mu sync.Mutex
	var ids []int
	for i := 1; i <= 4; i++ {
		wg.Go(func() { mu.Lock(); ids = append(ids, i); mu.Unlock() })
	}
	wg.Wait()
	sort.Ints(ids)
	fmt.Println(ids)
}
`,
}

// TestPastedPrograms pastes each program into a cell, whole and without its
// package clause, and compares what the cell prints with go run; later
// cells must not run main again, and main() by hand runs it once.
func TestPastedPrograms(t *testing.T) {
	for name, prog := range programs {
		t.Run(name, func(t *testing.T) {
			want, code := gorun.Run(t, prog)
			twice, _ := gorun.Run(t, mainTwice(prog))
			if strings.Contains(prog, "os.Exit") || strings.Contains(prog, "log.Fatal") {
				// The first main1 ends the program; main() by hand is a
				// second run of its own. (These programs have no init.)
				twice = want + want
			}
			for _, paste := range []string{prog, withoutPackage(prog), strings.ReplaceAll(prog, "\n", "\r\n")} {
				s, out, _, _ := newSession(t)
				start := time.Now()
				_, err := s.Run(context.Background(), Cell{ID: 1, Count: 1, Code: paste})
				took := time.Since(start)
				checkExit(t, err, code)
				if got := out.String(); got != want {
					t.Fatalf("pasted program printed %q, go run %q", got, want)
				}
				if took > 5*time.Second {
					t.Errorf("the cell took %v", took)
				}
				if _, err := run(t, s, "x := 1", "func f() {}", "x"); err != nil {
					t.Fatal(err)
				}
				if got := out.String(); got != want {
					t.Fatalf("later cells ran main again: output %q, want %q", got, want)
				}
				_, err = s.Run(context.Background(), Cell{ID: 5, Count: 5, Code: "main()"})
				checkExit(t, err, code)
				if got := out.String(); got != twice {
					t.Errorf("main() by hand: output %q, want %q", got, twice)
				}
				waitGoroutines(t, s)
			}
		})
	}
}

// checkExit checks a cell's error against the exit code go run gave.
func checkExit(t *testing.T, err error, code int) {
	t.Helper()
	var e *Error
	switch {
	case code == 0 && err != nil:
		t.Fatalf("cell failed: %v; go run exited 0", err)
	case code != 0 && (!errors.As(err, &e) || e.Name != "Exit" || !strings.Contains(e.Value, fmt.Sprintf("os.Exit(%d)", code))):
		t.Fatalf("cell error %v; go run exited %d", err, code)
	}
}

// TestRerunEditedMain: running a cell again with a new main runs the new
// one, once.
func TestRerunEditedMain(t *testing.T) {
	v1 := "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"v1\") }\n"
	v2 := strings.Replace(v1, "v1", "v2", 1)
	want1, _ := gorun.Run(t, v1)
	want2, _ := gorun.Run(t, v2)
	s, out, _, _ := newSession(t)
	if _, err := run(t, s, v1, v2, "1"); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != want1+want2 {
		t.Errorf("output %q, want %q", got, want1+want2)
	}
}

// TestInitOnce: a cell's init functions run once, when the cell runs; not
// again when a later cell rebuilds the session, and they cannot be called.
func TestInitOnce(t *testing.T) {
	s, out, _, _ := newSession(t)
	if _, err := run(t, s, "type T struct{ a int }\nfunc init() { fmt.Println(\"init\") }", "type T struct{ a, b int }", "T{}"); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != "init\n" {
		t.Errorf("output %q, want init once", got)
	}
	_, err := run(t, s, "init()")
	if err == nil || !strings.Contains(err.Error(), "undefined: init") {
		t.Errorf("init() = %v, want Go's undefined: init", err)
	}
}

func TestPackageClause(t *testing.T) {
	s, _, _, _ := newSession(t)
	_, err := run(t, s, "package geometry\n\nfunc Area() int { return 1 }")
	if err == nil || !strings.Contains(err.Error(), "package geometry") || !strings.Contains(err.Error(), "package main") {
		t.Errorf("err = %v, want one naming package geometry", err)
	}
	if got, err := run(t, s, "package main\n\nfunc two() int { return 2 }", "two()"); err != nil || got != "2" {
		t.Errorf("package main: %q, %v", got, err)
	}
}

// TestProcessDetails: a cell sees the command line of a program run with
// no arguments, no variable of the kernel's in its environment, and still
// reads the kernel's stdin through os.Stdin.
func TestProcessDetails(t *testing.T) {
	runValueCases(t, []valueCase{
		{"os.Args", []string{"len(os.Args)"}, "1"},
		{"no YAEGI_ variable", []string{"n := 0\nfor _, kv := range os.Environ() {\n\tif strings.HasPrefix(kv, \"YAEGI_\") {\n\t\tn++\n\t}\n}\nn"}, "0"},
		{"os.Stdin is the kernel's", []string{"line, _ := bufio.NewReader(os.Stdin).ReadString('\\n')\nline"}, `"hello\n"`},
	})
	if v, ok := os.LookupEnv("YAEGI_SPECIAL_STDIO"); ok {
		t.Errorf("the worker's environment has YAEGI_SPECIAL_STDIO=%s", v)
	}
}

// TestFailedMainKeepsDefinitions: a cell whose main exits or panics still
// defined its types and funcs, and a later redefinition of one of them
// reaches the others.
func TestFailedMainKeepsDefinitions(t *testing.T) {
	s, _, _, _ := newSession(t)
	prog := "package main\n\nimport \"os\"\n\ntype T struct{ a int }\n\nfunc get(t T) int { return t.a }\n\nfunc main() { os.Exit(3) }\n"
	if _, err := run(t, s, prog); err == nil {
		t.Fatal("os.Exit(3) ended the cell without an error")
	}
	got, err := run(t, s, "type T struct{ a, b int }", "get(T{a: 5, b: 1}) + T{b: 2}.b")
	if err != nil || got != "7" {
		t.Errorf("got %q, %v; want 7", got, err)
	}
}

// TestProgramEndsItsGoroutines: as in Go, the goroutines a program's main
// and init functions started end when main returns, panics or exits:
// nothing they would print reaches later cells, and none is left running.
func TestProgramEndsItsGoroutines(t *testing.T) {
	for _, end := range []string{"", "panic(\"end\")", "os.Exit(1)"} {
		t.Run("main ending with "+end, func(t *testing.T) {
			prog := "package main\n\nimport (\n\t\"fmt\"\n\t\"os\"\n\t\"time\"\n)\n\nvar _ = os.Exit\n\n" +
				"func init() {\n\tgo func() {\n\t\tfor {\n\t\t\tfmt.Print(\"i\")\n\t\t\ttime.Sleep(time.Millisecond)\n\t\t}\n\t}()\n}\n\n" +
				"func main() {\n\tstarted := make(chan bool)\n\tgo func() {\n\t\tclose(started)\n\t\tfor {\n\t\t\tfmt.Print(\".\")\n\t\t\ttime.Sleep(time.Millisecond)\n\t\t}\n\t}()\n" +
				"\tgo func() { select {} }()\n\tgo time.Sleep(time.Hour)\n\t<-started\n\t" + end + "\n}\n"
			s, out, _, _ := newSession(t)
			_, err := s.Run(context.Background(), Cell{ID: 1, Count: 1, Code: prog})
			if (err != nil) != (end != "") {
				t.Fatalf("err = %v", err)
			}
			deadline := time.Now().Add(5 * time.Second)
			for len(s.Live()) > 0 && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			if live := s.Live(); len(live) > 0 {
				t.Fatalf("goroutines still running after main ended: %+v", live)
			}
			ended := out.String()
			time.Sleep(50 * time.Millisecond)
			if got := out.String(); got != ended {
				t.Errorf("output went on after main ended: %q, then %q", ended, got)
			}
		})
	}
}
