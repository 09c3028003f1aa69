"""The Juggler kernel in JupyterLab 4 and in Notebook 7, driven as a user
drives them: a real Jupyter server from the pinned stack (.venv/), headless
Chromium (Debian's /usr/bin/chromium, through Playwright; Playwright never
downloads a browser), menus, toolbar buttons and keys.

Runs under `make test-browser` (JUGGLER_BROWSER_TEST=1). Its name keeps it
out of `make test-kernel`'s discovery (test*.py).

In each of the two front ends:
- every bundled notebook (copies in a temporary directory) opens on the
  Go (Juggler) kernel; Edit > Clear Outputs of All Cells, Run > Run All
  Cells: no error output, every %%trace cell shows its timeline as an
  <svg>, and hovering a goroutine's lane finds its <title> tooltip;
- Kernel > Restart Kernel..., then Run All again;
- the toolbar's interrupt button stops `for {}`, "interrupted" shown in
  under INTERRUPT_LIMIT seconds;
- Tab after `strings.To` lists ToUpper; Shift-Tab shows its documentation;
- a cell edited and run again: later cells use the new definition;
- File > New Console for Notebook (JupyterLab: beside the notebook;
  Notebook 7: in its right panel) sees the notebook's names; the notebook
  runs all its cells while the console runs its own, and neither kernel
  connection drops an iopub message or sees a session but the kernel's.

Screenshots go to tests/out/ (or JUGGLER_TEST_OUT); timings are printed
at the end and written to tests/out/browser-timings.txt.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

import kernelenv
from kernelenv import Deadline

TOKEN = "juggler-browser-test"
OUT_DIR = os.environ.get("JUGGLER_TEST_OUT") or os.path.join(
    kernelenv.REPO, "tests", "out")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

SERVER_DEADLINE = 90.0   # the server answers /api/status
OPEN_DEADLINE = 90.0     # a notebook is open with an idle kernel
RUN_DEADLINE = 240.0     # Run All has finished
UI_DEADLINE = 15.0       # a menu, a completion list, a tooltip appears
INTERRUPT_LIMIT = 2.0    # interrupt to "interrupted" on the page

# A notebook of small cells for the interactive checks, made by the test.
SCRATCH = "scratch.ipynb"
SCRATCH_CELLS = [
    'func greeting() string { return "hello" }',
    "greeting()",
    "shared := 41",
    "",
]

# The notebook the console check runs, and how many cells each side runs.
CONSOLE_NB = "with-console.ipynb"
CONSOLE_NB_CELLS = 30
CONSOLE_CELLS = 8

# JupyterLab's settings for the run: no news or update checks (there is no
# network but the registries), no pop-ups over the screenshots.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
}

# JavaScript helpers, evaluated in the page. jupyterapp is the front end's
# application (expose_app_in_browser); w is the notebook panel in front.
JS_PANEL = """() => {
  if (!window.jupyterapp) return null;
  const isNotebook = w => !!(w && w.sessionContext && w.content &&
                             w.content.model && w.content.model.cells);
  const current = jupyterapp.shell.currentWidget;
  if (isNotebook(current)) return current;
  for (const w of jupyterapp.shell.widgets('main'))
    if (isNotebook(w)) return w;
  return null;
}"""

JS_KERNEL_IDLE = """(name) => {
  const w = (%s)();
  const k = w && w.sessionContext.session && w.sessionContext.session.kernel;
  return !!k && k.name === name && k.status === 'idle' &&
         k.connectionStatus === 'connected';
}""" % JS_PANEL

# Run All finished: kernel idle, every code cell has a count, none is
# waiting ([*]).
JS_ALL_RUN = """() => {
  const w = (%s)();
  if (!w) return false;
  const k = w.sessionContext.session && w.sessionContext.session.kernel;
  const cells = [...w.content.model.cells].filter(c => c.type === 'code');
  const busy = w.content.widgets.some(c =>
      c.promptNode && c.promptNode.textContent.includes('*'));
  return !!k && k.status === 'idle' && !busy &&
         cells.every(c => c.executionCount !== null);
}""" % JS_PANEL

JS_STATE = """() => {
  const w = (%s)();
  const cells = [...w.content.model.cells].filter(c => c.type === 'code');
  return cells.map(c => ({
    source: c.sharedModel.getSource(),
    count: c.executionCount,
    outputs: c.outputs.toJSON(),
  }));
}""" % JS_PANEL


# For the console check: every panel with a kernel in the page's main area.
# (JupyterLab opens the console in the main area, Notebook 7 on the right.)
JS_SESSION_PANELS = """() => {
  const out = [];
  for (const area of ['main', 'right', 'down']) {
    let widgets = [];
    try { widgets = [...jupyterapp.shell.widgets(area)]; } catch (e) {}
    for (const w of widgets) {
      const s = w.sessionContext && w.sessionContext.session;
      if (s && s.kernel && !out.includes(w)) out.push(w);
    }
  }
  return out;
}"""

JS_KERNEL_IDS = """() => (%s)().map(w => w.sessionContext.session.kernel.id)
""" % JS_SESSION_PANELS

JS_ALL_IDLE = """() => (%s)().every(
  w => w.sessionContext.session.kernel.status === 'idle')""" % JS_SESSION_PANELS

JS_CONSOLE_IDLE = """() => (%s)().some(w => !(w.content && w.content.model &&
  w.content.model.cells) && w.sessionContext.session.kernel.status === 'idle')
