package introspect

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/build"
	"go/doc"
	"go/parser"
	"go/printer"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/juggler-kernel/juggler/internal/stdlib"
)

// stdTable indexes the standard library of package stdlib: the packages a
// cell can import are exactly those, so completion offers those and no
// others.
type stdTable struct {
	byPath  map[string]string   // import path -> package name
	byName  map[string][]string // package name -> import paths, preferred first
	names   []string            // package names, sorted, deduplicated
	members map[string][]string // import path -> exported members, sorted
}

var std = sync.OnceValue(func() *stdTable {
	t := &stdTable{byPath: map[string]string{}, byName: map[string][]string{}, members: map[string][]string{}}
	for key, syms := range stdlib.Symbols {
		// Keys are importpath + "/" + package name; skip yaegi's own
		// bookkeeping entries.
		i := strings.LastIndexByte(key, '/')
		if i <= 0 || strings.Contains(key, ".") {
			continue
		}
		p, name := key[:i], key[i+1:]
		t.byPath[p] = name
		t.byName[name] = append(t.byName[name], p)
		var ms []string
		for m := range syms {
			// Leading underscores are yaegi's interface wrappers.
			if !strings.HasPrefix(m, "_") {
				ms = append(ms, m)
			}
		}
		// Generic members are compiled from source on import.
		ms = append(ms, stdlib.Generic[p]...)
		sort.Strings(ms)
		t.members[p] = ms
	}
	for name, paths := range t.byName {
		sort.Slice(paths, func(i, j int) bool { return pathRank(name, paths[i]) < pathRank(name, paths[j]) })
		t.names = append(t.names, name)
	}
	sort.Strings(t.names)
	return t
})

// preferredPath settles package names shared by several paths, for a cell
// that uses the name without importing it yet: the one people usually mean.
var preferredPath = map[string]string{
	"rand":     "math/rand",
	"template": "text/template",
	"scanner":  "text/scanner",
	"pprof":    "runtime/pprof",
	"parse":    "text/template/parse",
}

// pathRank orders candidate paths for a package name: the preferred one,
// then the path equal to the name, then shorter paths.
func pathRank(name, p string) string {
	switch {
	case preferredPath[name] == p:
		return "0"
	case p == name:
		return "1"
	}
	return fmt.Sprintf("2%03d%s", strings.Count(p, "/"), p)
}

// stdPackageName is the package name of a standard-library import path.
func stdPackageName(p string) (string, bool) {
	name, ok := std().byPath[p]
	return name, ok
}

// stdMembers lists the exported members of a standard package: its symbol
// table's and its generic source's.
func stdMembers(p string) []string {
	if ms := std().members[p]; len(ms) > 0 {
		return ms
	}
	dp, err := loadDoc(p)
	if err != nil {
		return nil
	}
	var ms []string
	for _, v := range append(append([]*doc.Value{}, dp.pkg.Consts...), dp.pkg.Vars...) {
		ms = append(ms, v.Names...)
	}
	for _, f := range dp.pkg.Funcs {
		ms = append(ms, f.Name)
	}
	for _, ty := range dp.pkg.Types {
		ms = append(ms, ty.Name)
		for _, f := range ty.Funcs {
			ms = append(ms, f.Name)
		}
		for _, v := range append(append([]*doc.Value{}, ty.Consts...), ty.Vars...) {
			ms = append(ms, v.Names...)
		}
	}
	sort.Strings(ms)
	return ms
}

// stdSymbol is the reflect value yaegi holds for pkgpath.member.
func stdSymbol(p, member string) (reflect.Value, bool) {
	name, ok := std().byPath[p]
	if !ok {
		return reflect.Value{}, false
	}
	v, ok := stdlib.Symbols[p+"/"+name][member]
	return v, ok
}

// goroot finds the Go installation whose sources provide documentation.
// runtime.GOROOT is empty in binaries built with -trimpath, hence the
// `go env` fallback.
var goroot = sync.OnceValue(func() string {
	//lint:ignore SA1019 deprecated but still the cheapest answer when set.
	if r := runtime.GOROOT(); r != "" && isDir(filepath.Join(r, "src", "fmt")) {
		return r
	}
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
})

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// docPkg is a parsed standard package with the FileSet its AST refers to.
type docPkg struct {
	pkg  *doc.Package
	fset *token.FileSet
}

var docCache = struct {
	sync.Mutex
	m map[string]*docPkg
	e map[string]error
}{m: map[string]*docPkg{}, e: map[string]error{}}

