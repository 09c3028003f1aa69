// Package modulestest holds what tests that download Go modules share:
// a check that the module proxy can be reached, and go run of a program as
// the expected output.
package modulestest

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// NeedProxy skips a test that downloads modules when the go command cannot:
// no toolchain, GOPROXY off, or the proxy unreachable. The reason is in the
// skip message.
func NeedProxy(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("downloads Go modules; skipped in -short mode")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command on PATH: module tests skipped")
	}
	proxyOnce.Do(func() { proxyErr = probeProxy() })
	if proxyErr != "" {
		t.Skip(proxyErr + ": module tests skipped")
	}
}

var (
	proxyOnce sync.Once
	proxyErr  string
)

func probeProxy() string {
	out, err := exec.Command("go", "env", "GOPROXY").Output()
	if err != nil {
		return "go env GOPROXY: " + err.Error()
	}
	for _, p := range strings.FieldsFunc(strings.TrimSpace(string(out)), func(r rune) bool { return r == ',' || r == '|' }) {
		switch p {
		case "off":
			return "GOPROXY=off: module downloads are disabled"
		case "direct":
			continue
		}
		// No connection may stay open: an idle one is a goroutine blocked
		// on the network, which deadlock tests would count as alive.
		tr := &http.Transport{DisableKeepAlives: true, Proxy: http.ProxyFromEnvironment}
		defer tr.CloseIdleConnections()
		c := http.Client{Timeout: 10 * time.Second, Transport: tr}
		resp, err := c.Get(strings.TrimSuffix(p, "/") + "/golang.org/x/sync/@v/list")
		if err != nil {
			return "module proxy " + p + " unreachable (" + err.Error() + ")"
		}
		resp.Body.Close()
		return ""
	}
	return ""
}

// GoRun runs a main package with the go command, in a module of its own
// that first pins the given module versions (go get arguments), and
// returns its standard output.
func GoRun(t testing.TB, src string, pins ...string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	goCmd := func(args ...string) string {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOWORK=off")
		out, err := cmd.Output()
		if err != nil {
			var stderr []byte
			if ee, ok := err.(*exec.ExitError); ok {
				stderr = ee.Stderr
			}
			t.Fatalf("go %s: %v\n%s%s", strings.Join(args, " "), err, out, stderr)
		}
		return string(out)
	}
	goCmd("mod", "init", "example.test")
	if len(pins) > 0 {
		goCmd(append([]string{"get"}, pins...)...)
	}
	return goCmd("run", "-mod=mod", ".")
}

// AsCells turns a main package into notebook cells: its imports and
// declarations in one cell, then a call of what was main (a cell that
// defines main would have the interpreter run it at once).
func AsCells(src string) []string {
	_, body, _ := strings.Cut(src, "package main\n")
	return []string{strings.Replace(body, "func main() {", "func program() {", 1), "program()"}
}
