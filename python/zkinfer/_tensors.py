"""Tensors in and out: numpy arrays (or torch tensors) of the model's shapes,
checked and flattened in C order for the library, and back."""

import math
from collections import namedtuple

import numpy as np

TensorSpec = namedtuple("TensorSpec", ["name", "shape"])


def specs(raw):
    return [TensorSpec(name, tuple(int(d) for d in shape)) for name, shape in raw]


def _numel(shape):
    return int(math.prod(shape))


def as_array(x, what):
    """x as a float32 numpy array (a torch tensor, list or array of any
    memory order); TypeError on a non-numeric dtype."""
    if hasattr(x, "detach") and hasattr(x, "numpy"):  # a torch tensor
        x = x.detach().cpu().numpy()
    a = np.asarray(x)
    if a.dtype.kind not in "fiu":
        raise TypeError(f"{what}: expected real numbers, got an array of dtype {a.dtype}")
    a = a.astype(np.float32, copy=False)
    bad = np.flatnonzero(~np.isfinite(a.reshape(-1, order="C")))
    if bad.size:
        raise ValueError(f"{what}: non-finite value at index {int(bad[0])}")
    return a


def _by_input(inputs, spec_list, what):
    """The inputs as one value per model input, in order: a single array
    (one-input models), a list/tuple in order, or a dict by name."""
    if isinstance(inputs, dict):
        names = [s.name for s in spec_list]
        unknown = [k for k in inputs if k not in names]
        if unknown:
            raise ValueError(f"{what}: the model has no input named {unknown[0]!r} "
                             f"(its inputs: {', '.join(names)})")
        missing = [n for n in names if n not in inputs]
        if missing:
            raise ValueError(f"{what}: input {missing[0]!r} is missing")
        return [inputs[n] for n in names]
    if isinstance(inputs, (list, tuple)) and len(spec_list) > 1:
        if len(inputs) != len(spec_list):
            raise ValueError(f"{what}: the model has {len(spec_list)} inputs but "
                             f"{len(inputs)} were given")
        return list(inputs)
    if len(spec_list) != 1:
        raise ValueError(f"{what}: the model has {len(spec_list)} inputs "
                         f"({', '.join(s.name for s in spec_list)}): pass a list or a dict")
    return [inputs]


def flatten_inputs(inputs, spec_list, what="inputs"):
    """One flat float list per model input, each checked against its shape
    (the model's shape, the same with a leading batch of 1, or a flat vector
    of as many values)."""
    out = []
    for value, spec in zip(_by_input(inputs, spec_list, what), spec_list):
        name = f"input {spec.name!r}"
        a = as_array(value, name)
        n = _numel(spec.shape)
        ok = (tuple(a.shape) in (spec.shape, (1,) + spec.shape)) or (a.ndim == 1 and a.size == n)
        if not ok:
            raise ValueError(f"{name}: expected shape {list(spec.shape)} ({n} values), "
                             f"got shape {list(a.shape)}")
        out.append(a.reshape(-1, order="C").tolist())
    return out


def flatten_samples(samples, spec_list, what="calibration"):
    """Calibration samples as the library takes them: per model input, all
    samples' values concatenated. `samples` is a list of samples (each as
    prove takes inputs), or for one-input models an array whose leading axis
    runs over the samples."""
    if samples is None:
        return []
    if not isinstance(samples, (list, tuple)) and len(spec_list) == 1:
        a = as_array(samples, what)
        n = _numel(spec_list[0].shape)
        if a.size % n or a.size == 0:
            raise ValueError(f"{what}: {a.size} values are not a whole number of samples of "
                             f"shape {list(spec_list[0].shape)}")
        samples = list(a.reshape(-1, n))
    if len(samples) == 0:
        raise ValueError(f"{what}: no samples")
    per_input = [[] for _ in spec_list]
    for i, s in enumerate(samples):
        for k, flat in enumerate(flatten_inputs(s, spec_list, f"{what} sample {i}")):
            per_input[k].extend(flat)
    return per_input


def shaped(values, spec_list):
    """Flat outputs back as numpy arrays of the model's shapes."""
    return [np.asarray(v, dtype=np.float32).reshape(s.shape) for v, s in zip(values, spec_list)]
