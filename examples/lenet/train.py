#!/usr/bin/env python3
"""Train a LeNet-5-style CNN on Fashion-MNIST and export it to ONNX.

Outputs (next to this script):
  lenet.onnx        opset 13, input "input" [1,1,28,28] (pixel/255), output "logits" [1,10]
  input.json        {"input_data": [[784 floats of test image 0]], "label": int}
  calibration.json  {"input_data": [[32 training images, flattened and concatenated]]}

The exported graph uses only Conv, Relu, MaxPool, Flatten and Gemm.
Run with Debian's python (torch + onnx): /usr/bin/python3 examples/lenet/train.py
"""
import gzip
import json
import os
import sys
import time

import numpy as np
import onnx
import torch
import torch.nn as nn
from onnx import numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
DATA_DIR = os.environ.get("FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist")
SEED = 0
EPOCHS = 3
BATCH = 32
LR = 1e-3
N_CALIB = 32
ALLOWED_OPS = {"Conv", "Relu", "MaxPool", "Flatten", "Gemm"}


# ---------------------------------------------------------------- data
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


def load_split(prefix):
    x = load_images(os.path.join(DATA_DIR, f"{prefix}-images-idx3-ubyte.gz"))
    y = load_labels(os.path.join(DATA_DIR, f"{prefix}-labels-idx1-ubyte.gz"))
    return x.astype(np.float32) / 255.0, y


def round6(values):
    """Round floats to 6 significant digits (keeps the JSON files small)."""
    return [float(f"{float(v):.6g}") for v in np.asarray(values).reshape(-1)]


# ---------------------------------------------------------------- model
class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),   # 6x14x14
            nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),             # 16x5x5
        )
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(400, 120), nn.ReLU(),
            nn.Linear(120, 84), nn.ReLU(),
            nn.Linear(84, 10),
        )

    def forward(self, x):
        return self.classifier(self.features(x))


@torch.no_grad()
def accuracy(model, x, y, batch=1000):
    model.eval()
    correct = 0
    for i in range(0, len(x), batch):
        pred = model(torch.from_numpy(x[i:i + batch])).argmax(1).numpy()
        correct += int((pred == y[i:i + batch]).sum())
    return correct / len(x)


def train(model, x, y):
    g = torch.Generator().manual_seed(SEED)
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    loss_fn = nn.CrossEntropyLoss()
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    for epoch in range(EPOCHS):
        model.train()
        t0, total = time.time(), 0.0
        perm = torch.randperm(len(xt), generator=g)
        for i in range(0, len(xt), BATCH):
            idx = perm[i:i + BATCH]
            opt.zero_grad()
            loss = loss_fn(model(xt[idx]), yt[idx])
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        print(f"epoch {epoch + 1}/{EPOCHS}: loss {total / len(xt):.4f} ({time.time() - t0:.1f}s)")


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


def verify_onnx(path, torch_model, sample, allowed_ops):
    m = onnx.load(path)
    onnx.checker.check_model(m)
    ops = sorted({n.op_type for n in m.graph.node})
    counts = {op: sum(n.op_type == op for n in m.graph.node) for op in ops}
    print(f"{os.path.basename(path)}: onnx.checker OK; ops {counts}")
    bad = set(ops) - allowed_ops
    assert not bad, f"unexpected ONNX ops: {bad}"
    dims = [d.dim_value for d in m.graph.input[0].type.tensor_type.shape.dim]
    print(f"  input {m.graph.input[0].name} {dims} -> output {m.graph.output[0].name}")
    with torch.no_grad():
        ref = torch_model(torch.from_numpy(sample)).numpy()
    got = run_onnx_numpy(m, {m.graph.input[0].name: sample})[0]
    err = float(np.abs(got - ref).max())
    print(f"  numpy-evaluated ONNX vs torch on input.json: max |diff| = {err:.2e}, "
          f"argmax {int(got.argmax())} vs {int(ref.argmax())}")
    assert err < 1e-4 and got.argmax() == ref.argmax()
    return ops


# ---------------------------------------------------------------- main
def main():
    torch.set_num_threads(1)
    torch.manual_seed(SEED)
    np.random.seed(SEED)

    x_train, y_train = load_split("train")
    x_test, y_test = load_split("t10k")
    print(f"train {x_train.shape}, test {x_test.shape}")

    model = LeNet5()
    n_params = sum(p.numel() for p in model.parameters())
    print(f"LeNet-5 parameters: {n_params}")
    train(model, x_train, y_train)
    model.eval()
    print(f"float test accuracy (10000): {accuracy(model, x_test, y_test):.4f}")
    print(f"float test accuracy (first 1000): {accuracy(model, x_test[:1000], y_test[:1000]):.4f}")

    onnx_path = os.path.join(HERE, "lenet.onnx")
    torch.onnx.export(model, torch.zeros(1, 1, 28, 28), onnx_path, opset_version=13,
                      input_names=["input"], output_names=["logits"],
                      do_constant_folding=True, export_params=True)

    sample = round6(x_test[0])
    with open(os.path.join(HERE, "input.json"), "w") as f:
        json.dump({"input_data": [sample], "label": int(y_test[0])}, f)
    with open(os.path.join(HERE, "calibration.json"), "w") as f:
        json.dump({"input_data": [round6(x_train[:N_CALIB])]}, f)
    print(f"test image 0 label: {int(y_test[0])}")

    sample_arr = np.asarray(sample, np.float32).reshape(1, 1, 28, 28)
    verify_onnx(onnx_path, model, sample_arr, ALLOWED_OPS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
