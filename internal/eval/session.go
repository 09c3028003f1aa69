// Package eval runs notebook cells on a yaegi interpreter: it hands the
// pieces of a parsed cell to the interpreter in order, imports standard
// library packages a cell uses without importing them, captures the cell's
// value, and turns compile errors and panics into errors that name cell
// lines.
package eval

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/juggler-kernel/juggler/internal/yaegi/interp"
	"github.com/traefik/yaegi/stdlib/unsafe"

	"github.com/juggler-kernel/juggler/internal/cell"
	"github.com/juggler-kernel/juggler/internal/display"
	"github.com/juggler-kernel/juggler/internal/modules"
	"github.com/juggler-kernel/juggler/internal/native"
	"github.com/juggler-kernel/juggler/internal/stdlib"
	"github.com/juggler-kernel/juggler/internal/tracer"
)

// runtimePkg is the import path and name of the kernel's own helpers inside
// the interpreter. The double underscore keeps it out of the user's way.
const (
	runtimePath = "jugglerrt"
	runtimeName = "__jg"
)

// watchAfter is how long a cell runs before the deadlock watch starts.
const watchAfter = 300 * time.Millisecond

// flowMark starts every evaluation of statements: the tracer learns which
// goroutine runs the cell's own flow (yaegi runs each evaluation on a
// goroutine of its own). It sits on the line before the cell's first //line
// directive, so it shifts no cell position.
const flowMark = runtimeName + ".Flow();"

// Options configures a Session.
type Options struct {
	Stdout io.Writer
	Stderr io.Writer
	Stdin  io.Reader
	// Display receives what cells show with the display package.
	Display display.Sink
	// Modules resolves imports outside the standard library; nil means
	// a module directory of the session's own.
	Modules *modules.Dir
}

// Session is one interpreter and what the cells run so far have defined.
type Session struct {
	opts   Options
	in     *interp.Interpreter
	stderr *traceWriter
	// store keeps what cells defined, as source, to rebuild the
	// interpreter from when a redefinition needs it.
	store store
	// notes are what the last cell should tell the user besides its
	// output (variables a rebuild could not keep).
	notes []string

	// imported maps an import path to the name it was imported as.
	imported map[string]string
	// names are the top-level names cells have defined.
	names map[string]bool

	mu      sync.Mutex
	results []any

	goroutines *goroutines
	timers     *timers
	// wrapped are the running cell's loops that run in a function
	// literal of the rewrite's, whose frames a traceback leaves out.
	wrapped []int
	// natives are the symbols of the %%native cells' plugins.
	natives natives
	builder *native.Builder

	stopMu sync.Mutex
	// stops holds, per cell, a channel closed when the cell is stopped.
	stops map[int64]chan struct{}
}

// stopOf returns the channel closed when cell is stopped.
func (s *Session) stopOf(cell int64) <-chan struct{} {
	s.stopMu.Lock()
	defer s.stopMu.Unlock()
	c, ok := s.stops[cell]
	if !ok {
		s.goroutines.dropStops(s.stops, cell)
		c = make(chan struct{})
		s.stops[cell] = c
	}
	return c
}

// dropStop forgets the stop channel of an earlier cell whose goroutines
// have all ended: nothing of it can sleep any more. (stopOf drops such
// channels too, but only when a later cell sleeps.)
func (s *Session) dropStop(cell int64) {
	s.stopMu.Lock()
	defer s.stopMu.Unlock()
	delete(s.stops, cell)
}

// sleep is time.Sleep for cells: a stopped cell must not sleep on, since
// yaegi can only stop interpreted code between steps, not inside a call.
// Only the sleeps of the stopped cell's own goroutines end early: those
// earlier cells left running sleep on as they asked.
func (s *Session) sleep(d time.Duration) {
	stop := s.stopOf(s.goroutines.callerCell())
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-stop:
	}
}

