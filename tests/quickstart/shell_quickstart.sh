#!/usr/bin/env bash
# The README's shell quickstart, as written: a torch model exported to ONNX,
# numpy inputs, inspect, compile, setup, prove, verify --json; the proven
# output must be torch's within the quantization error.
# Usage: tests/quickstart/shell_quickstart.sh path/to/zkinfer   (exit 77: skipped)
set -euo pipefail
Z=$(realpath "$1")
if ! /usr/bin/python3 -c "import torch, numpy" 2>/dev/null; then
  echo "skipped: Debian's python3-torch is not installed"; exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
/usr/bin/python3 - <<'PY'
import numpy as np, torch
torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3, padding=1), torch.nn.ReLU(),
                            torch.nn.Flatten(), torch.nn.Linear(4 * 8 * 8, 10))
train = torch.rand(64, 1, 8, 8)
x = train[:1]
torch.onnx.export(model, x, "model.onnx")
np.save("x.npy", x.numpy()); np.save("cal.npy", train.numpy())
np.save("expected.npy", model(x).detach().numpy().reshape(10))
PY
"$Z" inspect model.onnx | grep -q "0 unsupported"
"$Z" compile model.onnx -o model.zkc --calibration cal.npy | grep -q "expected on 2 cores"
"$Z" setup model.zkc --pk model.pk --vk model.vk > /dev/null
"$Z" prove --pk model.pk --input x.npy --proof proof.bin > /dev/null
"$Z" verify --vk model.vk --proof proof.bin --json > verdict.json
/usr/bin/python3 - <<'PY'
import json, numpy as np
v = json.load(open("verdict.json"))
assert v["accepted"], v
got = np.asarray(v["outputs"][0]["values"])
want = np.load("expected.npy")
assert np.abs(got - want).max() < 0.01, (got, want)
print("README shell quickstart: proven output matches torch")
PY
echo "1 passed, 0 failed"
