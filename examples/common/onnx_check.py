"""Code shared by the example training scripts (examples/*/train.py).

  round6                 float rounding used for the JSON files
  load_fashion_mnist     Fashion-MNIST idx (.gz) reader
  accuracy, train_epochs minibatch evaluation / Adam training used by lenet and mlp
  run_onnx_numpy         tiny float64 numpy evaluator of an ONNX graph (checking only)
  verify_onnx            onnx.checker + op whitelist + numpy-evaluated ONNX vs torch

A script imports it after putting this folder on sys.path:
    sys.path.insert(0, os.path.join(os.path.dirname(HERE), "common"))
so `/usr/bin/python3 examples/<name>/train.py` works from any working directory.
"""
import gzip
import os
import time

import numpy as np
import onnx
import torch
import torch.nn as nn
from onnx import numpy_helper

FASHION_MNIST_DIR = os.environ.get("FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist")


def round6(values):
    """Round floats to 6 significant digits (keeps the JSON files small)."""
    return [float(f"{float(v):.6g}") for v in np.asarray(values).reshape(-1)]


# ---------------------------------------------------------------- Fashion-MNIST
def load_images(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    assert int.from_bytes(raw[0:4], "big") == 2051, path
    n, rows, cols = (int.from_bytes(raw[i:i + 4], "big") for i in (4, 8, 12))
    return np.frombuffer(raw, np.uint8, offset=16).reshape(n, 1, rows, cols)


def load_labels(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    assert int.from_bytes(raw[0:4], "big") == 2049, path
    return np.frombuffer(raw, np.uint8, offset=8).astype(np.int64)


def load_fashion_mnist(prefix, data_dir=FASHION_MNIST_DIR):
    """prefix "train" or "t10k": float32 images [n,1,28,28] (pixel/255), int64 labels [n]."""
    x = load_images(os.path.join(data_dir, f"{prefix}-images-idx3-ubyte.gz"))
    y = load_labels(os.path.join(data_dir, f"{prefix}-labels-idx1-ubyte.gz"))
    return x.astype(np.float32) / 255.0, y


# ---------------------------------------------------------------- minibatch training (lenet, mlp)
@torch.no_grad()
def accuracy(model, x, y, batch=1000):
    model.eval()
    correct = 0
    for i in range(0, len(x), batch):
        pred = model(torch.from_numpy(x[i:i + batch])).argmax(1).numpy()
        correct += int((pred == y[i:i + batch]).sum())
    return correct / len(x)


def train_epochs(model, x, y, epochs, batch, lr, seed):
    """Adam + cross-entropy, a fresh seeded permutation per epoch."""
    g = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    for epoch in range(epochs):
        model.train()
        t0, total = time.time(), 0.0
        perm = torch.randperm(len(xt), generator=g)
        for i in range(0, len(xt), batch):
            idx = perm[i:i + batch]
            opt.zero_grad()
            loss = loss_fn(model(xt[idx]), yt[idx])
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        print(f"epoch {epoch + 1}/{epochs}: loss {total / len(xt):.4f} ({time.time() - t0:.1f}s)")


# ---------------------------------------------------------------- tiny numpy ONNX evaluator (for checking only)
def _conv2d(x, w, b, pads, strides, dil, group):
    assert group == 1 and tuple(dil) == (1, 1)
    x = np.pad(x, ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])))
    n, c, h, wd = x.shape
    m, _, kh, kw = w.shape
    oh, ow = (h - kh) // strides[0] + 1, (wd - kw) // strides[1] + 1
    out = np.zeros((n, m, oh, ow), np.float64)
    for i in range(kh):
        for j in range(kw):
            patch = x[:, :, i:i + strides[0] * oh:strides[0], j:j + strides[1] * ow:strides[1]]
            out += np.einsum("nchw,mc->nmhw", patch, w[:, :, i, j])
    return out + (0 if b is None else b.reshape(1, -1, 1, 1))


def _maxpool(x, k, s, pads):
    assert not any(pads)
    n, c, h, w = x.shape
    oh, ow = (h - k[0]) // s[0] + 1, (w - k[1]) // s[1] + 1
    out = np.full((n, c, oh, ow), -np.inf)
    for i in range(k[0]):
        for j in range(k[1]):
            out = np.maximum(out, x[:, :, i:i + s[0] * oh:s[0], j:j + s[1] * ow:s[1]])
    return out


