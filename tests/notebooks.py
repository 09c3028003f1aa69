"""Execute the teaching notebooks (notebooks/*.ipynb) in the Juggler kernel.

    python3 notebooks.py run [NAME...]    execute in place, saving the outputs
                                          (make notebooks)
    python3 notebooks.py check [NAME...]  execute fresh copies and compare them
                                          with the committed files

NAME is a notebook's file name or a prefix of it (e.g. 02). Both use
kernelenv: the kernel is bin/juggler installed into a temporary prefix (or
the one JUGGLER_TEST_PREFIX names), never the user's own Jupyter dirs.

`run` writes a notebook only if every cell ran without an error output, so
a broken cell never lands in the committed outputs. test_notebooks.py uses
the same functions.
"""

import copy
import glob
import os
import sys
import time

import nbformat
from nbclient import NotebookClient

import kernelenv

NOTEBOOK_DIR = os.path.join(kernelenv.REPO, "notebooks")

# A single cell is meant to take well under a few seconds; this only stops
# a hung one.
CELL_TIMEOUT = int(os.environ.get("JUGGLER_NOTEBOOK_CELL_TIMEOUT", "60"))

KERNELSPEC = {"name": "juggler", "display_name": "Go (Juggler)",
              "language": "go"}


def paths(names=()):
    """The notebooks, in teaching order; names filters them by prefix."""
    found = sorted(glob.glob(os.path.join(NOTEBOOK_DIR, "*.ipynb")))
    if not names:
        return found
    picked = [p for p in found
              if any(os.path.basename(p).startswith(n) for n in names)]
    missing = [n for n in names
               if not any(os.path.basename(p).startswith(n) for p in found)]
    if missing:
        raise SystemExit(f"no notebook matches {', '.join(missing)}")
    return picked


def read(path):
    return nbformat.read(path, as_version=4)


def execute(path, rerun=False, nb=None):
    """Execute the notebook at path top to bottom in a fresh kernel.

    Returns the executed notebook (the file is not changed) and the seconds
    it took. Error outputs do not stop the run: errors() lists them. With
    rerun, every code cell then runs once more, top to bottom, in the same
    kernel, as a learner rerunning cells after Run All does; the returned
    notebook is the first run, and its metadata "juggler_rerun" holds the
    second run's code cells. nb, when given, is run instead of the file
    (an exercise's edited copy).
    """
    kernelenv.setup()
    nb = copy.deepcopy(nb) if nb is not None else read(path)
    first = len(nb.cells)
    if rerun:
        nb.cells = nb.cells + [copy.deepcopy(c) for c in code_cells(nb)]
    client = NotebookClient(
        nb, kernel_name=KERNELSPEC["name"], timeout=CELL_TIMEOUT,
        allow_errors=True, record_timing=False,
        resources={"metadata": {"path": os.path.dirname(path)}})
    start = time.monotonic()
    client.execute()
    # nbclient copies language_info from the kernel; the kernelspec stays
    # the one the notebook is meant for.
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    if rerun:
        again = nb.cells[first:]
        nb.cells = nb.cells[:first]
        return nb, time.monotonic() - start, again
    return nb, time.monotonic() - start


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def errors(nb):
    """(cell number, 'ename: evalue') of every error output in nb, a
    notebook or a list of cells."""
    out = []
    cells = nb if isinstance(nb, list) else code_cells(nb)
    for i, cell in enumerate(cells, 1):
        for o in cell.get("outputs", []):
            if o.output_type == "error":
                out.append((i, f"{o.ename}: {o.evalue}"))
    return out


def kinds(cell):
    """What kinds of output a cell has: output types, streams by name."""
    return sorted({o.output_type + (":" + o.name if o.output_type == "stream"
                                    else "")
                   for o in cell.get("outputs", [])})


def compare(committed, fresh):
    """Why the committed notebook is not current with a fresh run of it.

    Outputs differ from run to run (times, counts), so only their kinds
    are compared: each code cell must have the same source and the same
    kinds of output as the fresh run, and no error output.
    """
    problems = []
    if committed.metadata.get("kernelspec", {}).get("name") != "juggler":
        problems.append("kernelspec is not juggler")
    old, new = code_cells(committed), code_cells(fresh)
    if len(old) != len(new):
        return problems + [f"{len(old)} code cells, fresh run has {len(new)}"]
    for i, (a, b) in enumerate(zip(old, new), 1):
        first = a.source.splitlines()[:1]
        where = f"code cell {i} ({first[0] if first else 'empty'!s})"
        if a.source != b.source:
            problems.append(f"{where}: source differs from the executed one")
        if any(o.output_type == "error" for o in a.get("outputs", [])):
            problems.append(f"{where}: error output committed")
        if kinds(a) != kinds(b):
            problems.append(f"{where}: committed outputs {kinds(a)}, "
                            f"a fresh run gives {kinds(b)}")
    return problems


def run(names):
    failed = False
    total = 0.0
    for path in paths(names):
        nb, took = execute(path)
        total += took
        name = os.path.basename(path)
        errs = errors(nb)
        if errs:
            failed = True
            print(f"{name}: {took:.1f}s, NOT saved, errors:")
            for i, e in errs:
                print(f"  code cell {i}: {e}")
            continue
        nbformat.write(nb, path)
        print(f"{name}: {took:.1f}s, saved")
    print(f"total {total:.1f}s")
    return 1 if failed else 0


def check(names):
    failed = False
    for path in paths(names):
        nb, took = execute(path)
        name = os.path.basename(path)
        problems = [f"code cell {i}: {e}" for i, e in errors(nb)]
        problems += compare(read(path), nb)
        print(f"{name}: {took:.1f}s, {'FAILED' if problems else 'ok'}")
        for p in problems:
            print("  " + p)
        failed = failed or bool(problems)
    return 1 if failed else 0


def main(argv):
    if len(argv) < 2 or argv[1] not in ("run", "check"):
        print(__doc__)
        return 2
    return (run if argv[1] == "run" else check)(argv[2:])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
