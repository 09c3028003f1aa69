"""Benchmark Juggler against ipykernel, in one run, on the same machine,
and against the other Go kernels, gophernotes and GoNB, when installed.

    /usr/bin/python3 tests/bench.py        (make bench builds first)
    tests/bench.py --peers                 only the table of Go kernels
    tests/bench.py --soak                  only the long-session table

Kernels are started by jupyter_client's KernelManager from kernelspecs in a
private JUPYTER_PATH (see kernelenv). Messages go through a lean client,
jupyter_client's Session on plain pyzmq sockets, so that the client's own
overhead (the blocking client runs an asyncio loop per call) does not
swamp sub-millisecond kernel times. For the same reason replies are
decoded by the lean client itself: the signature is checked and the JSON
parts decoded as Session.recv does, but the dates are left as strings.
Session.recv parses every date with dateutil, about 0.1 ms per message
here, which alone would be two thirds of a trivial cell's five messages.
`--session-recv` decodes with Session.recv instead.

Measured, as medians:
  start       start_kernel() to the first kernel_info_reply (5 starts)
  kernel_info kernel_info_request to its reply and idle status (50 requests):
              the floor that protocol and client overhead put under a cell
  trivial     execute "1" to its idle status, reply and result in (50 cells)
  goroutines  10,000 goroutines over a channel (juggler only; 5 cells)
  5k lines    a cell printing 5,000 lines, to idle with all output in (5 cells)
  peak RSS    VmHWM summed over the kernel's process tree, after all of it

And for Juggler alone, in a second table (each on a kernel of its own):
  rebuild     in a session of 100 funcs, a type with a method, a func g
              that calls f0 and 10 variables: a cell that redefines T's
              method, one that redefines f0 (both make the kernel rebuild
              its interpreter from the stored definitions and carry the
              variables over), and one that defines a new, unrelated func
              (no rebuild); to idle with the reply in (7 of each)
  restore     after 50 small cells, a cell whose goroutines write one map
              at once (a fatal error: the worker dies), to its reply: the
              kernel restarts the worker and replays the 50 cells; against
              the same crash in an empty session (7 kernels each; also from
              the runtime's "fatal error" on stderr to the reply: restart and
              replay without the wait for the race to trip). A later
              cell must still see a variable from before the crash.
  interrupt   interrupt_request on the control channel to the execute_reply
              of a cell running `for {}`, and one in time.Sleep (7 each)
  %%trace     a cell of 4 goroutines with ~50 ms of CPU work each, and one
              passing 100,000 ints over an unbuffered channel, run plain
              and under %%trace, alternately (7 of each); the ratio of the
              medians
  2,000 g     a traced cell starting 2,000 goroutines that block on a
              channel until it is closed: the size of its text/html and
              its time against the same cell untraced (5 of each)

And a long session, in a third table (`bench.py --soak` runs only it):
  soak        1,500 cells of a concurrency notebook, mixed, run one after
              another on one kernel: goroutines with a WaitGroup, a channel
              handoff, `go func() {}()`, a re-declared slice, a new name, a
              print; the RSS of the worker and of the kernel process after
              the warm-up cells and at the end, and the median time of the
              first and of the last 200 cells
  history     kernel start (to the first kernel_info_reply) with 100,000
              entries in the stored input history against none (9 each,
              alternated)
  modules     import "golang.org/x/sync/errgroup" as a fresh kernel's first
              cell: with empty module and plugin caches (download, extract,
              plugin build) and with both warm (the issue's "warm import",
              < 1 s)
  %%native    a fib cell compiled into a plugin: the first in a fresh kernel,
              an edited one after it, and the first with an empty build cache
              (the runtime is rebuilt for plugins)
  fib(32)     %%native vs compiled Go (go run, timed inside) vs interpreted
  10k g       10,000 goroutines and a WaitGroup, as top-level statements
              (median of 5; the issue's target is <= 60 ms)

And the Go kernels side by side, in a table after Juggler's own: Juggler, and
gophernotes and GoNB when the user has kernelspecs of those names (or
whose command is such a binary) in the usual Jupyter paths, looked up
before JUPYTER_PATH is changed; "not installed" otherwise. The bench never
installs them. Each runs the same cells in its own syntax (PEER_CELLS;
gophernotes with GODEBUG=gotypesalias=0, which its gomacro needs on Go
1.23+; GOPATH/bin on PATH, where GoNB finds goimports):
  start       start_kernel() to the first kernel_info_reply (median of 5)
  trivial     a cell with one small result (median of 10: GoNB builds a
              program per cell)
  fib(27/32)  a recursive fib defined in an earlier cell (median of 3)
  10k g       10,000 goroutines + WaitGroup (median of 5)
  import      import golang.org/x/sync/errgroup and use it, in a fresh
              kernel: with an empty module cache (and an empty plugin cache
              for Juggler), then warm
Each timed cell ends in a comment unique to the run, so that it is a new
cell: GoNB would otherwise get its program from the go build cache. A cell
that fails is shown as "error", with a warning on stderr saying why.

The tables are informational: the exit status is 0 whatever the targets say.
"""

import hmac
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import zmq
from jupyter_client.manager import KernelManager
from jupyter_client.session import Session

import kernelenv

STARTS = 5
TRIVIAL = 50
HEAVY = 5

CODE = {
    "juggler": {
        "trivial": ("1", "1"),
        "goroutines": (
            "func() int { ch := make(chan int); "
            "for i := 0; i < 10000; i++ { go func(n int) { ch <- n }(i) }; "
            "sum := 0; for i := 0; i < 10000; i++ { sum += <-ch }; "
            "return sum }()",
            "49995000"),
        "lines": 'for i := 0; i < 5000; i++ { fmt.Println("line", i) }',
    },
    "python3": {
        "trivial": ("1", "1"),
        "goroutines": None,
        "lines": 'for i in range(5000): print("line", i)',
    },
}


# Decode with jupyter_client's Session.recv (--session-recv) rather than
# lean_recv.
SESSION_RECV = False

DELIM = b"<IDS|MSG>"


def lean_recv(session, sock):
    """The next message on sock as a dict like Session.recv's, or None.

    The signature is verified; header, parent header and content are
    decoded; dates stay strings and buffers are dropped.
    """
    try:
        frames = sock.recv_multipart(zmq.NOBLOCK)
    except zmq.Again:
        return None
    i = frames.index(DELIM)
    sig, parts = frames[i + 1], frames[i + 2:i + 6]
    if len(parts) < 4:
        raise ValueError(f"message with {len(parts)} parts after the signature")
    if session.auth is not None and not hmac.compare_digest(sig, session.sign(parts)):
        raise ValueError("bad signature")
    header = json.loads(parts[0])
    return {"header": header, "msg_id": header["msg_id"], "msg_type": header["msg_type"],
            "parent_header": json.loads(parts[1]), "metadata": json.loads(parts[2]),
            "content": json.loads(parts[3])}


