"""One measured step of `make bench-large`: a child process under a time and
memory limit, with its wall time, CPU time and peak resident memory (wait4's
rusage of that child alone)."""
import os
import resource
import signal
import subprocess
import threading
import time


class Step:
    """What a command did: status is "ok", "failed", "out of memory" or
    "timed out"; the figures are of the child process only."""

    def __init__(self):
        self.status = "ok"
        self.rc = 0
        self.wall_s = 0.0
        self.cpu_s = 0.0
        self.peak_bytes = 0
        self.stdout = ""
        self.stderr = ""

    @property
    def ok(self):
        return self.status == "ok"

    def cpu_per_wall(self):
        return self.cpu_s / self.wall_s if self.wall_s > 0 else 0.0

    def reason(self):
        """A one-line why for a step that did not succeed."""
        if self.ok:
            return ""
        last = [ln for ln in self.stderr.strip().splitlines() if ln.strip()]
        tail = last[-1][:160] if last else f"exit status {self.rc}"
        return tail if self.status == "failed" else self.status


def _limits(mem_bytes):
    def apply():
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if mem_bytes:
            resource.setrlimit(resource.RLIMIT_AS, (mem_bytes, mem_bytes))
        os.setsid()  # its own process group, so a timeout ends all of it

    return apply


def run(cmd, log_prefix, timeout_s=900, mem_bytes=0, env=None):
    """Runs cmd (a list) with stdout and stderr to log_prefix.out/.err;
    RLIMIT_AS = mem_bytes when nonzero (an allocation past it fails: zkinfer
    says "out of memory"), SIGKILL after timeout_s seconds."""
    st = Step()
    out_path, err_path = log_prefix + ".out", log_prefix + ".err"
    with open(out_path, "w") as out, open(err_path, "w") as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                             preexec_fn=_limits(mem_bytes), env=env)
        fired = threading.Event()

        def kill():
            fired.set()
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout_s, kill)
        timer.start()
        _, status, ru = os.wait4(p.pid, 0)
        st.wall_s = time.perf_counter() - t0
        timer.cancel()
        p.returncode = os.waitstatus_to_exitcode(status)
    st.rc = p.returncode
    st.cpu_s = ru.ru_utime + ru.ru_stime
    st.peak_bytes = ru.ru_maxrss * 1024  # Linux: kilobytes
    with open(out_path, errors="replace") as f:
        st.stdout = f.read()
    with open(err_path, errors="replace") as f:
        st.stderr = f.read()
    _classify(st, fired.is_set(), mem_bytes)
    return st


def _classify(st, timed_out, mem_bytes):
    if timed_out:
        st.status = "timed out"
    elif st.rc == 0:
        st.status = "ok"
    elif "out of memory" in st.stderr or "bad_alloc" in st.stderr:
        st.status = "out of memory"
    elif st.rc == -signal.SIGKILL:
        # Not our timer: the kernel's OOM killer (or someone else).
        st.status = "out of memory"
    elif st.rc == -signal.SIGABRT and mem_bytes and st.peak_bytes > 0.8 * mem_bytes:
        st.status = "out of memory"
    else:
        st.status = "failed"
