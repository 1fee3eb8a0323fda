#!/usr/bin/python3
"""`make bench-large`: the real command line on large models, step by step.

For each model and visibility it runs `zkinfer compile`, `setup`, `prove` and
`verify` as separate processes (each under a time and memory limit) and
records wall time, CPU time and peak memory of each, the in-process times the
commands print, proof and proving-key sizes; and once per model the plain
float inference of the same ONNX file with onnxruntime-node on as many
threads as the prover uses (all cores). Prints a progress line per step, then
the table; writes it to docs/performance.md and every figure to
BUILD/bench-large/results.json. A step that runs out of memory or time gives
a row saying so; the run goes on.

Usage: bench/large/bench_large.py [--build DIR] [--only NAME,...] [--timeout S]
       [--mem-gb G] [--doc PATH | --no-doc] [--no-light] [--keep]
The models are made first by bench/models/make_models.py (in BUILD/bench-models).
"""
import argparse
import json
import os
import re
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report  # noqa: E402
import run_step  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VIS = {
    "zk": "input=private,weights=committed,output=public",
    "public": "input=public,weights=public,output=public",
}
# (name, source, visibilities): source "gen" is made by make_models.py,
# "lenet" the demo model, "light" a ../shared model-zoo architecture (compile only).
PLAN = [
    ("lenet", "lenet", ["zk", "public"]),
    ("cnn_264k", "gen", ["zk", "public"]),
    ("mlp_1m", "gen", ["zk"]),
    ("mlp_4m_dp", "gen", ["zk", "public"]),
    ("mlp_4m", "gen", ["zk"]),
    ("mlp_16m", "gen", ["zk"]),
    ("resnet18_cifar", "gen", ["zk"]),
    ("vgg16_cifar", "gen", ["zk", "public"]),
    ("mlp_64m", "gen", ["zk"]),
    ("light_resnet50", "light", ["zk"]),
    ("light_vgg19", "light", ["zk"]),
]


def model_files(name, source, build):
    """onnx, calibration, input, params, description for a model."""
    if source == "lenet":
        d = os.path.join(ROOT, "examples", "lenet")
        return (os.path.join(d, "lenet.onnx"), os.path.join(d, "calibration.json"),
                os.path.join(d, "input.json"), 61706, "LeNet-5 (the demo, Fashion-MNIST)")
    if source.startswith("light"):
        path = os.path.join(ROOT, "..", "shared", "models", "onnx", "light", name + ".onnx")
        if source == "light-path":
            return path, None, None, 0, ""
        desc = {"light_resnet50": "ResNet-50 ImageNet (ONNX model zoo, light)",
                "light_vgg19": "VGG-19 ImageNet (ONNX model zoo, light)"}[name]
        return path, None, None, onnx_params(path), desc
    d = os.path.join(build, "bench-models")
    with open(os.path.join(d, name + ".meta.json")) as f:
        meta = json.load(f)
    return (os.path.join(d, name + ".onnx"), os.path.join(d, name + ".calibration.json"),
            os.path.join(d, name + ".input.json"), meta["params"], meta["description"])


def onnx_params(path):
    """Float weights of an ONNX file: its float initializers and the
    ConstantOfShape tensors (what the light models hold instead)."""
    import numpy as np
    import onnx
    from onnx import numpy_helper

    m = onnx.load(path)
    known = {i.name: numpy_helper.to_array(i) for i in m.graph.initializer}
    for nd in m.graph.node:
        if nd.op_type == "Constant":
            known.update({nd.output[0]: numpy_helper.to_array(at.t)
                          for at in nd.attribute if at.name == "value"})
    n = sum(int(v.size) for v in known.values() if v.dtype.kind == "f")
    for nd in m.graph.node:
        if nd.op_type == "ConstantOfShape" and nd.input[0] in known:
            n += int(np.prod(known[nd.input[0]]))
    return n


