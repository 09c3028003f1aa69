package eval

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/juggler-kernel/juggler/internal/yaegi/interp"

	"github.com/juggler-kernel/juggler/internal/cell"
)

// store is what the session's cells defined, kept as source: yaegi does not
// let a redefinition reach code compiled before it (funcs keep calling the
// old body; a redefined type or method is ignored), so such a redefinition
// rebuilds the interpreter from the store and carries variable values over.
type store struct {
	defs []cell.Def
	vars []cell.Var // in order of first declaration, with the latest type
}

// code is a definition's source without its //line directive, to tell a
// real change from the same code run again from another place.
func code(d cell.Def) string {
	_, body, _ := strings.Cut(strings.TrimPrefix(d.Src, "\n"), "\n")
	return body
}

// find returns the stored definition that declares name.
func (st store) find(name string) (cell.Def, bool) {
	for _, d := range st.defs {
		for _, n := range d.Names {
			if n == name {
				return d, true
			}
		}
	}
	return cell.Def{}, false
}

// merge returns the store with what cell c defines: its definitions replace
// those that declare the same names, and its variables are added.
func (st store) merge(c *cell.Cell) store {
	replaced := map[string]bool{}
	for _, d := range c.Defs {
		for _, n := range d.Names {
			replaced[n] = true
		}
	}
	var next store
	for _, d := range st.defs {
		keep := true
		for _, n := range d.Names {
			keep = keep && !replaced[n]
		}
		if keep {
			next.defs = append(next.defs, d)
		}
	}
	next.defs = append(next.defs, c.Defs...)
	next.vars = append(next.vars, st.vars...)
	for _, v := range c.Vars {
		found := false
		for i := range next.vars {
			if next.vars[i].Name == v.Name {
				next.vars[i].Type, found = v.Type, true
			}
		}
		if !found {
			next.vars = append(next.vars, v)
		}
	}
	return next
}

// needsRebuild tells whether running c in the interpreter as it is would
// leave old code in use: c changes a type or a method, or a func or const
// that other stored definitions use.
func (st store) needsRebuild(c *cell.Cell) bool {
	changed := map[string]bool{}
	for _, d := range c.Defs {
		for _, n := range d.Names {
			old, ok := st.find(n)
			if !ok || code(old) == code(d) {
				continue
			}
			if d.Kind == cell.KindType || d.Kind == cell.KindMethod || old.Kind != d.Kind {
				return true
			}
			changed[n] = true
		}
	}
	if len(changed) == 0 {
		return false
	}
	for _, d := range st.defs {
		redefined := false
		for _, n := range d.Names {
			redefined = redefined || changed[n]
		}
		if redefined {
			continue
		}
		for _, r := range d.Refs {
			if changed[r] {
				return true
			}
		}
	}
	return false
}

// rebuild replaces the interpreter by a fresh one that holds st: the
// session's imports, its types and consts, its variables with the values
// they have now, then its funcs and methods. Variables whose type is not
// known or changed cannot be kept; each is named in s.notes. newVars are
// the variables the cell about to run declares, declared ahead (zero) when
// their type is known, so the cell's funcs can refer to them. On error the
// session keeps its interpreter.
func (s *Session) rebuild(ctx context.Context, st store, newVars []cell.Var) error {
	in, err := s.newInterp()
	if err != nil {
		return err
	}
	eval := func(src string) error {
		_, err := in.EvalWithContext(ctx, src)
		return err
	}
	paths := make([]string, 0, len(s.imported))
	for p := range s.imported {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		alias := ""
		if name := s.imported[p]; name != packageName(p) {
			alias = name
		}
		if err := eval(fmt.Sprintf("import %s %q", alias, p)); err != nil {
			return fmt.Errorf("rebuild: import %s: %w", p, err)
		}
	}
	var types, funcs strings.Builder
	typeNames := map[string]bool{}
	for _, d := range st.defs {
		switch d.Kind {
		case cell.KindType, cell.KindConst:
			types.WriteString(d.Src)
			for _, n := range d.Names {
				typeNames[n] = d.Kind == cell.KindType
			}
		default:
			funcs.WriteString(d.Src)
		}
	}
	if types.Len() > 0 {
		if err := eval(types.String()); err != nil {
			return err
		}
	}

	old, err := globals(s.in)
	if err != nil {
		return err
	}
	// The old interpreter can name the types reflect cannot (the cells'
	// own struct types): p := mk() is declared again as var p P.
	oldTypes := s.in.GlobalTypes()
	type carried struct {
		name string
		val  reflect.Value
	}
	var keep []carried
	var notes []string
	declared := map[string]bool{}
	for _, v := range st.vars {
		ov, ok := old[v.Name]
		if !ok || !ov.IsValid() {
			continue
		}
		typ := v.Type
		if typ == "" {
			typ = oldTypes[v.Name]
		}
		if typ == "" {
			typ = typeExpr(ov.Type())
		}
		if typ == "" || eval(fmt.Sprintf("var %s %s", v.Name, typ)) != nil {
			notes = append(notes, fmt.Sprintf("%s was not kept: its type could not be named; run the cell that sets it again", v.Name))
			continue
		}
		declared[v.Name] = true
		keep = append(keep, carried{v.Name, ov})
	}
	for _, v := range newVars {
		if !declared[v.Name] && v.Type != "" {
			_ = eval(fmt.Sprintf("var %s %s", v.Name, v.Type)) // only a head start; the cell declares it anyway
		}
	}
	if funcs.Len() > 0 {
		if err := eval(funcs.String()); err != nil {
			return err
		}
	}
	now, err := globals(in)
	if err != nil {
		return err
	}
	for _, c := range keep {
		nv := now[c.name]
		if !nv.IsValid() || !nv.CanSet() || !c.val.Type().AssignableTo(nv.Type()) {
			notes = append(notes, fmt.Sprintf("%s was not kept: its type changed; run the cell that sets it again", c.name))
			continue
		}
		nv.Set(c.val)
	}
	if n := len(s.Live()); n > 0 {
		notes = append(notes, fmt.Sprintf("%d goroutines of earlier cells go on running the old definitions", n))
	}
	s.in = in
	s.notes = append(s.notes, notes...)
	return nil
}

// typeExpr writes t as Go source when it can be: the interpreter gives
// struct types it built no name, so those cannot.
func typeExpr(t reflect.Type) string {
	str := t.String()
	if strings.Contains(str, "struct {") || strings.Contains(str, "interp.") {
		return ""
	}
	return str
}

// globals reads the interpreter's global variables. After a cell failed to
// compile, yaegi may know a variable whose storage it has not made yet
// (Globals then indexes past its frame); an evaluation makes the storage.
func globals(in *interp.Interpreter) (g map[string]reflect.Value, err error) {
	if _, err := in.Eval("0"); err != nil {
		return nil, fmt.Errorf("rebuild: read variables: %w", err)
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("rebuild: read variables: %v", r)
		}
	}()
	return in.Globals(), nil
}
