"""Protocol tests of the Juggler kernel through jupyter_client and raw zmq.

They cover what jupyter_kernel_test does not: state across cells, errors,
aborts, interrupts, stdin, crash recovery, bad input, restarts. Every wait
has a deadline; nothing sleeps to let the kernel catch up.
"""

import hashlib
import hmac
import json
import os
import re
import tempfile
import time
import unittest
import uuid
from queue import Empty

import zmq

import kernelenv
from kernelenv import Deadline, TIMEOUT, collect, execute

# How long an interrupted cell may take to end, and a killed kernel to go.
INTERRUPT_DEADLINE = 5.0
EXIT_DEADLINE = 5.0


def setUpModule():
    kernelenv.setup()


class KernelCase(unittest.TestCase):
    """One kernel shared by the tests of a class, or with kernel_per_test
    one for each test (where a failure could leave the kernel unusable)."""

    kernel_per_test = False

    @classmethod
    def setUpClass(cls):
        if not cls.kernel_per_test:
            cls.km, cls.kc = kernelenv.start()

    @classmethod
    def tearDownClass(cls):
        if not cls.kernel_per_test:
            kernelenv.stop(cls.km, cls.kc)

    def setUp(self):
        if self.kernel_per_test:
            self.km, self.kc = kernelenv.start()
            self.addCleanup(kernelenv.stop, self.km, self.kc)

    def run_cell(self, code, **kw):
        return execute(self.kc, code, **kw)

    def assertOk(self, run):
        self.assertEqual(run.status, "ok", run.describe())

    def assertResult(self, code, expected):
        run = self.run_cell(code)
        self.assertOk(run)
        self.assertEqual(run.result(), expected, run.describe())
        return run

    def assertError(self, run):
        self.assertEqual(run.status, "error", run.describe())
        self.assertEqual(len(run.errors()), 1, run.describe())

    def wait_iopub(self, msg_id, pred, timeout=TIMEOUT):
        """iopub messages of msg_id up to the first one pred accepts."""
        got = []
        d = Deadline(timeout)
        while True:
            try:
                msg = self.kc.get_iopub_msg(timeout=max(d.remaining(), 0.001))
            except Empty:
                msg = None
            if msg is not None and msg["parent_header"].get("msg_id") == msg_id:
                got.append(msg)
                if pred(msg):
                    return got
            if d.expired():
                self.fail("timed out waiting on iopub; got "
                          + ", ".join(m["msg_type"] for m in got))

    def request(self, method, *args, **kw):
        """Send a shell request with kc.method and return (reply, iopub)."""
        msg_id = getattr(self.kc, method)(*args, **kw)
        reply = kernelenv.shell_reply(self.kc, msg_id)
        iopub = kernelenv.iopub_until_idle(self.kc, msg_id)
        return reply, iopub


def error_text(run):
    c = run.reply["content"]
    parts = [c.get("ename", ""), c.get("evalue", "")] + c.get("traceback", [])
    for m in run.errors():
        parts += [m["content"]["ename"], m["content"]["evalue"]]
        parts += m["content"]["traceback"]
    return "\n".join(parts)


