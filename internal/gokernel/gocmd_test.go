package gokernel

import (
	"context"
	"strings"
	"testing"

	"github.com/juggler-kernel/juggler/internal/modules/modulestest"
	"github.com/juggler-kernel/juggler/kernel"
)

// pinned is a program run against an old x/sync, one the kernel binary
// does not link (it links a newer one).
const pinned = `package main

import (
	"fmt"

	"golang.org/x/sync/errgroup"
)

func main() {
	var g errgroup.Group
	g.SetLimit(1)
	fmt.Println(g.TryGo(func() error { select {} }), g.TryGo(func() error { return nil }))
}
`

// %go get pins a version that later imports use, %go list -m shows it, and
// both last through a worker crash.
func TestGoGetPins(t *testing.T) {
	modulestest.NeedProxy(t)
	want := modulestest.GoRun(t, pinned, "golang.org/x/sync@v0.10.0")
	h := newHandler(t)
	ctx := context.Background()
	exec := func(code string) (kernel.ExecuteReply, *recorder) {
		t.Helper()
		out := &recorder{}
		return h.Execute(ctx, kernel.ExecuteRequest{Code: code}, out), out
	}
	if r, out := exec("%go get golang.org/x/sync@v0.10.0"); r.Status != "ok" {
		t.Fatalf("%%go get: %+v %q", r, out.stream("stderr"))
	}
	if r, out := exec("%go list -m"); r.Status != "ok" || !strings.Contains(out.stream("stdout"), "golang.org/x/sync v0.10.0") {
		t.Fatalf("%%go list -m: %+v %q", r, out.stream("stdout"))
	}
	cells := modulestest.AsCells(pinned)
	if r, out := exec(cells[0]); r.Status != "ok" || !strings.Contains(out.stream("stderr"), "module golang.org/x/sync v0.10.0") {
		t.Fatalf("import: %+v, stderr %q", r, out.stream("stderr"))
	}
	if r, out := exec(cells[1]); r.Status != "ok" || out.stream("stdout") != want {
		t.Fatalf("run: %+v, stdout %q, want %q (go run)", r, out.stream("stdout"), want)
	}

	crash := "m := map[int]int{}\nfor i := 0; i < 4; i++ {\n\tgo func() {\n\t\tfor {\n\t\t\tm[1] = i\n\t\t}\n\t}()\n}\nselect {}"
	if r, _ := exec(crash); r.Ename != "WorkerDied" {
		t.Fatalf("crash: %+v", r)
	}
	if r, out := exec("%go list -m golang.org/x/sync"); r.Status != "ok" || out.stream("stdout") != "golang.org/x/sync v0.10.0\n" {
		t.Fatalf("%%go list -m after the crash: %+v %q", r, out.stream("stdout"))
	}
	if r, out := exec(cells[1]); r.Status != "ok" || out.stream("stdout") != want {
		t.Fatalf("replayed session: %+v, stdout %q, want %q", r, out.stream("stdout"), want)
	}
	if r, _ := exec("%go build"); r.Status != "error" || !strings.Contains(r.Evalue, "usage") {
		t.Fatalf("%%go build: %+v", r)
	}
}

// A %%native cell is replayed like any other after a worker crash: its
// names work in the new worker.
func TestNativeSurvivesCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a Go plugin")
	}
	h := newHandler(t)
	ctx := context.Background()
	exec := func(code string) (kernel.ExecuteReply, *recorder) {
		t.Helper()
		out := &recorder{}
		return h.Execute(ctx, kernel.ExecuteRequest{Code: code}, out), out
	}
	if r, out := exec("%%native\nfunc triple(n int) int { return 3 * n }\n"); r.Status != "ok" {
		t.Fatalf("%%%%native: %+v %q", r, out.stream("stderr"))
	}
	crash := "m := map[int]int{}\nfor i := 0; i < 4; i++ {\n\tgo func() {\n\t\tfor {\n\t\t\tm[1] = i\n\t\t}\n\t}()\n}\nselect {}"
	if r, _ := exec(crash); r.Ename != "WorkerDied" || !strings.Contains(r.Evalue, "replaying 1 earlier cells") {
		t.Fatalf("crash: %+v", r)
	}
	if r, out := exec("triple(14)"); r.Status != "ok" || len(out.results) != 1 || out.results[0].Data["text/plain"] != "42" {
		t.Fatalf("after the crash: %+v %+v", r, out.results)
	}
	if r, _ := exec("x := 1\n%%native\nfunc f() {}"); r.Status != "error" || !strings.Contains(r.Evalue, "first line") {
		t.Fatalf("%%%%native not first: %+v", r)
	}
}
