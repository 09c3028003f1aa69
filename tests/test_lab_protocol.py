"""Protocol details JupyterLab 4 and Notebook 7 rely on, where a kernel can
differ from ipykernel and still pass jupyter_kernel_test:

A. every message carries the kernel's own session id (one per kernel
   process), never the requester's: JupyterLab drops messages whose session
   differs from the first it saw, so a notebook and a console on one kernel
   would lose each other's messages;
B. a request's busy status, execute_input and outputs come before its
   reply, and idle after it;
C. cells queued behind a failed one reply status "aborted", without an
   execution count (JupyterLab copies it into the prompt);
D. a comm_open to an unknown target is answered with comm_close;
E. execute_reply metadata has "started"; complete_reply metadata has
   _jupyter_types_experimental; parent_header is the request's header as
   sent (subshell_id and all).

Clients are jupyter_client 8's, some made by hand on plain pyzmq sockets so
that one thread sees shell and iopub in the order they arrive.
"""

import datetime
import sys
import unittest
from queue import Empty

import zmq
from jupyter_client import BlockingKernelClient

import kernelenv
from kernelenv import Deadline, TIMEOUT, collect, execute


def setUpModule():
    kernelenv.setup()


def wait_iopub_live(kc):
    """Sends kernel_info until kc's iopub delivers its idle status."""
    d = Deadline(TIMEOUT)
    while True:
        msg_id = kc.kernel_info()
        kernelenv.shell_reply(kc, msg_id)
        try:
            kernelenv.iopub_until_idle(kc, msg_id, timeout=0.5)
            return
        except TimeoutError:
            if d.expired():
                raise


def drain_idle(kc, msg_id, timeout=TIMEOUT):
    return kernelenv.iopub_until_idle(kc, msg_id, timeout=timeout)


class SessionTests(unittest.TestCase):
    """A: two clients (as a notebook and a console are), one kernel."""

    def setUp(self):
        self.km, self.kc1 = kernelenv.start()
        self.addCleanup(kernelenv.stop, self.km, self.kc1)
        # A client of its own session, as each JupyterLab connection is.
        self.kc2 = BlockingKernelClient()
        self.kc2.load_connection_info(
            self.km.get_connection_info(session=False))
        self.kc2.start_channels()
        self.addCleanup(self.kc2.stop_channels)
        self.kc2.wait_for_ready(timeout=TIMEOUT)
        # wait_for_ready does not wait for the iopub subscription: a SUB
        # misses what is published before it is live.
        for kc in (self.kc1, self.kc2):
            wait_iopub_live(kc)
        self.assertNotEqual(self.kc1.session.session, self.kc2.session.session)

    def kernel_session(self):
        msg_id = self.kc1.kernel_info()
        return kernelenv.shell_reply(self.kc1, msg_id)["header"]["session"]

    def test_one_session_of_its_own(self):
        ks = self.kernel_session()
        self.assertNotIn(ks, (self.kc1.session.session,
                              self.kc2.session.session))
        # Both clients run cells; each sees all iopub messages, and every
        # message, reply or output, whoever asked, has the kernel's session.
        id1 = self.kc1.execute('fmt.Println("from one")')
        id2 = self.kc2.execute('fmt.Println("from two")')
        r1 = kernelenv.shell_reply(self.kc1, id1)
        r2 = kernelenv.shell_reply(self.kc2, id2)
        seen = [r1, r2]
        # Each client sees both cells' messages, in whichever order the
        # kernel took the two requests.
        for kc in (self.kc1, self.kc2):
            got = {id1: [], id2: []}
            idle = set()
            d = Deadline(TIMEOUT)
            while idle != {id1, id2}:
                try:
                    m = kc.get_iopub_msg(timeout=max(d.remaining(), 0.01))
                except Empty:
                    self.fail(f"no idle for both cells: {got}")
                parent = m["parent_header"].get("msg_id")
                if parent not in got:
                    continue
                got[parent].append(m)
                if (m["msg_type"] == "status" and
                        m["content"]["execution_state"] == "idle"):
                    idle.add(parent)
            for msgs in got.values():
                types = [m["msg_type"] for m in msgs]
                self.assertIn("stream", types, types)
                seen += msgs
        for m in seen:
            self.assertEqual(m["header"]["session"], ks,
                             f"{m['msg_type']} has the requester's session")

    def test_new_session_per_kernel_process(self):
        before = self.kernel_session()
        self.km.restart_kernel(now=False)
        self.kc1.wait_for_ready(timeout=TIMEOUT)
        after = self.kernel_session()
        self.assertNotEqual(before, after)


