#!/usr/bin/env python3
"""Train a 3-layer MLP (~1.07M parameters) on Fashion-MNIST and export it to ONNX.

Outputs (next to this script):
  mlp.onnx          opset 13, input "input" [1,1,28,28] (pixel/255), output "logits" [1,10]
  input.json        {"input_data": [[784 floats of test image 0]], "label": int}
  calibration.json  {"input_data": [[32 training images, flattened and concatenated]]}

The exported graph uses only Flatten, Gemm and Relu.
Run with Debian's python (torch + onnx): /usr/bin/python3 examples/mlp/train.py
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "common"))
from onnx_check import accuracy, load_fashion_mnist, round6, train_epochs, verify_onnx  # noqa: E402

SEED = 0
EPOCHS = 1
BATCH = 64
LR = 1e-3
N_CALIB = 32
ALLOWED_OPS = {"Flatten", "Gemm", "Relu"}


# ---------------------------------------------------------------- model
def make_mlp():
    return nn.Sequential(
        nn.Flatten(),
        nn.Linear(784, 1024), nn.ReLU(),
        nn.Linear(1024, 256), nn.ReLU(),
        nn.Linear(256, 10),
    )


# ---------------------------------------------------------------- main
def main():
    torch.set_num_threads(1)
    torch.manual_seed(SEED)
    np.random.seed(SEED)

    x_train, y_train = load_fashion_mnist("train")
    x_test, y_test = load_fashion_mnist("t10k")
    print(f"train {x_train.shape}, test {x_test.shape}")

    model = make_mlp()
    n_params = sum(p.numel() for p in model.parameters())
    print(f"MLP parameters: {n_params}")
    train_epochs(model, x_train, y_train, EPOCHS, BATCH, LR, SEED)
    model.eval()
    print(f"float test accuracy (10000): {accuracy(model, x_test, y_test):.4f}")
    print(f"float test accuracy (first 1000): {accuracy(model, x_test[:1000], y_test[:1000]):.4f}")

    onnx_path = os.path.join(HERE, "mlp.onnx")
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
    verify_onnx(onnx_path, model, [("input.json", sample_arr)], ALLOWED_OPS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
