"""Use case (c): a committed output, revealed later.

The prover commits to the model's output in the proof (say, a bid scored by
a model, sealed until the auction closes): the verifier checks the proof now
and learns only a commitment; later the prover reveals the output and anyone
checks it is the committed one.
Run: python3 python/examples/committed_output.py
"""
import json
import pathlib

import numpy as np

import zkinfer

EX = pathlib.Path(__file__).resolve().parents[2] / "examples" / "breast_cancer"
load = lambda name: np.asarray(json.load(open(EX / name))["input_data"], dtype=np.float32)

circuit = zkinfer.compile(EX / "model.onnx", calibration=load("calibration.json").reshape(-1, 30),
                          visibility="input=private,weights=public,output=committed")
pk, vk = circuit.setup()
proof, (logits,) = pk.prove(load("input_benign.json").reshape(30))

# Now: the proof verifies, and states only a commitment to the output.
verified = vk.verify(proof)
print("outputs revealed now:", verified.outputs, "| commitments:",
      [(c["tensor"], c["kind"], c["commitment"][:16] + "…") for c in verified.commitments])
assert verified.outputs == [] and verified.commitments[0]["kind"] == "output"

# Later: the prover reveals the output with the opening secrets it kept.
opened = vk.open_outputs(proof, logits, opening=proof.opening)
print("revealed logits", logits, "open the commitment:", opened.ok)
assert opened.ok
forged = vk.open_outputs(proof, logits + 1.0, opening=proof.opening)
print("other logits open it:", forged.ok, f"({forged.match})")
assert not forged.ok
