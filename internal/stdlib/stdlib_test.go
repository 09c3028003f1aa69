package stdlib

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/juggler-kernel/juggler/internal/stdlib/stdlist"
)

// The tables and sources are generated from the toolchain: when it changes
// release, `go generate ./internal/stdlib` must run again.
func TestGeneratedForThisToolchain(t *testing.T) {
	v := runtime.Version()
	if strings.HasPrefix(v, "devel") {
		t.Skipf("development toolchain %s", v)
	}
	parts := strings.SplitN(v, ".", 3)
	if want := parts[0] + "." + parts[1]; GoVersion != want {
		t.Fatalf("tables are from %s, the toolchain is %s: run go generate ./internal/stdlib", GoVersion, want)
	}
}

// Every package of `go list std` that is not internal or excluded has a
// table, and nothing else has one.
func TestEveryStdPackageHasTable(t *testing.T) {
	pkgs, err := stdlist.Packages()
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for key := range Symbols {
		if key != "." {
			have[filepath.Dir(key)] = true
		}
	}
	for _, p := range pkgs {
		if !have[p] {
			t.Errorf("no table for %s: run go generate ./internal/stdlib", p)
		}
		delete(have, p)
	}
	for p := range have {
		t.Errorf("table for %s, which go list std does not list (or lists as excluded)", p)
	}
	for p, why := range stdlist.Excluded {
		if why == "" {
			t.Errorf("exclusion of %s gives no reason", p)
		}
	}
}

// generate runs the generator into a temporary directory.
func generate(t *testing.T, args ...string) string {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command("go", append([]string{"run", "./internal/gen", "-o", dir}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run ./internal/gen %v: %v\n%s", args, err, out)
	}
	return dir
}

// The committed tables are what the toolchain generates. All of them take
// minutes; a sample of the packages that change most between releases, and
// the platform-dependent one, is checked.
func TestTablesUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator")
	}
	sample := []string{"errors", "fmt", "iter", "os", "slices", "strings", "sync", "syscall", "time"}
	dir := generate(t, "-only", strings.Join(sample, ","))
	for _, p := range sample {
		name := "z_" + strings.ReplaceAll(p, "/", "_") + ".go"
		sameFile(t, filepath.Join(dir, name), name)
	}
	sameFile(t, filepath.Join(dir, "z_version.go"), "z_version.go")
}

// The committed generic sources are what the toolchain's sources give.
func TestGenericUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator")
	}
	dir := generate(t, "-generic")
	sameFile(t, filepath.Join(dir, "z_generic.go"), "z_generic.go")
	want := tree(t, os.DirFS(filepath.Join(dir, "src")))
	got := tree(t, Source)
	var names []string
	for n := range want {
		names = append(names, n)
	}
	for n := range got {
		if _, ok := want[n]; !ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		if !bytes.Equal(got[n], want[n]) {
			t.Errorf("src/%s differs from what the generator writes: run go generate ./internal/stdlib", n)
		}
	}
}

func tree(t *testing.T, fsys fs.FS) map[string][]byte {
	t.Helper()
	m := map[string][]byte{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		m[p] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func sameFile(t *testing.T, generated, committed string) {
	t.Helper()
	want, err := os.ReadFile(generated)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(committed)
	if err != nil {
		t.Fatalf("%v: run go generate ./internal/stdlib", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from what the generator writes: run go generate ./internal/stdlib", committed)
	}
}
