// Package render turns Go values into Jupyter mime bundles: the text a
// notebook shows for a cell's value, or a richer representation when the
// value offers one (HTML, Markdown, SVG, PNG, JPEG methods, or an image).
package render

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/png"
	"reflect"
	"strconv"
	"strings"
)

// Mime types this package produces.
const (
	Plain    = "text/plain"
	HTML     = "text/html"
	Markdown = "text/markdown"
	SVG      = "image/svg+xml"
	PNG      = "image/png"
	JPEG     = "image/jpeg"
	JSON     = "application/json"
)

// The methods by which a value offers a rich representation.
type (
	HTMLer     interface{ HTML() string }
	Markdowner interface{ Markdown() string }
	SVGer      interface{ SVG() string }
	PNGer      interface{ PNG() []byte }
	JPEGer     interface{ JPEG() []byte }
)

// Wrapped is a stand-in that offers one rich representation on behalf of
// a value that cannot offer it itself (a value of an interpreted type):
// its text is the value's.
type Wrapped interface {
	Wrapped() any
}

// Value returns the mime data for one value: always text/plain, plus the
// richest representation the value offers.
func Value(v any) map[string]any {
	data := map[string]any{Plain: Text(v)}
	// The methods are the user's code: one that panics leaves text/plain
	// alone, saying so, as fmt does.
	rich := func(mime, method string, f func() string) {
		if out, panicked := guard(method, f); panicked {
			data[Plain] = out
		} else {
			data[mime] = out
		}
	}
	switch x := v.(type) {
	case HTMLer:
		rich(HTML, "HTML", x.HTML)
	case Markdowner:
		rich(Markdown, "Markdown", x.Markdown)
	case SVGer:
		rich(SVG, "SVG", x.SVG)
	case PNGer:
		rich(PNG, "PNG", func() string { return base64.StdEncoding.EncodeToString(x.PNG()) })
	case JPEGer:
		rich(JPEG, "JPEG", func() string { return base64.StdEncoding.EncodeToString(x.JPEG()) })
	case image.Image:
		if b, err := EncodePNG(x); err == nil {
			data[PNG] = b
		} else {
			data[Plain] = fmt.Sprintf("image %v: %v", x.Bounds(), err)
		}
	}
	return data
}

// Values renders a cell's results: one value as itself, several as a tuple
// in text/plain only.
func Values(vs []any) map[string]any {
	if len(vs) == 1 {
		return Value(vs[0])
	}
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = Text(v)
	}
	return map[string]any{Plain: "(" + strings.Join(parts, ", ") + ")"}
}

// EncodePNG returns img as base64 PNG, the form Jupyter expects.
func EncodePNG(img image.Image) (string, error) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return "", fmt.Errorf("encode png: %w", err)
	}
	return base64.StdEncoding.EncodeToString(buf.Bytes()), nil
}

// Text formats v for text/plain. Strings are quoted and slices and maps are
// written in Go syntax (`[]int{1, 2}`), so the reader sees the value's type;
// structs use field names (`{X:1 Y:2}`), because the interpreter gives
// structs anonymous types whose Go syntax would be noise.
func Text(v any) string {
	if w, ok := v.(Wrapped); ok {
		v = w.Wrapped()
	}
	switch x := v.(type) {
	case nil:
		return "nil"
	case error:
		out, _ := guard("Error", x.Error)
		return out
	case string:
		return strconv.Quote(x)
	case fmt.Stringer:
		out, _ := guard("String", x.String)
		return out
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map:
		if !strings.Contains(rv.Type().String(), "struct {") {
			return fmt.Sprintf("%#v", v)
		}
	case reflect.Func:
		return rv.Type().String()
	}
	return fmt.Sprintf("%+v", v)
}

// guard calls f, a method of a shown value, and turns a panic in it into
// fmt's wording for one: "%!v(PANIC=String method: boom)".
func guard(method string, f func() string) (out string, panicked bool) {
	defer func() {
		if r := recover(); r != nil {
			out, panicked = fmt.Sprintf("%%!v(PANIC=%s method: %v)", method, r), true
		}
	}()
	return f(), false
}