class OrderTests(unittest.TestCase):
    """B: one thread reads shell and iopub as the messages arrive; when both
    have something, iopub is read first, as it is meant to come first."""

    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = kernelenv.start()
        cls.session = cls.kc.session
        cls.shell = cls.km.connect_shell()
        cls.iopub = cls.km.connect_iopub()
        # The SUB socket is live once it sees an iopub message.
        d = Deadline(TIMEOUT)
        while True:
            cls.session.send(cls.shell, "kernel_info_request", {})
            if cls.iopub.poll(200):
                break
            if d.expired():
                raise RuntimeError("iopub never delivered")
        while cls.iopub.poll(100):
            cls.iopub.recv_multipart()
        while cls.shell.poll(100):
            cls.shell.recv_multipart()

    @classmethod
    def tearDownClass(cls):
        cls.shell.close(linger=0)
        cls.iopub.close(linger=0)
        kernelenv.stop(cls.km, cls.kc)

    def recv(self, sock):
        _, msg = self.session.feed_identities(sock.recv_multipart())
        return self.session.deserialize(msg)

    def events(self, msg_id):
        """("iopub"|"shell", msg) for msg_id, in arrival order, to idle
        and the reply.

        Whenever both sockets have something, iopub is read first: what
        was published before the reply is then read before it. Idle, sent
        after the reply, must find the reply already there.
        """
        poller = zmq.Poller()
        poller.register(self.shell, zmq.POLLIN)
        poller.register(self.iopub, zmq.POLLIN)
        out = []
        replied = False
        d = Deadline(TIMEOUT)
        while not d.expired():
            ready = dict(poller.poll(int(d.remaining() * 1000) + 1))
            if self.iopub in ready:
                m = self.recv(self.iopub)
                if m["parent_header"].get("msg_id") != msg_id:
                    continue
                if (m["msg_type"] == "status" and not replied and
                        m["content"]["execution_state"] == "idle" and
                        self.shell.poll(0)):
                    r = self.recv(self.shell)
                    if r["parent_header"].get("msg_id") == msg_id:
                        out.append(("shell", r))
                        replied = True
                out.append(("iopub", m))
                if (m["msg_type"] == "status" and
                        m["content"]["execution_state"] == "idle"):
                    while not replied and self.shell.poll(
                            int(d.remaining() * 1000) + 1):
                        r = self.recv(self.shell)
                        if r["parent_header"].get("msg_id") == msg_id:
                            out.append(("shell", r))  # after idle
                            replied = True
                    return out
                continue
            if self.shell in ready:
                m = self.recv(self.shell)
                if m["parent_header"].get("msg_id") == msg_id:
                    out.append(("shell", m))
                    replied = True
        self.fail(f"no idle for {msg_id}: {[m['msg_type'] for _, m in out]}")

    def kinds(self, events):
        return [m["content"]["execution_state"] if m["msg_type"] == "status"
                else m["msg_type"] for _, m in events]

    # Across two sockets nothing is ordered for sure: the client's
    # libzmq may hand over a reply before iopub messages that were on the
    # wire first. So the order is checked over many requests. Measured on
    # 200 cells: ipykernel 7.4 10% out of order, juggler before the fix
    # 70% (the reply often left before the outputs, even before busy),
    # juggler now about 1%.
    RUNS = 200
    MAX_OUT_OF_ORDER = 0.10

    def check_order(self, msg_type, content, want):
        bad = []
        for _ in range(self.RUNS):
            msg = self.session.send(self.shell, msg_type, content)
            got = self.kinds(self.events(msg["header"]["msg_id"]))
            self.assertEqual(sorted(got), sorted(want), got)
            if got != want:
                bad.append(got)
        print(f" [{msg_type}: {len(bad)}/{self.RUNS} out of order]",
              end="", file=sys.stderr)
        self.assertLessEqual(len(bad), self.MAX_OUT_OF_ORDER * self.RUNS,
                             f"{len(bad)} of {self.RUNS} out of order, "
                             f"e.g. {bad[:3]}")

    def test_outputs_then_reply_then_idle(self):
        code = ('fmt.Println("a")\n'
                'time.Sleep(time.Millisecond)\n'
                'display.HTML("<b>b</b>")\n'
                'time.Sleep(time.Millisecond)\n'
                'fmt.Fprintln(os.Stderr, "c")\n'
                '6*7')
        self.check_order("execute_request", {"code": code, "silent": False},
                         ["busy", "execute_input", "stream", "display_data",
                          "stream", "execute_result", "execute_reply",
                          "idle"])

    def test_other_requests_reply_between_busy_and_idle(self):
        for msg_type, content in (("kernel_info_request", {}),
                                  ("complete_request",
                                   {"code": "strings.To", "cursor_pos": 10}),
                                  ("is_complete_request", {"code": "x := 1"})):
            with self.subTest(msg_type):
                self.check_order(msg_type, content,
                                 ["busy", msg_type[:-8] + "_reply", "idle"])


