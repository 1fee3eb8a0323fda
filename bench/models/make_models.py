#!/usr/bin/python3
"""Benchmark models for `make bench-large`: random weights, fixed seeds, ONNX.

Usage (Debian's python3 with python3-torch and python3-onnx):
  /usr/bin/python3 bench/models/make_models.py OUT_DIR [--only NAME,...] [--list] [--check]

For each model NAME it writes, only when one of them is missing or was made by
another version of this script:
  OUT_DIR/NAME.onnx              opset 13, input "input" (batch 1), output "logits"
  OUT_DIR/NAME.input.json        {"input_data": [[one random input]]}
  OUT_DIR/NAME.calibration.json  {"input_data": [[N_CALIB random inputs, concatenated]]}
  OUT_DIR/NAME.meta.json         {"params": ..., "description": ..., "input_shape": ...}
Every model is made from its own fixed seed, so a run reproduces the same
files (weights and inputs). The inputs are standard normal (what a
normalized image looks like); the weights use Kaiming-normal initialization so
that activations keep their magnitude through the depth of VGG and ResNet.

--list prints the models with their parameter counts; --check builds each
model in memory (no files) and checks that its parameter count is the one
declared below (the formula of its architecture), exit 1 otherwise.

The architectures:
  vgg16_cifar   zkCNN's VGG-16 for CIFAR-10 (TAMUCrypto/zkCNN src/models.cpp):
                13 3x3 convs 64,64,M,128,128,M,256x3,M,512x3,M,512x3,M, then
                FC 512-512-10 (ReLU between); no batch norm.
  resnet18_cifar ResNet-18 for CIFAR-10 (3x3 stem, no max pool, basic blocks
                [2,2,2,2] at 64/128/256/512, batch norm, global average pool, FC 10).
  cnn_264k      DeepProve's CIFAR CNN (Lagrange-Labs/deep-prove
                zkml/assets/scripts/CNN/cifar-cnn.py, `--num-params 264000`):
                the LeNet-shaped conv5-pool-conv5-pool-FC-FC-FC with widths
                scaled by sqrt(264000 / 62006): 12, 33 channels, FC 247-173-10
                (259,511 parameters, the script's own rounding).
  mlp_4m_dp     DeepProve's MLP shape (zkml/assets/scripts/MLP/mlp.py): 4
                inputs, num_dense equal-width dense layers with ReLU, a dense
                layer to 3 outputs and a ReLU. DeepProve's "Dense 4M" does not
                state its (num_dense, width); 5 x 1000 gives 4.01M parameters.
  mlp_1m .. mlp_64m  the MLP family: input W, 4 dense W x W layers with
                ReLU, a dense layer to 10 outputs; W = 512, 1024, 2048, 4096
                (1.06M, 4.21M, 16.8M, 67.1M parameters).
"""
import argparse
import json
import os
import sys

N_CALIB = 8
OPSET = 13
# Bump when a model, its inputs or the export change: files made by another
# version are made again.
VERSION = 1


def _vgg16_count():
    cfg = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"]
    n, cin = 0, 3
    for c in cfg:
        if c != "M":
            n += cin * c * 9 + c
            cin = c
    return n + (512 * 512 + 512) * 2 + 512 * 10 + 10


def _resnet18_count():
    def conv(ci, co, k):
        return ci * co * k * k

    def bn(c):
        return 2 * c

    n = conv(3, 64, 3) + bn(64)
    cin = 64
    for cout, stride in [(64, 1), (128, 2), (256, 2), (512, 2)]:
        for b in range(2):
            s = stride if b == 0 else 1
            n += conv(cin, cout, 3) + bn(cout) + conv(cout, cout, 3) + bn(cout)
            if s != 1 or cin != cout:
                n += conv(cin, cout, 1) + bn(cout)
            cin = cout
    return n + 512 * 10 + 10


def _cnn_count(c1, c2, f1, f2):
    return (75 + 1) * c1 + (c1 * 25 + 1) * c2 + (c2 * 25 + 1) * f1 + (f1 + 1) * f2 + (f2 + 1) * 10