class Lean:
    """Shell and iopub sockets with a Session: just enough to time cells."""

    def __init__(self, km):
        info = km.get_connection_info(session=False)
        self.session = Session(key=info["key"],
                               signature_scheme=info["signature_scheme"])
        self.ctx = zmq.Context()
        url = f"{info['transport']}://{info['ip']}:"
        self.shell = self.ctx.socket(zmq.DEALER)
        self.iopub = self.ctx.socket(zmq.SUB)
        self.control = self.ctx.socket(zmq.DEALER)
        for sock, port in ((self.shell, "shell_port"), (self.iopub, "iopub_port"),
                           (self.control, "control_port")):
            sock.setsockopt(zmq.LINGER, 0)
            # Retry fast while the kernel is still binding its sockets.
            sock.setsockopt(zmq.RECONNECT_IVL, 5)
            sock.connect(url + str(info[port]))
        self.iopub.setsockopt(zmq.SUBSCRIBE, b"")
        self.poller = zmq.Poller()
        self.poller.register(self.shell, zmq.POLLIN)
        self.poller.register(self.iopub, zmq.POLLIN)

    def close(self):
        self.shell.close()
        self.iopub.close()
        self.control.close()
        self.ctx.term()

    def send(self, msg_type, content=None):
        return self.session.send(self.shell, msg_type, content or {})["header"]["msg_id"]

    def _recv(self, sock):
        if SESSION_RECV:
            _, msg = self.session.recv(sock, mode=zmq.NOBLOCK)
            return msg
        return lean_recv(self.session, sock)

    def wait(self, msg_id, want_idle, timeout=60, stamp=False):
        """Wait for the shell reply to msg_id and, if want_idle, its idle
        status; returns (reply, iopub messages of msg_id). With stamp, each
        message gets its perf_counter() time of arrival as msg["t"]."""
        d = kernelenv.Deadline(timeout)
        reply, outputs, idle = None, [], not want_idle
        while reply is None or not idle:
            if d.expired():
                raise TimeoutError(f"no reply/idle for {msg_id}")
            for sock, _ in self.poller.poll(max(1, int(d.remaining() * 1000))):
                msg = self._recv(sock)
                if msg is None or msg["parent_header"].get("msg_id") != msg_id:
                    continue
                if stamp:
                    msg["t"] = time.perf_counter()
                if sock is self.shell:
                    reply = msg
                elif msg["msg_type"] == "status":
                    idle = idle or msg["content"]["execution_state"] == "idle"
                else:
                    outputs.append(msg)
        return reply, outputs

    def ready(self, timeout=60):
        """Send kernel_info until a reply and an iopub message arrive, so
        that iopub is known to be subscribed."""
        d = kernelenv.Deadline(timeout)
        while not d.expired():
            msg_id = self.send("kernel_info_request")
            try:
                self.wait(msg_id, want_idle=True, timeout=min(1.0, d.remaining()))
                return
            except TimeoutError:
                continue
        raise TimeoutError("kernel not ready")

    def start(self, code, stop_on_error=True):
        """Send an execute_request for code; returns its msg_id."""
        return self.send("execute_request", {
            "code": code, "silent": False, "store_history": True,
            "user_expressions": {}, "allow_stdin": False,
            "stop_on_error": stop_on_error})

    def execute(self, code, stop_on_error=True, timeout=60):
        """Run code; return (seconds to idle with reply, reply, outputs)."""
        t0 = time.perf_counter()
        msg_id = self.start(code, stop_on_error)
        reply, outputs = self.wait(msg_id, want_idle=True, timeout=timeout)
        return time.perf_counter() - t0, reply, outputs

    def wait_output(self, msg_id, pred, timeout=30):
        """Wait for an iopub message of msg_id for which pred is true."""
        d = kernelenv.Deadline(timeout)
        while not d.expired():
            for sock, _ in self.poller.poll(max(1, int(d.remaining() * 1000))):
                msg = self._recv(sock)
                if (msg is not None and sock is self.iopub
                        and msg["parent_header"].get("msg_id") == msg_id and pred(msg)):
                    return msg
        raise TimeoutError(f"no such output of {msg_id}")

    def control_request(self, msg_type, timeout=30):
        """Send msg_type on control; returns a function that waits for
        (and returns) its reply, so that the caller can time something in
        between."""
        msg_id = self.session.send(self.control, msg_type, {})["header"]["msg_id"]

        def reply():
            d = kernelenv.Deadline(timeout)
            while self.control.poll(max(1, int(d.remaining() * 1000))):
                msg = lean_recv(self.session, self.control)
                if msg is not None and msg["parent_header"].get("msg_id") == msg_id:
                    return msg
                if d.expired():
                    break
            raise TimeoutError(f"no {msg_type} reply")
        return reply


