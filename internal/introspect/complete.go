package introspect

import (
	"go/token"
	"sort"
	"strings"

	"github.com/juggler-kernel/juggler/internal/cell"
)

// Complete returns the completions of the identifier or selector before
// cursor (in code points) and the range [start, end) of code, also in code
// points, that a chosen match replaces. Without a qualifier it offers
// keywords, builtins, package names and everything the session and the cell
// define; after `pkg.` the package's exported members; after `x.` the fields
// and methods of x's type when the source shows it. Matches are sorted and
// unique; matches is empty (not nil) when there is nothing to offer, e.g.
// inside a string or a comment.
func Complete(s Scope, code string, cursor int) (matches []string, start, end int) {
	cur := runeToByte(code, cursor)
	cursor = byteToRune(code, cur)
	matches = []string{}
	cs := cell.Classify(code)
	if cs.MagicAt(cur) {
		return matches, cursor, cursor
	}
	before := cs.Text[:cur]
	toks, errs := scan(before)
	if insideLiteral(before, toks, errs) {
		return matches, cursor, cursor
	}
	prefix, prefixStart, qual, ok := completionContext(toks, len(before))
	if !ok {
		return matches, cursor, cursor
	}
	e := newEnv(s, code)
	var cands []string
	if qual == "" {
		cands = e.topLevelNames()
	} else {
		cands = e.memberNames(qual)
	}
	seen := map[string]bool{}
	for _, c := range cands {
		if strings.HasPrefix(c, prefix) && !seen[c] {
			seen[c] = true
			matches = append(matches, c)
		}
	}
	sort.Strings(matches)
	return matches, byteToRune(code, prefixStart), cursor
}

// completionContext reads the tokens that end at the cursor: the identifier
// being typed (possibly empty) with its start offset, and the identifier
// before a dot, if any. ok is false where no completion applies, e.g. right
// after a number or a chained selector we cannot resolve.
func completionContext(toks []tok, cur int) (prefix string, start int, qual string, ok bool) {
	// Ignore the semicolon the scanner adds at the end of the input.
	for len(toks) > 0 && isImplicitSemi(toks[len(toks)-1]) && toks[len(toks)-1].start == cur {
		toks = toks[:len(toks)-1]
	}
	start = cur
	n := len(toks)
	if n > 0 {
		last := toks[n-1]
		if last.end == cur && (last.tok == token.IDENT || last.tok.IsKeyword()) {
			prefix, start = last.lit, last.start
			n--
		} else if last.end == cur && last.tok != token.PERIOD {
			// Directly after an operator or a bracket: offer everything,
			// but after a literal (`3.`, `"x"`) there is nothing to offer.
			return "", cur, "", !last.tok.IsLiteral()
		}
	}
	if n > 0 && toks[n-1].tok == token.PERIOD && toks[n-1].end == start {
		if n < 2 || toks[n-2].tok != token.IDENT || toks[n-2].end != toks[n-1].start {
			return "", 0, "", false
		}
		if n >= 3 && toks[n-3].tok == token.PERIOD {
			return "", 0, "", false // a.b.c: would need type checking
		}
		qual = toks[n-2].lit
	}
	return prefix, start, qual, true
}

// topLevelNames is every unqualified name a cell can use.
func (e *env) topLevelNames() []string {
	var out []string
	out = append(out, keywords...)
	for b := range builtins {
		out = append(out, b)
	}
	out = append(out, std().names...)
	out = append(out, displayPackage)
	for name := range e.imports {
		out = append(out, name)
	}
	for name := range e.decls {
		out = append(out, name)
	}
	for name := range e.locals {
		out = append(out, name)
	}
	return out
}

// memberNames lists what can follow `qual.`: a variable's fields and
// methods, a user type's methods (method expressions) or a package's
// exported members. Variables shadow packages, as in Go.
func (e *env) memberNames(qual string) []string {
	if d, ok := e.variable(qual); ok && (d.kind == "var" || d.kind == "const") {
		if ms, ok := e.varType(d); ok {
			return e.members(ms)
		}
		return nil
	}
	if d, ok := e.decls[qual]; ok && d.kind == "type" {
		var out []string
		for m := range e.methods[qual] {
			out = append(out, m)
		}
		return out
	}
	p, ok := e.packagePath(qual)
	if !ok {
		return nil
	}
	if p == displayPackage {
		var out []string
		for m := range displayMembers {
			out = append(out, m)
		}
		return out
	}
	return stdMembers(p)
}
