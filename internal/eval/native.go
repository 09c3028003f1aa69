package eval

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/juggler-kernel/juggler/internal/native"
	"github.com/juggler-kernel/juggler/internal/yaegi/interp"
)

// natives are the symbol tables of the plugins %%native cells built, which
// every interpreter of the session (a rebuild makes a new one) must use.
type natives struct {
	tables []interp.Exports
	paths  map[string]bool
}

func (n *natives) add(importPath string, syms interp.Exports) {
	if n.paths == nil {
		n.paths = map[string]bool{}
	}
	n.paths[importPath] = true
	n.tables = append(n.tables, syms)
}

func (n *natives) has(importPath string) bool { return n.paths[importPath] }

func (n *natives) symbols() []interp.Exports { return n.tables }

// runNative builds a %%native cell into a plugin, hands its symbols to the
// interpreter and binds the cell's names in package main, through an
// ordinary cell so that redefinition works as for any other cell.
func (s *Session) runNative(ctx context.Context, in Cell, code string) (Result, error) {
	start := time.Now()
	pkg, err := s.builder.Build(ctx, code)
	if err != nil {
		var ne *native.Error
		if errors.As(err, &ne) {
			msg := strings.Join(ne.Lines, "\n")
			return Result{}, &Error{Name: "CompileError", Value: msg, Traceback: []string{"CompileError: " + msg}}
		}
		if ctx.Err() != nil {
			return Result{}, &Error{Name: "Interrupted", Value: "the cell was interrupted"}
		}
		return Result{}, &Error{Name: "NativeError", Value: err.Error(), Traceback: []string{"NativeError: " + err.Error()}}
	}
	if !s.natives.has(pkg.Path) {
		if err := s.in.Use(pkg.Symbols); err != nil {
			return Result{}, fmt.Errorf("eval: load native symbols: %w", err)
		}
		s.natives.add(pkg.Path, pkg.Symbols)
	}
	in.Code = pkg.Decls()
	res, err := s.Run(ctx, in)
	how := "loaded"
	if pkg.Built {
		how = "compiled"
	}
	s.notes = append(s.notes, fmt.Sprintf("%%%%native: %s in %.2fs", how, time.Since(start).Seconds()))
	return res, err
}
