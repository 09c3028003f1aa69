package eval

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// needProxy skips a test that downloads modules when the go command cannot:
// no toolchain, GOPROXY off, or the proxy unreachable.
func needProxy(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("downloads modules; skipped in -short mode")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command on PATH")
	}
	proxyOnce.Do(func() { proxyErr = probeProxy() })
	if proxyErr != "" {
		t.Skip(proxyErr)
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
		// on the network, which the deadlock tests would count as alive.
		tr := &http.Transport{DisableKeepAlives: true, Proxy: http.ProxyFromEnvironment}
		defer tr.CloseIdleConnections()
		c := http.Client{Timeout: 10 * time.Second, Transport: tr}
		resp, err := c.Get(strings.TrimSuffix(p, "/") + "/golang.org/x/sync/@v/list")
		if err != nil {
			return "module proxy " + p + " unreachable: " + err.Error()
		}
		resp.Body.Close()
		return ""
	}
	return ""
}

// goRun runs a program with the go command, in a module of its own that
// first pins the given module versions, and returns its output.
func goRun(t *testing.T, src string, pins ...string) string {
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
			t.Fatalf("go %s: %v\n%s%s", strings.Join(args, " "), err, out, stderrOf(err))
		}
		return string(out)
	}
	goCmd("mod", "init", "example.test")
	if len(pins) > 0 {
		goCmd(append([]string{"get"}, pins...)...)
	}
	return goCmd("run", "-mod=mod", ".")
}

func stderrOf(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return ""
}

// asCells turns a main package into a notebook: its imports and
// declarations in one cell, then a call of what was main (a cell that
// defines main would have the interpreter run it at once).
func asCells(src string) []string {
	_, body, _ := strings.Cut(src, "package main\n")
	return []string{strings.Replace(body, "func main() {", "func program() {", 1), "program()"}
}

// TestModules runs programs that import real third-party modules as
// notebook cells and compares their output with go run's.
func TestModules(t *testing.T) {
	needProxy(t)
	files, err := filepath.Glob("testdata/modules/*.go")
	if err != nil || len(files) == 0 {
		t.Fatal("no testdata", err)
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".go"), func(t *testing.T) {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			want := goRun(t, string(b))
			s, out, errOut, _ := newSession(t)
			runModuleCells(t, s, asCells(string(b))...)
			if got := out.String(); !sameOutput(got, want) {
				t.Errorf("output:\n%s\nwant (go run):\n%s\nstderr: %s", got, want, errOut)
			}
		})
	}
}

func sameOutput(got, want string) bool { return got == want }

func runModuleCells(t *testing.T, s *Session, cells ...string) {
	t.Helper()
	for i, c := range cells {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		_, err := s.Run(ctx, Cell{ID: int64(i + 1), Count: i + 1, Code: c})
		cancel()
		if err != nil {
			t.Fatalf("cell %d: %v\n%s", i+1, err, c)
		}
	}
}
