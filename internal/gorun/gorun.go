// Package gorun runs Go programs with the Go toolchain, for tests that
// check the interpreter against what `go run` prints for the same source.
package gorun

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// addresses are pointer values, which differ from run to run.
var addresses = regexp.MustCompile(`0x[0-9a-f]{6,}`)

// MaskAddresses replaces the pointer values in out by 0xADDR.
func MaskAddresses(out string) string { return addresses.ReplaceAllString(out, "0xADDR") }

// Outputs builds each program (the source of a package main, by name) with
// the Go toolchain and returns what each prints on stdout, addresses
// masked. One `go build` builds them all, which is much cheaper than a
// `go run` each. It skips the test when there is no toolchain.
func Outputs(t testing.TB, progs map[string]string) map[string]string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go toolchain in PATH:", err)
	}
	dir := t.TempDir()
	write := func(name, src string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module fidelity\n\ngo 1.23\n")
	for name, src := range progs {
		write(filepath.Join(name, "main.go"), src)
	}
	bin := filepath.Join(dir, "bin") + string(filepath.Separator)
	build := exec.Command(goBin, "build", "-o", bin, "./...")
	build.Dir = dir
	build.Env = append(os.Environ(), "GOFLAGS=", "GOWORK=off")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	outs := map[string]string{}
	for name := range progs {
		var stdout bytes.Buffer
		cmd := exec.Command(filepath.Join(bin, name))
		cmd.Stdout = &stdout
		_ = cmd.Run() // a program may exit non-zero on purpose; its output is what counts
		outs[name] = MaskAddresses(stdout.String())
	}
	return outs
}

// Run runs src, a whole Go program, with `go run`, as a user would before
// pasting it into a cell, and returns its standard output and exit code.
// It skips the test when there is no toolchain, and fails it when the
// program does not build.
func Run(t testing.TB, src string) (stdout string, code int) {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go toolchain in PATH: the expected output comes from go run:", err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "main.go")
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	cmd := exec.Command(goBin, "run", file)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err == nil {
		return out.String(), 0
	}
	// go run says how the program exited on its last line of stderr.
	lines := strings.Split(strings.TrimSpace(errOut.String()), "\n")
	if n, ok := strings.CutPrefix(lines[len(lines)-1], "exit status "); ok {
		if code, err := strconv.Atoi(n); err == nil {
			return out.String(), code
		}
	}
	t.Fatalf("go run: %s\n%s", errOut.String(), src)
	return "", 0
}

// ReadPrograms returns the .go files of dir, by name without extension.
func ReadPrograms(t testing.TB, dir string) map[string]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no programs in %s: %v", dir, err)
	}
	progs := map[string]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		progs[strings.TrimSuffix(filepath.Base(f), ".go")] = string(b)
	}
	return progs
}

// Diff shows the lines of got that differ from want's.
func Diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d\n  go:    %s\n  here:  %s\n", i+1, wl, gl)
		}
	}
	return b.String()
}

// Names returns the names of progs, sorted.
func Names(progs map[string]string) []string {
	names := make([]string, 0, len(progs))
	for n := range progs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
