package tracer

import "strings"

// normalReason maps the runtime's block reasons (runtime/traceruntime.go,
// traceBlockReasonStrings) to the few the timeline distinguishes.
func normalReason(raw string) string {
	switch raw {
	case ReasonChanSend, ReasonChanRecv, ReasonSelect, ReasonSync, ReasonSleep:
		return raw
	case "sync.(*Cond).Wait":
		return ReasonSync
	case "network":
		return ReasonIO
	case "forever":
		return ReasonForever
	case "GC mark assist wait for work", "GC background sweeper wait", "wait until GC ends", "GC weak to strong wait":
		return ReasonGC
	case "", "unspecified":
		return ReasonOther
	}
	return raw
}

// interpOps maps the interpreter's functions (yaegi interp/run.go) that
// implement channel operations through reflect.Select to the operation the
// user wrote.
var interpOps = map[string]string{
	"rangeChan": ReasonChanRecv, // for v := range ch
	"recv":      ReasonChanRecv, // <-ch
	"recv2":     ReasonChanRecv, // v, ok := <-ch
	"send":      ReasonChanSend, // ch <- v
	"_select":   ReasonSelect,   // a select statement
}

// reasonFromStack works out why a goroutine blocks from the stack it blocked
// with, the innermost frame first. It serves two cases: goroutines already
// blocked when the trace started (their status event carries a stack but no
// reason), and "select" reasons that are really the interpreter running a
// plain channel operation through reflect.Select. It returns "" when the
// stack says nothing it knows.
func reasonFromStack(frames []string) string {
	reflectSelect := false
	for _, f := range frames {
		if reflectSelect {
			// The first interpreter frame above reflect.Select is the
			// closure of the operation: "github.com/juggler-kernel/juggler/internal/yaegi/interp.recv.func3".
			if _, after, ok := strings.Cut(f, "/yaegi/interp."); ok {
				name, _, _ := strings.Cut(after, ".")
				if op, ok := interpOps[name]; ok {
					return op
				}
				return ReasonSelect
			}
			continue
		}
		switch {
		case f == "reflect.Select" || f == "reflect.rselect":
			reflectSelect = true
		case strings.HasPrefix(f, "runtime.chansend"):
			return ReasonChanSend
		case strings.HasPrefix(f, "runtime.chanrecv"):
			return ReasonChanRecv
		case f == "runtime.block":
			return ReasonForever
		case f == "runtime.selectgo":
			// A select statement, unless reflect.Select (further out)
			// called it: then keep looking for the interpreter's frame.
			// The kernel's time.Sleep for cells is a select too.
			if hasFrame(frames, kernelSleep) {
				return ReasonSleep
			}
			if !hasReflectSelect(frames) {
				return ReasonSelect
			}
		case f == "time.Sleep":
			return ReasonSleep
		case strings.HasPrefix(f, "sync.") || strings.HasPrefix(f, "internal/sync.") || f == "runtime.semacquire1" || strings.HasPrefix(f, "sync/atomic."):
			return ReasonSync
		case strings.HasPrefix(f, "internal/poll.") || f == "runtime.netpollblock":
			return ReasonIO
		}
	}
	if reflectSelect {
		return ReasonSelect
	}
	return ""
}

// kernelSleep is the function cells' time.Sleep runs: a select on a timer
// and on the cell being stopped.
const kernelSleep = "github.com/juggler-kernel/juggler/internal/eval.(*Session).sleep"

func hasFrame(frames []string, name string) bool {
	for _, f := range frames {
		if f == name {
			return true
		}
	}
	return false
}

func hasReflectSelect(frames []string) bool {
	for _, f := range frames {
		if f == "reflect.Select" || f == "reflect.rselect" {
			return true
		}
	}
	return false
}
