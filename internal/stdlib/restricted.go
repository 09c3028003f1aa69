package stdlib

import (
	"errors"
	"io"
	"log"
	"os"
	"reflect"
	"strconv"
)

// extract writes these names in place of os.Exit, os.FindProcess,
// log.Fatal*, log.New and log.Logger: the sandboxed versions upstream's
// stdlib/restricted.go gives an interpreter, so that a script cannot end its
// host. They panic instead of exiting. Unrestricted holds the real ones (the
// kernel loads it, then replaces os.Exit so that a cell cannot end the
// worker). logLogger.Fatal stays on line 39, as upstream's: yaegi's test
// corpus expects its log.Lshortfile position.

func osExit(code int) { panic("os.Exit(" + strconv.Itoa(code) + ")") }

func osFindProcess(pid int) (*os.Process, error) {
	if pid == os.Getpid() {
		return nil, errors.New("restricted")
	}
	return os.FindProcess(pid)
}

func logFatal(v ...any)            { log.Panic(v...) }
func logFatalf(f string, v ...any) { log.Panicf(f, v...) }
func logFatalln(v ...any)          { log.Panicln(v...) }

type logLogger struct{ l *log.Logger } // a log.Logger whose Fatal panics

func logNew(out io.Writer, prefix string, flag int) *logLogger {
	return &logLogger{log.New(out, prefix, flag)}
}

func (l *logLogger) Fatal(v ...any)               { l.l.Panic(v...) }
func (l *logLogger) Fatalf(f string, v ...any)    { l.l.Panicf(f, v...) }
func (l *logLogger) Fatalln(v ...any)             { l.l.Panicln(v...) }
func (l *logLogger) Flags() int                   { return l.l.Flags() }
func (l *logLogger) Output(d int, s string) error { return l.l.Output(d, s) }
func (l *logLogger) Panic(v ...any)               { l.l.Panic(v...) }
func (l *logLogger) Panicf(f string, v ...any)    { l.l.Panicf(f, v...) }
func (l *logLogger) Panicln(v ...any)             { l.l.Panicln(v...) }
func (l *logLogger) Prefix() string               { return l.l.Prefix() }
func (l *logLogger) Print(v ...any)               { l.l.Print(v...) }
func (l *logLogger) Printf(f string, v ...any)    { l.l.Printf(f, v...) }
func (l *logLogger) Println(v ...any)             { l.l.Println(v...) }
func (l *logLogger) SetFlags(flag int)            { l.l.SetFlags(flag) }
func (l *logLogger) SetOutput(w io.Writer)        { l.l.SetOutput(w) }
func (l *logLogger) SetPrefix(prefix string)      { l.l.SetPrefix(prefix) }
func (l *logLogger) Writer() io.Writer            { return l.l.Writer() }

// Unrestricted replaces the sandboxed symbols by the real ones, as
// upstream's stdlib/unrestricted did: load it after Symbols.
var Unrestricted = map[string]map[string]reflect.Value{
	"os/os": {
		"Exit":        reflect.ValueOf(os.Exit),
		"FindProcess": reflect.ValueOf(os.FindProcess),
	},
	"log/log": {
		"Fatal":   reflect.ValueOf(log.Fatal),
		"Fatalf":  reflect.ValueOf(log.Fatalf),
		"Fatalln": reflect.ValueOf(log.Fatalln),
		"New":     reflect.ValueOf(log.New),
		"Logger":  reflect.ValueOf((*log.Logger)(nil)),
	},
}
