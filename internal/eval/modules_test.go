package eval

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/juggler-kernel/juggler/internal/modules/modulestest"
)

// TestModules runs programs that import real third-party modules as
// notebook cells and compares their output with go run's.
func TestModules(t *testing.T) {
	modulestest.NeedProxy(t)
	files, err := filepath.Glob("testdata/modules/*.go")
	if err != nil || len(files) == 0 {
		t.Fatal("no testdata", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".go")
		t.Run(name, func(t *testing.T) {
			if raceEnabled && racyInYaegi[name] {
				t.Skip("the race detector reports a data race inside the interpreter's closures " +
					"(getFunc writes a frame slot that concurrent calls of the same func literal read), " +
					"which this package's goroutines trip: a yaegi defect, not this package's")
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			pins := modulePins(string(b))
			want := modulestest.GoRun(t, string(b), pins...)
			// Compiled into a plugin where the package allows, and
			// interpreted: both must print what go run prints.
			for _, interpret := range []bool{false, true} {
				s, out, errOut, _ := newSession(t)
				s.builder.InterpretImports = interpret
				if len(pins) > 0 {
					// What %go get does.
					ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
					err := s.opts.Modules.Get(ctx, io.Discard, pins...)
					cancel()
					if err != nil {
						t.Fatal(err)
					}
				}
				runModuleCells(t, s, modulestest.AsCells(string(b))...)
				for _, pin := range pins {
					// The session still uses the pinned version.
					mod, _, _ := strings.Cut(pin, "@")
					if l, err := s.opts.Modules.List(context.Background(), "-m", mod); err != nil || strings.TrimSpace(string(l)) != strings.Replace(pin, "@", " ", 1) {
						t.Errorf("go list -m %s = %q, %v; want %s", mod, l, err, pin)
					}
				}
				if got := out.String(); got != want {
					t.Errorf("interpreted %v: output:\n%s\nwant (go run):\n%s\nstderr: %s, notes %q", interpret, got, want, errOut, s.Notes())
				}
			}
		})
	}
}

// modulePins are the go get arguments of a test program's leading
// "// go get module@version" lines: the versions it runs with, as a
// notebook that starts with %go get.
func modulePins(src string) []string {
	var pins []string
	for _, line := range strings.Split(src, "\n") {
		args, ok := strings.CutPrefix(line, "// go get ")
		if !ok {
			break
		}
		pins = append(pins, strings.Fields(args)...)
	}
	return pins
}

// racyInYaegi are the programs whose goroutines call one interpreted func
// literal at once, which races inside yaegi (internal/yaegi/interp/run.go,
// getFunc): they run without the race detector.
// conc's WaitGroup and pool do so too, and read a method's reflect type
// that another goroutine is caching (refType's lazy rtype).
var racyInYaegi = map[string]bool{"errgroup": true, "errgroup_pinned": true, "singleflight": true, "conc": true, "concpool": true}

func runModuleCells(t *testing.T, s *Session, cells ...string) {
	t.Helper()
	for i, c := range cells {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		_, err := s.Run(ctx, Cell{ID: int64(i + 1), Count: i + 1, Code: c})
		cancel()
		if err != nil {
			t.Fatalf("cell %d: %v\n%s", i+1, err, c)
		}
	}
}

// TestImportErrors: an import that cannot be resolved is an ImportError
// that names the package and says what to do; the session goes on.
func TestImportErrors(t *testing.T) {
	modulestest.NeedProxy(t)
	s, _, _, _ := newSession(t)
	_, err := run(t, s, "import \"github.com/juggler-kernel/no-such-module/pkg\"")
	var e *Error
	if !errors.As(err, &e) || e.Name != "ImportError" || !strings.Contains(e.Value, "github.com/juggler-kernel/no-such-module/pkg") || !strings.Contains(e.Value, "check the import path") {
		t.Fatalf("err = %v", err)
	}
	if v, err := run(t, s, "1 + 1"); err != nil || v != "2" {
		t.Fatalf("after the error: %q, %v", v, err)
	}
}

// A package the go command finds but the interpreter cannot compile is an
// ImportError that names it and points at %%native. (sourcegraph/conc
// uses atomic.Pointer[T], a generic type of the standard library that the
// interpreter lacks; should it gain it, there is nothing to check here.)
func TestImportInterpreterLimit(t *testing.T) {
	modulestest.NeedProxy(t)
	s, _, _, _ := newSession(t)
	s.builder.InterpretImports = true // the interpreter's own limits
	_, err := run(t, s, "import \"github.com/sourcegraph/conc/panics\"")
	if err == nil {
		t.Skip("the interpreter now compiles conc/panics")
	}
	var e *Error
	if !errors.As(err, &e) || e.Name != "ImportError" || !strings.Contains(e.Value, "cannot interpret github.com/sourcegraph/conc/panics") || !strings.Contains(e.Value, "%%native") {
		t.Fatalf("err = %v", err)
	}
	if v, err := run(t, s, "1 + 1"); err != nil || v != "2" {
		t.Fatalf("after the error: %q, %v", v, err)
	}
}
