"""The Python API over the _zkinfer extension: compile, setup, prove, verify,
run and evaluate, with numpy tensors of the model's shapes."""

import os
import warnings
from collections import namedtuple

import numpy as np

from . import _zkinfer as _z
from ._errors import VerificationError
from ._source import DEFAULT_OPSET, onnx_path
from ._tensors import TensorSpec, as_array, flatten_inputs, flatten_samples, shaped, specs

RunResult = namedtuple("RunResult", ["float_outputs", "quantized_outputs", "max_abs_error"])
RunResult.__doc__ = """The float model and the quantized circuit on one input: outputs as numpy
arrays (the model's output shapes), and the largest absolute difference."""

Evaluation = namedtuple("Evaluation", [
    "float_outputs", "quantized_outputs", "max_abs_error", "argmax_agreement", "float_accuracy",
    "quantized_accuracy", "samples"
])
Evaluation.__doc__ = """The float model against the quantized circuit over a data set: outputs
stacked per output (leading axis: samples), the largest absolute difference,
the fraction of samples whose first output has the same argmax in both, and
with labels each one's accuracy (None without)."""

Opened = namedtuple("Opened", ["ok", "match", "tensor", "reason", "values"])
Opened.__doc__ = """Whether revealed data opens a commitment: match is "matches", "different
circuit", "different weights", "different tensor" or "proof rejected"; values
are the revealed tensors on the circuit's fixed-point grid."""


def _report(cb, phase, fraction):
    if cb is not None:
        cb(phase, fraction)


def _visibility_spec(visibility):
    if visibility is None:
        return ""
    if isinstance(visibility, dict):
        return ",".join(f"{k}={v}" for k, v in visibility.items())
    return str(visibility)


def _read(path):
    with open(os.fspath(path), "rb") as f:
        return f.read()


def _write(path, data):
    tmp = os.fspath(path) + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, os.fspath(path))


