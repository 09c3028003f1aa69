package stdlib

import (
	"log"
	"os"
)

// extract writes these names in place of os.Exit, os.FindProcess, log.Fatal*,
// log.New and log.Logger, expecting sandboxed versions (upstream's
// stdlib/restricted.go). The kernel runs cells unrestricted, as upstream's
// stdlib/unrestricted did for it, so they are the real ones; internal/eval
// replaces os.Exit so that a cell cannot end the worker.
var (
	osExit        = os.Exit
	osFindProcess = os.FindProcess
	logFatal      = log.Fatal
	logFatalf     = log.Fatalf
	logFatalln    = log.Fatalln
	logNew        = log.New
)

type logLogger = log.Logger
