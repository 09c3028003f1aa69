package introspect

import (
	"go/token"
	"strings"

	"github.com/juggler-kernel/juggler/internal/cell"
)

// Statuses of an is_complete_reply.
const (
	StatusComplete   = "complete"
	StatusIncomplete = "incomplete"
	StatusInvalid    = "invalid"
)

// indentUnit is one level of the indent suggested for a continuation line.
// Four spaces rather than gofmt's tab: consoles (jupyter console's
// prompt_toolkit, JupyterLab's console) render spaces predictably, and the
// code is not gofmt-ed on its way to the interpreter anyway.
const indentUnit = "    "

// IsComplete tells a console whether code can run as typed (StatusComplete),
// needs more lines (StatusIncomplete, with the indent for the next line), or
// cannot be fixed by typing more (StatusInvalid, so the console runs it and
// shows the error). Code is incomplete while a bracket, raw string or block
// comment is open, or when the last token asks for an operand (a binary
// operator, a comma, `:=`, a keyword such as `else`). Empty and magic-only
// cells are complete.
func IsComplete(code string) (status string, indent string) {
	cs := cell.Classify(code)
	src := cs.Text
	if strings.TrimSpace(src) == "" {
		return StatusComplete, ""
	}
	toks, errs := scan(src)
	for _, e := range errs {
		if strings.Contains(e.msg, "raw string literal not terminated") ||
			strings.Contains(e.msg, "comment not terminated") {
			// No indent: it would become part of the string or comment.
			return StatusIncomplete, ""
		}
	}
	if len(errs) > 0 {
		return StatusInvalid, ""
	}
	var stack []token.Token
	var last tok
	for _, t := range toks {
		switch t.tok {
		case token.COMMENT:
			continue
		case token.LPAREN, token.LBRACK, token.LBRACE:
			stack = append(stack, t.tok)
		case token.RPAREN, token.RBRACK, token.RBRACE:
			open := map[token.Token]token.Token{token.RPAREN: token.LPAREN, token.RBRACK: token.LBRACK, token.RBRACE: token.LBRACE}[t.tok]
			if len(stack) == 0 || stack[len(stack)-1] != open {
				return StatusInvalid, ""
			}
			stack = stack[:len(stack)-1]
		}
		if !isImplicitSemi(t) {
			last = t
		}
	}
	if len(stack) > 0 {
		return StatusIncomplete, strings.Repeat(indentUnit, len(stack))
	}
	if wantsMore(last.tok) {
		return StatusIncomplete, indentUnit
	}
	for _, u := range cs.Units {
		if parseStatus(src[u.Start:u.End], u) == StatusInvalid {
			return StatusInvalid, ""
		}
	}
	return StatusComplete, ""
}

// wantsMore reports whether a cell ending in t must continue: the scanner
// inserts no semicolon after operators, commas and most keywords, so the
// statement is still open.
func wantsMore(t token.Token) bool {
	switch t {
	case token.BREAK, token.CONTINUE, token.FALLTHROUGH, token.RETURN:
		return false
	case token.COMMA, token.PERIOD, token.COLON, token.ELLIPSIS:
		return true
	}
	return t.IsOperator() && t != token.INC && t != token.DEC && t != token.SEMICOLON &&
		t != token.RPAREN && t != token.RBRACK && t != token.RBRACE || t.IsKeyword()
}

// parseStatus parses one unit of a cell the way parseCell would. By the
// time it is called brackets balance and the last token ends a statement
// (the scanner would insert a semicolon at the newline), so no further line
// can fix a parse error: any error means invalid.
func parseStatus(text string, u cell.Unit) string {
	if u.Kind == cell.UnitPackage {
		if _, err := parseBuf(text); err != nil {
			return StatusInvalid
		}
		return StatusComplete
	}
	if isDecl(u) {
		if _, err := parseBuf(declPrefix + text); err == nil {
			return StatusComplete
		}
		if u.First != token.FUNC || u.Second != token.LPAREN {
			return StatusInvalid
		}
		// `func (` may be a function literal statement: try that too.
	}
	if _, err := parseBuf(stmtPrefix + text + stmtSuffix); err != nil {
		return StatusInvalid
	}
	return StatusComplete
}