def start_once(name):
    """Seconds from start_kernel() to the first kernel_info_reply."""
    km = kernel_manager(name)
    env = peer_env(name) if name in PEERS else None  # not timed: it runs go env
    lean = None
    try:
        t0 = time.perf_counter()
        if env:
            # Peers log (GoNB to stderr, gophernotes to stdout): keep it
            # out of the tables.
            km.start_kernel(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        else:
            km.start_kernel()  # picks the ports, so connect after it
        lean = Lean(km)
        # One request, queued in the DEALER until the kernel is there.
        msg_id = lean.send("kernel_info_request")
        lean.wait(msg_id, want_idle=False)
        return time.perf_counter() - t0
    finally:
        if lean:
            lean.close()
        # A peer is asked to shut down (GoNB then removes its build
        # directory); Juggler and ipykernel are killed, as always.
        km.shutdown_kernel(now=name not in PEERS)
        km.cleanup_resources()


def vmhwm_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def text_of(outputs):
    return "".join(m["content"]["text"] for m in outputs
                   if m["msg_type"] == "stream" and m["content"]["name"] == "stdout")


def plain_result(outputs):
    for m in outputs:
        if m["msg_type"] == "execute_result":
            return m["content"]["data"].get("text/plain")
    return None


def measure(name):
    code = CODE[name]
    res = {"start": statistics.median(start_once(name) for _ in range(STARTS))}

    km = KernelManager(kernel_name=name)
    km.start_kernel()
    lean = Lean(km)
    try:
        lean.ready()
        times = []
        for _ in range(TRIVIAL):
            t0 = time.perf_counter()
            lean.wait(lean.send("kernel_info_request"), want_idle=True)
            times.append(time.perf_counter() - t0)
        res["kernel_info"] = statistics.median(times)

        tcode, want = code["trivial"]
        lean.execute(tcode)  # warm up (the worker may start lazily)
        res["trivial"] = median_cell(lean, name, "trivial", tcode, TRIVIAL,
                                     lambda out: plain_result(out) == want)

        if code["goroutines"]:
            gcode, gwant = code["goroutines"]
            res["goroutines"] = median_cell(lean, name, "goroutines", gcode, HEAVY,
                                            lambda out: plain_result(out) == gwant)

        res["lines"] = median_cell(lean, name, "5k lines", code["lines"], HEAVY,
                                   lambda out: text_of(out).count("\n") == 5000)

        pids = kernelenv.process_tree(km.provisioner.process.pid)
        res["rss"] = sum(vmhwm_kib(p) for p in pids) / 1024
        res["procs"] = len(pids)
    finally:
        lean.close()
        km.shutdown_kernel(now=True)
        km.cleanup_resources()
    return res


def median_cell(lean, name, what, code, runs, output_ok):
    """Run code runs times and return the median time; output_ok(outputs)
    says whether each run's output is what it should be."""
    times = []
    for _ in range(runs):
        t, reply, outputs = lean.execute(code)
        check(name, what, reply, output_ok(outputs))
        times.append(t)
    return statistics.median(times)


def check(name, what, reply, output_ok):
    """Warn unless the reply is ok and output_ok; returns whether both are."""
    c = reply["content"]
    if c["status"] == "ok" and output_ok:
        return True
    evalue = " ".join(str(c.get("evalue")).split())[:300]
    err = f" ({c.get('ename')}: {evalue})" if c["status"] == "error" else ""
    print(f"warning: {name} {what}: status {c['status']}{err}, "
          f"output {'as expected' if output_ok else 'wrong'}", file=sys.stderr)
    return False


# Juggler alone: rebuild, restore, interrupt, %%trace. Each measure_* runs
# on a kernel of its own and returns a dict of medians (seconds, bytes).

RUNS = 7        # cells of each kind, alternated, for the medians below
KERNELS = 7     # fresh kernels for the crash restore (a session of 50 cells each)

SPIN = "func spin(n int) int { s := 0; for i := 0; i < n; i++ { s += i }; return s }"
SPIN_N = 400000  # about 50 ms of CPU for yaegi here
CPU_CELL = ("var wg sync.WaitGroup\n"
            "for i := 0; i < 4; i++ {\n"
            "\twg.Add(1)\n"
            f"\tgo func() {{ defer wg.Done(); spin({SPIN_N}) }}()\n"
            "}\n"
            "wg.Wait()")
CHAN_CELL = ("ch := make(chan int)\n"
             "go func() { for i := 0; i < 100000; i++ { ch <- i }; close(ch) }()\n"
             "sum := 0\n"
             "for v := range ch { sum += v }\n"
             "sum")
CHAN_SUM = str(sum(range(100000)))
MANY_CELL = ("release := make(chan bool)\n"
             "var wg sync.WaitGroup\n"
             "for i := 0; i < 2000; i++ {\n"
             "\twg.Add(1)\n"
             "\tgo func() { defer wg.Done(); <-release }()\n"
             "}\n"
             "time.Sleep(time.Millisecond)\n"
             "close(release)\n"
             "wg.Wait()")
CRASH_CELL = ("var m = map[int]int{}; "
              "for i := 0; i < 8; i++ { go func() { for { m[1] = 1 } }() }; "
              "select {}")


class juggler_kernel:
    """with juggler_kernel() as lean: a fresh, ready Juggler kernel (or,
    with name, a peer's: see PEERS).

    Its stderr (a line per worker started, and any complaint) goes to a
    temporary file rather than between the tables; when the block fails,
    the end of it is printed. env adds environment variables."""

    def __init__(self, env=None, name=kernelenv.KERNEL_NAME, timeout=60):
        self.env, self.name, self.timeout = env, name, timeout

    def __enter__(self):
        self.log = tempfile.TemporaryFile("w+")
        self.km = kernel_manager(self.name)
        if self.name in PEERS:  # gophernotes logs to stdout
            self.km.start_kernel(stdout=self.log, stderr=self.log,
                                 env={**peer_env(self.name), **(self.env or {})})
        elif self.env:
            self.km.start_kernel(stderr=self.log, env={**os.environ, **self.env})
        else:
            self.km.start_kernel(stderr=self.log)
        self.lean = Lean(self.km)
        try:
            d = kernelenv.Deadline(self.timeout)
            while True:  # in steps, so that a kernel that died is not waited for
                try:
                    self.lean.ready(min(2.0, max(0.1, d.remaining())))
                    break
                except TimeoutError:
                    if not self.km.is_alive():
                        raise RuntimeError(f"{self.name} exited at start") from None
                    if d.expired():
                        raise
        except BaseException as e:
            self.__exit__(type(e))
            raise
        return self.lean

    def __exit__(self, exc_type, *exc):
        self.lean.close()
        self.km.shutdown_kernel(now=self.name not in PEERS)
        self.km.cleanup_resources()
        if exc_type is not None:
            self.log.seek(0)
            lines = self.log.read().splitlines()
            # A Go crash's cause is at the top of its stack dump.
            tail = [ln for ln in lines[:-10] if ln.startswith(("panic:", "fatal error:"))][:1]
            tail += lines[-10:]
            if tail:
                print("kernel stderr, last lines:\n  " + "\n  ".join(tail), file=sys.stderr)
        self.log.close()


def run_ok(lean, what, code, want=None, timeout=60, name="juggler"):
    """Run code, warn unless it succeeds (with result want, if given);
    returns (seconds, outputs)."""
    t, reply, outputs = lean.execute(code, timeout=timeout)
    check(name, what, reply, want is None or plain_result(outputs) == want)
    return t, outputs


def median_of(times):
    return statistics.median(times) if times else None


def measure_rebuild():
    res = {}
    with juggler_kernel() as lean:
        for i in range(100):
            run_ok(lean, "rebuild setup", f"func f{i}() int {{ return {i} }}")
        run_ok(lean, "rebuild setup",
               "type T struct{ n int }\n"
               "func (t T) Get() int { return t.n + f0() }\n"
               "func g() int { return f0() + T{1}.Get() }")
        for i in range(10):
            run_ok(lean, "rebuild setup", f"v{i} := {i}")
        run_ok(lean, "rebuild setup", "w := T{3}")
        run_ok(lean, "rebuild setup", "g()", "1")
        method, fn, new = [], [], []
        for k in range(1, RUNS + 1):
            # Each body differs from the last: an unchanged one is no change.
            method.append(run_ok(lean, "rebuild (method)",
                                 f"func (t T) Get() int {{ return t.n + f0() + {k} }}")[0])
            fn.append(run_ok(lean, "rebuild (func)",
                             f"func f0() int {{ return {1000 + k} }}")[0])
            new.append(run_ok(lean, "new func", f"func h{k}() int {{ return {k} }}")[0])
        # The old funcs see the new definitions; the variables were kept.
        f0, k = 1000 + RUNS, RUNS
        run_ok(lean, "rebuild: g sees new f0 and Get", "g()", str(f0 + 1 + f0 + k))
        run_ok(lean, "rebuild: variables kept", "v7 + w.Get()", str(7 + 3 + f0 + k))
    res["rebuild_method"] = median_of(method)
    res["rebuild_func"] = median_of(fn)
    res["new_func"] = median_of(new)
    return res


def crash_session(cells):
    """On a fresh kernel, after `cells` small cells, run CRASH_CELL;
    returns the seconds from sending it to its idle status with the reply
    in, and from its first stderr output (the runtime's "fatal error", sent
    as the worker dies) to the same point: restarting the worker and
    replaying the cells."""
    with juggler_kernel() as lean:
        for i in range(cells):
            k = i % 5
            if k == 0:
                code = f"x{i} := {i}"
            elif k == 1:
                code = f"func fn{i}(a int) int {{ return a + {i} }}"
            elif k == 2:
                code = f"type T{i} struct{{ n int }}\nfunc (t T{i}) N() int {{ return t.n }}"
            elif k == 3:
                code = f"y{i} := fn{i - 2}(x{i - 3})"
            else:
                code = f"fmt.Println(x{i - 4})"
            run_ok(lean, "restore setup", code)
        t0 = time.perf_counter()
        reply, outputs = lean.wait(lean.start(CRASH_CELL, stop_on_error=False),
                                   want_idle=True, stamp=True)
        t = time.perf_counter()
        died = min((m["t"] for m in outputs if m["msg_type"] == "stream"
                    and m["content"]["name"] == "stderr"), default=None)
        c = reply["content"]
        if (c["status"] != "error" or died is None
                or cells and f"replaying {cells} earlier" not in c.get("evalue", "")):
            print(f"warning: juggler crash after {cells} cells: {c.get('ename')}: "
                  f"{c.get('evalue')}", file=sys.stderr)
        if cells >= 50:
            # x45 := 45; y48 := fn46(x45) = 45 + 46
            run_ok(lean, "restore: variables from before the crash",
                   "x45 + y48", str(45 + 45 + 46))
            run_ok(lean, "restore: a type from before the crash", "T47{6}.N()", "6")
        return t - t0, None if died is None else t - died


def measure_restore():
    res = {}
    for cells in (50, 0):
        runs = [crash_session(cells) for _ in range(KERNELS)]
        res[f"crash_{cells}"] = median_of([a for a, _ in runs])
        res[f"restore_{cells}"] = median_of([b for _, b in runs if b is not None])
    return res


def measure_interrupt():
    times = {"for {}": [], "time.Sleep(time.Hour)": []}
    with juggler_kernel() as lean:
        run_ok(lean, "interrupt setup", "kept := 7")
        for _ in range(RUNS):
            for body, ts in times.items():
                # stop_on_error=False: an interrupted cell is an error, and
                # the kernel may abort what is sent right after one.
                msg_id = lean.start(f'fmt.Println("started"); {body}', stop_on_error=False)
                lean.wait_output(msg_id, lambda m: m["msg_type"] == "stream"
                                 and "started" in m["content"]["text"])
                time.sleep(0.02)  # well inside the loop or the sleep
                t0 = time.perf_counter()
                control_reply = lean.control_request("interrupt_request")
                reply, _ = lean.wait(msg_id, want_idle=False, timeout=30)
                ts.append(time.perf_counter() - t0)
                control_reply()
                if reply["content"].get("ename") != "Interrupted":
                    print(f"warning: juggler interrupt of {body}: "
                          f"{reply['content'].get('ename')}", file=sys.stderr)
        run_ok(lean, "interrupt: session kept", "kept", "7")
    return {"interrupt_loop": median_of(times["for {}"]),
            "interrupt_sleep": median_of(times["time.Sleep(time.Hour)"])}


def html_of(outputs):
    for m in outputs:
        if m["msg_type"] == "display_data" and "text/html" in m["content"]["data"]:
            return m["content"]["data"]["text/html"]
    return None


def traced_pair(lean, what, code, want, runs):
    """Medians of code run plain and under %%trace, alternately, after one
    warm-up of each, and the size in bytes of the last timeline."""
    plain, traced, size = [], [], None
    for i in range(runs + 1):
        tp, _ = run_ok(lean, what, code, want)
        tt, outputs = run_ok(lean, what + " (traced)", "%%trace\n" + code, want)
        html = html_of(outputs)
        if html is None:
            print(f"warning: juggler {what}: no timeline", file=sys.stderr)
        else:
            size = len(html.encode())
        if i > 0:
            plain.append(tp)
            traced.append(tt)
    return median_of(plain), median_of(traced), size


def measure_trace():
    res = {}
    with juggler_kernel() as lean:
        run_ok(lean, "trace setup", SPIN)
        res["cpu_plain"], res["cpu_traced"], _ = traced_pair(
            lean, "4 x 50 ms CPU", CPU_CELL, None, RUNS)
        res["chan_plain"], res["chan_traced"], _ = traced_pair(
            lean, "100k channel messages", CHAN_CELL, CHAN_SUM, RUNS)
        res["many_plain"], res["many_traced"], res["many_html"] = traced_pair(
            lean, "2,000 goroutines", MANY_CELL, None, 5)
    return res


SOAK_CELLS = 1500
# The patterns of a concurrency notebook, each run again and again (%d: the
# cell's number, so that no two cells are the same text).
SOAK_PATTERNS = [
    "var wg sync.WaitGroup\nwg.Add(1)\ngo func() { defer wg.Done(); _ = %d }()\nwg.Wait()",
    "ch := make(chan int)\ngo func() { ch <- %d }()\nv := <-ch\n_ = v",
    "go func() {}(); _ = %d",
    "xs := make([]int, 100)\nxs[0] = %d",
    "n%d := len(xs)",
    "fmt.Println(%d)",
]


def vmrss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def measure_soak():
    """1,500 mixed cells on one kernel: RSS of the kernel process and of
    its worker after the warm-up and at the end; median cell times of the
    first and last 200 cells."""
    jk = juggler_kernel()
    with jk as lean:
        kernel = jk.km.provisioner.process.pid
        for i, p in enumerate(SOAK_PATTERNS):  # warm-up: imports, first names
            run_ok(lean, "soak warm-up", p % i)

        def rss():
            workers = [p for p in kernelenv.process_tree(kernel) if p != kernel]
            return vmrss_kib(kernel) / 1024, sum(vmrss_kib(p) for p in workers) / 1024

        start = rss()
        times = []
        for i in range(SOAK_CELLS):
            code = SOAK_PATTERNS[i % len(SOAK_PATTERNS)] % (i + len(SOAK_PATTERNS))
            t, reply, _ = lean.execute(code)
            if reply["content"]["status"] != "ok":
                print(f"warning: soak cell {i} {code!r}: {reply['content'].get('ename')}: "
                      f"{reply['content'].get('evalue')}", file=sys.stderr)
            times.append(t)
        end = rss()
    return {"soak_kernel_start": start[0], "soak_kernel_end": end[0],
            "soak_worker_start": start[1], "soak_worker_end": end[1],
            "soak_first": statistics.median(times[:200]),
            "soak_last": statistics.median(times[-200:])}


HISTORY_ENTRIES = 100_000


def history_file():
    """Where the kernel keeps its input history (see kernel/history.go)."""
    return os.path.join(os.environ["JUPYTER_DATA_DIR"], "juggler", "history.jsonl")


def measure_history_start():
    """Median start times with 100,000 stored history entries and with
    none, alternated."""
    path = history_file()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    full = path + ".bench"
    with open(full, "w") as f:
        for i in range(HISTORY_ENTRIES):
            f.write(json.dumps({"session": 1 + i // 100, "line": 1 + i % 100,
                                "input": f"x{i} := compute({i})\nfmt.Println(x{i})",
                                "output": str(i)}) + "\n")
    with_history, without = [], []
    try:
        for _ in range(9):
            for f in (path, path + ".1"):
                if os.path.exists(f):
                    os.remove(f)
            without.append(start_once(kernelenv.KERNEL_NAME))
            os.link(full, path)
            with_history.append(start_once(kernelenv.KERNEL_NAME))
    finally:
        for f in (full, path, path + ".1"):
            if os.path.exists(f):
                os.remove(f)
    return {"start_history": statistics.median(with_history),
            "start_no_history": statistics.median(without)}


def measure_long_session():
    res = {}
    for part in (measure_soak, measure_history_start):
        try:
            res.update(part())
        except Exception as e:  # the kernel is being worked on: report, go on
            print(f"warning: {part.__name__}: {type(e).__name__}: {e}", file=sys.stderr)
    return res


def long_session_table(x):
    get = x.get

    def mib(v):
        return "n/a" if v is None else f"{v:.1f} MiB"

    def grew(start, end):
        return None if get(start) is None or get(end) is None else get(end) - get(start)

    worker_grew = grew("soak_worker_start", "soak_worker_end")
    kernel_grew = grew("soak_kernel_start", "soak_kernel_end")
    first, last = get("soak_first"), get("soak_last")
    with_h, without = get("start_history"), get("start_no_history")
    n = SOAK_CELLS
    rows = [
        ("long session", "value", "target", ""),
        (f"worker RSS, after warm-up -> after {n} cells",
         f"{mib(get('soak_worker_start'))} -> {mib(get('soak_worker_end'))}", "", ""),
        (f"  worker grew", mib(worker_grew), "<= 60 MiB",
         "n/a" if worker_grew is None else ("PASS" if worker_grew <= 60 else "MISS")),
        (f"kernel RSS, after warm-up -> after {n} cells",
         f"{mib(get('soak_kernel_start'))} -> {mib(get('soak_kernel_end'))}", "", ""),
        ("  kernel grew", mib(kernel_grew), "", ""),
        ("cell median, first 200 / last 200",
         f"{fmt_time(first)} / {fmt_time(last)}", "last <= 1.5x first",
         "n/a" if first is None or last is None else ("PASS" if last <= 1.5 * first else "MISS")),
        (f"start, {HISTORY_ENTRIES:,} history entries / none (median of 9)",
         f"{fmt_time(with_h)} / {fmt_time(without)}", "within 10 ms",
         "n/a" if with_h is None or without is None
         else ("PASS" if with_h - without <= 0.010 else "MISS")),
    ]
    return rows


FIB = ("func fib(n int) int {\n\tif n < 2 {\n\t\treturn n\n\t}\n"
       "\treturn fib(n-1) + fib(n-2)\n}\n")
FIB32 = "2178309"
TENK_CELL = ("var wg sync.WaitGroup\n"
             "for i := 0; i < 10000; i++ {\n"
             "\twg.Add(1)\n"
             "\tgo func() { wg.Done() }()\n"
             "}\n"
             "wg.Wait()")


def go_env(name):
    return subprocess.run(["go", "env", name], capture_output=True, text=True).stdout.strip()


def compiled_fib32():
    """fib(32) compiled by go run, timed inside the program (seconds)."""
    src = ("package main\n\nimport (\n\t\"fmt\"\n\t\"time\"\n)\n\n" + FIB +
           "\nfunc main() {\n\tt := time.Now()\n\tr := fib(32)\n"
           "\tfmt.Println(time.Since(t).Nanoseconds(), r)\n}\n")
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "main.go"), "w") as f:
            f.write(src)
        env = {**os.environ, "GOWORK": "off", "GO111MODULE": "off"}
        out = subprocess.run(["go", "run", "main.go"], cwd=d, env=env, check=True,
                             capture_output=True, text=True).stdout.split()
        times = []
        for _ in range(3):
            out = subprocess.run(["go", "run", "main.go"], cwd=d, env=env, check=True,
                                 capture_output=True, text=True).stdout.split()
            times.append(int(out[0]) / 1e9)
        return statistics.median(times)


