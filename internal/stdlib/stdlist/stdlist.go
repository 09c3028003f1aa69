// Package stdlist says which standard packages cells can import: every
// package of `go list std` but those no program outside the standard library
// can import, and a short list of exclusions, each with its reason. The
// generator of package stdlib and the tests share it; it imports nothing of
// the generated code, so the generator builds even when that code is stale.
package stdlist

import (
	"fmt"
	"os/exec"
	"strings"
)

// Excluded lists the importable standard packages that cells cannot
// import, with the reason.
var Excluded = map[string]string{
	"unsafe":       "its members are builtins, not symbols; upstream's hand-written stdlib/unsafe provides them, and package eval loads it",
	"runtime/cgo":  "linking it makes the kernel a cgo binary; it exports nothing a cell could use",
	"runtime/race": "it exists only in -race builds",
	"syscall/js":   "js/wasm only",
}

// Provided lists the packages of Excluded that cells can import all the
// same, from elsewhere than package stdlib.
var Provided = map[string]bool{"unsafe": true}

// Internal reports whether no program outside the standard library can
// import p: an internal, vendored or command package.
func Internal(p string) bool {
	return strings.HasPrefix(p, "cmd/") || strings.HasPrefix(p, "vendor/") || p == "internal" ||
		strings.HasPrefix(p, "internal/") || strings.Contains(p, "/internal/") || strings.HasSuffix(p, "/internal")
}

// Packages lists the packages of `go list std` that get a symbol table:
// all but Internal ones and Excluded.
func Packages() ([]string, error) {
	out, err := exec.Command("go", "list", "std").Output()
	if err != nil {
		return nil, fmt.Errorf("go list std: %w", err)
	}
	var pkgs []string
	for _, p := range strings.Fields(string(out)) {
		if Internal(p) || Excluded[p] != "" {
			continue
		}
		pkgs = append(pkgs, p)
	}
	return pkgs, nil
}
