package interp

import (
	"fmt"
	"reflect"
	"strings"
	"sync/atomic"
)

// adot produces an AST dot(1) directed acyclic graph for the given node. For debugging only.
// func (n *node) adot() { n.astDot(dotWriter(n.interp.dotCmd), n.ident) }

// genAST returns a new AST where generic types are replaced by instantiated types.
func genAST(sc *scope, root *node, types []*itype) (*node, bool, error) {
	typeParam := map[string]*node{}
	pindex := 0
	tname := ""
	rtname := ""
	recvrPtr := false
	fixNodes := []*node{}
	var gtree func(*node, *node) (*node, error)
	sname := root.child[0].ident + "["
	if root.kind == funcDecl {
		sname = root.child[1].ident + "["
	}

	// Input type parameters must be resolved prior AST generation, as compilation
	// of generated AST may occur in a different scope.
	for _, t := range types {
		sname += t.id() + ","
	}
	sname = strings.TrimSuffix(sname, ",") + "]"

	gtree = func(n, anc *node) (*node, error) {
		nod := copyNode(n, anc, false)
		switch n.kind {
		case funcDecl, funcType:
			nod.val = nod

		case identExpr:
			// Replace generic type by instantiated one.
			nt, ok := typeParam[n.ident]
			if !ok {
				break
			}
			if n.anc != nil && n.anc.kind == selectorExpr && len(n.anc.child) == 2 && n.anc.child[1] == n {
				// juggler: the Hash of hash.Hash is not the type
				// parameter Hash (crypto/pbkdf2.Key has both).
				break
			}
			nod = copyNode(nt, anc, true)
			nod.typ = nt.typ

		case indexExpr:
			// Catch a possible recursive generic type definition
			if root.kind != typeSpec {
				break
			}
			if root.child[0].ident != n.child[0].ident {
				break
			}
			nod := copyNode(n.child[0], anc, false)
			fixNodes = append(fixNodes, nod)
			return nod, nil

		case fieldList:
			//  Node is the type parameters list of a generic function.
			if root.kind == funcDecl && n.anc == root.child[2] && childPos(n) == 0 {
				// Fill the types lookup table used for type substitution.
				for _, c := range n.child {
					l := len(c.child) - 1
					for _, cc := range c.child[:l] {
						if pindex >= len(types) {
							return nil, cc.cfgErrorf("undefined type for %s", cc.ident)
						}
						// juggler: the constraint is a type of the generic
						// function's package (cmp.Ordered in slices), not
						// of the caller's.
						csc := sc
						if root.scope != nil {
							csc = root.scope
						}
						t, err := nodeType(c.interp, csc, c.child[l])
						if err != nil {
							return nil, err
						}
						if err := checkConstraint(types[pindex], t); err != nil {
							return nil, err
						}
						typeParam[cc.ident] = copyNode(cc, cc.anc, false)
						typeParam[cc.ident].ident = types[pindex].id()
						typeParam[cc.ident].typ = types[pindex]
						pindex++
					}
				}
				// Skip type parameters specification, so generated func doesn't look generic.
				return nod, nil
			}

			// Node is the receiver of a generic method.
			if root.kind == funcDecl && n.anc == root && childPos(n) == 0 && len(n.child) > 0 {
				rtn := n.child[0].child[1]
				// Method receiver is a generic type if it takes some type parameters.
				if rtn.kind == indexExpr || rtn.kind == indexListExpr || (rtn.kind == starExpr && (rtn.child[0].kind == indexExpr || rtn.child[0].kind == indexListExpr)) {
					if rtn.kind == starExpr {
						// Method receiver is a pointer on a generic type.
						rtn = rtn.child[0]
						recvrPtr = true
					}
					rtname = rtn.child[0].ident + "["
					for _, cc := range rtn.child[1:] {
						if pindex >= len(types) {
							return nil, cc.cfgErrorf("undefined type for %s", cc.ident)
						}
						it := types[pindex]
						typeParam[cc.ident] = copyNode(cc, cc.anc, false)
						typeParam[cc.ident].ident = it.id()
						typeParam[cc.ident].typ = it
						rtname += it.id() + ","
						pindex++
					}
					rtname = strings.TrimSuffix(rtname, ",") + "]"
				}
			}

			// Node is the type parameters list of a generic type.
			if root.kind == typeSpec && n.anc == root && childPos(n) == 1 {
				// Fill the types lookup table used for type substitution.
				tname = n.anc.child[0].ident + "["
				for _, c := range n.child {
					l := len(c.child) - 1
					for _, cc := range c.child[:l] {
						if pindex >= len(types) {
							return nil, cc.cfgErrorf("undefined type for %s", cc.ident)
						}
						it := types[pindex]
						// juggler: the constraint is a type of the generic
						// function's package (cmp.Ordered in slices), not
						// of the caller's.
						csc := sc
						if root.scope != nil {
							csc = root.scope
						}
						t, err := nodeType(c.interp, csc, c.child[l])
						if err != nil {
							return nil, err
						}
						if err := checkConstraint(types[pindex], t); err != nil {
							return nil, err
						}
						typeParam[cc.ident] = copyNode(cc, cc.anc, false)
						typeParam[cc.ident].ident = it.id()
						typeParam[cc.ident].typ = it
						tname += it.id() + ","
						pindex++
					}
				}
				tname = strings.TrimSuffix(tname, ",") + "]"
				return nod, nil
			}
		}

		for _, c := range n.child {
			gn, err := gtree(c, nod)
			if err != nil {
				return nil, err
			}
			nod.child = append(nod.child, gn)
		}
		return nod, nil
	}

	// juggler: instances are per generic declaration: hkdf.Key[hash.Hash]
	// and pbkdf2.Key[hash.Hash], or the Load methods of two generic types,
	// shared one instance when keyed by name alone.
	sname = fmt.Sprintf("%p:%s", root, sname)
	if nod, found := root.interp.generic[sname]; found {
		return nod, true, nil
	}

	r, err := gtree(root, root.anc)
	if err != nil {
		return nil, false, err
	}
	root.interp.generic[sname] = r
	r.param = append(r.param, types...)
	if tname != "" {
		for _, nod := range fixNodes {
			nod.ident = tname
		}
		r.child[0].ident = tname
	}
	if rtname != "" {
		// Replace method receiver type by synthetized ident.
		nod := r.child[0].child[0].child[1]
		if recvrPtr {
			nod = nod.child[0]
		}
		nod.kind = identExpr
		nod.ident = rtname
		nod.child = nil
	}
	// r.adot() // Used for debugging only.
	return r, false, nil
}