def measure_modules():
    """Imports, %%native builds, fib(32) three ways, 10k goroutines."""
    res = {}
    errgroup = 'import "golang.org/x/sync/errgroup"\nvar g errgroup.Group'
    with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as xdg:
        # An empty module cache and an empty plugin cache (the user cache
        # directory): download, extract, build the plugin.
        try:
            with juggler_kernel(env={"GOMODCACHE": cache, "XDG_CACHE_HOME": xdg}) as lean:
                res["import_first"], _ = run_ok(lean, "first import (empty caches)",
                                                errgroup, timeout=300)
        finally:
            subprocess.run(["go", "clean", "-modcache"], env={**os.environ, "GOMODCACHE": cache},
                           capture_output=True)
    for _ in range(2):  # the first may fill the caches; the second is warm
        with juggler_kernel() as lean:
            res["import_warm"], _ = run_ok(lean, "warm import", errgroup, timeout=300)
    stamp = str(time.time_ns())
    with tempfile.TemporaryDirectory() as gocache:
        with juggler_kernel(env={"GOCACHE": gocache}) as lean:
            res["native_cold_cache"], _ = run_ok(
                lean, "%%native, empty build cache",
                f"%%native\n// {stamp} cold\n" + FIB, timeout=600)
    with juggler_kernel() as lean:
        res["native_first"], _ = run_ok(lean, "%%native, first in a kernel",
                                        f"%%native\n// {stamp} first\n" + FIB, timeout=600)
        res["native_edit"], _ = run_ok(lean, "%%native, edited",
                                       f"%%native\n// {stamp} edited\n" + FIB, timeout=600)
        res["fib_native"] = median_of([run_ok(lean, "fib(32) native", "fib(32)", FIB32)[0]
                                       for _ in range(3)])
        run_ok(lean, "interpreted fib", FIB.replace("fib", "fibi"))
        res["fib_interp"], _ = run_ok(lean, "fib(32) interpreted", "fibi(32)", FIB32, timeout=600)
        for _ in range(2):
            run_ok(lean, "10k goroutines (warm-up)", TENK_CELL)
        res["tenk"] = median_of([run_ok(lean, "10k goroutines", TENK_CELL)[0]
                                 for _ in range(HEAVY)])
    res["fib_compiled"] = compiled_fib32()
    return res