class KernelInfoTests(KernelCase):

    def test_kernel_info_fields(self):
        reply, iopub = self.request("kernel_info")
        c = reply["content"]
        self.assertEqual(c["status"], "ok")
        self.assertEqual(c["protocol_version"], "5.4")
        self.assertEqual(reply["header"]["version"], "5.4")
        self.assertTrue(c["implementation"])
        self.assertTrue(c["implementation_version"])
        li = c["language_info"]
        self.assertEqual(li["name"], "go")
        self.assertEqual(li["mimetype"], "text/x-go")
        self.assertEqual(li["file_extension"], ".go")
        self.assertTrue(li["version"])

    def test_kernel_info_on_control(self):
        msg_id = kernelenv.send_control(self.kc, "kernel_info_request")
        reply = kernelenv.control_reply(self.kc, msg_id)
        self.assertEqual(reply["msg_type"], "kernel_info_reply")
        self.assertEqual(reply["content"]["language_info"]["name"], "go")

    def check_busy_idle(self, iopub, msg_id):
        states = [m["content"]["execution_state"] for m in iopub
                  if m["msg_type"] == "status"]
        self.assertEqual(states, ["busy", "idle"])
        self.assertEqual(iopub[0]["msg_type"], "status")
        for m in iopub:
            self.assertEqual(m["parent_header"]["msg_id"], msg_id)
            self.assertIsInstance(m["metadata"], dict)

    def test_status_parents(self):
        cases = [
            ("kernel_info", (), {}),
            ("complete", ("strings.ToUpp",), {}),
            ("inspect", ("strings.ToUpper",), {}),
            ("is_complete", ("x := 1",), {}),
            ("history", (), {"hist_access_type": "tail", "n": 1}),
            ("execute", ("1",), {}),
        ]
        for method, args, kw in cases:
            with self.subTest(request=method):
                msg_id = getattr(self.kc, method)(*args, **kw)
                reply = kernelenv.shell_reply(self.kc, msg_id)
                want = "complete" if method == "is_complete" else "ok"
                self.assertEqual(reply["content"]["status"], want)
                self.assertIsInstance(reply["metadata"], dict)
                iopub = kernelenv.iopub_until_idle(self.kc, msg_id)
                self.check_busy_idle(iopub, msg_id)

    def test_execute_input_and_counts(self):
        first = self.run_cell("1")
        second = self.run_cell("2")
        n1 = first.reply["content"]["execution_count"]
        n2 = second.reply["content"]["execution_count"]
        self.assertEqual(n2, n1 + 1)
        inputs = [m for m in second.iopub if m["msg_type"] == "execute_input"]
        self.assertEqual(len(inputs), 1)
        self.assertEqual(inputs[0]["content"]["code"], "2")
        self.assertEqual(inputs[0]["content"]["execution_count"], n2)
        kinds = [m["msg_type"] for m in second.iopub]
        self.assertLess(kinds.index("execute_input"), kinds.index("execute_result"))
        results = second.outputs("execute_result")
        self.assertEqual(results[0]["content"]["execution_count"], n2)

        # Silent cells publish nothing but status and leave the count alone.
        silent = self.run_cell('fmt.Println("shh"); 3', silent=True)
        self.assertOk(silent)
        self.assertEqual(silent.outputs(), [], silent.describe())
        self.assertNotIn("execute_input", [m["msg_type"] for m in silent.iopub])
        third = self.run_cell("4")
        self.assertEqual(third.reply["content"]["execution_count"], n2 + 1)

        # store_history=False runs the cell but does not count it.
        unstored = self.run_cell("5", store_history=False)
        self.assertOk(unstored)
        self.assertEqual(unstored.result(), "5")
        fourth = self.run_cell("6")
        self.assertEqual(fourth.reply["content"]["execution_count"], n2 + 2)


