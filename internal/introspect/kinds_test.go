package introspect

import "testing"

func TestKinds(t *testing.T) {
	s := Scope{Cells: []string{
		"type Point struct{ X, Y int }\nfunc (p Point) Norm() int { return p.X + p.Y }",
		"func helper() {}\nconst limit = 3\nvar counter int",
		"pt := Point{}\nvar sb strings.Builder",
	}}
	for _, tc := range []struct {
		code string
		want map[string]string
	}{
		{"strings.To", map[string]string{"ToUpper": "func", "ToLower": "func"}},
		{"strings.Build", map[string]string{"Builder": "type"}},
		{"os.Arg", map[string]string{"Args": "var"}},
		{"math.P", map[string]string{"Pi": "const"}},
		{"display.HT", map[string]string{"HTML": "func"}},
		{"fm", map[string]string{"fmt": "package"}},
		{"fo", map[string]string{"for": "keyword"}},
		{"le", map[string]string{"len": "func"}},
		{"stri", map[string]string{"string": "type", "strings": "package"}},
		{"hel", map[string]string{"helper": "func"}},
		{"lim", map[string]string{"limit": "const"}},
		{"count", map[string]string{"counter": "var"}},
		{"Poi", map[string]string{"Point": "type"}},
		{"pt.", map[string]string{"X": "field", "Norm": "method"}},
		{"sb.", map[string]string{"String": "method", "WriteString": "method"}},
		{"Point.", map[string]string{"Norm": "method"}},
		{"local := 1\nloc", map[string]string{"local": "var"}},
	} {
		cursor := len([]rune(tc.code))
		matches, _, _ := Complete(s, tc.code, cursor)
		kinds := Kinds(s, tc.code, cursor, matches)
		if len(kinds) != len(matches) {
			t.Fatalf("%q: %d kinds for %d matches", tc.code, len(kinds), len(matches))
		}
		got := map[string]string{}
		for i, m := range matches {
			got[m] = kinds[i]
		}
		for name, want := range tc.want {
			k, ok := got[name]
			if !ok {
				t.Errorf("%q: %s not among the matches %v", tc.code, name, matches)
				continue
			}
			if k != want {
				t.Errorf("%q: kind of %s = %q, want %q", tc.code, name, k, want)
			}
		}
	}
}
