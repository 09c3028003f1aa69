package cell

import (
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"strings"
	"unicode/utf8"
)

// Source is a cell as written, classified: its magic lines, its package
// clause and its top-level units. Classify is lenient: half-typed code, as a
// front end sends it for completion, still gets its units, and what the
// scanner found wrong is in Errs. It is the one place that decides what a
// magic line is and where a unit ends, for the kernel's magics, for
// completion and inspection, and for the interpreter.
type Source struct {
	// Text is the cell with every magic line overwritten by spaces, and
	// the carriage return of every CRLF line end too (Go drops those from
	// raw strings and comments anyway): the Go code, at the cell's own
	// byte offsets, lines and columns.
	Text   string
	Magics []Magic
	// Package is the package clause the cell starts with, or nil. Its
	// Name is "" when the clause has none.
	Package *Clause
	// Units are the top-level pieces of the Go code, in order.
	Units []Unit
	// Errs are the scanner's errors (an unterminated string, say).
	Errs scanner.ErrorList
}

// Clause is a package clause.
type Clause struct {
	Name      string
	Line, Col int
}

// UnitKind says what a top-level unit is.
type UnitKind int

// Kinds of Unit.
const (
	// UnitStmt is a statement, run in the session's main scope.
	UnitStmt UnitKind = iota
	// UnitDecl is a const, var, type, func or method declaration.
	UnitDecl
	// UnitImport is an import declaration.
	UnitImport
	// UnitPackage is a package clause.
	UnitPackage
)

// Unit is one top-level declaration or statement of a cell: it ends at a
// semicolon (written, or inserted at a line end) outside brackets and
// outside the header of an if, for or switch.
type Unit struct {
	Kind UnitKind
	// Start and End are the byte offsets of its first and past its last
	// token in Source.Text.
	Start, End int
	// Doc is where the comment block directly above it starts (its doc
	// comment), or Start.
	Doc int
	// First and Second are its first two tokens (Second is token.EOF for
	// a one-token unit).
	First, Second token.Token
}

// Classify classifies a cell. A magic is a line whose first non-blank
// character is % and that does not lie inside a raw string or a comment.
func Classify(code string) *Source {
	src := &Source{}
	src.Text, src.Magics = findMagics(code)
	src.Text = strings.ReplaceAll(src.Text, "\r\n", " \n")
	src.Units, src.Errs = splitUnits(src.Text, false)
	if len(src.Units) > 0 && src.Units[0].Kind == UnitPackage {
		u := src.Units[0]
		line, col := position(src.Text, u.Start)
		src.Package = &Clause{Line: line, Col: col}
		f, _ := parser.ParseFile(token.NewFileSet(), "", src.Text[u.Start:u.End], parser.PackageClauseOnly)
		if f != nil && f.Name != nil && f.Name.Name != "_" {
			src.Package.Name = f.Name.Name
		}
	}
	return src
}

// MagicAt reports whether byte offset off of the cell lies on a magic line.
func (s *Source) MagicAt(off int) bool {
	for _, m := range s.Magics {
		if m.Start <= off && off <= m.End {
			return true
		}
	}
	return false
}

// Salvage splits text, which does not parse, into smaller units: besides
// the ends of Classify's units, a line that starts at column 0 with func,
// type, var, const or import starts a new unit even inside brackets. An
// unclosed bracket then swallows only up to the next declaration.
func Salvage(text string) []Unit {
	units, _ := splitUnits(text, true)
	return units
}

// findMagics finds the magic lines of code and returns code with them
// overwritten by spaces. It scans in order: a magic line may hold a quote
// or a backquote, so the scan starts again after each one.
func findMagics(code string) (string, []Magic) {
	if !strings.Contains(code, "%") {
		return code, nil
	}
	b := []byte(code)
	var magics []Magic
	base := 0
	for base < len(code) {
		found := false
		fset := token.NewFileSet()
		rest := code[base:]
		file := fset.AddFile("", -1, len(rest))
		var s scanner.Scanner
		s.Init(file, []byte(rest), func(token.Position, string) {}, 0)
		for {
			pos, tok, _ := s.Scan()
			if tok == token.EOF {
				break
			}
			if tok != token.REM && tok != token.REM_ASSIGN {
				continue
			}
			off := base + file.Offset(pos)
			start := strings.LastIndexByte(code[:off], '\n') + 1
			if strings.Trim(code[start:off], " \t") != "" {
				continue // % as an operator
			}
			end := strings.IndexByte(code[off:], '\n')
			if end < 0 {
				end = len(code)
			} else {
				end += off
			}
			line, _ := position(code, off)
			magics = append(magics, Magic{Line: line, Text: strings.TrimSpace(code[off:end]), Start: start, End: end})
			for i := start; i < end; i++ {
				b[i] = ' '
			}
			base, found = end, true
			break
		}
		if !found {
			break
		}
	}
	return string(b), magics
}