func copyNode(n, anc *node, recursive bool) *node {
	var i interface{}
	nindex := atomic.AddInt64(&n.interp.nindex, 1)
	nod := &node{
		debug:  n.debug,
		anc:    anc,
		interp: n.interp,
		index:  nindex,
		level:  n.level,
		nleft:  n.nleft,
		nright: n.nright,
		kind:   n.kind,
		pos:    n.pos,
		action: n.action,
		gen:    n.gen,
		val:    &i,
		rval:   n.rval,
		ident:  n.ident,
		meta:   n.meta,
	}
	nod.start = nod
	if recursive {
		for _, c := range n.child {
			nod.child = append(nod.child, copyNode(c, nod, true))
		}
	}
	return nod
}

// juggler: inferTypesFromCall binds each type parameter by name, by
// unifying each parameter's type with its argument's, then with the core
// types of constraints (S ~[]E binds E from S). Upstream collected types in
// the order it met them and handed them out in declaration order, which
// bound Map[T, U](xs []T, f func(T) U) as U = T; it also skipped variadic
// parameters and untyped constants, and paired arguments with parameter
// groups, not parameters. A parameter left unbound is Go's "cannot infer"
// error, at the call.
func inferTypesFromCall(sc *scope, fun *node, args []*node) ([]*itype, error) {
	names, bound, err := inferTypeMap(sc, fun, args)
	if err != nil {
		return nil, err
	}
	var types []*itype
	for _, n := range names {
		t := bound[n]
		if t == nil {
			// Said where the call is, in Go's words.
			at := fun
			if len(args) > 0 && args[0].anc != nil {
				at = args[0].anc
			}
			return nil, at.cfgErrorf("in call to %s, cannot infer %s", fun.child[1].ident, n)
		}
		types = append(types, t)
	}
	return types, nil
}

// juggler: inferTypeMap is inferTypesFromCall's work: the type parameters
// in declaration order, and the types bound to them, untyped constants
// given their default type.
func inferTypeMap(sc *scope, fun *node, args []*node) ([]string, map[string]*itype, error) {
	return inferTypeMapWith(sc, fun, args, nil)
}

