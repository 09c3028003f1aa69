// Package supervisortest provides a scripted fake worker for tests of code
// that drives a supervisor.Supervisor. A test binary calls MaybeRun from
// TestMain and passes Command and Env to supervisor.Options; the
// supervisor then re-executes the test binary, which plays the worker.
//
// A fake cell is a script, one command per line; text arguments are Go
// quoted strings:
//
//	out "text"          write text to stdout
//	err "text"          write text to stderr
//	slow "text"         write text to stdout one byte at a time, 1ms apart
//	lines N             write "line i\n" N times, one write each
//	big N               write N bytes of 'x' to stdout
//	display "text"      display a text/plain bundle
//	update "id" "text"  display (update when the id was shown before) with display_id id
//	clear               clear_output
//	splitmark           write the next sync mark in two halves, 5ms apart
//	input "prompt"      ask for input; write "got: <value>\n", or fail InputError
//	result "text"       make text/plain "text" the cell's value
//	fail Name "value"   end the cell with an error
//	crash "text"        write text to stderr and exit with status 2
//	hang                print "hanging\n" and ignore interrupts for good
//	waitint             print "waiting\n" and end with Interrupt when interrupted
//	later "text" MS     write text to stdout MS milliseconds after the cell
//	exitlater MS        exit (status 3, "bye" on stderr) MS ms after the cell
//	closestdout         close fd 1
//	nomarks             stop writing sync marks to stdout (fd 1 stays open)
//	pid                 write the process id and "\n" to stdout
package supervisortest

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/juggler-kernel/juggler/internal/wire"
)

// EnvVar marks a process started as the fake worker.
const EnvVar = "JUGGLER_FAKE_WORKER"

// Command is the argv that runs the fake worker: this test binary.
func Command() []string {
	exe, err := os.Executable()
	if err != nil {
		exe = os.Args[0]
	}
	return []string{exe}
}

// Env is the environment that makes Command play the worker.
func Env() []string { return []string{EnvVar + "=1"} }

// MaybeRun plays the worker and exits when this process was started as the
// fake worker; otherwise it returns at once.
func MaybeRun() {
	if os.Getenv(EnvVar) != "1" {
		return
	}
	os.Exit(run())
}

type fake struct {
	events     *wire.Writer
	nonce      string
	seq        uint64
	split      bool
	nomarks    bool
	mu         sync.Mutex // guards writes to fd 1 and 2 from later goroutines
	inputs     chan wire.Request
	interrupts chan struct{}
}

func run() int {
	reqs := wire.NewReader(os.NewFile(3, "requests"))
	f := &fake{
		events:     wire.NewWriter(os.NewFile(4, "events")),
		nonce:      strconv.Itoa(os.Getpid()) + "n",
		inputs:     make(chan wire.Request, 1),
		interrupts: make(chan struct{}, 1),
	}
	if err := f.events.Write(wire.Event{Kind: wire.KindReady, Nonce: f.nonce, PID: os.Getpid()}); err != nil {
		return 1
	}
	cells := make(chan wire.Request, 4)
	go func() {
		defer close(cells)
		for {
			var r wire.Request
			if err := reqs.Read(&r); err != nil {
				return
			}
			switch r.Kind {
			case wire.KindExecute:
				cells <- r
			case wire.KindInput:
				f.inputs <- r
			case wire.KindInterrupt:
				select {
				case f.interrupts <- struct{}{}:
				default:
				}
			}
		}
	}()
	for r := range cells {
		f.cell(r)
	}
	return 0
}

func (f *fake) write(fd int, s string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if fd == 1 {
		os.Stdout.WriteString(s)
	} else {
		os.Stderr.WriteString(s)
	}
}

// sync writes the next sync mark to both streams and returns its number.
func (f *fake) sync() uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seq++
	m := wire.SyncMark(f.nonce, f.seq)
	for _, w := range []*os.File{os.Stdout, os.Stderr} {
		if f.nomarks && w == os.Stdout {
			continue
		}
		if f.split {
			w.Write(m[:len(m)/2])
			time.Sleep(5 * time.Millisecond)
			w.Write(m[len(m)/2:])
		} else {
			w.Write(m)
		}
	}
	f.split = false
	return f.seq
}

func (f *fake) event(ev wire.Event) {
	ev.Sync = f.sync()
	if err := f.events.Write(ev); err != nil {
		os.Exit(1)
	}
}