class Bench:
    def __init__(self, args):
        self.a = args
        self.exe = os.path.join(args.build, "zkinfer")
        self.work = os.path.join(args.build, "bench-large")
        self.mem = int(args.mem_gb * (1 << 30))
        self.rows = []
        self.inference = {}
        self.n_steps = 0
        self.total_steps = 0

    def progress(self, what, st=None, extra=""):
        if st is None:
            print(f"[{self.n_steps + 1}/{self.total_steps}] {what} ...", end="", flush=True)
            return
        self.n_steps += 1
        fig = (f" {st.wall_s:.2f} s, {report.gb(st.peak_bytes)} peak, "
               f"CPU/wall {st.cpu_per_wall():.2f}")
        msg = fig if st.ok else f" {st.status.upper()} after {st.wall_s:.1f} s ({st.reason()})"
        print(msg + extra, flush=True)

    def step(self, tag, name, cmd, timeout=None):
        self.progress(f"{tag} {name}")
        st = run_step.run(cmd, os.path.join(self.dir, name), timeout or self.a.timeout, self.mem)
        self.progress("", st)
        return st

    def run_config(self, model, source, vis):
        if source == "light" and not os.path.exists(model_files(model, "light-path", "")[0]):
            print(f"skipping {model}: ../shared/models is absent", flush=True)
            return
        onnx, cal, inp, params, desc = model_files(model, source, self.a.build)
        row = {"model": model, "desc": desc, "params": params, "vis": vis, "visibility": VIS[vis],
               "source": source, "steps": {}, "note": ""}
        self.rows.append(row)
        self.dir = os.path.join(self.work, f"{model}-{vis}")
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        tag = f"{model} ({vis})"
        zkc, pk, vk, proof = (os.path.join(self.dir, f) for f in ("m.zkc", "m.pk", "m.vk", "p.bin"))
        cmd = [self.exe, "compile", onnx, "-o", zkc, "--visibility", VIS[vis]]
        if cal:
            cmd += ["--calibration", cal]
        light = source == "light"
        if not self.record(row, "compile", self.step(tag, "compile", cmd,
                                                     self.a.light_timeout if light else None)):
            return
        row["circuit"] = parse_compile(row["steps"]["compile"]["stdout"])
        ins = run_step.run([self.exe, "inspect", zkc, "--json"], os.path.join(self.dir, "inspect"),
                           300)
        try:
            c = json.loads(ins.stdout)["circuit"]
            row["circuit"].update(weights=c["weights"], witness=c["witness"])
            row["estimate"] = c["estimate"]
        except (ValueError, KeyError):
            pass
        if light:
            os.remove(zkc)
            row["note"] = ("compile only: far too large to set up and prove on this machine "
                           "today (see the circuit size)")
            return
        if not self.record(row, "setup", self.step(tag, "setup",
                                                   [self.exe, "setup", zkc, "--pk", pk, "--vk", vk])):
            return
        row["pk_bytes"], row["vk_bytes"] = os.path.getsize(pk), os.path.getsize(vk)
        os.remove(zkc)
        st = self.step(tag, "prove", [self.exe, "prove", "--pk", pk, "--input", inp, "--proof", proof])
        ok = self.record(row, "prove", st)
        if not self.a.keep:
            os.remove(pk)
        if not ok:
            return
        row["proof_bytes"] = os.path.getsize(proof)
        cmd = [self.exe, "verify", "--vk", vk, "--proof", proof]
        if VIS[vis].startswith("input=public"):
            cmd += ["--input", inp]
        self.record(row, "verify", self.step(tag, "verify", cmd))

    def record(self, row, step, st):
        ms = parse_ms(step, st.stdout)
        row["steps"][step] = {"status": st.status, "reason": st.reason(), "wall_s": st.wall_s,
                              "cpu_s": st.cpu_s, "peak_bytes": st.peak_bytes,
                              "in_process_ms": ms, "stdout": st.stdout[-2000:]}
        if st.status == "failed":
            row["note"] = f"failed at {step}: {st.reason()}"
        elif st.status == "out of memory":
            row["note"] = (f"out of memory at {step} after {st.wall_s:.0f} s, "
                           f"{report.gb(st.peak_bytes)} resident (limit: {self.a.mem_gb:g} GB "
                           "of address space per step)")
        elif st.status == "timed out":
            row["note"] = f"timed out at {step} (limit {st.wall_s:.0f} s per step)"
        return st.ok

    def run_inference(self, model, source):
        onnx, _, inp, _, _ = model_files(model, source, self.a.build)
        self.progress(f"inference {model} (onnxruntime, {os.cpu_count()} threads)")
        node = shutil.which("node") or "node"
        script = os.path.join(ROOT, "scripts", "reference", "ort_time.js")
        log = os.path.join(self.work, f"{model}-ort")
        st = run_step.run([node, script, onnx, inp, str(os.cpu_count()), "1"], log, 300)
        res = None
        if st.ok:
            try:
                res = json.loads(st.stdout.strip().splitlines()[-1])
            except (ValueError, IndexError):
                st.status = "failed"
        extra = f" -> median {res['median_ms']:.3f} ms over {res['runs']} runs" if res else ""
        self.progress("", st, extra)
        self.inference[model] = res or {"error": st.reason()}


