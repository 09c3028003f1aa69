// Package modules resolves the third-party packages that notebook cells
// import, with the go command, in a module of the session's own: a
// directory with a go.mod that `%go get` pins versions in and that imports
// add requirements to. The go command does the work a Go programmer expects
// of it (GOPROXY, GOFLAGS, GOPRIVATE, GONOSUMDB, go.sum checks, the module
// cache), so a cell's import behaves as it would in a program.
//
// The packages found are served to the interpreter as source, through FS:
// a GOPATH-shaped file system ("src/<import path>/<file>.go") that holds
// exactly the files the go command selects for the package.
package modules

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
)

// EnvDir names the environment variable that tells a worker process which
// module directory its session uses: the kernel keeps the directory, so
// pins survive a worker restart.
const EnvDir = "JUGGLER_MODULE_DIR"

// Tags are the build tags packages are selected with for the interpreter:
// the common ones that choose pure Go code over assembly or unsafe.
var Tags = []string{"purego", "noasm", "safe", "appengine"}

// Dir is a session's module directory. Its zero value is not usable; make
// one with Open.
type Dir struct {
	mu   sync.Mutex
	path string
	// owned is true when Open made the directory, which Close removes.
	owned bool
	// pkgs maps import paths to the packages loaded so far.
	pkgs map[string]*Package
	// seen holds the modules that loads have reported as new.
	seen map[string]bool
}

// Package is a package loaded for the interpreter.
type Package struct {
	ImportPath string
	Name       string
	Dir        string
	GoFiles    []string
	Module     *Module
	// Deps are the import paths of every package it imports, directly
	// or not, standard library included.
	Deps []string
}

// Module is a module in the session's build list.
type Module struct {
	Path    string
	Version string
	Dir     string
}

func (m *Module) String() string {
	if m == nil {
		return "(no module)"
	}
	if m.Version == "" {
		return m.Path
	}
	return m.Path + " " + m.Version
}

// Open returns the module directory at path, creating it (and its go.mod)
// when it is first used. An empty path means a new temporary directory,
// which Close removes.
func Open(path string) *Dir {
	return &Dir{path: path, owned: path == "", pkgs: map[string]*Package{}, seen: map[string]bool{}}
}

// Temp returns a module directory made now in a new temporary directory,
// which Close removes: a kernel makes one before its worker starts, to tell
// the worker where it is.
func Temp() (*Dir, error) {
	p, err := os.MkdirTemp("", "juggler-module-")
	if err != nil {
		return nil, fmt.Errorf("module directory: %w", err)
	}
	d := Open(p)
	d.owned = true
	return d, nil
}

// Close removes the directory when Open made it.
func (d *Dir) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.owned && d.path != "" {
		err := os.RemoveAll(d.path)
		d.path = ""
		return err
	}
	return nil
}

// Root returns the directory, "" when it is made at first use.
func (d *Dir) Root() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.path
}

// Path returns the directory, made ready for the go command.
func (d *Dir) Path(ctx context.Context) (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.ready(ctx)
}

// ready makes the directory and its go.mod if they are missing. d.mu is
// held.
func (d *Dir) ready(ctx context.Context) (string, error) {
	if d.path == "" {
		p, err := os.MkdirTemp("", "juggler-module-")
		if err != nil {
			return "", fmt.Errorf("module directory: %w", err)
		}
		d.path = p
	}
	if err := os.MkdirAll(d.path, 0o755); err != nil {
		return "", fmt.Errorf("module directory: %w", err)
	}
	if _, err := os.Stat(filepath.Join(d.path, "go.mod")); err == nil {
		return d.path, nil
	}
	// go mod init writes the go version of the toolchain that will build
	// and list here, which a go.mod written by hand could not know.
	if _, err := d.goCmd(ctx, "mod", "init", "juggler.session"); err != nil {
		return "", err
	}
	return d.path, nil
}

// ErrNoGo is returned when there is no go command to resolve modules with.
var ErrNoGo = errors.New("the go command is not installed (not on PATH): install Go from https://go.dev/dl, then restart the kernel")

// goCmd runs the go command in the directory and returns its standard
// output; an error carries its standard error.
func (d *Dir) goCmd(ctx context.Context, args ...string) ([]byte, error) {
	out, _, err := d.run(ctx, args...)
	return out, err
}

// run runs the go command and returns both streams; the error (for a
// failed command) holds stderr's text.
func (d *Dir) run(ctx context.Context, args ...string) ([]byte, []byte, error) {
	return d.runEnv(ctx, nil, args...)
}

// runEnv is run with env added to the environment.
func (d *Dir) runEnv(ctx context.Context, env []string, args ...string) ([]byte, []byte, error) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		return nil, nil, ErrNoGo
	}
	cmd := exec.CommandContext(ctx, goBin, args...)
	cmd.Dir = d.path
	// A go.work around the temporary directory must not change what the
	// session resolves; everything else is the user's environment.
	cmd.Env = append(append(os.Environ(), "GOWORK=off"), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return out.Bytes(), errb.Bytes(), ctx.Err()
		}
		msg := strings.TrimSpace(errb.String())
		if msg == "" {
			msg = err.Error()
		}
		return out.Bytes(), errb.Bytes(), &CmdError{Args: args, Msg: msg}
	}
	return out.Bytes(), errb.Bytes(), nil
}

