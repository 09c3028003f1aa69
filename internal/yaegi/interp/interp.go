package interp

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"go/build"
	"go/scanner"
	"go/token"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path"
	"path/filepath"
	"reflect"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"weak"
)

// Interpreter node structure for AST and CFG.
type node struct {
	debug      *nodeDebugData // debug info
	child      []*node        // child subtrees (AST)
	anc        *node          // ancestor (AST)
	param      []*itype       // generic parameter nodes (AST)
	start      *node          // entry point in subtree (CFG)
	tnext      *node          // true branch successor (CFG)
	fnext      *node          // false branch successor (CFG)
	interp     *Interpreter   // interpreter context
	index      int64          // node index (dot display)
	findex     int            // index of value in frame or frame size (func def, type def)
	level      int            // number of frame indirections to access value
	nleft      int            // number of children in left part (assign) or indicates preceding type (compositeLit)
	nright     int            // number of children in right part (assign)
	kind       nkind          // kind of node
	pos        token.Pos      // position in source code, relative to fset
	sym        *symbol        // associated symbol
	typ        *itype         // type of value in frame, or nil
	recv       *receiver      // method receiver node for call, or nil
	types      []reflect.Type // frame types, used by function literals only
	scope      *scope         // frame scope
	action     action         // action
	exec       bltn           // generated function to execute
	gen        bltnGenerator  // generator function to produce above bltn
	val        interface{}    // static generic value (CFG execution)
	rval       reflect.Value  // reflection value to let runtime access interpreter (CFG)
	ident      string         // set if node is a var or func
	redeclared bool           // set if node is a redeclared variable (CFG)
	meta       interface{}    // meta stores meta information between gta runs, like errors
	rangeFunc  bool           // juggler: set on the for node of a range over a function
	zeroRes    bool           // juggler: set on a func whose results a call must zero (resultsNeedZero)
}

func (n *node) shouldBreak() bool {
	if n == nil || n.debug == nil {
		return false
	}

	if n.debug.breakOnLine || n.debug.breakOnCall {
		return true
	}

	return false
}

func (n *node) setProgram(p *Program) {
	if n.debug == nil {
		n.debug = new(nodeDebugData)
	}
	n.debug.program = p
}

func (n *node) setBreakOnCall(v bool) {
	if n.debug == nil {
		if !v {
			return
		}
		n.debug = new(nodeDebugData)
	}
	n.debug.breakOnCall = v
}

func (n *node) setBreakOnLine(v bool) {
	if n.debug == nil {
		if !v {
			return
		}
		n.debug = new(nodeDebugData)
	}
	n.debug.breakOnLine = v
}

// receiver stores method receiver object access path.
type receiver struct {
	node  *node         // receiver value for alias and struct types
	val   reflect.Value // receiver value for interface type and value type
	index []int         // path in receiver value for interface or value type
}

// frame contains values for the current execution level (a function context).
type frame struct {
	// juggler: rs replaces upstream's run id: the run the frame belongs
	// to, only accessed via newFrame/runState/setRunState/clone.
	rs atomic.Pointer[runState]

	debug *frameDebugData

	root *frame          // global space
	anc  *frame          // ancestor frame (caller space)
	data []reflect.Value // values

	mutex     sync.RWMutex
	deferred  [][]reflect.Value  // defer stack
	recovered interface{}        // to handle panic recover
	done      reflect.SelectCase // for cancellation of channel operations

	// juggler: origin is the frame a deferred func literal's frame was
	// cloned from: the one a panic is recorded in, for recover.
	origin *frame

	// juggler: cloneFrom, on the global frame, is the first slot of the
	// evaluation running: a func literal made at top level reads package
	// variables through root, so its copy of the global frame needs only
	// the slots of the statements being evaluated (their block variables).
	cloneFrom int
}

func newFrame(anc *frame, length int, rs *runState) *frame {
	f := &frame{
		anc:  anc,
		data: make([]reflect.Value, length),
	}
	f.rs.Store(rs)
	if anc == nil {
		f.root = f
	} else {
		f.done = anc.done
		f.root = anc.root
	}
	return f
}

func (f *frame) runState() *runState     { return f.rs.Load() }
func (f *frame) setRunState(r *runState) { f.rs.Store(r) }

// juggler: runState is the cancellation state of one run: the evaluations
// made under one context, and the goroutines they start. Upstream has one
// run id per interpreter, so cancelling any evaluation stopped the code of
// every earlier one too; a notebook must stop only the cell interrupted.
type runState struct {
	stopped atomic.Bool
	// juggler: exiting is set when the run stopped for an Exit: its
	// functions unwind without running their deferred calls.
	exiting atomic.Bool
	// done is closed on stop: it wakes the run's channel operations.
	done chan struct{}
	// key is the Done channel of the run's context, nil for a run no
	// context can stop.
	key <-chan struct{}
}