class ExecuteTests(KernelCase):

    def test_state_across_cells(self):
        self.assertOk(self.run_cell("x := 41"))
        self.assertResult("x+1", "42")

    def test_declarations_across_cells(self):
        self.assertOk(self.run_cell("func double(n int) int { return 2 * n }"))
        self.assertOk(self.run_cell("type point struct{ X, Y int }"))
        self.assertResult("double(point{X: 4}.X)", "8")

    def test_edit_and_rerun_reaches_earlier_funcs(self):
        self.assertOk(self.run_cell("func base() int { return 1 }"))
        self.assertOk(self.run_cell("func total() int { return base() * 100 }"))
        self.assertOk(self.run_cell("func base() int { return 2 }"))  # the edited cell
        self.assertResult("total()", "200")

    def test_struct_edited_and_rerun(self):
        self.assertOk(self.run_cell("type Ball struct{ Color string }"))
        self.assertOk(self.run_cell("kept := 3"))
        self.assertOk(self.run_cell("type Ball struct{ Color string; Size int }"))
        self.assertResult("Ball{\"red\", 2}.Size + kept", "5")

    def test_failed_cell_leaves_session(self):
        self.assertOk(self.run_cell("func answer() int { return 42 }"))
        run = self.run_cell("half := 1\nfunc answer() int { return 0 }\nhalf + \"s\"")
        self.assertError(run)
        self.assertIn("line 3", run.reply["content"]["evalue"])
        self.assertResult("answer()", "42")
        self.assertError(self.run_cell("half"))

    def test_range_over_int(self):
        self.assertResult("n := 4\nsum := 0\nfor i := range n {\n\tsum += i\n}\nsum", "6")

    def test_auto_import(self):
        self.assertResult('strings.ToUpper("a")', '"A"')

    def test_stdout_and_result(self):
        run = self.run_cell('fmt.Println("out"); fmt.Fprintln(os.Stderr, "err"); 7')
        self.assertOk(run)
        self.assertEqual(run.stdout(), "out\n")
        self.assertEqual(run.stderr(), "err\n")
        self.assertEqual(run.result(), "7")

    def test_no_result_for_statement(self):
        run = self.run_cell("y := 3")
        self.assertOk(run)
        self.assertEqual(run.outputs("execute_result"), [], run.describe())

    def test_panic_is_one_error(self):
        run = self.run_cell('panic("boom")')
        self.assertError(run)
        c = run.reply["content"]
        self.assertTrue(c["ename"])
        self.assertIn("boom", c["evalue"])
        self.assertIsInstance(c["traceback"], list)
        err = run.errors()[0]["content"]
        self.assertEqual(err["ename"], c["ename"])
        self.assertEqual(err["evalue"], c["evalue"])
        self.assertTrue(all(isinstance(t, str) for t in err["traceback"]))
        self.assertEqual(len(run.outputs()), 1, run.describe())

    def test_compile_error(self):
        run = self.run_cell("undefinedName + 1")
        self.assertError(run)
        self.assertIn("undefinedName", error_text(run))

    def test_stop_on_error_aborts_queued(self):
        first = self.kc.execute('time.Sleep(300 * time.Millisecond); panic("first")')
        second = self.kc.execute("abortedVar := 1; abortedVar")
        run1 = collect(self.kc, first)
        run2 = collect(self.kc, second)
        self.assertError(run1)
        self.assertEqual(run2.status, "aborted", run2.describe())
        self.assertEqual(run2.outputs(), [], run2.describe())
        # It never ran, and the kernel takes new requests again.
        self.assertEqual(self.run_cell("abortedVar").status, "error")
        self.assertResult("1+1", "2")

    def test_no_stop_on_error(self):
        first = self.kc.execute('time.Sleep(300 * time.Millisecond); panic("first")',
                                stop_on_error=False)
        second = self.kc.execute("2+3")
        run1 = collect(self.kc, first)
        run2 = collect(self.kc, second)
        self.assertError(run1)
        self.assertOk(run2)
        self.assertEqual(run2.result(), "5")

    def test_stdin(self):
        run = self.run_cell("var s string; fmt.Scanln(&s); s",
                            stdin_answers=["hello"])
        self.assertOk(run)
        self.assertEqual(len(run.stdin), 1, run.describe())
        req = run.stdin[0]
        self.assertEqual(req["msg_type"], "input_request")
        self.assertFalse(req["content"]["password"])
        self.assertIsInstance(req["content"]["prompt"], str)
        self.assertEqual(run.result(), '"hello"')

    def test_stdin_not_allowed(self):
        run = self.run_cell("var t string; fmt.Scanln(&t); t",
                            allow_stdin=False, stdin_answers=[], timeout=10)
        self.assertError(run)
        self.assertEqual(run.stdin, [])
        self.assertRegex(error_text(run), re.compile("stdin|input", re.I))

    def test_own_type_shows_its_html(self):
        self.assertOk(self.run_cell(
            "type Badge struct{ Text string }\n"
            "func (b Badge) HTML() string { return \"<mark>\" + b.Text + \"</mark>\" }\n"
            "func (b Badge) String() string { return \"[\" + b.Text + \"]\" }"))
        run = self.run_cell('Badge{"new"}')
        self.assertOk(run)
        self.assertEqual(run.result("text/html"), "<mark>new</mark>", run.describe())
        self.assertEqual(run.result(), "{Text:new}")
        self.assertResult('fmt.Sprint(Badge{"s"})', '"[s]"')

    def test_display_data(self):
        run = self.run_cell('display.HTML("<b>hi</b>")')
        self.assertOk(run)
        shown = run.outputs("display_data")
        self.assertEqual(len(shown), 1, run.describe())
        self.assertEqual(shown[0]["content"]["data"]["text/html"], "<b>hi</b>")
        self.assertIn("text/plain", shown[0]["content"]["data"])
        self.assertIsInstance(shown[0]["content"]["metadata"], dict)

    def test_update_display(self):
        run = self.run_cell('d := display.New(); d.Markdown("one")')
        self.assertOk(run)
        shown = run.outputs("display_data")
        self.assertEqual(len(shown), 1, run.describe())
        display_id = shown[0]["content"]["transient"]["display_id"]
        self.assertTrue(display_id)
        self.assertEqual(shown[0]["content"]["data"]["text/markdown"], "one")

        run = self.run_cell('d.Markdown("two")')
        self.assertOk(run)
        updates = run.outputs("update_display_data")
        self.assertEqual(len(updates), 1, run.describe())
        self.assertEqual(run.outputs("display_data"), [])
        self.assertEqual(updates[0]["content"]["transient"]["display_id"], display_id)
        self.assertEqual(updates[0]["content"]["data"]["text/markdown"], "two")

    def test_clear_output(self):
        run = self.run_cell('fmt.Println("a"); display.Clear()')
        self.assertOk(run)
        self.assertEqual(len(run.outputs("clear_output")), 1, run.describe())
        kinds = [m["msg_type"] for m in run.outputs()]
        self.assertEqual(kinds, ["stream", "clear_output"])

    def test_help_page(self):
        run = self.run_cell("%help")
        self.assertOk(run)
        payload = run.reply["content"]["payload"]
        self.assertEqual(len(payload), 1)
        self.assertEqual(payload[0]["source"], "page")
        self.assertTrue(payload[0]["data"]["text/plain"].strip())

    def test_history(self):
        marker = "histMarker" + uuid.uuid4().hex[:8]
        codes = [f"{marker}A := 1", f"{marker}B := 2", f"{marker}A + {marker}B"]
        for code in codes:
            self.assertOk(self.run_cell(code))
        reply, _ = self.request("history", hist_access_type="tail", n=3,
                                output=False, raw=True)
        hist = reply["content"]["history"]
        self.assertEqual([h[2] for h in hist], codes)
        self.assertEqual([h[1] for h in hist],
                         list(range(hist[0][1], hist[0][1] + 3)))

        reply, _ = self.request("history", hist_access_type="tail", n=1,
                                output=True, raw=True)
        (session, line, (source, output)), = reply["content"]["history"]
        self.assertEqual(source, codes[2])
        self.assertIn("3", output)

        reply, _ = self.request("history", hist_access_type="search",
                                pattern=f"{marker}?*", output=False, raw=True)
        self.assertEqual([h[2] for h in reply["content"]["history"]], codes)

        reply, _ = self.request("history", hist_access_type="range",
                                session=session, start=line, stop=line + 1,
                                output=False, raw=True)
        self.assertEqual([h[2] for h in reply["content"]["history"]], [codes[2]])

    def test_is_complete(self):
        cases = {
            "fmt.Println(1)": "complete",
            "x := 1": "complete",
            'func f() {\n\treturn\n}': "complete",
            "func f() {": "incomplete",
            "x := []int{": "incomplete",
            "for i := 0; i < 3; i++ {": "incomplete",
            "x := )": "invalid",
        }
        for code, want in cases.items():
            with self.subTest(code=code):
                reply, _ = self.request("is_complete", code)
                self.assertEqual(reply["content"]["status"], want)
                if want == "incomplete":
                    self.assertIsInstance(reply["content"]["indent"], str)

    def test_complete_package_member(self):
        code = "strings.ToUpp"
        reply, _ = self.request("complete", code, len(code))
        c = reply["content"]
        self.assertEqual(c["status"], "ok")
        self.assertIn("ToUpper", c["matches"])
        self.assertEqual(c["cursor_start"], len("strings."))
        self.assertEqual(c["cursor_end"], len(code))
        self.assertIsInstance(c["metadata"], dict)

    def test_complete_session_name(self):
        self.assertOk(self.run_cell("myVariable := 1"))
        code = "fmt.Println(myVar"
        reply, _ = self.request("complete", code, len(code))
        self.assertIn("myVariable", reply["content"]["matches"])
        self.assertEqual(reply["content"]["cursor_start"], len("fmt.Println("))

    def test_inspect(self):
        code = "strings.ToUpper"
        reply, _ = self.request("inspect", code, len(code), 0)
        c = reply["content"]
        self.assertEqual(c["status"], "ok")
        self.assertTrue(c["found"])
        text = c["data"]["text/plain"]
        self.assertIn("ToUpper", text)
        self.assertIn("func", text)

    def test_inspect_nothing(self):
        reply, _ = self.request("inspect", "   ", 1, 0)
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertFalse(reply["content"]["found"])


