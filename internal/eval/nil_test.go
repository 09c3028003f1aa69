package eval

import (
	"errors"
	"strings"
	"testing"
)

func TestRuntimeErrors(t *testing.T) {
	tests := []struct {
		name, code, want string
	}{
		{"nil pointer field", "type Q struct{ X int }\nvar p *Q\np.X", "nil pointer dereference"},
		{"nil map write", "var m map[string]int\nm[\"a\"] = 1", "nil map"},
		{"nil pointer dereference", "var ip *int\nx := *ip + 1\nx", "nil pointer dereference"},
		{"nil pointer dereference as the value", "var ip *int\n*ip", "nil pointer dereference"},
		{"divide by zero", "z := 0\n1 / z", "divide by zero"},
		{"closed channel send", "ch := make(chan int)\nclose(ch)\nch <- 1", "send on closed channel"},
		{"index out of range", "s := []int{1}\ni := 5\ns[i]", "index out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, _, _ := newSession(t)
			got, err := run(t, s, tt.code)
			var e *Error
			if !errors.As(err, &e) || !strings.Contains(e.Value, tt.want) {
				t.Fatalf("got %q, %v; want an error saying %q", got, err, tt.want)
			}
		})
	}
}
