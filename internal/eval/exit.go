package eval

import (
	"errors"
	"fmt"
	"log"
	"reflect"

	"github.com/juggler-kernel/juggler/internal/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

// errExitOK is a cell that called os.Exit(0): it ended, successfully.
var errExitOK = errors.New("os.Exit(0)")

// exitError is what a cell that called os.Exit(code) ends in.
func exitError(code int, frames []string) error {
	if code == 0 {
		return errExitOK
	}
	msg := fmt.Sprintf("os.Exit(%d) called; the kernel keeps the session", code)
	return &Error{Name: "Exit", Value: msg, Traceback: append([]string{"Exit: " + msg}, frames...)}
}

// exit is os.Exit for cells: it ends the code that calls it as os.Exit
// ends a program, running no deferred call, and keeps the worker. Called
// in a goroutine of the running cell, it ends the whole cell, as os.Exit
// in a goroutine ends a Go program.
func (s *Session) exit(code int) {
	s.goroutines.exitCell(code)
	panic(interp.Exit{Code: code})
}

// fatalSymbols are package log's Fatal functions for cells: they log
// through the cells' standard logger (so SetFlags, SetPrefix and
// SetOutput apply), then exit as os.Exit(1). unrestricted.Symbols holds
// the real ones, which would end the worker.
func fatalSymbols(in *interp.Interpreter, exit func(int)) (interp.Exports, error) {
	output, ok := in.Symbols("log")["log"]["Output"].Interface().(func(int, string) error)
	if !ok {
		return nil, fmt.Errorf("eval: package log has no Output function")
	}
	fatal := func(s string) {
		_ = output(3, s) // as log.Fatal, reporting its caller
		exit(1)
	}
	syms := map[string]reflect.Value{
		"Fatal":   reflect.ValueOf(func(v ...any) { fatal(fmt.Sprint(v...)) }),
		"Fatalf":  reflect.ValueOf(func(format string, v ...any) { fatal(fmt.Sprintf(format, v...)) }),
		"Fatalln": reflect.ValueOf(func(v ...any) { fatal(fmt.Sprintln(v...)) }),
	}
	// Cell values passed to them print through their String and Error
	// methods, as with the functions they replace.
	types := map[reflect.Value][]reflect.Type{
		syms["Fatal"]:   stdlib.MapTypes[reflect.ValueOf(log.Fatal)],
		syms["Fatalf"]:  stdlib.MapTypes[reflect.ValueOf(log.Fatalf)],
		syms["Fatalln"]: stdlib.MapTypes[reflect.ValueOf(log.Fatalln)],
	}
	return interp.Exports{"log/log": syms, ".": {"MapTypes": reflect.ValueOf(types)}}, nil
}