def _dp_mlp_count(dense, w):
    return (4 + 1) * w + (dense - 1) * (w * w + w) + (w + 1) * 3


def _mlp_count(w):
    return 4 * (w * w + w) + (w + 1) * 10


# name -> (builder kind, arguments, input shape, declared parameter count, description)
MODELS = {
    "cnn_264k": ("cnn", (12, 33, 247, 173), [1, 3, 32, 32], _cnn_count(12, 33, 247, 173),
                 "DeepProve's CIFAR-10 CNN scaled to 264k (conv 12, 33; FC 247-173-10)"),
    "mlp_1m": ("mlp", (512,), [1, 512], _mlp_count(512), "MLP 512 -> 4 x 512 -> 10"),
    "mlp_4m_dp": ("dpmlp", (5, 1000), [1, 4], _dp_mlp_count(5, 1000),
                  "DeepProve's MLP shape: 4 -> 5 x 1000 -> 3"),
    "mlp_4m": ("mlp", (1024,), [1, 1024], _mlp_count(1024), "MLP 1024 -> 4 x 1024 -> 10"),
    "mlp_16m": ("mlp", (2048,), [1, 2048], _mlp_count(2048), "MLP 2048 -> 4 x 2048 -> 10"),
    "vgg16_cifar": ("vgg16", (), [1, 3, 32, 32], _vgg16_count(),
                    "VGG-16 CIFAR-10 (zkCNN's: 13 conv + FC 512-512-10)"),
    "resnet18_cifar": ("resnet18", (), [1, 3, 32, 32], _resnet18_count(),
                       "ResNet-18 CIFAR-10 (batch norm folded at export)"),
    "mlp_64m": ("mlp", (4096,), [1, 4096], _mlp_count(4096), "MLP 4096 -> 4 x 4096 -> 10"),
}


def build(kind, args):
    import torch.nn as nn

    def init(m):
        for mod in m.modules():
            if isinstance(mod, (nn.Conv2d, nn.Linear)):
                nn.init.kaiming_normal_(mod.weight, nonlinearity="relu")
                if mod.bias is not None:
                    nn.init.uniform_(mod.bias, -0.05, 0.05)
        return m

    if kind == "mlp":
        (w,) = args
        layers = []
        for _ in range(4):
            layers += [nn.Linear(w, w), nn.ReLU()]
        return init(nn.Sequential(*layers, nn.Linear(w, 10)))
    if kind == "dpmlp":
        dense, w = args
        layers, cin = [], 4
        for _ in range(dense):
            layers += [nn.Linear(cin, w), nn.ReLU()]
            cin = w
        return init(nn.Sequential(*layers, nn.Linear(w, 3), nn.ReLU()))
    if kind == "cnn":
        c1, c2, f1, f2 = args
        return init(nn.Sequential(
            nn.Conv2d(3, c1, 5), nn.ReLU(), nn.MaxPool2d(2, 2),
            nn.Conv2d(c1, c2, 5), nn.ReLU(), nn.MaxPool2d(2, 2), nn.Flatten(),
            nn.Linear(c2 * 25, f1), nn.ReLU(), nn.Linear(f1, f2), nn.ReLU(), nn.Linear(f2, 10)))
    if kind == "vgg16":
        cfg = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M",
               512, 512, 512, "M"]
        layers, cin = [], 3
        for c in cfg:
            if c == "M":
                layers.append(nn.MaxPool2d(2, 2))
            else:
                layers += [nn.Conv2d(cin, c, 3, padding=1), nn.ReLU()]
                cin = c
        return init(nn.Sequential(*layers, nn.Flatten(), nn.Linear(512, 512), nn.ReLU(),
                                  nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10)))
    if kind == "resnet18":
        return init(_resnet18())
    raise ValueError(kind)