func newRunState(key <-chan struct{}) *runState {
	return &runState{done: make(chan struct{}), key: key}
}

// live reports whether code of the run may go on. It is checked before
// every step, so it must stay one atomic load.
func (r *runState) live() bool { return !r.stopped.Load() }

func (r *runState) stop() {
	if r.stopped.CompareAndSwap(false, true) {
		close(r.done)
	}
}
func (f *frame) clone() *frame {
	f.mutex.RLock()
	defer f.mutex.RUnlock()
	nf := &frame{
		anc:       f.anc,
		root:      f.root,
		deferred:  f.deferred,
		recovered: f.recovered,
		done:      f.done,
		debug:     f.debug,
	}
	nf.rs.Store(f.runState())
	nf.data = make([]reflect.Value, len(f.data))
	from := 0
	if f.root == f {
		from = min(f.cloneFrom, len(f.data)) // juggler: see cloneFrom
	}
	copy(nf.data[from:], f.data[from:])
	return nf
}

// Exports stores the map of binary packages per package path.
// The package path is the path joined from the import path and the package name
// as specified in source files by the "package" statement.
type Exports map[string]map[string]reflect.Value

// imports stores the map of source packages per package path.
type imports map[string]map[string]*symbol

// opt stores interpreter options.
type opt struct {
	// dotCmd is the command to process the dot graph produced when astDot and/or
	// cfgDot is enabled. It defaults to 'dot -Tdot -o <filename>.dot'.
	dotCmd       string
	context      build.Context     // build context: GOPATH, build constraints
	stdin        io.Reader         // standard input
	stdout       io.Writer         // standard output
	stderr       io.Writer         // standard error
	args         []string          // cmdline args
	env          map[string]string // environment of interpreter, entries in form of "key=value"
	filesystem   fs.FS             // filesystem containing sources
	astDot       bool              // display AST graph (debug)
	cfgDot       bool              // display CFG graph (debug)
	noRun        bool              // compile, but do not run
	fastChan     bool              // disable cancellable chan operations
	specialStdio bool              // allows os.Stdin, os.Stdout, os.Stderr to not be file descriptors
	unrestricted bool              // allow use of non-sandboxed symbols
	results      []reflect.Type    // juggler: Options.ResultInterfaces
	stdSource    fs.FS             // juggler: Options.StdlibSource
	noMain       bool              // juggler: Options.NoMain
}

// Interpreter contains global resources and state.
type Interpreter struct {
	// juggler: rs replaces upstream's run id: the current run, which
	// evaluations without a context of their own belong to.
	rs atomic.Pointer[runState]

	// nindex is a node number incremented for each new node.
	// It is used for debug (AST and CFG graphs). As it is atomically
	// incremented, keep it aligned on 64 bits boundary.
	nindex int64

	name string // name of the input source file (or main)

	opt                                         // user settable options
	cancelChan bool                             // enables cancellable chan operations
	fset       *token.FileSet                   // fileset to locate node in source code
	binPkg     Exports                          // binary packages used in interpreter, indexed by path
	rdir       map[string]bool                  // for src import cycle detection
	mapTypes   map[reflect.Value][]reflect.Type // special interfaces mapping for wrappers
	fmtFuncs   map[reflect.Value]bool           // juggler: fmt and log print functions, true with a format (fmtvalue.go)
	errorsAsFn reflect.Value                    // juggler: errors.As, given its target's type (fmtvalue.go)

	mutex    sync.RWMutex
	frame    *frame               // program data storage during execution
	universe *scope               // interpreter global level scope
	scopes   map[string]*scope    // package level scopes, indexed by import path
	srcPkg   imports              // source packages used in interpreter, indexed by path
	pkgNames map[string]string    // package names, indexed by import path
	roots    []weak.Pointer[node] // juggler: weak, see ast.go
	generic  map[string]*node

	hooks *hooks // symbol hooks

	// juggler: unwinding is closed when the last stopped evaluation has
	// returned; nil when there is none to wait for.
	unwinding <-chan struct{}

	debugger *Debugger

	// juggler: pinned holds the global frame slots that function bodies
	// read, and varSlots the slot of each package-level variable as of the
	// last evaluation (key: package path, a space, the name); both are
	// used by releaseTemps. Written only while compiling and after an
	// evaluation, which the caller does one at a time.
	pinned   map[int]bool
	varSlots map[string]int
}

