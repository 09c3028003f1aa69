package native

import (
	"context"
	"os/exec"
	"strings"
	"testing"

	"github.com/juggler-kernel/juggler/internal/modules"
)

// A go command of another Go version than the kernel's cannot build its
// plugins: %%native says so, and imports are interpreted instead.
func TestToolchainMismatch(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	if !pluginsWork {
		t.Skip("this build cannot open plugins")
	}
	b := &Builder{Mods: modules.Open(t.TempDir()), goVersion: "go1.0"}
	_, err := b.Build(context.Background(), "\nfunc f() int { return 1 }\n")
	if err == nil || !strings.Contains(err.Error(), "the go command is go1.0") {
		t.Fatalf("Build: %v", err)
	}
	syms, why, err := b.Compile(context.Background(), &modules.Package{ImportPath: "example.com/p"})
	if syms != nil || err != nil || !strings.Contains(why, "the go command is go1.0") {
		t.Fatalf("Compile: %v, %q, %v", syms != nil, why, err)
	}
}

// Compile errors name the cell's lines, without the go command's package
// headers.
func TestCellLines(t *testing.T) {
	got := cellLines("# juggler.session/native/h1\nnative/h1/cell.go:3:9: undefined: x\nnative/h1/cell.go:5:2: missing return")
	want := []string{"line 3: undefined: x", "line 5: missing return"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("cellLines = %q, want %q", got, want)
	}
}