def _resnet18():
    import torch.nn as nn
    import torch.nn.functional as F

    class Block(nn.Module):
        def __init__(self, cin, cout, stride):
            super().__init__()
            self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
            self.b1 = nn.BatchNorm2d(cout)
            self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
            self.b2 = nn.BatchNorm2d(cout)
            self.short = nn.Sequential()
            if stride != 1 or cin != cout:
                self.short = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False),
                                           nn.BatchNorm2d(cout))

        def forward(self, x):
            y = F.relu(self.b1(self.c1(x)))
            return F.relu(self.b2(self.c2(y)) + self.short(x))

    class ResNet18(nn.Module):
        def __init__(self):
            super().__init__()
            self.c1 = nn.Conv2d(3, 64, 3, 1, 1, bias=False)
            self.b1 = nn.BatchNorm2d(64)
            blocks, cin = [], 64
            for cout, stride in [(64, 1), (128, 2), (256, 2), (512, 2)]:
                blocks += [Block(cin, cout, stride), Block(cout, cout, 1)]
                cin = cout
            self.blocks = nn.Sequential(*blocks)
            self.pool = nn.AdaptiveAvgPool2d(1)  # 4x4 -> 1x1: GlobalAveragePool
            self.fc = nn.Linear(512, 10)

        def forward(self, x):
            x = self.blocks(F.relu(self.b1(self.c1(x))))
            return self.fc(self.pool(x).flatten(1))

    return ResNet18()


def param_count(model):
    return sum(p.numel() for p in model.parameters())


def seed_of(name):
    return sum((i + 1) * ord(c) for i, c in enumerate(name)) % 100003


def paths(out, name):
    return {k: os.path.join(out, f"{name}.{k}") for k in
            ("onnx", "input.json", "calibration.json", "meta.json")}


def round6(xs):
    return [float(f"{x:.6g}") for x in xs]


def _current(meta_path, declared):
    try:
        with open(meta_path) as f:
            meta = json.load(f)
    except (OSError, ValueError):
        return False
    return meta.get("version") == VERSION and meta.get("params") == declared


def make(out, name):
    import torch

    kind, args, shape, declared, desc = MODELS[name]
    p = paths(out, name)
    if all(os.path.exists(f) for f in p.values()) and _current(p["meta.json"], declared):
        return False
    torch.manual_seed(seed_of(name))
    model = build(kind, args).eval()
    n = param_count(model)
    if n != declared:
        raise SystemExit(f"{name}: {n} parameters, declared {declared}")
    x = torch.randn(*shape)
    cal = torch.randn(N_CALIB, *shape[1:])
    tmp = p["onnx"] + ".tmp"
    with torch.no_grad():
        torch.onnx.export(model, x, tmp, opset_version=OPSET, input_names=["input"],
                          output_names=["logits"], do_constant_folding=True)
    with open(p["input.json"], "w") as f:
        json.dump({"input_data": [round6(x.flatten().tolist())]}, f)
    with open(p["calibration.json"], "w") as f:
        json.dump({"input_data": [round6(cal.flatten().tolist())]}, f)
    with open(p["meta.json"], "w") as f:
        json.dump({"params": n, "description": desc, "input_shape": shape, "version": VERSION}, f)
    os.replace(tmp, p["onnx"])  # last: the model's presence means the set is whole
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", nargs="?", default="build/bench-models")
    ap.add_argument("--only", default="", help="comma-separated model names")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args()
    names = [n for n in a.only.split(",") if n] or list(MODELS)
    for n in names:
        if n not in MODELS:
            raise SystemExit(f"unknown model {n}; known: {', '.join(MODELS)}")
    if a.list:
        for n in names:
            print(f"{n}\t{MODELS[n][3]}\t{MODELS[n][4]}")
        return 0
    if a.check:
        import torch

        bad = 0
        for n in names:
            kind, args, _, declared, _ = MODELS[n]
            torch.manual_seed(0)
            got = param_count(build(kind, args))
            ok = got == declared
            bad += not ok
            print(f"{'ok ' if ok else 'BAD'} {n}: {got:,} parameters (declared {declared:,})")
        return 1 if bad else 0
    os.makedirs(a.out, exist_ok=True)
    for n in names:
        made = make(a.out, n)
        print(f"{'made' if made else 'have'} {n} ({MODELS[n][3]:,} parameters)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