// juggler: pinSlot records that compiled function code reads global slot i.
func (interp *Interpreter) pinSlot(i int) {
	if interp.pinned == nil {
		interp.pinned = map[int]bool{}
	}
	interp.pinned[i] = true
}

const (
	mainID     = "main"
	selfPrefix = "github.com/traefik/yaegi"
	selfPath   = selfPrefix + "/interp/interp"
	// DefaultSourceName is the name used by default when the name of the input
	// source file has not been specified for an Eval.
	// TODO(mpl): something even more special as a name?
	DefaultSourceName = "_.go"

	// Test is the value to pass to EvalPath to activate evaluation of test functions.
	Test = false
	// NoTest is the value to pass to EvalPath to skip evaluation of test functions.
	NoTest = true
)

// Self points to the current interpreter if accessed from within itself, or is nil.
var Self *Interpreter

// Symbols exposes interpreter values.
var Symbols = Exports{
	selfPath: map[string]reflect.Value{
		"New": reflect.ValueOf(New),

		"Interpreter": reflect.ValueOf((*Interpreter)(nil)),
		"Options":     reflect.ValueOf((*Options)(nil)),
		"Panic":       reflect.ValueOf((*Panic)(nil)),
	},
}

func init() { Symbols[selfPath]["Symbols"] = reflect.ValueOf(Symbols) }

// _error is a wrapper of error interface type.
type _error struct {
	IValue interface{}
	WError func() string
}

func (w _error) Error() string { return w.WError() }

// Panic is an error recovered from a panic call in interpreted code.
type Panic struct {
	// Value is the recovered value of a call to panic.
	Value interface{}

	// Callers is the call stack obtained from the recover call.
	// It may be used as the parameter to runtime.CallersFrames.
	Callers []uintptr

	// Stack is the call stack buffer for debug.
	Stack []byte
}

// TODO: Capture interpreter stack frames also and remove
// fmt.Fprintln(n.interp.stderr, oNode.cfgErrorf("panic")) in runCfg.

func (e Panic) Error() string { return fmt.Sprint(e.Value) }

// Walk traverses AST n in depth first order, call cbin function
// at node entry and cbout function at node exit.
func (n *node) Walk(in func(n *node) bool, out func(n *node)) {
	if in != nil && !in(n) {
		return
	}
	for _, child := range n.child {
		child.Walk(in, out)
	}
	if out != nil {
		out(n)
	}
}

// Options are the interpreter options.
type Options struct {
	// GoPath sets GOPATH for the interpreter.
	GoPath string

	// BuildTags sets build constraints for the interpreter.
	BuildTags []string

	// Standard input, output and error streams.
	// They default to os.Stdin, os.Stdout and os.Stderr respectively.
	Stdin          io.Reader
	Stdout, Stderr io.Writer

	// Cmdline args, defaults to os.Args.
	Args []string

	// Environment of interpreter. Entries are in the form "key=values".
	Env []string

	// SourcecodeFilesystem is where the _sourcecode_ is loaded from and does
	// NOT affect the filesystem of scripts when they run.
	// It can be any fs.FS compliant filesystem (e.g. embed.FS, or fstest.MapFS for testing)
	// See example/fs/fs_test.go for an example.
	SourcecodeFilesystem fs.FS

	// Unrestricted allows to run non sandboxed stdlib symbols such as os/exec and environment
	Unrestricted bool

	// juggler: ResultInterfaces are interfaces, in order of preference,
	// that the value an evaluation returns is given as when it is of an
	// interpreted type with their methods: the result is then a wrapper
	// implementing the first such interface, as an argument passed to a
	// host function taking that interface is. Without it, a host cannot
	// call an interpreted type's methods on a result.
	ResultInterfaces []reflect.Type

	// juggler: StdlibSource holds the source of standard packages that
	// symbol tables cannot carry (generic declarations), one directory per
	// import path. Importing such a package compiles its source, once; when
	// the package also has a symbol table, a selector looks there first,
	// then in the source. It replaces upstream's stdlib/generic, which was
	// compiled in full by every Use of the standard library.
	StdlibSource fs.FS
	// juggler: NoMain leaves calling package main's func main to the
	// host. A notebook runs it when the cell that declares it ends, and
	// again only when a cell calls it.
	NoMain bool

	// juggler: SpecialStdio is YAEGI_SPECIAL_STDIO as an option, so that a
	// host need not put the variable in its environment, where the
	// interpreted code would see it.
	SpecialStdio bool
}

