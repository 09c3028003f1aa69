// Package native compiles %%native cells: Go declarations built with the Go
// toolchain into a plugin, whose functions, types, variables and constants
// the interpreted cells then use at compiled speed.
//
// A cell becomes a package in the session's module directory, at a path
// named by a hash of its source (and of go.mod, go.sum and the toolchain),
// so an edited cell is a new package: a process cannot unload a plugin or
// load two with one path. A file beside the cell's gives each top-level name,
// exported or not, an exported handle; the plugin's main package maps the
// names to those handles as a yaegi symbol table. An identical cell in a
// later worker (after a crash) reuses the built plugin.
package native

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"plugin"
	"reflect"
	"regexp"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/juggler-kernel/juggler/internal/modules"
)

// Marker starts the code of a %%native cell as the kernel hands it to the
// worker: a comment, so the cell's lines keep their numbers.
const Marker = "//juggler:native"

// ModulePath is the module path of the session's module directory; native
// packages live under it.
const ModulePath = "juggler.session"

// Package is a built and loaded %%native cell.
type Package struct {
	// Path is the import path of the cell's package.
	Path string
	// Symbols is the symbol table for the interpreter, keyed as yaegi's
	// Use wants it ("path/name").
	Symbols map[string]map[string]reflect.Value
	// Names are the cell's top-level names, by kind.
	Funcs, Types, Vars, Consts []string
	// Built is false when the plugin was already on disk.
	Built bool
}

// Error is a cell that did not compile, in cell lines.
type Error struct {
	Lines []string
}

func (e *Error) Error() string { return strings.Join(e.Lines, "\n") }

// Builder builds %%native cells in a session's module directory.
type Builder struct {
	Mods *modules.Dir
	// InterpretImports turns Compile off: imports are interpreted.
	InterpretImports bool

	mu        sync.Mutex
	goVersion string              // of the go command, once asked
	loaded    map[string]*Package // by import path, in this process; nil until used
}

// exportPrefix starts the exported handle of each top-level name.
const exportPrefix = "Juggler_"

// Build compiles code (a cell of Go declarations, without a package
// clause) into a plugin and loads it.
func (b *Builder) Build(ctx context.Context, code string) (*Package, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !pluginsWork {
		return nil, errors.New("%%native needs a kernel built with cgo (CGO_ENABLED=1) on linux, freebsd or darwin: Go plugins are not supported by this build")
	}
	root, err := b.Mods.Path(ctx)
	if err != nil {
		return nil, err
	}
	if why := b.toolchainMismatch(ctx); why != "" {
		return nil, errors.New("%%native: " + why + " (put the matching go command first on PATH)")
	}
	src := "package native\n//line cell.go:1\n" + code
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "cell.go", src, parser.SkipObjectResolution)
	if err != nil {
		return nil, &Error{Lines: cellLines(err.Error())}
	}
	pkg, err := names(fset, f)
	if err != nil {
		return nil, err
	}
	modfile, err := writeModfile(root)
	if err != nil {
		return nil, err
	}
	key := hashOf(root, code)
	pkg.Path = ModulePath + "/native/h" + key
	if p, ok := b.loaded[pkg.Path]; ok {
		return p, nil
	}
	if b.loaded == nil {
		b.loaded = map[string]*Package{}
	}
	dir := filepath.Join(root, "native", "h"+key)
	so := filepath.Join(dir, "native.so")
	if _, err := os.Stat(so); err != nil {
		if err := b.write(dir, src, pkg); err != nil {
			return nil, err
		}
		args := []string{"build", "-buildmode=plugin", "-mod=mod", "-modfile=" + modfile, "-o", so}
		if raceEnabled {
			args = append(args, "-race")
		}
		args = append(args, "./native/h"+key+"/plugin")
		if _, err := b.Mods.Go(ctx, args...); err != nil {
			var ce *modules.CmdError
			if errors.As(err, &ce) {
				return nil, &Error{Lines: cellLines(ce.Msg)}
			}
			return nil, fmt.Errorf("%%%%native: %w", err)
		}
		pkg.Built = true
	}
	p, err := plugin.Open(so)
	if err != nil {
		return nil, openError(err)
	}
	sym, err := p.Lookup("Symbols")
	if err != nil {
		return nil, fmt.Errorf("%%%%native: plugin %s: %w", so, err)
	}
	syms, ok := sym.(*map[string]map[string]reflect.Value)
	if !ok {
		return nil, fmt.Errorf("%%%%native: plugin %s: Symbols is a %T", so, sym)
	}
	pkg.Symbols = *syms
	b.loaded[pkg.Path] = pkg
	return pkg, nil
}

