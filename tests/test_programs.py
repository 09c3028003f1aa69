"""Whole Go programs pasted into cells, through the real kernel: a cell
prints what `go run` prints for the same file, and later cells do not run
its main again."""

import os
import shutil
import subprocess
import tempfile
import unittest

import kernelenv
from kernelenv import execute

PROGRAM = '''package main

import (
	"fmt"
	"os"
	"sync"
	"time"
)

type account struct {
	name    string
	balance int
}

func (a *account) deposit(n int) { a.balance += n }

func init() { fmt.Println("init") }

func main() {
	defer fmt.Println("done")
	acc := &account{name: "go"}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := 1; i <= 10; i++ {
		wg.Add(1)
		go func(n int) {
			defer wg.Done()
			mu.Lock()
			acc.deposit(n)
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	<-time.After(20 * time.Millisecond)
	fmt.Println(acc.name, acc.balance, len(os.Args))
}
'''


FLAGS = '''package main

import (
	"flag"
	"fmt"
)

func main() {
	word := flag.String("word", "foo", "a string")
	numb := flag.Int("numb", 42, "an int")
	flag.Parse()
	fmt.Println("word:", *word, "numb:", *numb)
	fmt.Println("tail:", flag.Args(), flag.NArg())
}
'''


def setUpModule():
    kernelenv.setup()


def go_run(src):
    """What `go run` prints for src, or None without a go command."""
    go = shutil.which("go")
    if go is None:
        return None
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "main.go")
        with open(path, "w") as f:
            f.write(src)
        return subprocess.run([go, "run", path], cwd=d, check=True,
                              capture_output=True, text=True).stdout


class PastedProgramTests(unittest.TestCase):

    def setUp(self):
        self.km, self.kc = kernelenv.start()
        self.addCleanup(kernelenv.stop, self.km, self.kc)

    def stdout_of(self, code):
        run = execute(self.kc, code)
        self.assertEqual(run.status, "ok", run.describe())
        return run.stdout()

    def test_program_runs_as_go_run_runs_it(self):
        want = go_run(PROGRAM)
        if want is None:
            self.skipTest("no go command: the expected output comes from go run")
        self.assertEqual(self.stdout_of(PROGRAM), want)
        # Later cells do not run main again; main() by hand runs it once.
        self.assertEqual(self.stdout_of("x := 1\nfmt.Print(x)"), "1")
        self.assertEqual(self.stdout_of("main()"),
                         want.replace("init\n", "", 1))

    def test_command_line_is_empty(self):
        want = go_run(FLAGS)
        if want is None:
            self.skipTest("no go command: the expected output comes from go run")
        self.assertEqual(self.stdout_of(FLAGS), want)

    def test_environment_has_nothing_of_ours(self):
        run = execute(self.kc, 'n := 0\nfor _, kv := range os.Environ() {\n'
                      '\tif strings.HasPrefix(kv, "YAEGI_") {\n\t\tn++\n\t}\n}\nn')
        self.assertEqual(run.status, "ok", run.describe())
        self.assertEqual(run.result(), "0")

    def test_other_package_is_an_error(self):
        run = execute(self.kc, "package shapes\n\nfunc Area() int { return 1 }")
        self.assertEqual(run.status, "error", run.describe())
        self.assertIn("package shapes", run.reply["content"]["evalue"])

    def test_raw_string_line_starting_with_percent(self):
        self.assertEqual(self.stdout_of("s := `\n%d items\n`\nfmt.Printf(s, 3)"),
                         "\n3 items\n")


if __name__ == "__main__":
    unittest.main()