// New returns a new interpreter.
func New(options Options) *Interpreter {
	i := Interpreter{
		opt:      opt{context: build.Default, filesystem: &realFS{}, env: map[string]string{}},
		frame:    newFrame(nil, 0, newRunState(nil)),
		fset:     token.NewFileSet(),
		universe: initUniverse(),
		scopes:   map[string]*scope{},
		binPkg:   Exports{"": map[string]reflect.Value{"_error": reflect.ValueOf((*_error)(nil))}},
		mapTypes: map[reflect.Value][]reflect.Type{},
		srcPkg:   imports{},
		pkgNames: map[string]string{},
		rdir:     map[string]bool{},
		hooks:    &hooks{},
		generic:  map[string]*node{},
	}
	i.rs.Store(i.frame.runState())

	i.opt.results = options.ResultInterfaces
	i.opt.stdSource = options.StdlibSource
	if i.opt.stdin = options.Stdin; i.opt.stdin == nil {
		i.opt.stdin = os.Stdin
	}

	if i.opt.stdout = options.Stdout; i.opt.stdout == nil {
		i.opt.stdout = os.Stdout
	}

	if i.opt.stderr = options.Stderr; i.opt.stderr == nil {
		i.opt.stderr = os.Stderr
	}

	if i.opt.args = options.Args; i.opt.args == nil {
		i.opt.args = os.Args
	}

	// unrestricted allows to use non sandboxed stdlib symbols and env.
	if options.Unrestricted {
		i.opt.unrestricted = true
	} else {
		for _, e := range options.Env {
			a := strings.SplitN(e, "=", 2)
			if len(a) == 2 {
				i.opt.env[a[0]] = a[1]
			} else {
				i.opt.env[a[0]] = ""
			}
		}
	}

	if options.SourcecodeFilesystem != nil {
		i.opt.filesystem = options.SourcecodeFilesystem
	}

	i.opt.context.GOPATH = options.GoPath
	if len(options.BuildTags) > 0 {
		i.opt.context.BuildTags = options.BuildTags
	}

	// astDot activates AST graph display for the interpreter
	i.opt.astDot, _ = strconv.ParseBool(os.Getenv("YAEGI_AST_DOT"))

	// cfgDot activates CFG graph display for the interpreter
	i.opt.cfgDot, _ = strconv.ParseBool(os.Getenv("YAEGI_CFG_DOT"))

	// dotCmd defines how to process the dot code generated whenever astDot and/or
	// cfgDot is enabled. It defaults to 'dot -Tdot -o<filename>.dot' where filename
	// is context dependent.
	i.opt.dotCmd = os.Getenv("YAEGI_DOT_CMD")

	// noRun disables the execution (but not the compilation) in the interpreter
	i.opt.noRun, _ = strconv.ParseBool(os.Getenv("YAEGI_NO_RUN"))

	// fastChan disables the cancellable version of channel operations in evalWithContext
	i.opt.fastChan, _ = strconv.ParseBool(os.Getenv("YAEGI_FAST_CHAN"))

	// specialStdio allows to assign directly io.Writer and io.Reader to os.Stdxxx,
	// even if they are not file descriptors.
	i.opt.specialStdio, _ = strconv.ParseBool(os.Getenv("YAEGI_SPECIAL_STDIO"))
	i.opt.specialStdio = i.opt.specialStdio || options.SpecialStdio // juggler

	i.opt.noMain = options.NoMain // juggler

	return &i
}

const (
	bltnAlignof  = "unsafe.Alignof"
	bltnAppend   = "append"
	bltnCap      = "cap"
	bltnClear    = "clear"
	bltnClose    = "close"
	bltnComplex  = "complex"
	bltnImag     = "imag"
	bltnCopy     = "copy"
	bltnDelete   = "delete"
	bltnLen      = "len"
	bltnMake     = "make"
	bltnMax      = "max"
	bltnMin      = "min"
	bltnNew      = "new"
	bltnOffsetof = "unsafe.Offsetof"
	bltnPanic    = "panic"
	bltnPrint    = "print"
	bltnPrintln  = "println"
	bltnReal     = "real"
	bltnRecover  = "recover"
	bltnSizeof   = "unsafe.Sizeof"
)