// CmdError is a go command that failed.
type CmdError struct {
	Args []string
	Msg  string // its standard error
}

func (e *CmdError) Error() string { return "go " + strings.Join(e.Args, " ") + ": " + e.Msg }

// Get runs `go get args` in the directory, writing the go command's
// messages to w: it pins versions for later imports.
func (d *Dir) Get(ctx context.Context, w io.Writer, args ...string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, err := d.ready(ctx); err != nil {
		return err
	}
	_, stderr, err := d.run(ctx, append([]string{"get"}, args...)...)
	if err != nil {
		return err
	}
	if _, err := w.Write(stderr); err != nil {
		return fmt.Errorf("go get: %w", err)
	}
	// Packages loaded before may now come from other versions; the next
	// load asks the go command again.
	clear(d.pkgs)
	return nil
}

// List runs `go list args` in the directory and returns what it prints.
func (d *Dir) List(ctx context.Context, args ...string) ([]byte, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, err := d.ready(ctx); err != nil {
		return nil, err
	}
	return d.goCmd(ctx, append([]string{"list"}, args...)...)
}

// Go runs the go command with args in the directory (made ready first)
// and returns its standard output; a failure is a *CmdError.
func (d *Dir) Go(ctx context.Context, args ...string) ([]byte, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, err := d.ready(ctx); err != nil {
		return nil, err
	}
	return d.goCmd(ctx, args...)
}

// listed is what `go list -json` says of one package.
type listed struct {
	ImportPath string
	Name       string
	Dir        string
	Standard   bool
	GoFiles    []string
	SFiles     []string
	Deps       []string
	Module     *Module
	Error      *struct{ Err string }
}

// Load resolves the packages at importPaths and everything they import,
// adding the modules that provide them to the session's module when they
// are missing (downloading them into the module cache), so that FS serves
// their source. It returns the packages asked for, and the modules
// providing them that no earlier Load returned.
func (d *Dir) Load(ctx context.Context, importPaths ...string) (pkgs []*Package, added []*Module, err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var want []string
	for _, p := range importPaths {
		if d.pkgs[p] == nil {
			want = append(want, p)
		}
	}
	if len(want) > 0 {
		if _, err := d.ready(ctx); err != nil {
			return nil, nil, err
		}
		if err := d.load(ctx, want); err != nil {
			return nil, nil, err
		}
	}
	mods := map[string]*Module{}
	for _, p := range importPaths {
		pkg := d.pkgs[p]
		if pkg == nil || slices.Contains(pkgs, pkg) {
			continue
		}
		pkgs = append(pkgs, pkg)
		if pkg.Module != nil && !d.seen[pkg.Module.Path] {
			mods[pkg.Module.Path] = pkg.Module
		}
	}
	for path, m := range mods {
		d.seen[path] = true
		added = append(added, m)
	}
	sort.Slice(added, func(i, j int) bool { return added[i].Path < added[j].Path })
	return pkgs, added, nil
}

