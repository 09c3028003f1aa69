// Command runner runs one program of yaegi's test corpus in one interpreter
// and checks it against its "Output:" or "Error:" comment; the test of
// package corpus runs it once per program and interpreter, so that a crash
// or a hang fails one program.
//
// Usage, in the interp directory of the yaegi module:
//
//	runner -interp fork|upstream -file ../_test/file.go
//
// It exits 0 when the program does what its comment says, 1 (with the
// difference on stdout) when it does not, and 2 on a usage error.
//
// The arguments are flags of flag.CommandLine, as in upstream's test binary:
// a program that calls flag.Parse sees no arguments.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/juggler-kernel/juggler/internal/yaegi/corpus"
)

func main() {
	interp := flag.String("interp", "fork", "the interpreter: fork or upstream")
	file := flag.String("file", "", "the program, ../_test/name.go")
	flag.Parse()
	if *file == "" || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := corpus.Check(*interp, *file); err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
}