func initUniverse() *scope {
	sc := &scope{global: true, sym: map[string]*symbol{
		// predefined Go types
		"any":         {kind: typeSym, typ: &itype{cat: interfaceT, str: "any"}},
		"bool":        {kind: typeSym, typ: &itype{cat: boolT, name: "bool", str: "bool"}},
		"byte":        {kind: typeSym, typ: &itype{cat: uint8T, name: "uint8", str: "uint8"}},
		"comparable":  {kind: typeSym, typ: &itype{cat: comparableT, name: "comparable", str: "comparable"}},
		"complex64":   {kind: typeSym, typ: &itype{cat: complex64T, name: "complex64", str: "complex64"}},
		"complex128":  {kind: typeSym, typ: &itype{cat: complex128T, name: "complex128", str: "complex128"}},
		"error":       {kind: typeSym, typ: &itype{cat: errorT, name: "error", str: "error"}},
		"float32":     {kind: typeSym, typ: &itype{cat: float32T, name: "float32", str: "float32"}},
		"float64":     {kind: typeSym, typ: &itype{cat: float64T, name: "float64", str: "float64"}},
		"int":         {kind: typeSym, typ: &itype{cat: intT, name: "int", str: "int"}},
		"int8":        {kind: typeSym, typ: &itype{cat: int8T, name: "int8", str: "int8"}},
		"int16":       {kind: typeSym, typ: &itype{cat: int16T, name: "int16", str: "int16"}},
		"int32":       {kind: typeSym, typ: &itype{cat: int32T, name: "int32", str: "int32"}},
		"int64":       {kind: typeSym, typ: &itype{cat: int64T, name: "int64", str: "int64"}},
		"interface{}": {kind: typeSym, typ: &itype{cat: interfaceT, str: "interface{}"}},
		"rune":        {kind: typeSym, typ: &itype{cat: int32T, name: "int32", str: "int32"}},
		"string":      {kind: typeSym, typ: &itype{cat: stringT, name: "string", str: "string"}},
		"uint":        {kind: typeSym, typ: &itype{cat: uintT, name: "uint", str: "uint"}},
		"uint8":       {kind: typeSym, typ: &itype{cat: uint8T, name: "uint8", str: "uint8"}},
		"uint16":      {kind: typeSym, typ: &itype{cat: uint16T, name: "uint16", str: "uint16"}},
		"uint32":      {kind: typeSym, typ: &itype{cat: uint32T, name: "uint32", str: "uint32"}},
		"uint64":      {kind: typeSym, typ: &itype{cat: uint64T, name: "uint64", str: "uint64"}},
		"uintptr":     {kind: typeSym, typ: &itype{cat: uintptrT, name: "uintptr", str: "uintptr"}},

		// predefined Go constants
		"false": {kind: constSym, typ: untypedBool(nil), rval: reflect.ValueOf(false)},
		"true":  {kind: constSym, typ: untypedBool(nil), rval: reflect.ValueOf(true)},
		"iota":  {kind: constSym, typ: untypedInt(nil)},

		// predefined Go zero value
		"nil": {typ: &itype{cat: nilT, untyped: true, str: "nil"}},

		// predefined Go builtins
		bltnAppend:  {kind: bltnSym, builtin: _append},
		bltnCap:     {kind: bltnSym, builtin: _cap},
		bltnClear:   {kind: bltnSym, builtin: _clear}, // juggler: Go 1.21
		bltnClose:   {kind: bltnSym, builtin: _close},
		bltnComplex: {kind: bltnSym, builtin: _complex},
		bltnImag:    {kind: bltnSym, builtin: _imag},
		bltnCopy:    {kind: bltnSym, builtin: _copy},
		bltnDelete:  {kind: bltnSym, builtin: _delete},
		bltnLen:     {kind: bltnSym, builtin: _len},
		bltnMake:    {kind: bltnSym, builtin: _make},
		bltnMax:     {kind: bltnSym, builtin: _max}, // juggler: Go 1.21
		bltnMin:     {kind: bltnSym, builtin: _min}, // juggler: Go 1.21
		bltnNew:     {kind: bltnSym, builtin: _new},
		bltnPanic:   {kind: bltnSym, builtin: _panic},
		bltnPrint:   {kind: bltnSym, builtin: _print},
		bltnPrintln: {kind: bltnSym, builtin: _println},
		bltnReal:    {kind: bltnSym, builtin: _real},
		bltnRecover: {kind: bltnSym, builtin: _recover},
	}}
	return sc
}

// resizeFrame resizes the global frame of interpreter.
func (interp *Interpreter) resizeFrame() {
	l := len(interp.universe.types)
	b := len(interp.frame.data)
	if l-b <= 0 {
		return
	}
	// juggler: the frame grows by half again when full, not by exactly
	// what is needed: every evaluation adds slots, and copying the whole
	// frame each time made each cell of a long session slower.
	data := interp.frame.data
	if l <= cap(data) {
		data = data[:l]
	} else {
		data = make([]reflect.Value, l, l+l/2)
		copy(data, interp.frame.data)
	}
	for j, t := range interp.universe.types[b:] {
		data[b+j] = reflect.New(t).Elem()
	}
	interp.frame.data = data
}

