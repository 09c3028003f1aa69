package introspect

// keywords are Go's reserved words.
var keywords = []string{
	"break", "case", "chan", "const", "continue", "default", "defer", "else",
	"fallthrough", "for", "func", "go", "goto", "if", "import", "interface",
	"map", "package", "range", "return", "select", "struct", "switch", "type",
	"var",
}

// builtins are the predeclared identifiers, each with the one-line summary
// Inspect falls back to when GOROOT/src/builtin is not installed.
var builtins = map[string]string{
	"append":     "func append(slice []Type, elems ...Type) []Type",
	"cap":        "func cap(v Type) int",
	"clear":      "func clear[T ~[]Type | ~map[Type]Type1](t T)",
	"close":      "func close(c chan<- Type)",
	"complex":    "func complex(r, i FloatType) ComplexType",
	"copy":       "func copy(dst, src []Type) int",
	"delete":     "func delete(m map[Type]Type1, key Type)",
	"imag":       "func imag(c ComplexType) FloatType",
	"len":        "func len(v Type) int",
	"make":       "func make(t Type, size ...IntegerType) Type",
	"max":        "func max[T cmp.Ordered](x T, y ...T) T",
	"min":        "func min[T cmp.Ordered](x T, y ...T) T",
	"new":        "func new(Type) *Type",
	"panic":      "func panic(v any)",
	"print":      "func print(args ...Type)",
	"println":    "func println(args ...Type)",
	"real":       "func real(c ComplexType) FloatType",
	"recover":    "func recover() any",
	"any":        "type any = interface{}",
	"bool":       "type bool bool",
	"byte":       "type byte = uint8",
	"comparable": "type comparable interface{ comparable }",
	"complex64":  "type complex64 complex64",
	"complex128": "type complex128 complex128",
	"error":      "type error interface { Error() string }",
	"float32":    "type float32 float32",
	"float64":    "type float64 float64",
	"int":        "type int int",
	"int8":       "type int8 int8",
	"int16":      "type int16 int16",
	"int32":      "type int32 int32",
	"int64":      "type int64 int64",
	"rune":       "type rune = int32",
	"string":     "type string string",
	"uint":       "type uint uint",
	"uint8":      "type uint8 uint8",
	"uint16":     "type uint16 uint16",
	"uint32":     "type uint32 uint32",
	"uint64":     "type uint64 uint64",
	"uintptr":    "type uintptr uintptr",
	"true":       "const true = 0 == 0 // untyped bool",
	"false":      "const false = 0 != 0 // untyped bool",
	"iota":       "const iota = 0 // untyped int; index of the constant in its const group",
	"nil":        "var nil Type // zero value of pointer, channel, func, interface, map or slice",
}

// displayPackage is the kernel's display API, which cells use without an
// import. It has no Go source to document it, so its members are listed
// here; keep in step with the display package.
const displayPackage = "display"

var displayMembers = map[string]string{
	"HTML":     "Show HTML (text/html) as an output of the cell.",
	"Markdown": "Show Markdown (text/markdown) as an output of the cell.",
	"SVG":      "Show an SVG image (image/svg+xml) as an output of the cell.",
	"PNG":      "Show PNG image data (image/png) as an output of the cell.",
	"JPEG":     "Show JPEG image data (image/jpeg) as an output of the cell.",
	"JSON":     "Show a value as JSON (application/json) as an output of the cell.",
	"Image":    "Show an image.Image, encoded as PNG, as an output of the cell.",
	"Text":     "Show plain text (text/plain) as an output of the cell.",
	"Clear":    "Clear the output of the cell.",
	"New":      "Create a display that can be updated in place later.",
}

const displaySynopsis = "Package display shows rich output (HTML, Markdown, images, JSON) in the notebook. It is predeclared in every cell."
