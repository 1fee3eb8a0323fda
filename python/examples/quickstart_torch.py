"""Quickstart: your own PyTorch model, proven from Python.

Trains a small classifier on scikit-learn's bundled digits (8x8 images),
compiles it straight from the torch.nn.Module, proves one prediction with the
image kept private, and verifies it. Needs Debian's python3-torch and
python3-sklearn. Run: python3 python/examples/quickstart_torch.py
"""
import numpy as np
import torch
from sklearn.datasets import load_digits

import zkinfer

# 1. A model (here trained in a second on the digits data set).
X, y = load_digits(return_X_y=True)
X = torch.tensor(X / 16.0, dtype=torch.float32).reshape(-1, 1, 8, 8)
y = torch.tensor(y)
torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Conv2d(1, 8, 3, padding=1), torch.nn.ReLU(),
                            torch.nn.MaxPool2d(2), torch.nn.Flatten(), torch.nn.Linear(128, 10))
opt = torch.optim.Adam(model.parameters(), lr=0.01)
for _ in range(60):
    opt.zero_grad()
    torch.nn.functional.cross_entropy(model(X[:1500]), y[:1500]).backward()
    opt.step()

# 2. Compile: calibrate on training images; the input stays private by default.
circuit = zkinfer.compile(model, calibration=X[:64], example_input=X[:1])
report = zkinfer.evaluate(model, X[1500:1600], labels=y[1500:1600], example_input=X[:1])
print(f"float accuracy {report.float_accuracy:.2f}, quantized {report.quantized_accuracy:.2f}, "
      f"argmax agreement {report.argmax_agreement:.2f}, max error {report.max_abs_error:.4f}")

# 3. Setup, prove, verify.
pk, vk = circuit.setup()
proof, outputs = pk.prove(X[1500])
verified = vk.verify(proof)
print(f"proven digit {verified.outputs[0].argmax()} (label {int(y[1500])}), "
      f"proof {len(proof)} bytes, hidden: {verified.hidden}")
assert report.argmax_agreement >= 0.95
