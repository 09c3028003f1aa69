"""The teaching notebooks (notebooks/*.ipynb) run clean and are committed
current.

Each notebook is executed top to bottom with nbclient in a fresh Juggler
kernel; the test fails on any error output, and when the committed file
differs from the fresh run in its code cells or in the kinds of output each
cell has (outputs themselves hold times and counts that change from run to
run), or holds an error output. After Run All, every code cell runs once
more, top to bottom, in the same kernel, and must not fail either.
`make notebooks` brings them up to date.
"""

import os
import unittest

import kernelenv
import notebooks

FIRST = "00-start-here.ipynb"


def setUpModule():
    kernelenv.setup()


class NotebookFilesTests(unittest.TestCase):
    """What can be checked without running anything."""

    def test_teaching_order(self):
        names = [os.path.basename(p) for p in notebooks.paths()]
        self.assertGreaterEqual(len(names), 8, names)
        self.assertEqual(names[0], FIRST)
        for n in names:
            self.assertRegex(n, r"^\d\d-[a-z0-9-]+\.ipynb$")

    def test_metadata(self):
        for path in notebooks.paths():
            with self.subTest(os.path.basename(path)):
                md = notebooks.read(path).metadata
                self.assertEqual(md.get("kernelspec"), notebooks.KERNELSPEC)
                self.assertEqual(md.get("language_info", {}).get("name"), "go")

    def test_committed_with_outputs(self):
        for path in notebooks.paths():
            with self.subTest(os.path.basename(path)):
                nb = notebooks.read(path)
                self.assertEqual(notebooks.errors(nb), [])
                cells = notebooks.code_cells(nb)
                self.assertTrue(any(c.get("outputs") for c in cells),
                                "no outputs committed: run make notebooks")
                traced = [c for c in cells if c.source.startswith("%%trace")]
                for c in traced:
                    self.assertTrue(
                        any("<svg" in o.get("data", {}).get("text/html", "")
                            for o in c.outputs),
                        f"no timeline committed for {c.source[:60]!r}")


class NotebookRunTests(unittest.TestCase):
    """One test per notebook, added below: execute it and compare."""

    def check(self, path):
        # Run All, then every code cell again in the same kernel: learners
        # rerun cells, and a rerun must not fail where the first run did
        # not (a cell's names meet those of later cells).
        fresh, took, again = notebooks.execute(path, rerun=True)
        errors = notebooks.errors(fresh)
        self.assertEqual(errors, [], f"error outputs in {path}")
        self.assertEqual(notebooks.errors(again), [],
                         f"error outputs when {path}'s cells are rerun "
                         "after Run All")
        problems = notebooks.compare(notebooks.read(path), fresh)
        self.assertEqual(problems, [],
                         f"{path} is not current: run `make notebooks`")


def _add_run_test(path):
    name = os.path.splitext(os.path.basename(path))[0]

    def test(self):
        self.check(path)

    test.__doc__ = (f"{name} runs clean, reruns clean, and is committed "
                    "current")
    setattr(NotebookRunTests, "test_" + name.replace("-", "_"), test)


for _path in notebooks.paths():
    _add_run_test(_path)


if __name__ == "__main__":
    unittest.main()
