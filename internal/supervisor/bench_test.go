package supervisor

import (
	"context"
	"io"
	"log"
	"testing"

	"github.com/juggler-kernel/juggler/internal/supervisor/supervisortest"
)

// BenchmarkExecute is the supervisor's share of a trivial cell: the
// request down the pipe, the fake worker's sync marks on stdout and
// stderr and its done event back, and the wait for both marks. The fake
// worker runs no interpreter, so this is the floor under a real cell.
func BenchmarkExecute(b *testing.B) {
	s := New(Options{Command: supervisortest.Command(), Env: supervisortest.Env(), Log: log.New(io.Discard, "", 0)})
	defer s.Close()
	ctx := context.Background()
	if err := s.Start(ctx); err != nil {
		b.Fatal(err)
	}
	out := &recorder{}
	for b.Loop() {
		if r := s.Execute(ctx, `result "1"`, false, out); r.Status != "ok" {
			b.Fatalf("status %s: %s", r.Status, r.Evalue)
		}
	}
}
