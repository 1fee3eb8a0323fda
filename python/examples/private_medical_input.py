"""Use case (a): a patient's measurements stay private.

The hospital proves that the published breast-cancer classifier (its weights
committed) gave this diagnosis on the patient's 30 clinical measurements; the
verifier learns the diagnosis and nothing about the measurements.
Run: python3 python/examples/private_medical_input.py
"""
import json
import pathlib

import numpy as np

import zkinfer

EX = pathlib.Path(__file__).resolve().parents[2] / "examples" / "breast_cancer"
load = lambda name: np.asarray(json.load(open(EX / name))["input_data"], dtype=np.float32)

# The model's owner compiles (calibrated on 64 training patients) and sets up.
circuit = zkinfer.compile(EX / "model.onnx", calibration=load("calibration.json").reshape(-1, 30))
pk, vk = circuit.setup()  # vk is public: its id is the model's identity
print("model id:", vk.id)

# The hospital proves the diagnosis on its patient (input private by default).
patient = load("input.json").reshape(30)
proof, (logits,) = pk.prove(patient)
print(f"proof: {len(proof)} bytes; logits {logits}")

# Anyone holding vk checks the proof: the output is proven, the input hidden.
verified = vk.verify(proof)
diagnosis = ["malignant", "benign"][int(verified.outputs[0].argmax())]
print("verified diagnosis:", diagnosis, "| hidden:", verified.hidden)
assert diagnosis == "malignant" and "input" in verified.hidden

# A proof altered anywhere is rejected, naming the check that failed.
bad = bytearray(proof.to_bytes())
bad[len(bad) // 3] ^= 0x10
try:
    vk.verify(bytes(bad))
    raise SystemExit("a tampered proof was accepted")
except zkinfer.VerificationError as e:
    print("tampered proof rejected:", e.check)
