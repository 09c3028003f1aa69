"""A teaching notebook in a real browser: the classic notebook server,
headless Chromium, the Juggler kernel.

Runs under `make test-browser` (which sets JUGGLER_BROWSER_TEST=1 and
installs Debian's jupyter-notebook, chromium, chromium-driver and
python3-selenium when missing). Its name keeps it out of `make test-kernel`'s
discovery (test*.py), so that run has no skipped test.

It copies notebooks/02-parallelism.ipynb into a temporary directory, serves
that with `jupyter notebook` on 127.0.0.1, opens it in Chromium, runs all
cells, waits until every prompt is done, and checks that the timeline
<svg> is on the page and no cell shows an error. The screenshot is saved as
tests/out/browser-02-parallelism.png (or under JUGGLER_TEST_OUT).
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

NOTEBOOK = "02-parallelism.ipynb"
TOKEN = "juggler-browser-test"
OUT_DIR = os.environ.get("JUGGLER_TEST_OUT") or os.path.join(
    kernelenv.REPO, "tests", "out")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

SERVER_DEADLINE = 60.0     # the server answers /api/status
CONNECT_DEADLINE = 60.0    # the page has a connected kernel
RUN_DEADLINE = 180.0       # every cell has run


# True once every code cell has an execution count (none is waiting, '*').
ALL_DONE_JS = """
const cells = Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code');
return cells.length > 0 && cells.every(c =>
    typeof c.input_prompt_number === 'number');
"""

PAGE_STATE_JS = """
const cells = Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code');
return {
  prompts: cells.map(c => String(c.input_prompt_number)),
  svgs: document.querySelectorAll('.output_area svg').length,
  errors: Array.from(document.querySelectorAll('.output_error'))
      .map(e => e.innerText.slice(0, 300)),
  stderr: Array.from(document.querySelectorAll('.output_stderr'))
      .map(e => e.innerText.slice(0, 300)),
  outputs: Array.from(document.querySelectorAll('.output_text pre'))
      .map(e => e.innerText),
};
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class BrowserTests(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        kernelenv.setup()
        cls.scratch = tempfile.mkdtemp(prefix="juggler-browser-")
        cls.addClassCleanup(shutil.rmtree, cls.scratch, True)
        nbdir = os.path.join(cls.scratch, "notebooks")
        os.makedirs(nbdir)
        # A copy: the browser run must never touch the committed notebook.
        shutil.copy(os.path.join(kernelenv.REPO, "notebooks", NOTEBOOK), nbdir)
        cls.port = free_port()
        cls.base = f"http://127.0.0.1:{cls.port}"
        cls.server_log = open(os.path.join(cls.scratch, "server.log"), "w+")
        argv = [sys.executable, "-m", "notebook", "--no-browser",
                "--ip=127.0.0.1", f"--port={cls.port}", "--port-retries=0",
                f"--NotebookApp.token={TOKEN}", f"--notebook-dir={nbdir}"]
        if os.geteuid() == 0:  # CI runs as root
            argv.append("--allow-root")
        cls.server = subprocess.Popen(
            argv, stdout=cls.server_log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL)
        cls.addClassCleanup(cls.stop_server)
        cls.wait_for_server()
        cls.driver = cls.start_browser()
        cls.addClassCleanup(cls.driver.quit)

    @classmethod
    def stop_server(cls):
        if cls.server.poll() is None:
            cls.server.terminate()
            try:
                cls.server.wait(10)
            except subprocess.TimeoutExpired:
                cls.server.kill()
                cls.server.wait(5)
        cls.server_log.close()

    @classmethod
    def server_output(cls):
        cls.server_log.flush()
        cls.server_log.seek(0)
        return cls.server_log.read()[-4000:]

    @classmethod
    def wait_for_server(cls):
        d = Deadline(SERVER_DEADLINE)
        url = f"{cls.base}/api/status?token={TOKEN}"
        while True:
            if cls.server.poll() is not None:
                raise RuntimeError("notebook server exited:\n"
                                   + cls.server_output())
            try:
                with urllib.request.urlopen(url, timeout=2) as r:
                    json.load(r)
                    return
            except OSError:
                if d.expired():
                    raise RuntimeError("notebook server not up in time:\n"
                                       + cls.server_output())
                time.sleep(0.2)

    @classmethod
    def start_browser(cls):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        opts = webdriver.ChromeOptions()
        opts.binary_location = CHROMIUM
        for flag in ("--headless", "--no-sandbox", "--disable-gpu",
                     "--disable-quic", "--no-first-run",
                     "--disable-background-networking",
                     "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", "--window-size=1280,3200",
                     "--user-data-dir=" + os.path.join(cls.scratch, "chromium")):
            opts.add_argument(flag)
        # An explicit driver path: Selenium must not go looking online.
        return webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)

    def wait_js(self, script, deadline, what):
        d = Deadline(deadline)
        last = None
        while not d.expired():
            try:
                if self.driver.execute_script(script):
                    return
            except Exception as e:  # page still loading
                last = e
            time.sleep(0.2)
        self.fail(f"{what} not within {deadline}s (last error: {last})\n"
                  + self.server_output())

    def test_timeline_in_browser(self):
        drv = self.driver
        drv.get(f"{self.base}/notebooks/{NOTEBOOK}?token={TOKEN}")
        self.wait_js(
            "return !!(window.Jupyter && Jupyter.notebook &&"
            " Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected());",
            CONNECT_DEADLINE, "a connected kernel")
        self.assertEqual(
            drv.execute_script("return Jupyter.notebook.kernel.name;"),
            "juggler")
        # Outputs saved in the file must not pass for fresh ones.
        drv.execute_script("Jupyter.notebook.clear_all_output();")
        self.assertEqual(
            drv.execute_script(
                "return document.querySelectorAll('.output_area svg').length;"),
            0)
        drv.execute_script("Jupyter.notebook.execute_all_cells();")
        self.wait_js(ALL_DONE_JS, RUN_DEADLINE, "every cell run")

        state = drv.execute_script(PAGE_STATE_JS)
        os.makedirs(OUT_DIR, exist_ok=True)
        shot = os.path.join(OUT_DIR, "browser-" + NOTEBOOK[:-6] + ".png")
        # Scroll to the first timeline, then save what the browser shows.
        drv.execute_script(
            "const s = document.querySelector('.output_area svg');"
            " if (s) s.scrollIntoView();")
        drv.save_screenshot(shot)
        print(f"\nscreenshot: {shot}", file=sys.stderr)

        self.assertEqual(state["errors"], [], state)
        self.assertGreaterEqual(state["svgs"], 2,
                                f"timeline <svg> missing: {state}")
        self.assertTrue(any("speedup with 2 Ps" in o
                            for o in state["outputs"]), state)


if __name__ == "__main__":
    unittest.main()
