// Package stdlib is the standard library cells can import: symbol tables
// of the compiled packages, generated from the Go toolchain that builds the
// kernel, and the source of their generic declarations, which the
// interpreter compiles when a cell first imports the package.
//
// The z_*.go tables, src/ and z_generic.go are written by internal/gen;
// regenerate them with
//
//	go generate ./internal/stdlib
//
// whenever the toolchain changes release (a test fails until then). The
// tables are for the generating platform: syscall's and log/syslog's carry
// its build constraint, and untyped constants are its values. Each
// directory of src/ is also an ordinary Go package, so go vet checks the
// generated source. Which packages are importable, and why a few are not,
// is package stdlist; generic declarations left out are in Omitted.
package stdlib

import (
	"embed"
	"io/fs"
	"reflect"
)

//go:generate go run ./internal/gen

// Symbols holds the symbol tables, keyed as yaegi wants them: import path
// + "/" + package name.
var Symbols = map[string]map[string]reflect.Value{}

// MapTypes lists, for functions that take an interface{} but treat some
// interfaces specially (fmt.Println and fmt.Stringer), the interfaces an
// interpreted value should be wrapped as. Interpreted types do not carry
// their methods into reflect, so without this fmt would not see String.
var MapTypes = map[reflect.Value][]reflect.Type{}

func init() {
	Symbols["."] = map[string]reflect.Value{"MapTypes": reflect.ValueOf(MapTypes)}
}

//go:embed src
var src embed.FS

// Source holds the generic declarations of the standard packages, one
// directory per import path, for interp.Options.StdlibSource: the
// interpreter compiles a package's source when a cell first imports it.
var Source = func() fs.FS {
	sub, err := fs.Sub(src, "src")
	if err != nil {
		panic(err) // src is embedded: it is there.
	}
	return sub
}()