// settle wakes what a stopped cell left sleeping and waits a short while
// for the goroutine that ran the cell's code to unwind: yaegi returns from
// a cancelled evaluation at once, and the next cell must not run beside the
// old one, which races inside the interpreter.
func (s *Session) settle() {
	s.wake()
	deadline := time.Now().Add(settleWait)
	for {
		var flows []int64
		stuck := true
		for id, g := range snapshot() {
			if g.flow {
				flows = append(flows, id)
				// yaegi cannot stop a wait on a lock from outside: only
				// an Unlock or Done would end it, so waiting is no use.
				stuck = stuck && (strings.HasPrefix(g.wait, "sync.") || g.wait == "semacquire")
			}
		}
		if len(flows) == 0 {
			return
		}
		if stuck || time.Now().After(deadline) {
			abandon(flows)
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// wake ends the sleeps of the running cell's goroutines: the cell was
// stopped, or the program it ran ended.
func (s *Session) wake() {
	s.stopMu.Lock()
	defer s.stopMu.Unlock()
	cell := s.goroutines.cell.Load()
	if c, ok := s.stops[cell]; ok {
		close(c)
		delete(s.stops, cell)
	}
}

// settleWait bounds settle: code stuck in a host call that nothing will
// end (a second Lock of a mutex) is left behind.
const settleWait = 500 * time.Millisecond

// Error is a cell that failed: it compiled wrong, panicked or was stopped.
type Error struct {
	Name      string // Jupyter ename
	Value     string // Jupyter evalue
	Traceback []string
}

func (e *Error) Error() string { return e.Name + ": " + e.Value }

// New starts an interpreter with the standard library, the display package
// and the kernel's helpers.
func New(o Options) (*Session, error) {
	tw := &traceWriter{w: o.Stderr}
	if o.Modules == nil {
		o.Modules = modules.Open("")
	}
	s := &Session{opts: o, stderr: tw, imported: map[string]string{}, names: map[string]bool{}}
	s.goroutines = &goroutines{stderr: o.Stderr, trace: tw, live: map[int64]*Goroutine{}, byGoID: map[int64]int64{}, perCell: map[int64]int{}}
	s.timers = &timers{stderr: o.Stderr}
	s.stops = map[int64]chan struct{}{}
	s.goroutines.idle = s.dropStop
	s.builder = &native.Builder{Mods: o.Modules}
	in, err := s.newInterp()
	if err != nil {
		return nil, err
	}
	s.in = in
	return s, nil
}

// newInterp makes an interpreter with the standard library, the display
// package and the kernel's helpers: the session's first, and each one a
// rebuild starts from.
func (s *Session) newInterp() (*interp.Interpreter, error) {
	in := interp.New(interp.Options{
		Stdout:       s.opts.Stdout,
		Stderr:       s.stderr,
		Stdin:        s.opts.Stdin,
		Unrestricted: true,
		// os.Stdin, os.Stdout and os.Stderr inside cells are the kernel's
		// reader and writers: that is how reads of os.Stdin reach the
		// front end. An option, not YAEGI_SPECIAL_STDIO, which cells
		// would see in their environment.
		SpecialStdio: true,
		// A cell sees the command line of a program run with no
		// arguments, not the worker's.
		Args: []string{os.Args[0]},
		// A cell's func main runs when its cell ends (runMain), not at
		// the end of every later evaluation or of a rebuild.
		NoMain: true,
		// A cell's final value of its own type shows as its HTML, its
		// String and so on.
		ResultInterfaces: richTypes(),
		StdlibSource:     stdlib.Source,
		// Packages outside the standard library are interpreted from
		// the source the session's module resolved.
		GoPath:               ".",
		SourcecodeFilesystem: s.opts.Modules.FS(),
		BuildTags:            modules.Tags,
	})
	show := reflect.ValueOf(s.show)
	displays := display.Symbols(s.opts.Display)
	for _, syms := range append(s.natives.symbols(), stdlib.Symbols, stdlib.Unrestricted, unsafe.Symbols, displays, s.timers.symbols(), richSymbols(show, displays[display.ImportPath+"/display"]["Value"]), interp.Exports{
		runtimePath + "/" + runtimePath: {
			"Show": show,
			"Go":   reflect.ValueOf(s.goroutines.start),
			"Flow": reflect.ValueOf(func() { tracer.LabelCellFlow(s.goroutines.cell.Load()) }),
		},
		"os/os":     {"Exit": reflect.ValueOf(s.exit)},
		"time/time": {"Sleep": reflect.ValueOf(s.sleep)},
	}) {
		if err := in.Use(syms); err != nil {
			return nil, fmt.Errorf("eval: load symbols: %w", err)
		}
	}
	fatal, err := fatalSymbols(in, s.exit)
	if err == nil {
		err = in.Use(fatal)
	}
	if err != nil {
		return nil, fmt.Errorf("eval: load symbols: %w", err)
	}
	if _, err := in.Eval(fmt.Sprintf("import %s %q", runtimeName, runtimePath)); err != nil {
		return nil, fmt.Errorf("eval: import runtime helpers: %w", err)
	}
	return in, nil
}

func (s *Session) show(vs ...any) {
	s.mu.Lock()
	s.results = vs
	s.mu.Unlock()
}

// Result is what a cell produced.
type Result struct {
	// Values holds the cell's final expression's values; HasValue is false
	// when the cell does not end in an expression or the call returns
	// nothing.
	Values   []any
	HasValue bool
}

// Cell is one cell to run.
type Cell struct {
	// ID names the cell for the kernel: goroutines and traces carry it.
	ID int64
	// Count is the execution count the front end shows (In [Count]), or 0.
	Count int
	Code  string
}

// Run runs a cell. ctx cancels it; a cell that deadlocks is cancelled with
// an error that says so.
func (s *Session) Run(ctx context.Context, in Cell) (Result, error) {
	if code, ok := strings.CutPrefix(in.Code, native.Marker); ok {
		return s.runNative(ctx, in, code)
	}
	c, err := cell.ParseWith(in.Code, cell.Options{Defined: func(n string) bool { return s.names[n] }, Count: in.Count})
	if err != nil {
		return Result{}, compileError(err)
	}
	s.wrapped = c.Wrapped
	s.goroutines.cell.Store(in.ID)
	s.goroutines.count.Store(int64(in.Count))
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	s.goroutines.running(cancel)
	defer s.goroutines.running(nil)
	// Most cells end long before a deadlock could be told from a pause, so
	// the watch starts only once the cell has run a while.
	watch := time.AfterFunc(watchAfter, func() { s.watch(ctx, cancel) })
	defer watch.Stop()
	s.stderr.reset()
	s.notes = nil
	if err := s.importAll(ctx, c); err != nil {
		return Result{}, err
	}
	rebuilt := false
	if s.store.needsRebuild(c) {
		// When the rebuild fails the cell runs as it is: its own errors,
		// if it has any, say what is wrong better than the rebuild can.
		rebuilt = s.rebuild(ctx, s.store.merge(c), c.Vars) == nil
	}
	res, err := s.runChunks(ctx, c)
	ran := err == nil // every piece of the cell ran
	if ran {
		err = s.runMain(ctx, c)
	}
	if errors.Is(err, errExitOK) {
		// The program ended successfully: so does the cell.
		res, err = Result{}, nil
	}
	if err != nil {
		var e *Error
		if errors.As(err, &e) && e.Name == "CompileError" && len(c.Defines) > 0 {
			// The cell did not compile, but yaegi may have defined some
			// of its names already: go back to the session as it was.
			if rerr := s.rebuild(ctx, s.store, nil); rerr != nil {
				s.notes = append(s.notes, fmt.Sprintf("the session could not be put back as it was before this cell: %v", rerr))
			}
		} else if rebuilt || ran {
			// The interpreter holds what the cell defined: a failed
			// main does not undo its declarations.
			s.store = s.store.merge(c)
		}
		return Result{}, err
	}
	s.store = s.store.merge(c)
	for _, n := range c.Defines {
		s.names[n] = true
	}
	return res, nil
}

// Notes returns what the last cell should tell the user besides its output
// and errors: variables that a rebuild of the session could not keep.
func (s *Session) Notes() []string { return s.notes }

// runChunks evaluates the cell's pieces in order.
func (s *Session) runChunks(ctx context.Context, c *cell.Cell) (Result, error) {
	chunks := c.Chunks
	// The final expression runs in the same evaluation as the statements
	// before it: yaegi compiling a new piece while goroutines of the last
	// one run is a data race inside yaegi, so a cell is as few pieces as
	// its mix of declarations and statements allows.
	var before string
	if n := len(chunks); c.Last != "" && n > 0 && chunks[n-1].Kind == cell.Stmt {
		before, chunks = chunks[n-1].Src, chunks[:n-1]
	}
	for _, ch := range chunks {
		src := ch.Src
		if ch.Kind == cell.Stmt {
			src = flowMark + src
		}
		if _, err := s.in.EvalWithContext(ctx, src); err != nil {
			return Result{}, s.failure(ctx, err)
		}
	}
	if c.Last == "" {
		return Result{}, nil
	}
	return s.runLast(ctx, before, c)
}

// runMain runs the cell's func main, if it declares one, once, as the
// program it was pasted from would: at its end, after its init functions
// (which the interpreter runs when it compiles them).
func (s *Session) runMain(ctx context.Context, c *cell.Cell) error {
	for _, d := range c.Defs {
		if d.Kind == cell.KindFunc && d.Names[0] == "main" {
			// A program ends when main returns, panics or exits, and the
			// goroutines it started end with it, and those its init
			// functions started: the cell's run stops.
			src := fmt.Sprintf("%s\n//line %s:%d:1\nmain()", flowMark, cell.FileName, d.Line)
			_, err := s.in.EvalWithContext(ctx, src)
			s.in.EndRun(ctx)
			s.wake()
			if err != nil {
				return s.failure(ctx, err)
			}
		}
	}
	return nil
}

// runLast evaluates the statements before the cell's final expression and
// the expression, through the helper that captures all its values. A call
// that returns nothing cannot be an argument, which the interpreter reports
// at compile time, before anything runs; then the expression is run as a
// plain statement.
func (s *Session) runLast(ctx context.Context, before string, c *cell.Cell) (Result, error) {
	if c.LastCall == "" {
		// An expression that is not a call has exactly one value, which
		// yaegi returns itself: no helper needed (it costs a global frame
		// slot per evaluation, which yaegi copies on every later one).
		v, err := s.in.EvalWithContext(ctx, flowMark+before+c.Last)
		if err != nil {
			return Result{}, s.failure(ctx, err)
		}
		if !v.IsValid() && c.LastDeref {
			msg := panicText("reflect: indirection through nil pointer")
			return Result{}, &Error{Name: "panic", Value: msg, Traceback: []string{"panic: " + msg}}
		}
		if v.IsValid() && v.Kind() == reflect.Struct && v.NumField() == 0 && c.LastRecv {
			// `<-done` on a chan struct{}: a signal, not a value to show.
			return Result{}, nil
		}
		if v.IsValid() && v.CanInterface() {
			return Result{Values: []any{s.in.Printable(v.Interface())}, HasValue: true}, nil
		}
		return Result{Values: []any{nil}, HasValue: true}, nil
	}
	s.show()
	_, err := s.in.EvalWithContext(ctx, flowMark+before+"\n"+runtimeName+".Show("+c.Last+",\n)")
	if err != nil {
		if !isCompileError(err) {
			return Result{}, s.failure(ctx, err)
		}
		if _, err := s.in.EvalWithContext(ctx, flowMark+before+c.Last); err != nil {
			return Result{}, s.failure(ctx, err)
		}
		return Result{}, nil
	}
	s.mu.Lock()
	vs := s.results
	s.results = nil
	s.mu.Unlock()
	if len(vs) == 0 || isWriteResult(c.LastCall, vs) {
		return Result{}, nil
	}
	for i, v := range vs {
		// A cell's struct types show with their own field names.
		vs[i] = s.in.Printable(v)
	}
	return Result{Values: vs, HasValue: true}, nil
}

// isWriteResult tells the (bytes written, nil error) pair that Print and
// Write functions return, which a notebook should not show after every
// fmt.Println.
func isWriteResult(call string, vs []any) bool {
	if len(vs) != 2 || vs[1] != nil {
		return false
	}
	if _, ok := vs[0].(int); !ok {
		return false
	}
	for _, p := range []string{"Print", "Fprint", "Write"} {
		if strings.HasPrefix(call, p) {
			return true
		}
	}
	return false
}

// importAll runs the cell's explicit imports that are new, then imports the
// standard-library packages the cell uses by name without importing them.
func (s *Session) importAll(ctx context.Context, c *cell.Cell) error {
	explicit := map[string]bool{}
	for _, imp := range c.Imports {
		name := imp.Name
		if name == "" {
			name = packageName(imp.Path)
		}
		if s.imported[imp.Path] == name {
			explicit[name] = true
			continue
		}
		if !modules.IsStandard(imp.Path) && !s.natives.has(imp.Path) {
			n, err := s.loadModule(ctx, imp)
			if err != nil {
				return err
			}
			if imp.Name == "" {
				name = n
			}
		}
		explicit[name] = true
		src := fmt.Sprintf("\n//line %s:%d:1\nimport %s %q", cell.FileName, imp.Line, imp.Name, imp.Path)
		if _, err := s.in.EvalWithContext(ctx, src); err != nil {
			if !modules.IsStandard(imp.Path) && !s.natives.has(imp.Path) && ctx.Err() == nil {
				// The go command found the package; the interpreter
				// could not compile it (a compile error, or a panic of
				// the compiler's).
				why := err.Error()
				var p interp.Panic
				if errors.As(err, &p) {
					why = panicText(p.Value)
					s.stderr.take()
				}
				msg := fmt.Sprintf("line %d: cannot interpret %s: %s\n(an interpreter limit: import it in a %%%%native cell instead, which compiles it, and use it from there)", imp.Line, imp.Path, why)
				return &Error{Name: "ImportError", Value: msg, Traceback: []string{"ImportError: " + msg}}
			}
			return s.failure(ctx, err)
		}
		s.imported[imp.Path] = name
	}
	names := make([]string, 0, len(c.Uses))
	for n := range c.Uses {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		if explicit[name] || s.names[name] || s.importedName(name) {
			continue
		}
		path, ok := resolve(name, c.Uses[name])
		if !ok {
			continue
		}
		if _, err := s.in.EvalWithContext(ctx, fmt.Sprintf("import %q", path)); err != nil {
			return s.failure(ctx, err)
		}
		s.imported[path] = name
	}
	return nil
}

// loadModule resolves a package outside the standard library with the go
// command, for the interpreter to read its source, and returns its name.
// The first time a module is used, a note says where it comes from and how
// it runs.
func (s *Session) loadModule(ctx context.Context, imp cell.Import) (string, error) {
	pkgs, added, err := s.opts.Modules.Load(ctx, imp.Path)
	if err != nil {
		if ctx.Err() != nil {
			return "", s.failure(ctx, err)
		}
		msg := fmt.Sprintf("line %d: %v", imp.Line, err)
		return "", &Error{Name: "ImportError", Value: msg, Traceback: []string{"ImportError: " + msg}}
	}
	var pkg *modules.Package
	for _, p := range pkgs {
		if p.ImportPath == imp.Path {
			pkg = p
		}
	}
	if pkg == nil {
		return packageName(imp.Path), nil
	}
	// Compiled into a plugin where it can be (fast), else interpreted.
	how := "is interpreted from source"
	syms, why, err := s.builder.Compile(ctx, pkg)
	switch {
	case syms != nil:
		if err := s.in.Use(syms); err != nil {
			return "", fmt.Errorf("eval: load the symbols of %s: %w", imp.Path, err)
		}
		s.natives.add(imp.Path, syms)
		how = "is compiled into a plugin"
	case err != nil && ctx.Err() != nil:
		return "", s.failure(ctx, err)
	case err != nil:
		how += " (building a plugin failed: " + firstLine(err.Error()) + ")"
	case why != "":
		how += " (" + why + ")"
	}
	if len(added) > 0 {
		ms := make([]string, len(added))
		for i, m := range added {
			ms[i] = m.String()
		}
		s.notes = append(s.notes, fmt.Sprintf("%s %s; module %s", imp.Path, how, strings.Join(ms, ", ")))
	}
	if pkg.Name != "" {
		return pkg.Name, nil
	}
	return packageName(imp.Path), nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func (s *Session) importedName(name string) bool {
	for _, n := range s.imported {
		if n == name {
			return true
		}
	}
	return false
}

var compilePos = regexp.MustCompile(`^(?:[^\s:]*\.go:)?(\d+):(\d+): (.*)$`)

func isCompileError(err error) bool {
	var p interp.Panic
	if errors.As(err, &p) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	return true
}

// failure turns what the interpreter returned into an Error.
func (s *Session) failure(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		s.settle()
	}
	var dead *Error
	if errors.As(context.Cause(ctx), &dead) {
		return dead
	}
	if errors.Is(context.Cause(ctx), errExitOK) {
		return errExitOK
	}
	if ctx.Err() != nil {
		return &Error{Name: "Interrupted", Value: "the cell was interrupted"}
	}
	var p interp.Panic
	if errors.As(err, &p) {
		return s.panicError(p)
	}
	return compileError(err)
}

func compileError(err error) error {
	var ce *cell.Error
	if errors.As(err, &ce) {
		return &Error{Name: "SyntaxError", Value: ce.Error(), Traceback: []string{"SyntaxError: " + ce.Error()}}
	}
	var lines []string
	for _, l := range strings.Split(err.Error(), "\n") {
		if m := compilePos.FindStringSubmatch(l); m != nil {
			l = "line " + m[1] + ": " + m[3]
			if b := strings.TrimPrefix(m[3], "undefined: "); b == "min" || b == "max" {
				l += " (the interpreter has no " + b + " builtin; Juggler supplies one for int, int64, uint, float64 and string arguments whose type it can tell, not for these: compare them, or convert them to one of those types)"
			}
		}
		lines = append(lines, l)
	}
	msg := strings.Join(lines, "\n")
	return &Error{Name: "CompileError", Value: msg, Traceback: []string{"CompileError: " + msg}}
}

// panicText is the message Go prints for a panic value.
// yaegi runs cells through reflect, so some runtime errors surface as
// reflect's panics; a Go programmer expects the runtime's words.
func panicText(v any) string {
	if rv, ok := v.(reflect.Value); ok && rv.IsValid() && rv.CanInterface() {
		v = rv.Interface()
	}
	if e, ok := v.(interp.Exit); ok {
		// os.Exit in a goroutine, which reportPanic shows (panicError
		// handles the cell's own flow).
		return fmt.Sprintf("os.Exit(%d) called; the kernel keeps the session", e.Code)
	}
	msg := fmt.Sprint(v)
	if err, ok := v.(error); ok {
		msg = err.Error()
	}
	switch {
	case strings.HasPrefix(msg, "reflect: call of reflect.Value.") && strings.HasSuffix(msg, " on zero Value"),
		strings.HasPrefix(msg, "reflect: indirection through nil pointer"):
		return "runtime error: invalid memory address or nil pointer dereference"
	case msg == "reflect: slice index out of range", msg == "reflect: array index out of range",
		msg == "reflect: string index out of range":
		return "runtime error: index out of range"
	}
	return msg
}

func (s *Session) panicError(p interp.Panic) error {
	v := p.Value
	if rv, ok := v.(reflect.Value); ok && rv.IsValid() && rv.CanInterface() {
		v = rv.Interface()
	}
	frames := s.stderr.take()
	frames = dropWrappers(frames, s.wrapped)
	if e, ok := v.(interp.Exit); ok {
		return exitError(e.Code, frames)
	}
	msg := panicText(v)
	tb := append([]string{"panic: " + msg}, frames...)
	return &Error{Name: "panic", Value: msg, Traceback: tb}
}

// dropWrappers removes from frames those of the function literals a cell's
// top-level loops run in (cell.Cell.Wrapped gives their lines): the frame
// "in func" the loop's call "line L: in the cell" follows, or that is on
// line L itself. The user wrote no such function.
func dropWrappers(frames []string, wrapped []int) []string {
	if len(wrapped) == 0 {
		return frames
	}
	out := frames[:0:0]
	for i, f := range frames {
		if strings.HasSuffix(f, ": in func") && slices.ContainsFunc(wrapped, func(l int) bool {
			return f == fmt.Sprintf("    line %d: in func", l) ||
				i+1 < len(frames) && frames[i+1] == fmt.Sprintf("    line %d: in the cell", l)
		}) {
			continue
		}
		out = append(out, f)
	}
	return out
}

// traceWriter passes the interpreter's stderr through, except the lines
// yaegi prints for each frame a panic unwinds ("3:2: panic: main.g(...)"):
// those become the cell's traceback, so a panic shows once, as an error.
type traceWriter struct {
	w      io.Writer
	mu     sync.Mutex
	frames []string
}

var panicFrame = regexp.MustCompile(`^(?:[^\s:]*\.go:)?(\d+):(\d+): panic: (.*)\(\.\.\.\)\n$`)

func (t *traceWriter) Write(b []byte) (int, error) {
	if m := panicFrame.FindSubmatch(b); m != nil {
		fn := strings.TrimPrefix(string(m[3]), "main.")
		where := "in " + fn
		if fn == "main" {
			where = "in the cell"
		}
		t.mu.Lock()
		t.frames = append(t.frames, fmt.Sprintf("    line %s: %s", m[1], where))
		t.mu.Unlock()
		return len(b), nil
	}
	return t.w.Write(b)
}

func (t *traceWriter) reset() {
	t.mu.Lock()
	t.frames = nil
	t.mu.Unlock()
}

func (t *traceWriter) take() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	f := t.frames
	t.frames = nil
	return f
}

// packageName is the default name of an imported package: the last path
// element, without a major version suffix.
func packageName(path string) string {
	parts := strings.Split(path, "/")
	name := parts[len(parts)-1]
	if len(parts) > 1 && strings.HasPrefix(name, "v") {
		if _, err := strconv.Atoi(name[1:]); err == nil {
			name = parts[len(parts)-2]
		}
	}
	return name
}
