"""Inputs as numpy arrays of the model's shape (any memory order, a batch of
1, torch tensors), checked with errors that name the input; compile options
and bad models."""

import numpy as np
import pytest

import zkinfer


def test_memory_order_and_batch(breast, keys):
    circuit, _, _ = keys
    x = breast["malignant"]
    base = circuit.run(x)[0]
    np.testing.assert_array_equal(circuit.run(x.reshape(1, 30))[0], base)
    np.testing.assert_array_equal(circuit.run(x.astype(np.float64))[0], base)
    np.testing.assert_array_equal(circuit.run(list(map(float, x)))[0], base)
    # A Fortran-ordered 2-D view whose logical (C) order is x.
    f = np.asfortranarray(x.reshape(5, 6))
    assert not f.flags["C_CONTIGUOUS"]
    np.testing.assert_array_equal(circuit.run(f.reshape(-1))[0], base)
    np.testing.assert_array_equal(circuit.run({"input": x})[0], base)


def test_bad_inputs_are_named(breast, keys):
    circuit, pk, _ = keys
    with pytest.raises(ValueError, match=r"input 'input': expected shape \[30\]"):
        pk.prove(np.zeros((3, 10), dtype=np.float32))
    x = breast["malignant"].copy()
    x[7] = np.nan
    with pytest.raises(ValueError, match="non-finite value at index 7"):
        pk.prove(x)
    with pytest.raises(TypeError, match="dtype"):
        pk.prove(np.array(["a"] * 30))
    with pytest.raises(ValueError, match="no input named 'image'"):
        circuit.run({"image": breast["malignant"]})
    with pytest.raises(zkinfer.ModelError, match="outside the range the model was compiled for"):
        pk.prove(np.full(30, 1e6, dtype=np.float32))


def test_torch_tensor_input(breast, keys):
    torch = pytest.importorskip("torch", reason="Debian's python3-torch is not installed")
    circuit, _, _ = keys
    x = breast["malignant"]
    np.testing.assert_array_equal(circuit.run(torch.from_numpy(x))[0], circuit.run(x)[0])


def test_compile_options_and_bad_models(breast, tmp_path):
    with pytest.raises(zkinfer.ArgumentError, match="table bits"):
        zkinfer.compile(breast["onnx"], table_bits=40)
    with pytest.raises(zkinfer.ArgumentError):
        zkinfer.compile(breast["onnx"], visibility="input=secret")
    with pytest.raises(zkinfer.Error):
        zkinfer.compile(b"\x08\x07garbage, not an ONNX model")
    with pytest.raises(zkinfer.Error):
        zkinfer.compile(breast["onnx"].read_bytes()[:1000])
    with pytest.raises(FileNotFoundError):
        zkinfer.compile(tmp_path / "missing.onnx")
    with pytest.raises(TypeError, match="ONNX file path"):
        zkinfer.compile(42)
    c = zkinfer.compile(breast["onnx"].read_bytes(), calibration=list(breast["calibration"]),
                        visibility={"input": "public", "weights": "public"})
    assert c.visibility == {"input": "public", "weights": "public", "output": "public"}
    with pytest.raises(ValueError, match="whole number of samples"):
        zkinfer.compile(breast["onnx"], calibration=np.zeros(31, dtype=np.float32))


def test_run_and_evaluate(breast):
    r = zkinfer.run(breast["onnx"], breast["benign"], calibration=breast["calibration"])
    np.testing.assert_allclose(r.float_outputs[0], [-2.67251, 2.54093], atol=1e-4)
    assert r.max_abs_error < 0.1
    np.testing.assert_allclose(r.quantized_outputs[0], r.float_outputs[0], atol=0.1)
    data = breast["calibration"][:16]
    ev = zkinfer.evaluate(breast["onnx"], data, calibration=breast["calibration"])
    assert ev.samples == 16
    assert ev.float_outputs[0].shape == (16, 2)
    assert ev.argmax_agreement == 1.0
    assert ev.float_accuracy is None
    labels = ev.float_outputs[0].argmax(axis=1)
    ev2 = zkinfer.evaluate(breast["onnx"], list(data), labels=labels)
    assert ev2.float_accuracy == 1.0
    with pytest.raises(ValueError, match="labels"):
        zkinfer.evaluate(breast["onnx"], data, labels=labels[:3])


def test_compile_reports_accuracy_and_estimate(breast):
    c = zkinfer.compile(breast["onnx"], calibration=breast["calibration"])
    assert c.accuracy["samples"] == 8
    assert c.accuracy["argmax_agreement"] == 1.0 and c.accuracy["warning"] == ""
    assert 0 < c.accuracy["max_abs_error"] < 0.1 * c.accuracy["max_abs_output"]
    # Too few bits: the circuit no longer tells the classes apart, and says so.
    with pytest.warns(UserWarning, match="raise --weight-bits or --table-bits"):
        coarse = zkinfer.compile(breast["onnx"], calibration=breast["calibration"],
                                 table_bits=8, weight_bits=4)
    assert coarse.accuracy["warning"]
    est = c.estimate()
    pk, vk = c.setup()
    proof, _ = pk.prove(breast["malignant"])
    # Sizes come from the commitments' parameters: close to the real ones.
    assert 0.75 < est["proof_bytes"] / len(proof) < 1.33
    assert 0.5 < est["pk_bytes"] / len(pk.to_bytes()) < 2.0
    assert est["prove_ms"] > 0 and est["peak_bytes"] > 0