class InterruptTests(KernelCase):
    kernel_per_test = True  # a failed interrupt leaves a cell running

    def interrupt_cell(self, name, body, interrupt):
        """Run body after defining name, interrupt it, check the session."""
        self.assertOk(self.run_cell(f"{name} := 7"))
        msg_id = self.kc.execute(f'fmt.Println("started"); {body}')
        before = self.wait_iopub(
            msg_id, lambda m: m["msg_type"] == "stream"
            and "started" in m["content"]["text"])
        interrupted = time.monotonic()
        interrupt()
        run = collect(self.kc, msg_id, timeout=INTERRUPT_DEADLINE)
        took = time.monotonic() - interrupted
        run.iopub = before + run.iopub
        self.assertEqual(run.status, "error", run.describe())
        self.assertEqual(len(run.errors()), 1, run.describe())
        self.assertLess(took, INTERRUPT_DEADLINE)
        self.assertResult(name, "7")
        self.assertResult("1+1", "2")

    def interrupt_request(self):
        msg_id = kernelenv.send_control(self.kc, "interrupt_request")
        reply = kernelenv.control_reply(self.kc, msg_id, timeout=INTERRUPT_DEADLINE)
        self.assertEqual(reply["msg_type"], "interrupt_reply")
        self.assertEqual(reply["content"]["status"], "ok")

    def test_interrupt_busy_loop(self):
        self.interrupt_cell("keptLoop", "for {}", self.interrupt_request)

    def test_interrupt_sleep(self):
        self.interrupt_cell("keptSleep", "time.Sleep(time.Hour)",
                            self.interrupt_request)

    def test_interrupt_via_manager(self):
        # What Jupyter servers do: honours the kernelspec's interrupt_mode.
        self.interrupt_cell("keptManager", "for {}", self.km.interrupt_kernel)

    def test_interrupt_goroutines(self):
        self.interrupt_cell(
            "keptGoroutines",
            "for i := 0; i < 4; i++ { go func() { for {} }() }; select {}",
            self.interrupt_request)

    def test_interrupt_mutex_wait(self):
        # A sleeping goroutine keeps this from being a deadlock.
        self.interrupt_cell(
            "keptMutex",
            "var mu sync.Mutex; mu.Lock(); "
            "go func() { for { time.Sleep(time.Millisecond) } }(); mu.Lock()",
            self.interrupt_request)

    def test_interrupt_spares_earlier_cells_goroutines(self):
        # A ticker an earlier cell left running on purpose goes on (and
        # keeps its sleeps whole); the interrupted cell's own goroutines,
        # the one that sleeps among them, stop.
        self.assertOk(self.run_cell(
            "var kept, mine, napped int64\n"
            "go func() { for { atomic.AddInt64(&kept, 1); time.Sleep(time.Millisecond) } }()"))
        self.assertOk(self.run_cell(
            "go func() { time.Sleep(400 * time.Millisecond); atomic.StoreInt64(&napped, 1) }()"))
        self.interrupt_cell(
            "keptEarlier",
            "go func() { for { atomic.AddInt64(&mine, 1); time.Sleep(time.Millisecond) } }()\n"
            "go func() { for { atomic.AddInt64(&mine, 1) } }()\n"
            "for {}",
            self.interrupt_request)
        self.assertResult(
            "k, m := atomic.LoadInt64(&kept), atomic.LoadInt64(&mine)\n"
            "time.Sleep(600 * time.Millisecond)\n"
            "fmt.Sprint(atomic.LoadInt64(&kept) > k, atomic.LoadInt64(&mine) == m, atomic.LoadInt64(&napped))",
            '"true true 1"')

    def test_interrupt_when_idle(self):
        self.interrupt_request()
        self.assertResult("1+2", "3")


