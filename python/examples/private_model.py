"""Use case (b): a private model known by its commitment, scored on public data.

The owner publishes the verifying key (its weight commitment identifies the
model) and proves the model's outputs on test inputs the scorer chose; the
scorer learns outputs, not weights (for up to max_proofs proofs per setup).
Later the owner may reveal the model and anyone checks it is the committed one.
Run: python3 python/examples/private_model.py
"""
import json
import pathlib

import numpy as np

import zkinfer

EX = pathlib.Path(__file__).resolve().parents[2] / "examples" / "breast_cancer"
load = lambda name: np.asarray(json.load(open(EX / name))["input_data"], dtype=np.float32)

circuit = zkinfer.compile(EX / "model.onnx", calibration=load("calibration.json").reshape(-1, 30),
                          visibility="input=public,weights=committed,output=public",
                          max_proofs=16)
pk, vk = circuit.setup()
print("weight commitment:", vk.weight_commitment)

# The scorer's public test inputs, and their labels.
tests = {"input.json": 0, "input_benign.json": 1}
correct = 0
for name, label in tests.items():
    x = load(name).reshape(30)
    proof, _ = pk.prove(x)
    verified = vk.verify(proof, inputs=x)  # the proof must be about this very input
    pred = int(verified.outputs[0].argmax())
    correct += pred == label
    print(f"{name}: proven prediction {pred}, label {label}")
print(f"proven accuracy: {correct}/{len(tests)}")

# A proof about another input than the scorer's is rejected.
proof, _ = pk.prove(load("input.json").reshape(30))
try:
    vk.verify(proof, inputs=load("input_benign.json").reshape(30))
    raise SystemExit("a proof about another input was accepted")
except zkinfer.VerificationError as e:
    print("proof about another input rejected:", e.check)

# Later: the owner reveals the compiled model; it opens the commitment.
opened = vk.open_model(circuit, pk)
print("revealed model is the committed one:", opened.ok)
assert opened.ok