// juggler: inferTypeMapWith is inferTypeMap with the first type parameters
// given explicitly (Grow[S](nil, n) binds S, and E from S's core type).
func inferTypeMapWith(sc *scope, fun *node, args []*node, explicit []*itype) ([]string, map[string]*itype, error) {
	ftn := fun.typ.node
	// juggler: the function's type parameters and parameters are types of
	// its own package (iter.Seq in slices.Collect), not of the caller's.
	fsc := sc
	if fun.scope != nil {
		fsc = fun.scope
	}
	var names []string
	constraints := map[string]*itype{}
	for _, c := range ftn.child[0].child {
		typ, err := nodeType(fun.interp, fsc, c.lastChild())
		if err != nil {
			return nil, nil, err
		}
		for _, cc := range c.child[:len(c.child)-1] {
			names = append(names, cc.ident)
			constraints[cc.ident] = typ
		}
	}

	bound := map[string]*itype{}
	for i, t := range explicit {
		if i < len(names) && t != nil {
			bound[names[i]] = t
		}
	}
	var unify func(param, input *itype)
	unify = func(param, input *itype) {
		if param == nil || input == nil {
			return
		}
		if _, ok := constraints[param.name]; ok && (param.cat == nilT || param.cat == genericT) {
			if hasParam(input, 0) {
				return // another function's parameter, not a type
			}
			if input.cat == variadicT {
				// juggler: xs of xs ...T is a []T (slices.Max(xs)).
				input = sliceOf(input.val, withScope(sc))
			}
			old := bound[param.name]
			if old == nil || old.untyped && (!input.untyped || untypedRank(input) > untypedRank(old)) {
				bound[param.name] = input
			}
			return
		}
		in := input.underlying()
		if in.cat == valueT && in.rtype != nil {
			unifyValue(param, in.rtype, unify)
			return
		}
		switch param.cat {
		case chanT, chanSendT, chanRecvT, ptrT, sliceT, arrayT, variadicT:
			unify(param.val, in.val)
		case mapT:
			unify(param.key, in.key)
			unify(param.val, in.val)
		case funcT:
			for i, t := range param.arg {
				if i < len(in.arg) {
					unify(t, in.arg[i])
				}
			}
			for i, t := range param.ret {
				if i < len(in.ret) {
					unify(t, in.ret[i])
				}
			}
		case structT:
			for i, f := range param.field {
				if i < len(in.field) {
					unify(f.typ, in.field[i].typ)
				}
			}
		}
	}

	// juggler: unifyInstance unifies a parameter written as an instance of a
	// generic named type (iter.Seq[E], iter.Seq2[K, V]) with its argument:
	// the type's definition binds its own parameters, which give ours.
	// Upstream's nodeType leaves such a parameter as the uninstantiated
	// generic type, which binds nothing.
	unifyInstance := func(pn *node, input *itype) bool {
		if input == nil || (pn.kind != indexExpr && pn.kind != indexListExpr) {
			return false
		}
		gt, err := nodeType(fun.interp, fsc, pn.child[0])
		if err != nil || gt == nil || gt.cat != genericT || gt.node == nil || gt.node.anc == nil {
			return false
		}
		spec := gt.node.anc
		if len(spec.child) < 3 {
			return false
		}
		gsc := fsc
		if gt.scope != nil {
			gsc = gt.scope
		}
		under, err := nodeType(fun.interp, gsc, spec.child[2])
		if err != nil || under == nil {
			return false
		}
		var gnames []string
		outer, outerBound := constraints, bound
		constraints, bound = map[string]*itype{}, map[string]*itype{}
		for _, f := range spec.child[1].child {
			for _, id := range f.child[:len(f.child)-1] {
				gnames = append(gnames, id.ident)
				constraints[id.ident] = outer[id.ident] // any placeholder
			}
		}
		unify(under, input)
		inner := bound
		constraints, bound = outer, outerBound
		for i, arg := range pn.child[1:] {
			if i >= len(gnames) || arg.kind != identExpr {
				continue
			}
			if _, ok := constraints[arg.ident]; ok && inner[gnames[i]] != nil && bound[arg.ident] == nil {
				bound[arg.ident] = inner[gnames[i]]
			}
		}
		return true
	}

	// One type per parameter, not per group of parameters.
	var params []*itype
	var paramNodes []*node
	for _, c := range ftn.child[1].child {
		typ, err := nodeType(fun.interp, fsc, c.lastChild())
		if err != nil {
			return nil, nil, err
		}
		for n := max(len(c.child)-1, 1); n > 0; n-- {
			params = append(params, typ)
			paramNodes = append(paramNodes, c.lastChild())
		}
	}
	for i, a := range args {
		at := a.typ
		if at == nil {
			// Before the arguments are compiled (global declarations).
			if t, err := nodeType(fun.interp, sc, a); err == nil {
				at = t
			}
		}
		switch {
		case len(params) == 0:
		case i < len(params)-1 || params[len(params)-1].cat != variadicT:
			if i < len(params) && !unifyInstance(paramNodes[i], at) {
				unify(params[i], at)
			}
		case a.anc != nil && a.anc.action == aCallSlice:
			unify(sliceOf(params[len(params)-1].val), at)
		default:
			unify(params[len(params)-1].val, at)
		}
	}
	// A constraint with one core type binds the parameters inside it.
	for range names {
		for _, n := range names {
			c, t := constraints[n], bound[n]
			if c == nil || t == nil {
				continue
			}
			// An inline constraint (S ~[]E) is its own core type.
			core := []*itype{c}
			if c.cat == interfaceT || c.cat == constraintT {
				core = append(append([]*itype{}, c.constraint...), c.ulconstraint...)
			}
			if len(core) == 1 {
				unify(core[0], t)
			}
		}
	}

	for n, t := range bound {
		d := t.defaultType(reflect.Value{}, sc)
		// juggler: an untyped constant's default type must satisfy the
		// constraint; said at the call, in upstream's words (the default
		// type's own node has no position in the program).
		if c := constraints[n]; t.untyped && c != nil && checkConstraint(d, c) != nil {
			at := fun
			if len(args) > 0 && args[0].anc != nil {
				at = args[0].anc
			}
			return nil, nil, at.cfgErrorf("%s does not implement %s", t.str, c.id())
		}
		bound[n] = d
	}
	return names, bound, nil
}

