package introspect

import (
	"slices"
	"sort"
	"testing"
)

func TestParseCell(t *testing.T) {
	tests := []struct {
		name    string
		code    string
		decls   []string // kind:name (methods as method:Recv.Name), sorted
		imports []string // name=path
		locals  []string // subset expected among the locals
	}{
		{
			name:  "declarations only",
			code:  "// F doubles.\nfunc F(x int) int { return 2 * x }\ntype T struct{ A int }\nvar v, w = 1, 2\nconst C = 3",
			decls: []string{"const:C", "func:F", "type:T", "var:v", "var:w"},
		},
		{
			name:    "mixed declarations and statements",
			code:    "import \"strings\"\nx := 1\nfunc g() {}\nfmt.Println(x)\ny, z := f()\ntype U int",
			decls:   []string{"func:g", "type:U", "var:x", "var:y", "var:z"},
			imports: []string{"strings=strings"},
		},
		{
			name:  "magic lines are ignored",
			code:  "%%trace --procs 2\nfunc h() {}\n%time\nn := 3",
			decls: []string{"func:h", "var:n"},
		},
		{
			name:  "methods",
			code:  "type P struct{}\nfunc (p *P) M() {}\nfunc (P) N() int { return 1 }\np := P{}",
			decls: []string{"method:P.M", "method:P.N", "type:P", "var:p"},
		},
		{
			name:  "function literal at column 0 is a statement",
			code:  "a := 1\nfunc() { b := 2; _ = b }()",
			decls: []string{"var:a"},
		},
		{
			name:    "aliased and versioned imports",
			code:    "import (\n\tstr \"strings\"\n\t\"math/rand/v2\"\n\t_ \"embed\"\n)\nimport \"example.com/go-thing/v3\"",
			imports: []string{"rand=math/rand/v2", "str=strings", "thing=example.com/go-thing/v3"},
		},
		{
			name:  "syntax error in one unit keeps the others",
			code:  "func good() {}\nfunc bad( {\n\tx := 1\n}\nfunc after() {}\ny := 2\n",
			decls: []string{"func:after", "func:bad", "func:good", "var:y"},
		},
		{
			name:   "semicolons on one line and in for headers",
			code:   "a := 1; b := 2\nfor i := 0; i < 3; i++ {\n\tc := i\n\t_ = c\n}",
			decls:  []string{"var:a", "var:b"},
			locals: []string{"c", "i"},
		},
		{
			name:  "valid unindented body is not split at column 0",
			code:  "func f() {\nvar inner = 1\n_ = inner\n}\nz := 0",
			decls: []string{"func:f", "var:z"},
		},
		{
			name:  "broken statement falls back to a token scan",
			code:  "k, l := 1,\nfunc ok() {}",
			decls: []string{"func:ok", "var:k", "var:l"},
		},
		{
			name:   "locals inside functions and blocks",
			code:   "func f(in string) (out int) {\n\tfor i, r := range in { _ = i; _ = r }\n\tvar tmp int\n\treturn tmp\n}\nif ok := true; ok { inner := 1; _ = inner }",
			decls:  []string{"func:f"},
			locals: []string{"i", "in", "inner", "ok", "out", "r", "tmp"},
		},
		{
			name:  "grouped var and var statement between statements",
			code:  "fmt.Println(1)\nvar (\n\tq = 1\n\tr string\n)\nfmt.Println(q)",
			decls: []string{"var:q", "var:r"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ci := parseCell(tt.code)
			var decls, imports, locals []string
			for _, d := range ci.decls {
				if d.kind == "method" {
					decls = append(decls, "method:"+d.recv+"."+d.name)
				} else {
					decls = append(decls, d.kind+":"+d.name)
				}
			}
			for _, im := range ci.imports {
				imports = append(imports, im.name+"="+im.path)
			}
			for _, d := range ci.locals {
				locals = append(locals, d.name)
			}
			sort.Strings(decls)
			sort.Strings(imports)
			if !slices.Equal(decls, tt.decls) {
				t.Errorf("decls = %v, want %v", decls, tt.decls)
			}
			if !slices.Equal(imports, tt.imports) {
				t.Errorf("imports = %v, want %v", imports, tt.imports)
			}
			for _, l := range tt.locals {
				if !slices.Contains(locals, l) {
					t.Errorf("locals %v lack %q", locals, l)
				}
			}
		})
	}
}

func TestParseCellDetails(t *testing.T) {
	ci := parseCell("// Point is a point\n// in the plane.\ntype Point struct {\n\tX, Y int\n\tfmt.Stringer\n}\n\n// Add adds.\nfunc Add(a, b int) int {\n\treturn a + b\n}\np := &Point{}\nr := strings.NewReader(\"\")\n_, w := io.Pipe()\n")
	byName := map[string]userDecl{}
	for _, d := range ci.decls {
		byName[d.name] = d
	}
	tests := []struct{ name, field, got, want string }{
		{"Point", "doc", byName["Point"].doc, "Point is a point\nin the plane.\n"},
		{"Point", "src", byName["Point"].src, "type Point struct {\n\tX, Y int\n\tfmt.Stringer\n}"},
		{"Point", "fields", fmtList(byName["Point"].fields), "X,Y,Stringer"},
		{"Add", "src", byName["Add"].src, "func Add(a, b int) int"},
		{"Add", "full", byName["Add"].full, "func Add(a, b int) int {\n\treturn a + b\n}"},
		{"Add", "doc", byName["Add"].doc, "Add adds.\n"},
		{"Add", "resultType", byName["Add"].resultType, "int"},
		{"p", "typ", byName["p"].typ, "*Point"},
		{"r", "call", byName["r"].call, "strings.NewReader"},
		{"w", "call", byName["w"].call, "io.Pipe"},
		{"w", "result", fmtInt(byName["w"].result), "1"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s.%s = %q, want %q", tt.name, tt.field, tt.got, tt.want)
		}
	}
}

func fmtList(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += ","
		}
		out += x
	}
	return out
}

func fmtInt(i int) string { return string(rune('0' + i)) }