// loadDoc parses the documentation of a standard package from GOROOT,
// once: parsing net/http takes tens of milliseconds, too slow per keypress.
func loadDoc(p string) (*docPkg, error) {
	docCache.Lock()
	defer docCache.Unlock()
	if dp, ok := docCache.m[p]; ok {
		return dp, nil
	}
	if err, ok := docCache.e[p]; ok {
		return nil, err
	}
	dp, err := parseDoc(p)
	if err != nil {
		docCache.e[p] = err
		return nil, err
	}
	docCache.m[p] = dp
	return dp, nil
}

func parseDoc(p string) (*docPkg, error) {
	root := goroot()
	if root == "" {
		return nil, fmt.Errorf("load docs of %s: GOROOT not found", p)
	}
	dir := filepath.Join(root, "src", filepath.FromSlash(p))
	// ImportDir applies build constraints, so only this platform's files
	// are read and declarations are not duplicated across GOOS variants.
	bp, err := build.Default.ImportDir(dir, build.ImportComment)
	if err != nil {
		return nil, fmt.Errorf("load docs of %s: %w", p, err)
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, name := range append(append([]string{}, bp.GoFiles...), bp.CgoFiles...) {
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.ParseComments)
		if err != nil {
			return nil, fmt.Errorf("load docs of %s: %w", p, err)
		}
		files = append(files, f)
	}
	var mode doc.Mode
	if p == "builtin" {
		// builtin declares lower-case names that are not really unexported.
		mode = doc.AllDecls
	}
	pkg, err := doc.NewFromFiles(fset, files, p, mode)
	if err != nil {
		return nil, fmt.Errorf("load docs of %s: %w", p, err)
	}
	return &docPkg{pkg: pkg, fset: fset}, nil
}

// docEntry is the documentation of one declaration.
type docEntry struct {
	decl string // Go source of the declaration, bodies removed
	doc  string // its doc comment, raw
}

// lookup finds name among the package's declarations; "T.M" names a method
// (or field-less member) of type T.
func (dp *docPkg) lookup(name string) (docEntry, bool) {
	p := dp.pkg
	typ, member, isMember := strings.Cut(name, ".")
	if isMember {
		for _, t := range p.Types {
			if t.Name != typ {
				continue
			}
			for _, m := range t.Methods {
				if m.Name == member {
					return docEntry{dp.funcDecl(m.Decl), m.Doc}, true
				}
			}
		}
		return docEntry{}, false
	}
	for _, f := range p.Funcs {
		if f.Name == name {
			return docEntry{dp.funcDecl(f.Decl), f.Doc}, true
		}
	}
	if e, ok := dp.lookupValues(p.Consts, name); ok {
		return e, true
	}
	if e, ok := dp.lookupValues(p.Vars, name); ok {
		return e, true
	}
	for _, t := range p.Types {
		if t.Name == name {
			return docEntry{dp.node(t.Decl), t.Doc}, true
		}
		for _, f := range t.Funcs {
			if f.Name == name {
				return docEntry{dp.funcDecl(f.Decl), f.Doc}, true
			}
		}
		if e, ok := dp.lookupValues(append(append([]*doc.Value{}, t.Consts...), t.Vars...), name); ok {
			return e, true
		}
	}
	return docEntry{}, false
}

func (dp *docPkg) lookupValues(vs []*doc.Value, name string) (docEntry, bool) {
	for _, v := range vs {
		for _, n := range v.Names {
			if n == name {
				return docEntry{dp.node(v.Decl), v.Doc}, true
			}
		}
	}
	return docEntry{}, false
}

// funcDecl prints a function's signature without body or doc comment.
func (dp *docPkg) funcDecl(d *ast.FuncDecl) string {
	c := *d
	c.Body, c.Doc = nil, nil
	return dp.node(&c)
}

func (dp *docPkg) node(n ast.Node) string {
	if g, ok := n.(*ast.GenDecl); ok {
		c := *g
		c.Doc = nil
		n = &c
	}
	var b bytes.Buffer
	cfg := printer.Config{Mode: printer.UseSpaces | printer.TabIndent, Tabwidth: 8}
	if err := cfg.Fprint(&b, dp.fset, n); err != nil {
		return ""
	}
	return b.String()
}

// reflectDescription describes a yaegi symbol from its reflect value, for
// when the Go source is not installed.
func reflectDescription(pkgName, member string, v reflect.Value) string {
	if !v.IsValid() {
		return pkgName + "." + member
	}
	t := v.Type()
	switch {
	case t.Kind() == reflect.Func:
		return "func " + pkgName + "." + member + strings.TrimPrefix(t.String(), "func")
	case t.Kind() == reflect.Pointer && v.IsNil() && t.Elem().Name() == member:
		// yaegi registers a type T as (*T)(nil).
		return "type " + pkgName + "." + member + " " + t.Elem().Kind().String()
	}
	return pkgName + "." + member + " " + t.String()
}