def run_onnx_numpy(model, feeds):
    """Evaluate an ONNX graph of Conv/Relu/MaxPool/Flatten/Reshape/Gemm nodes in float64."""
    env = {t.name: numpy_helper.to_array(t).astype(np.float64) for t in model.graph.initializer}
    env.update({k: v.astype(np.float64) for k, v in feeds.items()})
    for node in model.graph.node:
        a = {x.name: onnx.helper.get_attribute_value(x) for x in node.attribute}
        ins = [env[i] if i else None for i in node.input]
        op = node.op_type
        if op == "Conv":
            ks = ins[1].shape[2:]
            y = _conv2d(ins[0], ins[1], ins[2] if len(ins) > 2 else None,
                        a.get("pads", [0] * 4), a.get("strides", [1, 1]),
                        a.get("dilations", [1, 1]), a.get("group", 1))
            assert list(a.get("kernel_shape", ks)) == list(ks)
        elif op == "Relu":
            y = np.maximum(ins[0], 0)
        elif op == "MaxPool":
            assert a.get("ceil_mode", 0) == 0 and a.get("dilations", [1, 1]) == [1, 1]
            y = _maxpool(ins[0], a["kernel_shape"], a.get("strides", [1, 1]), a.get("pads", [0] * 4))
        elif op == "Flatten":
            ax = a.get("axis", 1)
            y = ins[0].reshape(int(np.prod(ins[0].shape[:ax])), -1)
        elif op == "Reshape":
            y = ins[0].reshape([d if d != 0 else ins[0].shape[k] for k, d in enumerate(ins[1].astype(np.int64))])
        elif op == "Gemm":
            A = ins[0].T if a.get("transA", 0) else ins[0]
            B = ins[1].T if a.get("transB", 0) else ins[1]
            y = a.get("alpha", 1.0) * (A @ B)
            if len(ins) > 2 and ins[2] is not None:
                y = y + a.get("beta", 1.0) * ins[2]
        else:
            raise NotImplementedError(op)
        env[node.output[0]] = y
    return [env[o.name] for o in model.graph.output]


def verify_onnx(path, torch_model, samples, allowed_ops, tol=1e-4, expect_io=None, show_logits=False):
    """Check the exported model at `path` and return its sorted op types.

    onnx.checker, only `allowed_ops`, and for each (name, float32 array) in `samples`
    the numpy-evaluated ONNX output within `tol` of torch with the same argmax.
    expect_io = (input name, input dims, output name, output dims): asserted (and the
    output dims printed) when given.  show_logits prints the ONNX logits per sample.
    """
    m = onnx.load(path)
    onnx.checker.check_model(m)
    ops = sorted({n.op_type for n in m.graph.node})
    counts = {op: sum(n.op_type == op for n in m.graph.node) for op in ops}
    print(f"{os.path.basename(path)}: onnx.checker OK; ops {counts}")
    bad = set(ops) - allowed_ops
    assert not bad, f"unexpected ONNX ops: {bad}"

    def dims(v):
        return [d.dim_value for d in v.type.tensor_type.shape.dim]
    i0, o0 = m.graph.input[0], m.graph.output[0]
    if expect_io is None:
        print(f"  input {i0.name} {dims(i0)} -> output {o0.name}")
    else:
        print(f"  input {i0.name} {dims(i0)} -> output {o0.name} {dims(o0)}")
        assert (i0.name, dims(i0), o0.name, dims(o0)) == tuple(expect_io)
    for name, sample in samples:
        with torch.no_grad():
            ref = torch_model(torch.from_numpy(sample)).numpy()
        got = run_onnx_numpy(m, {i0.name: sample})[0]
        err = float(np.abs(got - ref).max())
        logits = f"logits {np.round(got.ravel(), 5).tolist()}, " if show_logits else ""
        print(f"  numpy-evaluated ONNX vs torch on {name}: {logits}max |diff| = {err:.2e}, "
              f"argmax {int(got.argmax())} vs {int(ref.argmax())}")
        assert err < tol and got.argmax() == ref.argmax()
    return ops