# The peers: other Go kernels, measured when the user has installed their
# kernelspecs (bench.py never installs them). find_peers() looks them up in
# the user's own Jupyter paths before kernelenv.setup() replaces those.
PEER_NAMES = ("gophernotes", "gonb")
PEERS = {}          # name -> kernelspec name, for the peers found
PEER_KSM = None     # a KernelSpecManager over the user's kernel directories
PEER_DIRS = []      # the directories it searched, for the "not installed" note
GOBIN = None        # where go install puts binaries, once known


def find_peers():
    """Fill PEERS from the user's kernelspecs: one named gophernotes or gonb,
    else one whose command is a gophernotes or gonb binary (gophernotes'
    own kernel.json is sometimes installed under another name)."""
    global PEER_KSM, PEER_DIRS
    from jupyter_client.kernelspec import KernelSpecManager
    ksm = KernelSpecManager()
    PEER_DIRS = list(ksm.kernel_dirs)
    # Pinned, so that the later JUPYTER_PATH of setup() does not matter.
    PEER_KSM = KernelSpecManager(kernel_dirs=PEER_DIRS)
    specs = {}
    for name in PEER_KSM.find_kernel_specs():
        try:
            specs[name] = PEER_KSM.get_kernel_spec(name)
        except Exception as e:  # a broken kernel.json: say so, go on
            print(f"warning: kernelspec {name}: {type(e).__name__}: {e}", file=sys.stderr)
    for peer in PEER_NAMES:
        if peer in specs:
            PEERS[peer] = peer
            continue
        for name, spec in sorted(specs.items()):
            if spec.argv and os.path.basename(spec.argv[0]) == peer:
                PEERS[peer] = name
                break


