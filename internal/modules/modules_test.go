package modules_test

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"testing"

	"github.com/juggler-kernel/juggler/internal/modules"
	"github.com/juggler-kernel/juggler/internal/modules/modulestest"
)

func TestIsStandard(t *testing.T) {
	for path, want := range map[string]bool{
		"fmt": true, "net/http": true, "golang.org/x/sync/errgroup": false,
		"github.com/google/uuid": false, "example.com": false,
	} {
		if got := modules.IsStandard(path); got != want {
			t.Errorf("IsStandard(%q) = %v", path, got)
		}
	}
}

// The interpreter sees a loaded package as GOPATH/src/<path>, with only the
// files the go command selected.
func TestLoadAndFS(t *testing.T) {
	modulestest.NeedProxy(t)
	d := modules.Open(t.TempDir())
	pkgs, added, err := d.Load(context.Background(), "golang.org/x/sync/errgroup")
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) != 1 || pkgs[0].Name != "errgroup" || len(added) != 1 || added[0].Path != "golang.org/x/sync" {
		t.Fatalf("pkgs %+v, added %+v", pkgs, added)
	}
	if _, again, _ := d.Load(context.Background(), "golang.org/x/sync/errgroup"); len(again) != 0 {
		t.Errorf("a module is new only once: %+v", again)
	}
	fsys := d.FS()
	es, err := fs.ReadDir(fsys, "src/golang.org/x/sync/errgroup")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != strings.Join(pkgs[0].GoFiles, " ") {
		t.Errorf("ReadDir = %v, want the go files %v", names, pkgs[0].GoFiles)
	}
	b, err := fs.ReadFile(fsys, "src/golang.org/x/sync/errgroup/errgroup.go")
	if err != nil || !strings.Contains(string(b), "package errgroup") {
		t.Errorf("ReadFile: %v", err)
	}
	if _, err := fs.Stat(fsys, "src/golang.org/x/sync/semaphore"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a package not loaded is not there: %v", err)
	}
}

// With downloads off, an import of a module not in the cache says so and
// what to do.
func TestGOPROXYOff(t *testing.T) {
	t.Setenv("GOPROXY", "off")
	t.Setenv("GOFLAGS", "-mod=mod")
	d := modules.Open(t.TempDir())
	_, _, err := d.Load(context.Background(), "example.com/juggler/not-cached")
	if err == nil || !strings.Contains(err.Error(), "example.com/juggler/not-cached") || !strings.Contains(err.Error(), "set GOPROXY") {
		t.Fatalf("err = %v", err)
	}
}

func TestNoGoCommand(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	d := modules.Open(t.TempDir())
	_, _, err := d.Load(context.Background(), "golang.org/x/sync/errgroup")
	if !errors.Is(err, modules.ErrNoGo) {
		t.Fatalf("err = %v", err)
	}
}
