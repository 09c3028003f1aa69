// Package corpus runs the programs of yaegi's own test corpus (the _test
// directory of the upstream module, github.com/traefik/yaegi v0.16.1) the way
// upstream's interp/interp_file_test.go runs them, in the in-tree fork or in
// upstream's interpreter.
//
// Its test runs every program in both, each in a process of its own (the
// runner command in ./runner), and fails on a program that upstream passes
// and the fork does not. The corpus is not copied into this repository: it
// is read from the module cache.
package corpus

import (
	"bytes"
	"fmt"
	"go/build"
	"go/parser"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	fork "github.com/juggler-kernel/juggler/internal/yaegi/interp"
	upstream "github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
	"github.com/traefik/yaegi/stdlib/unsafe"
)

// forkStdlib is the standard library symbol table the fork's runs get. It
// is upstream's, as upstream's runs get, so that a difference in results is
// a difference of the interpreters. This is the line to change to run the
// fork on other tables.
var forkStdlib = stdlib.Symbols

// An evalPath runs the program in path in a new interpreter, set up as
// upstream's runCheck sets one up.
type evalPath func(path, goPath string, stdout, stderr io.Writer) error

// interpreters are the interpreters Check can run a program in, by name.
var interpreters = map[string]evalPath{
	"fork": func(path, goPath string, stdout, stderr io.Writer) error {
		i := fork.New(fork.Options{GoPath: goPath, Stdout: stdout, Stderr: stderr})
		for _, syms := range []fork.Exports{fork.Symbols, forkStdlib, unsafe.Symbols} {
			if err := i.Use(syms); err != nil {
				return fmt.Errorf("use: %w", err)
			}
		}
		_, err := i.EvalPath(path)
		return err
	},
	"upstream": func(path, goPath string, stdout, stderr io.Writer) error {
		i := upstream.New(upstream.Options{GoPath: goPath, Stdout: stdout, Stderr: stderr})
		for _, syms := range []upstream.Exports{upstream.Symbols, stdlib.Symbols, unsafe.Symbols} {
			if err := i.Use(syms); err != nil {
				return fmt.Errorf("use: %w", err)
			}
		}
		_, err := i.EvalPath(path)
		return err
	},
}

// Want reads what the program in path must do from its last comment, as
// upstream's wantedFromComment does: "Output:" and the exact output, or
// "Error:" and a part of the error. A first line "GOPATH:dir" runs the
// program with _test/dir as GOPATH. want is empty when the program has
// neither (upstream skips it). path is relative to the current directory,
// which must be the module's interp directory (goPath is found from it).
func Want(path string) (want, goPath string, isErr bool, err error) {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ParseComments)
	if f == nil {
		return "", "", false, fmt.Errorf("parse %s: %w", path, err)
	}
	if len(f.Comments) == 0 {
		return "", "", false, nil
	}
	text := f.Comments[len(f.Comments)-1].Text()
	if strings.HasPrefix(text, "GOPATH:") {
		first, rest, _ := strings.Cut(text, "\n")
		wd, err := os.Getwd()
		if err != nil {
			return "", "", false, err
		}
		text = rest
		goPath = filepath.Join(wd, "..", "_test", strings.TrimPrefix(first, "GOPATH:"))
	}
	if out, ok := strings.CutPrefix(text, "Output:\n"); ok {
		return out, goPath, false, nil
	}
	if out, ok := strings.CutPrefix(text, "Error:\n"); ok {
		return out, goPath, true, nil
	}
	return "", goPath, false, nil
}

// Check runs the program in path with the named interpreter and says how
// its result differs from what its comment wants; nil when it does not.
// Like upstream's test, it runs with YAEGI_SPECIAL_STDIO=1 and compares the
// trimmed output, with "path:" removed, or looks for the wanted text in the
// error.
func Check(interp, path string) error {
	eval, ok := interpreters[interp]
	if !ok {
		return fmt.Errorf("no interpreter %q", interp)
	}
	want, goPath, isErr, err := Want(path)
	if err != nil {
		return err
	}
	if want == "" {
		return fmt.Errorf("%s has no comment 'Output:' or 'Error:'", path)
	}
	want = strings.TrimSpace(want)
	if goPath == "" {
		goPath = build.Default.GOPATH
	}
	if err := os.Setenv("YAEGI_SPECIAL_STDIO", "1"); err != nil {
		return err
	}
	var stdout, stderr bytes.Buffer
	err = eval(path, goPath, &stdout, &stderr)
	if isErr {
		if err == nil {
			return fmt.Errorf("got nil error, want: %q", want)
		}
		if got := strings.TrimSpace(err.Error()); !strings.Contains(got, want) {
			return fmt.Errorf("got %q, want: %q", got, want)
		}
		return nil
	}
	if err != nil {
		return err
	}
	// As upstream: path is a regular expression here (its dots match any
	// character).
	got := regexp.MustCompile(path+":").ReplaceAllString(strings.TrimSpace(stdout.String()), "")
	if got != want {
		return fmt.Errorf("\ngot:  %q,\nwant: %q", got, want)
	}
	return nil
}
