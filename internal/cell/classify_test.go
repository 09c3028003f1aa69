package cell

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func TestClassifyMagics(t *testing.T) {
	tests := []struct {
		name, code string
		magics     []string // "line:text"
	}{
		{"alone", "%help", []string{"1:%help"}},
		{"first line with args", "%%trace --procs 2\nx := 1", []string{"1:%%trace --procs 2"}},
		{"indented, and % as an operator", "x := 1\n  %time\ny := 10 % 3", []string{"2:%time"}},
		{"raw string line", "s := `\n%d items\n`", nil},
		{"raw string line ending it", "s := `\n%d items`\n%help", []string{"3:%help"}},
		{"block comment", "/*\n%help\n*/\nx := 1", nil},
		{"line comment", "// %help\nx := 1", nil},
		{"operator at a line end", "x := 10 %\n3", nil},
		{"magic holding a backquote", "%time `x\ny := 1\n%help", []string{"1:%time `x", "3:%help"}},
		{"modulo-assign at line start", "%= 3", []string{"1:%= 3"}},
		{"after a cell of code", "for i := 0; i < 2; i++ {\n}\n%trace on", []string{"3:%trace on"}},
		{"CRLF line ends", "%help\r\ns := `a\r\n%b`\r\n%time\r\n", []string{"1:%help", "4:%time"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Classify(tt.code)
			var got []string
			for _, m := range s.Magics {
				got = append(got, strings.Join([]string{strconv.Itoa(m.Line), m.Text}, ":"))
				if !s.MagicAt(m.Start) || !s.MagicAt(m.End) || strings.TrimSpace(s.Text[m.Start:m.End]) != "" {
					t.Errorf("magic %q not blanked or not found at its offsets", m.Text)
				}
			}
			if !reflect.DeepEqual(got, tt.magics) {
				t.Errorf("magics = %q, want %q", got, tt.magics)
			}
			if len(s.Text) != len(tt.code) || strings.Count(s.Text, "\n") != strings.Count(tt.code, "\n") {
				t.Errorf("Text %q does not keep the cell's offsets", s.Text)
			}
		})
	}
}

func TestClassifyUnits(t *testing.T) {
	code := "package main\n\nimport \"fmt\"\n\n// f does nothing.\nfunc f() {}\nfunc (p P) M() {}\nx := 1; y := 2\nfor i := 0; i < 2; i++ {\n}\nfunc() { fmt.Println() }()"
	s := Classify(code)
	var kinds []UnitKind
	var texts []string
	for _, u := range s.Units {
		kinds = append(kinds, u.Kind)
		texts = append(texts, s.Text[u.Start:u.End])
	}
	want := []UnitKind{UnitPackage, UnitImport, UnitDecl, UnitDecl, UnitStmt, UnitStmt, UnitStmt, UnitStmt}
	if !reflect.DeepEqual(kinds, want) {
		t.Errorf("kinds = %v, want %v (units %q)", kinds, want, texts)
	}
	if s.Package == nil || s.Package.Name != "main" || s.Package.Line != 1 {
		t.Errorf("package = %+v", s.Package)
	}
	if u := s.Units[2]; !strings.HasPrefix(s.Text[u.Doc:], "// f does nothing.\nfunc f") {
		t.Errorf("f's doc starts at %q", s.Text[u.Doc:u.End])
	}
	if s.Units[4].Doc != s.Units[4].Start {
		t.Error("a unit with no comment above has a doc")
	}
	if len(s.Errs) != 0 {
		t.Errorf("errors: %v", s.Errs)
	}
}

func TestClassifyIsLenient(t *testing.T) {
	s := Classify("func f() {\n\tx := \nfunc g() {}\ns := `open")
	if len(s.Units) != 1 || len(s.Errs) == 0 {
		t.Errorf("units %+v, errors %v: want one unit (an unclosed brace) and the raw string's error", s.Units, s.Errs)
	}
	if units := Salvage(s.Text[s.Units[0].Start:s.Units[0].End]); len(units) != 3 {
		t.Errorf("salvaged %d units, want 3: f, g and s", len(units))
	}
}

func TestPackageClause(t *testing.T) {
	for _, tc := range []struct{ code, err string }{
		{"package main\n\nfunc f() {}", ""},
		{"%help\n// A program.\npackage main\nfunc f() {}", ""},
		{"package geometry\n\nfunc f() {}", "line 1: package geometry: cells are package main"},
		{"x := 1\npackage main", "line 2: a package clause must come first"},
		{"package /* c */ main\nfunc f() {}", ""},
		{"package\nfunc f() {}", "line 1: package clause without a package name"},
	} {
		c, err := Parse(tc.code)
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%q: %v", tc.code, err)
		case tc.err == "" && (len(c.Defs) != 1 || c.Defs[0].Names[0] != "f"):
			t.Errorf("%q: defs %+v", tc.code, c.Defs)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%q: err %v, want %q", tc.code, err, tc.err)
		}
	}
}

func TestInitAndMain(t *testing.T) {
	c, err := Parse("func init() {}\nfunc init() {}\nfunc main() {}")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c.Defines, []string{"main"}) || len(c.Defs) != 1 || c.Defs[0].Line != 3 {
		t.Errorf("defines %v, defs %+v: init declares nothing, main is at line 3", c.Defines, c.Defs)
	}
}

func TestInitAndMainSignatures(t *testing.T) {
	for _, code := range []string{"func main(args []string) {}", "func init() error { return nil }", "func main() int { return 0 }"} {
		_, err := Parse(code)
		if err == nil || !strings.Contains(err.Error(), "line 1: func") || !strings.Contains(err.Error(), "must have no arguments and no return values") {
			t.Errorf("%q: err %v, want Go's", code, err)
		}
	}
}

// FuzzClassify: any text, as a front end sends it while the user types,
// classifies without a panic, keeps its offsets, and its units lie in it
// in order.
func FuzzClassify(f *testing.F) {
	for _, s := range []string{"%help\nx := 1", "s := `\n%d`\n%%trace", "package main\nfunc main() {", "/*\n%x", "%`\n`", "for i := 0; i <", "func (", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, code string) {
		s := Classify(code)
		if len(s.Text) != len(code) {
			t.Fatalf("Text has %d bytes, the cell %d", len(s.Text), len(code))
		}
		end := 0
		for _, u := range s.Units {
			if u.Doc > u.Start || u.Start > u.End || u.End > len(code) || u.Doc < end {
				t.Fatalf("unit %+v out of order or out of the text (previous end %d)", u, end)
			}
			end = u.End
		}
		for _, m := range s.Magics {
			if !s.MagicAt(m.Start) {
				t.Fatalf("magic %+v not found at its start", m)
			}
		}
		_ = Salvage(s.Text)
		_, _ = Parse(code)
	})
}