class Proof:
    """A proof: its bytes (to publish), and the prover's opening secrets (kept
    apart: never in to_bytes or save; save_opening writes them)."""

    def __init__(self, data, opening=None):
        self._bytes = bytes(data)
        self.opening = opening

    def to_bytes(self):
        return self._bytes

    @classmethod
    def from_bytes(cls, data):
        return cls(data)

    def save(self, path):
        _write(path, self._bytes)

    @classmethod
    def load(cls, path):
        return cls(_read(path))

    def save_opening(self, path):
        if self.opening is None:
            raise ValueError("this proof holds no opening secrets (only the prover's does)")
        fd = os.open(os.fspath(path), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(self.opening)

    def __len__(self):
        return len(self._bytes)

    def __repr__(self):
        return f"<zkinfer.Proof {len(self._bytes)} bytes>"


class Verified:
    """What an accepted proof states: the proven public outputs (numpy arrays
    of the model's output shapes), the public inputs, the commitments to what
    stayed hidden, and who sees what."""

    def __init__(self, raw, out_specs, in_specs):
        self.outputs = shaped(raw["outputs"], out_specs) if raw["outputs"] else []
        self.public_inputs = {
            name: np.asarray(v, dtype=np.float32).reshape(s.shape)
            for (name, v, _), s in zip(raw["public_inputs"], in_specs)
        }
        self.commitments = [{"tensor": n, "kind": k, "commitment": c}
                            for n, k, c in raw["commitments"]]
        self.visibility = dict(raw["visibility"])
        self.model_id = raw["model_id"]
        self.bytes_by_kind = dict(raw["bytes_by_kind"])
        self.hidden = [g for g, v in self.visibility.items() if v != "public"]

    def __repr__(self):
        return (f"<zkinfer.Verified model {self.model_id[:16]}… outputs "
                f"{[list(o.shape) for o in self.outputs]} hidden {self.hidden}>")


class _Artefact:
    _raw_type = None
    _what = "file"

    def __init__(self, raw):
        self._raw = raw

    def to_bytes(self):
        return self._raw.to_bytes()

    @classmethod
    def from_bytes(cls, data, what=None):
        return cls(cls._raw_type.from_bytes(bytes(data), what or cls._what))

    def save(self, path):
        _write(path, self.to_bytes())

    @classmethod
    def load(cls, path):
        return cls.from_bytes(_read(path), os.fspath(path))

    @property
    def inputs(self):
        """[TensorSpec(name, shape)] of the model's inputs (a batch of 1 dropped)."""
        return specs(self._raw.inputs())

    @property
    def outputs(self):
        return specs(self._raw.outputs())


class Circuit(_Artefact):
    """A compiled (quantized) model: what setup commits to and prove runs.
    `accuracy` (set by compile, None when loaded): the float model against
    the circuit on the calibration samples (samples, max_abs_error,
    max_abs_output, argmax_agreement, warning)."""
    _raw_type = _z.CompiledModel
    _what = "compiled model"
    accuracy = None

    @property
    def digest(self):
        return self._raw.digest()

    @property
    def visibility(self):
        return dict(self._raw.visibility())

    def estimate(self):
        """Expected cost on the project's 2-core machine: a dict of prove_ms,
        setup_ms, peak_bytes (prove), proof_bytes and pk_bytes (a cost model
        fitted to make bench-large: within 2x there)."""
        return dict(self._raw.estimate())

    def setup(self, progress=None):
        """Commits to the weights: (ProvingKey, VerifyingKey)."""
        pk, vk = self._raw.setup(progress)
        return ProvingKey(pk), VerifyingKey(vk)

    def run(self, inputs):
        """The quantized circuit's outputs on these inputs, without a proof."""
        return shaped(self._raw.run(flatten_inputs(inputs, self.inputs)), self.outputs)


class ProvingKey(_Artefact):
    """Proves. With committed weights a key is good for the compile's
    max_proofs proofs (each reveals more of one codeword: docs/SECURITY.md):
    a key saved or loaded counts them in the file next to it (as the command
    line does, MODEL.pk.used), one only in memory counts them itself; past
    the budget prove raises BudgetError. A copy made with to_bytes does not
    carry the count, as a copied key file without its counter."""
    _raw_type = _z.ProvingKey
    _what = "proving key"

    @property
    def budget(self):
        """(proofs used, proofs allowed) for committed weights, (0, 0) otherwise;
        a loaded key knows its file's count after its first proof."""
        return tuple(self._raw.budget())

    @classmethod
    def load(cls, path):  # mapped, not read whole
        return cls(_z.ProvingKey.load(os.fspath(path)))

    def save(self, path):
        self._raw.save(os.fspath(path))

    def prove(self, inputs, progress=None):
        """(Proof, outputs): the proof and the model's outputs on `inputs`."""
        flat = flatten_inputs(inputs, self.inputs)
        data, outs, opening, (used, limit) = self._raw.prove(flat, progress)
        if limit and (limit - used) * 10 < limit:
            warnings.warn(f"{limit - used} of this setup's {limit} proofs left: the committed "
                          "weights stay hidden only that long (run setup again)", stacklevel=2)
        return Proof(data, opening), shaped(outs, self.outputs)


class VerifyingKey(_Artefact):
    _raw_type = _z.VerifyingKey
    _what = "verifying key"

    @property
    def id(self):
        """The model's public identity (circuit and weight commitment)."""
        return self._raw.id()

    @property
    def weight_commitment(self):
        return self._raw.weight_commitment()

    @property
    def visibility(self):
        return dict(self._raw.visibility())

    def verify(self, proof, inputs=None):
        """Verified, or VerificationError naming the failed check. `inputs`:
        the public inputs the proof must be about (when the input is public)."""
        data = proof.to_bytes() if isinstance(proof, Proof) else bytes(proof)
        flat = None if inputs is None else flatten_inputs(inputs, self.inputs)
        raw = self._raw.verify(data, flat)
        if not raw["ok"]:
            raise VerificationError(raw["reason"], raw["check"])
        return Verified(raw, self.outputs, self.inputs)

    def open_model(self, circuit, pk=None):
        """Whether `circuit` is the model this key commits to (committed
        weights open with the proving key's secret)."""
        return _opened(self._raw.open_model(circuit._raw, None if pk is None else pk._raw))

    def open_outputs(self, proof, outputs, opening=None):
        """Whether `outputs` are the committed outputs of `proof`."""
        return self._open(proof, outputs, opening, False, self.outputs)

    def open_inputs(self, proof, inputs, opening=None):
        return self._open(proof, inputs, opening, True, self.inputs)

    def _open(self, proof, values, opening, is_input, spec_list):
        opening = opening if opening is not None else getattr(proof, "opening", None)
        if opening is None:
            raise ValueError("the opening secrets are needed (Proof.opening or its saved file)")
        data = proof.to_bytes() if isinstance(proof, Proof) else bytes(proof)
        flat = flatten_inputs(values, spec_list, "outputs" if not is_input else "inputs")
        return _opened(self._raw.open_tensors(data, opening, is_input, flat))


def _opened(raw):
    return Opened(raw["ok"], raw["match"], raw["tensor"], raw["reason"],
                  [np.asarray(v, dtype=np.float32) for v in raw["quantized"]])


def compile(model, calibration=None, visibility=None, example_input=None, *, table_bits=14,
            weight_bits=12, max_scale=20, max_proofs=16, name="", opset=DEFAULT_OPSET,
            progress=None):
    """Compiles an ONNX model (a path, ONNX bytes, or a torch.nn.Module with
    example_input) into a Circuit. calibration: samples of typical inputs
    (a list of samples, or an array whose leading axis runs over samples);
    without it, scales come from random inputs in [-1, 1]. visibility:
    "input=private,weights=committed,output=public" (the default) or a dict."""
    _report(progress, "compile", 0.0)
    with onnx_path(model, example_input, opset) as path:
        cal = flatten_samples(calibration, specs(_z.onnx_inputs(path)))
        raw, _, _, accuracy = _z.compile(path, cal, _visibility_spec(visibility), table_bits,
                                         weight_bits, max_scale, max_proofs, name)
    _report(progress, "compile", 1.0)
    circuit = Circuit(raw)
    circuit.accuracy = dict(accuracy)
    if accuracy["warning"]:
        warnings.warn(accuracy["warning"], stacklevel=2)
    return circuit


def _comparator(model, calibration, example_input, opset):
    with onnx_path(model, example_input, opset) as path:
        cal = flatten_samples(calibration, specs(_z.onnx_inputs(path)))
        return _z.Comparator(path, cal)


def run(model, inputs, calibration=None, example_input=None, opset=DEFAULT_OPSET):
    """The float model and its quantized circuit on one input."""
    c = _comparator(model, calibration, example_input, opset)
    in_specs = specs(c.inputs())
    r = c.run(flatten_inputs(inputs, in_specs))
    return RunResult([np.asarray(v, dtype=np.float32) for v in r["float"]],
                     [np.asarray(v, dtype=np.float32) for v in r["quantized"]],
                     float(max(r["max_abs_error"], default=0.0)))


def evaluate(model, dataset, labels=None, calibration=None, example_input=None,
             opset=DEFAULT_OPSET, progress=None):
    """The float model against its quantized circuit over `dataset` (a list
    of samples, or an array whose leading axis runs over samples)."""
    c = _comparator(model, calibration, example_input, opset)
    in_specs = specs(c.inputs())
    if not isinstance(dataset, (list, tuple)):
        dataset = list(as_array(dataset, "dataset"))
    floats, quants, err = None, None, 0.0
    for i, sample in enumerate(dataset):
        r = c.run(flatten_inputs(sample, in_specs, f"dataset sample {i}"))
        if floats is None:
            floats, quants = [[] for _ in r["float"]], [[] for _ in r["float"]]
        for k in range(len(floats)):
            floats[k].append(r["float"][k])
            quants[k].append(r["quantized"][k])
        err = max(err, max(r["max_abs_error"], default=0.0))
        _report(progress, "evaluate", (i + 1) / len(dataset))
    if floats is None:
        raise ValueError("dataset: no samples")
    floats = [np.asarray(f, dtype=np.float32) for f in floats]
    quants = [np.asarray(q, dtype=np.float32) for q in quants]
    fa, qa = floats[0].argmax(axis=1), quants[0].argmax(axis=1)
    facc = qacc = None
    if labels is not None:
        lab = np.asarray(labels).reshape(-1)
        if lab.size != len(dataset):
            raise ValueError(f"labels: {lab.size} labels for {len(dataset)} samples")
        facc, qacc = float((fa == lab).mean()), float((qa == lab).mean())
    return Evaluation(floats, quants, float(err), float((fa == qa).mean()), facc, qacc,
                      len(dataset))


def set_threads(n=0):
    """The threads zkinfer computes on (0: all cores, the default)."""
    _z.set_threads(int(n))


__all__ = ["TensorSpec"]
