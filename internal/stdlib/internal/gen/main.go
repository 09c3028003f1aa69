// Command gen writes the standard library the kernel's cells can use, from
// the Go toolchain that runs it: the symbol tables of every importable
// package (yaegi's public extract package does the work, as upstream's
// internal/cmd/extract does) and the source of the generic declarations that
// the interpreter compiles instead (see generic.go).
//
// It runs from internal/stdlib through go generate:
//
//	go generate ./internal/stdlib
//
// Tables are for the platform the generator runs on (GOOS/GOARCH); files that
// differ between platforms carry a build constraint for it.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/traefik/yaegi/extract"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("stdlib/gen: ")
	out := flag.String("o", ".", "directory of package stdlib")
	only := flag.String("only", "", "comma separated import paths to generate (default: all)")
	genericOnly := flag.Bool("generic", false, "write the generic sources only")
	flag.Parse()
	if *genericOnly {
		if err := writeGeneric(*out); err != nil {
			log.Fatal(err)
		}
		return
	}
	if err := run(*out, *only); err != nil {
		log.Fatal(err)
	}
}

func run(dir, only string) error {
	pkgs, err := Packages()
	if err != nil {
		return err
	}
	if only != "" {
		pkgs = strings.Split(only, ",")
	} else if err := removeGenerated(dir); err != nil {
		return err
	}
	if err := writeTables(dir, pkgs); err != nil {
		return err
	}
	if err := writeVersion(dir); err != nil {
		return err
	}
	if only == "" {
		return writeGeneric(dir)
	}
	return nil
}

// Excluded lists the standard packages that have no table, with the reason.
// The test in package stdlib checks that every other package of `go list
// std` can be imported by a cell.
var Excluded = map[string]string{
	"unsafe":       "its members are builtins, not symbols: upstream's hand-written stdlib/unsafe provides them",
	"runtime/cgo":  "linking it makes the kernel a cgo binary; it exports nothing a cell could use",
	"runtime/race": "it exists only in -race builds",
	"syscall/js":   "js/wasm only",
}

// Packages lists the standard packages that get a table: `go list std`
// without internal, vendored and command packages, and without Excluded.
func Packages() ([]string, error) {
	out, err := exec.Command("go", "list", "std").Output()
	if err != nil {
		return nil, fmt.Errorf("go list std: %w", err)
	}
	var pkgs []string
	for _, p := range strings.Fields(string(out)) {
		if Internal(p) || Excluded[p] != "" {
			continue
		}
		pkgs = append(pkgs, p)
	}
	return pkgs, nil
}

// Internal reports whether an import path is one no program outside the
// standard library can import: internal, vendored or command packages.
func Internal(p string) bool {
	return strings.HasPrefix(p, "cmd/") || strings.HasPrefix(p, "vendor/") || p == "internal" ||
		strings.HasPrefix(p, "internal/") || strings.Contains(p, "/internal/") || strings.HasSuffix(p, "/internal")
}

// platformDependent lists the packages whose exported symbols differ from
// one GOOS/GOARCH to another; their table is built for the generating
// platform only.
var platformDependent = map[string]bool{"syscall": true, "log/syslog": true, "os/user": false}

// restrictedKeep names the symbols extract replaces by a local name of the
// destination package (upstream's sandboxed versions). The kernel runs cells
// unrestricted, so restricted.go defines those names as the real ones.

func fileName(p string) string {
	return "z_" + strings.NewReplacer("/", "_", ".", "_").Replace(p) + ".go"
}

func removeGenerated(dir string) error {
	old, err := filepath.Glob(filepath.Join(dir, "z_*.go"))
	if err != nil {
		return err
	}
	for _, f := range old {
		if err := os.Remove(f); err != nil {
			return err
		}
	}
	return nil
}

// buildLine matches the build constraint extract writes (the Go version
// only); ours replaces it: go.mod sets the minimum toolchain, and a test
// sees when the tables are older than the toolchain.
var buildLine = regexp.MustCompile(`(?m)^//(go:build| \+build) .*\n`)

func writeTables(dir string, pkgs []string) error {
	var (
		mu   sync.Mutex
		errs []error
		wg   sync.WaitGroup
		sem  = make(chan struct{}, runtime.GOMAXPROCS(0))
	)
	for _, p := range pkgs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			if err := writeTable(dir, p); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		sort.Slice(errs, func(i, j int) bool { return errs[i].Error() < errs[j].Error() })
		return fmt.Errorf("%d packages failed, first: %w", len(errs), errs[0])
	}
	return nil
}

func writeTable(dir, p string) error {
	ext := extract.Extractor{Dest: "stdlib"}
	var buf bytes.Buffer
	if _, err := ext.Extract(p, "", &buf); err != nil {
		return fmt.Errorf("extract %s: %w", p, err)
	}
	src := buildLine.ReplaceAll(buf.Bytes(), nil)
	header := fmt.Sprintf("// Code generated by internal/stdlib/internal/gen from %s's %s. DO NOT EDIT.\n\n", majorMinor(), p)
	if platformDependent[p] {
		header += fmt.Sprintf("//go:build %s && %s\n\n", runtime.GOOS, runtime.GOARCH)
	}
	// extract's own first line names its command; ours replaces it.
	if i := bytes.IndexByte(src, '\n'); i >= 0 && bytes.HasPrefix(src, []byte("// Code generated")) {
		src = src[i+1:]
	}
	src = append([]byte(header), bytes.TrimLeft(src, "\n")...)
	out, err := format.Source(src)
	if err != nil {
		return fmt.Errorf("format table of %s: %w", p, err)
	}
	return os.WriteFile(filepath.Join(dir, fileName(p)), out, 0o644)
}

// majorMinor is the toolchain's Go version without its patch number: the
// tables change with the language release, not with its patches.
func majorMinor() string {
	v := runtime.Version()
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return v
	}
	return parts[0] + "." + parts[1]
}

func writeVersion(dir string) error {
	src := fmt.Sprintf(`// Code generated by internal/stdlib/internal/gen. DO NOT EDIT.

package stdlib

// GoVersion is the Go release (major.minor) whose standard library the
// tables and the generic sources were generated from.
const GoVersion = %q
`, majorMinor())
	return os.WriteFile(filepath.Join(dir, "z_version.go"), []byte(src), 0o644)
}
