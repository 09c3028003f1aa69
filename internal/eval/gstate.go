package eval

import (
	"bytes"
	"runtime"
	"strconv"
	"strings"
	"sync"
)

// gstate is what the runtime says of one goroutine.
type gstate struct {
	id int64
	// wait is what the goroutine does, in the words of Go's own wait
	// reasons ("chan send", "sync.WaitGroup.Wait", "sleep", "running"),
	// refined for interpreted code: yaegi implements channel operations
	// with reflect.Select, so the runtime says "select" where the user
	// wrote a send or a receive; the interpreter frame on top tells which.
	wait string
	// kernel is set for the worker's own goroutines, which never count as
	// user goroutines.
	kernel bool
	// external is set when the goroutine waits for the world outside the
	// process on the user's behalf (an input request to the front end).
	external bool
	// flow is set for the goroutine that runs a cell's own statements.
	flow bool
}

// blocking tells the wait reasons that only another goroutine can end.
func blocking(wait string) bool {
	switch wait {
	case "chan send", "chan receive", "select", "select (no cases)",
		"chan send (nil chan)", "chan receive (nil chan)", "semacquire":
		return true
	}
	return strings.HasPrefix(wait, "sync.")
}

// Frames of interpreted channel operations, as yaegi names its builtins.
var interpOps = []struct{ frame, wait string }{
	{"interp.send", "chan send"},
	{"interp.sendConst", "chan send"},
	{"interp.recv", "chan receive"},
	{"interp._recv", "chan receive"},
	{"interp.recv2", "chan receive"},
	{"interp.rangeChan", "chan receive"},
	{"interp._select", "select"},
}

// Stack frames that mark a goroutine as the kernel's own.
var kernelFrames = []string{
	"juggler/internal/worker.",
	"juggler/internal/eval.(*Session).watch",
	"juggler/internal/eval.(*Session).Run",
	"os/signal.",
	"runtime/trace.",
	// Only in tests, where the testing package's goroutines wait too.
	"testing.tRunner",
	"testing.(*T).Run",
	"testing.(*M).",
}

// abandoned holds the goroutines of stopped cells that stay stuck in a host
// call yaegi cannot interrupt (a second Lock of a mutex): they are no
// cell's flow any more and wait on nothing a user could still end. The set
// is the process's, like the goroutines it names.
var abandoned sync.Map // goroutine ID -> struct{}

func abandon(ids []int64) {
	for _, id := range ids {
		abandoned.Store(id, struct{}{})
	}
}

// snapshot reads every goroutine's state from the runtime.
func snapshot() map[int64]gstate {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	out := map[int64]gstate{}
	for _, g := range bytes.Split(buf, []byte("\n\n")) {
		if s, ok := parseGoroutine(string(g)); ok {
			if _, gone := abandoned.Load(s.id); gone {
				s.kernel, s.flow = true, false
			}
			out[s.id] = s
		}
	}
	return out
}

// parseGoroutine reads one goroutine of a runtime.Stack dump:
//
//	goroutine 23 [select, 2 minutes]:
//	github.com/juggler-kernel/juggler/internal/yaegi/interp.send.func2(...)
//		/path/run.go:3300 +0x1a
func parseGoroutine(text string) (gstate, bool) {
	header, rest, _ := strings.Cut(text, "\n")
	header = strings.TrimPrefix(header, "goroutine ")
	idText, state, ok := strings.Cut(header, " [")
	if !ok {
		return gstate{}, false
	}
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil {
		return gstate{}, false
	}
	state = strings.TrimSuffix(state, "]:")
	state, _, _ = strings.Cut(state, ",")
	s := gstate{id: id, wait: state}
	refined := false
	for _, line := range strings.Split(rest, "\n") {
		if strings.HasPrefix(line, "\t") {
			continue
		}
		for _, f := range kernelFrames {
			if strings.Contains(line, f) {
				s.kernel = true
			}
		}
		if strings.HasPrefix(line, "github.com/juggler-kernel/juggler/internal/yaegi/interp.(*Interpreter).EvalWithContext.func1(") {
			s.flow = true
		}
		// Cells sleep through Session.sleep, which waits in a select.
		if strings.Contains(line, "juggler/internal/eval.(*Session).sleep(") {
			s.wait, refined = "sleep", true
		}
		if strings.Contains(line, "juggler/internal/worker.(*stdin).Read") {
			s.external = true
		}
		// yaegi's EvalWithContext waits for the goroutine that runs the
		// code; the waiting one is the kernel's, the running one the user's.
		if strings.HasPrefix(line, "github.com/juggler-kernel/juggler/internal/yaegi/interp.(*Interpreter).EvalWithContext(") {
			s.kernel = true
		}
		if !refined && s.wait == "select" {
			for _, op := range interpOps {
				if strings.Contains(line, "yaegi/"+op.frame+"(") || strings.Contains(line, "yaegi/"+op.frame+".func") {
					s.wait, refined = op.wait, true
					break
				}
			}
		}
	}
	return s, true
}