// Eval evaluates Go code represented as a string. Eval returns the last result
// computed by the interpreter, and a non nil error in case of failure.
func (interp *Interpreter) Eval(src string) (res reflect.Value, err error) {
	return interp.eval(src, "", true)
}

// EvalPath evaluates Go code located at path and returns the last result computed
// by the interpreter, and a non nil error in case of failure.
// The main function of the main package is executed if present.
func (interp *Interpreter) EvalPath(path string) (res reflect.Value, err error) {
	if !isFile(interp.opt.filesystem, path) {
		_, err := interp.importSrc(mainID, path, NoTest)
		return res, err
	}

	b, err := fs.ReadFile(interp.filesystem, path)
	if err != nil {
		return res, err
	}
	return interp.eval(string(b), path, false)
}

// EvalPathWithContext evaluates Go code located at path and returns the last
// result computed by the interpreter, and a non nil error in case of failure.
// The main function of the main package is executed if present.
func (interp *Interpreter) EvalPathWithContext(ctx context.Context, path string) (res reflect.Value, err error) {
	r := interp.startRun(ctx)

	done := make(chan struct{})
	go func() {
		defer close(done)
		res, err = interp.EvalPath(path)
	}()

	select {
	case <-ctx.Done():
		interp.stopFor(ctx, r, done)
		return reflect.Value{}, ctx.Err()
	case <-done:
	}
	return res, err
}

// EvalTest evaluates Go code located at path, including test files with "_test.go" suffix.
// A non nil error is returned in case of failure.
// The main function, test functions and benchmark functions are internally compiled but not
// executed. Test functions can be retrieved using the Symbol() method.
func (interp *Interpreter) EvalTest(path string) error {
	_, err := interp.importSrc(mainID, path, Test)
	return err
}

func isFile(filesystem fs.FS, path string) bool {
	fi, err := fs.Stat(filesystem, path)
	return err == nil && fi.Mode().IsRegular()
}

func (interp *Interpreter) eval(src, name string, inc bool) (res reflect.Value, err error) {
	interp.awaitUnwind()
	return interp.evalRun(src, name, inc, nil)
}

// juggler: evalRun compiles and runs src in run r (nil: the current run).
// EvalWithContext passes the run of its context, so that the code runs in
// it even when it is stopped while the code compiles.
func (interp *Interpreter) evalRun(src, name string, inc bool, r *runState) (res reflect.Value, err error) {
	interp.mutex.RLock()
	from := len(interp.universe.types)
	interp.mutex.RUnlock()
	prog, err := interp.compileSrc(src, name, inc)
	if err != nil || interp.noRun {
		return res, err
	}
	if r == nil {
		r = interp.runState()
	}
	if inc {
		interp.frame.mutex.Lock()
		interp.frame.cloneFrom = from
		interp.frame.mutex.Unlock()
	}
	res, err = interp.execute(prog, r)
	if err == nil && inc && r.live() {
		interp.releaseTemps(from)
	}
	return res, err
}

// juggler: releaseTemps gives a fresh zero value to the global frame slots
// from index from on that no package-level symbol names: the temporaries
// of the statements just evaluated (call results, func literal values, the
// variables of top-level blocks). Those statements have run and nothing
// else reads these slots; the func literals among them hold a copy of the
// global frame, and each copy held the copies before it, so a session that
// ran a go statement in each cell kept them all. Called only after an
// evaluation that returned normally and was not stopped, so the code is not
// still running (a stopped one may still be unwinding).
//
// A package-level variable the evaluation declared again gets a new slot;
// the old one is released too, unless a function body reads it (pinSlot):
// yaegi's functions compiled before keep reading the old variable.
func (interp *Interpreter) releaseTemps(from int) {
	interp.mutex.RLock()
	types := interp.universe.types
	named := map[int]bool{}
	var replaced []int
	if interp.varSlots == nil {
		interp.varSlots = map[string]int{}
	}
	for path, sc := range interp.scopes {
		for name, sym := range sc.sym {
			if sym.index < from {
				continue
			}
			named[sym.index] = true
			if sym.kind != varSym || !sym.global {
				continue
			}
			key := path + " " + name
			if old, ok := interp.varSlots[key]; ok && old < from && !interp.pinned[old] {
				replaced = append(replaced, old)
			}
			interp.varSlots[key] = sym.index
		}
	}
	interp.mutex.RUnlock()
	f := interp.frame
	f.mutex.Lock()
	defer f.mutex.Unlock()
	release := func(i int) {
		if i < len(f.data) && i < len(types) && f.data[i].IsValid() && !f.data[i].IsZero() {
			f.data[i] = reflect.New(types[i]).Elem()
		}
	}
	for i := from; i < len(f.data); i++ {
		if !named[i] {
			release(i)
		}
	}
	for _, i := range replaced {
		release(i)
	}
}

