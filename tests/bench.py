"""Benchmark Juggler against ipykernel, in one run, on the same machine.

    /usr/bin/python3 tests/bench.py        (make bench builds first)

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

The table is informational: the exit status is 0 whatever the targets say.
"""

import hmac
import json
import os
import statistics
import sys
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
        for sock, port in ((self.shell, "shell_port"), (self.iopub, "iopub_port")):
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
        self.ctx.term()

    def send(self, msg_type, content=None):
        return self.session.send(self.shell, msg_type, content or {})["header"]["msg_id"]

    def _recv(self, sock):
        if SESSION_RECV:
            _, msg = self.session.recv(sock, mode=zmq.NOBLOCK)
            return msg
        return lean_recv(self.session, sock)

    def wait(self, msg_id, want_idle, timeout=60):
        """Wait for the shell reply to msg_id and, if want_idle, its idle
        status; returns (reply, iopub messages of msg_id)."""
        d = kernelenv.Deadline(timeout)
        reply, outputs, idle = None, [], not want_idle
        while reply is None or not idle:
            if d.expired():
                raise TimeoutError(f"no reply/idle for {msg_id}")
            for sock, _ in self.poller.poll(max(1, int(d.remaining() * 1000))):
                msg = self._recv(sock)
                if msg is None or msg["parent_header"].get("msg_id") != msg_id:
                    continue
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

    def execute(self, code):
        """Run code; return (seconds to idle with reply, reply, outputs)."""
        t0 = time.perf_counter()
        msg_id = self.send("execute_request", {
            "code": code, "silent": False, "store_history": True,
            "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
        reply, outputs = self.wait(msg_id, want_idle=True)
        return time.perf_counter() - t0, reply, outputs


def start_once(name):
    """Seconds from start_kernel() to the first kernel_info_reply."""
    km = KernelManager(kernel_name=name)
    lean = None
    try:
        t0 = time.perf_counter()
        km.start_kernel()  # picks the ports, so connect after it
        lean = Lean(km)
        # One request, queued in the DEALER until the kernel is there.
        msg_id = lean.send("kernel_info_request")
        lean.wait(msg_id, want_idle=False)
        return time.perf_counter() - t0
    finally:
        if lean:
            lean.close()
        km.shutdown_kernel(now=True)
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
        times = []
        for _ in range(TRIVIAL):
            t, reply, outputs = lean.execute(tcode)
            check(name, "trivial", reply, plain_result(outputs) == want)
            times.append(t)
        res["trivial"] = statistics.median(times)

        if code["goroutines"]:
            gcode, want = code["goroutines"]
            times = []
            for _ in range(HEAVY):
                t, reply, outputs = lean.execute(gcode)
                check(name, "goroutines", reply, plain_result(outputs) == want)
                times.append(t)
            res["goroutines"] = statistics.median(times)

        times = []
        for _ in range(HEAVY):
            t, reply, outputs = lean.execute(code["lines"])
            check(name, "5k lines", reply, text_of(outputs).count("\n") == 5000)
            times.append(t)
        res["lines"] = statistics.median(times)

        pids = kernelenv.process_tree(km.provisioner.process.pid)
        res["rss"] = sum(vmhwm_kib(p) for p in pids) / 1024
        res["procs"] = len(pids)
    finally:
        lean.close()
        km.shutdown_kernel(now=True)
        km.cleanup_resources()
    return res


def check(name, what, reply, output_ok):
    if reply["content"]["status"] != "ok" or not output_ok:
        print(f"warning: {name} {what}: status {reply['content']['status']}, "
              f"output {'as expected' if output_ok else 'wrong'}", file=sys.stderr)


def fmt_time(v):
    if v is None:
        return "n/a"
    return f"{v * 1000:.2f} ms" if v < 1 else f"{v:.3f} s"


def main():
    global SESSION_RECV
    SESSION_RECV = "--session-recv" in sys.argv[1:]
    prefix = kernelenv.setup()
    kernelenv.install_ipykernel(prefix)
    from jupyter_client.kernelspec import KernelSpecManager
    argv0 = KernelSpecManager().get_kernel_spec(kernelenv.KERNEL_NAME).argv[0]
    print(f"juggler: {argv0}; baseline: ipykernel ({sys.executable}); "
          f"{os.cpu_count()} CPUs; replies decoded by "
          f"{'Session.recv' if SESSION_RECV else 'the lean client (dates left as strings)'}",
          flush=True)

    results = {}
    for name in ("juggler", "python3"):
        print(f"measuring {name} ...", flush=True)
        results[name] = measure(name)
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
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    print()
    for i, row in enumerate(table):
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))
    print(f"\nprocesses: juggler {j['procs']}, ipykernel {p['procs']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
