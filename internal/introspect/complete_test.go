package introspect

import (
	"slices"
	"testing"
)

// sessionScope is a small session: what earlier cells defined.
var sessionScope = Scope{Cells: []string{
	"%%time\nimport (\n\t\"strings\"\n\tstr \"strings\"\n)\n",
	"// Point is a point.\ntype Point struct{ X, Y int }\n\n// Norm is the L1 norm.\nfunc (p Point) Norm() int { return p.X + p.Y }\np := Point{1, 2}\nvar b strings.Builder\nr := strings.NewReader(\"x\")\n",
	"func NewPoint() *Point { return &Point{} }\nnp := NewPoint()\ncounter := 0\nconst Limit = 10\n",
	"fmt.Println(counter)", // statements only: defines nothing
}}

func TestComplete(t *testing.T) {
	tests := []struct {
		name  string
		code  string // with the cursor marked by cursorMark
		want  []string
		exact bool   // want is the whole answer, not a subset
		token string // the text [start, end) covers
	}{
		{name: "package member", code: "strings.ToUpp‸", want: []string{"ToUpper", "ToUpperSpecial"}, exact: true, token: "ToUpp"},
		{name: "after dot", code: "fmt.‸", want: []string{"Println", "Sprintf", "Errorf"}, token: ""},
		{name: "aliased import", code: "str.HasPref‸", want: []string{"HasPrefix"}, exact: true, token: "HasPref"},
		{name: "package not imported yet", code: "x := time.Seco‸", want: []string{"Second"}, exact: true, token: "Seco"},
		{name: "generic package from source", code: "slices.Sor‸", want: []string{"Sort", "SortFunc", "SortStableFunc"}, token: "Sor"},
		{name: "ambiguous name prefers math/rand", code: "rand.Intn‸", want: []string{"Intn"}, exact: true, token: "Intn"},
		{name: "display package", code: "display.‸", want: []string{"Clear", "HTML", "Image", "JPEG", "JSON", "Markdown", "New", "PNG", "SVG", "Text"}, exact: true, token: ""},
		{name: "keywords and builtins", code: "fu‸", want: []string{"func"}, token: "fu"},
		{name: "builtins", code: "x := le‸", want: []string{"len"}, token: "le"},
		{name: "builtin types", code: "var f floa‸", want: []string{"float32", "float64"}, exact: true, token: "floa"},
		{name: "package names", code: "str‸", want: []string{"str", "strconv", "string", "strings"}, token: "str"},
		{name: "session definitions", code: "Poi‸", want: []string{"Point"}, exact: true, token: "Poi"},
		{name: "session vars and consts", code: "fmt.Println(coun‸)", want: []string{"counter"}, exact: true, token: "coun"},
		{name: "consts", code: "Lim‸", want: []string{"Limit"}, exact: true, token: "Lim"},
		{name: "in a raw string line that starts with %", code: "s := `\n%d ‸", want: []string{}, exact: true, token: ""},
		{name: "after a raw string line that starts with %", code: "s := `\n%d`\nfmt.Sprin‸", want: []string{"Sprint", "Sprintf", "Sprintln"}, exact: true, token: "Sprin"},
		{name: "a pasted program's own names", code: "package main\n\ntype pasted struct{}\n\nfunc main() {\n\tvar p past‸", want: []string{"pasted"}, exact: true, token: "past"},
		{name: "definitions of the cell itself", code: "totalCount := 3\nfunc helperFn() {}\ntot‸", want: []string{"totalCount"}, exact: true, token: "tot"},
		{name: "locals of the cell", code: "for idx := range 3 {\n\tfmt.Println(id‸", want: []string{"idx"}, token: "id"},
		{name: "struct fields and methods", code: "p.‸", want: []string{"Norm", "X", "Y"}, exact: true, token: ""},
		{name: "pointer from user constructor", code: "np.No‸", want: []string{"Norm"}, exact: true, token: "No"},
		{name: "stdlib type var", code: "b.WriteS‸", want: []string{"WriteString"}, exact: true, token: "WriteS"},
		{name: "stdlib constructor result", code: "r.ReadR‸", want: []string{"ReadRune"}, exact: true, token: "ReadR"},
		{name: "composite literal in the cell", code: "u := url.URL{}\nu.Hos‸", want: []string{"Host"}, token: "Hos"},
		{name: "method expression", code: "Point.‸", want: []string{"Norm"}, exact: true, token: ""},
		{name: "non-ASCII before the cursor", code: "s := \"héllo wörld 日本\"\nstrings.ToLow‸", want: []string{"ToLower", "ToLowerSpecial"}, exact: true, token: "ToLow"},
		{name: "non-ASCII identifier", code: "größe := 1\ngrö‸", want: []string{"größe"}, exact: true, token: "grö"},
		{name: "cursor mid-identifier", code: "strings.ToU‸pper", want: []string{"ToUpper", "ToUpperSpecial"}, exact: true, token: "ToU"},
		{name: "inside a string", code: "x := \"strings.ToU‸", want: nil, exact: true, token: ""},
		{name: "inside a raw string", code: "x := `a\nfm‸", want: nil, exact: true, token: ""},
		{name: "inside a comment", code: "// fm‸", want: nil, exact: true, token: ""},
		{name: "on a magic line", code: "%hel‸", want: nil, exact: true, token: ""},
		{name: "after a magic line", code: "%%time\nfm‸", want: []string{"fmt"}, exact: true, token: "fm"},
		{name: "after a number", code: "x := 3.‸", want: nil, exact: true, token: ""},
		{name: "unknown package", code: "nosuchpkg.F‸", want: nil, exact: true, token: "F"},
		{name: "chained selector", code: "a.b.c‸", want: nil, exact: true, token: ""},
		{name: "variable of unknown type", code: "q := f()\nq.‸", want: nil, exact: true, token: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, cursor := at(t, tt.code)
			got, start, end := Complete(sessionScope, code, cursor)
			if got == nil {
				t.Fatal("matches is nil, want a non-nil slice")
			}
			if !slices.IsSorted(got) || len(slices.Compact(slices.Clone(got))) != len(got) {
				t.Errorf("matches not sorted and unique: %v", got)
			}
			if tt.exact {
				if !slices.Equal(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
					t.Errorf("matches = %v, want %v", got, tt.want)
				}
			} else {
				for _, w := range tt.want {
					if !slices.Contains(got, w) {
						t.Errorf("matches %v lack %q", got, w)
					}
				}
			}
			if end != cursor {
				t.Errorf("end = %d, want the cursor %d", end, cursor)
			}
			runes := []rune(code)
			if start < 0 || start > end || end > len(runes) {
				t.Fatalf("range [%d, %d) outside the code", start, end)
			}
			if tok := string(runes[start:end]); tok != tt.token {
				t.Errorf("replaced token = %q, want %q", tok, tt.token)
			}
		})
	}
}