// splitUnits finds the top-level units of src with the scanner. With
// salvage, a declaration keyword at column 0 also starts a unit.
func splitUnits(src string, salvage bool) ([]Unit, scanner.ErrorList) {
	fset := token.NewFileSet()
	file := fset.AddFile(FileName, -1, len(src))
	var errs scanner.ErrorList
	var s scanner.Scanner
	s.Init(file, []byte(src), func(pos token.Position, msg string) { errs.Add(pos, msg) }, scanner.ScanComments)

	var units []Unit
	depth := 0
	// header is set between if/for/switch and the block's brace, where
	// semicolons separate clauses, not statements.
	header := false
	in := false
	var cur Unit
	// A comment block directly above the next unit is its doc comment.
	docStart, docEndLine := -1, -1
	lineOf := func(off int) int { return strings.Count(src[:off], "\n") }
	flush := func() {
		if !in {
			return
		}
		cur.Kind = unitKind(src, cur)
		units = append(units, cur)
		in = false
	}
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		off := file.Offset(pos)
		end := off + len(tokenText(tok, lit))
		switch {
		case tok == token.SEMICOLON && lit == "\n":
			end = off // inserted: it stands for no text
		case tok == token.ILLEGAL:
			// lit is the character read, U+FFFD for a bad byte
			_, size := utf8.DecodeRuneInString(src[off:])
			end = off + size
		}
		end = min(end, len(src))
		if tok == token.COMMENT {
			if !in {
				if docStart < 0 || lineOf(off) > docEndLine+1 {
					docStart = off
				}
				docEndLine = lineOf(end)
			}
			continue
		}
		if tok == token.SEMICOLON && depth == 0 && !(header && lit == ";") {
			header = false
			flush()
			continue
		}
		if salvage && in && depth > 0 && (off == 0 || src[off-1] == '\n') {
			switch tok {
			case token.FUNC, token.TYPE, token.VAR, token.CONST, token.IMPORT:
				flush()
				depth, header = 0, false
			}
		}
		if !in {
			in = true
			cur = Unit{Start: off, Doc: off, First: tok, Second: token.EOF}
			if docStart >= 0 && docEndLine >= lineOf(off)-1 {
				cur.Doc = docStart
			}
			docStart = -1
		} else if cur.Second == token.EOF {
			cur.Second = tok
		}
		if depth == 0 {
			switch tok {
			case token.IF, token.FOR, token.SWITCH:
				header = true
			case token.LBRACE:
				header = false
			}
		}
		switch tok {
		case token.LPAREN, token.LBRACE, token.LBRACK:
			depth++
		case token.RPAREN, token.RBRACE, token.RBRACK:
			if depth > 0 {
				depth--
			}
		}
		cur.End = end
	}
	flush()
	return units, errs
}

// unitKind tells what u is from its first tokens.
func unitKind(src string, u Unit) UnitKind {
	switch u.First {
	case token.PACKAGE:
		return UnitPackage
	case token.IMPORT:
		return UnitImport
	case token.CONST, token.VAR, token.TYPE:
		return UnitDecl
	case token.FUNC:
		// `func name(` is a declaration; `func (` is a method or a
		// function literal, which only the parser can tell apart.
		if u.Second == token.IDENT || isMethod(src[u.Start:u.End]) {
			return UnitDecl
		}
	}
	return UnitStmt
}

func tokenText(tok token.Token, lit string) string {
	if lit != "" {
		return lit
	}
	return tok.String()
}

func isMethod(text string) bool {
	f, err := parser.ParseFile(token.NewFileSet(), "", "package p;"+text, parser.SkipObjectResolution)
	if err != nil || len(f.Decls) != 1 {
		return false
	}
	fd, ok := f.Decls[0].(*ast.FuncDecl)
	return ok && fd.Recv != nil
}
