"""Test environment for Juggler: an installed kernelspec and a small client.

Importing this module changes nothing. setup() (called by every test module
before it starts a kernel) does, once per process:

- points JUPYTER_PATH, JUPYTER_DATA_DIR, JUPYTER_RUNTIME_DIR,
  JUPYTER_CONFIG_DIR and IPYTHONDIR at a temporary directory, so the user's
  own Jupyter directories are neither read nor written;
- installs bin/juggler there with `juggler install --prefix DIR`, unless
  JUGGLER_TEST_PREFIX names a prefix the caller (make test) already
  installed into.

It builds nothing: run `make build` (or `make test`) first.
"""

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import time
from queue import Empty

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KERNEL_NAME = "juggler"

# Generous bounds: the 2-core CI machine may be busy with the race detector.
TIMEOUT = float(os.environ.get("JUGGLER_TEST_TIMEOUT", "30"))

_prefix = None


def binary():
    """The juggler binary under test (JUGGLER_BIN, else bin/juggler)."""
    return os.environ.get("JUGGLER_BIN") or os.path.join(REPO, "bin", "juggler")


def kernel_dir(prefix):
    return os.path.join(prefix, "share", "jupyter", "kernels", KERNEL_NAME)


def setup():
    """Install the kernel into a private prefix and isolate Jupyter's dirs.

    Returns the prefix. Safe to call many times.
    """
    global _prefix
    if _prefix is not None:
        return _prefix

    scratch = tempfile.mkdtemp(prefix="juggler-test-")
    atexit.register(shutil.rmtree, scratch, True)

    prefix = os.environ.get("JUGGLER_TEST_PREFIX")
    if not prefix:
        prefix = os.path.join(scratch, "prefix")
        exe = binary()
        if not os.access(exe, os.X_OK):
            raise RuntimeError(f"{exe} not found: run `make build` first")
        subprocess.run([exe, "install", "--prefix", prefix], check=True,
                       stdout=subprocess.DEVNULL)
    spec = os.path.join(kernel_dir(prefix), "kernel.json")
    if not os.path.isfile(spec):
        raise RuntimeError(f"no kernelspec at {spec}")

    for var, sub in (("JUPYTER_DATA_DIR", "data"),
                     ("JUPYTER_RUNTIME_DIR", "runtime"),
                     ("JUPYTER_CONFIG_DIR", "config"),
                     ("IPYTHONDIR", "ipython")):
        path = os.path.join(scratch, sub)
        os.makedirs(path, exist_ok=True)
        os.environ[var] = path
    os.environ["JUPYTER_PATH"] = os.path.join(prefix, "share", "jupyter")
    # Quiets debugpy's frozen-modules warning in ipykernel (the baseline).
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    _prefix = prefix
    return prefix


def install_ipykernel(prefix):
    """Install ipykernel (the test interpreter's) as kernel "python3" into prefix."""
    subprocess.run([sys.executable, "-m", "ipykernel", "install",
                    "--prefix", prefix, "--name", "python3"],
                   check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def start(kernel_name=KERNEL_NAME, timeout=TIMEOUT, env=None):
    """Start a kernel and a connected, ready blocking client. env adds
    environment variables for the kernel."""
    from jupyter_client.manager import KernelManager

    setup()
    km = KernelManager(kernel_name=kernel_name)
    if env:
        km.start_kernel(env={**os.environ, **env})
    else:
        km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=timeout)
    except Exception:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        raise
    return km, kc


def stop(km, kc):
    """Close the client and shut the kernel down (politely, then by force)."""
    kc.stop_channels()
    kc.context.destroy(linger=0)
    if km.is_alive():
        km.shutdown_kernel(now=False)
    else:
        km.cleanup_resources()


def children(pid):
    """Direct child pids of pid, from /proc."""
    kids = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                kids.extend(int(p) for p in f.read().split())
    except (FileNotFoundError, ProcessLookupError):
        pass
    return kids


def process_tree(pid):
    """pid and all its descendants."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children(p))
    return out


def alive(pid):
    """Whether pid exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


class Deadline:
    """A point in time; remaining() is what is left of it, never below 0."""

    def __init__(self, seconds):
        self.end = time.monotonic() + seconds

    def remaining(self):
        return max(0.0, self.end - time.monotonic())

    def expired(self):
        return time.monotonic() >= self.end