def kernel_manager(name):
    """A KernelManager for kernel name: a peer's from the user's
    kernelspecs, Juggler's and ipykernel's from the bench's own."""
    if name in PEERS:
        return KernelManager(kernel_name=PEERS[name], kernel_spec_manager=PEER_KSM)
    return KernelManager(kernel_name=name)


def peer_env(name):
    """The environment a peer runs in: the bench's, with GOPATH/bin on PATH
    (GoNB runs goimports from there), and for gophernotes
    GODEBUG=gotypesalias=0 (on Go 1.23+ its gomacro crashes at start
    otherwise)."""
    global GOBIN
    if GOBIN is None:
        GOBIN = go_env("GOBIN") or os.path.join(go_env("GOPATH").split(os.pathsep)[0], "bin")
    env = dict(os.environ)
    env["PATH"] = GOBIN + os.pathsep + env.get("PATH", "")
    if name == "gophernotes":
        env["GODEBUG"] = ",".join(filter(None, ["gotypesalias=0", env.get("GODEBUG")]))
    return env


ERRGROUP_USE = "var g errgroup.Group\ng.Go(func() error { return nil })\nfmt.Println(g.Wait())"

# The same cells in each kernel's syntax. Juggler: statements and
# declarations mix, fmt and sync need no import. gophernotes (gomacro):
# statements at top level too, imports explicit. GoNB: top-level
# declarations are kept from cell to cell, statements go in a main (`%%`
# wraps the rest of the cell in one); goimports adds the imports; every
# cell is compiled and run as a program, so its times include a build.
# Each: setup cells, then name -> (code, check of the outputs).
PEER_CELLS = {
    "juggler": {
        "setup": [FIB],
        "trivial": ("1", lambda out: plain_result(out) == "1"),
        "fib27": ("fib(27)", lambda out: plain_result(out) == "196418"),
        "fib32": ("fib(32)", lambda out: plain_result(out) == FIB32),
        "tenk": (TENK_CELL, None),
        "import": ('import "golang.org/x/sync/errgroup"\n' + ERRGROUP_USE,
                   lambda out: text_of(out) == "<nil>\n"),
    },
    "gophernotes": {
        "setup": ['import (\n\t"fmt"\n\t"sync"\n)', FIB],
        "trivial": ("1", lambda out: plain_result(out) == "1"),
        "fib27": ("fib(27)", lambda out: plain_result(out) == "196418"),
        "fib32": ("fib(32)", lambda out: plain_result(out) == FIB32),
        "tenk": (TENK_CELL, None),
        "import": ('import (\n\t"fmt"\n\t"golang.org/x/sync/errgroup"\n)\n' + ERRGROUP_USE,
                   lambda out: "<nil>\n" in text_of(out)),
    },
    "gonb": {
        "setup": [FIB],
        "trivial": ("%%\nfmt.Println(1)", lambda out: text_of(out) == "1\n"),
        "fib27": ("%%\nfmt.Println(fib(27))", lambda out: text_of(out) == "196418\n"),
        "fib32": ("%%\nfmt.Println(fib(32))", lambda out: text_of(out) == FIB32 + "\n"),
        "tenk": ("%%\n" + TENK_CELL, None),
        "import": ('import "golang.org/x/sync/errgroup"\n\n%%\n' + ERRGROUP_USE,
                   lambda out: text_of(out) == "<nil>\n"),
    },
}
PEER_TRIVIAL = 10   # GoNB builds a program per cell: ~0.3 s each
PEER_FIB = 3