def parse_ms(step, text):
    pat = {"compile": r"wrote .* in ([0-9.]+) ms", "setup": r"wrote .* in ([0-9.]+) ms",
           "prove": r"proved in ([0-9.]+) ms", "verify": r"ACCEPTED in ([0-9.]+) ms"}[step]
    m = re.search(pat, text)
    return float(m.group(1)) if m else None


def parse_compile(text):
    m = re.search(r"(\d+) ops -> (\d+) circuit nodes, (\d+) weights", text)
    return {"onnx_ops": int(m.group(1)), "nodes": int(m.group(2)),
            "weights_padded": int(m.group(3))} if m else {}


def default_mem_gb():
    """14 GB (VGG-16's setup holds 7.7 GB; the 64M MLP's needs more), or 3/4 of
    a smaller machine's memory, so that the limit, not the OOM killer, stops
    a step."""
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / (1 << 30)
    return round(min(14.0, 0.75 * total), 1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--only", default="", help="comma-separated model names")
    ap.add_argument("--timeout", type=int, default=900, help="seconds per step")
    ap.add_argument("--light-timeout", type=int, default=600, help="seconds per light compile")
    ap.add_argument("--mem-gb", type=float, default=default_mem_gb(),
                    help="address-space limit per step (default: 14, or 3/4 of the memory)")
    ap.add_argument("--doc", default=os.path.join(ROOT, "docs", "performance.md"))
    ap.add_argument("--no-doc", action="store_true")
    ap.add_argument("--no-light", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep proving keys")
    ap.add_argument("--label", default="", help="a sentence for the document (e.g. the load)")
    a = ap.parse_args()
    only = [n for n in a.only.split(",") if n]
    plan = [p for p in PLAN if (not only or p[0] in only) and not (a.no_light and p[1] == "light")]
    b = Bench(a)
    os.makedirs(b.work, exist_ok=True)
    machine = report.machine(a.build)
    machine["label"] = a.label
    print(report.machine_line(machine), flush=True)
    b.total_steps = sum((1 if s == "light" else 4) * len(v) + (s != "light") for _, s, v in plan)
    started = time.time()
    for model, source, vises in plan:
        if source != "light":
            b.run_inference(model, source)
        for vis in vises:
            b.run_config(model, source, vis)
    machine["load_after"] = os.getloadavg()
    machine["minutes"] = (time.time() - started) / 60
    results = {"machine": machine, "rows": b.rows, "inference": b.inference,
               "limits": {"timeout_s": a.timeout, "mem_gb": a.mem_gb}}
    with open(os.path.join(b.work, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    text = report.markdown(results)
    print(f"\ndone: {b.n_steps} steps in {machine['minutes']:.1f} minutes (a configuration's "
          "steps after a failed one are skipped)")
    print("\n" + report.table(results))
    if not a.no_doc and not only:
        with open(a.doc, "w") as f:
            f.write(text)
        print(f"wrote {a.doc}")
    elif not a.no_doc:
        print("(a partial run (--only) does not rewrite the document)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