// openError explains why a plugin did not open.
func openError(err error) error {
	msg := err.Error()
	if strings.Contains(msg, "different version of package") {
		return fmt.Errorf("%%%%native: %s\n(the cell uses a package that the kernel itself links, at another version; %%go get that module at the version `go version -m $(which juggler)` lists, or leave the import to an interpreted cell)", msg)
	}
	return fmt.Errorf("%%%%native: %s", msg)
}

// hashOf names a build: the cell, the versions its imports resolve to and
// the toolchain.
func hashOf(root, code string) string {
	h := sha256.New()
	h.Write([]byte(code))
	for _, f := range []string{"go.mod", "go.sum", "native.mod"} {
		b, _ := os.ReadFile(filepath.Join(root, f))
		h.Write(b)
	}
	fmt.Fprintf(h, "%s %v", runtime.Version(), raceEnabled)
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// writeModfile writes native.mod, the go.mod that plugins are built with:
// the session's, with every module the kernel binary links replaced by the
// kernel's own version. A plugin that links a package the kernel also links
// must have the kernel's version of it, or it does not open.
func writeModfile(root string) (string, error) {
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return "", fmt.Errorf("%%%%native: %w", err)
	}
	var b strings.Builder
	b.Write(gomod)
	b.WriteString("\n// The kernel binary's own versions (juggler %%native).\n")
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Replace != nil {
				d = d.Replace
			}
			if d.Version == "" || d.Path == ModulePath {
				continue
			}
			fmt.Fprintf(&b, "replace %s => %s %s\n", d.Path, d.Path, d.Version)
		}
	}
	mod := filepath.Join(root, "native.mod")
	if err := os.WriteFile(mod, []byte(b.String()), 0o644); err != nil {
		return "", fmt.Errorf("%%%%native: %w", err)
	}
	// go.sum's entries serve native.sum; the build adds what it lacks.
	sum, _ := os.ReadFile(filepath.Join(root, "go.sum"))
	old, _ := os.ReadFile(filepath.Join(root, "native.sum"))
	lines := strings.Split(string(old)+string(sum), "\n")
	sort.Strings(lines)
	lines = slices.Compact(lines)
	if err := os.WriteFile(filepath.Join(root, "native.sum"), []byte(strings.TrimLeft(strings.Join(lines, "\n"), "\n")+"\n"), 0o644); err != nil {
		return "", fmt.Errorf("%%%%native: %w", err)
	}
	return mod, nil
}

// names finds the cell's top-level names. Generic functions and types
// cannot be handed to the interpreter (a plugin holds only instances).
func names(fset *token.FileSet, f *ast.File) (*Package, error) {
	p := &Package{}
	var generic []string
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv != nil || d.Name.Name == "init" || d.Name.Name == "_" || d.Name.Name == "main" {
				continue
			}
			if d.Type.TypeParams != nil {
				generic = append(generic, fmt.Sprintf("line %d: %s", fset.Position(d.Pos()).Line, d.Name.Name))
				continue
			}
			p.Funcs = append(p.Funcs, d.Name.Name)
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					if s.TypeParams != nil {
						generic = append(generic, fmt.Sprintf("line %d: %s", fset.Position(s.Pos()).Line, s.Name.Name))
						continue
					}
					p.Types = append(p.Types, s.Name.Name)
				case *ast.ValueSpec:
					for _, n := range s.Names {
						if n.Name == "_" {
							continue
						}
						if d.Tok == token.CONST {
							p.Consts = append(p.Consts, n.Name)
						} else {
							p.Vars = append(p.Vars, n.Name)
						}
					}
				}
			}
		}
	}
	if len(generic) > 0 {
		return nil, &Error{Lines: append([]string{"generic functions and types cannot be used across the %%native boundary (a plugin holds no generic code); define them in an ordinary cell:"}, generic...)}
	}
	return p, nil
}

