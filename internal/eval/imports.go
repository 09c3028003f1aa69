package eval

import (
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/juggler-kernel/juggler/internal/display"
	"github.com/juggler-kernel/juggler/internal/stdlib"
)

// packages maps a package name to the import paths that provide it, with
// their members, built once from the interpreter's symbol tables.
var packages = sync.OnceValue(func() map[string][]pkgInfo {
	byName := map[string][]pkgInfo{}
	add := func(key string, syms map[string]bool) {
		p, name := path.Dir(key), path.Base(key)
		if strings.Contains(p, "internal") {
			return
		}
		byName[name] = append(byName[name], pkgInfo{path: p, members: syms})
	}
	for key, syms := range stdlib.Symbols {
		if key == "." { // interface wrappers, not a package
			continue
		}
		m := make(map[string]bool, len(syms))
		for s := range syms {
			m[s] = true
		}
		// The generic members are compiled from source on import.
		for _, s := range stdlib.Generic[path.Dir(key)] {
			m[s] = true
		}
		add(key, m)
	}
	for key, syms := range display.Symbols(nil) {
		m := make(map[string]bool, len(syms))
		for s := range syms {
			m[s] = true
		}
		add(key, m)
	}
	for _, list := range byName {
		sort.Slice(list, func(i, j int) bool { return better(list[i].path, list[j].path) })
	}
	return byName
})

type pkgInfo struct {
	path    string
	members map[string]bool
}

// better orders candidate paths for one name: the one a Go programmer most
// likely means first (math/rand before crypto/rand, text/template before
// html/template), then the shorter path.
func better(a, b string) bool {
	ra, rb := rank(a), rank(b)
	if ra != rb {
		return ra < rb
	}
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

func rank(p string) int {
	switch {
	case strings.HasPrefix(p, "crypto/"), strings.HasPrefix(p, "html/"):
		return 1
	case strings.HasSuffix(p, "/v2"):
		return 2
	}
	return 0
}

// resolve picks the import path for a package name used in a cell, given
// the members the cell selects from it: the first candidate that has all of
// them, or none when no package fits (the name may be a variable that the
// interpreter will report as undefined).
func resolve(name string, members []string) (string, bool) {
	for _, c := range packages()[name] {
		ok := true
		for _, m := range members {
			if !c.members[m] {
				ok = false
				break
			}
		}
		if ok {
			return c.path, true
		}
	}
	return "", false
}