// EvalWithContext evaluates Go code represented as a string. It returns
// a map on current interpreted package exported symbols.
func (interp *Interpreter) EvalWithContext(ctx context.Context, src string) (reflect.Value, error) {
	var v reflect.Value
	var err error

	r := interp.startRun(ctx)

	done := make(chan struct{})
	go func() {
		defer func() {
			if p := recover(); p != nil {
				var pc [64]uintptr
				n := runtime.Callers(1, pc[:])
				err = Panic{Value: p, Callers: pc[:n], Stack: debug.Stack()}
			}
			interp.unwound(r)
			close(done)
		}()
		v, err = interp.evalRun(src, "", true, r)
	}()

	select {
	case <-ctx.Done():
		interp.stopFor(ctx, r, done)
		return reflect.Value{}, ctx.Err()
	case <-done:
	}
	return v, err
}

// juggler: startRun makes the run of ctx the current one. Evaluations under
// one context share a run, so that a notebook cell evaluated in pieces
// stops as a whole; any other context, or a context whose run was stopped,
// starts a new run.
func (interp *Interpreter) startRun(ctx context.Context) *runState {
	interp.awaitUnwind()
	interp.mutex.Lock()
	defer interp.mutex.Unlock()
	interp.cancelChan = !interp.opt.fastChan
	key := ctx.Done()
	r := interp.rs.Load()
	if key == nil || r.key != key || !r.live() {
		r = newRunState(key)
		interp.rs.Store(r)
	}
	return r
}

// juggler: stop stops the code of run r, and only that code: the frames of
// other runs, goroutines earlier evaluations left running among them, go
// on. Evaluations that follow without a context of their own get a new run.
//
// evaluated is closed once the stopped evaluation has returned: the next
// evaluation waits for it a short while (awaitUnwind), since the stopped
// one still reads the interpreter's state on its way out.
func (interp *Interpreter) stop(r *runState, evaluated <-chan struct{}) {
	r.stop()
	interp.rs.CompareAndSwap(r, newRunState(nil))
	interp.mutex.Lock()
	interp.unwinding = evaluated
	interp.mutex.Unlock()
}

// juggler: stopFor stops run r because ctx is done. When ctx's cause is
// an Exit (os.Exit in a goroutine ends the whole program), the run's
// functions unwind without running their deferred calls.
func (interp *Interpreter) stopFor(ctx context.Context, r *runState, evaluated <-chan struct{}) {
	var e Exit
	if errors.As(context.Cause(ctx), &e) {
		r.exiting.Store(true)
	}
	interp.stop(r, evaluated)
}

// juggler: EndRun stops the code of the run that evaluations under ctx
// share, once they have returned: the goroutines they started stop at
// their next step, as a Go program's goroutines end when its main
// returns. Without a stoppable ctx, or after another run began, it does
// nothing.
func (interp *Interpreter) EndRun(ctx context.Context) {
	key := ctx.Done()
	if r := interp.rs.Load(); key != nil && r.key == key {
		interp.stop(r, nil)
	}
}

// juggler: unwindWait bounds the wait for a stopped evaluation to return. A
// stopped evaluation stuck in a call the interpreter cannot interrupt (a
// second Lock of a mutex) never returns, and must not hold up the next.
const unwindWait = 100 * time.Millisecond

// juggler: awaitUnwind waits for the last stopped evaluation to return, so
// that what it did happens before what the next one does.
func (interp *Interpreter) awaitUnwind() {
	interp.mutex.Lock()
	u := interp.unwinding
	interp.unwinding = nil
	interp.mutex.Unlock()
	if u == nil {
		return
	}
	t := time.NewTimer(unwindWait)
	defer t.Stop()
	select {
	case <-u:
	case <-t.C:
	}
}

// juggler: unwound is called once the evaluation of run r has returned. The
// global frame keeps a stopped run until then, since the stopped code's
// top-level statements run in it; after, calls through func values that
// earlier goroutines made from the global frame must not find it stopped.
func (interp *Interpreter) unwound(r *runState) {
	if !r.live() {
		interp.frame.rs.CompareAndSwap(r, interp.rs.Load())
	}
}

func (interp *Interpreter) runState() *runState { return interp.rs.Load() }