""" % JS_SESSION_PANELS

# Counts, per kernel connection (the notebook's, the console's), the iopub
# messages that arrive on its websocket and those it passes on, and the
# sessions of all messages it receives. JupyterLab cancels the handling of
# a message whose session is not that of the message it received last.
JS_COUNT_IOPUB = """() => {
  window.jugglerCounts = {};
  (%s)().forEach(w => {
    const k = w.sessionContext.session.kernel;
    const name = w.content && w.content.model && w.content.model.cells
        ? 'notebook' : 'console';
    const c = window.jugglerCounts[name] = {wire: 0, passed: 0, sessions: []};
    k.anyMessage.connect((_, a) => {
      if (a.direction !== 'recv') return;
      if (!c.sessions.includes(a.msg.header.session))
        c.sessions.push(a.msg.header.session);
      if (a.msg.channel === 'iopub') c.wire++;
    });
    k.iopubMessage.connect(() => { c.passed++; });
  });
}""" % JS_SESSION_PANELS


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def notebook_names():
    return sorted(n for n in os.listdir(os.path.join(kernelenv.REPO,
                                                     "notebooks"))
                  if n.endswith(".ipynb"))


def write_scratch(path):
    write_notebook(path, SCRATCH_CELLS)


def write_notebook(path, sources):
    nb = {"nbformat": 4, "nbformat_minor": 5,
          "metadata": {"kernelspec": {"name": "juggler",
                                      "display_name": "Go (Juggler)",
                                      "language": "go"},
                       "language_info": {"name": "go"}},
          "cells": [{"cell_type": "code", "id": f"scratch-{i}",
                     "metadata": {}, "source": src, "outputs": [],
                     "execution_count": None}
                    for i, src in enumerate(sources)]}
    with open(path, "w") as f:
        json.dump(nb, f)


def text_of(outputs):
    """The text a user sees in outputs (streams, results, errors)."""
    parts = []
    for o in outputs:
        if o["output_type"] == "stream":
            t = o["text"]
            parts.append("".join(t) if isinstance(t, list) else t)
        elif o["output_type"] == "error":
            parts += [o["ename"], o["evalue"]] + o["traceback"]
        else:
            t = o.get("data", {}).get("text/plain", "")
            parts.append("".join(t) if isinstance(t, list) else t)
    return "\n".join(parts)


class Server:
    """A Jupyter server (JupyterLab and Notebook 7 both) on 127.0.0.1."""

    def __init__(self, scratch, root):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        settings = os.path.join(scratch, "lab-settings")
        for name, value in LAB_SETTINGS.items():
            path = os.path.join(settings, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                json.dump(value, f)
        env = dict(os.environ,
                   JUPYTERLAB_SETTINGS_DIR=settings,
                   JUPYTERLAB_WORKSPACES_DIR=os.path.join(scratch, "ws"))
        argv = [sys.executable, "-m", "jupyterlab", "--no-browser",
                "--ip=127.0.0.1", f"--port={self.port}", "--port-retries=0",
                f"--IdentityProvider.token={TOKEN}",
                f"--ServerApp.root_dir={root}",
                "--LabApp.expose_app_in_browser=True",
                "--JupyterNotebookApp.expose_app_in_browser=True",
                "--LabApp.news_url=", "--LabApp.check_for_updates_class="
                "jupyterlab.NeverCheckForUpdate"]
        if os.geteuid() == 0:  # CI runs as root
            argv.append("--allow-root")
        self.log = open(os.path.join(scratch, "server.log"), "w+")
        self.proc = subprocess.Popen(argv, stdout=self.log,
                                     stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, env=env)
        try:
            self.wait()
        except BaseException:
            self.stop()
            raise

    def output(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()[-6000:]

    def wait(self):
        d = Deadline(SERVER_DEADLINE)
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError("jupyter server exited:\n" + self.output())
            try:
                self.api("GET", "status")
                return
            except OSError:
                if d.expired():
                    raise RuntimeError("jupyter server not up in time:\n"
                                       + self.output())
                time.sleep(0.2)

    def api(self, method, path):
        req = urllib.request.Request(
            f"{self.base}/api/{path}", method=method,
            headers={"Authorization": f"token {TOKEN}"})
        with urllib.request.urlopen(req, timeout=10) as r:
            body = r.read()
            return json.loads(body) if body else None

    def shutdown_kernels(self):
        """Ends every session, so the next check starts from nothing."""
        for s in self.api("GET", "sessions"):
            self.api("DELETE", f"sessions/{s['id']}")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.log.close()


class Env:
    """What the tests of the module share: the files, the server, Chromium."""
    scratch = root = server = playwright = browser = None
    timings = []


def setUpModule():
    if os.environ.get("JUGGLER_BROWSER_TEST") != "1":
        raise unittest.SkipTest("run by make test-browser")
    from playwright.sync_api import sync_playwright

    kernelenv.setup()
    Env.scratch = tempfile.mkdtemp(prefix="juggler-browser-")
    Env.root = os.path.join(Env.scratch, "notebooks")
    os.makedirs(Env.root)
    # Copies: the browser runs must never touch the committed notebooks.
    for name in notebook_names():
        shutil.copy(os.path.join(kernelenv.REPO, "notebooks", name), Env.root)
    t = time.monotonic()
    Env.server = Server(Env.scratch, Env.root)
    Env.timings.append(("server start", time.monotonic() - t))
    Env.playwright = sync_playwright().start()
    # Debian's Chromium; headless, no sandbox (CI runs as root).
    Env.browser = Env.playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True,
        args=["--disable-gpu", "--disable-dev-shm-usage"])
    os.makedirs(OUT_DIR, exist_ok=True)


def tearDownModule():
    if Env.browser:
        Env.browser.close()
    if Env.playwright:
        Env.playwright.stop()
    if Env.server:
        Env.server.stop()
    if Env.scratch:
        shutil.rmtree(Env.scratch, True)
    if Env.timings:
        lines = [f"{what:<58} {took:6.1f} s" for what, took in Env.timings]
        text = "browser checks:\n" + "\n".join(lines) + "\n"
        print("\n" + text, file=sys.stderr)
        with open(os.path.join(OUT_DIR, "browser-timings.txt"), "w") as f:
            f.write(text)


class FrontEnd:
    """The checks, run by a subclass per front end (ui, url)."""

    ui = None

    def url(self, path):
        raise NotImplementedError

    def setUp(self):
        self.page = None

    def tearDown(self):
        if self.page is not None:
            self.page.close()
        Env.server.shutdown_kernels()

    # --- the page --------------------------------------------------------

    def timed(self, what, start):
        Env.timings.append((f"{self.ui}: {what}", time.monotonic() - start))

    def shot(self, name):
        path = os.path.join(OUT_DIR, f"{self.ui}-{name}.png")
        self.page.screenshot(path=path)
        return path

    def open(self, name):
        """Opens notebook name in a new page; returns once its kernel is
        connected and idle."""
        if self.page is not None:
            self.page.close()
        self.page = Env.browser.new_page(viewport={"width": 1400,
                                                   "height": 1000})
        self.page.set_default_timeout(UI_DEADLINE * 1000)
        self.page.goto(self.url(name))
        self.wait_js(JS_KERNEL_IDLE, OPEN_DEADLINE,
                     f"{name} open on an idle juggler kernel", "juggler")
        self.page.wait_for_selector(".jp-Notebook .jp-Cell")

    def wait_js(self, script, deadline, what, arg=None):
        try:
            self.page.wait_for_function(script, arg=arg,
                                        timeout=deadline * 1000,
                                        polling=100)
        except Exception as e:
            self.shot("timeout")
            self.fail(f"{what}: not within {deadline}s ({e})\n"
                      + Env.server.output())

    def js(self, script, arg=None):
        return self.page.evaluate(script, arg)

    def menu(self, top, item):
        """Clicks top in the menu bar, then item in its menu."""
        self.page.locator(".lm-MenuBar-itemLabel", has_text=top).first.click()
        entry = self.page.locator(".lm-Menu-content > .lm-Menu-item",
                                  has_text=item)
        entry.first.click()

    def state(self):
        return self.js(JS_STATE)

    def cell_editor(self, index):
        """The CodeMirror editor of code cell index, scrolled into view."""
        cell = self.page.locator(".jp-Notebook .jp-CodeCell").nth(index)
        cell.scroll_into_view_if_needed()
        return cell.locator(".cm-content")

    def run_all(self, name, label):
        # Done is every code cell with a count and an execute_reply for
        # each (counts alone may be left from the run before a restart).
        self.js("""() => { window.jugglerReplies = 0;
          (%s)().sessionContext.session.kernel.anyMessage.connect((_, a) => {
            if (a.direction === 'recv' &&
                a.msg.header.msg_type === 'execute_reply')
              window.jugglerReplies++; }); }""" % JS_PANEL)
        t = time.monotonic()
        self.menu("Run", "Run All Cells")
        self.wait_js("""() => { const w = (%s)();
          const n = [...w.content.model.cells].filter(
              c => c.type === 'code').length;
          return window.jugglerReplies >= n && (%s)(); }"""
                     % (JS_PANEL, JS_ALL_RUN), RUN_DEADLINE,
                     f"{name}: Run All")
        self.timed(f"{name} {label}", t)
        cells = self.state()
        errors = [(c["source"][:60], text_of(c["outputs"])[:300])
                  for c in cells
                  if any(o["output_type"] == "error" for o in c["outputs"])]
        self.assertEqual(errors, [], f"{name}: error outputs")
        return cells

    def check_timelines(self, name, cells):
        """Each %%trace cell shows an <svg>; hovering a goroutine's lane
        finds the <title> the browser shows as its tooltip."""
        traced = [i for i, c in enumerate(cells)
                  if c["source"].startswith("%%trace")]
        self.assertTrue(traced, f"{name} has no %%trace cell")
        code_cells = self.page.locator(".jp-Notebook .jp-CodeCell")
        hovered = None
        for i in traced:
            html = "".join(o.get("data", {}).get("text/html", "")
                           for o in cells[i]["outputs"])
            self.assertIn("<svg", html, f"{name}: no timeline in cell {i}")
            cell = code_cells.nth(i)
            cell.scroll_into_view_if_needed()
            svg = cell.locator(".jp-OutputArea-output svg").first
            svg.wait_for(state="visible", timeout=UI_DEADLINE * 1000)
            if hovered is None:
                hovered = self.hover_lane(svg)
        self.assertTrue(hovered, f"{name}: no lane with a tooltip")
        return hovered

    def hover_lane(self, svg):
        """Moves the mouse onto the widest lane bar that has a <title> and
        returns the title of what is under the pointer."""
        index = svg.evaluate("""s => {
          let best = -1, width = 0;
          [...s.querySelectorAll('rect')].forEach((r, i) => {
            if (![...r.children].some(c => c.tagName === 'title')) return;
            const b = r.getBoundingClientRect();
            if (b.height >= 4 && b.width > width) { width = b.width; best = i; }
          });
          return best; }""")
        self.assertGreaterEqual(index, 0, "no lane bar with a <title>")
        lane = svg.locator("rect").nth(index)
        lane.scroll_into_view_if_needed()
        box = lane.bounding_box()
        self.assertIsNotNone(box, "lane not on the page")
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        title = None
        for attempt in range(20):
            self.page.mouse.move(x, y + (attempt % 2) * 0.5)
            title = self.js("""([x, y]) => {
              let e = document.elementFromPoint(x, y);
              if (!e || !e.matches(':hover')) return null;
              for (; e && e.tagName !== 'svg'; e = e.parentElement) {
                const t = [...e.children].find(c => c.tagName === 'title');
                if (t) return t.textContent;
              }
              return null;
            }""", [x, y])
            if title:
                break
            time.sleep(0.1)
        return title

    # --- the checks ------------------------------------------------------

    def test_1_bundled_notebooks(self):
        for name in notebook_names():
            with self.subTest(name):
                self.open(name)
                t = time.monotonic()
                self.menu("Edit", "Clear Outputs of All Cells")
                self.wait_js("""() => { const w = (%s)();
                  return [...w.content.model.cells].every(c =>
                    c.type !== 'code' || c.outputs.length === 0); }"""
                             % JS_PANEL, UI_DEADLINE, "outputs cleared")
                self.timed(f"{name} clear outputs", t)
                cells = self.run_all(name, "Run All")
                tip = self.check_timelines(name, cells)
                print(f"\n{self.ui} {name}: lane tooltip {tip[:80]!r}",
                      file=sys.stderr)
                self.shot(name[:-6])
                Env.server.shutdown_kernels()

    def test_2_restart_then_run_all(self):
        name = "02-parallelism.ipynb"
        self.open(name)
        self.run_all(name, "Run All")
        first = self.js("() => (%s)().sessionContext.session.kernel.id"
                        % JS_PANEL)
        # Note the restart as the kernel connection reports it, so that the
        # wait below is for the new kernel process, not the old one.
        self.js("""() => { window.jugglerRestarted = false;
          (%s)().sessionContext.session.kernel.statusChanged.connect(
            (_, s) => { if (s === 'restarting') window.jugglerRestarted = true;
            }); }""" % JS_PANEL)
        t = time.monotonic()
        self.menu("Kernel", "Restart Kernel")
        self.page.locator(".jp-Dialog .jp-mod-accept").click()
        self.wait_js("(name) => window.jugglerRestarted && (%s)(name)"
                     % JS_KERNEL_IDLE, OPEN_DEADLINE, "kernel restarted",
                     "juggler")
        self.timed("Kernel > Restart Kernel", t)
        self.assertEqual(first, self.js(
            "() => (%s)().sessionContext.session.kernel.id" % JS_PANEL),
            "a restart keeps the kernel id")
        cells = self.run_all(name, "Run All after restart")
        self.check_timelines(name, cells)
        speedup = [text_of(c["outputs"]) for c in cells
                   if "speedup" in c["source"]]
        self.assertTrue(speedup and "speedup with 2 Ps" in speedup[0],
                        speedup)
        self.shot("restart-run-all")

    def open_scratch(self):
        path = os.path.join(Env.root, SCRATCH)
        write_scratch(path)
        self.open(SCRATCH)

    def run_cell(self, index, text=None, deadline=RUN_DEADLINE):
        """Optionally replaces code cell index's text (typed, as a user
        does), runs it with Shift-Enter and waits for it to finish."""
        ed = self.cell_editor(index)
        ed.click()
        if text is not None:
            self.page.keyboard.press("Control+A")
            self.page.keyboard.press("Delete")
            ed.type(text)
        before = self.js("(i) => [...(%s)().content.model.cells]"
                         ".filter(c => c.type === 'code')[i].executionCount"
                         % JS_PANEL, index)
        self.page.keyboard.press("Shift+Enter")
        self.wait_js("""([i, before]) => { const w = (%s)();
            const c = [...w.content.model.cells].filter(
                c => c.type === 'code')[i];
            const k = w.sessionContext.session.kernel;
            return c.executionCount !== null && c.executionCount !== before
                && k.status === 'idle'; }""" % JS_PANEL, deadline,
                     f"cell {index} run", [index, before])
        return self.state()[index]

    def test_3_interrupt(self):
        self.open_scratch()
        self.run_cell(0)
        ed = self.cell_editor(3)
        ed.click()
        ed.type('fmt.Println("spinning")\nfor {\n}')
        self.page.keyboard.press("Shift+Enter")
        # The loop runs once its first output is on the page.
        self.wait_js("""() => [...(%s)().content.model.cells].filter(
            c => c.type === 'code')[3].outputs.toJSON().some(
            o => (o.text || '').includes('spinning'))""" % JS_PANEL,
                     UI_DEADLINE, "the loop started")
        button = self.page.locator(
            '.jp-NotebookPanel-toolbar [data-command="notebook:interrupt-kernel"]'
        ).first
        t = time.monotonic()
        button.click()
        self.page.locator(".jp-OutputArea-output",
                          has_text="interrupted").first.wait_for(
            timeout=UI_DEADLINE * 1000)
        took = time.monotonic() - t
        self.timed("interrupt `for {}` (toolbar)", t)
        self.shot("interrupt")
        self.assertLess(took, INTERRUPT_LIMIT,
                        f"interrupted shown after {took:.2f}s")
        # The kernel is idle again and keeps what was defined before.
        self.wait_js(JS_KERNEL_IDLE, UI_DEADLINE, "idle after interrupt",
                     "juggler")
        cell = self.run_cell(1)
        self.assertIn('"hello"', text_of(cell["outputs"]))

    def test_4_complete_and_inspect(self):
        self.open_scratch()
        ed = self.cell_editor(3)
        ed.click()
        ed.type("strings.To")
        t = time.monotonic()
        self.page.keyboard.press("Tab")
        item = self.page.locator(".jp-Completer .jp-Completer-item",
                                 has_text="ToUpper").first
        item.wait_for(timeout=UI_DEADLINE * 1000)
        self.timed("Tab: completion list", t)
        items = self.page.locator(".jp-Completer-item code").all_inner_texts()
        self.assertIn("ToUpper", items)
        self.shot("complete")
        self.page.keyboard.press("Escape")
        # Shift-Tab on the whole name: its documentation.
        ed.type("Upper")
        t = time.monotonic()
        self.page.keyboard.press("Shift+Tab")
        # The tooltip appears, then its content renders into it.
        tip = self.page.locator(".jp-Tooltip", has_text="ToUpper")
        tip.wait_for(timeout=UI_DEADLINE * 1000)
        self.timed("Shift-Tab: documentation", t)
        text = tip.inner_text()
        self.shot("inspect")
        self.assertIn("ToUpper", text)
        self.assertIn("upper case", text.lower())

    def test_5_edit_and_rerun(self):
        self.open_scratch()
        t = time.monotonic()
        self.run_cell(0)
        out = text_of(self.run_cell(1)["outputs"])
        self.assertIn('"hello"', out)
        # Edit the definition, run it, run the cell that uses it again.
        self.run_cell(0, 'func greeting() string { return "bye" }')
        out = text_of(self.run_cell(1)["outputs"])
        self.timed("edit a func and rerun", t)
        self.shot("edit-rerun")
        self.assertIn('"bye"', out)


    def open_console(self):
        """File > New Console for Notebook (JupyterLab opens it beside the
        notebook, Notebook 7 in its right panel); returns its page."""
        self.menu("File", "New Console for Notebook")
        return self.page

    def test_6_console_for_notebook(self):
        # A notebook of many short cells, Run All, while the console runs
        # cells of its own: requests of the two clients take turns on the
        # kernel, so their messages interleave on both connections.
        path = os.path.join(Env.root, CONSOLE_NB)
        write_notebook(path, ["shared := 41"] + [
            f'fmt.Println("nb {i}")\ntime.Sleep(20 * time.Millisecond)'
            for i in range(CONSOLE_NB_CELLS)])
        self.open(CONSOLE_NB)
        self.run_cell(0)  # shared := 41
        t = time.monotonic()
        cpage = self.open_console()
        prompt = cpage.locator(".jp-CodeConsole-promptCell .cm-content")
        prompt.wait_for(timeout=OPEN_DEADLINE * 1000)
        cpage.wait_for_function(JS_CONSOLE_IDLE, timeout=OPEN_DEADLINE * 1000)
        self.timed("New Console for Notebook", t)
        pages = [self.page] if cpage == self.page else [self.page, cpage]
        # The console's kernel is the notebook's.
        ids = [k for p in pages for k in p.evaluate(JS_KERNEL_IDS)]
        self.assertEqual(len(ids), 2, ids)
        self.assertEqual(ids[0], ids[1], "console on another kernel")
        for p in pages:
            p.evaluate(JS_COUNT_IOPUB)

        t = time.monotonic()
        self.page.locator(".jp-Notebook").first.click()
        self.menu("Run", "Run All Cells")
        prompt.click()
        results = []
        for n in range(CONSOLE_CELLS):
            prompt.type(f"shared + {n + 1}")
            cpage.keyboard.press("Shift+Enter")
            results.append(str(42 + n))
        cpage.locator(".jp-CodeConsole-content .jp-OutputArea-output",
                      has_text=results[-1]).first.wait_for(
            timeout=RUN_DEADLINE * 1000)
        for p in pages:
            p.wait_for_function(JS_ALL_IDLE, timeout=RUN_DEADLINE * 1000)
        self.wait_js(JS_ALL_RUN, RUN_DEADLINE, "notebook done")
        self.timed(f"Run All ({CONSOLE_NB_CELLS + 1} cells) with "
                   f"{CONSOLE_CELLS} console cells", t)
        self.shot("console")
        if cpage != self.page:
            cpage.screenshot(path=os.path.join(
                OUT_DIR, f"{self.ui}-console-page.png"))

        counts = {}
        d = Deadline(UI_DEADLINE)
        while not d.expired():
            counts = {}
            for p in pages:
                counts.update(p.evaluate("() => window.jugglerCounts"))
            if all(c["wire"] == c["passed"] for c in counts.values()):
                break
            time.sleep(0.2)
        print(f"\n{self.ui} console: iopub messages "
              f"{ {n: (c['wire'], c['passed']) for n, c in counts.items()} }",
              file=sys.stderr)
        self.assertEqual(sorted(counts), ["console", "notebook"], counts)
        # What JupyterLab relies on: one session on all the kernel sends,
        # the kernel's, whichever client asked.
        sessions = {s for c in counts.values() for s in c["sessions"]}
        self.assertEqual(len(sessions), 1, f"sessions seen: {counts}")
        for name, c in counts.items():
            self.assertGreater(c["wire"], 4 * CONSOLE_NB_CELLS, counts)
            self.assertEqual(c["passed"], c["wire"],
                             f"the {name} dropped iopub messages: {counts}")
        # Every notebook cell shows its own output, the console its own.
        outs = self.js("""() => [...(%s)().content.model.cells]
            .filter(c => c.type === 'code')
            .map(c => c.outputs.toJSON().map(o => o.text || '').join(''))"""
                       % JS_PANEL)
        self.assertEqual(outs[1:], [f"nb {i}\n"
                                    for i in range(CONSOLE_NB_CELLS)])
        console_text = cpage.locator(".jp-CodeConsole-content").inner_text()
        for r in results:
            self.assertIn(r, console_text)
        if cpage != self.page:
            cpage.close()


class JupyterLabTests(FrontEnd, unittest.TestCase):
    ui = "lab"

    def url(self, path):
        # reset: no workspace from an earlier page, one notebook open.
        return f"{Env.server.base}/lab/tree/{path}?reset&token={TOKEN}"

class Notebook7Tests(FrontEnd, unittest.TestCase):
    ui = "notebook7"

    def url(self, path):
        return f"{Env.server.base}/notebooks/{path}?token={TOKEN}"


if __name__ == "__main__":
    unittest.main()