def measure_peer(name):
    """The comparable figures of one kernel (Juggler or a peer), each a
    median in seconds, or the string "error" where a cell failed (the
    warning says why)."""
    cells = PEER_CELLS[name]
    stamp = time.time_ns()
    res = {}

    def timed(lean, key, runs, what, timeout=120):
        code, ok = cells[key]
        times, good = [], True
        for i in range(runs):
            # A comment makes each run a new cell: the same program again
            # would be a go build cache hit for GoNB (0.07 s, not 0.14 s).
            t, reply, outputs = lean.execute(f"{code}\n// {stamp} {i}", timeout=timeout)
            good = check(name, what, reply, ok is None or ok(outputs)) and good
            times.append(t)
        res[key] = median_of(times) if good else "error"

    with juggler_kernel(name=name, timeout=120) as lean:
        for code in cells["setup"]:
            _, reply, _ = lean.execute(code, timeout=300)
            check(name, "setup", reply, True)
        lean.execute(cells["trivial"][0], timeout=120)  # warm-up
        timed(lean, "trivial", PEER_TRIVIAL, "trivial cell")
        # Before fib: in Juggler, 10k goroutines after an interpreted
        # fib(32) take about twice as long (90 ms, not 45).
        lean.execute(cells["tenk"][0], timeout=120)  # warm-up
        timed(lean, "tenk", HEAVY, "10k goroutines")
        timed(lean, "fib27", PEER_FIB, "fib(27)")
        timed(lean, "fib32", PEER_FIB, "fib(32)", timeout=600)
    # After a first session, whose kernel's stderr is shown if it fails.
    res["start"] = median_of([start_once(name) for _ in range(STARTS)])
    # The import in fresh kernels: first with an empty module cache (and
    # Juggler's plugin cache, in XDG_CACHE_HOME), then twice warm.
    with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as xdg:
        try:
            with juggler_kernel(name=name, timeout=120,
                                env={"GOMODCACHE": cache, "XDG_CACHE_HOME": xdg}) as lean:
                timed(lean, "import", 1, "import errgroup, empty caches", timeout=600)
                res["import_first"] = res.pop("import")
        finally:
            subprocess.run(["go", "clean", "-modcache"], capture_output=True,
                           env={**os.environ, "GOMODCACHE": cache})
    for _ in range(2):  # the first may fill the user's caches
        with juggler_kernel(name=name, timeout=120) as lean:
            timed(lean, "import", 1, "import errgroup, warm", timeout=600)
            res["import_warm"] = res.pop("import")
    return res


def measure_peers():
    """measure_peer for Juggler and each installed peer; a kernel that
    fails is reported and left out."""
    res = {}
    for name in ("juggler",) + PEER_NAMES:
        if name != "juggler" and name not in PEERS:
            continue
        print(f"measuring {name} (peer comparison) ...", flush=True)
        try:
            res[name] = measure_peer(name)
        except Exception as e:
            print(f"warning: {name}: {type(e).__name__}: {e}", file=sys.stderr)
            res[name] = {"failed": True}
    return res


def peers_table(res):
    def cell(name, key):
        if name != "juggler" and name not in PEERS:
            return "not installed"
        r = res.get(name, {})
        v = r.get(key, "error" if r.get("failed") else None)
        return v if isinstance(v, str) else fmt_time(v)

    rows = [
        (f"start, to kernel_info reply (median of {STARTS})", "start"),
        (f"trivial cell (median of {PEER_TRIVIAL})", "trivial"),
        (f"fib(27) cell (median of {PEER_FIB})", "fib27"),
        (f"fib(32) cell (median of {PEER_FIB})", "fib32"),
        (f"10,000 goroutines + WaitGroup (median of {HEAVY})", "tenk"),
        ("import errgroup, empty module cache", "import_first"),
        ("import errgroup, warm", "import_warm"),
    ]
    table = [("Go kernels, same cells", "juggler") + PEER_NAMES]
    for label, key in rows:
        table.append((label,) + tuple(cell(n, key) for n in ("juggler",) + PEER_NAMES))
    return table


def print_peers(res):
    print_table(peers_table(res))
    for name in PEER_NAMES:
        if name in PEERS:
            spec = PEER_KSM.get_kernel_spec(PEERS[name])
            print(f"{name}: kernelspec {PEERS[name]!r}, {spec.argv[0]}")
    if len(PEERS) < len(PEER_NAMES):
        print("not installed: no kernelspec named " +
              " or ".join(n for n in PEER_NAMES if n not in PEERS) +
              " in " + ", ".join(PEER_DIRS))
    if "gonb" in PEERS:
        print("gonb compiles and runs each cell as a program: its times include the build")


def measure_juggler():
    """The juggler-only figures; a part that fails is left out, with a
    warning, so that the rest is still measured."""
    res = {}
    for part in (measure_modules, measure_rebuild, measure_restore, measure_interrupt, measure_trace):
        try:
            res.update(part())
        except Exception as e:  # the kernel is being worked on: report, go on
            print(f"warning: {part.__name__}: {type(e).__name__}: {e}", file=sys.stderr)
    return res


def fmt_time(v):
    if v is None:
        return "n/a"
    return f"{v * 1000:.2f} ms" if v < 1 else f"{v:.3f} s"