class OutputFloodTests(KernelCase):
    kernel_per_test = True

    def test_300000_lines_complete_capped(self):
        run = self.run_cell('for i := 0; i < 300000; i++ {\n\tfmt.Println("line", i)\n}\n"done"',
                            timeout=120)
        self.assertOk(run)
        self.assertEqual(run.result(), '"done"')
        out = run.stdout()
        self.assertTrue(out.startswith("line 0\n"), out[:50])
        self.assertLessEqual(len(out), 1 << 20, "stdout is not capped")
        self.assertIn("output truncated", run.stderr()[-500:] + out[-500:],
                      "no note says the output was cut")
        self.assertResult("1+1", "2")


class DeadlockTests(KernelCase):
    kernel_per_test = True

    def test_deadlock_reported(self):
        self.assertOk(self.run_cell("keptDeadlock := 5"))
        started = time.monotonic()
        run = self.run_cell(
            "ch := make(chan int)\n"
            "go func() { ch <- 1 }()\n"
            "<-ch\n"
            "<-ch")
        took = time.monotonic() - started
        self.assertError(run)
        c = run.reply["content"]
        self.assertEqual(c["ename"], "Deadlock", run.describe())
        self.assertIn("deadlock", c["evalue"])
        self.assertIn("the cell is blocked (chan receive)", c["evalue"])
        self.assertLess(took, 3.0)
        self.assertResult("keptDeadlock", "5")

    def test_blocked_goroutines_noted(self):
        run = self.run_cell("ch := make(chan int)\ngo func() { ch <- 1 }()")
        self.assertOk(run)
        self.assertIn(
            "1 goroutine started at line 2 is still blocked (chan send)",
            run.stderr(), run.describe())

    def test_timer_is_not_deadlock(self):
        self.assertOk(self.run_cell("<-time.After(800 * time.Millisecond)"))


class TraceTests(KernelCase):
    SPIN = ("func spin(n int) int { s := 0; for i := 0; i < n; i++ { s += i }; return s }\n"
            "var wg sync.WaitGroup\n"
            "for i := 0; i < 2; i++ {\n"
            "\twg.Add(1)\n"
            "\tgo func() { defer wg.Done(); spin(3000000) }()\n"
            "}\n"
            "wg.Wait()")

    def timeline(self, run):
        shown = run.outputs("display_data")
        self.assertEqual(len(shown), 1, run.describe())
        return shown[0]["content"]["data"]

    def test_trace_two_procs_runs_in_parallel(self):
        run = self.run_cell("%%trace --procs 2\n" + self.SPIN)
        self.assertOk(run)
        data = self.timeline(run)
        self.assertIn("<svg", data["text/html"])
        self.assertIn("<title>", data["text/html"])
        self.assertIn("line 6:", data["text/html"])  # the go statement, counting the magic
        self.assertIn("at most 2 running at once", data["text/plain"])
        self.assertIn("GOMAXPROCS 2", data["text/plain"])
        # Holding two Ps is not running in parallel: the summary says so only
        # when the process's CPU time agrees (the machine may be busy).
        m = re.search(r"([0-9.]+) CPUs busy on average", data["text/plain"])
        self.assertIsNotNone(m, data["text/plain"])
        if "ran in parallel." in data["text/plain"]:
            self.assertGreater(float(m.group(1)), 1.2, data["text/plain"])

    def test_trace_one_proc_takes_turns(self):
        before = self.run_cell("runtime.GOMAXPROCS(0)").result()
        run = self.run_cell("%%trace --procs 1\n" + self.SPIN)
        self.assertOk(run)
        self.assertIn("at most 1 running at once", self.timeline(run)["text/plain"])
        # GOMAXPROCS comes back afterwards.
        self.assertResult("runtime.GOMAXPROCS(0)", before)

    def test_trace_out_file(self):
        path = os.path.join(tempfile.mkdtemp(), "cell.trace")
        run = self.run_cell(f"%%trace --out {path}\nfmt.Println(1)")
        self.assertOk(run)
        with open(path, "rb") as f:
            self.assertTrue(f.read(16).startswith(b"go 1."))

    def test_cell_holding_the_tracer(self):
        # The process has one execution tracer; a cell may take it.
        self.assertOk(self.run_cell("import \"runtime/trace\"\nmine := trace.Start(io.Discard)\nmine == nil"))
        run = self.run_cell("%%trace\n1 + 1")
        self.assertOk(run)
        self.assertIn("runs untraced", run.stderr())
        self.assertEqual(run.result(), "2")
        self.assertOk(self.run_cell("trace.Stop()"))
        self.assertEqual(len(self.timeline(self.run_cell("%%trace\n2 + 2"))), 2)

    def test_bad_trace_flag(self):
        run = self.run_cell("%%trace --procs\n1")
        self.assertError(run)
        self.assertEqual(run.reply["content"]["ename"], "UsageError")


