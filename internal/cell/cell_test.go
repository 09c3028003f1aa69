package cell

import (
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name     string
		code     string
		kinds    []Kind
		last     string
		lastCall string
		imports  []string
		uses     map[string][]string
		defines  []string
		magics   int
	}{
		{name: "expression", code: "6*7", last: "6*7", uses: map[string][]string{}},
		{name: "declarations then statements", code: "type P struct{ X int }\nfunc (p P) Get() int { return p.X }\np := P{1}\np.Get()",
			kinds: []Kind{Decl, Stmt}, last: "p.Get()", lastCall: "Get", uses: map[string][]string{}, defines: []string{"P", "p"}},
		{name: "statement between declarations", code: "x := 1\nfunc f() int { return x }\nf()",
			kinds: []Kind{Stmt, Decl}, last: "f()", lastCall: "f", uses: map[string][]string{}, defines: []string{"x", "f"}},
		{name: "imports and package uses", code: "import (\n\t\"fmt\"\n\tstr \"strings\"\n)\nfmt.Println(str.ToUpper(\"a\"), bytes.MinRead)",
			last: "fmt.Println(str.ToUpper(\"a\"), bytes.MinRead)", lastCall: "Println", imports: []string{"fmt", "str=strings"},
			uses: map[string][]string{"bytes": {"MinRead"}, "fmt": {"Println"}, "str": {"ToUpper"}}},
		{name: "local variable shadows a package name", code: "strings := []string{}\n_ = strings", kinds: []Kind{Stmt}, uses: map[string][]string{}, defines: []string{"strings"}},
		{name: "func literal call is a statement", code: "func() { println(1) }()", last: "func() { println(1) }()", uses: map[string][]string{}},
		{name: "magic line", code: "%%trace\nfor i := 0; i < 2; i++ {\n}", kinds: []Kind{Stmt}, magics: 1, uses: map[string][]string{}},
		{name: "no trailing expression", code: "var y = 2", kinds: []Kind{Decl}, uses: map[string][]string{}, defines: []string{"y"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse(tt.code)
			if err != nil {
				t.Fatal(err)
			}
			var kinds []Kind
			for _, ch := range c.Chunks {
				kinds = append(kinds, ch.Kind)
			}
			if !reflect.DeepEqual(kinds, tt.kinds) {
				t.Errorf("kinds = %v, want %v", kinds, tt.kinds)
			}
			last := ""
			if c.Last != "" {
				last = c.Last[strings.LastIndex(c.Last, "\n")+1:]
			}
			if last != tt.last || c.LastCall != tt.lastCall {
				t.Errorf("last = %q (%q), want %q (%q)", last, c.LastCall, tt.last, tt.lastCall)
			}
			var imports []string
			for _, imp := range c.Imports {
				s := imp.Path
				if imp.Name != "" {
					s = imp.Name + "=" + s
				}
				imports = append(imports, s)
			}
			if !reflect.DeepEqual(imports, tt.imports) {
				t.Errorf("imports = %v, want %v", imports, tt.imports)
			}
			if !reflect.DeepEqual(c.Uses, tt.uses) {
				t.Errorf("uses = %v, want %v", c.Uses, tt.uses)
			}
			if !reflect.DeepEqual(c.Defines, tt.defines) {
				t.Errorf("defines = %v, want %v", c.Defines, tt.defines)
			}
			if len(c.Magics) != tt.magics {
				t.Errorf("magics = %v", c.Magics)
			}
		})
	}
}

func TestPositions(t *testing.T) {
	c, err := Parse("%help\nx := 1\n\nfunc f() {}\n  y := 2")
	if err != nil {
		t.Fatal(err)
	}
	want := []int{2, 4, 5}
	for i, ch := range c.Chunks {
		if ch.Line != want[i] {
			t.Errorf("chunk %d line = %d, want %d", i, ch.Line, want[i])
		}
	}
	if !strings.Contains(c.Chunks[2].Src, "//line _.go:5:3\n") {
		t.Errorf("chunk source lacks its directive: %q", c.Chunks[2].Src)
	}
}

func TestSyntaxError(t *testing.T) {
	_, err := Parse("x := 1\ny := )")
	e, ok := err.(*Error)
	if !ok || e.Line != 2 {
		t.Fatalf("err = %v, want a line 2 error", err)
	}
}

func TestClauseSemicolons(t *testing.T) {
	for _, code := range []string{
		"for i := 0; i < 2; i++ {\n}",
		"if x := 1; x > 0 {\n}",
		"switch y := 2; y {\n}",
		"n := 0; n++; n",
	} {
		c, err := Parse(code)
		if err != nil {
			t.Errorf("%q: %v", code, err)
			continue
		}
		if strings.Count(code, "{") > 0 && (len(c.Chunks) != 1 || c.Last != "") {
			t.Errorf("%q split into %d chunks, last %q", code, len(c.Chunks), c.Last)
		}
	}
}