// juggler: substitute replaces the type parameters bound in t, so that the
// result type of a generic call is known before the call is instantiated;
// nil when t uses one that is not bound.
func substitute(t *itype, bound map[string]*itype, sc *scope) *itype {
	return substituteDepth(t, bound, sc, 0)
}

func substituteDepth(t *itype, bound map[string]*itype, sc *scope, depth int) *itype {
	if t == nil || depth > 8 {
		return nil
	}
	if b, ok := bound[t.name]; ok && (t.cat == nilT || t.cat == genericT) {
		return b
	}
	sub := func(x *itype) (*itype, bool) {
		y := substituteDepth(x, bound, sc, depth+1)
		return y, y != nil
	}
	switch t.cat {
	case nilT, genericT:
		return nil
	case sliceT:
		if v, ok := sub(t.val); ok {
			return sliceOf(v, withScope(sc))
		}
		return nil
	case ptrT:
		if v, ok := sub(t.val); ok {
			return ptrOf(v, withScope(sc))
		}
		return nil
	case mapT:
		k, ok1 := sub(t.key)
		v, ok2 := sub(t.val)
		if ok1 && ok2 {
			return mapOf(k, v, withScope(sc))
		}
		return nil
	case chanT, chanSendT, chanRecvT:
		if v, ok := sub(t.val); ok {
			dir := map[tcat]chanDir{chanT: chanSendRecv, chanSendT: chanSend, chanRecvT: chanRecv}[t.cat]
			return chanOf(v, dir, withScope(sc))
		}
		return nil
	case funcT:
		args := make([]*itype, len(t.arg))
		rets := make([]*itype, len(t.ret))
		for i, a := range t.arg {
			var ok bool
			if args[i], ok = sub(a); !ok {
				return nil
			}
		}
		for i, r := range t.ret {
			var ok bool
			if rets[i], ok = sub(r); !ok {
				return nil
			}
		}
		return funcOf(args, rets, withScope(sc))
	case linkedT:
		// A named type is kept only when it uses no type parameter: an
		// instance of a generic type (iter.Seq[K]) is left to the
		// compiler, which instantiates it.
		if _, ok := sub(t.val); !ok || t.val != nil && hasParam(t.val, depth) {
			return nil
		}
	}
	return t
}

// juggler: hasParam tells whether t refers to a type parameter.
func hasParam(t *itype, depth int) bool {
	if t == nil || depth > 8 {
		return false
	}
	switch t.cat {
	case nilT, genericT:
		return true
	case sliceT, ptrT, chanT, chanSendT, chanRecvT, arrayT, variadicT, linkedT:
		return hasParam(t.val, depth+1)
	case mapT:
		return hasParam(t.key, depth+1) || hasParam(t.val, depth+1)
	case funcT:
		for _, a := range t.arg {
			if hasParam(a, depth+1) {
				return true
			}
		}
		for _, r := range t.ret {
			if hasParam(r, depth+1) {
				return true
			}
		}
	}
	return false
}

