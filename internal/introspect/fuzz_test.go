package introspect

import "testing"

// FuzzIntrospect: completion, inspection and is_complete answer any text,
// half-typed as it is while the user types, at any cursor, without a
// panic.
func FuzzIntrospect(f *testing.F) {
	for _, s := range []string{"%help\nstrings.To", "s := `\n%d`\nfmt.Sprin", "package main\nfunc main() {\n\tp.", "type T struct{\nfunc f", "/*\n%x", ""} {
		f.Add(s, len(s))
	}
	f.Fuzz(func(t *testing.T, code string, cursor int) {
		Complete(sessionScope, code, cursor)
		Inspect(sessionScope, code, cursor, 1)
		IsComplete(code)
		Complete(Scope{Cells: []string{code}}, "x", 1)
	})
}