func TestCompleteEmptyPrefixOffersEverything(t *testing.T) {
	got, start, end := Complete(sessionScope, "fmt.Println(", 12)
	for _, w := range []string{"Point", "append", "counter", "display", "for", "strings"} {
		if !slices.Contains(got, w) {
			t.Errorf("matches lack %q", w)
		}
	}
	if start != 12 || end != 12 {
		t.Errorf("range = [%d, %d), want [12, 12)", start, end)
	}
}

func TestCompleteLaterCellsShadowEarlier(t *testing.T) {
	s := Scope{Cells: []string{"type T struct{ Old int }\nv := T{}", "type T struct{ New int }"}}
	got, _, _ := Complete(s, "v.", 2)
	if !slices.Equal(got, []string{"New"}) {
		t.Errorf("matches = %v, want [New]", got)
	}
}

// The generic members of a package with a symbol table are offered too.
func TestCompleteGenericStdMembers(t *testing.T) {
	for _, m := range []struct{ pkg, member string }{{"errors", "AsType"}, {"slices", "Collect"}, {"sync", "OnceValue"}, {"iter", "Pull"}} {
		found := false
		for _, x := range stdMembers(m.pkg) {
			found = found || x == m.member
		}
		if !found {
			t.Errorf("%s.%s not among the members offered", m.pkg, m.member)
		}
	}
}