// ignoreScannerError returns true if the error from Go scanner can be safely ignored
// to let the caller grab one more line before retrying to parse its input.
func ignoreScannerError(e *scanner.Error, s string) bool {
	msg := e.Msg
	if strings.HasSuffix(msg, "found 'EOF'") {
		return true
	}
	if msg == "raw string literal not terminated" {
		return true
	}
	if strings.HasPrefix(msg, "expected operand, found '}'") && !strings.HasSuffix(s, "}") {
		return true
	}
	return false
}

// ImportUsed automatically imports pre-compiled packages included by Use().
// This is mainly useful for REPLs, or single command lines. In case of an ambiguous default
// package name, for example "rand" for crypto/rand and math/rand, the package name is
// constructed by replacing the last "/" by a "_", producing crypto_rand and math_rand.
// ImportUsed should not be called more than once, and not after a first Eval, as it may
// rename packages.
func (interp *Interpreter) ImportUsed() {
	sc := interp.universe
	for k := range interp.binPkg {
		// By construction, the package name is the last path element of the key.
		name := path.Base(k)
		if sym, ok := sc.sym[name]; ok {
			// Handle collision by renaming old and new entries.
			name2 := key2name(fixKey(sym.typ.path))
			sc.sym[name2] = sym
			if name2 != name {
				delete(sc.sym, name)
			}
			name = key2name(fixKey(k))
		}
		sc.sym[name] = &symbol{kind: pkgSym, typ: &itype{cat: binPkgT, path: k, scope: sc}}
	}
}

func key2name(name string) string {
	return filepath.Join(name, DefaultSourceName)
}

func fixKey(k string) string {
	i := strings.LastIndex(k, "/")
	if i >= 0 {
		k = k[:i] + "_" + k[i+1:]
	}
	return k
}

// REPL performs a Read-Eval-Print-Loop on input reader.
// Results are printed to the output writer of the Interpreter, provided as option
// at creation time. Errors are printed to the similarly defined errors writer.
// The last interpreter result value and error are returned.
func (interp *Interpreter) REPL() (reflect.Value, error) {
	in, out, errs := interp.stdin, interp.stdout, interp.stderr
	ctx, cancel := context.WithCancel(context.Background())
	end := make(chan struct{})     // channel to terminate the REPL
	sig := make(chan os.Signal, 1) // channel to trap interrupt signal (Ctrl-C)
	lines := make(chan string)     // channel to read REPL input lines
	prompt := getPrompt(in, out)   // prompt activated on tty like IO stream
	s := bufio.NewScanner(in)      // read input stream line by line
	var v reflect.Value            // result value from eval
	var err error                  // error from eval
	src := ""                      // source string to evaluate

	signal.Notify(sig, os.Interrupt)
	defer signal.Stop(sig)
	prompt(v)

	go func() {
		defer close(end)
		for s.Scan() {
			lines <- s.Text()
		}
		if e := s.Err(); e != nil {
			fmt.Fprintln(errs, e)
		}
	}()

	go func() {
		for {
			select {
			case <-sig:
				cancel()
				lines <- ""
			case <-end:
				return
			}
		}
	}()

	for {
		var line string

		select {
		case <-end:
			cancel()
			return v, err
		case line = <-lines:
			src += line + "\n"
		}

		v, err = interp.EvalWithContext(ctx, src)
		if err != nil {
			switch e := err.(type) {
			case scanner.ErrorList:
				if len(e) > 0 && ignoreScannerError(e[0], line) {
					continue
				}
				fmt.Fprintln(errs, strings.TrimPrefix(e[0].Error(), DefaultSourceName+":"))
			case Panic:
				fmt.Fprintln(errs, e.Value)
				fmt.Fprintln(errs, string(e.Stack))
			default:
				fmt.Fprintln(errs, err)
			}
		}
		if errors.Is(err, context.Canceled) {
			ctx, cancel = context.WithCancel(context.Background())
		}
		src = ""
		prompt(v)
	}
}

func doPrompt(out io.Writer) func(v reflect.Value) {
	return func(v reflect.Value) {
		if v.IsValid() {
			fmt.Fprintln(out, ":", v)
		}
		fmt.Fprint(out, "> ")
	}
}

// getPrompt returns a function which prints a prompt only if input is a terminal.
func getPrompt(in io.Reader, out io.Writer) func(reflect.Value) {
	forcePrompt, _ := strconv.ParseBool(os.Getenv("YAEGI_PROMPT"))
	if forcePrompt {
		return doPrompt(out)
	}
	s, ok := in.(interface{ Stat() (os.FileInfo, error) })
	if !ok {
		return func(reflect.Value) {}
	}
	stat, err := s.Stat()
	if err == nil && stat.Mode()&os.ModeCharDevice != 0 {
		return doPrompt(out)
	}
	return func(reflect.Value) {}
}