class AbortTests(unittest.TestCase):
    """C: Run All with a failing cell in the middle."""

    def setUp(self):
        self.km, self.kc = kernelenv.start()
        self.addCleanup(kernelenv.stop, self.km, self.kc)

    def test_queued_cells_aborted(self):
        bad = self.kc.execute('abortFirst := 1\npanic("boom")')
        queued = [self.kc.execute(f"abortQueued{i} := {i}") for i in range(3)]
        r = kernelenv.shell_reply(self.kc, bad)["content"]
        self.assertEqual(r["status"], "error")
        failed_count = r["execution_count"]
        for q in queued:
            reply = kernelenv.shell_reply(self.kc, q)
            c = reply["content"]
            self.assertEqual(c["status"], "aborted", c)
            self.assertNotIn("execution_count", c,
                             "an aborted cell takes no count, least of all"
                             f" the failed cell's ({failed_count})")
            self.assertNotIn("ename", c)
            self.assertEqual(reply["metadata"].get("status"), "aborted")
            got = drain_idle(self.kc, q)
            self.assertNotIn("execute_input",
                             [m["msg_type"] for m in got], got)
        # Nothing queued ran, and the next cell runs and counts on.
        run = execute(self.kc, "abortQueued0")
        self.assertEqual(run.status, "error", run.describe())
        run = execute(self.kc, "1")
        self.assertEqual(run.reply["content"]["execution_count"],
                         failed_count + 2)


class CommTests(unittest.TestCase):
    """D: ipywidgets and other front-end extensions open comms."""

    def setUp(self):
        self.km, self.kc = kernelenv.start()
        self.addCleanup(kernelenv.stop, self.km, self.kc)

    def test_unknown_target_closed(self):
        msg = self.kc.session.msg("comm_open", {
            "comm_id": "lab-comm-1", "target_name": "jupyter.widget",
            "data": {}})
        self.kc.shell_channel.send(msg)
        got = drain_idle(self.kc, msg["header"]["msg_id"])
        closes = [m for m in got if m["msg_type"] == "comm_close"]
        self.assertEqual(len(closes), 1, [m["msg_type"] for m in got])
        self.assertEqual(closes[0]["content"]["comm_id"], "lab-comm-1")

    def test_comm_info(self):
        msg_id = self.kc.comm_info()
        reply = kernelenv.shell_reply(self.kc, msg_id)
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertEqual(reply["content"]["comms"], {})


class MetadataTests(unittest.TestCase):
    """E."""

    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = kernelenv.start()

    @classmethod
    def tearDownClass(cls):
        kernelenv.stop(cls.km, cls.kc)

    def test_execute_reply_started(self):
        before = datetime.datetime.now(datetime.timezone.utc)
        run = execute(self.kc, "1 + 1")
        md = run.reply["metadata"]
        self.assertIn("started", md)
        # jupyter_client 8 turns dates in metadata into datetimes.
        started = md["started"]
        if isinstance(started, str):
            started = datetime.datetime.fromisoformat(
                started.replace("Z", "+00:00"))
        self.assertLessEqual(abs((started - before).total_seconds()), 30)
        self.assertEqual(md.get("status"), "ok")

    def test_complete_types(self):
        msg_id = self.kc.complete("strings.To", 10)
        c = kernelenv.shell_reply(self.kc, msg_id)["content"]
        self.assertIn("ToUpper", c["matches"])
        types = c["metadata"]["_jupyter_types_experimental"]
        self.assertEqual([t["text"] for t in types], c["matches"])
        for t in types:
            self.assertEqual((t["start"], t["end"]),
                             (c["cursor_start"], c["cursor_end"]))
            self.assertIsInstance(t["type"], str)
            self.assertTrue(t["type"])
        kinds = {t["text"]: t["type"] for t in types}
        self.assertEqual(kinds["ToUpper"], "func")

    def test_parent_header_verbatim(self):
        msg = self.kc.session.msg("execute_request", {
            "code": 'fmt.Println("sub")', "silent": False,
            "store_history": True, "user_expressions": {},
            "allow_stdin": False, "stop_on_error": True})
        msg["header"]["subshell_id"] = None
        msg["header"]["x_lab_field"] = {"nested": [1, "two"]}
        self.kc.shell_channel.send(msg)
        msg_id = msg["header"]["msg_id"]
        reply = kernelenv.shell_reply(self.kc, msg_id)
        iopub = drain_idle(self.kc, msg_id)
        for m in [reply] + iopub:
            ph = m["parent_header"]
            self.assertIn("subshell_id", ph, m["msg_type"])
            self.assertIsNone(ph["subshell_id"])
            self.assertEqual(ph["x_lab_field"], {"nested": [1, "two"]})
            self.assertEqual(ph["session"], self.kc.session.session)


if __name__ == "__main__":
    unittest.main()