class CrashTests(KernelCase):
    kernel_per_test = True

    def test_fatal_error_recovers(self):
        pid = self.km.provisioner.process.pid
        run = self.run_cell(
            "var m = map[int]int{}; "
            "for i := 0; i < 8; i++ { go func() { for { m[1] = 1 } }() }; "
            "select {}")
        self.assertError(run)
        self.assertTrue(self.km.is_alive())
        self.assertEqual(self.km.provisioner.process.pid, pid)
        self.assertResult("1+1", "2")

    def test_stack_overflow_recovers(self):
        self.assertOk(self.run_cell("keptOverflow := 9"))
        run = self.run_cell("func down(n int) int { return down(n+1) + 1 }\ndown(0)")
        self.assertError(run)
        self.assertIn("stack overflow", run.reply["content"]["evalue"])
        self.assertIn("restored", run.reply["content"]["evalue"])
        self.assertResult("keptOverflow", "9")

    def test_out_of_memory_recovers(self):
        self.assertOk(self.run_cell("keptMemory := 4"))
        run = self.run_cell("huge := make([]byte, 1<<44)\nhuge[0] = 1")
        self.assertError(run)
        evalue = run.reply["content"]["evalue"]
        self.assertIn("out of memory", evalue, run.describe())
        self.assertIn("restored", evalue)
        self.assertResult("keptMemory", "4")

    def test_goroutine_panic_does_not_kill_worker(self):
        self.assertOk(self.run_cell("keptPanic := 3"))
        run = self.run_cell(
            "done := make(chan bool)\n"
            "go func() {\n"
            "\tdefer close(done)\n"
            "\tpanic(\"in goroutine\")\n"
            "}()\n"
            "<-done\n"
            "time.Sleep(100 * time.Millisecond)")
        self.assertOk(run)
        self.assertIn("panic in goroutine started at line 2: in goroutine",
                      run.stderr(), run.describe())
        self.assertResult("keptPanic", "3")

    def test_os_exit_does_not_kill_kernel(self):
        run = self.run_cell("os.Exit(3)")
        self.assertEqual(run.status, "error", run.describe())
        self.assertTrue(self.km.is_alive())
        self.assertResult("2+2", "4")


class MemoryLimitTests(KernelCase):
    """A cell that allocates without end meets the worker's memory limit,
    set low here (JUGGLER_MEMORY_LIMIT), and the session survives."""

    kernel_per_test = True  # each with the limit, started here

    def setUp(self):
        self.km, self.kc = kernelenv.start(env={"JUGGLER_MEMORY_LIMIT": "512MiB"})
        self.addCleanup(kernelenv.stop, self.km, self.kc)

    def test_runaway_allocation_stops_at_the_limit(self):
        self.assertOk(self.run_cell("keptLimit := 6"))
        started = time.monotonic()
        run = self.run_cell(
            "var keep [][]byte\n"
            "for {\n"
            "\tkeep = append(keep, make([]byte, 16<<20))\n"
            "}")
        self.assertError(run)
        evalue = run.reply["content"]["evalue"]
        self.assertIn("out of memory", evalue, run.describe())
        self.assertIn("restored", evalue)
        self.assertLess(time.monotonic() - started, 20)
        self.assertResult("keptLimit", "6")