class Run:
    """Everything one execute_request produced."""

    def __init__(self, msg_id):
        self.msg_id = msg_id
        self.reply = None      # execute_reply message
        self.iopub = []        # every iopub message with this parent, in order
        self.stdin = []        # input_request messages

    @property
    def status(self):
        return self.reply["content"]["status"]

    def outputs(self, *types):
        """iopub messages other than status/execute_input (of types, if given)."""
        return [m for m in self.iopub
                if m["msg_type"] not in ("status", "execute_input")
                and (not types or m["msg_type"] in types)]

    def stdout(self):
        return "".join(m["content"]["text"] for m in self.iopub
                       if m["msg_type"] == "stream"
                       and m["content"]["name"] == "stdout")

    def stderr(self):
        return "".join(m["content"]["text"] for m in self.iopub
                       if m["msg_type"] == "stream"
                       and m["content"]["name"] == "stderr")

    def result(self, mime="text/plain"):
        """The execute_result's data for mime, or None."""
        for m in self.iopub:
            if m["msg_type"] == "execute_result":
                return m["content"]["data"].get(mime)
        return None

    def errors(self):
        return [m for m in self.iopub if m["msg_type"] == "error"]

    def describe(self):
        lines = [f"reply: {self.reply and self.reply['content']}"]
        for m in self.iopub:
            lines.append(f"  {m['msg_type']}: {m['content']}")
        return "\n".join(lines)


def _get(getter, deadline):
    t = deadline.remaining()
    if t <= 0:
        raise TimeoutError("deadline passed")
    return getter(timeout=t)


def _reply(getter, channel, msg_id, timeout):
    """The reply to msg_id on one channel; replies to other requests are
    dropped."""
    d = Deadline(timeout)
    while True:
        try:
            msg = _get(getter, d)
        except (Empty, TimeoutError):
            raise TimeoutError(f"no {channel} reply to {msg_id} in {timeout}s")
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg


def shell_reply(kc, msg_id, timeout=TIMEOUT):
    return _reply(kc.get_shell_msg, "shell", msg_id, timeout)


def control_reply(kc, msg_id, timeout=TIMEOUT):
    return _reply(kc.get_control_msg, "control", msg_id, timeout)


def send_control(kc, msg_type, content=None):
    msg = kc.session.msg(msg_type, content or {})
    kc.control_channel.send(msg)
    return msg["header"]["msg_id"]


def iopub_until_idle(kc, msg_id, timeout=TIMEOUT, on_message=None):
    """iopub messages with parent msg_id up to and including status idle."""
    d = Deadline(timeout)
    got = []
    while True:
        try:
            msg = _get(kc.get_iopub_msg, d)
        except (Empty, TimeoutError):
            raise TimeoutError(
                f"no idle status for {msg_id} in {timeout}s; got "
                + ", ".join(m["msg_type"] for m in got))
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        got.append(msg)
        if on_message:
            on_message(msg)
        if (msg["msg_type"] == "status"
                and msg["content"]["execution_state"] == "idle"):
            return got


def collect(kc, msg_id, timeout=TIMEOUT, stdin_answers=None, on_message=None):
    """Wait for the reply and the idle status of execute request msg_id.

    stdin_answers, if not None, is a list of strings that answer the cell's
    input_requests in order.
    """
    run = Run(msg_id)
    d = Deadline(timeout)
    answers = list(stdin_answers or [])
    idle = False
    while run.reply is None or not idle:
        if d.expired():
            raise TimeoutError(
                f"execute {msg_id} not finished in {timeout}s:\n"
                + run.describe())
        if stdin_answers is not None:
            msg = _poll(kc.get_stdin_msg, 0)
            if msg is not None:
                run.stdin.append(msg)
                if msg["msg_type"] == "input_request" and answers:
                    kc.input(answers.pop(0))
        if run.reply is None:
            msg = _poll(kc.get_shell_msg, 0.005 if idle else 0)
            if msg is not None and msg["parent_header"].get("msg_id") == msg_id:
                run.reply = msg
        if not idle:
            msg = _poll(kc.get_iopub_msg, 0.005)
            if msg is not None and msg["parent_header"].get("msg_id") == msg_id:
                run.iopub.append(msg)
                if on_message:
                    on_message(msg)
                idle = (msg["msg_type"] == "status" and
                        msg["content"]["execution_state"] == "idle")
    return run


def _poll(getter, timeout):
    try:
        return getter(timeout=timeout)
    except Empty:
        return None


def execute(kc, code, timeout=TIMEOUT, stdin_answers=None, **kw):
    """Run code and return its Run. kw goes to kc.execute."""
    kw.setdefault("allow_stdin", stdin_answers is not None)
    msg_id = kc.execute(code, **kw)
    return collect(kc, msg_id, timeout=timeout, stdin_answers=stdin_answers)