// juggler: unifyValue is unify for an argument of a runtime type.
func unifyValue(param *itype, rt reflect.Type, unify func(param, input *itype)) {
	switch param.cat {
	case chanT, chanSendT, chanRecvT, ptrT, sliceT, arrayT, variadicT:
		switch rt.Kind() {
		case reflect.Chan, reflect.Ptr, reflect.Slice, reflect.Array:
			unify(param.val, valueTOf(rt.Elem()))
		}
	case mapT:
		if rt.Kind() == reflect.Map {
			unify(param.key, valueTOf(rt.Key()))
			unify(param.val, valueTOf(rt.Elem()))
		}
	case funcT:
		if rt.Kind() == reflect.Func {
			for i, t := range param.arg {
				if i < rt.NumIn() {
					unify(t, valueTOf(rt.In(i)))
				}
			}
			for i, t := range param.ret {
				if i < rt.NumOut() {
					unify(t, valueTOf(rt.Out(i)))
				}
			}
		}
	}
}

// juggler: untypedRank orders untyped constant kinds: float over rune over
// int, as Go picks the kind of an expression mixing them.
func untypedRank(t *itype) int {
	switch t.cat {
	case float32T, float64T, complex64T, complex128T:
		return 3
	case int32T:
		return 2
	}
	return 1
}

func checkConstraint(it, ct *itype) error {
	if len(ct.constraint) == 0 && len(ct.ulconstraint) == 0 {
		return nil
	}
	for _, c := range ct.constraint {
		if it.equals(c) || it.matchDefault(c) {
			return nil
		}
	}
	for _, c := range ct.ulconstraint {
		if it.underlying().equals(c) || it.matchDefault(c) {
			return nil
		}
		// juggler: a compiled named type (time.Duration) satisfies ~int64
		// by its kind; its underlying type is not an interpreter type.
		if u := it.underlying(); u.cat == valueT && u.rtype != nil && c.cat != valueT && c.cat != interfaceT {
			if ct := c.TypeOf(); ct != nil && ct.PkgPath() == "" && ct.Kind() == u.rtype.Kind() && (ct.Kind() <= reflect.Complex128 || ct.Kind() == reflect.String) {
				return nil
			}
		}
	}
	if it.node == nil { // juggler: a compiled type has no node to point at
		return fmt.Errorf("%s does not satisfy %s", it.id(), ct.id())
	}
	return it.node.cfgErrorf("%s does not implement %s", it.id(), ct.id())
}

// juggler: instantiateResult is the result type of a generic call when it is
// an instance of a generic type (maps.Keys returns iter.Seq[K]), with the
// type arguments bound; nil otherwise. substitute cannot rebuild it: the
// function's result type is the uninstantiated generic type.
func instantiateResult(interp *Interpreter, sc *scope, fun *node, bound map[string]*itype, seen []*node) *itype {
	if fun == nil || fun.typ == nil || fun.typ.node == nil {
		return nil
	}
	ftn := fun.typ.node
	if len(ftn.child) < 3 || len(ftn.child[2].child) != 1 {
		return nil
	}
	rn := ftn.child[2].child[0].lastChild()
	if rn.kind != indexExpr && rn.kind != indexListExpr {
		return nil
	}
	fsc := sc
	if fun.scope != nil {
		fsc = fun.scope
	}
	lt, err := nodeType(interp, fsc, rn.child[0])
	if err != nil || lt == nil || lt.cat != genericT || lt.node == nil {
		return nil
	}
	name := lt.id() + "["
	var types []*itype
	for _, a := range rn.child[1:] {
		at := bound[a.ident]
		if a.kind != identExpr || at == nil {
			t1, err := nodeType(interp, fsc, a)
			if err != nil || t1 == nil || t1.cat == genericT || t1.cat == nilT || t1.incomplete {
				return nil
			}
			at = t1
		}
		types = append(types, at)
		name += at.id() + ","
	}
	name = strings.TrimSuffix(name, ",") + "]"
	if lt.scope != nil {
		if sym := lt.scope.sym[name]; sym != nil && sym.kind == typeSym {
			return sym.typ
		}
	}
	if sym, _, found := sc.lookup(name); found && sym.kind == typeSym {
		return sym.typ
	}
	t, err := genType(interp, sc, name, lt, types, seen)
	if err != nil {
		return nil
	}
	return t
}