class RawSocket:
    """A DEALER on one of the kernel's ROUTER sockets, signing by hand."""

    def __init__(self, km, port_name):
        info = km.get_connection_info()
        self.key = info["key"]
        if isinstance(self.key, str):
            self.key = self.key.encode()
        self.digest = getattr(hashlib, info["signature_scheme"].split("-", 1)[1])
        self.ctx = zmq.Context()
        self.sock = self.ctx.socket(zmq.DEALER)
        self.sock.setsockopt(zmq.LINGER, 0)
        self.sock.connect(f"{info['transport']}://{info['ip']}:{info[port_name]}")

    def close(self):
        self.sock.close()
        self.ctx.term()

    def sign(self, frames):
        if not self.key:
            return b""
        h = hmac.new(self.key, digestmod=self.digest)
        for f in frames:
            h.update(f)
        return h.hexdigest().encode()

    @staticmethod
    def header(msg_type):
        return {"msg_id": uuid.uuid4().hex, "session": "raw", "username": "t",
                "date": "2024-01-01T00:00:00.000000Z", "msg_type": msg_type,
                "version": "5.4"}

    def send_frames(self, frames, signature=None):
        sig = self.sign(frames) if signature is None else signature
        self.sock.send_multipart([b"<IDS|MSG>", sig] + frames)

    def send(self, msg_type, content=None, signature=None):
        header = self.header(msg_type)
        frames = [json.dumps(x).encode() for x in (header, {}, {}, content or {})]
        self.send_frames(frames, signature)
        return header["msg_id"]

    def recv_reply(self, msg_id, timeout):
        d = Deadline(timeout)
        while not d.expired():
            if not self.sock.poll(int(d.remaining() * 1000) + 1):
                break
            frames = self.sock.recv_multipart()
            i = frames.index(b"<IDS|MSG>")
            sig, header, parent, metadata, content = frames[i + 1:i + 6]
            assert sig == self.sign([header, parent, metadata, content]), "bad signature from kernel"
            if json.loads(parent).get("msg_id") == msg_id:
                return json.loads(header), json.loads(content)
        return None


class BadInputTests(KernelCase):

    def setUp(self):
        super().setUp()
        self.raw = RawSocket(self.km, "shell_port")
        self.addCleanup(self.raw.close)

    def still_answers(self):
        # The raw socket itself still gets replies...
        msg_id = self.raw.send("kernel_info_request")
        got = self.raw.recv_reply(msg_id, TIMEOUT)
        self.assertIsNotNone(got, "no kernel_info_reply on the raw socket")
        self.assertEqual(got[0]["msg_type"], "kernel_info_reply")
        # ... and so does the regular client, which can still run code.
        reply, _ = self.request("kernel_info")
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertResult("10+1", "11")

    def test_wrong_signature(self):
        msg_id = self.raw.send("execute_request",
                               {"code": 'fmt.Println("forged")', "silent": False},
                               signature=b"0" * 64)
        self.assertIsNone(self.raw.recv_reply(msg_id, 1.0),
                          "kernel answered a message with a wrong signature")
        self.still_answers()

    def test_malformed_json(self):
        frames = [b"{not json", b"{}", b"{}", b"{}"]
        self.raw.send_frames(frames)
        self.still_answers()

    def test_header_not_an_object(self):
        self.raw.send_frames([b"[1, 2]", b"{}", b"{}", b"null"])
        self.raw.send_frames([b'"string"', b"{}", b"{}", b"{}"])
        self.still_answers()

    def test_too_few_frames(self):
        self.raw.sock.send_multipart([b"<IDS|MSG>", b"sig", b"{}"])
        self.raw.sock.send_multipart([b"no delimiter at all"])
        self.still_answers()

    def test_unknown_msg_type(self):
        self.raw.send("no_such_request", {"x": 1})
        self.still_answers()

    def test_bad_content(self):
        # A valid execute_request header with content of the wrong shape.
        self.raw.send("execute_request", {"code": 42})
        self.raw.send("complete_request", {"code": "fmt.", "cursor_pos": "end"})
        self.still_answers()

    def test_bad_control_message(self):
        control = RawSocket(self.km, "control_port")
        self.addCleanup(control.close)
        control.send_frames([b"{not json", b"{}", b"{}", b"{}"])
        control.send("interrupt_request", signature=b"f" * 64)
        msg_id = control.send("kernel_info_request")
        got = control.recv_reply(msg_id, TIMEOUT)
        self.assertIsNotNone(got, "no kernel_info_reply on control")
        self.still_answers()

    def test_heartbeat(self):
        info = self.km.get_connection_info()
        ctx = zmq.Context()
        sock = ctx.socket(zmq.REQ)
        sock.setsockopt(zmq.LINGER, 0)
        try:
            sock.connect(f"{info['transport']}://{info['ip']}:{info['hb_port']}")
            for payload in (b"ping", b"\x00binary\xff" * 100):
                sock.send(payload)
                self.assertTrue(sock.poll(int(TIMEOUT * 1000)), "no heartbeat echo")
                self.assertEqual(sock.recv(), payload)
        finally:
            sock.close()
            ctx.term()


