package introspect

import (
	"strings"
	"testing"
)

func TestInspect(t *testing.T) {
	tests := []struct {
		name   string
		code   string // with the cursor marked by cursorMark
		detail int
		found  bool
		plain  []string // substrings of the text/plain form
		not    []string // substrings that must not appear
	}{
		{name: "stdlib func", code: "strings.ToUp‸per", found: true,
			plain: []string{"func ToUpper(s string) string", "ToUpper returns s with all Unicode letters mapped"}},
		{name: "cursor at end of selector", code: "strings.ToUpper‸", found: true, plain: []string{"func ToUpper(s string) string"}},
		{name: "call tip inside arguments", code: "strings.Repeat(\"ab\", ‸", found: true, plain: []string{"func Repeat(s string, count int) string"}},
		{name: "call tip on unknown argument", code: "strings.Repeat(unknownVar‸", found: true, plain: []string{"func Repeat("}},
		{name: "call tip inside a string argument", code: "strings.ToUpper(\"ab‸c\")", found: true, plain: []string{"func ToUpper("}},
		{name: "stdlib type", code: "var b strings.Buil‸der", found: true, plain: []string{"type Builder struct", "A Builder is used to efficiently build a string"}},
		{name: "stdlib const", code: "time.Second‸", found: true, plain: []string{"Second", "Duration"}},
		{name: "aliased package", code: "str.Fields‸", found: true, plain: []string{"func Fields(s string) []string"}},
		{name: "package", code: "strin‸gs.ToUpper", found: true, plain: []string{`package strings // import "strings"`, "Package strings implements simple functions"}},
		{name: "package full doc at detail 1", code: "strconv‸", detail: 1, found: true,
			plain: []string{"Package strconv implements conversions", "Numeric Conversions"}},
		{name: "generic stdlib func", code: "slices.Contains‸", found: true, plain: []string{"func Contains[S ~[]E, E comparable](s S, v E) bool"}},
		{name: "builtin func", code: "n := len‸(x)", found: true, plain: []string{"func len(v Type) int", "length of v"}},
		{name: "builtin type", code: "var s string‸", found: true, plain: []string{"type string string"}},
		{name: "user type with doc", code: "q := Poi‸nt{}", found: true, plain: []string{"type Point struct{ X, Y int }", "Point is a point."}},
		{name: "user method through a var", code: "p.No‸rm()", found: true, plain: []string{"func (p Point) Norm() int", "Norm is the L1 norm."},
			not: []string{"return"}},
		{name: "user method body at detail 1", code: "p.Norm‸", detail: 1, found: true, plain: []string{"return p.X + p.Y"}},
		{name: "user struct field", code: "p.X‸", found: true, plain: []string{"type Point struct"}},
		{name: "user func signature only", code: "NewPoint‸()", found: true, plain: []string{"func NewPoint() *Point"}, not: []string{"return"}},
		{name: "user var", code: "counter‸", found: true, plain: []string{"counter := 0"}},
		{name: "user const", code: "Limit‸", found: true, plain: []string{"const Limit = 10"}},
		{name: "stdlib method through a var", code: "b.WriteStr‸ing(\"x\")", found: true, plain: []string{"func (b *Builder) WriteString(s string) (int, error)"}},
		{name: "stdlib method through constructor", code: "r.Len‸", found: true, plain: []string{"func (r *Reader) Len() int"}},
		{name: "definition in the edited cell", code: "// Twice doubles.\nfunc Twice(x int) int { return 2 * x }\nTwice‸(3)", found: true,
			plain: []string{"func Twice(x int) int", "Twice doubles."}},
		{name: "local in the edited cell", code: "for i, word := range words {\n\tfmt.Println(wo‸rd)", found: true, plain: []string{"range words"}},
		{name: "display member", code: "display.HTML‸", found: true, plain: []string{"display.HTML", "text/html"}},
		{name: "display package", code: "displ‸ay", found: true, plain: []string{"package display"}},
		{name: "non-ASCII before the cursor", code: "s := \"日本語 ünïcode\"\nstrings.ToLow‸er(s)", found: true, plain: []string{"func ToLower(s string) string"}},
		{name: "unknown name", code: "nosuchthing‸", found: false},
		{name: "unknown member", code: "strings.NoSuchFunc‸", found: false},
		{name: "keyword", code: "for‸", found: false},
		{name: "inside a comment", code: "// strings.ToUpper‸ is", found: false},
		{name: "on a magic line", code: "%time strings‸", found: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, cursor := at(t, tt.code)
			got, found := Inspect(sessionScope, code, cursor, tt.detail)
			if found != tt.found {
				t.Fatalf("found = %v, want %v (plain %q)", found, tt.found, got.Plain)
			}
			if !found {
				if got != (Inspection{}) {
					t.Errorf("not found but returned %+v", got)
				}
				return
			}
			for _, w := range tt.plain {
				if !strings.Contains(got.Plain, w) {
					t.Errorf("plain %q lacks %q", got.Plain, w)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(got.Plain, w) {
					t.Errorf("plain %q contains %q", got.Plain, w)
				}
			}
			if !strings.HasPrefix(got.Markdown, "```go\n") {
				t.Errorf("markdown does not start with a Go code block: %q", got.Markdown)
			}
		})
	}
}

func TestReflectDescription(t *testing.T) {
	// The fallback used when GOROOT has no sources.
	tests := []struct{ pkg, member, want string }{
		{"strings", "ToUpper", "func strings.ToUpper(string) string"},
		{"strings", "Builder", "type strings.Builder struct"},
		{"os", "Args", "os.Args []string"},
	}
	for _, tt := range tests {
		v, ok := stdSymbol(tt.pkg, tt.member)
		if !ok {
			t.Fatalf("no symbol %s.%s", tt.pkg, tt.member)
		}
		if got := reflectDescription(tt.pkg, tt.member, v); got != tt.want {
			t.Errorf("reflectDescription(%s.%s) = %q, want %q", tt.pkg, tt.member, got, tt.want)
		}
	}
}