// write makes the cell's package, the handles file and the plugin's main
// package.
func (b *Builder) write(dir, src string, p *Package) error {
	var ex, tab strings.Builder
	ex.WriteString("// Code generated by juggler for a %%native cell. DO NOT EDIT.\n\npackage native\n\n")
	tab.WriteString("// Code generated by juggler for a %%native cell. DO NOT EDIT.\n\npackage main\n\nimport (\n\t\"reflect\"\n\n\tp \"" + p.Path + "\"\n)\n\n")
	tab.WriteString("// Symbols is the cell's symbol table for the interpreter.\n")
	fmt.Fprintf(&tab, "var Symbols = map[string]map[string]reflect.Value{\n\t%q: {\n", p.Path+"/native")
	for _, n := range p.Funcs {
		fmt.Fprintf(&ex, "var %s%s = %s\n", exportPrefix, n, n)
		fmt.Fprintf(&tab, "\t\t%q: reflect.ValueOf(p.%s%s),\n", n, exportPrefix, n)
	}
	for _, n := range p.Types {
		fmt.Fprintf(&ex, "type %s%s = %s\n", exportPrefix, n, n)
		fmt.Fprintf(&tab, "\t\t%q: reflect.ValueOf((*p.%s%s)(nil)),\n", n, exportPrefix, n)
	}
	for _, n := range p.Vars {
		fmt.Fprintf(&ex, "var %s%s = &%s\n", exportPrefix, n, n)
		fmt.Fprintf(&tab, "\t\t%q: reflect.ValueOf(p.%s%s).Elem(),\n", n, exportPrefix, n)
	}
	for _, n := range p.Consts {
		// A constant crosses as a typed value: the interpreter cannot
		// take an untyped one from a plugin.
		fmt.Fprintf(&ex, "var %s%s = %s\n", exportPrefix, n, n)
		fmt.Fprintf(&tab, "\t\t%q: reflect.ValueOf(p.%s%s),\n", n, exportPrefix, n)
	}
	tab.WriteString("\t},\n}\n")
	if err := os.MkdirAll(filepath.Join(dir, "plugin"), 0o755); err != nil {
		return fmt.Errorf("%%%%native: %w", err)
	}
	for name, text := range map[string]string{"cell.go": src, "juggler_export.go": ex.String(), "plugin/main.go": tab.String()} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			return fmt.Errorf("%%%%native: %w", err)
		}
	}
	return nil
}

// Decls is the source, for an interpreted cell, that binds the cell's
// names to the plugin's: funcs and variables as variables (a variable is
// copied: the plugin's own goes on separately), types as aliases.
func (p *Package) Decls() string {
	alias := "native_" + p.Path[strings.LastIndex(p.Path, "/")+1:]
	var b strings.Builder
	fmt.Fprintf(&b, "import %s %q\n", alias, p.Path)
	for _, n := range p.Types {
		fmt.Fprintf(&b, "type %s = %s.%s\n", n, alias, n)
	}
	vars := append(append(append([]string(nil), p.Funcs...), p.Vars...), p.Consts...)
	sort.Strings(vars)
	for _, n := range vars {
		fmt.Fprintf(&b, "var %s = %s.%s\n", n, alias, n)
	}
	return b.String()
}

var buildPos = regexp.MustCompile(`(?m)^(?:\S*/)?cell\.go:(\d+)(?::(\d+))?: (.*)$`)

// cellLines turns the go command's messages into lines that name cell
// lines, dropping the package headers ("# juggler.session/...").
func cellLines(msg string) []string {
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(msg), "\n") {
		if strings.HasPrefix(l, "# ") {
			continue
		}
		if m := buildPos.FindStringSubmatch(l); m != nil {
			l = "line " + m[1] + ": " + m[3]
		}
		out = append(out, l)
	}
	return out
}
