"""The machine description and the tables of `make bench-large`."""
import datetime
import os
import platform
import subprocess


def gb(n):
    return f"{n / 1e9:.2f} GB" if n >= 1e9 else f"{n / 1e6:.0f} MB"


def size(n):
    if n is None:
        return ""
    if n >= 1e9:
        return f"{n / 1e9:.2f} GB"
    if n >= 1e6:
        return f"{n / 1e6:.2f} MB"
    return f"{n / 1e3:.0f} KB"


def secs(s):
    if s is None:
        return ""
    if s >= 1:
        return f"{s:.2f} s"
    ms = s * 1000
    return f"{ms:.0f} ms" if ms >= 10 else f"{ms:.1f} ms" if ms >= 1 else f"{ms:.3f} ms"


def params(n):
    return f"{n / 1e6:.2f}M" if n >= 1e6 else f"{n / 1e3:.1f}k"


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _mem_total():
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _os_name():
    try:
        with open("/etc/os-release") as f:
            for line in f:
                if line.startswith("PRETTY_NAME="):
                    return line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return platform.system()


def _git(build):
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    try:
        rev = subprocess.run(["git", "-C", root, "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", root, "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        return rev + (" (with uncommitted changes)" if dirty else "")
    except OSError:
        return "unknown"


def machine(build):
    return {
        "cpu": _cpu_model(), "cores": os.cpu_count(), "memory_bytes": _mem_total(),
        "os": _os_name(), "kernel": platform.release(), "commit": _git(build),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "load_before": os.getloadavg(),
    }


def machine_line(m):
    return (f"{m['cpu']}, {m['cores']} cores, {gb(m['memory_bytes'])} memory, {m['os']} "
            f"(kernel {m['kernel']}); zkinfer {m['commit']}; {m['date']}; "
            f"load average {m['load_before'][0]:.2f}")


def _step(row, name):
    return row["steps"].get(name)


def _ok(row, name):
    s = _step(row, name)
    return s if s and s["status"] == "ok" else None


def _main_cells(row, inf):
    setup, prove, verify = _ok(row, "setup"), _ok(row, "prove"), _ok(row, "verify")
    cells = [secs(setup["wall_s"]) if setup else "",
             secs(prove["wall_s"]) if prove else "",
             secs(prove["in_process_ms"] / 1000) if prove and prove["in_process_ms"] else "",
             (f"{secs(verify['wall_s'])} ({secs(verify['in_process_ms'] / 1000)})"
              if verify and verify["in_process_ms"] is not None else ""),
             size(row.get("proof_bytes")), size(row.get("pk_bytes"))]
    peaks = [(n, s["peak_bytes"]) for n, s in row["steps"].items() if n != "compile"]
    pp = prove["peak_bytes"] if prove else None
    mem = gb(pp) if pp else ""
    sp = dict(peaks).get("setup")
    if sp and (not pp or sp > pp):
        mem += f" (setup {gb(sp)})" if mem else f"setup {gb(sp)}"
    cells.append(mem)
    cells.append(f"{prove['cpu_s'] / prove['wall_s']:.2f}" if prove else "")
    med = inf.get("median_ms") if inf else None
    cells.append(secs(med / 1000) if med else "")
    cells.append(f"{prove['wall_s'] * 1000 / med:,.0f}x" if prove and med else "")
    return cells


HEAD = ["model", "params", "visibility", "setup", "prove (command)", "prove (in-process)",
        "verify (command / in-process)", "proof", "proving key", "peak memory (prove)",
        "CPU/wall (prove)", "inference (onnxruntime)", "prove / inference"]


def table(results):
    lines = ["| " + " | ".join(HEAD) + " |", "|" + "---|" * len(HEAD)]
    for row in results["rows"]:
        vis = "default (ZK)" if row["vis"] == "zk" else "all public"
        cells = [row["model"], params(row["params"]), vis]
        if row["source"] == "light" and row["note"].startswith("compile only"):
            c = row.get("circuit", {})
            comp = row["steps"]["compile"]
            cells.append(f"compile only ({secs(comp['wall_s'])}, {gb(comp['peak_bytes'])}): "
                         f"{c.get('weights_padded', 0) / 1e6:.1f}M padded weights, "
                         f"{c.get('witness', 0) / 1e6:.1f}M witness values per proof; "
                         "too large to set up and prove on this machine today")
            cells += [""] * (len(HEAD) - len(cells))
        elif row["note"]:
            cells.append(row["note"].replace("|", "/"))
            cells += [""] * (len(HEAD) - len(cells))
        else:
            cells += _main_cells(row, results["inference"].get(row["model"]))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def detail_table(results):
    head = ["model", "visibility", "step", "status", "wall", "in-process", "CPU time", "CPU/wall",
            "peak memory"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in results["rows"]:
        for name, s in row["steps"].items():
            ip = secs(s["in_process_ms"] / 1000) if s["in_process_ms"] is not None else ""
            cpw = f"{s['cpu_s'] / s['wall_s']:.2f}" if s["wall_s"] > 0 else ""
            lines.append("| " + " | ".join([row["model"], row["vis"], name, s["status"],
                                            secs(s["wall_s"]), ip, secs(s["cpu_s"]), cpw,
                                            gb(s["peak_bytes"])]) + " |")
    return "\n".join(lines)


def models_table(results):
    """One line per model; the circuit sizes are the default visibility's."""
    seen, lines = set(), ["| model | params | architecture | padded weights | witness per proof |",
                          "|---|---|---|---|---|"]
    for row in results["rows"]:
        if row["model"] not in seen:
            seen.add(row["model"])
            c = row.get("circuit", {})
            w = f"{c['weights']:,}" if "weights" in c else ""
            x = f"{c['witness']:,}" if "witness" in c else ""
            lines.append(f"| {row['model']} | {row['params']:,} | {row['desc']} | {w} | {x} |")
    return "\n".join(lines)


def estimate_table(results):
    """compile's estimate (inspect --json) against the measured figures:
    estimate / measured, for the cost model's "within 2x" claim."""
    head = ["model", "visibility", "prove (command)", "peak memory (prove)", "proof",
            "proving key", "setup"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in results["rows"]:
        e = row.get("estimate")
        prove, setup = _ok(row, "prove"), _ok(row, "setup")
        if not e or not prove or not setup:
            continue

        def ratio(est, got):
            return f"{est / got:.2f}" if got else ""

        lines.append("| " + " | ".join([
            row["model"], row["vis"], ratio(e["prove_ms"] / 1000, prove["wall_s"]),
            ratio(e["peak_bytes"], prove["peak_bytes"]),
            ratio(e["proof_bytes"], row.get("proof_bytes")),
            ratio(e["pk_bytes"], row.get("pk_bytes")),
            ratio(e["setup_ms"] / 1000, setup["wall_s"])]) + " |")
    return "\n".join(lines)


def markdown(results):
    m, lim = results["machine"], results["limits"]
    label = m.get("label") or ""
    return f"""# Performance on large models

Generated by `make bench-large` (`bench/large/bench_large.py`); do not edit,
run it again. {label}

**Machine:** {m['cpu']}, {m['cores']} cores, {gb(m['memory_bytes'])} memory, {m['os']}
(kernel {m['kernel']}). **Run:** {m['date']}, zkinfer {m['commit']}, {m['minutes']:.0f} minutes;
load average {m['load_before'][0]:.2f} before, {m['load_after'][0]:.2f} after.

Figures vary 10-20% from run to run on this machine (more while anything
else runs); ratios (CPU/wall, prove / inference, one model against another)
vary less. Tests never assert these times.

{table(results)}

- **setup**, **prove (command)**, **verify (command)**: wall time of the
  whole `zkinfer setup` / `prove` / `verify` process (reading and writing the
  files included). **prove (in-process)**: the time `prove` prints for
  proving alone (after the key is loaded, before the proof is written);
  verify's in-process time is the check alone, as `verify` prints it.
- **peak memory**: the largest resident set of the `prove` process (wait4's
  rusage); setup's is shown when it is larger. **CPU/wall**: (user + system
  CPU time) / wall time of `prove`: 1.0 is one busy core, {m['cores']}.0 all of them.
- **inference**: the same ONNX file in onnxruntime-node (CPU), float32,
  batch 1, default graph optimizations, {m['cores']} intra-op threads (the
  prover's thread count); the median of at least 10 runs after 3 warm-up
  runs. **prove / inference** = prove (command) / inference.
- **visibility**: default (ZK) is `compile`'s default,
  `input=private,weights=committed,output=public` (zero knowledge for the
  input, hidden committed weights); all public is
  `input=public,weights=public,output=public` (no hiding: the non-ZK baseline).
- Each step runs as its own process with a limit of {lim['timeout_s']} s and
  {lim['mem_gb']:g} GB of address space (`RLIMIT_AS`); a step past either gets a row
  saying so ("out of memory at setup", "timed out at prove") and the run
  goes on. The calibration is a JSON of random inputs made with each model.

## Models

Made by `bench/models/make_models.py` (random weights, fixed seeds;
ONNX opset 13) into `build/bench-models/` when missing; the light model-zoo
architectures are `../shared/models/onnx/light` (weights all equal: only
compiled, their circuits are far beyond what this machine proves today).

{models_table(results)}

## Estimates

`compile` and `inspect` print what proving will cost (`src/proof/estimate.cc`:
sizes from the commitments' parameters, times and memory from a cost model
fitted to this table's earlier runs). Estimate / measured, per model (1.00 is
exact; the cost model claims 0.5 to 2):

{estimate_table(results)}

## Every step

{detail_table(results)}
"""
