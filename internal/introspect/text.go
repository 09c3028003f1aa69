package introspect

import (
	"go/scanner"
	"go/token"
	"strings"
	"unicode/utf8"
)

// runeToByte converts a cursor counted in code points (the Jupyter protocol
// unit) to a byte offset into s, clamping out-of-range cursors to the text
// because front ends occasionally send a cursor past the end.
func runeToByte(s string, cursor int) int {
	if cursor <= 0 {
		return 0
	}
	n := 0
	for i := range s {
		if n == cursor {
			return i
		}
		n++
	}
	return len(s)
}

// byteToRune converts a byte offset into s back to code points.
func byteToRune(s string, off int) int {
	if off > len(s) {
		off = len(s)
	}
	return utf8.RuneCountInString(s[:off])
}

// lineAt returns the whole line of text that byte offset off lies on.
func lineAt(text string, off int) string {
	start := strings.LastIndexByte(text[:off], '\n') + 1
	end := strings.IndexByte(text[off:], '\n')
	if end < 0 {
		end = len(text)
	} else {
		end += off
	}
	return text[start:end]
}

// tok is one scanned token with its byte range in the source.
type tok struct {
	tok        token.Token
	lit        string
	start, end int
}

// scanErr is a scanner error with its byte offset.
type scanErr struct {
	off int
	msg string
}

// scan tokenizes src, comments included. Automatic semicolons are kept (their
// lit is "\n") because callers need them to split statements; scan errors are
// returned rather than fatal since half-typed code is the normal case here.
func scan(src string) ([]tok, []scanErr) {
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(src))
	var errs []scanErr
	var s scanner.Scanner
	s.Init(file, []byte(src), func(pos token.Position, msg string) {
		errs = append(errs, scanErr{pos.Offset, msg})
	}, scanner.ScanComments)
	var toks []tok
	for {
		pos, t, lit := s.Scan()
		if t == token.EOF {
			break
		}
		off := file.Offset(pos)
		end := off + len(t.String())
		switch {
		case t == token.SEMICOLON && lit == "\n":
			end = off // implicit: occupies no text
		case lit != "":
			end = off + len(lit)
		}
		if end > len(src) {
			end = len(src)
		}
		toks = append(toks, tok{t, lit, off, end})
	}
	return toks, errs
}

// isImplicitSemi reports whether t is a semicolon the scanner inserted at a
// newline or at the end of input.
func isImplicitSemi(t tok) bool {
	return t.tok == token.SEMICOLON && t.lit == "\n"
}

// insideLiteral reports whether the end of src lies inside an unterminated
// string, rune, raw string or comment, where completion makes no sense.
func insideLiteral(src string, toks []tok, errs []scanErr) bool {
	for _, e := range errs {
		if !strings.Contains(e.msg, "not terminated") {
			continue
		}
		// Raw strings and block comments run to the end of the input;
		// interpreted strings and runes stop at the end of their line.
		if strings.Contains(e.msg, "raw string") || strings.Contains(e.msg, "comment") {
			return true
		}
		if e.off <= len(src) && !strings.Contains(src[e.off:], "\n") {
			return true
		}
	}
	for i := len(toks) - 1; i >= 0; i-- {
		t := toks[i]
		if isImplicitSemi(t) {
			continue
		}
		// A line comment ending at the cursor has not been left yet.
		return t.tok == token.COMMENT && strings.HasPrefix(t.lit, "//") && t.end == len(src)
	}
	return false
}
