package eval

import (
	"fmt"
	"reflect"

	"github.com/juggler-kernel/juggler/internal/render"
	"github.com/juggler-kernel/juggler/internal/yaegi/interp"
)

// yaegi gives the types a cell declares no methods that Go code outside the
// interpreter can call. It bridges them with wrapper structs: when a host
// function it knows of (MapTypes) is passed a value whose type has the
// methods of one of the listed interfaces, it hands the function a wrapper
// instead, its first field the value and each further field, named with a
// one-letter prefix, one of the type's methods. These are the wrappers for
// render's interfaces; yaegi's standard library brings those for error and
// fmt.Stringer.
type (
	htmlWrapper struct {
		IValue any
		WHTML  func() string
	}
	markdownWrapper struct {
		IValue    any
		WMarkdown func() string
	}
	svgWrapper struct {
		IValue any
		WSVG   func() string
	}
	pngWrapper struct {
		IValue any
		WPNG   func() []byte
	}
	jpegWrapper struct {
		IValue any
		WJPEG  func() []byte
	}
)

func (w htmlWrapper) HTML() string         { return w.WHTML() }
func (w htmlWrapper) Wrapped() any         { return w.IValue }
func (w markdownWrapper) Markdown() string { return w.WMarkdown() }
func (w markdownWrapper) Wrapped() any     { return w.IValue }
func (w svgWrapper) SVG() string           { return w.WSVG() }
func (w svgWrapper) Wrapped() any          { return w.IValue }
func (w pngWrapper) PNG() []byte           { return w.WPNG() }
func (w pngWrapper) Wrapped() any          { return w.IValue }
func (w jpegWrapper) JPEG() []byte         { return w.WJPEG() }
func (w jpegWrapper) Wrapped() any         { return w.IValue }

// richSymbols teaches the interpreter to pass values of a cell's own types
// to the functions shows (the cell's value, display.Value) as the first of
// richTypes they implement, so that a type with an HTML method is shown as
// HTML and one with String as its string. (The interpreter gives a cell's
// final value the same way, by Options.ResultInterfaces.)
func richSymbols(shows ...reflect.Value) interp.Exports {
	pkg := reflect.TypeFor[render.HTMLer]().PkgPath()
	types := richTypes()
	mapTypes := map[reflect.Value][]reflect.Type{}
	for _, f := range shows {
		mapTypes[f] = types
	}
	return interp.Exports{
		pkg + "/render": {
			"HTMLer":      reflect.ValueOf((*render.HTMLer)(nil)),
			"Markdowner":  reflect.ValueOf((*render.Markdowner)(nil)),
			"SVGer":       reflect.ValueOf((*render.SVGer)(nil)),
			"PNGer":       reflect.ValueOf((*render.PNGer)(nil)),
			"JPEGer":      reflect.ValueOf((*render.JPEGer)(nil)),
			"_HTMLer":     reflect.ValueOf((*htmlWrapper)(nil)),
			"_Markdowner": reflect.ValueOf((*markdownWrapper)(nil)),
			"_SVGer":      reflect.ValueOf((*svgWrapper)(nil)),
			"_PNGer":      reflect.ValueOf((*pngWrapper)(nil)),
			"_JPEGer":     reflect.ValueOf((*jpegWrapper)(nil)),
		},
		".": {"MapTypes": reflect.ValueOf(mapTypes)},
	}
}

// richTypes are the interfaces a value of a cell's own type is given as,
// richest first: render's, then error and fmt.Stringer for its text.
func richTypes() []reflect.Type {
	return []reflect.Type{
		reflect.TypeFor[render.HTMLer](),
		reflect.TypeFor[render.Markdowner](),
		reflect.TypeFor[render.SVGer](),
		reflect.TypeFor[render.PNGer](),
		reflect.TypeFor[render.JPEGer](),
		reflect.TypeFor[error](),
		reflect.TypeFor[fmt.Stringer](),
	}
}
