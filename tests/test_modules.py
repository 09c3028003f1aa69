"""Third-party imports, %go get and %%native cells, in fresh Juggler kernels.

Each program in internal/eval/testdata/modules runs as notebook cells and
must print what `go run` prints for it. The tests download modules: they are
skipped, saying why, when there is no go command, GOPROXY is off or the
module proxy cannot be reached.
"""

import glob
import os
import re
import shutil
import subprocess
import tempfile
import unittest
import urllib.request

import kernelenv
from kernelenv import execute

REPO = kernelenv.REPO
PROGRAMS = sorted(glob.glob(os.path.join(REPO, "internal", "eval", "testdata", "modules", "*.go")))
# Cells that download and interpret a module, or build a plugin (the first
# plugin build rebuilds the runtime: ~10 s, more on a busy machine).
SLOW = 300


def proxy_problem():
    """Why modules cannot be downloaded here, or None."""
    if shutil.which("go") is None:
        return "no go command on PATH"
    proxy = subprocess.run(["go", "env", "GOPROXY"], capture_output=True, text=True).stdout.strip()
    for p in re.split(r"[,|]", proxy):
        if p == "off":
            return "GOPROXY=off: module downloads are disabled"
        if p in ("direct", ""):
            continue
        try:
            urllib.request.urlopen(p.rstrip("/") + "/golang.org/x/sync/@v/list", timeout=10).close()
        except Exception as e:  # any failure means: cannot test here
            return f"module proxy {p} unreachable ({e})"
        return None
    return None


PROBLEM = None


def setUpModule():
    global PROBLEM
    kernelenv.setup()
    PROBLEM = proxy_problem()


def go_run(src, *pins):
    """What go run prints for src, in a module that first pins pins."""
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "main.go"), "w") as f:
            f.write(src)
        env = {**os.environ, "GOWORK": "off"}
        subprocess.run(["go", "mod", "init", "example.test"], cwd=d, env=env, check=True, capture_output=True)
        if pins:
            subprocess.run(["go", "get", *pins], cwd=d, env=env, check=True, capture_output=True)
        return subprocess.run(["go", "run", "-mod=mod", "."], cwd=d, env=env, check=True,
                              capture_output=True, text=True).stdout


def as_cells(src):
    """A main package as cells: declarations, then a call of what was main."""
    body = src.split("package main\n", 1)[1]
    return [body.replace("func main() {", "func program() {", 1), "program()"]


class ModuleTests(unittest.TestCase):
    def setUp(self):
        if PROBLEM:
            self.skipTest(PROBLEM + ": module tests skipped")

    def fresh(self):
        km, kc = kernelenv.start()
        self.addCleanup(kernelenv.stop, km, kc)
        return kc

    def ok(self, kc, code, timeout=SLOW):
        run = execute(kc, code, timeout=timeout)
        self.assertEqual(run.status, "ok", run.describe())
        return run

    def test_programs(self):
        """Real modules give Go's output, each in a fresh kernel."""
        self.assertTrue(PROGRAMS)
        for path in PROGRAMS:
            with self.subTest(os.path.basename(path)):
                with open(path) as f:
                    src = f.read()
                want = go_run(src)
                kc = self.fresh()
                decls, call = as_cells(src)
                first = self.ok(kc, decls)
                self.assertRegex(first.stderr(), r"is (compiled into a plugin|interpreted from source)")
                self.assertEqual(self.ok(kc, call).stdout(), want)

    def test_pinned_old_version(self):
        """%go get pins x/sync at a version the kernel binary does not link."""
        src = ("package main\n\nimport (\n\t\"fmt\"\n\n\t\"golang.org/x/sync/errgroup\"\n)\n\n"
               "func main() {\n\tvar g errgroup.Group\n\tg.SetLimit(1)\n"
               "\tfmt.Println(g.TryGo(func() error { select {} }), g.TryGo(func() error { return nil }))\n}\n")
        want = go_run(src, "golang.org/x/sync@v0.10.0")
        kc = self.fresh()
        self.ok(kc, "%go get golang.org/x/sync@v0.10.0")
        self.assertIn("golang.org/x/sync v0.10.0", self.ok(kc, "%go list -m").stdout())
        decls, call = as_cells(src)
        self.assertIn("golang.org/x/sync v0.10.0", self.ok(kc, decls).stderr())
        self.assertEqual(self.ok(kc, call).stdout(), want)
        # A %%native cell links the kernel binary's own x/sync (it links
        # errgroup), whatever the session pinned: a plugin with another
        # version of a package the kernel links would not open.
        self.ok(kc, "%%native\nimport \"golang.org/x/sync/errgroup\"\n\n"
                    "func tryBoth() (bool, bool) {\n\tvar g errgroup.Group\n\tg.SetLimit(1)\n"
                    "\treturn g.TryGo(func() error { select {} }), g.TryGo(func() error { return nil })\n}\n")
        self.assertEqual(self.ok(kc, "fmt.Println(tryBoth())").stdout(), want)

    def test_missing_module(self):
        """A module that does not exist is a clear error; the kernel goes on."""
        kc = self.fresh()
        run = execute(kc, 'import "github.com/juggler-kernel/no-such-module/pkg"', timeout=SLOW)
        self.assertEqual(run.status, "error", run.describe())
        c = run.reply["content"]
        self.assertEqual(c["ename"], "ImportError")
        self.assertIn("github.com/juggler-kernel/no-such-module/pkg", c["evalue"])
        self.assertIn("check the import path", c["evalue"])
        self.assertEqual(self.ok(kc, "1 + 2").result(), "3")


class NativeTests(unittest.TestCase):
    def setUp(self):
        if shutil.which("go") is None:
            self.skipTest("no go command on PATH: %%native needs the toolchain")

    def test_native_cell(self):
        """A %%native cell compiles; its names run at compiled speed from
        interpreted cells; an edit replaces them; errors name cell lines."""
        fib = ("func fib(n int) int {\n\tif n < 2 {\n\t\treturn n\n\t}\n"
               "\treturn fib(n-1) + fib(n-2)\n}\n")
        want = go_run("package main\n\nimport \"fmt\"\n\n" + fib + "\nfunc main() { fmt.Println(fib(32)) }\n")
        km, kc = kernelenv.start()
        self.addCleanup(kernelenv.stop, km, kc)
        run = execute(kc, "%%native\n" + fib, timeout=SLOW)
        self.assertEqual(run.status, "ok", run.describe())
        self.assertIn("%%native: ", run.stderr())
        run = execute(kc, "fmt.Println(fib(32))", timeout=SLOW)
        self.assertEqual(run.stdout(), want, run.describe())

        run = execute(kc, "%%native\nfunc fib(n int) int { return -n }\n", timeout=SLOW)
        self.assertEqual(run.status, "ok", run.describe())
        self.assertEqual(execute(kc, "fib(7)").result(), "-7")

        run = execute(kc, "%%native\n\nfunc g() int {\n\treturn nope\n}\n", timeout=SLOW)
        self.assertEqual(run.status, "error", run.describe())
        self.assertIn("line 4: undefined: nope", run.reply["content"]["evalue"])


if __name__ == "__main__":
    unittest.main()