def main():
    global SESSION_RECV
    SESSION_RECV = "--session-recv" in sys.argv[1:]
    # --soak: only the long-session table (a few minutes less).
    # --peers: only the table of Go kernels (Juggler, gophernotes, GoNB).
    find_peers()  # before setup() points JUPYTER_PATH at the bench's own
    prefix = kernelenv.setup()
    kernelenv.install_ipykernel(prefix)
    from jupyter_client.kernelspec import KernelSpecManager
    argv0 = KernelSpecManager().get_kernel_spec(kernelenv.KERNEL_NAME).argv[0]
    print(f"juggler: {argv0}; baseline: ipykernel ({sys.executable}); "
          f"{os.cpu_count()} CPUs; replies decoded by "
          f"{'Session.recv' if SESSION_RECV else 'the lean client (dates left as strings)'}",
          flush=True)

    if "--peers" in sys.argv[1:]:
        print_peers(measure_peers())
        return 0

    if "--soak" in sys.argv[1:]:
        print("measuring juggler: a long session, start with history ...", flush=True)
        print_table(long_session_table(measure_long_session()))
        return 0

    results = {}
    for name in ("juggler", "python3"):
        print(f"measuring {name} ...", flush=True)
        results[name] = measure(name)
    print("measuring juggler alone: rebuild, crash restore, interrupt, %%trace ...",
          flush=True)
    results["juggler_only"] = measure_juggler()
    j, p = results["juggler"], results["python3"]

    def ratio(key):
        if key in j and key in p and p[key]:
            return j[key] / p[key]
        return None

    rows = [
        # metric, key, formatter, target text, target check
        ("start (median of 5)", "start", fmt_time,
         "<= 0.3 s and < 1/3 ipykernel",
         lambda: j["start"] <= 0.3 and ratio("start") < 1 / 3),
        ("kernel_info round trip (median of 50)", "kernel_info", fmt_time,
         "", None),
        ("trivial cell (median of 50)", "trivial", fmt_time,
         "<= 1 ms and < 1/2 ipykernel",
         lambda: j["trivial"] <= 0.001 and ratio("trivial") < 1 / 2),
        ("10,000 goroutines (median of 5)", "goroutines", fmt_time, "", None),
        ("5,000 lines (median of 5)", "lines", fmt_time, "<= 40 ms",
         lambda: j["lines"] <= 0.040),
        ("peak RSS, process tree", "rss", lambda v: "n/a" if v is None else f"{v:.1f} MiB",
         "", None),
    ]
    table = [("metric", "juggler", "ipykernel", "ratio", "target", "")]
    for label, key, f, target, ok in rows:
        r = ratio(key)
        table.append((label, f(j.get(key)), f(p.get(key)),
                      "n/a" if r is None else f"{r:.2f}", target,
                      "" if ok is None else ("PASS" if ok() else "MISS")))
    print_table(table)
    print(f"\nprocesses: juggler {j['procs']}, ipykernel {p['procs']}")
    print_table(juggler_table(results["juggler_only"]))
    print_peers(measure_peers())
    print("measuring juggler: a long session, start with history ...", flush=True)
    print_table(long_session_table(measure_long_session()))
    return 0


def print_table(table):
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    print()
    for i, row in enumerate(table):
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))


def juggler_table(x):
    """The table of measure_juggler's figures: each against what it is
    best compared with."""
    get = x.get

    def size(v):
        return "n/a" if v is None else f"{v / 1000:.1f} kB"

    rows = [
        # metric, value key, formatter, (label, key) compared with, target, check
        (f"rebuild: redefine T's method, 100 defs (median of {RUNS})",
         "rebuild_method", fmt_time, ("new func", "new_func"), "", None),
        (f"rebuild: redefine f0, used by g (median of {RUNS})",
         "rebuild_func", fmt_time, ("new func", "new_func"), "", None),
        (f"no rebuild: a new, unrelated func (median of {RUNS})",
         "new_func", fmt_time, None, "", None),
        (f"crash cell to reply, 50 cells before (median of {KERNELS})",
         "crash_50", fmt_time, ("0 cells", "crash_0"), "", None),
        ("  of which restart + replay of 50 cells",
         "restore_50", fmt_time, ("0 cells", "restore_0"), "", None),
        (f"interrupt `for {{}}` to reply (median of {RUNS})",
         "interrupt_loop", fmt_time, None, "<= 100 ms",
         lambda v: v <= 0.100),
        (f"interrupt time.Sleep to reply (median of {RUNS})",
         "interrupt_sleep", fmt_time, None, "<= 100 ms",
         lambda v: v <= 0.100),
        (f"%%trace, 4 goroutines x 50 ms CPU (median of {RUNS})",
         "cpu_traced", fmt_time, ("untraced", "cpu_plain"), "<= 1.5x untraced",
         lambda v: v <= 1.5 * x["cpu_plain"]),
        (f"%%trace, 100k unbuffered chan msgs (median of {RUNS})",
         "chan_traced", fmt_time, ("untraced", "chan_plain"), "", None),
        ("%%trace, 2,000 goroutines (median of 5)",
         "many_traced", fmt_time, ("untraced", "many_plain"), "a few s (<= 3 s)",
         lambda v: v <= 3.0),
        ("timeline text/html, 2,000 goroutines",
         "many_html", size, None, "< 1 MB", lambda v: v < 1_000_000),
        ("import errgroup, empty module and plugin caches",
         "import_first", fmt_time, None, "", None),
        ("import errgroup, module cached (warm)",
         "import_warm", fmt_time, None, "< 1 s", lambda v: v < 1.0),
        ("%%native fib, empty build cache",
         "native_cold_cache", fmt_time, None, "", None),
        ("%%native fib, first in a kernel",
         "native_first", fmt_time, None, "", None),
        ("%%native fib, edited",
         "native_edit", fmt_time, None, "", None),
        ("fib(32) %%native (cell, median of 3)",
         "fib_native", fmt_time, ("compiled", "fib_compiled"), "<= 2x compiled",
         lambda v: v <= 2 * x["fib_compiled"]),
        ("fib(32) interpreted (cell)",
         "fib_interp", fmt_time, ("compiled", "fib_compiled"), "", None),
        ("10,000 goroutines + WaitGroup (median of 5)",
         "tenk", fmt_time, None, "<= 60 ms", lambda v: v <= 0.060),
    ]
    table = [("juggler only", "juggler", "compared with", "ratio", "target", "")]
    for label, key, f, versus, target, ok in rows:
        v, against, r = get(key), "", "n/a"
        if versus is not None:
            name, vkey = versus
            w = get(vkey)
            against = f"{name} {f(w)}"
            if v is not None and w:
                r = f"{v / w:.2f}"
        else:
            r = ""
        verdict = ""
        if ok is not None:
            try:
                verdict = "n/a" if v is None else ("PASS" if ok(v) else "MISS")
            except (KeyError, TypeError):
                verdict = "n/a"
        table.append((label, f(v), against, r, target, verdict))
    return table


if __name__ == "__main__":
    sys.exit(main())
