#!/usr/bin/env python3
"""Train a small MLP on scikit-learn's breast-cancer data and export it to ONNX.

The data set (Wisconsin Diagnostic Breast Cancer, 569 patients, 30 real-valued
features computed from a fine-needle-aspirate image) ships inside scikit-learn:
sklearn.datasets.load_breast_cancer() reads it from the package, no download.

The network is trained on standardized features, then the standardization
(x - mean) / std of the training split is folded into the first Gemm, so the
exported model takes the 30 raw clinical features in sklearn's feature order.

Outputs (next to this script):
  model.onnx         opset 13, input "input" [1,30] (raw features), output "logits" [1,2]
                     (index 0 = malignant, 1 = benign, as sklearn's target)
  input.json         {"input_data": [[30 floats]], "label": 0, "label_name": "malignant"}
                     (the first malignant patient of the test split)
  input_benign.json  same for the first benign patient of the test split
  calibration.json   {"input_data": [[first 64 training rows, concatenated (64*30 floats)]]}

The exported graph uses only Gemm and Relu.
Run with Debian's python (torch + onnx + sklearn): /usr/bin/python3 examples/breast_cancer/train.py
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "common"))
from onnx_check import round6, verify_onnx  # noqa: E402

SEED = 0
STEPS = 300
LR = 3e-3
WEIGHT_DECAY = 1e-2   # L2 (Adam weight_decay): keeps the logits moderate
N_CALIB = 64
ALLOWED_OPS = {"Gemm", "Relu"}
LABEL_NAMES = ["malignant", "benign"]   # sklearn's target_names


def make_model():
    return nn.Sequential(
        nn.Linear(30, 16), nn.ReLU(),
        nn.Linear(16, 8), nn.ReLU(),
        nn.Linear(8, 2),
    )


@torch.no_grad()
def accuracy(model, x, y):
    model.eval()
    pred = model(torch.from_numpy(x)).argmax(1).numpy()
    return float((pred == y).mean())


def train(model, x, y):
    opt = torch.optim.Adam(model.parameters(), lr=LR, weight_decay=WEIGHT_DECAY)
    loss_fn = nn.CrossEntropyLoss()
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    model.train()
    for step in range(STEPS):
        opt.zero_grad()
        loss = loss_fn(model(xt), yt)
        loss.backward()
        opt.step()
        if step == 0 or (step + 1) % 100 == 0:
            print(f"step {step + 1}/{STEPS}: loss {loss.item():.4f}")


@torch.no_grad()
def fold_standardization(model, mean, std):
    """Return a copy of `model` taking raw x, equal to model((x - mean) / std).

    W (x - m) / s + b = (W / s) x + (b - (W / s) m), computed in float64.
    """
    folded = make_model()
    folded.load_state_dict(model.state_dict())
    first = folded[0]
    w = first.weight.double().numpy()
    b = first.bias.double().numpy()
    w_raw = w / std[None, :]
    b_raw = b - w_raw @ mean
    first.weight.copy_(torch.from_numpy(w_raw))
    first.bias.copy_(torch.from_numpy(b_raw))
    folded.eval()
    return folded


@torch.no_grad()
def activation_report(model, x):
    """Max |value| of the input and of every layer's output over the rows of x."""
    h = torch.from_numpy(x)
    rows = [("input (raw features)", float(h.abs().max()))]
    for i, layer in enumerate(model):
        h = layer(h)
        name = f"{i}: {type(layer).__name__}"
        if isinstance(layer, nn.Linear):
            name += f"({layer.in_features}->{layer.out_features})"
        rows.append((name, float(h.abs().max())))
    return rows


# ---------------------------------------------------------------- main
def main():
    torch.set_num_threads(1)
    torch.manual_seed(SEED)
    np.random.seed(SEED)

    data = load_breast_cancer()
    assert list(data.target_names) == LABEL_NAMES
    x = data.data.astype(np.float64)
    y = data.target.astype(np.int64)
    x_train, x_test, y_train, y_test, i_train, i_test = train_test_split(
        x, y, np.arange(len(y)), test_size=0.2, stratify=y, random_state=SEED)
    print(f"train {x_train.shape} ({int((y_train == 0).sum())} malignant), "
          f"test {x_test.shape} ({int((y_test == 0).sum())} malignant)")

    mean = x_train.mean(0)
    std = x_train.std(0)
    z_train = ((x_train - mean) / std).astype(np.float32)
    z_test = ((x_test - mean) / std).astype(np.float32)

    model = make_model()
    print(f"MLP parameters: {sum(p.numel() for p in model.parameters())}")
    train(model, z_train, y_train)
    model.eval()
    print(f"standardized-input model: train accuracy {accuracy(model, z_train, y_train):.4f}, "
          f"test accuracy {accuracy(model, z_test, y_test):.4f}")

    folded = fold_standardization(model, mean, std)
    xr_train, xr_test = x_train.astype(np.float32), x_test.astype(np.float32)
    train_acc, test_acc = accuracy(folded, xr_train, y_train), accuracy(folded, xr_test, y_test)
    print(f"folded raw-input model:   train accuracy {train_acc:.4f} "
          f"({int(round(train_acc * len(y_train)))}/{len(y_train)}), test accuracy {test_acc:.4f} "
          f"({int(round(test_acc * len(y_test)))}/{len(y_test)})")
    with torch.no_grad():
        fold_err = float((folded(torch.from_numpy(xr_train)) - model(torch.from_numpy(z_train))).abs().max())
    print(f"folding: max |logit diff| on the training set = {fold_err:.2e}")
    assert fold_err < 1e-3

    print("max |activation| over the training set (folded model, raw input):")
    for name, v in activation_report(folded, xr_train):
        print(f"  {name:28s} {v:.4g}")
    w1 = folded[0].weight.detach().numpy()
    print(f"first Gemm (folded): max |W| {np.abs(w1).max():.4g}, min |W| {np.abs(w1).min():.3g}, "
          f"max |b| {np.abs(folded[0].bias.detach().numpy()).max():.4g}")
    print("raw feature ranges (training set):")
    for name, lo, hi in zip(data.feature_names, x_train.min(0), x_train.max(0)):
        print(f"  {name:24s} [{lo:.4g}, {hi:.4g}]")

    onnx_path = os.path.join(HERE, "model.onnx")
    torch.onnx.export(folded, torch.zeros(1, 30), onnx_path, opset_version=13,
                      input_names=["input"], output_names=["logits"],
                      do_constant_folding=True, export_params=True)

    samples = []
    for fname, label in (("input.json", 0), ("input_benign.json", 1)):
        idx = int(np.flatnonzero(y_test == label)[0])
        row = round6(x_test[idx])
        with open(os.path.join(HERE, fname), "w") as f:
            json.dump({"input_data": [row], "label": label, "label_name": LABEL_NAMES[label]}, f)
        print(f"{fname}: test-split row {idx} (data set row {int(i_test[idx])}), "
              f"label {label} ({LABEL_NAMES[label]})")
        samples.append((fname, np.asarray(row, np.float32).reshape(1, 30)))
    with open(os.path.join(HERE, "calibration.json"), "w") as f:
        json.dump({"input_data": [round6(x_train[:N_CALIB])]}, f)

    verify_onnx(onnx_path, folded, samples, ALLOWED_OPS, tol=1e-5,
                expect_io=("input", [1, 30], "logits", [1, 2]), show_logits=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