PARENT_SCRIPT = """
import os, subprocess, sys, time
env = dict(os.environ, JPY_PARENT_PID=str(os.getpid()))
kernel = subprocess.Popen(sys.argv[1:], env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL)
print(kernel.pid, flush=True)
time.sleep(600)
"""


class ParentDeathTests(unittest.TestCase):

    def test_exits_when_parent_dies(self):
        # A stand-in parent launches the kernel as its kernelspec says, with
        # itself as JPY_PARENT_PID, and is then killed.
        import os
        import signal
        import subprocess
        import sys
        from jupyter_client.connect import write_connection_file
        from jupyter_client.kernelspec import KernelSpecManager

        spec = KernelSpecManager().get_kernel_spec(kernelenv.KERNEL_NAME)
        cf, _ = write_connection_file(
            os.path.join(os.environ["JUPYTER_RUNTIME_DIR"],
                         f"kernel-parent-{uuid.uuid4().hex}.json"))
        self.addCleanup(os.unlink, cf)
        argv = [a.replace("{connection_file}", cf) for a in spec.argv]
        parent = subprocess.Popen([sys.executable, "-c", PARENT_SCRIPT] + argv,
                                  stdout=subprocess.PIPE, text=True)
        self.addCleanup(parent.stdout.close)
        self.addCleanup(parent.kill)
        kernel_pid = int(parent.stdout.readline())
        self.addCleanup(lambda: kernelenv.alive(kernel_pid)
                        and os.kill(kernel_pid, signal.SIGKILL))
        # Up and serving first, so the test is about the parent's death.
        from jupyter_client import BlockingKernelClient
        kc = BlockingKernelClient(connection_file=cf)
        kc.load_connection_file()
        kc.start_channels()
        self.addCleanup(kc.stop_channels)
        kc.wait_for_ready(timeout=TIMEOUT)
        pids = kernelenv.process_tree(kernel_pid)

        parent.kill()
        parent.wait()
        d = Deadline(EXIT_DEADLINE)
        while any(kernelenv.alive(p) for p in pids) and not d.expired():
            time.sleep(0.02)
        self.assertFalse([p for p in pids if kernelenv.alive(p)],
                         "kernel still running after its parent died")


class LifecycleTests(unittest.TestCase):
    """Each test starts its own kernel and ends it."""

    def setUp(self):
        self.km, self.kc = kernelenv.start()
        self.addCleanup(self.cleanup)

    def cleanup(self):
        self.kc.stop_channels()
        self.kc.context.destroy(linger=0)
        if self.km.is_alive():
            self.km.shutdown_kernel(now=True)
        else:
            self.km.cleanup_resources()

    def tree(self):
        return kernelenv.process_tree(self.km.provisioner.process.pid)

    def wait_gone(self, pids, timeout=EXIT_DEADLINE):
        d = Deadline(timeout)
        while not d.expired():
            if not any(kernelenv.alive(p) for p in pids):
                return
            self.km.is_alive()  # reaps the kernel once it exits
            time.sleep(0.02)
        self.fail(f"processes still running: {[p for p in pids if kernelenv.alive(p)]}")

    def test_shutdown_request(self):
        self.assertOk(execute(self.kc, "1"))  # the worker is up
        pids = self.tree()
        msg_id = kernelenv.send_control(self.kc, "shutdown_request", {"restart": False})
        reply = kernelenv.control_reply(self.kc, msg_id)
        self.assertEqual(reply["msg_type"], "shutdown_reply")
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertFalse(reply["content"]["restart"])
        self.wait_gone(pids)

    def test_shutdown_request_restart(self):
        msg_id = kernelenv.send_control(self.kc, "shutdown_request", {"restart": True})
        reply = kernelenv.control_reply(self.kc, msg_id)
        self.assertEqual(reply["msg_type"], "shutdown_reply")
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertTrue(reply["content"]["restart"])

    def test_restart_kernel(self):
        # A front end's "Restart": shutdown_request(restart=True), wait for the
        # kernel to exit (jupyter_client kills it after shutdown_wait_time,
        # 5 s), start it again on the same ports.
        self.assertOk(execute(self.kc, "beforeRestart := 1"))
        start = time.monotonic()
        self.km.restart_kernel(now=False)
        took = time.monotonic() - start
        self.kc.wait_for_ready(timeout=TIMEOUT)
        self.assertLess(took, 2.0, "kernel did not exit promptly on shutdown_request")
        self.assertEqual(execute(self.kc, "beforeRestart").status, "error")
        run = execute(self.kc, "1+1")
        self.assertOk(run)
        self.assertEqual(run.result(), "2")

    def test_worker_follows_killed_kernel(self):
        self.assertOk(execute(self.kc, "1"))
        pids = self.tree()
        self.assertGreaterEqual(len(pids), 2, "expected kernel and worker processes")
        self.km.provisioner.process.kill()
        self.wait_gone(pids)

    def assertOk(self, run):
        self.assertEqual(run.status, "ok", run.describe())


if __name__ == "__main__":
    unittest.main()