func TestDefsAndVars(t *testing.T) {
	c, err := Parse("type P struct{ X int }\nfunc (p *P) Get() int { return p.X + base }\nconst (\n\tA = iota\n\tB\n)\nfunc f() {}\nvar q P\nvar n = 3\np := P{1}\npp := &P{2}\nm := make(map[string]int)\nk, err := strconv.Atoi(\"1\")")
	if err != nil {
		t.Fatal(err)
	}
	var defs []string
	for _, d := range c.Defs {
		defs = append(defs, string(d.Kind)+":"+strings.Join(d.Names, ","))
	}
	if want := []string{"type:P", "method:P.Get", "const:A,B", "func:f"}; !reflect.DeepEqual(defs, want) {
		t.Errorf("defs = %v, want %v", defs, want)
	}
	if !strings.Contains(c.Defs[1].Src, "//line _.go:2:1\nfunc (p *P) Get()") {
		t.Errorf("method source = %q", c.Defs[1].Src)
	}
	if !reflect.DeepEqual(c.Defs[1].Refs, []string{"p", "P", "Get", "int", "base"}) {
		t.Errorf("refs = %v", c.Defs[1].Refs)
	}
	var vars []string
	for _, v := range c.Vars {
		vars = append(vars, v.Name+":"+v.Type)
	}
	if want := []string{"q:P", "n:", "p:P", "pp:*P", "m:map[string]int", "k:", "err:"}; !reflect.DeepEqual(vars, want) {
		t.Errorf("vars = %v, want %v", vars, want)
	}
}

// A go statement of a func literal without arguments passes the literal to
// the kernel's helper as it is, unless the literal uses a loop's variables:
// the interpreter reuses those across iterations, and only a closure's own
// frame keeps each iteration's.
func TestGoStmtForms(t *testing.T) {
	for _, tc := range []struct {
		code, want string
	}{
		{"var wg sync.WaitGroup\nfor i := 0; i < 3; i++ {\n\tgo func() { wg.Done() }()\n}",
			GoFunc + `(1, 3, "func literal", func() { wg.Done() })`},
		{"for i := 0; i < 3; i++ {\n\tgo func() { println(i) }()\n}",
			GoFunc + `(1, 2, "func literal", func() func() { __f := func() { println(i) }; return func() { __f() } }())`},
		{"go work(1, x)",
			GoFunc + `(1, 1, "work", func() func() { __f, __a1 := work, x; return func() { __f(1, __a1) } }())`},
	} {
		c, err := ParseWith(tc.code, Options{Count: 1})
		if err != nil {
			t.Fatal(err)
		}
		var src strings.Builder
		for _, ch := range c.Chunks {
			src.WriteString(ch.Src)
		}
		if !strings.Contains(src.String(), tc.want) {
			t.Errorf("%q became\n%s\nwant it to contain %s", tc.code, src.String(), tc.want)
		}
	}
}

// A loop at the top level of a cell runs inside a function literal (see
// wrapLoop), on the same lines, unless it has a return, defer, goto or
// label that the literal would change.
func TestLoopWrap(t *testing.T) {
	for _, tc := range []struct {
		code    string
		wrapped bool
	}{
		{"n := 0\nfor i := 0; i < 3; i++ {\n\tn += i\n}", true},
		{"for _, x := range xs {\n\tprintln(x)\n}", true},
		{"for i := 0; i < 3; i++ {\n\tdefer println(i)\n}", false},
		{"outer:\nfor i := 0; i < 3; i++ {\n\tbreak outer\n}", false},
		{"for {\n\tgo func() { return }()\n\tbreak\n}", true},
	} {
		c, err := ParseWith(tc.code, Options{Count: 1})
		if err != nil {
			t.Fatal(err)
		}
		var src strings.Builder
		for _, ch := range c.Chunks {
			src.WriteString(ch.Src)
		}
		got := strings.Contains(src.String(), "func() { for")
		if got != tc.wrapped || (len(c.Wrapped) > 0) != tc.wrapped {
			t.Errorf("%q: wrapped %v (lines %v), want %v:\n%s", tc.code, got, c.Wrapped, tc.wrapped, src.String())
		}
		if strings.Count(src.String(), "\n") < strings.Count(tc.code, "\n") {
			t.Errorf("%q: lines lost:\n%s", tc.code, src.String())
		}
	}
}
