package introspect

import "testing"

func TestIsComplete(t *testing.T) {
	tests := []struct {
		code, status, indent string
	}{
		// Nothing to wait for.
		{"", StatusComplete, ""},
		{"   \n\t\n", StatusComplete, ""},
		{"%help", StatusComplete, ""},
		{"%%trace --procs 2\n", StatusComplete, ""},
		{"// just a comment", StatusComplete, ""},
		{"x := 1", StatusComplete, ""},
		{"6*7", StatusComplete, ""},
		{"fmt.Println(\"héllo 日本\")", StatusComplete, ""},
		{"func f() {}", StatusComplete, ""},
		{"func f()", StatusComplete, ""}, // a declaration without body is valid syntax
		{"x := []int{\n\t1,\n\t2,\n}", StatusComplete, ""},
		{"func() { fmt.Println(1) }()", StatusComplete, ""},
		{"type T struct{}\nfunc (t T) M() {}\nx := T{}\nx.M()", StatusComplete, ""},
		{"%%trace\nfor i := 0; i < 3; i++ {\n\tgo f(i)\n}", StatusComplete, ""},
		{"i++", StatusComplete, ""},
		{"return", StatusComplete, ""},
		{"import \"fmt\"\nfmt.Println(1)", StatusComplete, ""},
		{"s := `multi\nline`", StatusComplete, ""},
		{"s := `\n%d items\n`", StatusComplete, ""},
		{"package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(1) }", StatusComplete, ""},
		{"s := `\n%d items", StatusIncomplete, ""},
		{"s := `\n%d items`", StatusComplete, ""}, // the % line ends the raw string

		// Open brackets: indent one level per bracket.
		{"func f() {", StatusIncomplete, "    "},
		{"func f() {\n\tif x {", StatusIncomplete, "        "},
		{"foo(a,\n\tb", StatusIncomplete, "    "},
		{"x := []int{", StatusIncomplete, "    "},
		{"m := map[string]int{\n\t\"a\": 1,", StatusIncomplete, "    "},
		{"%%time\nfor {", StatusIncomplete, "    "},

		// Open raw strings and comments: no indent, it would be content.
		{"s := `abc", StatusIncomplete, ""},
		{"/* abc", StatusIncomplete, ""},

		// The last token wants an operand.
		{"x := 1 +", StatusIncomplete, "    "},
		{"ok := a &&", StatusIncomplete, "    "},
		{"a, b :=", StatusIncomplete, "    "},
		{"x = ", StatusIncomplete, "    "},
		{"y := x.", StatusIncomplete, "    "},
		{"ch <-", StatusIncomplete, "    "},
		{"if x {\n} else", StatusIncomplete, "    "},
		{"for", StatusIncomplete, "    "},
		{"x := 1 + // more below", StatusIncomplete, "    "},

		// No amount of typing fixes these.
		{"x := )", StatusInvalid, ""},
		{"}", StatusInvalid, ""},
		{"foo(]", StatusInvalid, ""},
		{"} else {", StatusInvalid, ""},
		{"fmt.Println(\"abc)", StatusInvalid, ""},
		{"x ::= 3", StatusInvalid, ""},
		{"if x\n", StatusInvalid, ""},
		{"func f() {}\nx := 1 2", StatusInvalid, ""},
		{"var x", StatusInvalid, ""},
		{"x := 'ab'", StatusInvalid, ""},
		{"x := 1 @ 2", StatusInvalid, ""},
	}
	for _, tt := range tests {
		status, indent := IsComplete(tt.code)
		if status != tt.status || indent != tt.indent {
			t.Errorf("IsComplete(%q) = %q, %q; want %q, %q", tt.code, status, indent, tt.status, tt.indent)
		}
	}
}
