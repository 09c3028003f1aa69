package interp_test

import (
	"bytes"
	"testing"

	"github.com/juggler-kernel/juggler/internal/gorun"
	"github.com/juggler-kernel/juggler/internal/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

// juggler: the programs of testdata/fidelity print in the fork what `go
// run` prints for them: a program's own types through every fmt verb, and
// errors.Is and errors.As with them (fmtvalue.go).
func TestFidelity(t *testing.T) {
	progs := gorun.ReadPrograms(t, "testdata/fidelity")
	want := gorun.Outputs(t, progs)
	for _, name := range gorun.Names(progs) {
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			i := interp.New(interp.Options{Stdout: &stdout, Stderr: &stderr})
			if err := i.Use(stdlib.Symbols); err != nil {
				t.Fatal(err)
			}
			if _, err := i.Eval(progs[name]); err != nil {
				t.Errorf("interpreted: %v", err)
			}
			if got := gorun.MaskAddresses(stdout.String()); got != want[name] {
				t.Errorf("output differs from go run's:\n%s", gorun.Diff(want[name], got))
			}
		})
	}
}