// load lists the packages and their dependencies with the go command.
// -mod=mod lets it add a missing module to go.mod and go.sum, as go get
// would, at the version the proxy calls latest. d.mu is held.
func (d *Dir) load(ctx context.Context, paths []string) error {
	args := append([]string{"list", "-mod=mod", "-e", "-deps", "-json", "-tags=" + strings.Join(Tags, ",")}, paths...)
	// Without cgo, the go command picks a package's pure-Go files where
	// it has them, which is what the interpreter can run.
	out, _, err := d.runEnv(ctx, []string{"CGO_ENABLED=0"}, args...)
	if err != nil {
		return d.explain(paths, err)
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	var errs []string
	for {
		var l listed
		if err := dec.Decode(&l); err == io.EOF {
			break
		} else if err != nil {
			return fmt.Errorf("read go list output: %w", err)
		}
		if l.Standard {
			continue
		}
		if l.Error != nil {
			errs = append(errs, d.explainPkg(l.ImportPath, l.Error.Err))
			continue
		}
		if len(l.SFiles) > 0 {
			errs = append(errs, fmt.Sprintf("cannot import %s: it has assembly code (%s), which the interpreter cannot run: use a pure-Go package, or import it in a %%%%native cell, which compiles it", l.ImportPath, strings.Join(l.SFiles, ", ")))
			continue
		}
		d.pkgs[l.ImportPath] = &Package{ImportPath: l.ImportPath, Name: l.Name, Dir: l.Dir, GoFiles: l.GoFiles, Module: l.Module, Deps: l.Deps}
	}
	if len(errs) > 0 {
		return errors.New(strings.Join(errs, "\n"))
	}
	return nil
}

// explain turns a failed go list into an error that says what to do.
func (d *Dir) explain(paths []string, err error) error {
	var ce *CmdError
	if !errors.As(err, &ce) {
		return fmt.Errorf("import %s: %w", strings.Join(quote(paths), ", "), err)
	}
	return errors.New(d.explainPkg(strings.Join(paths, ", "), ce.Msg))
}

// explainPkg words the go command's error about a package for a notebook
// user: what failed and what to do.
func (d *Dir) explainPkg(path, msg string) string {
	msg = strings.TrimSpace(msg)
	var hint string
	switch {
	case strings.Contains(msg, "GOPROXY=off"), strings.Contains(msg, "GOFLAGS=-mod=vendor"):
		hint = "module downloads are disabled (GOPROXY=off): set GOPROXY (e.g. https://proxy.golang.org,direct), or fill the module cache with go mod download"
	case strings.Contains(msg, "cannot find module providing package"),
		strings.Contains(msg, "no matching versions"),
		strings.Contains(msg, "404 Not Found"), strings.Contains(msg, "410 Gone"),
		strings.Contains(msg, "403 Forbidden"),
		strings.Contains(msg, "unrecognized import path"),
		strings.Contains(msg, "does not contain package"):
		hint = "no module provides this package: check the import path; for a private module set GOPRIVATE (and GONOSUMDB) as for go get"
	case strings.Contains(msg, "build constraints exclude all Go files"):
		hint = "the package needs cgo (import \"C\") or has no Go files for " + goos() + ": the interpreter runs only pure Go; import it in a %%native cell, which compiles it"
	case strings.Contains(msg, "verifying"), strings.Contains(msg, "checksum mismatch"), strings.Contains(msg, "SECURITY ERROR"):
		hint = "the module failed go.sum verification: see the message above; for a private module set GONOSUMDB or GOPRIVATE"
	case strings.Contains(msg, "dial tcp"), strings.Contains(msg, "i/o timeout"), strings.Contains(msg, "no such host"), strings.Contains(msg, "connection refused"):
		hint = "the module proxy cannot be reached: check the network and GOPROXY"
	}
	s := "cannot import " + path + ": " + msg
	if hint != "" {
		s += "\n(" + hint + ")"
	}
	return s
}

func goos() string {
	if g := os.Getenv("GOOS"); g != "" {
		return g
	}
	return runtime.GOOS
}

func quote(ps []string) []string {
	q := make([]string, len(ps))
	for i, p := range ps {
		q[i] = fmt.Sprintf("%q", p)
	}
	return q
}

// Modules returns the modules that provide pkg and the packages it
// imports, as far as loads have seen them, by path.
func (d *Dir) Modules(pkg *Package) []*Module {
	d.mu.Lock()
	defer d.mu.Unlock()
	seen := map[string]bool{}
	var out []*Module
	add := func(m *Module) {
		if m != nil && !seen[m.Path] {
			seen[m.Path] = true
			out = append(out, m)
		}
	}
	add(pkg.Module)
	for _, dep := range pkg.Deps {
		if p := d.pkgs[dep]; p != nil {
			add(p.Module)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// FS returns the file system the interpreter reads the loaded packages'
// source from, with GOPATH ".": "src/<import path>" is a package's
// directory and holds only the files the go command selected for it.
func (d *Dir) FS() fs.FS { return srcFS{d} }

type srcFS struct{ d *Dir }

// lookup maps a name in the file system to a package and, for a file in
// it, the file's name.
func (f srcFS) lookup(name string) (*Package, string) {
	rest, ok := strings.CutPrefix(filepath.ToSlash(filepath.Clean(name)), "src/")
	if !ok {
		return nil, ""
	}
	f.d.mu.Lock()
	defer f.d.mu.Unlock()
	if p := f.d.pkgs[rest]; p != nil {
		return p, ""
	}
	dir, file := filepath.Split(rest)
	if p := f.d.pkgs[strings.TrimSuffix(dir, "/")]; p != nil {
		for _, g := range p.GoFiles {
			if g == file {
				return p, file
			}
		}
	}
	return nil, ""
}

func (f srcFS) Open(name string) (fs.File, error) {
	p, file := f.lookup(name)
	if p == nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return os.Open(filepath.Join(p.Dir, file))
}

func (f srcFS) Stat(name string) (fs.FileInfo, error) {
	p, file := f.lookup(name)
	if p == nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrNotExist}
	}
	return os.Stat(filepath.Join(p.Dir, file))
}

func (f srcFS) ReadFile(name string) ([]byte, error) {
	p, file := f.lookup(name)
	if p == nil || file == "" {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrNotExist}
	}
	return os.ReadFile(filepath.Join(p.Dir, file))
}

func (f srcFS) ReadDir(name string) ([]fs.DirEntry, error) {
	p, file := f.lookup(name)
	if p == nil || file != "" {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	var es []fs.DirEntry
	for _, g := range p.GoFiles {
		fi, err := os.Stat(filepath.Join(p.Dir, g))
		if err != nil {
			return nil, err
		}
		es = append(es, fs.FileInfoToDirEntry(fi))
	}
	return es, nil
}

// IsStandard reports whether an import path is in the standard library by
// Go's rule: the first element of any other path has a dot.
func IsStandard(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}
