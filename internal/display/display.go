// Package display is the `display` package that notebook cells use without
// importing it: display.HTML(s), display.Markdown(s), display.Image(img) and
// friends publish rich output in the middle of a cell, and a Handle from
// display.New() updates one output in place.
//
// The functions run in the worker process as host code called by the
// interpreter; they hand bundles to a Sink, which forwards them to the
// kernel process.
package display

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"reflect"

	"github.com/juggler-kernel/juggler/internal/yaegi/interp"

	"github.com/juggler-kernel/juggler/internal/render"
	"github.com/juggler-kernel/juggler/internal/wire"
)

// ImportPath is the path cells import the package under (automatically).
const ImportPath = "display"

// Sink receives what cells display.
type Sink interface {
	// Display shows b, or with update replaces the output whose
	// transient display_id b carries.
	Display(b wire.Bundle, update bool)
	// Clear clears the cell's output; with wait, at the next output.
	Clear(wait bool)
}

// Handle is one output that can be replaced in place: the first call of a
// method shows it, later calls update it.
type Handle struct {
	id    string
	shown bool
	sink  Sink
}

// ID returns the display_id of the output.
func (h *Handle) ID() string { return h.id }

// HTML shows s as text/html.
func (h *Handle) HTML(s string) { h.show(mime(render.HTML, s)) }

// Markdown shows s as text/markdown.
func (h *Handle) Markdown(s string) { h.show(mime(render.Markdown, s)) }

// SVG shows s as image/svg+xml.
func (h *Handle) SVG(s string) { h.show(mime(render.SVG, s)) }

// Text shows s as text/plain.
func (h *Handle) Text(s string) { h.show(map[string]any{render.Plain: s}) }

// PNG shows PNG-encoded bytes.
func (h *Handle) PNG(b []byte) { h.show(binary(render.PNG, b)) }

// JPEG shows JPEG-encoded bytes.
func (h *Handle) JPEG(b []byte) { h.show(binary(render.JPEG, b)) }

// JSON shows v as application/json.
func (h *Handle) JSON(v any) { h.show(jsonData(v)) }

// Image shows img as PNG.
func (h *Handle) Image(img image.Image) { h.show(imageData(img)) }

// Value shows v as a cell's value would be shown.
func (h *Handle) Value(v any) { h.show(render.Value(v)) }

func (h *Handle) show(data map[string]any) {
	b := wire.Bundle{Data: data, Metadata: map[string]any{}}
	if h.id != "" {
		b.Transient = map[string]any{"display_id": h.id}
	}
	h.sink.Display(b, h.shown && h.id != "")
	h.shown = true
}

func mime(typ, s string) map[string]any {
	return map[string]any{typ: s, render.Plain: fmt.Sprintf("<%s output>", typ)}
}

func binary(typ string, b []byte) map[string]any {
	return map[string]any{typ: base64.StdEncoding.EncodeToString(b), render.Plain: fmt.Sprintf("<%s, %d bytes>", typ, len(b))}
}

func imageData(img image.Image) map[string]any {
	s, err := render.EncodePNG(img)
	if err != nil {
		return map[string]any{render.Plain: err.Error()}
	}
	return map[string]any{render.PNG: s, render.Plain: fmt.Sprintf("<image %dx%d>", img.Bounds().Dx(), img.Bounds().Dy())}
}

func jsonData(v any) map[string]any {
	// Round-trip through encoding/json so that what is sent is plain JSON
	// data, and a value that cannot be encoded says why.
	b, err := json.Marshal(v)
	if err != nil {
		return map[string]any{render.Plain: "display.JSON: " + err.Error()}
	}
	var data any
	_ = json.Unmarshal(b, &data) // b was just produced by json.Marshal
	return map[string]any{render.JSON: data, render.Plain: string(b)}
}

func newID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on Linux
	return hex.EncodeToString(b[:])
}

// Symbols returns the package for the interpreter, bound to sink.
func Symbols(sink Sink) interp.Exports {
	once := func() *Handle { return &Handle{sink: sink} }
	return interp.Exports{
		ImportPath + "/display": {
			"Handle":    reflect.ValueOf((*Handle)(nil)),
			"New":       reflect.ValueOf(func() *Handle { return &Handle{id: newID(), sink: sink} }),
			"HTML":      reflect.ValueOf(func(s string) { once().HTML(s) }),
			"Markdown":  reflect.ValueOf(func(s string) { once().Markdown(s) }),
			"SVG":       reflect.ValueOf(func(s string) { once().SVG(s) }),
			"Text":      reflect.ValueOf(func(s string) { once().Text(s) }),
			"PNG":       reflect.ValueOf(func(b []byte) { once().PNG(b) }),
			"JPEG":      reflect.ValueOf(func(b []byte) { once().JPEG(b) }),
			"JSON":      reflect.ValueOf(func(v any) { once().JSON(v) }),
			"Image":     reflect.ValueOf(func(img image.Image) { once().Image(img) }),
			"Value":     reflect.ValueOf(func(v any) { once().Value(v) }),
			"Clear":     reflect.ValueOf(func() { sink.Clear(false) }),
			"ClearWait": reflect.ValueOf(func() { sink.Clear(true) }),
		},
	}
}