func (f *fake) cell(r wire.Request) {
	for len(f.interrupts) > 0 {
		<-f.interrupts
	}
	done := wire.Event{Kind: wire.KindDone, ID: r.ID, Status: "ok"}
	shown := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(r.Code))
	for sc.Scan() {
		cmd, args := parse(sc.Text())
		num := func(i int) int {
			n, _ := strconv.Atoi(args[i])
			return n
		}
		switch cmd {
		case "":
		case "out":
			f.write(1, args[0])
		case "err":
			f.write(2, args[0])
		case "slow":
			for i := range len(args[0]) {
				f.write(1, args[0][i:i+1])
				time.Sleep(time.Millisecond)
			}
		case "lines":
			for i := range num(0) {
				f.write(1, fmt.Sprintf("line %d\n", i))
			}
		case "big":
			chunk := strings.Repeat("x", 64<<10)
			for n := num(0); n > 0; n -= len(chunk) {
				f.write(1, chunk[:min(n, len(chunk))])
			}
		case "display":
			f.event(wire.Event{Kind: wire.KindDisplay, ID: r.ID, Bundle: text(args[0])})
		case "update":
			b := text(args[1])
			b.Transient = map[string]any{"display_id": args[0]}
			f.event(wire.Event{Kind: wire.KindDisplay, ID: r.ID, Bundle: b, Update: shown[args[0]]})
			shown[args[0]] = true
		case "clear":
			f.event(wire.Event{Kind: wire.KindClear, ID: r.ID})
		case "splitmark":
			f.mu.Lock()
			f.split = true
			f.mu.Unlock()
		case "input":
			f.event(wire.Event{Kind: wire.KindInputRequest, ID: r.ID, Prompt: args[0]})
			in := <-f.inputs
			if in.Err != "" {
				done = wire.Event{Kind: wire.KindDone, ID: r.ID, Status: "error", Ename: "InputError", Evalue: in.Err}
				goto end
			}
			f.write(1, "got: "+in.Value+"\n")
		case "result":
			done.Result = text(args[0])
		case "fail":
			done = wire.Event{Kind: wire.KindDone, ID: r.ID, Status: "error", Ename: args[0], Evalue: args[1]}
		case "crash":
			f.write(2, args[0])
			os.Exit(2)
		case "hang":
			f.write(1, "hanging\n")
			select {}
		case "waitint":
			f.write(1, "waiting\n")
			<-f.interrupts
			done = wire.Event{Kind: wire.KindDone, ID: r.ID, Status: "error", Ename: "Interrupted", Evalue: "interrupted"}
			goto end
		case "later":
			s, d := args[0], time.Duration(num(1))*time.Millisecond
			go func() {
				time.Sleep(d)
				f.write(1, s)
			}()
		case "exitlater":
			d := time.Duration(num(0)) * time.Millisecond
			go func() {
				time.Sleep(d)
				f.write(2, "bye\n")
				os.Exit(3)
			}()
		case "closestdout":
			f.mu.Lock()
			os.Stdout.Close()
			f.mu.Unlock()
		case "nomarks":
			f.mu.Lock()
			f.nomarks = true
			f.mu.Unlock()
		case "pid":
			f.write(1, fmt.Sprintf("%d\n", os.Getpid()))
		default:
			done = wire.Event{Kind: wire.KindDone, ID: r.ID, Status: "error", Ename: "FakeError", Evalue: "unknown command " + cmd}
			goto end
		}
	}
end:
	f.event(done)
}

func text(s string) *wire.Bundle {
	return &wire.Bundle{Data: map[string]any{"text/plain": s}}
}

// parse splits a script line into its command and arguments, unquoting
// quoted ones.
func parse(line string) (string, []string) {
	cmd, rest, _ := strings.Cut(strings.TrimSpace(line), " ")
	var args []string
	for rest = strings.TrimSpace(rest); rest != ""; rest = strings.TrimSpace(rest) {
		if rest[0] == '"' {
			q, err := strconv.QuotedPrefix(rest)
			if err != nil {
				args = append(args, rest)
				break
			}
			s, _ := strconv.Unquote(q)
			args = append(args, s)
			rest = rest[len(q):]
			continue
		}
		a, r, _ := strings.Cut(rest, " ")
		args = append(args, a)
		rest = r
	}
	for len(args) < 2 {
		args = append(args, "")
	}
	return cmd, args
}
